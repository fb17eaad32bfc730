package sdk

import (
	"context"
	"iter"
	"sync"
)

// This file is the auth-session handle: creates and updates are
// Operation[AuthSessionOperationResult]s whose info requests (a one-time
// code, a choice) can be answered, by the caller (Resume) or by a handler
// during a wait (info_requests.go). Their kinds, Operation, StartAndWait
// and StartAndWaitAll are generated (longrunning.gen.go).

// AuthSessionOperation is a handle on a running auth-session create or
// update: the generic Operation (ID, Poll), with Resume to answer its info
// requests and a Wait that can answer them too. Rebuild one from its IDs
// with client.Project.AuthSessions.Update.Operation (or Create.Operation).
//
// A handle is safe for concurrent use. It remembers the info requests it has
// answered, or is answering, so that none is answered twice. Get one from
// the SDK: the zero value is not usable.
type AuthSessionOperation struct {
	*Operation[AuthSessionOperationResult]
}

// answerBook is where the answers to an operation's info requests stand,
// by info request ID.
type answerBook struct {
	mu       sync.Mutex
	answered map[string]answerState
}

func newAnswerBook() *answerBook { return &answerBook{answered: map[string]answerState{}} }

// answerState is where the answer to an info request stands.
type answerState int

const (
	answering answerState = iota + 1 // a resume is on its way
	answered                         // the API took the answer
)

// newAuthSessionOperation returns a handle on the create or update
// operationID of projectName, about the auth session authSessionID ("" when
// unknown).
func newAuthSessionOperation(c *Client, k *lroKind[AuthSessionOperationResult], started bool, projectName, operationID, authSessionID string) *AuthSessionOperation {
	op := newOperation(c, k, started, projectName, operationID)
	op.authSessionID = authSessionID
	return &AuthSessionOperation{op}
}

// ProjectName returns the name of the operation's project.
func (op *AuthSessionOperation) ProjectName() string { return op.args[0] }

// Resume answers the info request req (as Poll or Wait returned it) with
// answer: the one-time code, or one of req's choices. An info request this
// handle has answered, or is answering in another goroutine, is refused with
// an *ArgumentError, before anything is sent. A rejected answer (an
// *APIErrorInvalidInput) leaves the request open: answer it again.
func (op *AuthSessionOperation) Resume(ctx context.Context, req AuthSessionOperationRequestedMoreInfo, answer string, opts ...Option) error {
	return resume(ctx, op.Operation, req, answer, opts)
}

// resume answers the info request req of op with answer, once.
func resume(ctx context.Context, op *Operation[AuthSessionOperationResult], req AuthSessionOperationRequestedMoreInfo, answer string, opts []Option) error {
	if req.ID == "" {
		return &ArgumentError{Name: "info request ID", Problem: "is empty: pass the info request that Poll or Wait returned"}
	}
	book := op.answers
	book.mu.Lock()
	switch book.answered[req.ID] {
	case answered:
		book.mu.Unlock()
		return op.client.redactor().error(&ArgumentError{Name: "info request " + req.ID, Problem: "has already been answered"})
	case answering:
		book.mu.Unlock()
		return op.client.redactor().error(&ArgumentError{Name: "info request " + req.ID, Problem: "is being answered by another call"})
	}
	book.answered[req.ID] = answering
	book.mu.Unlock()

	body := AuthSessionOperationResumeRequest{Input: answer, InfoRequestID: req.ID}
	_, _, err := invoke(ctx, op.client, op.kind.resume, opts, body, decodeAuthSessionOperationResumed, op.args...)
	book.mu.Lock()
	if err != nil {
		delete(book.answered, req.ID) // not taken: it may be answered again
	} else {
		book.answered[req.ID] = answered
	}
	book.mu.Unlock()
	return err
}

// wasAnswered reports whether the info request has been answered, or is
// being answered.
func (b *answerBook) wasAnswered(infoRequestID string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.answered[infoRequestID] != 0
}

// Wait polls the operation until it needs nothing more from the SDK, and
// returns:
//
//   - AuthSessionOperationDone when the auth session is ready;
//   - AuthSessionOperationRequestedMoreInfo when the operation asks for
//     a one-time code or a choice and no WithInfoHandler is given: answer it
//     (Resume) now or much later, then Wait again;
//   - an *OperationFailedError when the operation failed;
//   - an *UnknownStatusError for a status this SDK does not know;
//   - the call's error for anything else, including ctx's error: the context
//     is the wait's only deadline, and its end interrupts any delay at once.
//
// With WithInfoHandler, each info request is passed to the handler and
// answered with its answer (at most once); an answer the API rejects is
// asked for again, with the rejection, up to DefaultInfoRequestAsks times
// (WithInfoRequestAsks). Polling, the riding-out of transient failures and
// the errors (an *OperationError naming the wait,
// project.authSessions.update.wait, and the operation) are those of
// Operation.Wait. opts are those of auth-session waits, of waits and of
// every call (see Options in the package documentation); a client's
// WithInfoHandler is the default handler, and WithInfoHandler(nil) turns it
// off for one wait.
func (op *AuthSessionOperation) Wait(ctx context.Context, opts ...Option) (AuthSessionOperationResult, error) {
	w, err := planWait(ctx, op.client, op.kind.waitName("wait"), anyWait|authSessionWait, opts)
	if err != nil {
		return nil, err
	}
	return wait(ctx, w, op.Operation)
}

// WaitAllAuthSessions is Wait for many auth-session operations at once (a
// nightly refresh picked up after a restart, say): it waits on them all in
// one batch (see WaitAll for how it schedules) and yields each one's
// Outcome as it ends, its Value the state Wait would return. With
// WithInfoHandler, info requests go to the handler as Wait's do, each in a
// goroutine of its own so that a slow answer holds back no other operation;
// InfoRequest.Index is the operation's position in ops (the handles of
// Update.Operation and Create.Operation know no auth-session ID: see
// InfoRequest.AuthSessionID). ops must come from one Client. Its errors name
// it project.authSessions.update.waitAll (or create).
func WaitAllAuthSessions(ctx context.Context, ops []*AuthSessionOperation, opts ...Option) iter.Seq[Outcome[AuthSessionOperationResult]] {
	return waitAllAuthSessions(ctx, ops, opts)
}

func waitAllAuthSessions(ctx context.Context, ops []*AuthSessionOperation, opts []Option) iter.Seq[Outcome[AuthSessionOperationResult]] {
	handles := make([]*Operation[AuthSessionOperationResult], len(ops))
	for i, op := range ops {
		if op != nil {
			handles[i] = op.Operation
		}
	}
	return waitAll(ctx, anyWait|authSessionWait, handles, opts)
}

// authSessionIDs are the outcomes of an auth-session StartAndWaitAll: the
// ready auth session's ID of each done state.
func authSessionIDs(done iter.Seq[Outcome[AuthSessionOperationDone]]) iter.Seq[Outcome[string]] {
	return func(yield func(Outcome[string]) bool) {
		for o := range done {
			if !yield(Outcome[string]{Index: o.Index, OperationID: o.OperationID, Value: o.Value.AuthSessionID, Err: o.Err}) {
				return
			}
		}
	}
}
