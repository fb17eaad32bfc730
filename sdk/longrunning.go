package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Operation is a handle on a long-running operation of the API, in the
// manner of the long-running-operation handles of the big Go cloud SDKs: its
// state is a T, which Poll reads once and Wait reads until it is final. An
// auth-session create or update is an Operation[AuthSessionCreateResult]
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
// requests) act on states before the kind's final says what they mean.
type waitHooks[T any] struct {
	// decide says what to do with a state.
	decide func(state T) step
	// act acts on a state decide said to act on.
	act func(ctx context.Context, w *waiter[T], state T) error
}

// step is what a wait's hooks do with a state.
type step int

const (
	byFinal     step = iota // not theirs: the kind's final decides
	keepPolling             // nothing to do: poll again later
	returnState             // stop, and hand the state to the caller
	actOn                   // act on it (answer it), then poll again soon
)

func newOperation[T any](c *Client, k *lroKind[T], started bool, args ...string) *Operation[T] {
	return &Operation[T]{client: c, kind: k, args: args, started: started}
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
// at once. opts tune the wait and apply to every call it makes.
func (o *Operation[T]) Wait(ctx context.Context, opts ...WaitOption) (T, error) {
	wc, err := waitOptions(opts)
	if err != nil {
		var zero T
		return zero, err
	}
	w, err := newWaiter[T](ctx, o.client, wc)
	if err != nil {
		var zero T
		return zero, err
	}
	w.op = o
	return w.run(ctx)
}

// waiter is the state of one wait.
type waiter[T any] struct {
	op       *Operation[T]
	cfg      config // the calls' configuration, for the retry codes and the logger
	wc       waitConfig
	hooks    waitHooks[T]
	polls    int
	interval time.Duration // the current interval between polls
}

func newWaiter[T any](ctx context.Context, c *Client, wc waitConfig) (*waiter[T], error) {
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
		s := byFinal
		if w.hooks.decide != nil {
			s = w.hooks.decide(state)
		}
		if s == byFinal {
			done, err := k.final(w.op.ID(), state)
			switch {
			case err != nil:
				w.event(ctx, WaitEvent{Kind: WaitPolled, State: state, Status: k.status(state)})
				return zero, err
			case done:
				s = returnState
			default:
				s = keepPolling
			}
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
// to PollConfig.MaxTransientErrors times in a row. Each call also follows
// the client's own retry policy, if any, before its failure reaches here.
func (w *waiter[T]) rideOut(ctx context.Context, op *operation, call func() error) error {
	for n := 0; ; n++ {
		err := call()
		if err == nil {
			return nil
		}
		status, transport, ok := failure(err)
		if ctx.Err() != nil || !ok || n >= w.wc.poll.MaxTransientErrors ||
			!retryable(op.idempotent, status, transport, w.cfg.retryCodes, true, w.cfg.retry.RetryNonIdempotent) {
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
// server cannot have acted on, then waits on the handle start returns, with
// the hooks it returns, until the operation is done: its final state, a D
// (a completed run). An error after the start is wrapped in an
// *OperationError: where, naming the operation's project (and queue),
// with the operation's ID.
func startAndWait[D, T any](ctx context.Context, c *Client, startOp *operation, where OperationError, wc waitConfig,
	start func(callOpts []Option) (*Operation[T], waitHooks[T], error)) (D, error) {
	var zero D
	w, err := newWaiter[T](ctx, c, wc)
	if err != nil {
		return zero, err
	}
	if err := w.rideOut(ctx, startOp, func() (err error) {
		w.op, w.hooks, err = start(w.wc.callOpts)
		return err
	}); err != nil {
		return zero, err
	}
	w.interval = w.wc.poll.InitialDelay
	w.event(ctx, WaitEvent{Kind: WaitStarted, Delay: w.wc.poll.InitialDelay})
	where.OperationID = w.op.ID()
	state, err := w.run(ctx)
	if err != nil {
		where.Err = err
		return zero, &where
	}
	done, ok := any(state).(D)
	if !ok { // the kind's final (or the hooks) end a wait only when done; this guards the invariant
		where.Err = fmt.Errorf("intuned: wait ended with status %q", w.op.kind.status(state))
		return zero, &where
	}
	return done, nil
}

// startAndWaitFor is startAndWait for a kind whose waits have no hooks and
// take WaitOptions (runs, queue items, file extractions).
func startAndWaitFor[D, T any](ctx context.Context, c *Client, startOp *operation, where OperationError, opts []WaitOption,
	start func(callOpts []Option) (*Operation[T], error)) (D, error) {
	wc, err := waitOptions(opts)
	if err != nil {
		var zero D
		return zero, err
	}
	return startAndWait[D](ctx, c, startOp, where, wc, func(callOpts []Option) (*Operation[T], waitHooks[T], error) {
		op, err := start(callOpts)
		return op, waitHooks[T]{}, err
	})
}

// errNoResult reports a completed run, item or extraction without a result.
var errNoResult = errors.New("intuned: completed without a result to decode")

// decodeResult decodes the result of a completed run, item or extraction
// into v (their DecodeResult methods).
func decodeResult(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return errNoResult
	}
	return json.Unmarshal(raw, v)
}
