package sdk

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// SinkDelivery is one request Intuned sent to a webhook sink, checked.
type SinkDelivery struct {
	// Result is the payload: a SinkResultProjectJob, a SinkResultProjectQueue, or a
	// SinkResultUnknown for a shape this SDK version does not know.
	Result SinkResult
	// Header holds the request's headers as received, for your own tracing
	// or routing, less the secret headers of WithSinkSecret.
	Header http.Header
}

// SinkRefusal is why a request to a webhook sink is refused: the status to
// answer and a short reason, which NewSinkHandler's handler sends as plain
// text and logs. It holds no secret, and of the body at most the JSON path
// of what does not match.
type SinkRefusal struct {
	// StatusCode is the status to answer: 405, 401, 415, 413, 400, or 503
	// when the body did not arrive whole (the connection failed or timed
	// out: the sender should send it again).
	StatusCode int
	// Reason says why, for the sender and the log.
	Reason string
}

// Error gives the status and the reason.
func (e *SinkRefusal) Error() string {
	return fmt.Sprintf("intuned: webhook sink request refused (%d): %s", e.StatusCode, e.Reason)
}

// CheckSinkRequest checks a request sent to a webhook sink, given its
// method, headers and body, exactly as NewSinkHandler's handler does (which
// calls the same checks): for another router, or a serverless platform
// that hands over a request's parts. Header names are matched in any case
// (a platform may hand them over in lower case). It returns the delivery, a
// *SinkRefusal with the status to answer, or an *ArgumentError when opts
// cannot be used. The checks, in order:
//
//   - a method other than POST: 405 (answer "Allow: POST" with it);
//   - no secret of WithSinkSecret (each header once, the value one of the
//     secrets): 401;
//   - a Content-Type other than one application/json (any parameters, a
//     charset of utf-8 if any), or any Content-Encoding but identity
//     (gzip...): 415;
//   - a body (or a Content-Length) over the bound of WithSinkMaxBodySize:
//     413;
//   - a body that is not a valid payload (see ParseSinkResult; a shape this
//     SDK version does not know is valid, as a SinkResultUnknown): 400.
func CheckSinkRequest(method string, header http.Header, body []byte, opts ...SinkOption) (SinkDelivery, error) {
	c, err := newSinkConfig(opts)
	if err != nil {
		return SinkDelivery{}, err
	}
	canonical := make(http.Header, len(header))
	for k, vs := range header {
		k = http.CanonicalHeaderKey(k)
		canonical[k] = append(canonical[k], vs...)
	}
	header = canonical
	if ref := c.checkHeader(method, header); ref != nil {
		return SinkDelivery{}, ref
	}
	length, err := strconv.ParseInt(header.Get("Content-Length"), 10, 64)
	if err == nil && length > c.maxBody || int64(len(body)) > c.maxBody {
		return SinkDelivery{}, c.tooLarge()
	}
	d, ref := c.checkBody(header, body)
	if ref != nil {
		return SinkDelivery{}, ref
	}
	return d, nil
}

// checkHeader makes the checks that need neither the body nor its length,
// or returns nil.
func (c *sinkConfig) checkHeader(method string, header http.Header) *SinkRefusal {
	if method != http.MethodPost {
		return &SinkRefusal{http.StatusMethodNotAllowed, "method not allowed: POST only"}
	}
	if !c.authorized(header) {
		return &SinkRefusal{http.StatusUnauthorized, "unauthorized: the secret header is missing or wrong"}
	}
	if reason := notJSON(header); reason != "" {
		return &SinkRefusal{http.StatusUnsupportedMediaType, reason}
	}
	return nil
}

func (c *sinkConfig) tooLarge() *SinkRefusal {
	return &SinkRefusal{http.StatusRequestEntityTooLarge, fmt.Sprintf("payload too large: the limit is %d bytes", c.maxBody)}
}

// checkBody decodes the payload.
func (c *sinkConfig) checkBody(header http.Header, body []byte) (SinkDelivery, *SinkRefusal) {
	res, err := ParseSinkResult(body)
	if err != nil {
		var ve *ResponseValidationError
		errors.As(err, &ve)
		return SinkDelivery{}, &SinkRefusal{http.StatusBadRequest, "invalid payload: " + condense(ve.Reason)}
	}
	h := header.Clone()
	for _, s := range c.secrets {
		h.Del(s.header)
	}
	return SinkDelivery{Result: res, Header: h}, nil
}

