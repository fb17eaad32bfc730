package intunedtest

import (
	"fmt"
	"io"
	"net/http"
	"time"
)

// A Fault replaces or delays the server's answer to one call.
type Fault struct {
	// Status, if not zero, is sent instead of serving the call, with Body
	// (as ContentType, text/plain if empty) and Retry-After if set.
	Status      int
	RetryAfter  string
	Body        string
	ContentType string
	// Latency delays the answer (or the fault), unless the client gives up.
	Latency time.Duration
	// Drop closes the connection without answering.
	Drop bool
}

// InjectFault makes the next n calls of operation (one of the operation
// constants: ProjectAuthSessionsUpdateStart, ...) meet f. It panics on a
// name that is no operation, which would never meet a call.
func (s *Server) InjectFault(operation string, n int, f Fault) {
	if !isOperation(operation) {
		panic(fmt.Sprintf("intunedtest: InjectFault: %q is no operation (use the constants, such as ProjectRunStart)", operation))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < n; i++ {
		s.faults[operation] = append(s.faults[operation], f)
	}
}

func (s *Server) takeFault(operation string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[operation]
	if len(q) == 0 {
		return Fault{}, false
	}
	s.faults[operation] = q[1:]
	return q[0], true
}

// apply makes a call meet f, and reports whether the call is still to be
// served (a fault of latency alone).
func (f Fault) apply(w http.ResponseWriter, r *http.Request) (serve bool) {
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-r.Context().Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
	switch {
	case f.Drop:
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	case f.Status != 0:
		ct := f.ContentType
		if ct == "" {
			ct = "text/plain; charset=utf-8"
		}
		w.Header().Set("Content-Type", ct)
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		w.WriteHeader(f.Status)
		io.WriteString(w, f.Body)
	default:
		return true
	}
	return false
}

// isOperation reports whether name is an operation of the spec.
func isOperation(name string) bool {
	for _, r := range routes {
		if r.id == name {
			return true
		}
	}
	return false
}
