package sdk

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
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
	// Attempts are bounded by a context deadline each (transport.go), not
	// by the client, so that a caller's longer deadline can win.
	if hc.Timeout != 0 || tr.ResponseHeaderTimeout != 0 {
		t.Errorf("client-wide timeouts: client timeout %v, header timeout %v", hc.Timeout, tr.ResponseHeaderTimeout)
	}
	if tr.DialContext == nil || tr.MaxIdleConnsPerHost < 64 {
		t.Errorf("dialer %v, idle connections per host %d", tr.DialContext != nil, tr.MaxIdleConnsPerHost)
	}
	if hc.CheckRedirect == nil {
		t.Error("the default client follows redirects to any host")
	}
}

// With no deadline and no WithTimeout, a stalled attempt is cut off after
// the default attempt timeout with an error that matches
// context.DeadlineExceeded and not context.Canceled (nobody cancelled
// anything), and a caller's deadline replaces the default.
func TestDefaultAttemptTimeout(t *testing.T) {
	old := defaultAttemptTimeout
	defaultAttemptTimeout = 50 * time.Millisecond
	defer func() { defaultAttemptTimeout = old }()

	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer stall.Close()
	c, err := New(WithAPIKey("key-0123456789"), WithWorkspaceID("w"), WithServerURL(stall.URL))
	if err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	_, err = c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
	took := time.Since(begin)
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v: want context.DeadlineExceeded and not context.Canceled", err)
	}
	var te *TransportError
	if !errors.As(err, &te) || te.Operation != "project.authSessions.update.result" {
		t.Errorf("err = %#v, want a *TransportError naming the operation", err)
	}
	if took < defaultAttemptTimeout || took > defaultAttemptTimeout+time.Second {
		t.Errorf("cut off after %v, want about %v", took, defaultAttemptTimeout)
	}

	// A caller's deadline replaces the default bound.
	ctx, cancel := context.WithTimeout(context.Background(), 3*defaultAttemptTimeout)
	defer cancel()
	begin = time.Now()
	_, err = c.Project.AuthSessions.Update.Result(ctx, "p", "o")
	if took := time.Since(begin); !errors.Is(err, context.DeadlineExceeded) || took < 3*defaultAttemptTimeout-5*time.Millisecond {
		t.Errorf("with a caller deadline: err = %v after %v", err, took)
	}

	// A cancellation is a cancellation, not a timeout.
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel)
	_, err = c.Project.AuthSessions.Update.Result(ctx, "p", "o")
	if !errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled: err = %v, want context.Canceled only", err)
	}
}
