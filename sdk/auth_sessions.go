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

var (
	createKind = authSessionKind(opCreateAuthSessionResult)
	updateKind = authSessionKind(opUpdateAuthSessionResult)
)

func authSessionKind(result *operation) *lroKind[AuthSessionOperationResult] {
	return &lroKind[AuthSessionOperationResult]{
		result: result,
		decode: decodeAuthSessionOperationResult,
		status: func(r AuthSessionOperationResult) string { return string(r.Status()) },
		final: func(id string, r AuthSessionOperationResult) (bool, error) {
			switch r := r.(type) {
			case AuthSessionOperationDone, AuthSessionOperationRequestedMoreInfo:
				// An info request is final for a wait that cannot answer it
				// (Operation.Wait); AuthSessionOperation.Wait's hooks see it
				// first.
				return true, nil
			case AuthSessionOperationFailed:
				return false, &OperationFailedError{OperationID: id, Code: r.Error, Message: r.Message}
			case AuthSessionOperationResultUnknown:
				return false, &UnknownStatusError{OperationID: id, Status: string(r.Status()), Raw: r.Raw}
			}
			return false, nil
		},
		authSessionID: func(r AuthSessionOperationResult) string {
			if d, ok := r.(AuthSessionOperationDone); ok {
				return d.AuthSessionID
			}
			return ""
		},
	}
}

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
	resume *operation

	mu       sync.Mutex
	answered map[string]answerState // by info request ID
}

// answerState is where the answer to an info request stands.
type answerState int

const (
	answering answerState = iota + 1 // a resume is on its way
	answered                         // the API took the answer
)

// newAuthSessionOperation returns a handle on the create or update
// operationID of projectName, about the auth session authSessionID ("" when
// unknown).
func newAuthSessionOperation(c *Client, k *lroKind[AuthSessionOperationResult], resume *operation, started bool, projectName, operationID, authSessionID string) *AuthSessionOperation {
	op := newOperation(c, k, started, projectName, operationID)
	op.authSessionID = authSessionID
	return &AuthSessionOperation{Operation: op, resume: resume, answered: map[string]answerState{}}
}

// Operation returns a handle on the update operationID of projectName, for
// instance one another process started. Nothing is sent until it is used.
// The handle knows the operation's ID alone: the InfoRequests and WaitEvents
// of its waits have an empty AuthSessionID, until the done state names the
// auth session (in the last WaitEventKindPolled event, and the result).
func (s ProjectAuthSessionsUpdateService) Operation(projectName, operationID string) *AuthSessionOperation {
	return ProjectAuthSessionsUpdateOperation(s.client, projectName, operationID)
}

// Operation returns a handle on the create operationID of projectName, for
// instance one another process started. Nothing is sent until it is used.
// As with Update.Operation, its waits know the auth session's ID only once
// the done state names it.
func (s ProjectAuthSessionsCreateService) Operation(projectName, operationID string) *AuthSessionOperation {
	return ProjectAuthSessionsCreateOperation(s.client, projectName, operationID)
}

// ProjectAuthSessionsUpdateOperation is the standalone form of
// client.Project.AuthSessions.Update.Operation.
func ProjectAuthSessionsUpdateOperation(c *Client, projectName, operationID string) *AuthSessionOperation {
	return newAuthSessionOperation(c, updateKind, opUpdateAuthSessionResume, false, projectName, operationID, "")
}

// ProjectAuthSessionsCreateOperation is the standalone form of
// client.Project.AuthSessions.Create.Operation.
func ProjectAuthSessionsCreateOperation(c *Client, projectName, operationID string) *AuthSessionOperation {
	return newAuthSessionOperation(c, createKind, opCreateAuthSessionResume, false, projectName, operationID, "")
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
	op.mu.Lock()
	switch op.answered[req.ID] {
	case answered:
		op.mu.Unlock()
		return op.client.redactor().error(&ArgumentError{Name: "info request " + req.ID, Problem: "has already been answered"})
	case answering:
		op.mu.Unlock()
		return op.client.redactor().error(&ArgumentError{Name: "info request " + req.ID, Problem: "is being answered by another call"})
	}
	op.answered[req.ID] = answering
	op.mu.Unlock()

	body := AuthSessionOperationResumeRequest{Input: answer, InfoRequestID: req.ID}
	_, _, err := invoke(ctx, op.client, op.resume, opts, body, decodeAuthSessionOperationResumed, op.args...)
	op.mu.Lock()
	if err != nil {
		delete(op.answered, req.ID) // not taken: it may be answered again
	} else {
		op.answered[req.ID] = answered
	}
	op.mu.Unlock()
	return err
}

