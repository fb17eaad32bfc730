package sdk_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

// fast retries quickly, so that tests do not wait.
var fast = sdk.RetryConfig{Strategy: sdk.RetryStrategyBackoff, Backoff: sdk.BackoffConfig{InitialInterval: time.Millisecond, MaxInterval: 5 * time.Millisecond}}

// instant retries at once, for tests that run hundreds of retried calls.
var instant = sdk.RetryConfig{Strategy: sdk.RetryStrategyBackoff, Backoff: sdk.BackoffConfig{InitialInterval: time.Microsecond, MaxInterval: 10 * time.Microsecond}}

func start(c *sdk.Client, opts ...sdk.Option) (sdk.AuthSessionOperationStarted, error) {
	return c.Project.AuthSessions.Update.Start(context.Background(), "p",
		sdk.AuthSessionUpdateRequest{ID: "s", Parameters: sdk.ParametersObject{"k": "v"}}, opts...)
}

// result reads the result of an update: a GET, which is idempotent.
func result(c *sdk.Client, opts ...sdk.Option) (sdk.AuthSessionOperationResult, error) {
	return c.Project.AuthSessions.Update.Result(context.Background(), "p", "o", opts...)
}

// pending answers as a result call does.
var pending = reply(200, `{"status":"pending"}`)

// failing answers the first n requests with status (and Retry-After, if
// set), then succeeds as start does.
func failing(n, status int, retryAfter string) handler {
	return failingThen(n, status, retryAfter, reply(201, startOK))
}

// failingThen answers the first n requests with status (and Retry-After, if
// set), then with then.
func failingThen(n, status int, retryAfter string, then handler) handler {
	return func(w http.ResponseWriter, r *http.Request, i int) {
		if i <= n {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			raw(status, "text/plain", "try again")(w, r, i)
			return
		}
		then(w, r, i)
	}
}

func wantStatus(t *testing.T, err error, code int) {
	t.Helper()
	var e *sdk.SDKError
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("err = %v (%T), want *SDKError %d", err, err, code)
	}
}

func TestRetriesOffByDefault(t *testing.T) {
	noLeaks(t)
	s := newServer(t, failing(1, 503, ""))
	_, err := start(newClient(t, s))
	wantStatus(t, err, 503)
	if s.count() != 1 {
		t.Errorf("%d requests, want 1", s.count())
	}
}

func TestRetryDefaultStatusCodes(t *testing.T) {
	noLeaks(t)
	for _, code := range []int{429, 500, 502, 503, 504} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			// A read is retried on every default code.
			s := newServer(t, failingThen(2, code, "", pending))
			if _, err := result(newClient(t, s, sdk.WithRetryConfig(fast))); err != nil {
				t.Fatal(err)
			}
			if s.count() != 3 {
				t.Fatalf("result: %d requests, want 3", s.count())
			}
			// So is a start, once the caller accepts that it may act twice
			// (without RetryNonIdempotent, see
			// TestRetryOfOperationsThatAreNotIdempotent).
			unsafe := fast
			unsafe.RetryNonIdempotent = true
			s = newServer(t, failing(2, code, ""))
			if _, err := start(newClient(t, s, sdk.WithRetryConfig(unsafe))); err != nil {
				t.Fatal(err)
			}
			reqs := s.requests()
			if len(reqs) != 3 {
				t.Fatalf("%d requests, want 3", len(reqs))
			}
			// A retried POST sends the same body again.
			for _, r := range reqs[1:] {
				if string(r.Body) != string(reqs[0].Body) || r.Method != "POST" {
					t.Errorf("retry sent %s %s, first sent %s", r.Method, r.Body, reqs[0].Body)
				}
			}
		})
	}
	for _, code := range []int{400, 401, 404, 501, 505} {
		t.Run(fmt.Sprint(code, " not retried"), func(t *testing.T) {
			s := newServer(t, failing(1, code, ""))
			_, err := start(newClient(t, s, sdk.WithRetryConfig(fast)))
			wantStatus(t, err, code)
			if s.count() != 1 {
				t.Errorf("%d requests, want 1", s.count())
			}
			s = newServer(t, failingThen(1, code, "", pending))
			_, err = result(newClient(t, s, sdk.WithRetryConfig(fast)))
			wantStatus(t, err, code)
			if s.count() != 1 {
				t.Errorf("result: %d requests, want 1", s.count())
			}
		})
	}
}

