package sdk

import (
	"container/heap"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// This file is the one scheduler that drives every wait: a batch of flows,
// each one operation to start (or a handle to wait on) and poll until its
// state is final. A single Wait or StartAndWait is a batch of one; the bulk
// calls (bulk.go) are batches of many. The batch runs in the caller's
// goroutine; it keeps one queue of flows ordered by when each is due and one
// timer, and hands each due call to one of at most maxInFlight workers,
// which live as long as the batch. No goroutine or timer waits for a flow
// between its calls.

// A flow is one operation of a batch and where its schedule stands. Only the
// batch's goroutine touches a flow, except while one call of it is out: the
// goroutine making the call reads it, and hands it back with the result.
type flow[T any] struct {
	index    int          // position in the batch's input
	startOp  *operation   // the start call, for its retry rules
	start    startFunc[T] // nil for a handle given
	op       *Operation[T]
	hooks    waitHooks[T]
	polls    int
	failures int           // transient failures in a row
	interval time.Duration // the current interval between polls
	due      time.Time     // when its next call may go
	seq      uint64        // first in, first out among flows due at once
	done     bool
	// authSessionID is the ID of the auth session of an auth-session flow,
	// where known: the one its request or handle names, else the one a
	// done state names once polled.
	authSessionID string
}

// startFunc starts the operation of a flow, and returns its handle and the
// hooks its wait uses.
type startFunc[T any] func(ctx context.Context, index int, callOpts []Option) (*Operation[T], waitHooks[T], error)

// rules are what decides how a wait's calls are made and retried: the
// client's configuration with the wait's options (the poll schedule in
// cfg.wait), and the options each call takes.
type rules struct {
	cfg      config
	callOpts []Option
	emit     func(ctx context.Context, e WaitEvent)
}

// batch is the state of one batch of flows.
type batch[T any] struct {
	rules
	limit    int           // calls in flight at most
	fresh    []*flow[T]    // flows not yet started, in order, behind any poll due
	queue    flowQueue[T]  // the other flows, waiting for their next call
	gate     time.Time     // no call goes before: the server asked the batch to slow down
	busy     int           // calls and acts out
	inFlight int           // calls out (busy less acts)
	work     chan *flow[T] // to the workers: the flows whose call is due
	workers  int
	single   bool      // a batch of one, which makes its calls itself
	panicked *actPanic // an act panicked: raised again once the batch has stopped
	results  chan result[T]
	seq      uint64

	eventMu sync.Mutex // one event at a time
}

// result is what a call (or act) of a flow came back with.
type result[T any] struct {
	f        *flow[T]
	acted    bool      // an act ended (err is its error)
	panicked *actPanic // the act panicked
	op       *Operation[T]
	hooks    waitHooks[T]
	state    T
	ans      answer
	err      error
}

func newBatch[T any](w *waitPlan) *batch[T] {
	b := &batch[T]{rules: rules{cfg: w.cfg, callOpts: w.callOpts}, limit: w.cfg.wait.maxInFlight}
	if b.limit == 0 {
		b.limit = DefaultMaxInFlight
	}
	b.emit = b.event
	return b
}

// run drives flows until each has ended, handing each to yield as it ends
// (its final state, or the error it ended with), until yield returns false.
// When ctx ends, the calls out are cancelled and awaited, and every flow not
// yet ended is handed over with ctx's error, its handle set if it started.
// Nothing run started is left running when it returns.
func (b *batch[T]) run(ctx context.Context, flows []*flow[T], yield func(f *flow[T], state T, err error) bool) {
	b.results = make(chan result[T], min(b.limit, len(flows)))
	b.work = make(chan *flow[T])
	b.single = len(flows) == 1
	ctx, cancel := context.WithCancel(ctx)
	defer func() {
		raising := b.panicked != nil
		cancel()
		for b.busy > 0 {
			b.settle(<-b.results)
		}
		close(b.work)
		if b.panicked != nil && !raising {
			panic(b.panicked.value) // an act panicked as the batch stopped
		}
	}()
	now := time.Now()
	for _, f := range flows {
		f.interval = b.cfg.wait.poll.InitialDelay
		switch {
		case f.op == nil:
			b.fresh = append(b.fresh, f)
		case f.op.started:
			b.schedule(f, now.Add(f.interval))
		default:
			b.schedule(f, now)
		}
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for left := len(flows); left > 0; {
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
			cancel()
			for b.busy > 0 {
				b.settle(<-b.results)
			}
			var zero T
			for _, f := range flows {
				if !f.done && !yield(f, zero, ctx.Err()) {
					return
				}
			}
			return
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
		if f.op != nil {
			f.polls++
		}
		b.busy++
		b.inFlight++
		b.hand(ctx, f)
	}
}

// hand gives f to an idle worker, or to a new one while there are fewer
// than limit; a batch of one makes the call itself. Workers live as long as the batch, so that a call does not
// start on a fresh goroutine, whose stack would grow on every call.
func (b *batch[T]) hand(ctx context.Context, f *flow[T]) {
	if b.single {
		// Nothing else to schedule meanwhile (an act is never out with a
		// call of the same flow): a single wait needs no worker, and the
		// context cuts the call short.
		b.results <- b.call(ctx, f)
		return
	}
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
		b.results <- b.call(ctx, f)
	}
}

// call makes the next call of f: its start, or a poll.
func (b *batch[T]) call(ctx context.Context, f *flow[T]) result[T] {
	r := result[T]{f: f}
	if f.op == nil {
		r.op, r.hooks, r.err = f.start(ctx, f.index, b.callOpts)
	} else {
		r.state, r.ans, r.err = f.op.poll(ctx, b.callOpts)
	}
	return r
}

// settle books a result that came back as the batch stops: a start that
// succeeded gives its flow the handle, so that it is reported.
func (b *batch[T]) settle(r result[T]) {
	b.busy--
	if r.panicked != nil && b.panicked == nil {
		b.panicked = r.panicked
	}
	if !r.acted {
		b.inFlight--
		if r.err == nil && r.f.op == nil {
			r.f.op = r.op
		}
	}
}

func (b *batch[T]) schedule(f *flow[T], due time.Time) {
	f.due = due
	f.seq = b.seq
	b.seq++
	heap.Push(&b.queue, f)
}

// handle acts on a result: it schedules the flow's next call, or starts an
// act, or reports that the flow has ended with state or err.
func (b *batch[T]) handle(ctx context.Context, r result[T]) (state T, err error, ended bool) {
	var zero T
	f := r.f
	b.busy--
	now := time.Now()
	if r.acted {
		if r.panicked != nil {
			b.panicked = r.panicked
			panic(r.panicked.value) // run's deferred drain stops the batch first
		}
		if r.err != nil {
			return zero, r.err, true
		}
		// Things move quickly after an answer: start over with short delays.
		f.interval = b.cfg.wait.poll.InitialDelay
		b.emit(ctx, f.event(WaitEvent{Kind: WaitEventKindAnswered, Polls: f.polls, State: r.state, Status: f.op.kind.status(r.state), Delay: f.interval}))
		b.schedule(f, now.Add(f.interval))
		return zero, nil, false
	}
	b.inFlight--
	if r.err != nil {
		op := f.startOp
		if f.op != nil {
			op = f.op.kind.result
		}
		delay, again := b.retryDelay(ctx, op, r.err, f.failures, f.interval)
		if !again {
			return zero, r.err, true
		}
		f.failures++
		if throttled(r.err) {
			b.gate = later(b.gate, now.Add(delay))
		}
		b.emit(ctx, f.event(WaitEvent{Kind: WaitEventKindRetrying, Polls: f.polls, Err: r.err, Delay: delay}))
		f.interval = b.grow(f.interval)
		b.schedule(f, now.Add(delay))
		return zero, nil, false
	}
	f.failures = 0
	if f.op == nil {
		f.op, f.hooks = r.op, r.hooks
		if f.authSessionID == "" {
			f.authSessionID = f.op.authSessionID
		}
		f.interval = b.cfg.wait.poll.InitialDelay
		b.emit(ctx, f.event(WaitEvent{Kind: WaitEventKindStarted, Delay: f.interval}))
		b.schedule(f, now.Add(f.interval))
		return zero, nil, false
	}
	return b.polled(ctx, f, r.state, r.ans, now)
}

// polled decides what a polled state means for its flow: the hooks decide
// first, then the kind's final.
func (b *batch[T]) polled(ctx context.Context, f *flow[T], state T, ans answer, now time.Time) (T, error, bool) {
	var zero T
	k := f.op.kind
	if f.authSessionID == "" && k.authSessionID != nil {
		f.authSessionID = k.authSessionID(state) // a done state names it
	}
	polled := f.event(WaitEvent{Kind: WaitEventKindPolled, Polls: f.polls, State: state, Status: k.status(state)})
	s := byFinal
	if f.hooks.decide != nil {
		s = f.hooks.decide(state)
	}
	if s == byFinal {
		done, err := k.final(f.op.ID(), state)
		switch {
		case err != nil:
			b.emit(ctx, polled)
			return zero, err, true
		case done:
			s = returnState
		default:
			s = keepPolling
		}
	}
	switch s {
	case returnState:
		b.emit(ctx, polled)
		return state, nil, true
	case actOn:
		b.emit(ctx, polled)
		rd := &rider{rules: b.rules, flowID: f.flowID(), polls: f.polls, interval: f.interval}
		if b.single {
			// As its calls are: in the caller's goroutine, which a panic
			// of the act (its handler) unwinds, or a runtime.Goexit ends.
			err := f.hooks.act(ctx, rd, state)
			b.busy++
			b.results <- result[T]{f: f, acted: true, state: state, err: err}
			return zero, nil, false
		}
		b.busy++
		go b.act(ctx, f, rd, state)
		return zero, nil, false
	}
	next := f.interval
	if ans.retryAfter > 0 {
		next = ans.retryAfter
	}
	polled.Delay = next
	b.emit(ctx, polled)
	f.interval = b.grow(f.interval)
	b.schedule(f, now.Add(next))
	return zero, nil, false
}

// act acts on a state of f in a goroutine of its own (so that a handler
// waiting for a person holds back no other flow), and hands back how it
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
	r.err = f.hooks.act(ctx, rd, state)
	returned = true
}

