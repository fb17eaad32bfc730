package sdk_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

const (
	sinkSecretHeader = "Authorization"
	sinkSecret       = "Bearer sink-secret-6d1f07"
)

// sinkCalls records what a sink's callback was given, and answers as told.
type sinkCalls struct {
	mu      sync.Mutex
	results []sdk.SinkResult
	err     error // returned by every call
	panic   any   // if not nil, every call panics with it
}

func (c *sinkCalls) fn(ctx context.Context, res sdk.SinkResult) error {
	c.mu.Lock()
	c.results = append(c.results, res)
	c.mu.Unlock()
	if c.panic != nil {
		panic(c.panic)
	}
	return c.err
}

func (c *sinkCalls) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.results)
}

// counting is a body that counts the bytes read from it: size bytes of
// prefix followed by spaces, generated as they are read.
type counting struct {
	prefix string
	size   int64
	read   atomic.Int64
}

func (b *counting) Read(p []byte) (int, error) {
	off := b.read.Load()
	if off >= b.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), b.size-off))
	for i := range n {
		if pos := off + int64(i); pos < int64(len(b.prefix)) {
			p[i] = b.prefix[pos]
		} else {
			p[i] = ' '
		}
	}
	b.read.Add(int64(n))
	return n, nil
}

// sinkRequest is a request a sender could make: a POST of body as JSON with
// the secret, unless edit changes it.
func sinkRequest(body string, edit ...func(*http.Request)) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/hooks/intuned", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(sinkSecretHeader, sinkSecret)
	for _, e := range edit {
		e(r)
	}
	return r
}

func header(name string, values ...string) func(*http.Request) {
	return func(r *http.Request) { r.Header[http.CanonicalHeaderKey(name)] = values }
}

