package sdk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

// Benchmarks pair each SDK call (…/sdk) with raw, hand-written net/http +
// encoding/json code doing the same request and decoding into equivalent
// structs (…/raw), against the same loopback server, in the same run. The
// raw code is what an expert writes for production: a deadline per request
// (context.WithTimeout) and a bounded read of the body. `make bench` prints
// the ratios; BENCHMARKS.md has the figures.

// benchServer answers every request with status and body.
func benchServer(b *testing.B, status int, body string) *httptest.Server {
	b.Helper()
	payload := []byte(body)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(payload)
	}))
	b.Cleanup(s.Close)
	return s
}

func benchClient(b *testing.B, s *httptest.Server) *sdk.Client {
	c, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(s.URL))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.CloseIdleConnections)
	return c
}

// The raw baseline's models: what a careful hand-written client decodes.
type (
	rawStart struct {
		Status      string `json:"status"`
		OperationID string `json:"operationId"`
	}
	rawResult struct {
		Status        string      `json:"status"`
		AuthSessionID string      `json:"authSessionId"`
		ID            string      `json:"id"`
		Details       *rawDetails `json:"details"`
		Error         string      `json:"error"`
		Message       string      `json:"message"`
	}
	rawDetails struct {
		RequestType   string   `json:"requestType"`
		Action        string   `json:"action"`
		MessageToUser string   `json:"messageToUser"`
		Choices       []string `json:"choices"`
	}
	rawResume struct {
		Status string `json:"status"`
	}
	rawStartBody struct {
		ID         string         `json:"id"`
		Parameters map[string]any `json:"parameters,omitempty"`
		Proxy      string         `json:"proxy,omitempty"`
	}
	rawResumeBody struct {
		Input         string `json:"input"`
		InfoRequestID string `json:"info_request_id"`
	}
	rawAPIError struct {
		Status  int
		Message string
		Details any
		Body    []byte
	}
)

func (e *rawAPIError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.Status, e.Message) }

// Bounds of the raw baseline, as production code would set them.
const (
	rawTimeout  = 2 * time.Minute
	rawMaxBody  = 10 << 20
	rawMaxError = 64 << 10
)

// rawCall is the hand-written client: escape the path, set the headers, put
// a deadline on the request, send, read the body within a bound, check the
// status, decode.
func rawCall(ctx context.Context, hc *http.Client, method, u string, in any, want int, out any) error {
	ctx, cancel := context.WithTimeout(ctx, rawTimeout)
	defer cancel()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	req.Header.Set("X-Api-Key", testKey)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	limit := int64(rawMaxBody)
	if resp.StatusCode != want {
		limit = rawMaxError
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return err
	}
	if int64(len(data)) > limit {
		return fmt.Errorf("response body over %d bytes", limit)
	}
	if resp.StatusCode != want {
		e := &rawAPIError{Status: resp.StatusCode, Body: data}
		var m struct {
			Message string `json:"message"`
			Details any    `json:"details"`
		}
		if json.Unmarshal(data, &m) == nil {
			e.Message, e.Details = m.Message, m.Details
		}
		return e
	}
	return json.Unmarshal(data, out)
}

func rawURL(base string, segs ...string) string {
	u := base + "/" + url.PathEscape(testWorkspace) + "/projects/" + url.PathEscape(segs[0]) + "/auth-sessions/update"
	for _, s := range segs[1:] {
		u += "/" + url.PathEscape(s)
	}
	return u
}

var (
	rawClient = &http.Client{}
	sinkErr   error
	sinkAny   any
)

func BenchmarkStart(b *testing.B) {
	s := benchServer(b, 201, startOK)
	params := map[string]any{"username": "me@example.com", "password": "hunter2"}
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		c := benchClient(b, s)
		req := sdk.AuthSessionUpdateRequest{ID: "my-auth-session", Parameters: sdk.ParametersObject(params)}
		b.ReportAllocs()
		for b.Loop() {
			sinkAny, sinkErr = c.Project.AuthSessions.Update.Start(ctx, "my-project", req)
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out rawStart
			sinkErr = rawCall(ctx, rawClient, http.MethodPost, rawURL(s.URL, "my-project"), rawStartBody{ID: "my-auth-session", Parameters: params}, 201, &out)
			sinkAny = out
		}
	})
}

var resultBodies = []struct{ name, body string }{
	{"Pending", `{"status":"pending"}`},
	{"Done", `{"status":"done","authSessionId":"my-auth-session"}`},
	{"OTP", `{"status":"requested_more_info","id":"99999999-9999-9999-9999-999999999999","details":{"requestType":"otp","action":"request_more_info","messageToUser":"Enter the code we sent to your phone"}}`},
	{"MultipleChoice", `{"status":"requested_more_info","id":"99999999-9999-9999-9999-999999999999","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"Where should we send the code?","choices":["email","sms"]}}`},
	{"Failed", `{"status":"failed","error":"login_failed","message":"Wrong password"}`},
}

func BenchmarkResult(b *testing.B) {
	ctx := context.Background()
	for _, rb := range resultBodies {
		s := benchServer(b, 200, rb.body)
		b.Run(rb.name+"/sdk", func(b *testing.B) {
			c := benchClient(b, s)
			b.ReportAllocs()
			for b.Loop() {
				sinkAny, sinkErr = c.Project.AuthSessions.Update.Result(ctx, "my-project", "aaaabbbCCCCdddd")
			}
		})
		b.Run(rb.name+"/raw", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var out rawResult
				sinkErr = rawCall(ctx, rawClient, http.MethodGet, rawURL(s.URL, "my-project", "aaaabbbCCCCdddd", "result"), nil, 200, &out)
				sinkAny = out
			}
		})
	}
}