// actPanic is a panic of an act, to be raised again in the batch's
// goroutine.
type actPanic struct{ value any }

// errActExited ends a flow whose act ended its goroutine.
var errActExited = errors.New("intuned: the info request handler ended its goroutine (runtime.Goexit)")

// id is the flow's operation ID, "" before it has started.
func (f *flow[T]) id() string {
	if f.op == nil {
		return ""
	}
	return f.op.ID()
}

// flowID says which flow of a batch something is about, as WaitEvent and
// InfoRequest report it.
type flowID struct {
	index         int
	operationID   string
	authSessionID string
}

func (f *flow[T]) flowID() flowID {
	return flowID{index: f.index, operationID: f.id(), authSessionID: f.authSessionID}
}

// event is e, about f.
func (f *flow[T]) event(e WaitEvent) WaitEvent { return f.flowID().event(e) }

// event is e, about the flow id names.
func (id flowID) event(e WaitEvent) WaitEvent {
	e.Index, e.OperationID, e.AuthSessionID = id.index, id.operationID, id.authSessionID
	return e
}

// throttled reports whether err is the server asking to be left alone: a
// 429, or an answer with Retry-After. That slows the whole batch, not only
// the flow that got it.
func throttled(err error) bool {
	status, _, _ := failure(err)
	return status == http.StatusTooManyRequests || retryAfterOf(err) > 0
}

