package sdk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"time"
)

// PollConfig tunes how Wait polls an operation's result. Zero fields take
// the defaults.
type PollConfig struct {
	// InitialDelay is the wait before the first poll of a just-started
	// operation, before the first poll after an answer, and the first
	// interval between polls. Default 1s.
	InitialDelay time.Duration
	// MaxDelay caps the interval between polls. Default 10s.
	MaxDelay time.Duration
	// Multiplier grows the interval after each pending poll. Default 1.5.
	Multiplier float64
	// MaxTransientErrors is how many polls in a row may fail with a 429, a
	// 5xx or a connection error before Wait gives up and returns the last
	// error. Default 5. These retries happen even when the client's retries
	// are off.
	MaxTransientErrors int
}

// Poll defaults.
const (
	DefaultPollInitialDelay       = time.Second
	DefaultPollMaxDelay           = 10 * time.Second
	DefaultPollMultiplier         = 1.5
	DefaultPollMaxTransientErrors = 5
)

func (p PollConfig) validate() error {
	if p.InitialDelay < 0 || p.MaxDelay < 0 || p.MaxTransientErrors < 0 {
		return &ArgumentError{Name: "poll config", Problem: "has a negative value"}
	}
	if p.Multiplier != 0 && (p.Multiplier < 1 || math.IsNaN(p.Multiplier) || math.IsInf(p.Multiplier, 0)) {
		return &ArgumentError{Name: "poll multiplier", Problem: "must be at least 1"}
	}
	return nil
}

func (p PollConfig) withDefaults() PollConfig {
	if p.InitialDelay == 0 {
		p.InitialDelay = DefaultPollInitialDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = max(DefaultPollMaxDelay, p.InitialDelay)
	}
	if p.Multiplier == 0 {
		p.Multiplier = DefaultPollMultiplier
	}
	if p.MaxTransientErrors == 0 {
		p.MaxTransientErrors = DefaultPollMaxTransientErrors
	}
	return p
}

// InfoRequestHandler answers an info request: it returns the OTP code, or
// one of req.Details.Choices. It may block (to ask a person) until ctx is
// done. An error ends the wait without answering.
type InfoRequestHandler func(ctx context.Context, req AuthSessionCreateResultRequestedMoreInfo) (answer string, err error)

// WaitEventKind says what a WaitEvent reports.
type WaitEventKind int

// The wait events.
const (
	// WaitStarted: StartAndWait started the operation OperationID (store
	// it to pick the operation up elsewhere).
	WaitStarted WaitEventKind = iota + 1
	// WaitPolled: a poll returned Result.
	WaitPolled
	// WaitAnswered: the info request in Result was answered with resume.
	WaitAnswered
	// WaitRetrying: a poll failed with the transient error Err; the wait
	// goes on after Delay.
	WaitRetrying
)

// WaitEvent reports the progress of a Wait to the function given to
// WithProgress.
type WaitEvent struct {
	Kind        WaitEventKind
	OperationID string
	// Polls is the number of result calls this Wait has made so far.
	Polls int
	// Result is the state polled (WaitPolled) or the request answered
	// (WaitAnswered).
	Result AuthSessionCreateResult
	// Err is the transient error of a WaitRetrying event.
	Err error
	// Delay is the wait before the next poll (zero when the wait ends).
	Delay time.Duration
}

// WithPolling tunes how Wait polls.
func WithPolling(p PollConfig) Option {
	return func(c *config) error {
		if err := p.validate(); err != nil {
			return err
		}
		c.poll = p
		return nil
	}
}

// WithInfoHandler makes Wait answer info requests with h and keep waiting,
// instead of returning them.
func WithInfoHandler(h InfoRequestHandler) Option {
	return func(c *config) error {
		c.infoHandler = h
		return nil
	}
}

// WithProgress makes Wait report each poll, answer and transient error to
// fn, synchronously, from the waiting goroutine.
func WithProgress(fn func(WaitEvent)) Option {
	return func(c *config) error {
		c.progress = fn
		return nil
	}
}

// OperationFailedError reports an operation that ended with status
// "failed".
type OperationFailedError struct {
	OperationID string
	// Code is the API's error code (the result's "error" member).
	Code string
	// Message is the API's description, for people.
	Message string
}

func (e *OperationFailedError) Error() string {
	return fmt.Sprintf("intuned: operation %s failed: %s: %s", e.OperationID, e.Code, e.Message)
}

