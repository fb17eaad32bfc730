package sdk

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
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

// epochs cut off the attempts that join them: an attempt joins the current
// epoch, and that epoch ends two rotations later, one to two periods on.
// One time.AfterFunc rotates the epochs, and only while attempts run.
type epochs struct {
	mu       sync.Mutex
	current  map[*boundAttempt]struct{}
	previous map[*boundAttempt]struct{}
	active   int  // attempts joined and not yet released
	armed    bool // the rotation timer is set
}

// boundAttempt is an attempt under the default bound.
type boundAttempt struct {
	cancel context.CancelFunc
	epoch  map[*boundAttempt]struct{}
	cut    atomic.Bool // cut off by the bound, not by its caller
}

var attemptEpochs epochs

// bound returns ctx, cancelled if the attempt outlives its epoch. Release
// the attempt when it ends.
func (e *epochs) bound(ctx context.Context) (context.Context, *boundAttempt) {
	actx, cancel := context.WithCancel(ctx)
	a := &boundAttempt{cancel: cancel}
	e.mu.Lock()
	if e.current == nil {
		e.current = map[*boundAttempt]struct{}{}
	}
	a.epoch = e.current
	a.epoch[a] = struct{}{}
	e.active++
	if !e.armed {
		e.armed = true
		time.AfterFunc(boundPeriod, e.rotate)
	}
	e.mu.Unlock()
	return actx, a
}

// release ends an attempt.
func (e *epochs) release(a *boundAttempt) {
	e.mu.Lock()
	delete(a.epoch, a)
	e.active--
	e.mu.Unlock()
	a.cancel()
}

// rotate cuts off the attempts of the epoch before the current one (they
// have run at least a period) and starts a new epoch. It stops rotating
// once no attempt runs.
func (e *epochs) rotate() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for a := range e.previous {
		a.cut.Store(true)
		a.cancel()
	}
	e.previous, e.current = e.current, nil
	if e.active == 0 {
		e.previous, e.armed = nil, false
		return
	}
	time.AfterFunc(boundPeriod, e.rotate)
}