// retryDelay says whether a call of op that failed with err, after failures
// transient failures in a row, is worth making again, and after how long
// (the server's Retry-After, else interval). A call is made again while it
// fails in a way retryable (retry.go) calls transient, connection errors
// included, up to PollConfig.MaxTransientErrors times in a row. Each call
// also follows the client's own retry policy, if any, before its failure
// reaches here.
func (r *rules) retryDelay(ctx context.Context, op *operation, err error, failures int, interval time.Duration) (time.Duration, bool) {
	status, transport, ok := failure(err)
	if ctx.Err() != nil || !ok || failures >= r.cfg.wait.poll.MaxTransientErrors ||
		!r.cfg.waitRetryPolicy().allows(op.idempotent, status, transport) {
		return 0, false
	}
	if ra := retryAfterOf(err); ra > 0 {
		return ra, true
	}
	return interval, true
}

// retryAfterOf reads Retry-After from an *SDKError's headers.
func retryAfterOf(err error) time.Duration {
	var se *SDKError
	if errors.As(err, &se) {
		return retryAfter(se.Header, time.Now())
	}
	return 0
}

func (r *rules) grow(d time.Duration) time.Duration {
	n := time.Duration(float64(d) * r.cfg.wait.poll.Multiplier)
	if n > r.cfg.wait.poll.MaxDelay || n < d {
		return r.cfg.wait.poll.MaxDelay
	}
	return n
}

// event reports e to the logger (at debug level) and to WithProgress, one
// event at a time.
func (b *batch[T]) event(ctx context.Context, e WaitEvent) {
	b.eventMu.Lock()
	defer b.eventMu.Unlock()
	if b.cfg.debug(ctx) {
		// The ID and the status are the server's: redacted, as the errors
		// are.
		red := b.cfg.redactor()
		attrs := []slog.Attr{slog.String("operation_id", red.str(e.OperationID)), slog.Int("index", e.Index), slog.Int("polls", e.Polls), slog.Duration("delay", e.Delay)}
		if e.AuthSessionID != "" {
			attrs = append(attrs, slog.String("auth_session_id", red.str(e.AuthSessionID)))
		}
		if e.Status != "" {
			attrs = append(attrs, slog.String("status", red.str(e.Status)))
		}
		if e.Err != nil {
			attrs = append(attrs, slog.String("error", red.str(e.Err.Error())))
		}
		b.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "intuned: wait "+e.Kind.String(), attrs...)
	}
	if b.cfg.wait.progress != nil {
		b.cfg.wait.progress(e)
	}
}

// A rider makes the calls of an act (the resume of an answered info
// request), making one again after a transient failure as the batch does a
// poll. It runs in the act's goroutine.
type rider struct {
	rules
	flowID   // the flow acted on
	polls    int
	interval time.Duration
}

// rideOut makes one call of op (call), and makes it again after a delay
// while it fails transiently (rules.retryDelay).
func (r *rider) rideOut(ctx context.Context, op *operation, call func() error) error {
	for n := 0; ; n++ {
		err := call()
		if err == nil {
			return nil
		}
		delay, again := r.retryDelay(ctx, op, err, n, r.interval)
		if !again {
			return err
		}
		r.emit(ctx, r.event(WaitEvent{Kind: WaitEventKindRetrying, Polls: r.polls, Err: err, Delay: delay}))
		r.interval = r.grow(r.interval)
		if err := sleep(ctx, delay); err != nil {
			return err
		}
	}
}

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
