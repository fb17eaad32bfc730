package sdk

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The default HTTP client bounds every phase of a request, so that a call
// made with no deadline and no timeout still ends.
func TestDefaultHTTPClientIsBounded(t *testing.T) {
	hc := defaultHTTPClient
	tr := hc.Transport.(*http.Transport)
	if tr.TLSHandshakeTimeout <= 0 || tr.MaxResponseHeaderBytes <= 0 || tr.IdleConnTimeout <= 0 {
		t.Errorf("unbounded: TLS %v, header bytes %d, idle %v", tr.TLSHandshakeTimeout, tr.MaxResponseHeaderBytes, tr.IdleConnTimeout)
	}
	// Per-attempt bounds come from epochs (deadline.go), not from timers
	// per request, which cost more than the rest of a call on loopback.
	if hc.Timeout != 0 || tr.ResponseHeaderTimeout != 0 {
		t.Errorf("timer per request: client timeout %v, header timeout %v", hc.Timeout, tr.ResponseHeaderTimeout)
	}
	if tr.DialContext == nil || tr.MaxIdleConnsPerHost < 64 {
		t.Errorf("dialer %v, idle connections per host %d", tr.DialContext != nil, tr.MaxIdleConnsPerHost)
	}
	if hc.CheckRedirect == nil {
		t.Error("the default client follows redirects to any host")
	}
}

// With no deadline and no WithTimeout, a stalled attempt is cut off after
// one to two bound periods, reports context.DeadlineExceeded, and leaves no
// goroutine or timer running.
func TestDefaultAttemptBound(t *testing.T) {
	old := boundPeriod
	boundPeriod = 40 * time.Millisecond
	defer func() { boundPeriod = old }()

	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer stall.Close()
	quick := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"pending"}`))
	}))
	defer quick.Close()

	c, err := New(WithAPIKey("key-0123456789"), WithWorkspaceID("w"), WithServerURL(stall.URL))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Calls that end quickly meanwhile do not disturb the bound.
			for j := 0; j < 20; j++ {
				if _, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o", WithServerURL(quick.URL)); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	begin := time.Now()
	_, err = c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
	took := time.Since(begin)
	wg.Wait()
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "default bound") {
		t.Fatalf("err = %v, want the default bound", err)
	}
	if took < boundPeriod || took > 2*boundPeriod+100*time.Millisecond {
		t.Errorf("cut off after %v, want between %v and %v", took, boundPeriod, 2*boundPeriod)
	}
	// The rotation stops once nothing runs.
	deadline := time.Now().Add(time.Second)
	for {
		attemptEpochs.mu.Lock()
		armed, active := attemptEpochs.armed, attemptEpochs.active
		attemptEpochs.mu.Unlock()
		if !armed && active == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("epochs still armed (%v) with %d active attempts", armed, active)
		}
		time.Sleep(10 * time.Millisecond)
	}

	// A caller's deadline replaces the default bound.
	ctx, cancel := context.WithTimeout(context.Background(), 3*boundPeriod)
	defer cancel()
	begin = time.Now()
	_, err = c.Project.AuthSessions.Update.Result(ctx, "p", "o")
	if took := time.Since(begin); !errors.Is(err, context.DeadlineExceeded) || took < 3*boundPeriod-5*time.Millisecond {
		t.Errorf("with a caller deadline: err = %v after %v", err, took)
	}
}