// UnknownStatusError reports a status this SDK version does not know; Wait
// stops rather than poll for ever.
type UnknownStatusError struct {
	OperationID string
	Status      OperationStatus
	Raw         []byte
}

func (e *UnknownStatusError) Error() string {
	return fmt.Sprintf("intuned: operation %s has status %q, which this SDK version does not know", e.OperationID, e.Status)
}

// Wait polls the operation until it needs nothing more from the SDK, and
// returns:
//
//   - AuthSessionCreateResultDone when the auth session is ready;
//   - AuthSessionCreateResultRequestedMoreInfo when the operation asks for
//     an OTP code or a choice and no WithInfoHandler is given: answer it
//     (Resume) now or much later, then Wait again;
//   - an *OperationFailedError when the operation failed;
//   - an *UnknownStatusError for a status this SDK does not know;
//   - the call's error for anything else, including ctx's error: the context
//     is the wait's only deadline, and its end interrupts any delay at once.
//
// With WithInfoHandler, each info request is passed to the handler, answered
// with Resume (at most once), and the wait goes on. Polls back off from
// PollConfig.InitialDelay to MaxDelay; a Retry-After header from the server
// takes precedence. Polls that fail with a 429, a 5xx or a connection error
// are retried, up to PollConfig.MaxTransientErrors in a row, even when the
// client's retries are off. opts apply to every call the wait makes.
func (op *AuthSessionOperation) Wait(ctx context.Context, opts ...Option) (AuthSessionCreateResult, error) {
	w, err := op.newWaiter(ctx, opts)
	if err != nil {
		return nil, err
	}
	return w.run(ctx)
}

func (op *AuthSessionOperation) newWaiter(ctx context.Context, opts []Option) (*waiter, error) {
	cfg, err := op.client.callConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &waiter{op: op, cfg: &cfg, opts: opts, poll: cfg.poll.withDefaults()}, nil
}

// waiter is the state of one Wait.
type waiter struct {
	op        *AuthSessionOperation
	cfg       *config
	opts      []Option
	poll      PollConfig
	polls     int
	transient int // polls failed in a row
}

func (w *waiter) run(ctx context.Context) (AuthSessionCreateResult, error) {
	delay := time.Duration(0)
	if w.op.started {
		delay = w.poll.InitialDelay
	}
	interval := w.poll.InitialDelay
	for {
		if err := sleep(ctx, delay); err != nil {
			return nil, err
		}
		var header http.Header
		res, err := w.op.flow.result(ctx, w.op.client, w.op.project, w.op.id, w.opts, &header)
		w.polls++
		if err != nil {
			if ctx.Err() != nil || !transientPollError(err) || w.transient >= w.poll.MaxTransientErrors {
				return nil, err
			}
			w.transient++
			delay = interval
			if ra := retryAfterOf(err); ra > 0 {
				delay = ra
			}
			w.event(ctx, WaitEvent{Kind: WaitRetrying, Err: err, Delay: delay})
			interval = w.grow(interval)
			continue
		}
		w.transient = 0
		next := interval
		if ra := retryAfter(header, time.Now()); ra > 0 {
			next = ra
		}

		switch r := res.(type) {
		case AuthSessionCreateResultDone:
			w.event(ctx, WaitEvent{Kind: WaitPolled, Result: res})
			return res, nil
		case AuthSessionCreateResultFailed:
			w.event(ctx, WaitEvent{Kind: WaitPolled, Result: res})
			return nil, &OperationFailedError{OperationID: w.op.id, Code: r.Error, Message: r.Message}
		case AuthSessionCreateResultUnknown:
			w.event(ctx, WaitEvent{Kind: WaitPolled, Result: res})
			return nil, &UnknownStatusError{OperationID: w.op.id, Status: r.Status, Raw: r.Raw}
		case AuthSessionCreateResultRequestedMoreInfo:
			if w.op.wasAnswered(r.ID) {
				// Answered already; the server has not moved on yet.
				break
			}
			if w.cfg.infoHandler == nil {
				w.event(ctx, WaitEvent{Kind: WaitPolled, Result: res})
				return res, nil
			}
			w.event(ctx, WaitEvent{Kind: WaitPolled, Result: res})
			answer, err := w.cfg.infoHandler(ctx, r)
			if err != nil {
				return nil, fmt.Errorf("intuned: operation %s: info request handler: %w", w.op.id, err)
			}
			if err := w.op.Resume(ctx, r.ID, answer, w.opts...); err != nil {
				return nil, err
			}
			// Things move quickly after an answer: start over with short delays.
			interval = w.poll.InitialDelay
			delay = interval
			w.event(ctx, WaitEvent{Kind: WaitAnswered, Result: res, Delay: delay})
			continue
		}
		// Pending, or an answered request not yet taken up.
		w.event(ctx, WaitEvent{Kind: WaitPolled, Result: res, Delay: next})
		delay = next
		interval = w.grow(interval)
	}
}

