package sdk

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync/atomic"
)

// This file is the bulk side of the long-running operations: Outcome, and
// the generic ways to start and wait on many operations in one batch
// (batch.go). Each kind's StartAndWaitAll (runs.go, queue_items.go,
// auth_sessions.go, extractions.go) is a few lines over startAndWaitAll, and
// its StartAndWait is the same for one operation.

// Outcome is how one operation of a bulk call ended: with Value when Err is
// nil. A bulk call yields exactly one Outcome per operation given, in the
// order they end.
type Outcome[V any] struct {
	// Index is the operation's position in the slice given to the bulk
	// call.
	Index int
	// OperationID is the operation's ID (a run ID, an item's run ID, an
	// operation ID) once its start has been answered. It is "" when no
	// start was answered: then Err is the start's error, which says whether
	// the request may have reached the server (an *SDKError was answered;
	// a *TransportError's RequestSent, a cancelled context: perhaps). Only
	// where it cannot have is it sure that the operation does not exist.
	OperationID string
	// Value is the operation's result: what the kind's StartAndWait returns
	// (a RunCompleted, say), or for WaitAll the final state.
	Value V
	// Err is why the operation did not end with a result: as its
	// StartAndWait (or Wait) would return it. When the bulk call's context
	// ends, every operation not yet ended gets an Outcome, with the
	// context's error, as soon as the calls out have returned (and any
	// info-request handler running, which gets the ended context); those
	// that had started have an OperationID, so they can be picked up later
	// (the kind's Operation, then WaitAll).
	Err error
}

// errRangedTwice refuses a second range over the outcomes of a bulk call,
// which would start its operations again.
var errRangedTwice = errors.New("intuned: the outcomes of a bulk call can be ranged over once")

// WaitAll waits on many operations in one batch and yields each one's
// outcome as it ends: its final state (Outcome.Value), or the error Wait
// would return. ops must come from one Client. One scheduler in the ranging
// goroutine drives every call, at most WithMaxInFlight at a time, with the
// schedule of PollConfig for each operation; polls that fall due go before
// starts not yet sent (in the StartAndWaitAll calls). A 429 to a start or
// a poll, or an error answer to one with Retry-After, holds back the whole
// batch for that long (or the operation's poll interval); a Retry-After on
// a pending answer delays that operation alone. The loop body holds up the
// batch while it runs. To stop early and learn which operations had not
// ended, cancel ctx: each of them is yielded with ctx's error as soon as
// the calls out have returned. Breaking out of the loop stops the batch
// too, without reporting the rest. The sequence can be ranged over once.
// A panic of an info-request handler (WaitAllAuthSessions) is raised again
// in the ranging goroutine, once the batch has stopped.
//
// An error that ends the wait on an operation is an *OperationError naming
// the wait (project.run.waitAll, say) and the operation, wrapping the cause.
// opts are those of waits and of every call (see Options in the package
// documentation); they apply to every call the wait makes.
func WaitAll[T any](ctx context.Context, ops []*Operation[T], opts ...Option) iter.Seq[Outcome[T]] {
	return waitAll(ctx, "waitAll", ops, opts)
}

// waitAll is WaitAll, or Wait (of one operation), as the wait's name says:
// the kind's service and verb.
func waitAll[T any](ctx context.Context, verb string, ops []*Operation[T], opts []Option) iter.Seq[Outcome[T]] {
	err := sameClient(ops, func(op *Operation[T]) *Client { return op.client })
	if err != nil || len(ops) == 0 {
		return refuseAll[T](len(ops), err)
	}
	w, err := planWait(ctx, ops[0].client, ops[0].kind.waitName(verb), anyWait, opts)
	if err != nil {
		return refuseAll[T](len(ops), err)
	}
	flows := make([]*flow[T], len(ops))
	for i, op := range ops {
		flows[i] = &flow[T]{index: i, op: op, authSessionID: op.authSessionID}
	}
	return waitFlows(ctx, w, flows, stateOutcome[T](w.name))
}

// waitPlan is what a wait resolves when it is called: its name, the
// client's configuration with the wait's options over it (the client's
// defaults of waits, overridden by the wait's own), and the options each
// call of the wait takes.
type waitPlan struct {
	name     string // as errors name the wait: project.run.startAndWait
	cfg      config // cfg.wait.poll with the defaults filled in
	callOpts []Option
}

// planWait resolves the options of the wait name, which takes the options
// of takes (and refuses others, before anything is sent).
func planWait(ctx context.Context, c *Client, name string, takes waitScope, opts []Option) (*waitPlan, error) {
	if err := checkOptions(name, takes, opts); err != nil {
		return nil, err
	}
	cfg, err := c.callConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	cfg.wait.poll = cfg.wait.poll.withDefaults()
	return &waitPlan{name: name, cfg: cfg, callOpts: callOptions(opts)}, nil
}

// sameClient checks that ops are handles, each given once, of one client.
func sameClient[O any](ops []*O, client func(*O) *Client) error {
	seen := make(map[*O]bool, len(ops))
	for i, op := range ops {
		if op == nil {
			return &ArgumentError{Name: fmt.Sprintf("operation %d", i), Problem: "is nil"}
		}
		if seen[op] {
			return &ArgumentError{Name: fmt.Sprintf("operation %d", i), Problem: "is given twice: wait on a handle once"}
		}
		seen[op] = true
		if client(op) != client(ops[0]) {
			return &ArgumentError{Name: fmt.Sprintf("operation %d", i), Problem: "is of another Client than the first: wait on each client's operations apart"}
		}
	}
	return nil
}

