package sdk

import (
	"context"
	"errors"
	"fmt"
)

// This file is the info-request layer of the auth-session waits: the
// answerer that hands each info request to the wait's handler and resumes
// the operation with its answer (asking again when the API rejects it),
// InfoRequest and InfoRequestHandler, and the options that configure them.

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