func BenchmarkResume(b *testing.B) {
	s := benchServer(b, 202, resumeOK)
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		c := benchClient(b, s)
		req := sdk.AuthSessionOperationResumeRequest{Input: "123456", InfoRequestID: otpID}
		b.ReportAllocs()
		for b.Loop() {
			sinkAny, sinkErr = c.Project.AuthSessions.Update.Resume(ctx, "my-project", "aaaabbbCCCCdddd", req)
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out rawResume
			sinkErr = rawCall(ctx, rawClient, http.MethodPost, rawURL(s.URL, "my-project", "aaaabbbCCCCdddd", "resume"), rawResumeBody{Input: "123456", InfoRequestID: otpID}, 202, &out)
			sinkAny = out
		}
	})
}

func BenchmarkErrorResponse(b *testing.B) {
	s := benchServer(b, 400, `{"message":"Invalid input","details":[{"path":["id"],"message":"Required"}]}`)
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		c := benchClient(b, s)
		b.ReportAllocs()
		for b.Loop() {
			sinkAny, sinkErr = c.Project.AuthSessions.Update.Result(ctx, "my-project", "aaaabbbCCCCdddd")
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out rawResult
			sinkErr = rawCall(ctx, rawClient, http.MethodGet, rawURL(s.URL, "my-project", "aaaabbbCCCCdddd", "result"), nil, 200, &out)
		}
	})
}

// countingServer counts the TCP connections its clients open.
func countingServer(tb testing.TB, body string) (*httptest.Server, *connCount) {
	var conns connCount
	payload := []byte(body)
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(payload)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			conns.opened()
		case http.StateClosed, http.StateHijacked:
			conns.open.Add(-1)
		}
	}
	s.Start()
	tb.Cleanup(s.Close)
	return s, &conns
}

// connCount counts a server's connections: every one it accepted (total),
// and the most open at once (peak).
type connCount struct {
	total, open, peak atomic.Int64
}

// opened counts a new connection.
func (c *connCount) opened() {
	c.total.Add(1)
	open := c.open.Add(1)
	for {
		peak := c.peak.Load()
		if open <= peak || c.peak.CompareAndSwap(peak, open) {
			return
		}
	}
}

// Load is the number of connections the server accepted.
func (c *connCount) Load() int64 { return c.total.Load() }

// hammer makes calls calls from goroutines goroutines, call(i) for i from
// 0 to calls-1, each once, and returns the wall time and the first error.
func hammer(goroutines, calls int, call func(i int) error) (time.Duration, error) {
	var next atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	begin := time.Now()
	for range goroutines {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < calls; i = int(next.Add(1) - 1) {
				if err := call(i); err != nil {
					firstErr.CompareAndSwap(nil, err)
				}
			}
		})
	}
	wg.Wait()
	err, _ := firstErr.Load().(error)
	return time.Since(begin), err
}

const (
	concurrentGoroutines = 64
	concurrentCalls      = 20000
)

// BenchmarkConcurrentResult: 64 goroutines share one client for 20,000
// result calls. Run it with -benchtime=1x; it reports calls/s and the TCP
// connections the server saw: for the SDK with its default client, for raw
// code on a transport tuned for 64 goroutines, and for raw code on
// http.DefaultClient, whose 2 idle connections per host make it churn.
func BenchmarkConcurrentResult(b *testing.B) {
	ctx := context.Background()
	const body = `{"status":"done","authSessionId":"my-auth-session"}`
	run := func(b *testing.B, newCall func(serverURL string) func() error) {
		s, conns := countingServer(b, body)
		call := newCall(s.URL)
		b.ReportAllocs()
		var total time.Duration
		for b.Loop() {
			d, err := hammer(concurrentGoroutines, concurrentCalls, func(int) error { return call() })
			if err != nil {
				b.Fatal(err)
			}
			total += d
		}
		b.ReportMetric(float64(concurrentCalls*b.N)/total.Seconds(), "calls/s")
		b.ReportMetric(float64(conns.Load())/float64(b.N), "conns")
	}
	b.Run("sdk", func(b *testing.B) {
		run(b, func(u string) func() error {
			c, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(u))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(c.CloseIdleConnections)
			return func() error {
				_, err := c.Project.AuthSessions.Update.Result(ctx, "my-project", "aaaabbbCCCCdddd")
				return err
			}
		})
	})
	rawWith := func(hc *http.Client) func(u string) func() error {
		return func(u string) func() error {
			b.Cleanup(hc.CloseIdleConnections)
			target := rawURL(u, "my-project", "aaaabbbCCCCdddd", "result")
			return func() error {
				var out rawResult
				return rawCall(ctx, hc, http.MethodGet, target, nil, 200, &out)
			}
		}
	}
	b.Run("raw", func(b *testing.B) {
		run(b, rawWith(&http.Client{Transport: &http.Transport{MaxIdleConns: concurrentGoroutines, MaxIdleConnsPerHost: concurrentGoroutines}}))
	})
	b.Run("raw-default-client", func(b *testing.B) {
		run(b, rawWith(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}))
	})
}