// The handler against what a hostile or broken sender may send: each is
// refused with its status and a short reason before the callback sees it.
func TestSinkHandlerRefuses(t *testing.T) {
	const limit = 4096
	tests := []struct {
		name    string
		req     func() (*http.Request, *counting)
		status  int
		body    string // a part of the answer's body
		maxRead int64  // the most of the body the handler may read
	}{
		{"GET", func() (*http.Request, *counting) {
			return sinkRequest("", func(r *http.Request) { r.Method = http.MethodGet }), nil
		}, 405, "POST only", 0},
		{"PUT with a payload", func() (*http.Request, *counting) {
			return sinkRequest(jobPayload, func(r *http.Request) { r.Method = http.MethodPut }), nil
		}, 405, "POST only", 0},
		{"no secret", func() (*http.Request, *counting) {
			b := &counting{prefix: jobPayload, size: int64(len(jobPayload))}
			r := sinkRequest("", header(sinkSecretHeader))
			r.Body = io.NopCloser(b)
			return r, b
		}, 401, "unauthorized", 0},
		{"a wrong secret", func() (*http.Request, *counting) {
			return sinkRequest(jobPayload, header(sinkSecretHeader, "Bearer sink-secret-6d1f08")), nil
		}, 401, "unauthorized", 0},
		{"the secret as a prefix", func() (*http.Request, *counting) {
			return sinkRequest(jobPayload, header(sinkSecretHeader, sinkSecret+"x")), nil
		}, 401, "unauthorized", 0},
		{"an empty secret", func() (*http.Request, *counting) {
			return sinkRequest(jobPayload, header(sinkSecretHeader, "")), nil
		}, 401, "unauthorized", 0},
		{"the secret twice", func() (*http.Request, *counting) {
			return sinkRequest(jobPayload, header(sinkSecretHeader, sinkSecret, sinkSecret)), nil
		}, 401, "unauthorized", 0},
		{"a wrong secret and the secret", func() (*http.Request, *counting) {
			return sinkRequest(jobPayload, header(sinkSecretHeader, "x", sinkSecret)), nil
		}, 401, "unauthorized", 0},
		{"no content type", func() (*http.Request, *counting) {
			return sinkRequest(jobPayload, header("Content-Type")), nil
		}, 415, "application/json", 0},
		{"text/plain", func() (*http.Request, *counting) {
			return sinkRequest(jobPayload, header("Content-Type", "text/plain")), nil
		}, 415, "application/json", 0},
		{"a JSON-like type", func() (*http.Request, *counting) {
			return sinkRequest(jobPayload, header("Content-Type", "application/jsonx")), nil
		}, 415, "application/json", 0},
		{"a charset other than UTF-8", func() (*http.Request, *counting) {
			return sinkRequest(jobPayload, header("Content-Type", "application/json; charset=iso-8859-1")), nil
		}, 415, "UTF-8", 0},
		{"a malformed content type", func() (*http.Request, *counting) {
			return sinkRequest(jobPayload, header("Content-Type", "application/json; =")), nil
		}, 415, "application/json", 0},
		{"a huge body, announced", func() (*http.Request, *counting) {
			b := &counting{prefix: jobPayload, size: 1 << 30}
			r := sinkRequest("")
			r.Body, r.ContentLength = io.NopCloser(b), b.size
			return r, b
		}, 413, "payload too large: the limit is 4096 bytes", 0},
		{"a huge body, chunked", func() (*http.Request, *counting) {
			b := &counting{prefix: jobPayload, size: 1 << 30}
			r := sinkRequest("")
			r.Body, r.ContentLength = io.NopCloser(b), -1
			return r, b
		}, 413, "payload too large", limit + 1},
		{"a body one byte too large", func() (*http.Request, *counting) {
			b := &counting{prefix: jobPayload, size: limit + 1}
			r := sinkRequest("")
			r.Body, r.ContentLength = io.NopCloser(b), -1
			return r, b
		}, 413, "payload too large", limit + 1},
		{"malformed JSON", func() (*http.Request, *counting) {
			return sinkRequest(`{"projectJob":`), nil
		}, 400, "invalid payload: the value is malformed JSON", 0},
		{"an empty body", func() (*http.Request, *counting) {
			return sinkRequest(""), nil
		}, 400, "invalid payload: the value is malformed JSON", 0},
		{"an array", func() (*http.Request, *counting) {
			return sinkRequest(`[1]`), nil
		}, 400, "invalid payload: the value is a JSON array, not an object", 0},
		{"nesting", func() (*http.Request, *counting) {
			return sinkRequest(strings.Repeat("[", 2000) + strings.Repeat("]", 2000)), nil
		}, 400, "invalid payload: the value is a JSON array, not an object", 0},
		{"a member of the wrong type", func() (*http.Request, *counting) {
			return sinkRequest(strings.Replace(jobPayload, `"statusCode":200`, `"statusCode":"OK"`, 1)), nil
		}, 400, "invalid payload: apiInfo.result.statusCode is a JSON string, not an integer", 0},
		{"a missing member", func() (*http.Request, *counting) {
			return sinkRequest(strings.Replace(queuePayloadFailed, `"runId":"item-1",`, "", 1)), nil
		}, 400, "invalid payload: apiInfo.runId is missing or null", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls sinkCalls
			var logs bytes.Buffer
			h := handlerOf(t, calls.fn, sdk.WithSinkSecret(sinkSecretHeader, sinkSecret), sdk.WithSinkMaxBodySize(limit),
				sdk.WithSinkLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			r, body := tt.req()
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
				t.Errorf("answer %d %q, want %d with %q", w.Code, w.Body, tt.status, tt.body)
			}
			if w.Body.Len() > 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
				t.Errorf("answer body: %s, %q: want a short reason in plain text", w.Header().Get("Content-Type"), w.Body)
			}
			if allow := w.Header().Get("Allow"); (tt.status == 405) != (allow == "POST") {
				t.Errorf("Allow: %q", allow)
			}
			if body != nil && body.read.Load() > tt.maxRead {
				t.Errorf("read %d bytes of the body, want at most %d", body.read.Load(), tt.maxRead)
			}
			if calls.count() != 0 {
				t.Errorf("the callback was called %d times", calls.count())
			}
			if !strings.Contains(logs.String(), "level=WARN msg=\"sink request refused\"") || !strings.Contains(logs.String(), fmt.Sprintf("status=%d", tt.status)) {
				t.Errorf("logs: %s", logs.String())
			}
			if strings.Contains(logs.String(), "sink-secret") || strings.Contains(w.Body.String(), "sink-secret") {
				t.Errorf("the secret shows: %s %s", logs.String(), w.Body)
			}
		})
	}
}

