package sdk_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

// A sink's URL is reachable by anyone who finds it. These tests attack a
// NewSinkHandler served by a real http.Server, over raw TCP, as a stranger
// would, and measure what the server does: bytes read off the connection,
// time to answer, connections and goroutines held.

// countingListener counts the bytes the server reads off its connections.
type countingListener struct {
	net.Listener
	read atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, n: &l.read}, nil
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// hostileSink serves h on loopback, as a service would, but with no
// ReadTimeout (the worst case: a server that relies on the handler), or
// with the one given.
func hostileSink(t *testing.T, h http.Handler, readTimeout time.Duration) (addr string, l *countingListener) {
	t.Helper()
	noLeaks(t)
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l = &countingListener{Listener: inner}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: readTimeout}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return inner.Addr().String(), l
}

// rawRequest sends a request's head over a new connection.
func rawRequest(t *testing.T, addr, head string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := io.WriteString(c, head); err != nil {
		t.Fatal(err)
	}
	return c
}

// answer reads the status of the answer on c, and how long it took from
// start.
func answer(t *testing.T, c net.Conn, start time.Time) (int, time.Duration, *bufio.Reader) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode, time.Since(start), br
}

// closedWithin reports whether the server closes c within d of now.
func closedWithin(c net.Conn, br *bufio.Reader, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, br)
	var ne net.Error
	return !errors.As(err, &ne) || !ne.Timeout() // EOF or a reset: the server closed it; a timeout: it did not
}

func okSink(t *testing.T, opts ...sdk.SinkOption) *sdk.SinkHandler {
	return handlerOf(t, func(context.Context, sdk.SinkResult) error { return nil }, append([]sdk.SinkOption{sdk.WithSinkLogger(nil)}, opts...)...)
}

// A sender refused from its headers gets its answer at once, however slowly
// it sends its body, and its connection is closed: it holds neither a
// connection nor a goroutine of the server by dripping a body.
func TestSinkRefusesASlowSenderWithoutReading(t *testing.T) {
	addr, l := hostileSink(t, okSink(t, sdk.WithSinkSecret(sinkSecretHeader, sinkSecret)), 0)
	for _, tt := range []struct {
		name, head string
		status     int
	}{
		{"wrong secret", "POST /hooks/intuned HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n", 401},
		{"no secret, chunked", "POST /hooks/intuned HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", 401},
		{"a GET with a body", "GET /hooks/intuned HTTP/1.1\r\nHost: x\r\nContent-Length: 60\r\n\r\n", 405},
		{"text/plain", "POST /hooks/intuned HTTP/1.1\r\nHost: x\r\nAuthorization: " + sinkSecret + "\r\nContent-Type: text/plain\r\nContent-Length: 60\r\n\r\n", 415},
		{"gzip", "POST /hooks/intuned HTTP/1.1\r\nHost: x\r\nAuthorization: " + sinkSecret + "\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 60\r\n\r\n", 415},
		{"announced too large", "POST /hooks/intuned HTTP/1.1\r\nHost: x\r\nAuthorization: " + sinkSecret + "\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n", 413},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			c := rawRequest(t, addr, tt.head)
			chunked := strings.Contains(tt.head, "chunked")
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() { // one byte every 50 ms: 60 bytes take 3 s
				defer close(done)
				for i := 0; i < 60; i++ {
					b := "x"
					if chunked {
						b = "1\r\nx\r\n"
					}
					select {
					case <-stop:
						return
					case <-time.After(50 * time.Millisecond):
					}
					if _, err := io.WriteString(c, b); err != nil {
						return
					}
				}
			}()
			status, took, br := answer(t, c, start)
			closed := closedWithin(c, br, time.Second)
			close(stop)
			<-done
			t.Logf("%s: %d after %v; connection closed by the server: %v", tt.name, status, took.Round(time.Millisecond), closed)
			if status != tt.status || took > 500*time.Millisecond || !closed {
				t.Errorf("answer %d after %v, closed %v; want %d at once (not after the 3 s drip) and the connection closed", status, took, closed, tt.status)
			}
		})
	}
	read := l.read.Load()
	t.Logf("bytes read off the connections, heads included: %d", read)
	if read > 8<<10 {
		t.Errorf("%d bytes read for 6 refused requests; want their heads and what came with them (a few hundred bytes each)", read)
	}
}

// An endless body from a sender without the secret is not read: what the
// server reads is what arrived with the head.
func TestSinkDoesNotReadAnEndlessBodyItRefused(t *testing.T) {
	addr, l := hostileSink(t, okSink(t, sdk.WithSinkSecret(sinkSecretHeader, sinkSecret)), 0)
	head := "POST /hooks/intuned HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
	c := rawRequest(t, addr, head)
	sent := chunkForever(c)
	status, _, br := answer(t, c, time.Now())
	closedWithin(c, br, time.Second)
	read, total := l.read.Load(), <-sent
	t.Logf("refused an endless chunked body with %d: read %d bytes (head included) of the %d sent", status, read, total)
	if status != 401 || read > 64<<10 {
		t.Errorf("answer %d, %d bytes read; want 401 and at most what came with the head (64 KiB)", status, read)
	}
}

