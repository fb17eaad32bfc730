package sdk

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
)

// This file is the auth-session layer over the generic long-running handle
// (longrunning.go): creates and updates are Operation[AuthSessionOperationResult]s
// whose info requests (a one-time code, a choice) can be answered, by the
// caller (Resume) or by a handler during a wait (WithInfoHandler,
// StartAndWait). The operations themselves are generated (services.gen.go).

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
	if req.ID == "" {
		return &ArgumentError{Name: "info request ID", Problem: "is empty: pass the info request that Poll or Wait returned"}
	}
	return resume(ctx, op.Operation, req, answer, opts)
}

// resume answers the info request req of op with answer, once.
func resume(ctx context.Context, op *Operation[AuthSessionOperationResult], req AuthSessionOperationRequestedMoreInfo, answer string, opts []Option) error {
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

// infoAnswerer is how an auth-session wait treats info requests: those
// answered (or being answered) are pending, the others go to the handler,
// or back to the caller without one.
type infoAnswerer struct{ c *authWaitConfig }

func newInfoAnswerer(c *authWaitConfig) answerer[AuthSessionOperationResult] { return infoAnswerer{c} }

func (a infoAnswerer) decide(op *Operation[AuthSessionOperationResult], state AuthSessionOperationResult) action {
	r, ok := state.(AuthSessionOperationRequestedMoreInfo)
	switch {
	case !ok:
		return byKind
	case op.answers.wasAnswered(r.ID):
		return callAgain // answered and not yet taken up
	case a.c.handler == nil:
		return endWith
	}
	return answerIt
}

// act asks the wait's handler for the answer to an info request and
// resumes the operation with it, asking again when the API rejects it.
func (a infoAnswerer) act(ctx context.Context, rd *rider, op *Operation[AuthSessionOperationResult], state AuthSessionOperationResult) error {
	r := state.(AuthSessionOperationRequestedMoreInfo)
	var rejected error
	for ask := 1; ; ask++ {
		answer, err := a.c.handler(ctx, InfoRequest{Request: r, Ask: ask, Rejected: rejected,
			OperationID: op.ID(), AuthSessionID: rd.id.authSessionID, Index: rd.id.index})
		if err != nil {
			return fmt.Errorf("intuned: operation %s: info request handler: %w", op.ID(), err)
		}
		err = rd.rideOut(ctx, op.kind.resume, func() error { return resume(ctx, op, r, answer, rd.w.callOpts) })
		var bad *APIErrorInvalidInput
		if err == nil || !errors.As(err, &bad) || ask >= a.c.asks() {
			return err
		}
		rejected = err
	}
}

// InfoRequest is an info request as an InfoRequestHandler receives it: the
// request, how often it has been asked, and which flow asks: the
// operation, its auth session and its position in a bulk call, so that one
// handler can answer many flows at once (the one-time code of each account
// of a nightly refresh, say).
type InfoRequest struct {
	// Request is the info request, as the operation's result holds it.
	Request AuthSessionOperationRequestedMoreInfo
	// Ask counts the asks of this info request: 1, then 2, 3… after the API
	// rejected the previous answer.
	Ask int
	// Rejected is the API's rejection of the previous answer (an
	// *APIErrorInvalidInput, whose Message says why), nil at the first ask.
	Rejected error
	// OperationID is the ID of the create or update operation that asks
	// (the Outcome's OperationID in a bulk call).
	OperationID string
	// AuthSessionID is the ID of the auth session the operation creates or
	// updates, where its request named one: always for an update
	// (AuthSessionUpdateRequest.ID), for a create whose
	// AuthSessionCreateRequest.ID is set. It is "" for a create without an
	// ID, whose ID the server picks and names only once done, and for a
	// handle built from an operation ID alone (Update.Operation,
	// Create.Operation), which knows no more than that ID: answer those by
	// Index or OperationID.
	AuthSessionID string
	// Index is the operation's position in the slice given to a bulk call
	// (StartAndWaitAll, WaitAllAuthSessions), as its Outcome's Index is; 0
	// for the single calls (StartAndWait, AuthSessionOperation.Wait).
	Index int
}

// Message returns the text to show the user.
func (r InfoRequest) Message() string { return r.Request.Message() }

// Choices returns the choices of a multiple-choice request, one of which is
// the answer; nil for other requests.
func (r InfoRequest) Choices() []string { return r.Request.Choices() }

// InfoRequestHandler answers an info request: it returns the one-time code,
// or one of req.Choices(). It may block (to ask a person) until ctx is done.
// An error ends the wait of that operation without answering.
//
// req says which flow asks (req.AuthSessionID, req.Index,
// req.OperationID). In a bulk call (StartAndWaitAll, WaitAllAuthSessions)
// the handler may be called concurrently for different flows, each call in
// a goroutine of its own so that a slow answer holds back no other flow: it
// must be safe for concurrent use. It is never called concurrently for one
// flow (one operation's wait): a flow asks again (after a rejected answer,
// or the operation's next info request) only once the handler has returned
// and its answer has been sent.
type InfoRequestHandler func(ctx context.Context, req InfoRequest) (answer string, err error)

// authWaitConfig is the resolved configuration of auth-session waits, in
// a waitConfig.
type authWaitConfig struct {
	handler InfoRequestHandler
	maxAsks int // 0: DefaultInfoRequestAsks
}

func (c authWaitConfig) asks() int {
	if c.maxAsks == 0 {
		return DefaultInfoRequestAsks
	}
	return c.maxAsks
}

// DefaultInfoRequestAsks is how many times a wait asks its handler for an
// answer to one info request when the API rejects the answers.
const DefaultInfoRequestAsks = 3

// WithInfoHandler makes an auth-session wait (AuthSessionOperation.Wait,
// WaitAllAuthSessions) answer info requests with h and keep waiting, instead
// of returning them. Given to New, h is the default handler of every
// auth-session wait of the client, StartAndWait's when its handler argument
// is nil (h must then be safe for concurrent use); given to a wait, it
// replaces that default (nil: none). StartAndWait takes its handler as an
// argument, and refuses this option. Only auth-session waits take it: see
// Options in the package documentation.
func WithInfoHandler(h InfoRequestHandler) Option {
	return waitOption{name: "WithInfoHandler", scope: authSessionWait, set: func(w *waitConfig) error {
		w.auth.handler = h
		return nil
	}}
}

// WithInfoRequestAsks sets how many times an auth-session wait asks its
// handler for an answer to one info request whose answers the API rejects
// (at least 1; DefaultInfoRequestAsks otherwise). Given to New, it is the
// default of every auth-session wait of the client; given to a wait, that
// wait's. Only auth-session waits take it: see Options in the package
// documentation.
func WithInfoRequestAsks(n int) Option {
	return waitOption{name: "WithInfoRequestAsks", scope: authSessionWait, set: func(w *waitConfig) error {
		if n < 1 {
			return &ArgumentError{Name: "info request asks", Problem: "must be at least 1"}
		}
		w.auth.maxAsks = n
		return nil
	}}
}

// Message returns the text to show the user (the details' messageToUser).
// It is written by hand: the spec cannot say that every kind of details has
// one.
func (r AuthSessionOperationRequestedMoreInfo) Message() string {
	switch d := r.Details.(type) {
	case InfoRequestDetailsOTP:
		return d.MessageToUser
	case InfoRequestDetailsMultipleChoice:
		return d.MessageToUser
	case InfoRequestDetailsUnknown:
		return peekString(d.Raw, "messageToUser")
	}
	return ""
}

// Choices returns the choices of a multiple-choice request, one of which is
// the answer; nil for other requests.
func (r AuthSessionOperationRequestedMoreInfo) Choices() []string {
	if d, ok := r.Details.(InfoRequestDetailsMultipleChoice); ok {
		return d.Choices
	}
	return nil
}

// planInfoWait resolves the options of an auth-session StartAndWait or
// StartAndWaitAll, the wait name: handler answers its info requests (nil:
// the client's WithInfoHandler), which WithInfoHandler among opts may not
// replace.
func planInfoWait(ctx context.Context, c *Client, name string, handler InfoRequestHandler, opts []Option) (*waitPlan, error) {
	for _, o := range opts {
		if w, ok := o.(waitOption); ok && w.name == "WithInfoHandler" {
			return nil, &ArgumentError{Name: "option sdk.WithInfoHandler", Problem: "is not for " + name + ": its handler argument answers the info requests"}
		}
	}
	w, err := planWait(ctx, c, name, anyWait|authSessionWait|startWait, opts)
	if err != nil {
		return nil, err
	}
	if handler != nil {
		w.cfg.wait.auth.handler = handler
	}
	if w.cfg.wait.auth.handler == nil {
		return nil, &ArgumentError{Name: "info request handler", Problem: "is nil, and the client has no default (sdk.WithInfoHandler)"}
	}
	return w, nil
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
