package sdk

import (
	"context"
	"fmt"
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
	// RetryNone sends each request once. It is the default.
	RetryNone RetryStrategy = "none"
	// RetryBackoff retries with exponential backoff and jitter.
	RetryBackoff RetryStrategy = "backoff"
)

// RetryConfig says when and how a failed attempt is retried. The zero value
// retries nothing. With Strategy RetryBackoff, an attempt is retried when its
// status is one of the retried codes (DefaultRetryStatusCodes, or those of
// WithRetryStatusCodes), or, with RetryConnectionErrors, when it failed to
// connect or timed out. POST requests (start, resume) are retried too, as the
// reference client does.
type RetryConfig struct {
	Strategy RetryStrategy
	// Backoff tunes RetryBackoff; zero fields take the defaults below.
	Backoff BackoffConfig
	// RetryConnectionErrors also retries connection errors and attempts cut
	// off by WithTimeout. Cancellation of the call's context is never retried.
	RetryConnectionErrors bool
}

// BackoffConfig tunes RetryBackoff. Zero fields take the defaults.
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
// WithRetryStatusCodes names others.
var DefaultRetryStatusCodes = []string{"429", "500", "502", "503", "504"}

// BackoffRetry is a RetryConfig that retries with the default backoff,
// connection errors included.
func BackoffRetry() RetryConfig {
	return RetryConfig{Strategy: RetryBackoff, RetryConnectionErrors: true}
}

func (rc RetryConfig) validate() error {
	switch rc.Strategy {
	case "", RetryNone, RetryBackoff:
	default:
		return &ArgumentError{Name: "retry strategy", Problem: fmt.Sprintf("%q is not %q or %q", rc.Strategy, RetryNone, RetryBackoff)}
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