// wasAnswered reports whether the info request has been answered, or is
// being answered.
func (op *AuthSessionOperation) wasAnswered(infoRequestID string) bool {
	op.mu.Lock()
	defer op.mu.Unlock()
	return op.answered[infoRequestID] != 0
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
	return one(waitAllAuthSessions(ctx, "wait", []*AuthSessionOperation{op}, opts))
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
	return waitAllAuthSessions(ctx, "waitAll", ops, opts)
}

// waitAllAuthSessions is WaitAllAuthSessions, or AuthSessionOperation.Wait,
// as verb says.
func waitAllAuthSessions(ctx context.Context, verb string, ops []*AuthSessionOperation, opts []Option) iter.Seq[Outcome[AuthSessionOperationResult]] {
	err := sameClient(ops, func(op *AuthSessionOperation) *Client { return op.client })
	if err != nil || len(ops) == 0 {
		return refuseAll[AuthSessionOperationResult](len(ops), err)
	}
	w, err := planWait(ctx, ops[0].client, ops[0].kind.waitName(verb), authSessionWait, opts)
	if err != nil {
		return refuseAll[AuthSessionOperationResult](len(ops), err)
	}
	flows := make([]*flow[AuthSessionOperationResult], len(ops))
	for i, op := range ops {
		flows[i] = &flow[AuthSessionOperationResult]{index: i, op: op.Operation, hooks: op.hooks(&w.cfg.wait.auth), authSessionID: op.authSessionID}
	}
	return waitFlows(ctx, w, flows, stateOutcome[AuthSessionOperationResult](w.name))
}

// hooks are how a wait treats info requests: those answered (or being
// answered) are pending, the others go to the handler, or back to the
// caller without one.
func (op *AuthSessionOperation) hooks(awc *authWaitConfig) waitHooks[AuthSessionOperationResult] {
	return waitHooks[AuthSessionOperationResult]{
		decide: func(state AuthSessionOperationResult) step {
			r, ok := state.(AuthSessionOperationRequestedMoreInfo)
			switch {
			case !ok:
				return byFinal
			case op.wasAnswered(r.ID):
				return keepPolling // answered and not yet taken up
			case awc.handler == nil:
				return returnState
			}
			return actOn
		},
		act: func(ctx context.Context, rd *rider, state AuthSessionOperationResult) error {
			return op.answer(ctx, rd, awc, state.(AuthSessionOperationRequestedMoreInfo))
		},
	}
}