// stateOutcome is the outcome of a wait on a handle: its final state, or
// the error that ended it, in an *OperationError naming the wait.
func stateOutcome[T any](wait string) func(f *flow[T], state T, err error) Outcome[T] {
	return func(f *flow[T], state T, err error) Outcome[T] {
		o := Outcome[T]{Index: f.index, OperationID: f.op.ID(), Value: state}
		if err != nil {
			where := f.op.where()
			where.Wait, where.Err = wait, err
			o.Err = &where
		}
		return o
	}
}

// waitFlows is a single-use sequence of the outcomes of flows, driven in
// one batch when ranged over.
func waitFlows[V, T any](ctx context.Context, w *waitPlan, flows []*flow[T], out func(f *flow[T], state T, err error) Outcome[V]) iter.Seq[Outcome[V]] {
	var ranged atomic.Bool
	return func(yield func(Outcome[V]) bool) {
		if len(flows) == 0 {
			return
		}
		if ranged.Swap(true) {
			refuseAll[V](len(flows), errRangedTwice)(yield)
			return
		}
		b := newBatch[T](w)
		b.run(ctx, flows, func(f *flow[T], state T, err error) bool {
			o := out(f, state, err)
			// Every error a wait ends with leaves here, those it built from
			// a polled state (the kind's final: *OperationFailedError,
			// *UnknownStatusError) and from an operation's ID
			// (*OperationError) included: the key is redacted from them
			// here, as invoke does from the errors of its calls.
			if o.Err != nil {
				o.Err = b.cfg.redactor().error(o.Err)
			}
			return yield(o)
		})
	}
}

// refuseAll yields err for each of n operations, none of which was sent.
func refuseAll[V any](n int, err error) iter.Seq[Outcome[V]] {
	return func(yield func(Outcome[V]) bool) {
		for i := range n {
			if !yield(Outcome[V]{Index: i, Err: err}) {
				return
			}
		}
	}
}

// one returns the outcome of a bulk call of one operation, as the kinds'
// StartAndWait and Wait return it.
func one[V any](outcomes iter.Seq[Outcome[V]]) (V, error) {
	for o := range outcomes {
		return o.Value, o.Err
	}
	var zero V
	return zero, errors.New("intuned: no outcome") // a batch of one always has one
}

// startAndWaitAll starts n operations of the kind whose start call is
// startOp, the i-th with start(ctx, i, …), and waits on them in one batch
// (the wait w), with the hooks start returns, until each is done: its final
// state, a D (a completed run), or an error. An error after an operation's
// start is wrapped in an *OperationError: where, naming the project (and
// queue), with the wait's name and the operation's ID. A start is sent
// again only where the server cannot have acted on it. authSessionID, nil
// but for auth sessions, returns the ID of the auth session the i-th request
// names ("" if none), for the events and info requests of its flow from its
// start on.
func startAndWaitAll[D, T any](ctx context.Context, w *waitPlan, startOp *operation, where OperationError, n int,
	authSessionID func(i int) string,
	start func(ctx context.Context, i int, callOpts []Option) (*Operation[T], waitHooks[T], error)) iter.Seq[Outcome[D]] {
	flows := make([]*flow[T], n)
	for i := range flows {
		flows[i] = &flow[T]{index: i, startOp: startOp, start: start}
		if authSessionID != nil {
			flows[i].authSessionID = authSessionID(i)
		}
	}
	where.Wait = w.name
	return waitFlows(ctx, w, flows, func(f *flow[T], state T, err error) Outcome[D] {
		return doneOutcome[D](where, f, state, err)
	})
}

// doneOutcome is the outcome of a started operation: its done state, or
// the error, wrapped in where once it has started.
func doneOutcome[D, T any](where OperationError, f *flow[T], state T, err error) Outcome[D] {
	o := Outcome[D]{Index: f.index}
	if f.op == nil { // never started: the start's own error
		o.Err = err
		return o
	}
	o.OperationID = f.op.ID()
	if err == nil {
		done, ok := any(state).(D)
		if ok {
			o.Value = done
			return o
		}
		// The kind's final (or the hooks) end a wait only when done; this
		// guards the invariant.
		err = fmt.Errorf("intuned: wait ended with status %q", f.op.kind.status(state))
	}
	where.OperationID = o.OperationID
	where.Err = err
	o.Err = &where
	return o
}

// startAndWaitAllFor is startAndWaitAll for a kind whose waits have no
// hooks (runs, queue items, file extractions): the wait name, with opts.
func startAndWaitAllFor[D, T any](ctx context.Context, c *Client, name string, startOp *operation, where OperationError, opts []Option, n int,
	start func(ctx context.Context, i int, callOpts []Option) (*Operation[T], error)) iter.Seq[Outcome[D]] {
	w, err := planWait(ctx, c, name, anyWait, opts)
	if err != nil {
		return refuseAll[D](n, err)
	}
	return startAndWaitAll[D](ctx, w, startOp, where, n, nil, func(ctx context.Context, i int, callOpts []Option) (*Operation[T], waitHooks[T], error) {
		op, err := start(ctx, i, callOpts)
		return op, waitHooks[T]{}, err
	})
}
