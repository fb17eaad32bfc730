package intunedtest

import (
	"testing"
	"time"
)

// The defaults the options document: each payload once, in the order made,
// each attempt given 10 seconds.
func TestSinkDefaults(t *testing.T) {
	d := newDeliverer()
	defer d.close()
	if d.timeout != 10*time.Second || d.copies != 1 || d.rng != nil || d.attempts != 3 || d.backoff != 100*time.Millisecond || d.hook != nil {
		t.Errorf("defaults: timeout %v, copies %d, shuffled %t, attempts %d, backoff %v", d.timeout, d.copies, d.rng != nil, d.attempts, d.backoff)
	}
	s := NewUnstartedServer(WithSinkAttemptTimeout(-time.Second), WithSinkRedelivery(-1), WithSinkShuffle(1, 0))
	defer s.Close()
	if s.sinks.timeout != 0 || s.sinks.copies != 1 || s.sinks.batch != 1 {
		t.Errorf("below the bounds: timeout %v, copies %d, batch %d", s.sinks.timeout, s.sinks.copies, s.sinks.batch)
	}
}
