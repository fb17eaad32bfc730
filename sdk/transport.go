package sdk

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/intuned/intuned-go/gen"
)

// Bounds on what the SDK reads of a response body.
const (
	// MaxResponseBodySize bounds a success body; a larger one is a
	// *ResponseValidationError, never an unbounded allocation. Real answers
	// are well under a kilobyte.
	MaxResponseBodySize = 10 << 20
	// MaxErrorBodySize bounds the body kept in an error; the rest is not read.
	MaxErrorBodySize = 64 << 10
)

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

// call is one operation call, ready to send: the same for every attempt.
type call struct {
	op     *gen.Operation
	url    string
	body   []byte   // nil: no body
	key    []string // the x-api-key header value
	header http.Header
}

// invoke runs one operation: it resolves the call's configuration, encodes
// body (a gen model, or nil) as JSON, builds the URL from the spec's path
// template with the workspace and values, sends the request with retries,
// and turns the answer into a T with decode when the status is the
// operation's success, or into the matching error otherwise. The caller has
// checked its arguments; values are path values, in the spec's order, after
// the workspace ID. A nil decode expects no body.
func invoke[T any](ctx context.Context, c *Client, op *gen.Operation, opts []Option, body any,
	decode func(r response) (T, error), values ...string) (T, error) {
	var zero T
	cfg, err := c.callConfig(ctx, opts)
	if err != nil {
		return zero, err
	}
	key, err := cfg.resolveAPIKey(ctx)
	if err != nil {
		return zero, err
	}
	cl := call{op: op}
	if body != nil {
		if cl.body, err = json.Marshal(body); err != nil {
			return zero, &ArgumentError{Name: "request body", Problem: "cannot be encoded: " + unwrapMarshalError(err).Error()}
		}
	}
	var args [4]string // path values: on the stack
	cl.url = op.URL(cfg.serverURL, append(append(args[:0], cfg.workspaceID), values...)...)
	cl.key, cl.header = []string{key}, cfg.header

	resp, err := cfg.send(ctx, &cl)
	if err != nil {
		return zero, err
	}
	resp.redact(key)
	if resp.status != op.Success {
		return zero, resp.apiError()
	}
	if decode == nil {
		return zero, nil
	}
	if resp.truncated {
		return zero, resp.invalid(fmt.Sprintf("body is larger than %d bytes", MaxResponseBodySize), nil)
	}
	if !isJSON(resp.header.Get("Content-Type")) {
		return zero, resp.invalid(fmt.Sprintf("content type %q is not JSON", resp.header.Get("Content-Type")), nil)
	}
	return decode(resp)
}

// callConfig returns the client's configuration with opts applied.
func (c *Client) callConfig(ctx context.Context, opts []Option) (config, error) {
	if c == nil {
		return config{}, &ArgumentError{Name: "client", Problem: "is nil: build one with sdk.New"}
	}
	if err := checkContext(ctx); err != nil {
		return config{}, err
	}
	if len(opts) == 0 {
		return c.cfg, nil // validated by New; no copy escapes to the heap
	}
	cfg := new(config)
	*cfg = c.cfg
	cfg.header = cfg.header.Clone()
	if err := cfg.apply(opts); err != nil {
		return config{}, err
	}
	return *cfg, cfg.validate()
}

// setHeaders sets the headers of an attempt: those of WithHeader, then the
// SDK's own (WithHeader cannot name those).
func (cl *call) setHeaders(h http.Header) {
	for k, vs := range cl.header {
		h[k] = vs
	}
	h["X-Api-Key"] = cl.key
	h["Accept"] = acceptJSON
	h["User-Agent"] = userAgentHeader
	if cl.body != nil {
		h["Content-Type"] = acceptJSON
	}
}

