package sdk

import (
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
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

// A SinkOption configures NewSinkHandler and CheckSinkRequest. An option
// given a value it cannot use (a secret that no request can carry, a
// negative bound) makes them return an *ArgumentError: a mistake in the
// program's configuration, found when the handler is built. See Options in
// the package documentation.
type SinkOption func(*sinkConfig) error

// sinkConfig is what the options set.
type sinkConfig struct {
	secrets  []sinkSecret // any one lets a request in
	noSecret bool         // WithoutSinkSecret: the explicit choice of none
	maxBody  int64
	timeout  time.Duration // 0: none of the handler's own
	logger   *slog.Logger  // nil: slog.Default(), when logging
}

// sinkSecret is a header a request must carry, and the SHA-256 digest of
// its value (the value itself is not kept).
type sinkSecret struct {
	header string // canonical
	digest [32]byte
}

// newSinkConfig applies opts to the defaults and checks the result.
func newSinkConfig(opts []SinkOption) (*sinkConfig, error) {
	c := &sinkConfig{maxBody: DefaultSinkMaxBodySize, timeout: DefaultSinkTimeout}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	switch {
	case len(c.secrets) == 0 && !c.noSecret:
		return nil, &ArgumentError{Name: "sink secret", Problem: "is not set: give WithSinkSecret, or WithoutSinkSecret to accept every request that reaches the URL"}
	case len(c.secrets) > 0 && c.noSecret:
		return nil, &ArgumentError{Name: "sink secret", Problem: "is both set (WithSinkSecret) and refused (WithoutSinkSecret)"}
	}
	return c, nil
}

// WithSinkSecret makes the handler refuse, with 401 and before reading the
// body, a request whose header (such as "Authorization") is not value (such
// as "Bearer " + secret), or is missing or sent more than once. Give the
// sink the same header (SinkWebhook.Headers), which Intuned adds to every
// delivery.
//
// Give it several times to accept any of several secrets, so that a secret
// can be rotated without downtime: add the new one beside the old, update
// the sink's headers, then drop the old one. The comparison takes the same
// time whatever the request holds and whichever secret it matches (SHA-256
// digests, all compared, in constant time), and no value appears in a log
// record, error, answer or formatted value of the handler.
//
// A header that is not a valid header name or that a handler does not see
// as sent (Host, Transfer-Encoding, Trailer, Connection, Content-Length),
// or a value that no request can carry as given (empty, with leading or trailing blanks, which HTTP drops,
// or with a control character such as CR, LF or NUL), is refused by
// NewSinkHandler: it would be a 401 on every delivery.
func WithSinkSecret(header, value string) SinkOption {
	return func(c *sinkConfig) error {
		if err := checkHeaderName(header); err != nil {
			return &ArgumentError{Name: "sink secret header", Problem: err.Error()}
		}
		switch h := http.CanonicalHeaderKey(header); h {
		case "Host", "Transfer-Encoding", "Trailer", "Connection", "Content-Length":
			return &ArgumentError{Name: "sink secret header", Problem: h + " is not one a handler sees as sent (net/http and proxies take it over)"}
		}
		if problem := unsendable(value); problem != "" {
			return &ArgumentError{Name: "sink secret", Problem: problem + " (the value is not shown)"}
		}
		c.secrets = append(c.secrets, sinkSecret{http.CanonicalHeaderKey(header), sha256.Sum256([]byte(value))})
		return nil
	}
}

// unsendable says why a header value cannot arrive at a handler as it is,
// or "".
func unsendable(v string) string {
	switch {
	case v == "":
		return "is empty"
	case v[0] == ' ' || v[0] == '\t' || v[len(v)-1] == ' ' || v[len(v)-1] == '\t':
		return "has leading or trailing blanks, which HTTP drops from a header's value"
	case checkHeaderValue(v) != nil:
		return "contains a control character (CR, LF, NUL...), which no header can carry"
	}
	return ""
}

// WithoutSinkSecret makes the handler accept requests that carry no secret:
// anyone who finds the URL can post results to it. NewSinkHandler refuses to
// build a handler with neither this nor WithSinkSecret, so that accepting
// everyone is a choice written in the code, never a default.
func WithoutSinkSecret() SinkOption {
	return func(c *sinkConfig) error {
		c.noSecret = true
		return nil
	}
}

// WithSinkMaxBodySize sets the largest body the handler reads, in bytes
// (DefaultSinkMaxBodySize otherwise): a larger one is refused with 413,
// having read at most n bytes and what the connection had already buffered
// (a few KiB). n must be positive.
func WithSinkMaxBodySize(n int64) SinkOption {
	return func(c *sinkConfig) error {
		if n <= 0 {
			return &ArgumentError{Name: "sink body bound", Problem: fmt.Sprintf("is %d; it must be positive", n)}
		}
		c.maxBody = n
		return nil
	}
}

// WithSinkTimeout sets the deadline of each call of the callback, on the
// context it gets (DefaultSinkTimeout otherwise); 0 leaves the request's
// own context alone. The handler waits for the callback to return, so a
// callback should heed its context's deadline. d must not be negative.
func WithSinkTimeout(d time.Duration) SinkOption {
	return func(c *sinkConfig) error {
		if d < 0 {
			return &ArgumentError{Name: "sink timeout", Problem: fmt.Sprintf("is %s; it must not be negative", d)}
		}
		c.timeout = d
		return nil
	}
}

// WithSinkLogger sets where the handler logs (slog.Default() otherwise, as
// it is when the handler logs): a refused request at Warn level with its
// status and the reason, a callback's error at Error, a callback's panic at
// Error with its stack, a result handled at Debug. A nil logger turns
// logging off. No record holds a secret, a header's value, the URL's path
// (where users put tokens too) or a body.
func WithSinkLogger(l *slog.Logger) SinkOption {
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return func(c *sinkConfig) error {
		c.logger = l
		return nil
	}
}
