package sdk

import (
	"container/heap"
	"context"
	"errors"
	"time"
)

// This file is the scheduler of the bulk calls (StartAndWaitAll,
// AppendAndWaitAll, WaitAll, WaitAllAuthSessions): a batch of flows, each
// decided as a single wait's is (flow.go), driven in the caller's
// goroutine. It keeps one queue of flows ordered by when each is due and one
// timer, and hands each due call to one of at most maxInFlight workers,
// which live as long as the batch. No goroutine or timer waits for a flow
// between its calls. Acts (answers to info requests) run each in a
// goroutine of their own, so that a handler waiting for a person holds back
// no other flow.

// batch is the state of one batch of flows.
type batch[T any] struct {
	w        *waitPlan
	flows    []*flow[T]
	limit    int           // calls in flight at most
	fresh    []*flow[T]    // flows not yet started, in order, behind any poll due
	queue    flowQueue[T]  // the other flows, waiting for their next call
	gate     time.Time     // no call goes before: the server asked the batch to slow down
	busy     int           // calls and acts out
	inFlight int           // calls out (busy less acts)
	work     chan *flow[T] // to the workers: the flows whose call is due
	workers  int
	results  chan result[T]
	panicked *actPanic // an act panicked: raised again once the batch has stopped
	seq      uint64
}

func newBatch[T any](w *waitPlan, flows []*flow[T]) *batch[T] {
	b := &batch[T]{w: w, flows: flows, limit: w.cfg.wait.maxInFlight}
	if b.limit == 0 {
		b.limit = DefaultMaxInFlight
	}
	return b
}

