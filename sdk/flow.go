package sdk

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// This file holds what every wait shares: a flow (one operation waited on,
// and where its schedule stands), the one rule that decides what a wait
// does after each call of a flow (decide), and the loop of a single wait
// (waitFlow). The bulk calls drive many flows with the same rule
// (batch.go).

// A flow is one operation of a wait: started by start (nil for a handle
// given), then polled until its state is final. Only one goroutine touches
// a flow at a time.
type flow[T any] struct {
	index    int // position in a bulk call's input; 0 for a single wait
	start    func(ctx context.Context, callOpts []Option) (*Operation[T], error)
	startOp  *operation // the start call, for its retry rules
	op       *Operation[T]
	answerer answerer[T] // nil: the kind's final decides every state
	polls    int
	failures int           // transient failures in a row
	interval time.Duration // the current interval between polls
	// authSessionID is the ID of the auth session of an auth-session flow,
	// where known: the one its request or handle names, else the one a
	// done state names once polled.
	authSessionID string

	// final: the kind's final ended the flow (done or failed), which the
	// journal records.
	final bool
	// key, send and err are the flow's in a wait given WithJournal: its
	// key, the sends of its start so far (over every run), and, if the
	// journal ends it at once, its outcome.
	key  string
	send int
	err  error

	due  time.Time // batch.go: when its next call may go
	seq  uint64    // batch.go: first in, first out among flows due at once
	done bool      // batch.go: it has ended
}

// An answerer answers the info requests of an auth-session wait
// (info_requests.go): it says which states are its to act on, and acts.
type answerer[T any] interface {
	// decide says what to do with state: byKind to leave it to the kind's
	// final.
	decide(op *Operation[T], state T) action
	// act answers state; its calls go through rd.
	act(ctx context.Context, rd *rider, op *Operation[T], state T) error
}

// result is what one call of a flow came back with: its start's handle, a
// polled state with what the server said of when to ask again, an act
// (an answer to an info request) that ended, or an error.
type result[T any] struct {
	f        *flow[T]
	started  *Operation[T] // a start answered
	acted    bool          // an act ended
	state    T
	ans      answer
	err      error
	panicked *actPanic // batch.go: the act panicked
}

// action is what a wait does next with a flow.
type action int

const (
	byKind    action = iota // an answerer's: the kind's final decides
	callAgain               // make the flow's next call (a poll, or the failed call again) after step.delay
	endWith                 // the flow has ended, with the state or step.err
	answerIt                // hand the state to the answerer, then poll again
)

// step is what decide says a wait does next, and the event reporting it.
type step struct {
	action action
	delay  time.Duration
	err    error
	event  WaitEvent // Kind 0: none
}

// call makes the flow's next call: its start, or a poll.
func (f *flow[T]) call(ctx context.Context, callOpts []Option) result[T] {
	r := result[T]{f: f}
	if f.op == nil {
		r.started, r.err = f.start(ctx, callOpts)
	} else {
		f.polls++
		r.state, r.ans, r.err = f.op.poll(ctx, callOpts)
	}
	return r
}

// decide is the rule of every wait: given what a call of f came back with,
// it says whether the wait on f ends (a final state, a failure, an error
// not worth riding out), goes to the answerer, or calls again after a
// delay. It updates f's counters and schedule, and nothing else.
func (f *flow[T]) decide(ctx context.Context, w *waitPlan, r result[T]) step {
	poll := w.cfg.wait.poll
	switch {
	case r.acted && r.err != nil:
		return step{action: endWith, err: r.err}
	case r.acted:
		// Things move quickly after an answer: start over with short delays.
		f.interval = poll.InitialDelay
		return step{action: callAgain, delay: f.interval, event: f.event(WaitEvent{Kind: WaitEventKindAnswered, Polls: f.polls,
			State: r.state, Status: f.op.kind.status(r.state), Delay: f.interval})}
	case r.err != nil:
		if f.op == nil && r.started != nil {
			f.op = r.started // started, but the journal failed to say so
		}
		op := f.startOp
		if f.op != nil {
			op = f.op.kind.result
		}
		delay, again := w.retryDelay(ctx, op, r.err, f.failures, f.interval)
		if !again {
			return step{action: endWith, err: r.err}
		}
		f.failures++
		f.interval = w.grow(f.interval)
		return step{action: callAgain, delay: delay, event: f.event(WaitEvent{Kind: WaitEventKindRetrying, Polls: f.polls, Err: r.err, Delay: delay})}
	case f.op == nil:
		f.failures = 0
		f.op = r.started
		if f.authSessionID == "" {
			f.authSessionID = f.op.authSessionID
		}
		f.interval = poll.InitialDelay
		return step{action: callAgain, delay: f.interval, event: f.event(WaitEvent{Kind: WaitEventKindStarted, Delay: f.interval})}
	}
	f.failures = 0
	k := f.op.kind
	if f.authSessionID == "" && k.authSessionID != nil {
		f.authSessionID = k.authSessionID(r.state) // a done state names it
	}
	s := step{action: byKind, event: f.event(WaitEvent{Kind: WaitEventKindPolled, Polls: f.polls, State: r.state, Status: k.status(r.state)})}
	if f.answerer != nil {
		s.action = f.answerer.decide(f.op, r.state)
	}
	if s.action == byKind {
		done, err := k.final(f.op.ID(), r.state)
		f.final = done || err != nil
		switch {
		case err != nil:
			s.action, s.err = endWith, err
		case done:
			s.action = endWith
		default:
			s.action = callAgain
		}
	}
	if s.action == callAgain {
		s.delay = f.interval
		if r.ans.retryAfter > 0 {
			s.delay = r.ans.retryAfter
		}
		s.event.Delay = s.delay
		f.interval = w.grow(f.interval)
	}
	return s
}

