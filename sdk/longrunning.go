package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Operation is a handle on a long-running operation of the API, in the
// manner of the long-running-operation handles of the big Go cloud SDKs: its
// state is a T, which Poll reads once and Wait reads until it is final. An
// auth-session create or update is an Operation[AuthSessionOperationResult]
// (wrapped in an AuthSessionOperation, which can also answer its info
// requests); a run is an Operation[RunResult], a queue item an
// Operation[QueueItemResult], a file extraction an
// Operation[MarkdownExtractionResult] (TableExtractionResult,
// StructuredDataExtractionResult). Wait returns the final state (a
// RunCompleted, say) as the union; StartAndWait returns the completed type
// itself.
//
// A handle holds nothing but its IDs, so it can be rebuilt in another
// process from the same IDs (such as
// client.Project.AuthSessions.Update.Operation(projectName, operationID)).
// It is safe for concurrent use. Get one from the SDK: the zero value is not
// usable.
type Operation[T any] struct {
	client  *Client
	kind    *lroKind[T]
	args    []string // the result call's path values after the workspace; the last is the ID
	started bool     // just started: the first poll of a wait waits first
	// authSessionID is the ID of the auth session an auth-session create
	// or update is about, where its request named one ("" otherwise, and
	// for other kinds): what WaitEvent and InfoRequest report before a
	// done state names it.
	authSessionID string
	// answers, of an auth-session create or update, are where the answers
	// to its info requests stand (AuthSessionOperation.Resume); nil for
	// other kinds.
	answers *answerBook
}

// lroKind is what the generic handle knows of one kind of long-running
// operation. Each kind is generated from the spec (longrunning.gen.go).
type lroKind[T any] struct {
	start  *operation // the call that starts one, for its retry rules
	result *operation // the call that reads the state
	decode decoder[T]
	status func(T) string // the status of a state, for events and logs
	// final says whether a state ends a wait: done (Wait returns the state)
	// or err (Wait returns the error).
	final func(id string, state T) (done bool, err error)
	// authSessionID returns the ID of the auth session a state names (a
	// done auth-session create or update), "" if none; nil for kinds other
	// than auth sessions.
	authSessionID func(state T) string
	// answerer, nil but for auth sessions, answers the info requests of
	// the auth-session waits (WaitAllAuthSessions, AuthSessionOperation.Wait,
	// StartAndWait), with the handler of their configuration.
	answerer func(c *authWaitConfig) answerer[T]
	resume   *operation // auth sessions: the call that answers an info request
}

// waitName is the name of a wait on a handle of the kind, as its errors
// give it: the result call's service and verb (project.run.wait,
// files.extractTables.waitAll).
func (k *lroKind[T]) waitName(verb string) string {
	return strings.TrimSuffix(k.result.name, ".result") + "." + verb
}

func newOperation[T any](c *Client, k *lroKind[T], started bool, args ...string) *Operation[T] {
	o := &Operation[T]{client: c, kind: k, args: args, started: started}
	if k.resume != nil {
		o.answers = newAnswerBook()
	}
	return o
}

// ID returns the operation's ID, which identifies it across processes.
func (o *Operation[T]) ID() string { return o.args[len(o.args)-1] }

// Poll reads the operation's state once. retryAfter is how long the server
// asked to be left alone before the next poll (its Retry-After), zero when
// it did not say: a loop of the caller's own should wait at least that long.
func (o *Operation[T]) Poll(ctx context.Context, opts ...Option) (state T, retryAfter time.Duration, err error) {
	state, ans, err := o.poll(ctx, opts)
	return state, ans.retryAfter, err
}

// poll reads the state once, with what the server said of when to ask
// again.
func (o *Operation[T]) poll(ctx context.Context, opts []Option) (T, answer, error) {
	return invoke(ctx, o.client, o.kind.result, opts, nil, o.kind.decode, o.args...)
}

// Wait polls the operation until its state is final and returns it (or the
// error a failed state stands for). Polls back off from
// PollConfig.InitialDelay to MaxDelay; a Retry-After from the server takes
// precedence. Polls that fail transiently are ridden out (see PollConfig).
// The context is the wait's only deadline, and its end interrupts any delay
// at once. An error that ends the wait is an *OperationError naming the wait
// (project.run.wait, say) and the operation, wrapping the cause (ctx's
// error, an *OperationFailedError, a call's error). opts are those of waits
// and of every call (see Options in the package documentation); they apply
// to every call the wait makes.
func (o *Operation[T]) Wait(ctx context.Context, opts ...Option) (T, error) {
	w, err := planWait(ctx, o.client, o.kind.waitName("wait"), anyWait, opts)
	if err != nil {
		var zero T
		return zero, err
	}
	return wait(ctx, w, o)
}

// where is the *OperationError of an error that ended a wait on the
// operation, less the wait's name and the error: its ID, and the project
// and queue among its path values (the result call's: an extraction's ID;
// a project and a run's or an operation's ID; a project, a queue and an
// item's run ID).
func (o *Operation[T]) where() OperationError {
	e := OperationError{OperationID: o.ID()}
	switch len(o.args) {
	case 3:
		e.ProjectName, e.QueueID = o.args[0], o.args[1]
	case 2:
		e.ProjectName = o.args[0]
	}
	return e
}

// errNoResult reports a completed run, item or extraction without a result.
var errNoResult = errors.New("intuned: completed without a result to decode")

// decodeResult decodes the result of a completed run, item or extraction
// into v (their DecodeResult methods).
func decodeResult(raw []byte, v any) error {
	if len(raw) == 0 {
		return errNoResult
	}
	return json.Unmarshal(raw, v)
}
