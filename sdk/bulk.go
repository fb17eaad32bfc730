package sdk

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync/atomic"
)

// This file is what the waits hand back: Outcome, built the same way for a
// single wait and a bulk one, and the generic calls the generated
// StartAndWait, StartAndWaitAll and WaitAll of every kind are written over.

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

// outcome is how the wait w on f ended, with its final state (a D, the
// completed state of a StartAndWait) or err. An error after the start is
// wrapped in an *OperationError naming the wait and the operation. Every
// error a wait ends with leaves through here, those built from a polled
// state (*OperationFailedError, *UnknownStatusError) included: the key is
// redacted from them, as invoke does from the errors of its calls.
func outcome[D, T any](w *waitPlan, f *flow[T], state T, err error) Outcome[D] {
	o := Outcome[D]{Index: f.index}
	if f.op == nil { // never started: the start's own error
		o.Err = w.cfg.redactor().error(err)
		return o
	}
	o.OperationID = f.op.ID()
	if err == nil {
		if v, ok := any(state).(D); ok {
			o.Value = v
			return o
		}
		// The kind's final ends a wait only when done; this guards it.
		err = fmt.Errorf("intuned: wait ended with status %q", f.op.kind.status(state))
	}
	where := f.op.where()
	where.Wait, where.Err = w.name, err
	o.Err = w.cfg.redactor().error(&where)
	return o
}

// newFlow is a flow of the wait w on an operation of the kind k, the
// index-th of a bulk call. An auth-session wait answers info requests.
func newFlow[T any](w *waitPlan, k *lroKind[T], index int) *flow[T] {
	f := &flow[T]{index: index, startOp: k.start}
	if w.takes&authSessionWait != 0 && k.answerer != nil {
		f.answerer = k.answerer(&w.cfg.wait.auth)
	}
	return f
}

// journal prepares the flows of a wait given WithJournal (readJournal), and
// makes their starts record themselves (journaled).
func journal[T any](ctx context.Context, w *waitPlan, k *lroKind[T], flows []*flow[T]) error {
	if jc := w.cfg.wait.journal; jc.journal == nil {
		if jc.keys != nil || jc.resends != 0 {
			return &ArgumentError{Name: "journal", Problem: "options need sdk.WithJournal"}
		}
		return nil
	}
	if err := readJournal(ctx, w, k, flows); err != nil {
		return err
	}
	for _, f := range flows {
		f.start = journaled(w, f, f.start)
	}
	return nil
}

// wait is a single wait on the handle o (Wait): a plain loop in the
// caller's goroutine.
func wait[T any](ctx context.Context, w *waitPlan, o *Operation[T]) (T, error) {
	f := newFlow(w, o.kind, 0)
	f.op, f.authSessionID = o, o.authSessionID
	state, err := waitFlow(ctx, w, f)
	out := outcome[T](w, f, state, err)
	return out.Value, out.Err
}

// startAndWait starts one operation of the kind k with start, and waits on
// it in the caller's goroutine until it is done: its done state, a D.
// authSessionID is the ID of the auth session its request names, if any.
func startAndWait[D, T any](ctx context.Context, w *waitPlan, k *lroKind[T], authSessionID string, start func(ctx context.Context, callOpts []Option) (*Operation[T], error)) (D, error) {
	f := newFlow(w, k, 0)
	f.start, f.authSessionID = start, authSessionID
	if err := journal(ctx, w, k, []*flow[T]{f}); err != nil {
		var zero D
		return zero, err
	}
	state, err := waitFlow(ctx, w, f)
	out := outcome[D](w, f, state, err)
	return out.Value, out.Err
}

// startAndWaitAll starts n operations of the kind k, the i-th with
// start(ctx, i, …), and waits on them in one batch (batch.go), yielding
// each one's Outcome as it ends, its Value its done state, a D.
// authSessionID, nil but for auth sessions, returns the ID of the auth
// session the i-th request names ("" if none).
func startAndWaitAll[D, T any](ctx context.Context, w *waitPlan, k *lroKind[T], n int, authSessionID func(i int) string,
	start func(ctx context.Context, i int, callOpts []Option) (*Operation[T], error)) iter.Seq[Outcome[D]] {
	flows := make([]*flow[T], n)
	for i := range flows {
		f := newFlow(w, k, i)
		f.start = func(ctx context.Context, callOpts []Option) (*Operation[T], error) { return start(ctx, i, callOpts) }
		if authSessionID != nil {
			f.authSessionID = authSessionID(i)
		}
		flows[i] = f
	}
	if err := journal(ctx, w, k, flows); err != nil {
		return refuseAll[D](n, err)
	}
	return runBatch[D](ctx, w, flows)
}

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
	return waitAll(ctx, anyWait, ops, opts)
}

// waitAll is WaitAll, or WaitAllAuthSessions (takes: authSessionWait too).
func waitAll[T any](ctx context.Context, takes waitScope, ops []*Operation[T], opts []Option) iter.Seq[Outcome[T]] {
	err := sameClient(ops)
	if err != nil || len(ops) == 0 {
		return refuseAll[T](len(ops), err)
	}
	w, err := planWait(ctx, ops[0].client, ops[0].kind.waitName("waitAll"), takes, opts)
	if err != nil {
		return refuseAll[T](len(ops), err)
	}
	flows := make([]*flow[T], len(ops))
	for i, op := range ops {
		flows[i] = newFlow(w, op.kind, i)
		flows[i].op, flows[i].authSessionID = op, op.authSessionID
	}
	return runBatch[T](ctx, w, flows)
}

// sameClient checks that ops are handles, each given once, of one client.
func sameClient[T any](ops []*Operation[T]) error {
	seen := make(map[*Operation[T]]bool, len(ops))
	for i, op := range ops {
		if op == nil {
			return &ArgumentError{Name: fmt.Sprintf("operation %d", i), Problem: "is nil"}
		}
		if seen[op] {
			return &ArgumentError{Name: fmt.Sprintf("operation %d", i), Problem: "is given twice: wait on a handle once"}
		}
		seen[op] = true
		if op.client != ops[0].client {
			return &ArgumentError{Name: fmt.Sprintf("operation %d", i), Problem: "is of another Client than the first: wait on each client's operations apart"}
		}
	}
	return nil
}

// errRangedTwice refuses a second range over the outcomes of a bulk call,
// which would start its operations again.
var errRangedTwice = errors.New("intuned: the outcomes of a bulk call can be ranged over once")

// runBatch is a single-use sequence of the outcomes of flows, driven in one
// batch when ranged over.
func runBatch[D, T any](ctx context.Context, w *waitPlan, flows []*flow[T]) iter.Seq[Outcome[D]] {
	var ranged atomic.Bool
	return func(yield func(Outcome[D]) bool) {
		if len(flows) == 0 {
			return
		}
		if ranged.Swap(true) {
			refuseAll[D](len(flows), errRangedTwice)(yield)
			return
		}
		b := newBatch(w, flows)
		b.run(ctx, func(f *flow[T], state T, err error) bool {
			return yield(outcome[D](w, f, state, err))
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