// send sends a call, retrying as configured.
func (cfg *config) send(ctx context.Context, cl *call) (response, error) {
	if cfg.retry.Strategy != RetryBackoff {
		return cfg.attempt(ctx, cl, 1)
	}
	b := cfg.retry.Backoff.withDefaults()
	start := time.Now()
	for n := 0; ; n++ {
		resp, err := cfg.attempt(ctx, cl, n+1)
		var wait time.Duration
		switch {
		case err != nil:
			if ctx.Err() != nil || !cfg.retry.RetryConnectionErrors || !retryableTransportError(err) {
				return response{}, err
			}
		case cfg.retryCodes.match(resp.status):
			wait = retryAfter(resp.header, time.Now())
		default:
			return resp, nil
		}
		if time.Since(start) > b.MaxElapsedTime {
			return resp, err // the last answer, as it is
		}
		if wait <= 0 {
			wait = b.delay(n)
		}
		wait = min(wait, b.MaxInterval)
		if cfg.debug(ctx) {
			cfg.log(ctx, "intuned: retrying", cl, n+1, slog.Duration("wait", wait), slog.Any("cause", retryCause(resp, err)))
		}
		if err := sleep(ctx, wait); err != nil {
			return response{}, fmt.Errorf("intuned: %s: waiting to retry: %w", cl.op.Name, err)
		}
	}
}

// attempt sends a call once and reads the answer within the body bounds.
// Each attempt has its own request, bound by WithTimeout, by the caller's
// deadline, or else by the default bound (deadline.go).
func (cfg *config) attempt(ctx context.Context, cl *call, n int) (response, error) {
	var bound *boundAttempt
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
	} else if _, ok := ctx.Deadline(); !ok {
		ctx, bound = attemptEpochs.bound(ctx)
		defer attemptEpochs.release(bound)
	}
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.op.Method, cl.url, body)
	if err != nil {
		return response{}, fmt.Errorf("intuned: %s: %w", cl.op.Name, err)
	}
	cl.setHeaders(req.Header)
	debug := cfg.debug(ctx)
	var start time.Time
	if debug {
		start = time.Now()
	}
	hr, err := cfg.httpClient.Do(req)
	if err != nil {
		return response{}, attemptError(cl.op.Name, bound, err)
	}
	defer hr.Body.Close()
	limit := int64(MaxErrorBodySize)
	if hr.StatusCode >= 200 && hr.StatusCode < 300 {
		limit = MaxResponseBodySize
	}
	data, truncated, err := readBody(hr.Body, limit, hr.ContentLength)
	if err != nil {
		return response{}, attemptError(cl.op.Name, bound, fmt.Errorf("reading the response body: %w", err))
	}
	if debug {
		cfg.log(ctx, "intuned: response", cl, n, slog.Int("status", hr.StatusCode), slog.Duration("duration", time.Since(start)))
	}
	return response{status: hr.StatusCode, header: hr.Header, body: data, truncated: truncated}, nil
}

// attemptError wraps a failed attempt's error. An attempt cut off by the
// default bound reports context.DeadlineExceeded, like any timeout.
func attemptError(name string, bound *boundAttempt, err error) error {
	if bound != nil && bound.cut.Load() {
		return fmt.Errorf("intuned: %s: %w (%w): %w", name, errAttemptBound, context.DeadlineExceeded, err)
	}
	return fmt.Errorf("intuned: %s: %w", name, err)
}

// debug reports whether the logger wants debug records; callers check it
// before building a record's attributes, so that a call without logging
// pays nothing for them.
func (cfg *config) debug(ctx context.Context) bool {
	return cfg.logger != nil && cfg.logger.Enabled(ctx, slog.LevelDebug)
}

// log writes one debug record; check debug first. It never logs headers or
// bodies, so the API key cannot leak through it.
func (cfg *config) log(ctx context.Context, msg string, cl *call, attempt int, attrs ...slog.Attr) {
	l := cfg.logger
	path := cl.url
	if u, err := url.Parse(cl.url); err == nil {
		path = u.EscapedPath()
	}
	all := append([]slog.Attr{
		slog.String("operation", cl.op.Name),
		slog.String("method", cl.op.Method),
		slog.String("path", path),
		slog.Int("attempt", attempt),
	}, attrs...)
	l.LogAttrs(ctx, slog.LevelDebug, msg, all...)
}