// The body bound holds without a secret too, and deep JSON within it is
// refused without trouble (encoding/json stops at 10,000 levels).
func TestSinkHandlerDeepNesting(t *testing.T) {
	var calls sinkCalls
	h := handlerOf(t, calls.fn, sdk.WithSinkLogger(nil), sdk.WithoutSinkSecret())
	for _, body := range []string{
		strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000),
		strings.Replace(jobPayload, `{"title":"Mug"}`, strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000), 1),
		strings.Replace(jobPayload, `{"title":"Mug"}`, strings.Repeat(`{"a":`, 100_000)+"1"+strings.Repeat("}", 100_000), 1),
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, sinkRequest(body))
		if w.Code != 400 || !strings.Contains(w.Body.String(), "malformed JSON") || calls.count() != 0 {
			t.Errorf("%d %q, %d calls", w.Code, w.Body, calls.count())
		}
	}
}

func TestSinkHandlerPassesResults(t *testing.T) {
	var calls sinkCalls
	var logs bytes.Buffer
	h := handlerOf(t, calls.fn, sdk.WithSinkSecret("x-intuned-secret", "s3cret-value"),
		sdk.WithSinkLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	for _, tt := range []struct{ body, contentType string }{
		{jobPayload, "application/json"},
		{queuePayloadFailed, "APPLICATION/JSON; Charset=UTF-8"},
		{`{"projectSchedule":{"id":"x"}}`, "application/json; charset=utf-8"},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, sinkRequest(tt.body, header("Content-Type", tt.contentType), header("X-Intuned-Secret", "s3cret-value")))
		if w.Code != http.StatusNoContent || w.Body.Len() != 0 {
			t.Errorf("%s: %d %q", tt.contentType, w.Code, w.Body)
		}
	}
	if len(calls.results) != 3 {
		t.Fatalf("%d calls", len(calls.results))
	}
	if r, ok := calls.results[0].(sdk.SinkResultProjectJob); !ok || r.APIInfo.RunID != "run-1" {
		t.Errorf("first: %#v", calls.results[0])
	}
	if r, ok := calls.results[1].(sdk.SinkResultProjectQueue); !ok || r.ProjectQueue.ID != "pages" {
		t.Errorf("second: %#v", calls.results[1])
	}
	if r, ok := calls.results[2].(sdk.SinkResultUnknown); !ok || string(r.Raw) != `{"projectSchedule":{"id":"x"}}` {
		t.Errorf("an unknown shape is passed on, kept: %#v", calls.results[2])
	}
	for _, want := range []string{`level=DEBUG msg="sink result handled" method=POST kind=job api=scrape-product run_id=run-1`, "kind=queue", "kind=unknown"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, logs.String())
		}
	}
	if strings.Contains(logs.String(), "s3cret") || strings.Contains(logs.String(), "hooks") {
		t.Errorf("the secret or the URL's path shows in the logs:\n%s", logs.String())
	}
}

func TestSinkHandlerCallbackFailures(t *testing.T) {
	for name, calls := range map[string]*sinkCalls{
		"error": {err: errors.New("database down: password=hunter2")},
		"panic": {panic: "boom"},
		"nil":   {panic: fmt.Errorf("wrapped: %w", errors.ErrUnsupported)},
	} {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			h := handlerOf(t, calls.fn, sdk.WithSinkLogger(slog.New(slog.NewTextHandler(&logs, nil))), sdk.WithoutSinkSecret())
			w := httptest.NewRecorder()
			h.ServeHTTP(w, sinkRequest(jobPayload))
			if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "hunter2") || strings.Contains(w.Body.String(), "boom") {
				t.Errorf("answer %d %q: want a 500 that tells nothing of the failure", w.Code, w.Body)
			}
			if calls.count() != 1 {
				t.Errorf("%d calls", calls.count())
			}
			log := logs.String()
			switch {
			case calls.err != nil && !strings.Contains(log, `level=ERROR msg="sink callback failed"`) || calls.err != nil && !strings.Contains(log, "hunter2"):
				t.Errorf("logs: %s", log)
			case calls.panic != nil && (!strings.Contains(log, `level=ERROR msg="sink callback panicked"`) || !strings.Contains(log, "stack=") || !strings.Contains(log, "sinkCalls).fn")):
				t.Errorf("logs: %s", log)
			}
		})
	}
}