func (w *waiter) grow(d time.Duration) time.Duration {
	n := time.Duration(float64(d) * w.poll.Multiplier)
	if n > w.poll.MaxDelay || n < d {
		return w.poll.MaxDelay
	}
	return n
}

func (w *waiter) event(ctx context.Context, e WaitEvent) {
	e.OperationID = w.op.id
	e.Polls = w.polls
	if w.cfg.debug(ctx) {
		attrs := []slog.Attr{slog.String("operation_id", e.OperationID), slog.Int("polls", e.Polls), slog.Duration("delay", e.Delay)}
		if e.Result != nil {
			attrs = append(attrs, slog.String("status", string(e.Result.OperationStatus())))
		}
		if e.Err != nil {
			attrs = append(attrs, slog.String("error", e.Err.Error()))
		}
		w.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "intuned: wait "+e.Kind.String(), attrs...)
	}
	if w.cfg.progress != nil {
		w.cfg.progress(e)
	}
}

// String names the event kind.
func (k WaitEventKind) String() string {
	switch k {
	case WaitStarted:
		return "started"
	case WaitPolled:
		return "polled"
	case WaitAnswered:
		return "answered"
	case WaitRetrying:
		return "retrying"
	}
	return fmt.Sprintf("WaitEventKind(%d)", int(k))
}

// transientPollError reports errors a wait outlives: 429s, 5xx answers and
// transport failures (not bad input, not 4xx, not a mismatched body).
func transientPollError(err error) bool {
	var se *SDKError
	if errors.As(err, &se) {
		return se.Code == http.StatusTooManyRequests || se.Code >= 500
	}
	var (
		ae *ArgumentError
		ve *ResponseValidationError
		ii *APIErrorInvalidInput
		ua *APIErrorUnauthorized
	)
	if errors.As(err, &ae) || errors.As(err, &ve) || errors.As(err, &ii) || errors.As(err, &ua) {
		return false
	}
	return retryableTransportError(err)
}

// retryAfterOf reads Retry-After from an *SDKError's headers.
func retryAfterOf(err error) time.Duration {
	var se *SDKError
	if errors.As(err, &se) {
		return retryAfter(se.Header, time.Now())
	}
	return 0
}

// OperationError wraps an error that ended StartAndWait after the operation
// had started, so that the caller can still pick the operation up (with
// Operation and OperationID).
type OperationError struct {
	ProjectName string
	OperationID string
	Err         error
}

func (e *OperationError) Error() string {
	return e.Err.Error() + " (operation " + e.OperationID + ")"
}

// Unwrap returns the error that ended the wait.
func (e *OperationError) Unwrap() error { return e.Err }

// startAndWait runs start, then waits on the operation it began, answering
// info requests with handler, and returns the ready auth session's ID.
func startAndWait(ctx context.Context, c *Client, f *flow, projectName string, handler InfoRequestHandler, opts []Option,
	start func() (CreateOrUpdateAuthSessionStart, error)) (string, error) {
	if handler == nil {
		return "", &ArgumentError{Name: "info request handler", Problem: "is nil"}
	}
	started, err := start()
	if err != nil {
		return "", err
	}
	op := newOperation(c, f, projectName, started.OperationID, true)
	w, err := op.newWaiter(ctx, append(opts[:len(opts):len(opts)], WithInfoHandler(handler)))
	var res AuthSessionCreateResult
	if err == nil {
		w.event(ctx, WaitEvent{Kind: WaitStarted, Delay: w.poll.InitialDelay})
		res, err = w.run(ctx)
	}
	if err != nil {
		return "", &OperationError{ProjectName: projectName, OperationID: op.id, Err: err}
	}
	done, ok := res.(AuthSessionCreateResultDone)
	if !ok { // Wait with a handler ends only when done; this guards the invariant
		return "", &OperationError{ProjectName: projectName, OperationID: op.id, Err: fmt.Errorf("intuned: wait ended with status %q", res.OperationStatus())}
	}
	return done.AuthSessionID, nil
}
