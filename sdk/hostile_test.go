package sdk_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/intuned/intuned-go/internal/leakcheck"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// noLeaks checks, after the test and its cleanups, that no goroutine it
// started is still running. Idle keep-alive connections are closed first:
// they belong to the shared pool, not to a call.
func noLeaks(t *testing.T, clients ...*sdk.Client) {
	t.Helper()
	ignore := leakcheck.Snapshot()
	t.Cleanup(func() {
		for _, c := range clients {
			c.CloseIdleConnections()
		}
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		if err := leakcheck.Find(ignore); err != nil {
			t.Errorf("goroutines outlived the test: %v", err)
		}
	})
}

func TestRedirectToAnotherHostKeepsTheKey(t *testing.T) {
	noLeaks(t)
	var leaked atomic.Int32
	other := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Header.Get("X-Api-Key") != "" {
			leaked.Add(1)
		}
		reply(200, `{"status":"pending"}`)(w, r, n)
	})
	for _, code := range []int{301, 302, 303, 307, 308} {
		origin := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			http.Redirect(w, r, other.URL+r.URL.Path, code)
		})
		c := newClient(t, origin)
		_, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
		var se *sdk.SDKError
		if !errors.As(err, &se) || se.Code != code || !strings.HasPrefix(se.Header.Get("Location"), other.URL) {
			t.Fatalf("%d: err = %v, want the redirect as an *SDKError", code, err)
		}
		// A user's client that follows everything is guarded all the same.
		permissive := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
		_, err = c.Project.AuthSessions.Update.Start(context.Background(), "p", sdk.AuthSessionUpdateRequest{ID: "s"}, sdk.WithHTTPClient(permissive))
		if !errors.As(err, &se) || se.Code != code {
			t.Fatalf("%d with a permissive client: err = %v", code, err)
		}
	}
	if other.count() != 0 || leaked.Load() != 0 {
		t.Errorf("the other host got %d requests, %d with the key", other.count(), leaked.Load())
	}
}

func TestRedirectWithinTheOriginIsFollowed(t *testing.T) {
	noLeaks(t)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if strings.HasSuffix(r.URL.Path, "/result") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusTemporaryRedirect)
			return
		}
		reply(200, `{"status":"pending"}`)(w, r, n)
	})
	if _, err := newClient(t, s).Project.AuthSessions.Update.Result(context.Background(), "p", "o"); err != nil {
		t.Fatal(err)
	}
	reqs := s.requests()
	if len(reqs) != 2 || reqs[1].Header.Get("X-Api-Key") != testKey {
		t.Fatalf("%d requests; second key %q", len(reqs), reqs[1].Header.Get("X-Api-Key"))
	}
}

func TestRedirectFromHTTPSToHTTPIsNotFollowed(t *testing.T) {
	noLeaks(t)
	plain := newServer(t, reply(200, `{"status":"pending"}`))
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Same host and port as far as the client can tell? No: only the scheme differs here.
		http.Redirect(w, r, "http://"+r.Host+r.URL.Path, http.StatusFound)
	}))
	defer secure.Close()
	c, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID("w"), sdk.WithServerURL(secure.URL), sdk.WithHTTPClient(secure.Client()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
	var se *sdk.SDKError
	if !errors.As(err, &se) || se.Code != http.StatusFound || !strings.HasPrefix(se.Header.Get("Location"), "http://") {
		t.Fatalf("err = %v, want the 302 as an *SDKError", err)
	}
	if plain.count() != 0 {
		t.Errorf("plain server got %d requests", plain.count())
	}
	// The TLS server is also reached with the key as usual.
	_ = plain
}

func TestPlainHTTPIsRefusedOffLoopback(t *testing.T) {
	noLeaks(t)
	base := []sdk.Option{sdk.WithAPIKey(testKey), sdk.WithWorkspaceID("w")}
	for _, u := range []string{"http://app.intuned.io/api", "http://10.0.0.8:8080", "http://example.com"} {
		_, err := sdk.New(append(base, sdk.WithServerURL(u))...)
		if !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), "in clear") {
			t.Errorf("%s: err = %v, want refusal", u, err)
		}
		if _, err := sdk.New(append(base, sdk.WithServerURL(u), sdk.WithInsecurePlainHTTP())...); err != nil {
			t.Errorf("%s with opt-in: %v", u, err)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://127.9.9.9", "http://localhost:1", "http://[::1]:80", "https://example.com"} {
		if _, err := sdk.New(append(base, sdk.WithServerURL(u))...); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	// A call cannot switch to plain http either.
	s := newServer(t, reply(200, `{"status":"pending"}`))
	_, err := newClient(t, s).Project.AuthSessions.Update.Result(context.Background(), "p", "o", sdk.WithServerURL("http://example.com"))
	if !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Errorf("per call: err = %v", err)
	}
}

