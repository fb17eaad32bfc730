package sdk

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"
)

// This file holds what configures and reports a wait: PollConfig, the
// options of waits, a wait's plan, WaitEvent. The wait itself is in
// flow.go (one operation) and batch.go (many).

// PollConfig tunes how a wait polls an operation's result. Zero fields take
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
	// MaxTransientErrors is how many calls of a wait in a row may fail
	// transiently before the wait gives up and returns the last error.
	// Default 5. A wait rides these out even when the client's retries are
	// off: for a poll (a read), any failure the client's retry policy calls
	// transient (the retried status codes, by default 429, 500, 502, 503 and
	// 504, and failures without an answer); for a call that is not
	// idempotent (the start of StartAndWait, a resume), only those the
	// server cannot have acted on (429, 503, a connection never established).
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

// waitOption is an Option of waits: a call that does not wait refuses it
// (checkOptions); New takes it as the default of every wait.
type waitOption struct {
	name  string    // the option's function, as a refusal names it: "WithPolling"
	scope waitScope // the waits that take it
	set   func(*waitConfig) error
}

func (o waitOption) apply(c *config) error { return o.set(&c.wait) }

// waitScope says which calls take an option: a wait option's scope (one
// bit), or what a call takes (the bits of the options it takes).
type waitScope int

const (
	noWait          waitScope = 0 // a call that does not wait: call options only
	anyWait         waitScope = 1 // every wait: WithPolling, WithProgress, WithMaxInFlight
	authSessionWait waitScope = 2 // auth-session waits: WithInfoHandler, WithInfoRequestAsks
	startWait       waitScope = 4 // waits that start operations: WithJournal and its options
)

// checkOptions refuses, before anything is sent, the wait options among
// opts that call (a call's or a wait's name, as errors name it) does not
// take: takes says which it takes.
func checkOptions(call string, takes waitScope, opts []Option) error {
	for _, o := range opts {
		w, ok := o.(waitOption)
		switch {
		case !ok || w.scope&takes != 0:
		case takes == noWait:
			return &ArgumentError{Name: "option sdk." + w.name, Problem: "applies only to waits, and " + call + " does not wait"}
		case w.scope == authSessionWait:
			return &ArgumentError{Name: "option sdk." + w.name, Problem: "applies only to auth-session waits, and " + call + " does not wait on an auth session"}
		default:
			return &ArgumentError{Name: "option sdk." + w.name, Problem: "applies only to waits that start operations, and " + call + " starts none"}
		}
	}
	return nil
}

// callOptions returns the options among opts that apply to every call: the
// options a wait passes to each call it makes.
func callOptions(opts []Option) []Option {
	var calls []Option
	for _, o := range opts {
		if _, ok := o.(waitOption); !ok && o != nil {
			calls = append(calls, o)
		}
	}
	return calls
}

// waitConfig is the resolved configuration of waits: in a client's config,
// its defaults; in a wait's, with the wait's own options over them.
type waitConfig struct {
	poll     PollConfig // zero fields: the package defaults
	progress func(WaitEvent)
	// maxInFlight bounds the calls of the wait out at once; 0:
	// DefaultMaxInFlight.
	maxInFlight int
	auth        authWaitConfig // of auth-session waits (auth_sessions.go)
	journal     journalConfig  // of waits that start operations (journal.go)
}

// WithPolling tunes how a wait polls. Given to New, it is the default of
// every wait of the client; given to a wait, it replaces that default whole
// for that wait (a zero field takes the package default, not the
// client's). Only waits take it: see Options in the package documentation.
func WithPolling(p PollConfig) Option {
	return waitOption{name: "WithPolling", scope: anyWait, set: func(w *waitConfig) error {
		if err := p.validate(); err != nil {
			return err
		}
		w.poll = p
		return nil
	}}
}

// WithProgress makes a wait report each start, poll, answer and transient
// error to fn, one event at a time (never concurrently), as they happen: fn
// holds up the wait while it runs. WaitEvent.State holds the polled state, of
// the operation's state type (an AuthSessionOperationResult for auth-session
// operations). In a bulk call, WaitEvent.Index (the operation's position in
// the caller's slice) and OperationID say which operation an event is
// about, and for auth sessions AuthSessionID where known. Given to New, fn
// gets the events of every wait of the client (it must then be safe for
// concurrent use); given to a wait, it replaces that default for that wait
// (nil: no report). Only waits take it: see Options in the package
// documentation.
func WithProgress(fn func(WaitEvent)) Option {
	return waitOption{name: "WithProgress", scope: anyWait, set: func(w *waitConfig) error {
		w.progress = fn
		return nil
	}}
}

// DefaultMaxInFlight is how many calls (starts and polls) a wait has out at
// once at most, unless WithMaxInFlight says otherwise: as many as the
// default HTTP client's connections to the API (DefaultMaxConnsPerHost), so
// that a bulk call keeps every connection busy and no call queues for one.
const DefaultMaxInFlight = DefaultMaxConnsPerHost