// authorized reports whether a request carries one of the secrets, its
// header once (a header sent twice counts as empty, which no secret is),
// or no secret is asked for. Every secret is compared, each as digests in
// constant time, so that neither which secret matched nor a secret's length
// shows in how long the check takes.
func (c *sinkConfig) authorized(header http.Header) bool {
	if len(c.secrets) == 0 {
		return c.noSecret
	}
	ok := 0
	for _, s := range c.secrets {
		values := header.Values(s.header)
		got := ""
		if len(values) == 1 {
			got = values[0]
		}
		digest := sha256.Sum256([]byte(got))
		ok |= subtle.ConstantTimeCompare(digest[:], s.digest[:])
	}
	return ok == 1
}

// notJSON says why the headers do not describe a payload, or "": one
// Content-Type, application/json in UTF-8, and no Content-Encoding but
// identity.
func notJSON(header http.Header) string {
	const want = "unsupported media type: the Content-Type must be application/json"
	types := header.Values("Content-Type")
	if len(types) != 1 {
		return want
	}
	mt, params, err := mime.ParseMediaType(types[0])
	if err != nil || mt != "application/json" {
		return want
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return "unsupported media type: JSON must be UTF-8"
	}
	for _, enc := range header.Values("Content-Encoding") {
		if !strings.EqualFold(strings.TrimSpace(enc), "identity") {
			return "unsupported media type: the body must not be encoded (Content-Encoding)"
		}
	}
	return ""
}

// NewSinkHandler returns the handler of a webhook sink's URL: it
// receives what Intuned POSTs there (one SinkResult per API run a job or a
// queue finishes), checks each request as CheckSinkRequest says, and passes
// each delivery to fn:
//
//   - a request refused from its headers alone (405, 401, 415, and 413 from
//     its Content-Length) is answered without reading its body, and its
//     connection is closed, so that a sender who was refused holds no
//     connection and no goroutine by sending slowly or without end;
//   - a body is read up to the bound of WithSinkMaxBodySize, not a byte
//     more than the bound and what the connection had buffered (413, and
//     the connection closed);
//   - a body that does not arrive whole because the connection failed or
//     timed out (the server's ReadTimeout) is answered 503, not 400, so that
//     the sender sends it again;
//   - an invalid payload is answered 400 with a short reason in plain text,
//     such as "invalid payload: apiInfo.runId is missing or null";
//   - fn is called with the delivery and a context bounded by
//     DefaultSinkTimeout (WithSinkTimeout); when it returns nil the answer is
//     204 No Content;
//   - when fn returns an error, or panics, the answer is 500, so that the
//     sender may send the result again later: a panic is recovered and
//     logged with its stack, and the server goes on.
//
// Each refusal, error and panic is logged (WithSinkLogger), without the
// URL's path. The sender may deliver a result more than once (after a
// timeout, a 5xx, a lost answer): fn should be idempotent, keyed by the run
// ID (APIInfo.RunID). It should also be quick: store the result or queue
// the work it calls for, and return. The handler is safe for concurrent use.
// Serve it from an http.Server with ReadHeaderTimeout and ReadTimeout set
// (see the README): the URL is reachable by anyone who finds it.
//
// It returns an *ArgumentError if fn is nil, if an option cannot be used,
// or if neither WithSinkSecret nor WithoutSinkSecret is given.
func NewSinkHandler(fn func(context.Context, SinkDelivery) error, opts ...SinkOption) (*SinkHandler, error) {
	if fn == nil {
		return nil, &ArgumentError{Name: "sink callback", Problem: "is nil"}
	}
	c, err := newSinkConfig(opts)
	if err != nil {
		return nil, err
	}
	return &SinkHandler{fn: fn, cfg: c}, nil
}

// SinkHandler serves a webhook sink's URL, an http.Handler: build one with
// NewSinkHandler (the zero value has no configuration, and panics).
type SinkHandler struct {
	fn  func(context.Context, SinkDelivery) error
	cfg *sinkConfig
}

// ServeHTTP checks the request, passes its delivery to the callback, and
// answers.
func (h *SinkHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ref := h.cfg.checkHeader(r.Method, r.Header)
	if ref == nil && r.ContentLength > h.cfg.maxBody {
		ref = h.cfg.tooLarge()
	}
	if ref != nil {
		if ref.StatusCode == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", http.MethodPost)
		}
		dropBody(w, r)
		h.refuse(w, r, ref)
		return
	}
	body, ref := h.read(w, r)
	if ref != nil {
		dropBody(w, r)
		h.refuse(w, r, ref)
		return
	}
	d, ref := h.cfg.checkBody(r.Header, body)
	if ref != nil {
		h.refuse(w, r, ref)
		return
	}
	if err := h.call(r.Context(), d); err != nil {
		var p *callbackPanic
		if errors.As(err, &p) {
			h.log(r, slog.LevelError, "sink callback panicked", slog.Any("panic", p.value), slog.String("stack", string(p.stack)))
		} else {
			h.log(r, slog.LevelError, "sink callback failed", slog.String("error", err.Error()))
		}
		http.Error(w, "the result was not handled; send it again later", http.StatusInternalServerError)
		return
	}
	h.log(r, slog.LevelDebug, "sink result handled", resultAttrs(d.Result)...)
	w.WriteHeader(http.StatusNoContent)
}

