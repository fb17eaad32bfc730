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
	"net/http"
	"runtime/debug"
	"strings"
)

// NewSinkHandler returns the http.Handler of a webhook sink's URL: it
// receives what Intuned POSTs there (one SinkResult per API run a job or a
// queue finishes) and passes each result to fn, as a careful receiver does:
//
//   - a method other than POST is refused with 405 and "Allow: POST";
//   - with WithSinkSecret, a request without the secret header, or with
//     another value, is refused with 401 before its body is read;
//   - a Content-Type other than application/json (any parameters, a charset
//     of utf-8 if any) is refused with 415;
//   - a body larger than DefaultSinkMaxBodySize (WithSinkMaxBodySize) is
//     refused with 413, without reading more;
//   - a body that is not a valid payload (see ParseSinkResult; a shape this
//     SDK version does not know is valid, as a SinkResultUnknown) is refused
//     with 400 and a short reason in plain text, such as "invalid payload:
//     apiInfo.runId is missing or null";
//   - fn is called with the result and a context bounded by
//     DefaultSinkTimeout (WithSinkTimeout); when it returns nil the answer is
//     204 No Content;
//   - when fn returns an error, or panics, the answer is 500, so that the
//     sender may send the result again later: a panic is recovered and
//     logged with its stack, and the server goes on.
//
// Each refusal, error and panic is logged (WithSinkLogger). The sender may
// deliver a result more than once (after a timeout, a 5xx, a lost answer):
// fn should be idempotent, keyed by the run ID (APIInfo.RunID). It should
// also be quick: store the result or queue the work it calls for, and
// return. The handler is safe for concurrent use.
//
// NewSinkHandler panics if fn is nil, as http.Handle does with a nil
// handler: it is a mistake in the program, found when it starts.
func NewSinkHandler(fn func(context.Context, SinkResult) error, opts ...SinkOption) http.Handler {
	if fn == nil {
		panic("sdk: NewSinkHandler: nil callback")
	}
	h := &sinkHandler{fn: fn, sinkConfig: sinkConfig{maxBody: DefaultSinkMaxBodySize, timeout: DefaultSinkTimeout}}
	for _, o := range opts {
		if o != nil {
			o(&h.sinkConfig)
		}
	}
	return h
}

// sinkHandler is what NewSinkHandler returns.
type sinkHandler struct {
	fn func(context.Context, SinkResult) error
	sinkConfig
}

func (h *sinkHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.refuse(w, r, http.StatusMethodNotAllowed, "method not allowed: POST only")
		return
	}
	if !h.authorized(r.Header) {
		h.refuse(w, r, http.StatusUnauthorized, "unauthorized: the "+h.secretHeader+" header is missing or wrong")
		return
	}
	if reason := notJSON(r.Header.Get("Content-Type")); reason != "" {
		h.refuse(w, r, http.StatusUnsupportedMediaType, reason)
		return
	}
	body, status, reason := h.read(w, r)
	if status != 0 {
		h.refuse(w, r, status, reason)
		return
	}
	res, err := ParseSinkResult(body)
	if err != nil {
		var ve *ResponseValidationError
		errors.As(err, &ve)
		h.refuse(w, r, http.StatusBadRequest, "invalid payload: "+condense(ve.Reason))
		return
	}
	if err := h.call(r.Context(), res); err != nil {
		var p *callbackPanic
		if errors.As(err, &p) {
			h.log(r, slog.LevelError, "sink callback panicked", slog.Any("panic", p.value), slog.String("stack", string(p.stack)))
		} else {
			h.log(r, slog.LevelError, "sink callback failed", slog.String("error", err.Error()))
		}
		http.Error(w, "the result was not handled; send it again later", http.StatusInternalServerError)
		return
	}
	h.log(r, slog.LevelDebug, "sink result handled", resultAttrs(res)...)
	w.WriteHeader(http.StatusNoContent)
}

// authorized reports whether a request carries the secret, once, when one
// is configured (a header sent twice counts as empty, which the secret is
// not). The digests are compared in constant time, so that neither the
// secret nor its length shows in how long the check takes.
func (h *sinkHandler) authorized(header http.Header) bool {
	if h.secretHeader == "" {
		return true
	}
	values := header.Values(h.secretHeader)
	got := ""
	if len(values) == 1 {
		got = values[0]
	}
	digest := sha256.Sum256([]byte(got))
	return subtle.ConstantTimeCompare(digest[:], h.secretDigest[:]) == 1
}

// notJSON says why a Content-Type is not one a payload may have, or "".
func notJSON(contentType string) string {
	if contentType == "" {
		return "unsupported media type: the Content-Type must be application/json"
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/json" {
		return "unsupported media type: the Content-Type must be application/json"
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return "unsupported media type: JSON must be UTF-8"
	}
	return ""
}

// read reads the body, at most maxBody bytes; a status and a reason when it
// cannot.
func (h *sinkHandler) read(w http.ResponseWriter, r *http.Request) ([]byte, int, string) {
	tooLarge := fmt.Sprintf("payload too large: the limit is %d bytes", h.maxBody)
	if r.ContentLength > h.maxBody {
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	case err != nil:
		return nil, http.StatusBadRequest, "the body could not be read"
	}
	return body, 0, ""
}

// callbackPanic is a panic of the callback, recovered.
type callbackPanic struct {
	value any
	stack []byte
}

func (p *callbackPanic) Error() string { return fmt.Sprintf("sink callback panicked: %v", p.value) }

// call calls the callback with the handler's deadline, turning a panic into
// a *callbackPanic.
func (h *sinkHandler) call(ctx context.Context, res SinkResult) (err error) {
	if h.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.timeout)
		defer cancel()
	}
	defer func() {
		if v := recover(); v != nil {
			err = &callbackPanic{value: v, stack: debug.Stack()}
		}
	}()
	return h.fn(ctx, res)
}

// refuse answers a request the handler does not pass on with status and a
// short reason in plain text, and logs it.
func (h *sinkHandler) refuse(w http.ResponseWriter, r *http.Request, status int, reason string) {
	h.log(r, slog.LevelWarn, "sink request refused", slog.Int("status", status), slog.String("reason", reason))
	http.Error(w, reason, status)
}

// log writes a record about a request: its method and path, and attrs.
func (h *sinkHandler) log(r *http.Request, level slog.Level, msg string, attrs ...slog.Attr) {
	l := h.logger
	if l == nil {
		l = slog.Default()
	}
	if !l.Enabled(r.Context(), level) {
		return
	}
	l.LogAttrs(r.Context(), level, msg, append([]slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path)}, attrs...)...)
}

// resultAttrs describe a result handled: its kind, API and run ID.
func resultAttrs(res SinkResult) []slog.Attr {
	var info SinkAPIInfo
	kind := "unknown"
	switch v := res.(type) {
	case JobSinkResult:
		kind, info = "job", v.APIInfo
	case QueueSinkResult:
		kind, info = "queue", v.APIInfo
	}
	return []slog.Attr{slog.String("kind", kind), slog.String("api", info.Name), slog.String("run_id", info.RunID)}
}

// Format shows the handler's settings: the name of the secret header, never
// its value.
func (h *sinkHandler) Format(f fmt.State, _ rune) {
	secret := "none"
	if h.secretHeader != "" {
		secret = h.secretHeader + " (value redacted)"
	}
	fmt.Fprintf(f, "sdk.SinkHandler{secret header: %s, max body: %d, timeout: %s}", secret, h.maxBody, h.timeout)
}
