package sdk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"
)

// Operation is a handle on a long-running operation of the API, in the
// manner of the long-running-operation handles of the big Go cloud SDKs: its
// state is a T, which Poll reads once and Wait reads until it is final. An
// auth-session create or update is an Operation[AuthSessionCreateResult]
// (wrapped in an AuthSessionOperation, which can also answer its info
// requests).
//
// A handle holds nothing but its IDs, so it can be rebuilt in another
// process from the same IDs (such as
// client.Project.AuthSessions.Update.Operation(projectName, operationID)).
// It is safe for concurrent use.
type Operation[T any] struct {
	client  *Client
	kind    *lroKind[T]
	args    []string // the result call's path values after the workspace; the last is the ID
	started bool     // just started: the first poll of a wait waits first
}

// lroKind is what the generic handle knows of one kind of long-running
// operation.
type lroKind[T any] struct {
	result *operation // the call that reads the state
	decode decoder[T]
	status func(T) string // the status of a state, for events and logs
	// final says whether a state ends a wait: done (Wait returns the state)
	// or err (Wait returns the error).
	final func(id string, state T) (done bool, err error)
}

// waitHooks let a layer over the generic handle (auth sessions answer info
// requests) act on the states that are not final.
type waitHooks[T any] struct {
	// decide says what to do with a state that is not final.
	decide func(state T) step
	// act acts on a state decide said to act on.
	act func(ctx context.Context, w *waiter[T], state T) error
}

// step is what a wait does with a state that is not final.
type step int

const (
	keepPolling step = iota // nothing to do: poll again later
	returnState             // stop, and hand the state to the caller
	actOn                   // act on it (answer it), then poll again soon
)

func newOperation[T any](c *Client, k *lroKind[T], started bool, args ...string) *Operation[T] {
	return &Operation[T]{client: c, kind: k, args: args, started: started}
}

// ID returns the operation's ID, which identifies it across processes.
func (o *Operation[T]) ID() string { return o.args[len(o.args)-1] }