func TestRetryStatusCodesOption(t *testing.T) {
	noLeaks(t)
	s := newServer(t, failingThen(2, 507, "", pending))
	c := newClient(t, s, sdk.WithRetryConfig(fast))
	_, err := result(c)
	wantStatus(t, err, 507)
	if _, err := result(c, sdk.WithRetryStatusCodes("5XX")); err != nil {
		t.Fatal(err)
	}
	if s.count() != 3 {
		t.Errorf("%d requests, want 3", s.count())
	}

	// A start (not idempotent) is retried on a listed code only where the
	// server cannot have acted on it: a 507 comes back at once.
	s = newServer(t, failing(1, 507, ""))
	_, err = start(newClient(t, s, sdk.WithRetryConfig(fast)), sdk.WithRetryStatusCodes("5XX"))
	wantStatus(t, err, 507)
	if s.count() != 1 {
		t.Errorf("start: %d requests, want 1", s.count())
	}

	// A call's own list replaces the default: 503 is no longer retried.
	s = newServer(t, failing(1, 503, ""))
	_, err = start(newClient(t, s, sdk.WithRetryConfig(fast)), sdk.WithRetryStatusCodes("418", "4xx"))
	wantStatus(t, err, 503)

	for _, bad := range []string{"5X", "5xxx", "600", "99", "abc", "", "6XX", "0XX"} {
		if _, err := sdk.New(sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithRetryStatusCodes(bad)); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("WithRetryStatusCodes(%q): err = %v, want an argument error", bad, err)
		}
	}
}

func TestRetryPerCallConfig(t *testing.T) {
	noLeaks(t)
	s := newServer(t, failing(1, 503, ""))
	c := newClient(t, s) // retries off for the client
	if _, err := start(c, sdk.WithRetryConfig(fast)); err != nil {
		t.Fatal(err)
	}
	// And off again for a call when the client has them on.
	s = newServer(t, failing(1, 503, ""))
	_, err := start(newClient(t, s, sdk.WithRetryConfig(fast)), sdk.WithRetryConfig(sdk.RetryConfig{Strategy: sdk.RetryStrategyNone}))
	wantStatus(t, err, 503)
}

func TestRetryAfter(t *testing.T) {
	noLeaks(t)
	slow := sdk.RetryConfig{Strategy: sdk.RetryStrategyBackoff, Backoff: sdk.BackoffConfig{InitialInterval: 20 * time.Second, MaxInterval: 30 * time.Second}}
	tests := []struct {
		name     string
		header   func() string
		cfg      sdk.RetryConfig
		min, max time.Duration
	}{
		{"seconds", func() string { return "1" }, slow, 900 * time.Millisecond, 5 * time.Second},
		{"HTTP date", func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) }, slow, 500 * time.Millisecond, 5 * time.Second},
		{"capped by MaxInterval", func() string { return "3600" }, fast, 0, 2 * time.Second},
		{"malformed falls back to backoff", func() string { return "soon" }, fast, 0, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, failing(1, 429, tt.header()))
			begin := time.Now()
			if _, err := start(newClient(t, s, sdk.WithRetryConfig(tt.cfg))); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(begin); d < tt.min || d > tt.max {
				t.Errorf("took %v, want between %v and %v", d, tt.min, tt.max)
			}
			if s.count() != 2 {
				t.Errorf("%d requests, want 2", s.count())
			}
		})
	}
}

func TestRetryGivesUpAfterMaxElapsedTime(t *testing.T) {
	noLeaks(t)
	s := newServer(t, failing(1<<30, 503, ""))
	cfg := sdk.RetryConfig{Strategy: sdk.RetryStrategyBackoff, Backoff: sdk.BackoffConfig{
		InitialInterval: 5 * time.Millisecond, MaxInterval: 10 * time.Millisecond, MaxElapsedTime: 60 * time.Millisecond}}
	begin := time.Now()
	_, err := start(newClient(t, s, sdk.WithRetryConfig(cfg)))
	wantStatus(t, err, 503) // the last answer, as it is
	if d := time.Since(begin); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	if n := s.count(); n < 3 {
		t.Errorf("%d requests, want several", n)
	}
}