// firstDelay is the wait before a flow's first call: none for a start or a
// handle, a poll interval for an operation just started.
func (f *flow[T]) firstDelay(w *waitPlan) time.Duration {
	f.interval = w.cfg.wait.poll.InitialDelay
	if f.op != nil && f.op.started {
		return f.interval
	}
	return 0
}

// waitFlow is a single wait: it makes f's calls one after another in the
// caller's goroutine (the answerer's too), as decide says, until f ends,
// and returns its final state or the error it ended with.
func waitFlow[T any](ctx context.Context, w *waitPlan, f *flow[T]) (T, error) {
	var zero T
	if f.err != nil {
		return zero, f.err
	}
	delay := f.firstDelay(w)
	for {
		if err := sleep(ctx, delay); err != nil {
			return zero, err
		}
		r := f.call(ctx, w.callOpts)
		s := f.decide(ctx, w, r)
		if s.action == answerIt {
			w.emit(ctx, s.event)
			r = result[T]{f: f, acted: true, state: r.state}
			r.err = f.answerer.act(ctx, f.rider(w), f.op, r.state)
			s = f.decide(ctx, w, r)
		}
		w.emit(ctx, s.event)
		if s.action == endWith {
			f.ended(ctx, w, s.err)
			if s.err != nil {
				return zero, s.err
			}
			return r.state, nil
		}
		delay = s.delay
	}
}

// throttled reports whether err is the server asking to be left alone: a
// 429, or an answer with Retry-After. In a bulk call that slows the whole
// batch, not only the flow that got it.
func throttled(err error) bool {
	status, _, _ := failure(err)
	return status == http.StatusTooManyRequests || retryAfterOf(err) > 0
}

// retryDelay says whether a call of op that failed with err, after failures
// transient failures in a row, is worth making again, and after how long
// (the server's Retry-After, else interval). A call is made again while the
// waits' retry policy (retry.go: the client's, connection errors included)
// allows it, up to PollConfig.MaxTransientErrors times in a row. Each call
// also follows the client's own retry policy, if any, before its failure
// reaches here.
func (w *waitPlan) retryDelay(ctx context.Context, op *operation, err error, failures int, interval time.Duration) (time.Duration, bool) {
	status, transport, ok := failure(err)
	if ctx.Err() != nil || !ok || failures >= w.cfg.wait.poll.MaxTransientErrors ||
		!w.cfg.waitRetryPolicy().allows(op.idempotent, status, transport) {
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

// grow is the poll interval after d: d times the multiplier, at most
// MaxDelay.
func (w *waitPlan) grow(d time.Duration) time.Duration {
	n := time.Duration(float64(d) * w.cfg.wait.poll.Multiplier)
	if n > w.cfg.wait.poll.MaxDelay || n < d {
		return w.cfg.wait.poll.MaxDelay
	}
	return n
}

// A rider makes the calls of an act (the resume of an answered info
// request), making one again after a transient failure as a wait does a
// poll.
type rider struct {
	w        *waitPlan
	id       flowID // the flow acted on
	polls    int
	interval time.Duration
}

func (f *flow[T]) rider(w *waitPlan) *rider {
	return &rider{w: w, id: f.flowID(), polls: f.polls, interval: f.interval}
}

// rideOut makes one call of op (call), and makes it again after a delay
// while it fails transiently (waitPlan.retryDelay).
func (r *rider) rideOut(ctx context.Context, op *operation, call func() error) error {
	for n := 0; ; n++ {
		err := call()
		if err == nil {
			return nil
		}
		delay, again := r.w.retryDelay(ctx, op, err, n, r.interval)
		if !again {
			return err
		}
		r.w.emit(ctx, r.id.event(WaitEvent{Kind: WaitEventKindRetrying, Polls: r.polls, Err: err, Delay: delay}))
		r.interval = r.w.grow(r.interval)
		if err := sleep(ctx, delay); err != nil {
			return err
		}
	}
}

// flowID says which flow something is about, as WaitEvent and InfoRequest
// report it.
type flowID struct {
	index         int
	operationID   string
	authSessionID string
}

func (f *flow[T]) flowID() flowID {
	id := flowID{index: f.index, authSessionID: f.authSessionID}
	if f.op != nil {
		id.operationID = f.op.ID()
	}
	return id
}

// event is e, about f.
func (f *flow[T]) event(e WaitEvent) WaitEvent { return f.flowID().event(e) }

// event is e, about the flow id names.
func (id flowID) event(e WaitEvent) WaitEvent {
	e.Index, e.OperationID, e.AuthSessionID = id.index, id.operationID, id.authSessionID
	return e
}