// Poll reads the operation's state once.
func (o *Operation[T]) Poll(ctx context.Context, opts ...Option) (T, error) {
	state, _, err := o.poll(ctx, opts)
	return state, err
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
// at once. opts tune the wait and apply to every call it makes.
func (o *Operation[T]) Wait(ctx context.Context, opts ...WaitOption) (T, error) {
	w, err := newWaiter[T](ctx, o.client, opts)
	if err != nil {
		var zero T
		return zero, err
	}
	w.op = o
	return w.run(ctx)
}

// PollConfig tunes how a wait polls an operation's result. Zero fields take
// the defaults.
type PollConfig struct {
	// InitialDelay is the wait before the first poll of a just-started
	// operation, before the first poll after an answer, and the first
	// interval between polls. Default 1s.
	InitialDelay time.Duration
	// MaxDelay caps the interval between polls. Default 10s.
	MaxDelay time.Duration
	// Multiplier grows the interval after each pending poll. Default 1.5.
	Multiplier float64
	// MaxTransientErrors is how many calls of a wait in a row may fail
	// transiently before the wait gives up and returns the last error.
	// Default 5. A wait rides these out even when the client's retries are
	// off: for a poll (a read), any failure the client's retry policy calls
	// transient (the retried status codes, by default 429, 500, 502, 503 and
	// 504, and failures without an answer); for a call that is not
	// idempotent (the start of StartAndWait, a resume), only those the
	// server cannot have acted on (429, 503, a connection never established).
	MaxTransientErrors int
}

// Poll defaults.
const (
	DefaultPollInitialDelay       = time.Second
	DefaultPollMaxDelay           = 10 * time.Second
	DefaultPollMultiplier         = 1.5
	DefaultPollMaxTransientErrors = 5
)

func (p PollConfig) validate() error {
	if p.InitialDelay < 0 || p.MaxDelay < 0 || p.MaxTransientErrors < 0 {
		return &ArgumentError{Name: "poll config", Problem: "has a negative value"}
	}
	if p.Multiplier != 0 && (p.Multiplier < 1 || math.IsNaN(p.Multiplier) || math.IsInf(p.Multiplier, 0)) {
		return &ArgumentError{Name: "poll multiplier", Problem: "must be at least 1"}
	}
	return nil
}

func (p PollConfig) withDefaults() PollConfig {
	if p.InitialDelay == 0 {
		p.InitialDelay = DefaultPollInitialDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = max(DefaultPollMaxDelay, p.InitialDelay)
	}
	if p.Multiplier == 0 {
		p.Multiplier = DefaultPollMultiplier
	}
	if p.MaxTransientErrors == 0 {
		p.MaxTransientErrors = DefaultPollMaxTransientErrors
	}
	return p
}

// A WaitOption configures a wait: Wait, and the StartAndWait calls. The
// options below only make sense there, so only waits take them; every
// Option is a WaitOption too, applied to every call the wait makes.
type WaitOption interface {
	applyWait(*waitConfig) error
}

// waitOption is a WaitOption that is not an Option.
type waitOption func(*waitConfig) error

func (o waitOption) applyWait(w *waitConfig) error { return o(w) }

// waitConfig is the resolved configuration of one wait.
type waitConfig struct {
	poll     PollConfig
	progress func(WaitEvent)
	callOpts []Option       // the Options among the wait's options
	auth     authWaitConfig // the options of auth-session waits (auth_sessions.go)
}

// WithPolling tunes how a wait polls.
func WithPolling(p PollConfig) WaitOption {
	return waitOption(func(w *waitConfig) error {
		if err := p.validate(); err != nil {
			return err
		}
		w.poll = p
		return nil
	})
}

// WithProgress makes a wait report each poll, answer and transient error to
// fn, synchronously, from the waiting goroutine.
func WithProgress(fn func(WaitEvent)) WaitOption {
	return waitOption(func(w *waitConfig) error {
		w.progress = fn
		return nil
	})
}

// WaitEventKind says what a WaitEvent reports.
type WaitEventKind int

// The wait events.
const (
	// WaitStarted: a StartAndWait started the operation OperationID (store
	// it to pick the operation up elsewhere).
	WaitStarted WaitEventKind = iota + 1
	// WaitPolled: a poll returned State.
	WaitPolled
	// WaitAnswered: the state in State was acted on (an info request
	// answered with resume).
	WaitAnswered
	// WaitRetrying: a call failed with the transient error Err; the wait
	// goes on after Delay.
	WaitRetrying
)

// String names the event kind.
func (k WaitEventKind) String() string {
	switch k {
	case WaitStarted:
		return "started"
	case WaitPolled:
		return "polled"
	case WaitAnswered:
		return "answered"
	case WaitRetrying:
		return "retrying"
	}
	return fmt.Sprintf("WaitEventKind(%d)", int(k))
}

// WaitEvent reports the progress of a wait to the function given to
// WithProgress.
type WaitEvent struct {
	Kind        WaitEventKind
	OperationID string
	// Polls is the number of result calls this wait has made so far.
	Polls int
	// State is the state polled (WaitPolled) or acted on (WaitAnswered):
	// an AuthSessionCreateResult for auth-session operations.
	State any
	// Status is State's status, as the API spelled it.
	Status string
	// Err is the transient error of a WaitRetrying event.
	Err error
	// Delay is the wait before the next call (zero when the wait ends).
	Delay time.Duration
}

// OperationFailedError reports an operation that ended in failure.
type OperationFailedError struct {
	OperationID string
	// Code is the API's error code (the result's "error" member).
	Code string
	// Message is the API's description, for people.
	Message string
}

func (e *OperationFailedError) Error() string {
	return fmt.Sprintf("intuned: operation %s failed: %s: %s", e.OperationID, e.Code, e.Message)
}

// UnknownStatusError reports a state whose status this SDK version does not
// know; a wait stops rather than poll for ever.
type UnknownStatusError struct {
	OperationID string
	Status      string
	Raw         []byte
}

func (e *UnknownStatusError) Error() string {
	return fmt.Sprintf("intuned: operation %s has status %q, which this SDK version does not know", e.OperationID, e.Status)
}

// OperationError wraps an error that ended a StartAndWait after the
// operation had started, so that the caller can still pick the operation up
// by its ID.
type OperationError struct {
	// ProjectName is the operation's project, if it has one.
	ProjectName string
	OperationID string
	Err         error
}

func (e *OperationError) Error() string {
	return e.Err.Error() + " (operation " + e.OperationID + ")"
}

// Unwrap returns the error that ended the wait.
func (e *OperationError) Unwrap() error { return e.Err }

// waiter is the state of one wait.
type waiter[T any] struct {
	op       *Operation[T]
	cfg      config // the calls' configuration, for the retry codes and the logger
	wc       waitConfig
	hooks    waitHooks[T]
	polls    int
	interval time.Duration // the current interval between polls
}

func newWaiter[T any](ctx context.Context, c *Client, opts []WaitOption) (*waiter[T], error) {
	var wc waitConfig
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o.applyWait(&wc); err != nil {
			return nil, err
		}
	}
	cfg, err := c.callConfig(ctx, wc.callOpts)
	if err != nil {
		return nil, err
	}
	wc.poll = wc.poll.withDefaults()
	return &waiter[T]{cfg: cfg, wc: wc, interval: wc.poll.InitialDelay}, nil
}