// A panicking callback does not take the server down: the next delivery
// is served.
func TestSinkHandlerSurvivesPanics(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(handlerOf(t, func(ctx context.Context, res sdk.SinkResult) error {
		if i := n.Add(1); i == 1 {
			_ = []int{}[i] // a runtime panic: index out of range
		}
		return nil
	}, sdk.WithSinkLogger(nil), sdk.WithoutSinkSecret()))
	defer srv.Close()
	for i, want := range []int{500, 204} {
		resp, err := srv.Client().Post(srv.URL, "application/json", strings.NewReader(jobPayload))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("delivery %d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
}

func TestSinkHandlerDeadline(t *testing.T) {
	for _, tt := range []struct {
		opts []sdk.SinkOption
		want time.Duration // 0: no deadline
	}{
		{nil, sdk.DefaultSinkTimeout},
		{[]sdk.SinkOption{sdk.WithSinkTimeout(50 * time.Millisecond)}, 50 * time.Millisecond},
		{[]sdk.SinkOption{sdk.WithSinkTimeout(0)}, 0},
	} {
		var got time.Duration
		var hasDeadline bool
		h := handlerOf(t, func(ctx context.Context, _ sdk.SinkResult) error {
			var d time.Time
			d, hasDeadline = ctx.Deadline()
			got = time.Until(d)
			return nil
		}, append(tt.opts, sdk.WithSinkLogger(nil), sdk.WithoutSinkSecret())...)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, sinkRequest(jobPayload))
		if w.Code != 204 || hasDeadline != (tt.want > 0) || tt.want > 0 && (got > tt.want || got < tt.want-time.Second) {
			t.Errorf("deadline in %v (%v), want %v", got, hasDeadline, tt.want)
		}
	}
	// A callback that heeds its deadline ends with it: a 500, so the sender
	// tries again.
	h := handlerOf(t, func(ctx context.Context, _ sdk.SinkResult) error {
		<-ctx.Done()
		return ctx.Err()
	}, sdk.WithSinkTimeout(time.Millisecond), sdk.WithSinkLogger(nil), sdk.WithoutSinkSecret())
	w := httptest.NewRecorder()
	h.ServeHTTP(w, sinkRequest(jobPayload))
	if w.Code != 500 {
		t.Errorf("%d", w.Code)
	}
}

// Many deliveries at once, run with -race.
func TestSinkHandlerConcurrentDeliveries(t *testing.T) {
	var calls sinkCalls
	srv := httptest.NewServer(handlerOf(t, calls.fn, sdk.WithSinkSecret(sinkSecretHeader, sinkSecret), sdk.WithSinkLogger(nil)))
	defer srv.Close()
	const n = 64
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		wg.Go(func() {
			body, secret := jobPayload, sinkSecret
			switch i % 4 {
			case 1:
				body = queuePayloadFailed
			case 2:
				secret = "wrong"
			case 3:
				body = `{"projectJob":`
			}
			req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(sinkSecretHeader, secret)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for i, st := range statuses {
		if want := []int{204, 204, 401, 400}[i%4]; st != want {
			t.Errorf("delivery %d: %d, want %d", i, st, want)
		}
	}
	if calls.count() != n/2 {
		t.Errorf("%d calls, want %d", calls.count(), n/2)
	}
}

// The secret shows nowhere: not in the handler or an option formatted, nor
// in the error of a bad configuration (TestSinkHandlerMisconfigured).
func TestSinkSecretNeverShows(t *testing.T) {
	opt := sdk.WithSinkSecret(sinkSecretHeader, sinkSecret)
	h := handlerOf(t, func(context.Context, sdk.SinkResult) error { return nil }, opt, sdk.WithSinkSecret(sinkSecretHeader, "sink-secret-2"))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for _, v := range []any{h, opt} {
			if s := fmt.Sprintf(verb, v); strings.Contains(s, "sink-secret") || strings.Contains(s, fmt.Sprintf("%x", sinkSecret)) {
				t.Errorf("%s of %T: %s", verb, v, s)
			}
		}
	}
	if s := fmt.Sprint(h); !strings.Contains(s, "2 in Authorization, Authorization (values redacted)") {
		t.Errorf("the handler formats as %s", s)
	}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("configured", "handler", h)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("configured", "handler", h)
	if strings.Contains(logs.String(), "sink-secret") {
		t.Errorf("logged: %s", logs.String())
	}
}

// A configuration that cannot work is an *ArgumentError when the handler
// is built, never a panic, and never a 401 found on every delivery: a
// secret that no request can carry as given, no secret chosen either way.
func TestSinkHandlerMisconfigured(t *testing.T) {
	fn := func(context.Context, sdk.SinkDelivery) error { return nil }
	secret := sdk.WithSinkSecret(sinkSecretHeader, sinkSecret)
	for name, tt := range map[string]struct {
		fn   func(context.Context, sdk.SinkDelivery) error
		opts []sdk.SinkOption
		want string
	}{
		"nil callback":              {nil, []sdk.SinkOption{secret}, "sink callback is nil"},
		"no secret chosen":          {fn, nil, "WithoutSinkSecret"},
		"both":                      {fn, []sdk.SinkOption{secret, sdk.WithoutSinkSecret()}, "both"},
		"no header":                 {fn, []sdk.SinkOption{sdk.WithSinkSecret("", "sink-secret")}, "header is empty"},
		"a bad header":              {fn, []sdk.SinkOption{sdk.WithSinkSecret("X Secret", "sink-secret")}, "not a valid header name"},
		"a header with ':'":         {fn, []sdk.SinkOption{sdk.WithSinkSecret("X-Secret:", "sink-secret")}, "not a valid header name"},
		"no secret":                 {fn, []sdk.SinkOption{sdk.WithSinkSecret("X-Secret", "")}, "is empty"},
		"a leading blank":           {fn, []sdk.SinkOption{sdk.WithSinkSecret("X-Secret", " sink-secret")}, "blanks"},
		"a trailing blank":          {fn, []sdk.SinkOption{sdk.WithSinkSecret("X-Secret", "sink-secret\t")}, "blanks"},
		"a newline":                 {fn, []sdk.SinkOption{sdk.WithSinkSecret("X-Secret", "sink-secret\n")}, "control character"},
		"CR LF inside":              {fn, []sdk.SinkOption{sdk.WithSinkSecret("X-Secret", "sink\r\nsecret")}, "control character"},
		"a NUL":                     {fn, []sdk.SinkOption{sdk.WithSinkSecret("X-Secret", "sink\x00secret")}, "control character"},
		"in Host":                   {fn, []sdk.SinkOption{sdk.WithSinkSecret("host", "sink-secret")}, "Host is not one a handler sees"},
		"in Transfer-Encoding":      {fn, []sdk.SinkOption{sdk.WithSinkSecret("Transfer-Encoding", "sink-secret")}, "not one a handler sees"},
		"a bad secret after a good": {fn, []sdk.SinkOption{secret, sdk.WithSinkSecret("X-Secret", "sink-secret ")}, "blanks"},
		"no body":                   {fn, []sdk.SinkOption{secret, sdk.WithSinkMaxBodySize(0)}, "must be positive"},
		"a negative timeout":        {fn, []sdk.SinkOption{secret, sdk.WithSinkTimeout(-time.Second)}, "must not be negative"},
	} {
		h, err := sdk.NewSinkHandler(tt.fn, tt.opts...)
		var ae *sdk.ArgumentError
		if h != nil || !errors.As(err, &ae) || !strings.Contains(err.Error(), tt.want) || strings.Contains(fmt.Sprintf("%#v %v", err, err), "sink-secret") {
			t.Errorf("%s: %v, %#v; want an *ArgumentError saying %q, without the secret", name, h, err, tt.want)
		}
		_, err = sdk.CheckSinkRequest("POST", http.Header{}, nil, tt.opts...)
		if tt.fn != nil && !errors.As(err, &ae) {
			t.Errorf("%s: CheckSinkRequest: %v, want an *ArgumentError", name, err)
		}
	}
	// nil options are skipped.
	w := httptest.NewRecorder()
	handlerOf(t, func(context.Context, sdk.SinkResult) error { return nil }, nil, sdk.WithSinkLogger(nil), sdk.WithoutSinkSecret()).ServeHTTP(w, sinkRequest(jobPayload))
	if w.Code != 204 {
		t.Errorf("%d", w.Code)
	}
}

// handlerOf builds a sink handler whose callback gets each delivery's
// result, failing t when the options cannot be used.
func handlerOf(t testing.TB, fn func(context.Context, sdk.SinkResult) error, opts ...sdk.SinkOption) *sdk.SinkHandler {
	t.Helper()
	h, err := sdk.NewSinkHandler(func(ctx context.Context, d sdk.SinkDelivery) error { return fn(ctx, d.Result) }, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