// dropping closes the connection of the first n requests without answering
// (after reading the request), then answers with then.
func dropping(n int, then handler) handler {
	return func(w http.ResponseWriter, r *http.Request, i int) {
		if i <= n {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		then(w, r, i)
	}
}

func TestRetryConnectionErrors(t *testing.T) {
	noLeaks(t)
	s := newServer(t, dropping(2, pending))
	cfg := fast
	cfg.RetryConnectionErrors = true
	if _, err := result(newClient(t, s, sdk.WithRetryConfig(cfg))); err != nil {
		t.Fatal(err)
	}
	if s.count() != 3 {
		t.Errorf("%d requests, want 3", s.count())
	}

	// Without the flag, a dropped connection is returned at once.
	s = newServer(t, dropping(1, pending))
	_, err := result(newClient(t, s, sdk.WithRetryConfig(fast)))
	if err == nil || errors.Is(err, sdk.ErrInvalidArgument) {
		t.Fatalf("err = %v, want a transport error", err)
	}
	if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		var ne net.Error
		if !errors.As(err, &ne) {
			t.Errorf("err = %v does not keep its cause", err)
		}
	}
	if s.count() != 1 {
		t.Errorf("%d requests, want 1", s.count())
	}
}

func TestRetryRefusedConnection(t *testing.T) {
	noLeaks(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	cfg := sdk.RetryConfig{Strategy: sdk.RetryStrategyBackoff, RetryConnectionErrors: true, Backoff: sdk.BackoffConfig{
		InitialInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond, MaxElapsedTime: 30 * time.Millisecond}}
	c, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID("w"), sdk.WithServerURL("http://"+addr), sdk.WithRetryConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	_, err = start(c)
	var ne net.Error
	if !errors.As(err, &ne) {
		t.Fatalf("err = %v (%T), want a net.Error", err, err)
	}
}

func TestTimeoutPerAttempt(t *testing.T) {
	noLeaks(t)
	// The first attempt stalls past the timeout; the retry answers at once.
	stallFirst := func(then handler) handler {
		return func(w http.ResponseWriter, r *http.Request, n int) {
			if n == 1 {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
				return
			}
			then(w, r, n)
		}
	}
	s := newServer(t, stallFirst(pending))
	cfg := fast
	cfg.RetryConnectionErrors = true
	begin := time.Now()
	if _, err := result(newClient(t, s, sdk.WithRetryConfig(cfg), sdk.WithTimeout(100*time.Millisecond))); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(begin); d > 3*time.Second {
		t.Errorf("took %v", d)
	}

	// A start whose request was sent before the timeout may have acted: it
	// is not sent again.
	s = newServer(t, stallFirst(reply(201, startOK)))
	_, err := start(newClient(t, s, sdk.WithRetryConfig(cfg), sdk.WithTimeout(100*time.Millisecond)))
	var te *sdk.TransportError
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || !errors.As(err, &te) || !te.RequestSent {
		t.Fatalf("start: err = %#v, want a timeout after the request was sent", err)
	}
	if s.count() != 1 {
		t.Errorf("start: %d requests, want 1", s.count())
	}

	// Without retries the timeout surfaces as context.DeadlineExceeded.
	s = newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		<-r.Context().Done()
	})
	_, err = start(newClient(t, s, sdk.WithTimeout(50*time.Millisecond)))
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.DeadlineExceeded and not context.Canceled", err)
	}
}

func TestContextEndsTheCall(t *testing.T) {
	noLeaks(t)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		<-r.Context().Done()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	begin := time.Now()
	_, err := newClient(t, s).Project.AuthSessions.Update.Result(ctx, "p", "o")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(begin); d > time.Second {
		t.Errorf("took %v", d)
	}
}

func TestCancelDuringRetryWait(t *testing.T) {
	noLeaks(t)
	s := newServer(t, failing(1<<30, 503, "30"))
	cfg := sdk.RetryConfig{Strategy: sdk.RetryStrategyBackoff, Backoff: sdk.BackoffConfig{InitialInterval: 30 * time.Second}}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	begin := time.Now()
	_, err := newClient(t, s, sdk.WithRetryConfig(cfg)).Project.AuthSessions.Update.Result(ctx, "p", "o")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(begin); d > 500*time.Millisecond {
		t.Errorf("cancel took %v to end the wait", d)
	}
	if s.count() != 1 {
		t.Errorf("%d requests, want 1", s.count())
	}
}