// chunkForever writes chunks of 32 KiB to c until the connection fails, and
// reports how much it wrote.
func chunkForever(c net.Conn) <-chan int64 {
	sent := make(chan int64, 1)
	go func() {
		chunk := fmt.Sprintf("%x\r\n%s\r\n", 32<<10, strings.Repeat("x", 32<<10))
		var n int64
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			c.SetWriteDeadline(time.Now().Add(time.Second))
			w, err := io.WriteString(c, chunk)
			n += int64(w)
			if err != nil {
				break
			}
		}
		sent <- n
	}()
	return sent
}

// Past the bound, the server has read the bound and what the connection
// buffered, not the 256 KiB net/http would read after the handler to keep
// the connection.
func TestSinkBodyBoundIsExact(t *testing.T) {
	const limit = 64 << 10
	addr, l := hostileSink(t, okSink(t, sdk.WithSinkSecret(sinkSecretHeader, sinkSecret), sdk.WithSinkMaxBodySize(limit)), 0)
	head := "POST /hooks/intuned HTTP/1.1\r\nHost: x\r\nAuthorization: " + sinkSecret + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
	c := rawRequest(t, addr, head)
	sent := chunkForever(c)
	status, _, br := answer(t, c, time.Now())
	closedWithin(c, br, time.Second)
	read, total := l.read.Load(), <-sent
	past := read - int64(len(head)) - limit
	t.Logf("413 for an endless chunked body over a %d-byte bound: read %d bytes past the bound (chunk framing included) of the %d sent", limit, past, total)
	if status != 413 || past > 16<<10 {
		t.Errorf("answer %d, %d bytes read past the bound; want 413 and at most a few KiB (16 KiB)", status, past)
	}
}

// A body the server's ReadTimeout cuts off is the connection's failure,
// not the payload's: 503, which a sender retries, never 400, which it does
// not.
func TestSinkBodyCutByTheReadTimeoutIsRetried(t *testing.T) {
	var calls atomic.Int32
	h := handlerOf(t, func(context.Context, sdk.SinkResult) error { calls.Add(1); return nil }, sdk.WithSinkSecret(sinkSecretHeader, sinkSecret), sdk.WithSinkLogger(nil))
	addr, _ := hostileSink(t, h, 300*time.Millisecond)
	head := "POST /hooks/intuned HTTP/1.1\r\nHost: x\r\nAuthorization: " + sinkSecret + "\r\nContent-Type: application/json\r\nContent-Length: " + fmt.Sprint(len(jobPayload)) + "\r\n\r\n"
	c := rawRequest(t, addr, head+jobPayload[:20]) // and then nothing
	status, took, _ := answer(t, c, time.Now())
	t.Logf("a body stalled past the ReadTimeout: %d after %v", status, took.Round(time.Millisecond))
	if status != 503 || calls.Load() != 0 {
		t.Errorf("answer %d, %d calls; want 503 and no call", status, calls.Load())
	}
}

// Several secrets are accepted at once, so that one can be rotated: a
// request with any of them gets in, in any header given; others do not.
func TestSinkSecretRotation(t *testing.T) {
	var calls atomic.Int32
	h := handlerOf(t, func(context.Context, sdk.SinkResult) error { calls.Add(1); return nil },
		sdk.WithSinkSecret("Authorization", "Bearer old-secret-1"),
		sdk.WithSinkSecret("Authorization", "Bearer new-secret-2"),
		sdk.WithSinkSecret("X-Intuned-Secret", "third-secret-3"),
		sdk.WithSinkLogger(nil))
	for _, tt := range []struct {
		name   string
		header http.Header
		status int
	}{
		{"the old one", http.Header{"Authorization": {"Bearer old-secret-1"}}, 204},
		{"the new one", http.Header{"Authorization": {"Bearer new-secret-2"}}, 204},
		{"another header's", http.Header{"X-Intuned-Secret": {"third-secret-3"}}, 204},
		{"another header's value in the wrong header", http.Header{"Authorization": {"third-secret-3"}}, 401},
		{"a wrong one", http.Header{"Authorization": {"Bearer new-secret-3"}}, 401},
		{"both old and new in one header", http.Header{"Authorization": {"Bearer old-secret-1", "Bearer new-secret-2"}}, 401},
		{"none", http.Header{}, 401},
	} {
		r := sinkRequest(jobPayload, func(r *http.Request) {
			r.Header.Del("Authorization")
			for k, v := range tt.header {
				r.Header[k] = v
			}
		})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, w.Code, tt.status)
		}
	}
	if calls.Load() != 3 {
		t.Errorf("%d calls, want 3", calls.Load())
	}
}

