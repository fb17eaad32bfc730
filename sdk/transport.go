package sdk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"runtime"
	"sync/atomic"
	"time"
)

// This file is the bottom layer: one HTTP exchange (an attempt), bounded in
// time and in what it reads. Retries (retry.go) call it; it calls nothing
// of the SDK's above it.

// Bounds on what the SDK reads of a response body.
const (
	// MaxResponseBodySize bounds a success body; a larger one is a
	// *ResponseValidationError, never an unbounded allocation.
	MaxResponseBodySize = 10 << 20
	// MaxErrorBodySize bounds the body kept in an error; the rest is not read.
	MaxErrorBodySize = 64 << 10
)

// DefaultAttemptTimeout bounds each attempt of a call whose context has no
// deadline and that WithTimeout does not bound, so that no call can hang
// for ever on a server that stops answering. The calls that hold the
// connection while they work (project.run.sync, the file syncs) have their
// own, longer bound instead (x-sdk-attempt-timeout in openapi.yaml: 10
// minutes).
const DefaultAttemptTimeout = 2 * time.Minute

// defaultAttemptTimeout is DefaultAttemptTimeout; tests shorten it.
var defaultAttemptTimeout = DefaultAttemptTimeout

// userAgent names this SDK, its version, and the Go runtime.
var userAgent = "intuned-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"

// Header values shared by every request, read-only (net/http does not
// modify a request's headers, and a RoundTripper must not).
var (
	acceptJSON      = []string{"application/json"}
	userAgentHeader = []string{userAgent}
)

// response is one HTTP answer, its body read (within bounds) and closed.
type response struct {
	status    int
	header    http.Header
	body      []byte
	truncated bool // the body was longer than the bound and was cut
}

// attempt sends req once and reads the answer within the body bounds. The
// attempt is bounded by WithTimeout (a client-wide one no lower than the
// operation's own attempt timeout, for run.sync and the file syncs), else
// by the context's deadline, else by the operation's own attempt timeout,
// else by DefaultAttemptTimeout.
func (cfg *config) attempt(ctx context.Context, req *request, n int) (response, error) {
	timeout := cfg.timeout
	_, hasDeadline := ctx.Deadline()
	switch {
	case timeout == 0 && !hasDeadline:
		timeout = defaultAttemptTimeout
		if req.op.attemptTimeout > 0 {
			timeout = req.op.attemptTimeout
		}
	case timeout > 0 && !cfg.callTimeout && req.op.attemptTimeout > timeout:
		// A client-wide bound does not cut short a call that holds the
		// connection while it works (run.sync): it has its own.
		timeout = req.op.attemptTimeout
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	// Whether the request was written tells a failure the server cannot have
	// acted on (retry.go).
	var gotConn, wrote atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn:      func(httptrace.GotConnInfo) { gotConn.Store(true) },
		WroteHeaders: func() { wrote.Store(true) },
	})

	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.op.method, req.url, body)
	if err != nil {
		return response{}, fmt.Errorf("intuned: %s: %w", req.op.name, err)
	}
	req.setHeaders(hr.Header)
	debug := cfg.debug(ctx)
	var start time.Time
	if debug {
		start = time.Now()
	}
	resp, err := cfg.httpClient.Do(hr)
	if err != nil {
		return response{}, &TransportError{Operation: req.op.name, RequestSent: requestSent(gotConn.Load(), wrote.Load(), err), Err: unwrapURLError(err)}
	}
	defer resp.Body.Close()
	limit := int64(MaxErrorBodySize)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		limit = MaxResponseBodySize
	}
	data, truncated, err := readBody(resp.Body, limit, resp.ContentLength)
	if err != nil {
		return response{}, &TransportError{Operation: req.op.name, RequestSent: true, Err: fmt.Errorf("reading the response body: %w", err)}
	}
	if debug {
		cfg.log(ctx, "intuned: response", req, n, slog.Int("status", resp.StatusCode), slog.Duration("duration", time.Since(start)))
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data, truncated: truncated}, nil
}

// requestSent tells, from the trace of a failed attempt, whether the
// request may have reached the server. It did not when a connection was
// obtained and nothing was written, or when dialling failed; it may have
// whenever the trace cannot tell (a transport of the caller's that does not
// report to httptrace), so that a call that is not idempotent is then never
// sent again.
func requestSent(gotConn, wrote bool, err error) bool {
	if wrote {
		return true
	}
	if gotConn {
		return false
	}
	var oe *net.OpError
	return !(errors.As(err, &oe) && oe.Op == "dial")
}

// unwrapURLError drops net/http's *url.Error, whose text repeats the method
// and URL (the operation's name says which call failed), keeping its cause.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// setHeaders sets the headers of an attempt: those of WithHeader, then the
// SDK's own (WithHeader cannot name those).
func (req *request) setHeaders(h http.Header) {
	for k, vs := range req.header {
		h[k] = append([]string(nil), vs...) // the request's own: a RoundTripper may add to it
	}
	h["X-Api-Key"] = req.key
	h["Accept"] = acceptJSON
	h["User-Agent"] = userAgentHeader
	if req.body != nil {
		h["Content-Type"] = acceptJSON
	}
}

// readBody reads r to its end, or to limit bytes; truncated reports that
// there was more. A known content length sizes the buffer once; otherwise it
// doubles, never past limit+1 bytes, so a hostile body costs at most that.
func readBody(r io.Reader, limit, contentLength int64) (body []byte, truncated bool, err error) {
	size := int64(512)
	if contentLength >= 0 && contentLength < limit {
		size = contentLength + 1 // +1 so that EOF is seen without growing
	}
	buf := make([]byte, 0, min(size, limit+1))
	for {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(2*int64(cap(buf)), limit+1))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return buf[:limit], true, nil
		}
		if err == io.EOF {
			return buf, false, nil
		}
		if err != nil {
			return buf, false, err
		}
	}
}

// debug reports whether the logger wants debug records; callers check it
// before building a record's attributes, so that a call without logging
// pays nothing for them.
func (cfg *config) debug(ctx context.Context) bool {
	return cfg.logger != nil && cfg.logger.Enabled(ctx, slog.LevelDebug)
}

// log writes one debug record of an attempt; check debug first. It never
// logs headers or bodies, and the key is redacted from the path (which may
// hold an operation ID the server chose), so the API key cannot leak
// through it.
func (cfg *config) log(ctx context.Context, msg string, req *request, attempt int, attrs ...slog.Attr) {
	path := req.url
	if u, err := url.Parse(req.url); err == nil {
		path = u.EscapedPath()
	}
	path = req.redactor().str(path)
	all := append([]slog.Attr{
		slog.String("operation", req.op.name),
		slog.String("method", req.op.method),
		slog.String("path", path),
		slog.Int("attempt", attempt),
	}, attrs...)
	cfg.logger.LogAttrs(ctx, slog.LevelDebug, msg, all...)
}