// dropBody makes the answer end the request without reading what is left
// of its body: net/http would otherwise read up to 256 KiB of it, at the
// sender's pace, before answering or after. A read deadline in the past
// ends that read at once, and on HTTP/1 the connection is closed. (On
// HTTP/2, where Connection: close would end every stream of the
// connection, net/http resets the refused stream alone.) Behind a
// ResponseWriter of a middleware that does not unwrap to net/http's, the
// deadline cannot be set: the handler then answers all the same, and
// net/http reads what it reads.
func dropBody(w http.ResponseWriter, r *http.Request) {
	if r.ProtoMajor < 2 {
		w.Header().Set("Connection", "close")
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now())
}

// read reads the body, at most maxBody bytes, or says why it cannot.
func (h *SinkHandler) read(w http.ResponseWriter, r *http.Request) ([]byte, *SinkRefusal) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.maxBody))
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case err == nil:
		return body, nil
	case errors.As(err, &mbe):
		return nil, h.cfg.tooLarge()
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return nil, &SinkRefusal{http.StatusServiceUnavailable, "the body did not arrive whole (the connection failed or timed out): send it again"}
	}
	return nil, &SinkRefusal{http.StatusBadRequest, "the body could not be read (" + condense(err.Error()) + ")"}
}

// callbackPanic is a panic of the callback, recovered.
type callbackPanic struct {
	value any
	stack []byte
}

func (p *callbackPanic) Error() string { return fmt.Sprintf("sink callback panicked: %v", p.value) }

// call calls the callback with the handler's deadline, turning a panic into
// a *callbackPanic.
func (h *SinkHandler) call(ctx context.Context, d SinkDelivery) (err error) {
	if h.cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.cfg.timeout)
		defer cancel()
	}
	defer func() {
		if v := recover(); v != nil {
			err = &callbackPanic{value: v, stack: debug.Stack()}
		}
	}()
	return h.fn(ctx, d)
}

// refuse answers a request the handler does not pass on with the refusal's
// status and reason in plain text, and logs it.
func (h *SinkHandler) refuse(w http.ResponseWriter, r *http.Request, ref *SinkRefusal) {
	h.log(r, slog.LevelWarn, "sink request refused", slog.Int("status", ref.StatusCode), slog.String("reason", ref.Reason))
	http.Error(w, ref.Reason, ref.StatusCode)
}

// log writes a record about a request: its method, and attrs. Never its
// path: users put tokens in a sink's URL too.
func (h *SinkHandler) log(r *http.Request, level slog.Level, msg string, attrs ...slog.Attr) {
	l := h.cfg.logger
	if l == nil {
		l = slog.Default()
	}
	if !l.Enabled(r.Context(), level) {
		return
	}
	l.LogAttrs(r.Context(), level, msg, append([]slog.Attr{slog.String("method", r.Method)}, attrs...)...)
}

// resultAttrs describe a result handled: its kind, API and run ID.
func resultAttrs(res SinkResult) []slog.Attr {
	var info SinkAPIInfo
	kind := "unknown"
	switch v := res.(type) {
	case SinkResultProjectJob:
		kind, info = "job", v.APIInfo
	case SinkResultProjectQueue:
		kind, info = "queue", v.APIInfo
	}
	return []slog.Attr{slog.String("kind", kind), slog.String("api", info.Name), slog.String("run_id", info.RunID)}
}

// Format shows the handler's settings: the names of the secret headers,
// never their values.
func (h *SinkHandler) Format(f fmt.State, _ rune) {
	secret := "none (WithoutSinkSecret)"
	if len(h.cfg.secrets) > 0 {
		var names []string
		for _, s := range h.cfg.secrets {
			names = append(names, s.header)
		}
		secret = fmt.Sprintf("%d in %s (values redacted)", len(h.cfg.secrets), strings.Join(names, ", "))
	}
	fmt.Fprintf(f, "sdk.SinkHandler{secrets: %s, max body: %d, timeout: %s}", secret, h.cfg.maxBody, h.cfg.timeout)
}