// What a sink accepts: one Content-Type, and no encoding of the body but
// identity.
func TestSinkRefusesEncodingsAndTwoContentTypes(t *testing.T) {
	h := okSink(t, sdk.WithSinkSecret(sinkSecretHeader, sinkSecret))
	for _, tt := range []struct {
		name   string
		edit   func(*http.Request)
		status int
	}{
		{"gzip", header("Content-Encoding", "gzip"), 415},
		{"br", header("Content-Encoding", "br"), 415},
		{"identity", header("Content-Encoding", "identity"), 204},
		{"identity, then gzip", header("Content-Encoding", "identity", "gzip"), 415},
		{"two Content-Types", header("Content-Type", "application/json", "application/json"), 415},
		{"two Content-Types, one JSON", header("Content-Type", "text/plain", "application/json"), 415},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, sinkRequest(jobPayload, tt.edit))
		if w.Code != tt.status {
			t.Errorf("%s: %d %q, want %d", tt.name, w.Code, w.Body, tt.status)
		}
	}
}

// CheckSinkRequest gives what the handler answers, for every request the
// handler is tested with: the same status, the same reason, the same
// result.
func TestCheckSinkRequestAgreesWithTheHandler(t *testing.T) {
	opts := []sdk.SinkOption{sdk.WithSinkSecret(sinkSecretHeader, sinkSecret), sdk.WithSinkMaxBodySize(4096), sdk.WithSinkLogger(nil)}
	var got []sdk.SinkDelivery
	h, err := sdk.NewSinkHandler(func(_ context.Context, d sdk.SinkDelivery) error { got = append(got, d); return nil }, opts...)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		body string
		edit func(*http.Request)
	}{
		{"job", jobPayload, header("X-Trace", "t-1")},
		{"queue", queuePayloadFailed, nil},
		{"unknown shape", `{"projectSchedule":{"id":"x"}}`, nil},
		{"GET", jobPayload, func(r *http.Request) { r.Method = http.MethodGet }},
		{"no secret", jobPayload, header(sinkSecretHeader)},
		{"text", jobPayload, header("Content-Type", "text/plain")},
		{"gzip", jobPayload, header("Content-Encoding", "gzip")},
		{"too large", strings.Repeat(" ", 4097) + jobPayload, nil},
		{"announced too large", jobPayload, func(r *http.Request) { r.Header.Set("Content-Length", "5000"); r.ContentLength = 5000 }},
		{"invalid", `{"projectJob":{}}`, nil},
		{"malformed", `{`, nil},
	} {
		r := sinkRequest(tt.body)
		if tt.edit != nil {
			tt.edit(r)
		}
		w := httptest.NewRecorder()
		got = nil
		h.ServeHTTP(w, r)
		d, err := sdk.CheckSinkRequest(r.Method, r.Header, []byte(tt.body), opts...)
		var ref *sdk.SinkRefusal
		switch {
		case err == nil:
			if w.Code != 204 || len(got) != 1 || !reflect.DeepEqual(got[0], d) {
				t.Errorf("%s: CheckSinkRequest passed %v; the handler answered %d and passed %v", tt.name, d, w.Code, got)
			}
		case errors.As(err, &ref):
			if ref.StatusCode != w.Code || strings.TrimSpace(w.Body.String()) != ref.Reason {
				t.Errorf("%s: CheckSinkRequest refused with %d %q; the handler answered %d %q", tt.name, ref.StatusCode, ref.Reason, w.Code, w.Body)
			}
		default:
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	// A platform may hand over names in lower case: they match all the same.
	lower := http.Header{"authorization": {sinkSecret}, "content-type": {"application/json"}, "x-trace": {"t-2"}}
	d, err := sdk.CheckSinkRequest("POST", lower, []byte(jobPayload), opts...)
	if err != nil || d.Header.Get("X-Trace") != "t-2" || d.Header.Get("Authorization") != "" {
		t.Errorf("lower-case names: %v, %v", d, err)
	}
}

// The callback sees the delivery's headers, for tracing or routing, but
// not the secret's.
func TestSinkCallbackSeesTheHeaders(t *testing.T) {
	var got http.Header
	h, err := sdk.NewSinkHandler(func(_ context.Context, d sdk.SinkDelivery) error { got = d.Header; return nil },
		sdk.WithSinkSecret(sinkSecretHeader, sinkSecret), sdk.WithSinkLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, sinkRequest(jobPayload, header("X-Request-Id", "req-7"), header("Traceparent", "00-abc-def-01")))
	if w.Code != 204 || got.Get("X-Request-Id") != "req-7" || got.Get("Traceparent") != "00-abc-def-01" || got.Get("Content-Type") != "application/json" {
		t.Errorf("%d; the callback saw %v", w.Code, got)
	}
	if _, ok := got[sinkSecretHeader]; ok {
		t.Errorf("the callback saw the secret header: %v", got)
	}
}