func TestInvalidRetryConfig(t *testing.T) {
	noLeaks(t)
	for _, rc := range []sdk.RetryConfig{
		{Strategy: "sometimes"},
		{Strategy: sdk.RetryStrategyBackoff, Backoff: sdk.BackoffConfig{InitialInterval: -1}},
		{Strategy: sdk.RetryStrategyBackoff, Backoff: sdk.BackoffConfig{MaxElapsedTime: -time.Second}},
		{Strategy: sdk.RetryStrategyBackoff, Backoff: sdk.BackoffConfig{Exponent: 0.5}},
	} {
		if _, err := sdk.New(sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithRetryConfig(rc)); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("%+v: err = %v, want an argument error", rc, err)
		}
	}
}

// notIdempotent are the rows of allOperations that start something each
// time they are sent (x-idempotent: false in openapi.yaml: among them the
// file extractions' sync and start, while their result is a read; and
// project.queues.create without an ID: x-idempotent-when: id). Every other
// row is idempotent: reads, deletes, jobs.create (the job names its ID),
// jobs.pause, .resume, jobs.runs.terminate, repeatItems.update (a PUT), and
// queues.create with an ID.
var notIdempotent = map[string]bool{
	"project.authSessions.update.start":   true,
	"project.authSessions.update.resume":  true,
	"project.authSessions.create.start":   true,
	"project.authSessions.create.resume":  true,
	"project.authSessions.recorder.start": true,
	"project.run.sync":                    true,
	"project.run.start":                   true,
	"project.jobs.trigger":                true,
	"project.queues.items.append":         true,
	"project.queues.repeatItems.append":   true,
	"project.queues.create (without ID)":  true,
	"files.extractMarkdown.sync":          true,
	"files.extractMarkdown.start":         true,
	"files.extractTables.sync":            true,
	"files.extractTables.start":           true,
	"files.extractStructuredData.sync":    true,
	"files.extractStructuredData.start":   true,
}

// With retries on, an operation that is not idempotent is retried only on
// an answer that says the server did not act (429, 503), unless the caller
// sets RetryNonIdempotent; reads and deletes follow the policy as it is.
func TestRetryOfOperationsThatAreNotIdempotent(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	for _, op := range allOperations {
		for _, code := range []int{429, 500, 502, 503, 504} {
			for _, unsafe := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%d/RetryNonIdempotent=%v", op.label(), code, unsafe), func(t *testing.T) {
					t.Parallel()
					cfg := instant
					cfg.RetryNonIdempotent = unsafe
					s := newServer(t, failingThen(2, code, "", reply(op.success, op.body)))
					_, err := op.call(ctx, newClient(t, s), sdk.WithRetryConfig(cfg))
					if !notIdempotent[op.label()] || unsafe || code == 429 || code == 503 {
						if err != nil {
							t.Fatalf("err = %v, want a retried success", err)
						}
						if s.count() != 3 {
							t.Errorf("%d requests, want 3", s.count())
						}
						return
					}
					wantStatus(t, err, code)
					if s.count() != 1 {
						t.Errorf("%d requests, want exactly 1: the server may have acted on it", s.count())
					}
				})
			}
		}
	}
}

// closedAddr returns a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// refusingFirst returns an HTTP client whose first n dials go to an address
// where nothing listens (the connection is refused, nothing is sent), and
// the count of its dials.
func refusingFirst(t *testing.T, n int32) (*http.Client, *atomic.Int32) {
	t.Helper()
	closed := closedAddr(t)
	var dials atomic.Int32
	var d net.Dialer
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) <= n {
			return d.DialContext(ctx, network, closed)
		}
		return d.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}, &dials
}

