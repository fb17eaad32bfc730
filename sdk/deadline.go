package sdk

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Every attempt has an upper bound, even when the caller's context has no
// deadline and WithTimeout is not given: it is cut off after between one and
// two boundPeriods (1 to 2 minutes), by the epochs below.
//
// The bound could be a timer per request (http.Client.Timeout, a context
// deadline, Transport.ResponseHeaderTimeout), but each such timer, being the
// runtime's earliest, wakes the network poller: on loopback that costs more
// than the rest of the SDK's work together. Epochs need one timer in all.
var boundPeriod = time.Minute

// errAttemptBound is the cause of an attempt cut off by its epoch.
var errAttemptBound = errors.New("no answer within the SDK's default bound")

// epochs hand out contexts that are cancelled two periods after they were
// current: an attempt joins the current epoch and is cut off when that
// epoch ends, between one and two periods later. One time.AfterFunc rotates
// the epochs, and only while attempts are running.
type epochs struct {
	mu       sync.Mutex
	current  *epoch
	previous *epoch
	active   int  // attempts joined and not yet left
	armed    bool // the rotation timer is set
}

type epoch struct {
	ctx    context.Context
	cancel context.CancelFunc
}

var attemptEpochs epochs

// bound returns ctx cut off by the current epoch, and a function that
// releases it. The cause of a cut-off is errAttemptBound.
func (e *epochs) bound(ctx context.Context) (context.Context, func()) {
	e.mu.Lock()
	if e.current == nil {
		e.current = newEpoch()
	}
	ep := e.current
	e.active++
	if !e.armed {
		e.armed = true
		time.AfterFunc(boundPeriod, e.rotate)
	}
	e.mu.Unlock()

	actx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(ep.ctx, func() { cancel(errAttemptBound) })
	return actx, func() {
		stop()
		cancel(nil)
		e.mu.Lock()
		e.active--
		e.mu.Unlock()
	}
}

// rotate ends the epoch before the current one (its attempts have run at
// least a period) and starts a new one. It stops rotating once no attempt is
// running and no epoch is left to end.
func (e *epochs) rotate() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.previous != nil {
		e.previous.cancel()
	}
	e.previous, e.current = e.current, nil
	if e.active == 0 {
		if e.previous != nil {
			e.previous.cancel() // nothing joined it that is still running
			e.previous = nil
		}
		e.armed = false
		return
	}
	time.AfterFunc(boundPeriod, e.rotate)
}

func newEpoch() *epoch {
	ctx, cancel := context.WithCancel(context.Background())
	return &epoch{ctx: ctx, cancel: cancel}
}