// endless streams status and content type, then bytes until the client goes.
func endless(status int, contentType string) handler {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		chunk := bytes.Repeat([]byte(`{"status":"pending","pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},`), 1024)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

func allocatedDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestEndlessBodiesAreCut(t *testing.T) {
	noLeaks(t)
	s := newServer(t, endless(200, "application/json"))
	c := newClient(t, s)
	var err error
	alloc := allocatedDuring(func() { _, err = c.Project.AuthSessions.Update.Result(context.Background(), "p", "o") })
	var ve *sdk.ResponseValidationError
	if !errors.As(err, &ve) || !strings.Contains(ve.Reason, "larger than") || len(ve.Body) > sdk.MaxErrorBodySize {
		t.Fatalf("err = %v, want a *ResponseValidationError for the size", err)
	}
	if alloc > 4*sdk.MaxResponseBodySize {
		t.Errorf("an endless success body cost %d MiB of allocation", alloc>>20)
	}
	t.Logf("endless success body: %.1f MiB allocated in all", float64(alloc)/(1<<20))

	s = newServer(t, endless(500, "text/plain"))
	c = newClient(t, s)
	alloc = allocatedDuring(func() { _, err = c.Project.AuthSessions.Update.Result(context.Background(), "p", "o") })
	var se *sdk.SDKError
	if !errors.As(err, &se) || !se.BodyTruncated || len(se.Body) != sdk.MaxErrorBodySize {
		t.Fatalf("err = %v, want a truncated *SDKError", err)
	}
	if alloc > 2<<20 {
		t.Errorf("an endless error body cost %d KiB of allocation", alloc>>10)
	}
	t.Logf("endless error body: %.1f KiB allocated in all", float64(alloc)/(1<<10))
}

func TestStalledServersAreCutOff(t *testing.T) {
	noLeaks(t)
	tests := []struct {
		name string
		h    handler
	}{
		{"never answers", func(w http.ResponseWriter, r *http.Request, n int) { <-r.Context().Done() }},
		{"headers then stall", func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			io.WriteString(w, `{"status":`)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}},
		{"trickles", func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			for r.Context().Err() == nil {
				io.WriteString(w, " ")
				w.(http.Flusher).Flush()
				time.Sleep(10 * time.Millisecond)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, tt.h)
			c := newClient(t, s)
			begin := time.Now()
			_, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o", sdk.WithTimeout(150*time.Millisecond))
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want context.DeadlineExceeded", err)
			}
			if d := time.Since(begin); d > 2*time.Second {
				t.Errorf("cut off after %v", d)
			}
		})
	}
}

func TestCancelInterruptsWithin50ms(t *testing.T) {
	noLeaks(t)
	measure := func(t *testing.T, s *server, opts ...sdk.Option) {
		t.Helper()
		c := newClient(t, s, opts...)
		ctx, cancel := context.WithCancel(context.Background())
		var cancelled atomic.Int64
		time.AfterFunc(30*time.Millisecond, func() { cancelled.Store(time.Now().UnixNano()); cancel() })
		_, err := c.Project.AuthSessions.Update.Result(ctx, "p", "o")
		returned := time.Now().UnixNano()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if d := time.Duration(returned - cancelled.Load()); d > 50*time.Millisecond {
			t.Errorf("returned %v after the cancel", d)
		}
	}
	t.Run("in flight", func(t *testing.T) {
		measure(t, newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { <-r.Context().Done() }))
	})
	t.Run("retry wait", func(t *testing.T) {
		slow := sdk.RetryConfig{Strategy: sdk.RetryStrategyBackoff, Backoff: sdk.BackoffConfig{InitialInterval: time.Minute}}
		measure(t, newServer(t, raw(503, "text/plain", "busy")), sdk.WithRetryConfig(slow))
	})
}