// run drives the flows until each has ended, handing each to yield as it
// ends (its final state, or the error it ended with), until yield returns
// false. When ctx ends, the calls out are cancelled and awaited, and every
// flow not yet ended is handed over with ctx's error, its handle set if it
// started. Nothing run started is left running when it returns.
func (b *batch[T]) run(ctx context.Context, yield func(f *flow[T], state T, err error) bool) {
	b.results = make(chan result[T], min(b.limit, len(b.flows)))
	b.work = make(chan *flow[T])
	ctx, cancel := context.WithCancel(ctx)
	defer b.stop(cancel)
	left := len(b.flows)
	for _, f := range b.flows {
		if f.err != nil { // the journal ended it
			left--
			f.done = true
			var zero T
			if !yield(f, zero, f.err) {
				return
			}
		}
	}
	now := time.Now()
	for _, f := range b.flows {
		if f.done {
			continue
		}
		if d := f.firstDelay(b.w); f.op == nil {
			b.fresh = append(b.fresh, f)
		} else {
			b.schedule(f, now.Add(d))
		}
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for left > 0 {
		now := time.Now()
		b.dispatch(ctx, now)
		var wake <-chan time.Time
		if at, ok := b.nextDue(now); ok && b.inFlight < b.limit {
			timer.Reset(later(at, b.gate).Sub(now))
			wake = timer.C
		}
		select {
		case r := <-b.results:
			state, err, ended := b.handle(ctx, r)
			if ended {
				left--
				r.f.done = true
				if !yield(r.f, state, err) {
					return
				}
			}
		case <-wake:
		case <-ctx.Done():
			b.drain(cancel)
			var zero T
			for _, f := range b.flows {
				if !f.done && !yield(f, zero, ctx.Err()) {
					return
				}
			}
			return
		}
	}
}

// stop ends the batch: it cancels the calls and acts out, awaits them, and
// raises again the panic of an act that panicked as the batch stopped.
func (b *batch[T]) stop(cancel context.CancelFunc) {
	raising := b.panicked != nil
	b.drain(cancel)
	close(b.work)
	if b.panicked != nil && !raising {
		panic(b.panicked.value)
	}
}

// drain cancels the calls and acts out and awaits them: a start that
// succeeded gives its flow the handle, so that it is reported.
func (b *batch[T]) drain(cancel context.CancelFunc) {
	cancel()
	for b.busy > 0 {
		r := <-b.results
		b.busy--
		if r.panicked != nil && b.panicked == nil {
			b.panicked = r.panicked
		}
		if !r.acted {
			b.inFlight--
			if r.f.op == nil && r.started != nil {
				r.f.op = r.started // started (a journal that failed to say so included)
			}
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// nextDue is when the next call of a flow falls due: now while a flow
// waits to start.
func (b *batch[T]) nextDue(now time.Time) (time.Time, bool) {
	switch {
	case len(b.fresh) > 0:
		return now, true
	case b.queue.Len() > 0:
		return b.queue.flows[0].due, true
	}
	return time.Time{}, false
}

// dispatch sends the calls due by now, while fewer than limit are out and
// the gate is open: first the polls (and retries) due, oldest first, then
// the starts not yet sent. Operations already started come first, so that
// their results reach the caller on time; starts fill the room they leave.
func (b *batch[T]) dispatch(ctx context.Context, now time.Time) {
	for ctx.Err() == nil && b.inFlight < b.limit && !now.Before(b.gate) {
		var f *flow[T]
		switch {
		case b.queue.Len() > 0 && !now.Before(b.queue.flows[0].due):
			f = heap.Pop(&b.queue).(*flow[T])
		case len(b.fresh) > 0:
			f, b.fresh[0] = b.fresh[0], nil
			b.fresh = b.fresh[1:]
		default:
			return
		}
		b.busy++
		b.inFlight++
		b.hand(ctx, f)
	}
}

// hand gives f to an idle worker, or to a new one while there are fewer
// than limit. Workers live as long as the batch, so that a call does not
// start on a fresh goroutine, whose stack would grow on every call.
func (b *batch[T]) hand(ctx context.Context, f *flow[T]) {
	select {
	case b.work <- f:
		return
	default:
	}
	if b.workers < b.limit {
		b.workers++
		go b.worker(ctx)
	}
	b.work <- f
}

// worker makes the calls handed to it until the batch ends.
func (b *batch[T]) worker(ctx context.Context) {
	for f := range b.work {
		b.results <- f.call(ctx, b.w.callOpts)
	}
}

func (b *batch[T]) schedule(f *flow[T], due time.Time) {
	f.due = due
	f.seq = b.seq
	b.seq++
	heap.Push(&b.queue, f)
}

// handle acts on a result as decide says: it schedules the flow's next
// call, or starts an act, or reports that the flow has ended with state or
// err.
func (b *batch[T]) handle(ctx context.Context, r result[T]) (state T, err error, ended bool) {
	var zero T
	b.busy--
	if r.acted {
		if r.panicked != nil {
			b.panicked = r.panicked
			panic(r.panicked.value) // run's deferred stop ends the batch first
		}
	} else {
		b.inFlight--
	}
	f := r.f
	s := f.decide(ctx, b.w, r)
	b.w.emit(ctx, s.event)
	switch s.action {
	case endWith:
		f.ended(ctx, b.w, s.err)
		return r.state, s.err, true
	case answerIt:
		b.busy++
		go b.act(ctx, f, f.rider(b.w), r.state)
	default:
		if r.err != nil && throttled(r.err) {
			b.gate = later(b.gate, time.Now().Add(s.delay))
		}
		b.schedule(f, time.Now().Add(s.delay))
	}
	return zero, nil, false
}

// act acts on a state of f in a goroutine of its own, and hands back how it
// ended: a panic, to be raised again in the batch's goroutine; a
// runtime.Goexit (t.FailNow in a handler), as the flow's error.
func (b *batch[T]) act(ctx context.Context, f *flow[T], rd *rider, state T) {
	r := result[T]{f: f, acted: true, state: state}
	returned := false
	defer func() {
		if !returned {
			if v := recover(); v != nil {
				r.panicked = &actPanic{value: v}
			} else {
				r.err = errActExited
			}
		}
		b.results <- r
	}()
	r.err = f.answerer.act(ctx, rd, f.op, state)
	returned = true
}

// actPanic is a panic of an act, to be raised again in the batch's
// goroutine.
type actPanic struct{ value any }

// errActExited ends a flow whose act ended its goroutine.
var errActExited = errors.New("intuned: the info request handler ended its goroutine (runtime.Goexit)")

// flowQueue orders flows by when they are due (container/heap).
type flowQueue[T any] struct{ flows []*flow[T] }

func (q *flowQueue[T]) Len() int { return len(q.flows) }
func (q *flowQueue[T]) Less(i, j int) bool {
	a, b := q.flows[i], q.flows[j]
	if a.due.Equal(b.due) {
		return a.seq < b.seq
	}
	return a.due.Before(b.due)
}
func (q *flowQueue[T]) Swap(i, j int) { q.flows[i], q.flows[j] = q.flows[j], q.flows[i] }
func (q *flowQueue[T]) Push(x any)    { q.flows = append(q.flows, x.(*flow[T])) }
func (q *flowQueue[T]) Pop() any {
	n := len(q.flows) - 1
	f := q.flows[n]
	q.flows[n] = nil
	q.flows = q.flows[:n]
	return f
}
