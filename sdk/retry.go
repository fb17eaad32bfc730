package sdk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryStrategy names how a client retries.
type RetryStrategy string

// The retry strategies.
const (
	// RetryStrategyNone sends each request once. It is the default.
	RetryStrategyNone RetryStrategy = "none"
	// RetryStrategyBackoff retries with exponential backoff and jitter.
	RetryStrategyBackoff RetryStrategy = "backoff"
)

// RetryConfig says when and how a failed attempt is retried. The zero value
// retries nothing. With Strategy RetryStrategyBackoff, an attempt is retried when its
// status is one of the retried codes (DefaultRetryStatusCodes, or those of
// WithRetryStatusCodes), or, with RetryConnectionErrors, when it failed
// without an answer (a connection refused, reset or closed early, an attempt
// that timed out).
//
// Operations that are not idempotent (those that start something each time
// they are sent: an auth-session create, update, resume or recorder; a run,
// sync or started; a job's trigger; a queue item or repeat item appended; a
// queue created without an ID; a file extraction, sync or started; the
// spec's x-idempotent and x-idempotent-when say which) are retried only
// where the server cannot have acted on the attempt: a
// connection that was never established (the request was never written), or
// a 429 or 503 answer (the server refused it). A 500, 502 or 504, or a
// connection lost after the request was written, goes back to the caller,
// unless RetryNonIdempotent is set. This differs from the reference client,
// which retries every operation alike, so that one 502 can start a paid
// browser run twice. Reads, PUTs and DELETEs follow the policy as it is.
type RetryConfig struct {
	Strategy RetryStrategy
	// Backoff tunes RetryStrategyBackoff; zero fields take the defaults below.
	Backoff BackoffConfig
	// RetryConnectionErrors also retries attempts that failed without an
	// answer. Cancellation of the call's context is never retried.
	RetryConnectionErrors bool
	// RetryNonIdempotent retries operations that are not idempotent on every
	// retried failure, as the reference client does, accepting that the
	// server may act twice.
	RetryNonIdempotent bool
}

// BackoffConfig tunes RetryStrategyBackoff. Zero fields take the defaults.
type BackoffConfig struct {
	// InitialInterval is the wait before the first retry. Default 500ms.
	InitialInterval time.Duration
	// MaxInterval caps every wait, Retry-After included. Default 60s.
	MaxInterval time.Duration
	// Exponent is the growth factor from one wait to the next. Default 1.5.
	Exponent float64
	// MaxElapsedTime bounds the time spent retrying; once it has passed, the
	// last answer is returned as it is (a final 503 is the usual *SDKError).
	// Default 1h.
	MaxElapsedTime time.Duration
}

// Backoff defaults, as in the reference client.
const (
	DefaultInitialInterval = 500 * time.Millisecond
	DefaultMaxInterval     = 60 * time.Second
	DefaultExponent        = 1.5
	DefaultMaxElapsedTime  = time.Hour
)

// DefaultRetryStatusCodes are the status codes retried unless
// WithRetryStatusCodes names others. It is read when the package starts:
// changing it has no effect (use WithRetryStatusCodes).
var DefaultRetryStatusCodes = []string{"429", "500", "502", "503", "504"}

// BackoffRetry is a RetryConfig that retries with the default backoff,
// connection errors included.
func BackoffRetry() RetryConfig {
	return RetryConfig{Strategy: RetryStrategyBackoff, RetryConnectionErrors: true}
}

func (rc RetryConfig) validate() error {
	switch rc.Strategy {
	case "", RetryStrategyNone, RetryStrategyBackoff:
	default:
		return &ArgumentError{Name: "retry strategy", Problem: fmt.Sprintf("%q is not %q or %q", rc.Strategy, RetryStrategyNone, RetryStrategyBackoff)}
	}
	b := rc.Backoff
	if b.InitialInterval < 0 || b.MaxInterval < 0 || b.MaxElapsedTime < 0 {
		return &ArgumentError{Name: "backoff", Problem: "has a negative duration"}
	}
	if b.Exponent != 0 && (b.Exponent < 1 || math.IsNaN(b.Exponent) || math.IsInf(b.Exponent, 0)) {
		return &ArgumentError{Name: "backoff exponent", Problem: "must be at least 1"}
	}
	return nil
}

// withDefaults fills the zero fields.
func (b BackoffConfig) withDefaults() BackoffConfig {
	if b.InitialInterval == 0 {
		b.InitialInterval = DefaultInitialInterval
	}
	if b.MaxInterval == 0 {
		b.MaxInterval = DefaultMaxInterval
	}
	if b.Exponent == 0 {
		b.Exponent = DefaultExponent
	}
	if b.MaxElapsedTime == 0 {
		b.MaxElapsedTime = DefaultMaxElapsedTime
	}
	return b
}

// delay returns the wait before retry number n (0 for the first retry):
// InitialInterval * Exponent^n, with up to 25% random jitter added, capped at
// MaxInterval.
func (b BackoffConfig) delay(n int) time.Duration {
	d := float64(b.InitialInterval) * math.Pow(b.Exponent, float64(n))
	d += d * 0.25 * jitter()
	if d > float64(b.MaxInterval) || math.IsInf(d, 0) || math.IsNaN(d) {
		return b.MaxInterval
	}
	return time.Duration(d)
}

// jitter returns a number in [0, 1). Tests may replace it.
var jitter = rand.Float64

// statusCodes matches status codes: exact codes and whole classes ("5XX").
type statusCodes []statusMatch