// One client, 100 goroutines, retries on, faults injected: every call ends
// well, and nothing races (go test -race).
func TestConcurrentUseWithFaults(t *testing.T) {
	noLeaks(t)
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = fmt.Sprintf("session-%d", i)
	}
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", ids...))
	defer srv.Close()
	srv.DefaultScript(intunedtest.Pending(1), intunedtest.OTP("Code?", "1"), intunedtest.Done(""))
	for _, op := range []string{intunedtest.ProjectAuthSessionsUpdateStart, intunedtest.ProjectAuthSessionsUpdateResult, intunedtest.ProjectAuthSessionsUpdateResume} {
		srv.InjectFault(op, 15, intunedtest.Fault{Status: 503})
		srv.InjectFault(op, 10, intunedtest.Fault{Status: 429, RetryAfter: "0"})
		srv.InjectFault(op, 5, intunedtest.Fault{Drop: true})
		srv.InjectFault(op, 5, intunedtest.Fault{Latency: 20 * time.Millisecond})
	}
	// The fake drops a connection before it serves the call, so sending a
	// start or a resume again after a drop is safe here: RetryNonIdempotent
	// retries every operation alike, through every injected fault.
	retry := sdk.RetryConfig{Strategy: sdk.RetryStrategyBackoff, RetryConnectionErrors: true, RetryNonIdempotent: true,
		Backoff: sdk.BackoffConfig{InitialInterval: time.Millisecond, MaxInterval: 5 * time.Millisecond, MaxElapsedTime: 30 * time.Second}}
	c, err := srv.NewClient(sdk.WithRetryConfig(retry))
	if err != nil {
		t.Fatal(err)
	}
	noLeaks(t, c)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("session-%d", i)
			got, err := c.Project.AuthSessions.Update.StartAndWait(context.Background(), "p", sdk.AuthSessionUpdateRequest{ID: id},
				func(context.Context, sdk.InfoRequest) (string, error) { return "1", nil }, quick)
			if err == nil && got != id {
				err = fmt.Errorf("got %s, want %s", got, id)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// Response bodies are always read and closed: sequential calls, successes
// and errors alike, reuse one connection.
func TestConnectionsAreReused(t *testing.T) {
	noLeaks(t)
	var conns atomic.Int32
	s := &server{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.reqs = append(s.reqs, recorded{})
		n := len(s.reqs)
		s.mu.Unlock()
		switch n % 4 {
		case 0:
			reply(200, `{"status":"pending"}`)(w, r, n)
		case 1:
			reply(400, `{"message":"no"}`)(w, r, n)
		case 2:
			raw(500, "text/html", "<h1>down</h1>")(w, r, n)
		default:
			reply(200, `{"status":"bogus-but-json`)(w, r, n)
		}
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	s.Start()
	defer s.Close()
	c := newClient(t, s, sdk.WithHTTPClient(&http.Client{Transport: &http.Transport{}}))
	for i := 0; i < 40; i++ {
		c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("40 sequential calls opened %d connections, want 1", n)
	}
}

// The API key appears in no error, log record or printed value of the SDK's,
// even when a server echoes it back; a success answer that holds it is the
// caller's data, returned as it is.
func TestAPIKeyNeverLeaks(t *testing.T) {
	noLeaks(t)
	const key = "sk-live-6b1d0c5e9f2a4c87"
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.Level(-100)}))
	echo := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		got := r.Header.Get("X-Api-Key")
		w.Header().Set("X-Echo", "key="+got)
		switch n % 4 {
		case 1:
			reply(401, `{"message":"bad key `+got+`","key":"`+got+`"}`)(w, r, n)
		case 2:
			reply(400, `{"message":"x","details":[{"got":"`+got+`"}]}`)(w, r, n)
		case 3:
			raw(500, "text/plain", "upstream said "+got)(w, r, n)
		default:
			reply(200, `{"status":"failed","error":"e","message":"`+got+`"}`)(w, r, n)
		}
	})
	c, err := sdk.New(sdk.WithAPIKey(key), sdk.WithWorkspaceID("w"), sdk.WithServerURL(echo.URL), sdk.WithLogger(logger),
		sdk.WithRetryConfig(fast), sdk.WithRetryStatusCodes("418"))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	add := func(vs ...any) {
		for _, v := range vs {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
				texts = append(texts, fmt.Sprintf(verb, v))
			}
		}
	}
	for i := 0; i < 4; i++ {
		res, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
		add(err)
		if err != nil {
			texts = append(texts, err.Error())
		} else if failed, _ := res.(sdk.AuthSessionOperationFailed); failed.Message != key {
			// A success is the caller's data: left as the server sent it.
			t.Errorf("the success answer was changed: %#v", res)
		}
	}
	op := c.Project.AuthSessions.Update.Operation("p", "o")
	_, err = op.Wait(context.Background(), quick)
	add(err, op, c, *c, c.Project, sdk.WithAPIKey(key))
	texts = append(texts, logs.String())
	for _, text := range texts {
		if strings.Contains(text, key) {
			t.Errorf("the key leaked into %q", text)
		}
	}
	if !strings.Contains(logs.String(), `"status":401`) {
		t.Errorf("the log lacks the calls:\n%s", &logs)
	}
}

func TestInvalidUTF8InBodiesIsRefused(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(201, startOK))
	c := newClient(t, s)
	ctx := context.Background()
	bad := "caf\xe9"
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	for name, req := range map[string]sdk.AuthSessionUpdateRequest{
		"ID":              {ID: bad},
		"proxy":           {ID: "s", Proxy: sdk.Ptr(bad)},
		"parameter value": {ID: "s", Parameters: sdk.ParametersObject{"k": []any{map[string]any{"x": bad}}}},
		"parameter key":   {ID: "s", Parameters: sdk.ParametersObject{bad: 1}},
		"array value":     {ID: "s", Parameters: sdk.ParametersArray{bad}},
		"raw":             {ID: "s", Parameters: sdk.ParametersRaw(`{"k":"` + bad + `"}`)},
		"cycle":           {ID: "s", Parameters: sdk.ParametersObject(cyclic)},
	} {
		if _, err := c.Project.AuthSessions.Update.Start(ctx, "p", req); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want an argument error", name, err)
		}
	}
	for name, req := range map[string]sdk.AuthSessionOperationResumeRequest{
		"input":           {InfoRequestID: "i", Input: bad},
		"info request ID": {InfoRequestID: bad, Input: "1"},
	} {
		if _, err := c.Project.AuthSessions.Update.Resume(ctx, "p", "o", req); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want an argument error", name, err)
		}
	}
	if s.count() != 0 {
		t.Errorf("%d requests sent", s.count())
	}
}