// A refused connection never sent the request: a start is retried on it
// with RetryConnectionErrors.
func TestRetryRefusedConnectionOnStart(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(201, startOK))
	hc, dials := refusingFirst(t, 2)
	cfg := fast
	cfg.RetryConnectionErrors = true
	if _, err := start(newClient(t, s, sdk.WithRetryConfig(cfg), sdk.WithHTTPClient(hc))); err != nil {
		t.Fatal(err)
	}
	if dials.Load() != 3 || s.count() != 1 {
		t.Errorf("%d dials and %d requests, want 3 and 1", dials.Load(), s.count())
	}

	// Without RetryConnectionErrors, the refusal comes back at once.
	hc, dials = refusingFirst(t, 1)
	_, err := start(newClient(t, s, sdk.WithRetryConfig(fast), sdk.WithHTTPClient(hc)))
	var te *sdk.TransportError
	if !errors.As(err, &te) || te.RequestSent || te.Operation != "project.authSessions.update.start" {
		t.Fatalf("err = %#v, want a *TransportError before anything was sent", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) {
		t.Errorf("err = %v does not keep its cause", err)
	}
	if dials.Load() != 1 || s.count() != 1 {
		t.Errorf("%d dials and %d requests in all, want 1 and 1", dials.Load(), s.count())
	}
}

// A connection lost after the request was written may have started
// something: a start is not sent again (unless RetryNonIdempotent), a read
// is.
func TestRetryConnectionLostAfterTheRequestWasSent(t *testing.T) {
	noLeaks(t)
	cfg := fast
	cfg.RetryConnectionErrors = true

	s := newServer(t, dropping(1, reply(201, startOK)))
	_, err := start(newClient(t, s, sdk.WithRetryConfig(cfg)))
	var te *sdk.TransportError
	if !errors.As(err, &te) || !te.RequestSent || te.Operation != "project.authSessions.update.start" {
		t.Fatalf("err = %#v, want a *TransportError after the request was sent", err)
	}
	if s.count() != 1 {
		t.Errorf("start: %d requests, want 1", s.count())
	}

	unsafe := cfg
	unsafe.RetryNonIdempotent = true
	s = newServer(t, dropping(1, reply(201, startOK)))
	if _, err := start(newClient(t, s, sdk.WithRetryConfig(unsafe))); err != nil {
		t.Fatal(err)
	}
	if s.count() != 2 {
		t.Errorf("start with RetryNonIdempotent: %d requests, want 2", s.count())
	}

	s = newServer(t, dropping(1, pending))
	if _, err := result(newClient(t, s, sdk.WithRetryConfig(cfg))); err != nil {
		t.Fatal(err)
	}
	if s.count() != 2 {
		t.Errorf("result: %d requests, want 2", s.count())
	}
}

// A server certificate that does not verify will not verify next time
// either: the attempt is not retried, even with RetryConnectionErrors, and
// the cause is kept.
func TestRetryNotOnAnUnverifiedCertificate(t *testing.T) {
	noLeaks(t)
	var conns atomic.Int32
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshakes that fail
	s.StartTLS()
	defer s.Close()
	cfg := fast
	cfg.RetryConnectionErrors = true
	cfg.Backoff.MaxElapsedTime = 50 * time.Millisecond // a retry, wrongly made, shows as more connections
	hc := &http.Client{Transport: &http.Transport{}}   // trusts the system's roots only, not the test server's
	defer hc.CloseIdleConnections()
	c, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(s.URL), sdk.WithRetryConfig(cfg), sdk.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	_, err = result(c)
	var te *sdk.TransportError
	var ce *tls.CertificateVerificationError
	if !errors.As(err, &te) || !errors.As(err, &ce) {
		t.Fatalf("err = %v (%T), want a *TransportError around a *tls.CertificateVerificationError", err, err)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1 (no retry)", n)
	}
}

// A wait rides out a poll that got no answer even when the client's retries
// are off: waits use the client's retry policy with connection errors
// always on.
func TestWaitRidesOutAConnectionErrorWithRetriesOff(t *testing.T) {
	noLeaks(t)
	s := newServer(t, dropping(1, reply(200, `{"status":"done","authSessionId":"s"}`)))
	if _, err := newClient(t, s).Project.AuthSessions.Update.Operation("p", "o").Wait(context.Background(), quick); err != nil {
		t.Fatal(err)
	}
	if s.count() != 2 {
		t.Errorf("%d requests, want 2", s.count())
	}
}