// run polls until the state is final, or the kind's act hands it back.
func (w *waiter[T]) run(ctx context.Context) (T, error) {
	var zero T
	k := w.op.kind
	delay := time.Duration(0)
	if w.op.started {
		delay = w.wc.poll.InitialDelay
	}
	for {
		if err := sleep(ctx, delay); err != nil {
			return zero, err
		}
		var state T
		var ans answer
		err := w.rideOut(ctx, k.result, func() (err error) {
			w.polls++
			state, ans, err = w.op.poll(ctx, w.wc.callOpts)
			return err
		})
		if err != nil {
			return zero, err
		}
		next := w.interval
		if ans.retryAfter > 0 {
			next = ans.retryAfter
		}
		if done, err := k.final(w.op.ID(), state); done || err != nil {
			w.event(ctx, WaitEvent{Kind: WaitPolled, State: state, Status: k.status(state)})
			if err != nil {
				return zero, err
			}
			return state, nil
		}
		s := keepPolling
		if w.hooks.decide != nil {
			s = w.hooks.decide(state)
		}
		switch s {
		case returnState:
			w.event(ctx, WaitEvent{Kind: WaitPolled, State: state, Status: k.status(state)})
			return state, nil
		case actOn:
			w.event(ctx, WaitEvent{Kind: WaitPolled, State: state, Status: k.status(state)})
			if err := w.hooks.act(ctx, w, state); err != nil {
				return zero, err
			}
			// Things move quickly after an answer: start over with short delays.
			w.interval = w.wc.poll.InitialDelay
			delay = w.interval
			w.event(ctx, WaitEvent{Kind: WaitAnswered, State: state, Status: k.status(state), Delay: delay})
			continue
		}
		w.event(ctx, WaitEvent{Kind: WaitPolled, State: state, Status: k.status(state), Delay: next})
		delay = next
		w.interval = w.grow(w.interval)
	}
}

// rideOut makes one call of op (call), and makes it again after a delay
// (the server's Retry-After, else the poll interval) while it fails in a way
// retryable (retry.go) calls transient, with connection errors included, up
// to PollConfig.MaxTransientErrors times in a row.
func (w *waiter[T]) rideOut(ctx context.Context, op *operation, call func() error) error {
	for n := 0; ; n++ {
		err := call()
		if err == nil {
			return nil
		}
		status, transport, ok := failure(err)
		if ctx.Err() != nil || !ok || n >= w.wc.poll.MaxTransientErrors ||
			!retryable(op, status, transport, w.cfg.retryCodes, true, w.cfg.retry.RetryNonIdempotent) {
			return err
		}
		delay := w.interval
		if ra := retryAfterOf(err); ra > 0 {
			delay = ra
		}
		w.event(ctx, WaitEvent{Kind: WaitRetrying, Err: err, Delay: delay})
		w.interval = w.grow(w.interval)
		if err := sleep(ctx, delay); err != nil {
			return err
		}
	}
}

// retryAfterOf reads Retry-After from an *SDKError's headers.
func retryAfterOf(err error) time.Duration {
	var se *SDKError
	if errors.As(err, &se) {
		return retryAfter(se.Header, time.Now())
	}
	return 0
}

func (w *waiter[T]) grow(d time.Duration) time.Duration {
	n := time.Duration(float64(d) * w.wc.poll.Multiplier)
	if n > w.wc.poll.MaxDelay || n < d {
		return w.wc.poll.MaxDelay
	}
	return n
}

// event reports e to the logger (at debug level) and to WithProgress.
func (w *waiter[T]) event(ctx context.Context, e WaitEvent) {
	if w.op != nil {
		e.OperationID = w.op.ID()
	}
	e.Polls = w.polls
	if w.cfg.debug(ctx) {
		attrs := []slog.Attr{slog.String("operation_id", e.OperationID), slog.Int("polls", e.Polls), slog.Duration("delay", e.Delay)}
		if e.Status != "" {
			attrs = append(attrs, slog.String("status", e.Status))
		}
		if e.Err != nil {
			attrs = append(attrs, slog.String("error", e.Err.Error()))
		}
		w.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "intuned: wait "+e.Kind.String(), attrs...)
	}
	if w.wc.progress != nil {
		w.wc.progress(e)
	}
}

// startAndWait starts an operation with start, riding out the failures the
// server cannot have acted on, then waits on the handle start returns. An
// error after the start is wrapped in an *OperationError naming the
// operation.
func startAndWait[T any](ctx context.Context, c *Client, startOp *operation, projectName string, opts []WaitOption,
	start func(callOpts []Option) (*Operation[T], error), hooks func(*Operation[T]) waitHooks[T]) (T, error) {
	var zero T
	w, err := newWaiter[T](ctx, c, opts)
	if err != nil {
		return zero, err
	}
	if err := w.rideOut(ctx, startOp, func() (err error) {
		w.op, err = start(w.wc.callOpts)
		return err
	}); err != nil {
		return zero, err
	}
	w.interval = w.wc.poll.InitialDelay
	if hooks != nil {
		w.hooks = hooks(w.op)
	}
	w.event(ctx, WaitEvent{Kind: WaitStarted, Delay: w.wc.poll.InitialDelay})
	state, err := w.run(ctx)
	if err != nil {
		return zero, &OperationError{ProjectName: projectName, OperationID: w.op.ID(), Err: err}
	}
	return state, nil
}