// answer asks the wait's handler for the answer to an info request and
// resumes the operation with it, asking again when the API rejects it.
func (op *AuthSessionOperation) answer(ctx context.Context, rd *rider, awc *authWaitConfig, r AuthSessionOperationRequestedMoreInfo) error {
	var rejected error
	for ask := 1; ; ask++ {
		answer, err := awc.handler(ctx, InfoRequest{Request: r, Ask: ask, Rejected: rejected,
			OperationID: op.ID(), AuthSessionID: rd.authSessionID, Index: rd.index})
		if err != nil {
			return fmt.Errorf("intuned: operation %s: info request handler: %w", op.ID(), err)
		}
		err = rd.rideOut(ctx, op.resume, func() error { return op.Resume(ctx, r, answer, rd.callOpts...) })
		var bad *APIErrorInvalidInput
		if err == nil || !errors.As(err, &bad) || ask >= awc.asks() {
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

// StartAndWait drives a whole update: it starts it, polls until it is done,
// passes every info request to handler and resumes with its answer. It
// returns the ID of the ready auth session. A failed update returns an
// *OperationFailedError; any error after the start is wrapped in an
// *OperationError naming the wait (project.authSessions.update.startAndWait)
// and the operation, so it can be picked up later. The start is sent again
// only where the server cannot have acted on it (see
// PollConfig.MaxTransientErrors). A nil handler stands for the client's
// WithInfoHandler, and is refused without one. opts are those of
// auth-session waits but WithInfoHandler, of waits and of every call (see
// Options in the package documentation); they apply to every call the wait
// makes.
func (s ProjectAuthSessionsUpdateService) StartAndWait(ctx context.Context, projectName string, req AuthSessionUpdateRequest, handler InfoRequestHandler, opts ...Option) (string, error) {
	return ProjectAuthSessionsUpdateStartAndWait(ctx, s.client, projectName, req, handler, opts...)
}

// StartAndWait drives a whole creation, as
// ProjectAuthSessionsUpdateService.StartAndWait drives an update, and
// returns the ID of the new auth session.
func (s ProjectAuthSessionsCreateService) StartAndWait(ctx context.Context, projectName string, req AuthSessionCreateRequest, handler InfoRequestHandler, opts ...Option) (string, error) {
	return ProjectAuthSessionsCreateStartAndWait(ctx, s.client, projectName, req, handler, opts...)
}

// ProjectAuthSessionsUpdateStartAndWait is the standalone form of
// client.Project.AuthSessions.Update.StartAndWait.
func ProjectAuthSessionsUpdateStartAndWait(ctx context.Context, c *Client, projectName string, req AuthSessionUpdateRequest, handler InfoRequestHandler, opts ...Option) (string, error) {
	return one(updateAuthSessions(ctx, c, "startAndWait", projectName, []AuthSessionUpdateRequest{req}, handler, opts))
}

// ProjectAuthSessionsCreateStartAndWait is the standalone form of
// client.Project.AuthSessions.Create.StartAndWait.
func ProjectAuthSessionsCreateStartAndWait(ctx context.Context, c *Client, projectName string, req AuthSessionCreateRequest, handler InfoRequestHandler, opts ...Option) (string, error) {
	return one(createAuthSessions(ctx, c, "startAndWait", projectName, []AuthSessionCreateRequest{req}, handler, opts))
}

// StartAndWaitAll is StartAndWait for many updates at once (a nightly
// refresh of every auth session): it starts an update of each request and
// drives them all in one batch (see WaitAll for how it schedules), yielding
// each one's Outcome as it ends, its Value the ready auth session's ID. Info
// requests go to handler as StartAndWait's do, each in a goroutine of its
// own so that a slow answer holds back no other update; handler must be safe
// for concurrent use. Each InfoRequest says which update asks: its
// AuthSessionID (reqs[i].ID), its Index i and its OperationID, so that one
// handler can answer each account with its own code (see the example).
// reqs must not change until the loop ends.
func (s ProjectAuthSessionsUpdateService) StartAndWaitAll(ctx context.Context, projectName string, reqs []AuthSessionUpdateRequest, handler InfoRequestHandler, opts ...Option) iter.Seq[Outcome[string]] {
	return ProjectAuthSessionsUpdateStartAndWaitAll(ctx, s.client, projectName, reqs, handler, opts...)
}

// StartAndWaitAll is StartAndWait for many creates at once, as
// ProjectAuthSessionsUpdateService.StartAndWaitAll is for updates.
func (s ProjectAuthSessionsCreateService) StartAndWaitAll(ctx context.Context, projectName string, reqs []AuthSessionCreateRequest, handler InfoRequestHandler, opts ...Option) iter.Seq[Outcome[string]] {
	return ProjectAuthSessionsCreateStartAndWaitAll(ctx, s.client, projectName, reqs, handler, opts...)
}

// ProjectAuthSessionsUpdateStartAndWaitAll is the standalone form of
// client.Project.AuthSessions.Update.StartAndWaitAll.
func ProjectAuthSessionsUpdateStartAndWaitAll(ctx context.Context, c *Client, projectName string, reqs []AuthSessionUpdateRequest, handler InfoRequestHandler, opts ...Option) iter.Seq[Outcome[string]] {
	return updateAuthSessions(ctx, c, "startAndWaitAll", projectName, reqs, handler, opts)
}

// ProjectAuthSessionsCreateStartAndWaitAll is the standalone form of
// client.Project.AuthSessions.Create.StartAndWaitAll.
func ProjectAuthSessionsCreateStartAndWaitAll(ctx context.Context, c *Client, projectName string, reqs []AuthSessionCreateRequest, handler InfoRequestHandler, opts ...Option) iter.Seq[Outcome[string]] {
	return createAuthSessions(ctx, c, "startAndWaitAll", projectName, reqs, handler, opts)
}

// updateAuthSessions is the update's StartAndWait or StartAndWaitAll, as
// verb says.
func updateAuthSessions(ctx context.Context, c *Client, verb, projectName string, reqs []AuthSessionUpdateRequest, handler InfoRequestHandler, opts []Option) iter.Seq[Outcome[string]] {
	return authSessionStartAndWaitAll(ctx, c, "project.authSessions.update."+verb, opUpdateAuthSessionStart, updateKind, opUpdateAuthSessionResume, projectName, handler, opts, len(reqs),
		func(i int) string { return reqs[i].ID },
		func(ctx context.Context, i int, callOpts []Option) (AuthSessionOperationStarted, error) {
			return ProjectAuthSessionsUpdateStart(ctx, c, projectName, reqs[i], callOpts...)
		})
}

// createAuthSessions is the create's StartAndWait or StartAndWaitAll, as
// verb says.
func createAuthSessions(ctx context.Context, c *Client, verb, projectName string, reqs []AuthSessionCreateRequest, handler InfoRequestHandler, opts []Option) iter.Seq[Outcome[string]] {
	return authSessionStartAndWaitAll(ctx, c, "project.authSessions.create."+verb, opCreateAuthSessionStart, createKind, opCreateAuthSessionResume, projectName, handler, opts, len(reqs),
		func(i int) string {
			if reqs[i].ID == nil {
				return "" // the server picks it, and names it when done
			}
			return *reqs[i].ID
		},
		func(ctx context.Context, i int, callOpts []Option) (AuthSessionOperationStarted, error) {
			return ProjectAuthSessionsCreateStart(ctx, c, projectName, reqs[i], callOpts...)
		})
}

func authSessionStartAndWaitAll(ctx context.Context, c *Client, name string, startOp *operation, k *lroKind[AuthSessionOperationResult], resume *operation,
	projectName string, handler InfoRequestHandler, opts []Option, n int,
	authSessionID func(i int) string,
	start func(ctx context.Context, i int, callOpts []Option) (AuthSessionOperationStarted, error)) iter.Seq[Outcome[string]] {
	for _, o := range opts {
		if w, ok := o.(waitOption); ok && w.name == "WithInfoHandler" {
			return refuseAll[string](n, &ArgumentError{Name: "option sdk.WithInfoHandler", Problem: "is not for " + name + ": its handler argument answers the info requests"})
		}
	}
	w, err := planWait(ctx, c, name, authSessionWait, opts)
	if err != nil {
		return refuseAll[string](n, err)
	}
	if handler != nil {
		w.cfg.wait.auth.handler = handler
	}
	if w.cfg.wait.auth.handler == nil {
		return refuseAll[string](n, &ArgumentError{Name: "info request handler", Problem: "is nil, and the client has no default (sdk.WithInfoHandler)"})
	}
	done := startAndWaitAll[AuthSessionOperationDone](ctx, w, startOp, OperationError{ProjectName: projectName}, n, authSessionID,
		func(ctx context.Context, i int, callOpts []Option) (*Operation[AuthSessionOperationResult], waitHooks[AuthSessionOperationResult], error) {
			started, err := start(ctx, i, callOpts)
			if err != nil {
				return nil, waitHooks[AuthSessionOperationResult]{}, err
			}
			op := newAuthSessionOperation(c, k, resume, true, projectName, started.OperationID, authSessionID(i))
			return op.Operation, op.hooks(&w.cfg.wait.auth), nil
		})
	return func(yield func(Outcome[string]) bool) {
		for o := range done {
			if !yield(Outcome[string]{Index: o.Index, OperationID: o.OperationID, Value: o.Value.AuthSessionID, Err: o.Err}) {
				return
			}
		}
	}
}
