package sdk

import (
	"crypto/sha256"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// DefaultSinkMaxBodySize is the largest body NewSinkHandler reads unless
// WithSinkMaxBodySize says otherwise: 10 MiB, the bound the SDK puts on an
// answer of the API (MaxResponseBodySize). A payload carries one API run's
// result, the same value project.run.result answers with, so a result the
// SDK can read as an answer fits in a payload too; raise it for APIs whose
// results are larger.
const DefaultSinkMaxBodySize = MaxResponseBodySize

// DefaultSinkTimeout bounds each call of a sink's callback unless
// WithSinkTimeout says otherwise: 5 seconds, well under the time webhook
// senders commonly wait for an answer (10 seconds and more) before they give
// up on a delivery and send it again. A callback should store the result or
// queue the work it calls for, and return; heavy work done inside it makes
// the sender time out and retry.
const DefaultSinkTimeout = 5 * time.Second

// A SinkOption configures NewSinkHandler. An option given a value it cannot
// use (an empty secret, a negative bound) panics, as NewSinkHandler does
// with a nil callback: they are mistakes in the program, found when the
// handler is built.
type SinkOption func(*sinkConfig)

// sinkConfig is what the options set.
type sinkConfig struct {
	secretHeader string   // canonical; "" for no check
	secretDigest [32]byte // SHA-256 of the secret, so the value is not kept
	maxBody      int64
	timeout      time.Duration // 0: none of the handler's own
	logger       *slog.Logger  // nil: slog.Default(), when logging
}

// WithSinkSecret makes the handler refuse, with 401 and before reading the
// body, a request whose header (such as "Authorization") is not value (such
// as "Bearer " + secret), or is missing or sent more than once. Give the
// sink the same header (WebhookSink.Headers), which Intuned adds to every
// delivery. The comparison takes the same time whatever the header holds
// (SHA-256 digests compared in constant time), and the value appears in no
// log record, error or formatted value of the handler.
//
// It panics if header is not a valid header name or value is empty: an
// unset secret would let every request in.
func WithSinkSecret(header, value string) SinkOption {
	if header == "" || strings.IndexFunc(header, func(r rune) bool { return !isTokenChar(r) }) >= 0 {
		panic("sdk: WithSinkSecret: the header name is empty or not a valid header name")
	}
	if value == "" {
		panic("sdk: WithSinkSecret: the secret is empty")
	}
	digest := sha256.Sum256([]byte(value))
	canonical := http.CanonicalHeaderKey(header)
	return func(c *sinkConfig) { c.secretHeader, c.secretDigest = canonical, digest }
}

// WithSinkMaxBodySize sets the largest body the handler reads, in bytes
// (DefaultSinkMaxBodySize otherwise): a larger one is refused with 413,
// without reading more than n bytes. It panics if n is not positive.
func WithSinkMaxBodySize(n int64) SinkOption {
	if n <= 0 {
		panic("sdk: WithSinkMaxBodySize: the bound is not positive")
	}
	return func(c *sinkConfig) { c.maxBody = n }
}

// WithSinkTimeout sets the deadline of each call of the callback, on the
// context it gets (DefaultSinkTimeout otherwise); 0 leaves the request's
// own context alone. The handler waits for the callback to return, so a
// callback should heed its context's deadline. It panics if d is negative.
func WithSinkTimeout(d time.Duration) SinkOption {
	if d < 0 {
		panic("sdk: WithSinkTimeout: the timeout is negative")
	}
	return func(c *sinkConfig) { c.timeout = d }
}

// WithSinkLogger sets where the handler logs (slog.Default() otherwise, as
// it is when the handler logs): a refused request at Warn level with its
// status and the reason, a callback's error at Error, a callback's panic at
// Error with its stack, a result handled at Debug. A nil logger turns
// logging off. No record holds a secret, a header's value or a body.
func WithSinkLogger(l *slog.Logger) SinkOption {
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return func(c *sinkConfig) { c.logger = l }
}

// isTokenChar reports whether r may appear in a header name (RFC 9110's
// tchar).
func isTokenChar(r rune) bool {
	return r < 0x7f && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r))
}
