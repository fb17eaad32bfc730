package sdk

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// This file is the executor: every operation, in either call style, runs
// through invoke, which goes down, never back up:
//
//	invoke (here)        check path values and body, encode, build the URL
//	  → send (retry.go)    attempts, with the retry policy
//	    → attempt (transport.go)  one HTTP exchange, bounded
//	  ← turn a non-success answer into its error type (answer.go)
//	  ← decode a success with the generated decoder (models.gen.go)

// operation is one operation of openapi.yaml. The table of every operation
// is generated in operations.gen.go.
type operation struct {
	name       string   // the reference client's name, such as project.authSessions.update.start
	method     string   // GET, POST, PUT, DELETE
	literals   []string // the path template split around its parameters
	params     []string // the path parameters as error texts name them, the workspace first
	success    int      // the documented success status
	idempotent bool     // sending it twice cannot act twice (x-idempotent)
	// attemptTimeout replaces DefaultAttemptTimeout for an operation that
	// holds the connection while it works (x-sdk-attempt-timeout); 0: none.
	attemptTimeout time.Duration
}

// url appends the operation's path to server, each value percent-encoded as
// one path segment (the simple style), in the order of params, and adds the
// server URL's query, if any.
func (o *operation) url(server, query string, values []string) string {
	var b strings.Builder
	b.WriteString(server)
	b.WriteString(o.literals[0])
	for i, v := range values {
		b.WriteString(url.PathEscape(v))
		b.WriteString(o.literals[i+1])
	}
	if query != "" {
		b.WriteByte('?')
		b.WriteString(query)
	}
	return b.String()
}

// requestBody is a request model: the generated models check themselves
// before they are sent.
type requestBody interface {
	validate(path string) error
}

// idempotentBody is a request model that makes its operation idempotent
// when it names what it creates (x-idempotent-when in the spec).
type idempotentBody interface {
	idempotentRequest() bool
}

// request is one call, ready to send: the same for every attempt.
type request struct {
	op         *operation
	idempotent bool // op is idempotent, or this body makes it so
	url        string
	body       []byte   // nil: no body
	key        []string // the x-api-key header value
	header     http.Header
}

// answer is what a call reports of a success besides its decoded body.
type answer struct {
	// retryAfter is the wait the server asked for (Retry-After), if any.
	retryAfter time.Duration
}

// invoke runs one call of op with the client's configuration and opts: it
// refuses options of waits, checks the path values args (those after the
// workspace) and the body, encodes the body, builds the URL, sends the
// request with the retry policy, turns a non-success answer into its error,
// and decodes a success with decode (nil when the answer has no body).
func invoke[T any](ctx context.Context, c *Client, op *operation, opts []Option, body requestBody, decode decoder[T], args ...string) (T, answer, error) {
	var zero T
	if err := checkOptions(op.name, noWait, opts); err != nil {
		return zero, answer{}, err
	}
	cfg, err := c.callConfig(ctx, opts)
	if err != nil {
		return zero, answer{}, err
	}
	for i, v := range args {
		if err := checkPathValue(op.params[i+1], v); err != nil {
			return zero, answer{}, err
		}
	}
	values := append([]string{cfg.workspaceID}, args...)
	req := request{op: op, idempotent: op.idempotent, url: op.url(cfg.serverURL, cfg.serverQuery, values), header: cfg.header}
	if b, ok := body.(idempotentBody); ok && b.idempotentRequest() {
		req.idempotent = true
	}
	if body != nil {
		if err := body.validate(""); err != nil {
			return zero, answer{}, err
		}
		if req.body, err = json.Marshal(body); err != nil {
			return zero, answer{}, &ArgumentError{Name: "request body", Problem: "cannot be encoded: " + unwrapMarshalError(err).Error()}
		}
	}
	key, err := cfg.resolveAPIKey(ctx)
	if err != nil {
		return zero, answer{}, err
	}
	req.key = []string{key}

	resp, err := cfg.send(ctx, &req)
	if err != nil {
		// A transport's error may quote what the server sent (a malformed
		// status line), or a RoundTripper's the request.
		return zero, answer{}, newRedactor(key).error(err)
	}
	// The key is redacted from the errors built from the answer, never from
	// a success: that is the caller's data, as the server sent it.
	if resp.status != op.success {
		return zero, answer{}, resp.apiError(op, key)
	}
	ans := answer{retryAfter: retryAfter(resp.header, time.Now())}
	if decode == nil {
		return zero, ans, nil
	}
	if err := resp.checkJSON(op, key); err != nil {
		return zero, ans, err
	}
	v, err := decode(trimBOM(resp.body), "")
	if err != nil {
		return zero, ans, resp.invalid(op, key, err)
	}
	return v, ans, nil
}
