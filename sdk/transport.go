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

// invoke runs one operation: it resolves the call's configuration, builds the
// request with build (which also checks the call's arguments), sends it with
// retries, and turns the answer into a T with decode when the status is
// success, or into the matching error otherwise.
func invoke[T any](ctx context.Context, c *Client, op string, success int, opts []Option,
	build func(cfg *config) (*http.Request, error), decode func(r *response) (T, error)) (T, error) {
	var zero T
	cfg, err := c.callConfig(ctx, opts)
	if err != nil {
		return zero, err
	}
	req, err := build(&cfg)
	if err != nil {
		return zero, err
	}
	key, err := cfg.resolveAPIKey(ctx)
	if err != nil {
		return zero, err
	}
	resp, err := cfg.send(ctx, op, req, key)
	if err != nil {
		return zero, err
	}
	resp.redact(key)
	if resp.status != success {
		return zero, resp.apiError()
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
	cfg := c.cfg
	if len(opts) == 0 {
		return cfg, nil // validated by New
	}
	cfg.header = cfg.header.Clone()
	if err := cfg.apply(opts); err != nil {
		return config{}, err
	}
	return cfg, cfg.validate()
}

// send sets the SDK's headers on req and sends it, retrying as configured.
func (cfg *config) send(ctx context.Context, op string, req *http.Request, key string) (*response, error) {
	h := req.Header
	h["X-Api-Key"] = []string{key}
	h["Accept"] = acceptJSON
	h["User-Agent"] = userAgentHeader
	for k, vs := range cfg.header {
		h[k] = vs
	}

	if cfg.retry.Strategy != RetryBackoff {
		return cfg.attempt(ctx, op, req, 1)
	}
	b := cfg.retry.Backoff.withDefaults()
	start := time.Now()
	for n := 0; ; n++ {
		resp, err := cfg.attempt(ctx, op, req, n+1)
		var wait time.Duration
		switch {
		case err != nil:
			if ctx.Err() != nil || !cfg.retry.RetryConnectionErrors || !retryableTransportError(err) {
				return nil, err
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
		cfg.log(ctx, "intuned: retrying", op, req, n+1, slog.Duration("wait", wait), slog.Any("cause", retryCause(resp, err)))
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("intuned: %s: waiting to retry: %w", op, err)
		}
	}
}

// attempt sends req once and reads the answer within the body bounds.
func (cfg *config) attempt(ctx context.Context, op string, req *http.Request, n int) (*response, error) {
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
	} else if _, ok := ctx.Deadline(); !ok {
		var release func()
		ctx, release = attemptEpochs.bound(ctx)
		defer release()
	}
	r := req.WithContext(ctx)
	if n > 1 && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("intuned: %s: rewinding the request body: %w", op, err)
		}
		r.Body = body
	}
	start := time.Now()
	hr, err := cfg.httpClient.Do(r)
	if err != nil {
		return nil, attemptError(ctx, op, err)
	}
	defer hr.Body.Close()
	limit := int64(MaxErrorBodySize)
	if hr.StatusCode >= 200 && hr.StatusCode < 300 {
		limit = MaxResponseBodySize
	}
	body, truncated, err := readBody(hr.Body, limit, hr.ContentLength)
	if err != nil {
		return nil, attemptError(ctx, op, fmt.Errorf("reading the response body: %w", err))
	}
	cfg.log(ctx, "intuned: response", op, req, n, slog.Int("status", hr.StatusCode), slog.Duration("duration", time.Since(start)))
	return &response{status: hr.StatusCode, header: hr.Header, body: body, truncated: truncated}, nil
}

// attemptError wraps a failed attempt's error. An attempt cut off by the
// default bound reports context.DeadlineExceeded, like any timeout.
func attemptError(ctx context.Context, op string, err error) error {
	if context.Cause(ctx) == errAttemptBound {
		return fmt.Errorf("intuned: %s: %w (%w): %w", op, errAttemptBound, context.DeadlineExceeded, err)
	}
	return fmt.Errorf("intuned: %s: %w", op, err)
}

// log writes one debug record, if the logger wants it. It never logs headers
// or bodies, so the API key cannot leak through it.
func (cfg *config) log(ctx context.Context, msg, op string, req *http.Request, attempt int, attrs ...slog.Attr) {
	l := cfg.logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	all := append([]slog.Attr{
		slog.String("operation", op),
		slog.String("method", req.Method),
		slog.String("path", req.URL.EscapedPath()),
		slog.Int("attempt", attempt),
	}, attrs...)
	l.LogAttrs(ctx, slog.LevelDebug, msg, all...)
}

func retryCause(resp *response, err error) any {
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
			var e gen.APIErrorInvalidInput
			if json.Unmarshal(r.body, &e) == nil {
				return &APIErrorInvalidInput{Message: deref(e.Message), Details: e.Details, AdditionalProperties: e.AdditionalProperties, Header: r.header}
			}
		case http.StatusUnauthorized:
			var e gen.APIErrorUnauthorized
			if json.Unmarshal(r.body, &e) == nil {
				return &APIErrorUnauthorized{Message: deref(e.Message), AdditionalProperties: e.AdditionalProperties, Header: r.header}
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

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