type statusMatch struct {
	code  int // an exact code, or the class digit (1-5) when class is set
	class bool
}

func parseStatusCodes(codes []string) (statusCodes, error) {
	out := make(statusCodes, 0, len(codes))
	for _, s := range codes {
		if len(s) == 3 && s[0] >= '1' && s[0] <= '5' && strings.EqualFold(s[1:], "XX") {
			out = append(out, statusMatch{code: int(s[0] - '0'), class: true})
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || len(s) != 3 || n < 100 || n > 599 {
			return nil, &ArgumentError{Name: "retry status code", Problem: fmt.Sprintf("%q is not a status code (like \"503\") or class (like \"5XX\")", s)}
		}
		out = append(out, statusMatch{code: n})
	}
	return out, nil
}

var defaultRetryCodes, _ = parseStatusCodes(DefaultRetryStatusCodes)

func (sc statusCodes) match(status int) bool {
	if sc == nil {
		sc = defaultRetryCodes
	}
	for _, m := range sc {
		if m.class && status/100 == m.code || !m.class && status == m.code {
			return true
		}
	}
	return false
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date. It
// returns 0 when the header is absent, malformed or in the past.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(math.MaxInt64/time.Second) {
			return time.Duration(math.MaxInt64)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// send sends req, retrying as the configuration says: one attempt when
// retries are off, else attempts with backoff while the policy allows and
// MaxElapsedTime has not passed, after which the last answer is returned as
// it is.
func (cfg *config) send(ctx context.Context, req *request) (response, error) {
	if cfg.retry.Strategy != RetryStrategyBackoff {
		return cfg.attempt(ctx, req, 1)
	}
	b := cfg.retry.Backoff.withDefaults()
	policy := cfg.retryPolicy()
	start := time.Now()
	sent := false // some attempt reached the server
	for n := 0; ; n++ {
		resp, err := cfg.attempt(ctx, req, n+1)
		var te *TransportError
		sent = sent || err == nil || errors.As(err, &te) && te.RequestSent
		if ctx.Err() != nil || !policy.allows(req.idempotent, resp.status, err) {
			return resp, err
		}
		if time.Since(start) > b.MaxElapsedTime {
			return resp, err // the last answer, as it is
		}
		wait := retryAfter(resp.header, time.Now())
		if wait <= 0 {
			wait = b.delay(n)
		}
		wait = min(wait, b.MaxInterval)
		if cfg.debug(ctx) {
			cause := retryCause(resp, err)
			if text, ok := cause.(string); ok { // a transport's error may quote the server
				cause = req.redactor().str(text)
			}
			cfg.log(ctx, "intuned: retrying", req, n+1, slog.Duration("wait", wait), slog.Any("cause", cause))
		}
		if serr := sleep(ctx, wait); serr != nil {
			// The context ended between attempts: say what the last one got,
			// and whether any reached the server.
			return response{}, &TransportError{Operation: req.op.name, RequestSent: sent,
				Err: fmt.Errorf("waiting to retry after %v: %w", retryCause(resp, err), serr)}
		}
	}
}

func retryCause(resp response, err error) any {
	if err != nil {
		return err.Error()
	}
	return resp.status
}

// retryPolicy says which failed attempts of a call are sent again: the one
// definition of "transient" in the SDK. The executor's retries (send) ask
// the client's (config.retryPolicy); the waits' riding-out (batch.go) asks
// the same with connection errors always on (config.waitRetryPolicy).
type retryPolicy struct {
	codes            statusCodes // the statuses retried; nil: DefaultRetryStatusCodes
	connectionErrors bool        // an attempt that got no answer is retried too
	nonIdempotent    bool        // a call that is not idempotent is retried like any other
}

func (cfg *config) retryPolicy() retryPolicy {
	return retryPolicy{codes: cfg.retryCodes, connectionErrors: cfg.retry.RetryConnectionErrors, nonIdempotent: cfg.retry.RetryNonIdempotent}
}

func (cfg *config) waitRetryPolicy() retryPolicy {
	p := cfg.retryPolicy()
	p.connectionErrors = true
	return p
}

// allows reports whether an attempt that failed with status (an answer) or
// err (no answer, a *TransportError) may be sent again. It may when the
// failure is transient: a status of the policy's codes, or, with
// connectionErrors, no answer for a reason other than a certificate that
// does not verify (it will not verify next time either). And it may when
// sending it again cannot make the server act twice: the call is
// idempotent, or the server cannot have acted on it (the request never
// left, or the server refused it: 429 Too Many Requests, 503 Service
// Unavailable), or the policy is nonIdempotent (the caller accepts that it
// may act twice).
func (p retryPolicy) allows(idempotent bool, status int, err error) bool {
	if err != nil {
		var te *TransportError
		transient := p.connectionErrors && errors.As(err, &te) && !te.certificate()
		return transient && (idempotent || p.nonIdempotent || !te.RequestSent)
	}
	refused := status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
	return p.codes.match(status) && (idempotent || p.nonIdempotent || refused)
}

// failure recovers what retryPolicy.allows needs from an error an operation
// returned: the status of an *SDKError, or the *TransportError. ok is false
// for every other error (bad input, a 400 or 401, a body that does not
// match), which no retry can fix.
func failure(err error) (status int, transport error, ok bool) {
	var se *SDKError
	if errors.As(err, &se) {
		return se.Code, nil, true
	}
	var te *TransportError
	if errors.As(err, &te) {
		return 0, te, true
	}
	return 0, nil, false
}