func retryCause(resp response, err error) any {
	if err != nil {
		return err.Error()
	}
	return resp.status
}

// retryableTransportError reports failures worth another attempt: network
// errors, attempts cut off by WithTimeout, and connections closed early. A
// certificate that does not verify will not verify next time either.
func retryableTransportError(err error) bool {
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return false
	}
	var netErr net.Error
	return errors.As(err, &netErr) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
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

// isJSON reports whether a Content-Type names JSON (application/json or a
// +json type), whatever its parameters.
func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	return strings.EqualFold(mt, "application/json") ||
		len(mt) > len("+json") && strings.EqualFold(mt[len(mt)-len("+json"):], "+json")
}

// apiError turns a non-success answer into the matching error type.
func (r *response) apiError() error {
	ct := r.header.Get("Content-Type")
	if !r.truncated && isJSON(ct) && jsonObject(r.body) {
		switch r.status {
		case http.StatusBadRequest:
			if msg, details, rest, ok := decodeErrorBody(r.body, "details"); ok {
				return &APIErrorInvalidInput{Message: msg, Details: details, AdditionalProperties: rest, Header: r.header}
			}
		case http.StatusUnauthorized:
			if msg, _, rest, ok := decodeErrorBody(r.body, ""); ok {
				return &APIErrorUnauthorized{Message: msg, AdditionalProperties: rest, Header: r.header}
			}
		}
	}
	body, truncated := r.body, r.truncated
	if len(body) > MaxErrorBodySize { // a 2xx read under the success bound
		body, truncated = body[:MaxErrorBodySize], true
	}
	return &SDKError{Code: r.status, ContentType: ct, Body: string(body), BodyTruncated: truncated, Header: r.header}
}

// minRedactedKey is the shortest API key searched for in answers: shorter
// strings would match ordinary text.
const minRedactedKey = 8

// redact replaces the API key wherever a server echoed it (the body, and the
// headers of an error answer), so that no error can carry it.
func (r *response) redact(key string) {
	if len(key) < minRedactedKey {
		return
	}
	if bytes.Contains(r.body, []byte(key)) {
		r.body = bytes.ReplaceAll(r.body, []byte(key), []byte(redacted))
	}
	if r.status >= 200 && r.status < 300 {
		return
	}
	for k, vs := range r.header {
		for i, v := range vs {
			if strings.Contains(v, key) {
				r.header[k][i] = strings.ReplaceAll(v, key, redacted)
			}
		}
	}
}

const redacted = "[redacted]"

// invalid builds a *ResponseValidationError for this answer.
func (r *response) invalid(reason string, err error) error {
	body := r.body
	if len(body) > MaxErrorBodySize {
		body = body[:MaxErrorBodySize]
	}
	return &ResponseValidationError{Code: r.status, ContentType: r.header.Get("Content-Type"), Body: string(body), Reason: reason, Err: err}
}

// jsonObject reports whether b, past leading white space, starts an object.
func jsonObject(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c == '{'
	}
	return false
}

// decodeErrorBody decodes an API error body (ApiErrorInvalidInput or
// ApiErrorUnauthorized) in one pass: its message (which must be a string if
// present), the member named field (if any), and every other member. ok is
// false when the body is not such an object.
func decodeErrorBody(body []byte, field string) (msg string, value any, rest map[string]any, ok bool) {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil || m == nil {
		return "", nil, nil, false
	}
	if v, found := m["message"]; found {
		if msg, ok = v.(string); !ok {
			return "", nil, nil, false
		}
		delete(m, "message")
	}
	if field != "" {
		value = m[field]
		delete(m, field)
	}
	if len(m) > 0 {
		rest = m
	}
	return msg, value, rest, true
}