// WithMaxInFlight bounds how many calls (starts and polls) a wait has out
// at once; those due beyond it wait their turn: polls (and calls made
// again) in the order they fell due, then the starts not yet sent.
// It matters to the bulk calls (StartAndWaitAll, WaitAll), where it bounds
// the load one batch puts on the API; a single wait has one call out at a
// time. Answers to info requests are sent as their handler returns, outside
// the bound. n must be at least 1. Given to New, it bounds each wait of the
// client (not all of them together); given to a wait, that wait. Only waits
// take it: see Options in the package documentation.
func WithMaxInFlight(n int) Option {
	return waitOption{name: "WithMaxInFlight", scope: anyWait, set: func(w *waitConfig) error {
		if n < 1 {
			return &ArgumentError{Name: "max in flight", Problem: "must be at least 1"}
		}
		w.maxInFlight = n
		return nil
	}}
}

// WaitEventKind says what a WaitEvent reports.
type WaitEventKind int

// The wait events.
const (
	// WaitEventKindStarted: a StartAndWait started the operation OperationID (store
	// it to pick the operation up elsewhere).
	WaitEventKindStarted WaitEventKind = iota + 1
	// WaitEventKindPolled: a poll returned State.
	WaitEventKindPolled
	// WaitEventKindAnswered: the state in State was acted on (an info request
	// answered with resume).
	WaitEventKindAnswered
	// WaitEventKindRetrying: a call failed with the transient error Err; the wait
	// goes on after Delay.
	WaitEventKindRetrying
)

// String names the event kind.
func (k WaitEventKind) String() string {
	switch k {
	case WaitEventKindStarted:
		return "started"
	case WaitEventKindPolled:
		return "polled"
	case WaitEventKindAnswered:
		return "answered"
	case WaitEventKindRetrying:
		return "retrying"
	}
	return fmt.Sprintf("WaitEventKind(%d)", int(k))
}

// WaitEvent reports the progress of a wait to the function given to
// WithProgress.
type WaitEvent struct {
	// Kind says what happened.
	Kind WaitEventKind
	// OperationID is the ID of the operation waited on; "" in a
	// WaitEventKindRetrying event of a start not yet answered.
	OperationID string
	// Index is the operation's position in the slice given to a bulk call
	// (StartAndWaitAll, AppendAndWaitAll, WaitAll, WaitAllAuthSessions), as
	// its Outcome's Index is; 0 for the single waits (StartAndWait,
	// AppendAndWait, Wait). Every event has it, those of a start not yet
	// answered included.
	Index int
	// AuthSessionID is, for an auth-session create or update, the ID of its
	// auth session where known: the one its request named (always for an
	// update; for a create with an ID), from the first event on, else the
	// one its done state names, from that WaitEventKindPolled event on. A handle
	// built from an operation ID alone (Update.Operation, Create.Operation)
	// knows it only from the done state. "" for other kinds of operations.
	AuthSessionID string
	// Polls is the number of result calls this wait has made so far.
	Polls int
	// State is the state polled (WaitEventKindPolled) or acted on (WaitEventKindAnswered):
	// an AuthSessionOperationResult for auth-session operations.
	State any
	// Status is State's status, as the API spelled it.
	Status string
	// Err is the transient error of a WaitEventKindRetrying event.
	Err error
	// Delay is the wait before the next call (zero when the wait ends).
	Delay time.Duration
}

// waitPlan is what a wait resolves when it is called: its name, the
// client's configuration with the wait's options over it (the client's
// defaults of waits, overridden by the wait's own), and the options each
// call of the wait takes.
type waitPlan struct {
	name     string // as errors name the wait: project.run.startAndWait
	client   *Client
	takes    waitScope // the options it takes: with authSessionWait, it answers info requests
	cfg      config    // cfg.wait.poll with the defaults filled in
	callOpts []Option
	eventMu  sync.Mutex // one event at a time
}

// planWait resolves the options of the wait name, which takes the options
// of takes (and refuses others, before anything is sent).
func planWait(ctx context.Context, c *Client, name string, takes waitScope, opts []Option) (*waitPlan, error) {
	if err := checkOptions(name, takes, opts); err != nil {
		return nil, err
	}
	cfg, err := c.callConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	cfg.wait.poll = cfg.wait.poll.withDefaults()
	return &waitPlan{client: c, name: name, takes: takes, cfg: cfg, callOpts: callOptions(opts)}, nil
}

// emit reports e (if it is one) to the logger, at debug level, and to
// WithProgress, one event at a time.
func (w *waitPlan) emit(ctx context.Context, e WaitEvent) {
	if e.Kind == 0 {
		return
	}
	w.eventMu.Lock()
	defer w.eventMu.Unlock()
	if w.cfg.debug(ctx) {
		// The ID and the status are the server's: redacted, as the errors
		// are.
		red := w.cfg.redactor()
		attrs := []slog.Attr{slog.String("operation_id", red.str(e.OperationID)), slog.Int("index", e.Index), slog.Int("polls", e.Polls), slog.Duration("delay", e.Delay)}
		if e.AuthSessionID != "" {
			attrs = append(attrs, slog.String("auth_session_id", red.str(e.AuthSessionID)))
		}
		if e.Status != "" {
			attrs = append(attrs, slog.String("status", red.str(e.Status)))
		}
		if e.Err != nil {
			attrs = append(attrs, slog.String("error", red.str(e.Err.Error())))
		}
		w.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "intuned: wait "+e.Kind.String(), attrs...)
	}
	if w.cfg.wait.progress != nil {
		w.cfg.wait.progress(e)
	}
}
