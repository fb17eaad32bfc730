package sdk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// This file is how a wait that starts operations survives a restart: it
// records each start in a Journal under a key (WithJournal), and when the
// same call runs again with the same journal, it waits on what had started
// instead of starting it again (resume). FileJournal (journal_file.go) is
// the journal kept in a local file.

// A Journal keeps, for the waits that start operations (StartAndWait,
// StartAndWaitAll, AppendAndWait, AppendAndWaitAll) given WithJournal, a
// record of each operation: that its start is about to be sent, that it
// started (its IDs) or was refused, that it ended. The same call run again
// with the same journal and batch (after a crash, a deploy) starts only
// what never started, waits on what had started, reports again what had
// ended, and reports what may or may not have started as an
// *AmbiguousStartError.
//
// FileJournal keeps one in a local file. A journal on a shared store (a
// database, a key-value service) lets several processes share the work of
// a batch: see the README, "Surviving a restart". Its methods may be called
// concurrently.
type Journal interface {
	// Load returns the records of batch, in the order they were recorded.
	Load(ctx context.Context, batch string) ([]JournalRecord, error)
	// Record appends r to the records of r.Batch. A record of
	// JournalEventSending or JournalEventStarted must be durable when Record
	// returns: the start is sent only after its sending record is. The
	// others may become durable later (losing one only makes the next run
	// read an outcome again, or call a start ambiguous). An error from
	// Record of a sending record stops that start: the operation ends with
	// the error, unsent.
	//
	// A sending record claims its key's Send-th start: a journal several
	// processes share refuses a second sending record of the same key and
	// Send with an error wrapping ErrJournalKeyTaken (a conditional
	// insert), so that of two processes running the same batch, one starts
	// each operation.
	Record(ctx context.Context, r JournalRecord) error
}

// JournalEvent is what a JournalRecord records.
type JournalEvent string

// The journal events.
const (
	// JournalEventSending: the start is about to be sent, the Send-th
	// time.
	JournalEventSending JournalEvent = "sending"
	// JournalEventStarted: the start was answered: Path holds the handle's
	// path values, the operation's ID last.
	JournalEventStarted JournalEvent = "started"
	// JournalEventRefused: the start failed in a way the server cannot have
	// acted on (it refused it with a 4xx answer other than 408, or a 503,
	// or the request never left): nothing started, and the next send or run
	// starts it afresh. A start that failed otherwise (a 500, a connection
	// lost after the request left) is left as sent: it may have started.
	JournalEventRefused JournalEvent = "refused"
	// JournalEventEnded: the wait ended on a final state: Error is the
	// failure's text, "" when done.
	JournalEventEnded JournalEvent = "ended"
)

// JournalRecord is one record of a Journal. Its JSON form is a FileJournal's
// line.
type JournalRecord struct {
	// Batch is the batch's name, as given to WithJournal.
	Batch string `json:"batch"`
	// Key says which operation of the batch: its index in the call's
	// slice ("0" for StartAndWait), or the key WithJournalKeys gave it.
	Key string `json:"key"`
	// Event is what is recorded.
	Event JournalEvent `json:"event"`
	// Wait names the call that records, less a final "All"
	// (project.queues.items.appendAndWait for AppendAndWait and
	// AppendAndWaitAll alike): a batch is resumed by the same kind of call
	// only.
	Wait string `json:"wait"`
	// Send counts, in a sending record, the sends of the key's start over
	// every run, from 1.
	Send int `json:"send,omitempty"`
	// Path is, in a started or ended record, the path values of the
	// operation's result call after the workspace: its project (and queue),
	// then its ID.
	Path []string `json:"path,omitempty"`
	// AuthSessionID is the auth session an auth-session create or update
	// names, where known.
	AuthSessionID string `json:"authSessionId,omitempty"`
	// Error is, in an ended record, the text of the error the wait ended
	// with ("" when it ended done), in a refused record the start's.
	Error string `json:"error,omitempty"`
	// Time is when it was recorded.
	Time time.Time `json:"time"`
}

// ErrJournalKeyTaken is what a Journal's Record wraps when it refuses a
// sending record because the key already has one (another process is
// starting that operation): the operation is left to that process, and
// ends in this one with a *JournalError wrapping it.
var ErrJournalKeyTaken = errors.New("the key's start is already recorded (another process starts it)")

// AmbiguousStartError is the outcome of an operation whose start an earlier
// run sent without recording the answer (it died meanwhile): the operation
// may or may not exist, so it is neither waited on nor started again,
// unless WithJournalResends allows it.
type AmbiguousStartError struct {
	Batch, Key string
	// Sends is how many of its starts were sent without an answer
	// recorded.
	Sends int
}

func (e *AmbiguousStartError) Error() string {
	return fmt.Sprintf("intuned: journal batch %q key %q: the start was sent (%d times) but its answer was never recorded: the operation may exist; it is not started again unless WithJournalResends allows it", e.Batch, e.Key, e.Sends)
}

// JournalError is an error of the journal itself (Load or Record) that
// ended a wait: a start whose sending record failed is not sent.
type JournalError struct {
	Batch, Key string // Key: "" for Load
	Err        error
}

func (e *JournalError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("intuned: journal batch %q: %v", e.Batch, e.Err)
	}
	return fmt.Sprintf("intuned: journal batch %q key %q: %v", e.Batch, e.Key, e.Err)
}

func (e *JournalError) Unwrap() error { return e.Err }

// journalConfig is the journal of a wait (WithJournal and its options), in
// a waitConfig.
type journalConfig struct {
	journal Journal
	batch   string
	keys    func(i int) string // nil: the index
	resends int
}

// WithJournal makes a wait that starts operations record them in j under
// the batch's name, so that the same call run again with j and batch after
// a crash starts none twice (see Journal). Each operation's key is its
// index in the call's slice unless WithJournalKeys names them. Only the
// waits that start operations take it, given to the wait: see Options in the
// package documentation.
func WithJournal(j Journal, batch string) Option {
	return waitOption{name: "WithJournal", scope: startWait, set: func(w *waitConfig) error {
		if j == nil || batch == "" {
			return &ArgumentError{Name: "journal", Problem: "needs a Journal and a batch name"}
		}
		w.journal.journal, w.journal.batch = j, batch
		return nil
	}}
}

// WithJournalKeys names the journal key of the i-th operation of a wait
// given WithJournal: keys must be unique and not empty (an item's own ID,
// say), so that a batch whose slice changes between runs resumes each item
// by its key. Only the waits that start operations take it.
func WithJournalKeys(key func(i int) string) Option {
	return waitOption{name: "WithJournalKeys", scope: startWait, set: func(w *waitConfig) error {
		w.journal.keys = key
		return nil
	}}
}

// WithJournalResends allows a wait given WithJournal to send again, up to n
// times over all runs, a start that an earlier run sent without recording
// the answer: each may start the operation once more (and be paid for
// again). Without it (n = 0), such an operation ends with an
// *AmbiguousStartError. Give it only when no other process runs the batch:
// a start another process has in flight looks unanswered too. Only the
// waits that start operations take it.
func WithJournalResends(n int) Option {
	return waitOption{name: "WithJournalResends", scope: startWait, set: func(w *waitConfig) error {
		if n < 0 {
			return &ArgumentError{Name: "journal resends", Problem: "must not be negative"}
		}
		w.journal.resends = n
		return nil
	}}
}

// keyState is what the records of one key say.
type keyState struct {
	send          int  // the last sending record's Send
	pending       bool // the last send has no answer recorded
	unanswered    int  // the sends without an answer recorded
	path          []string
	authSessionID string
}

// readJournal prepares the flows of a wait given WithJournal from what the
// journal holds of its batch: a flow whose operation started is waited on
// by its handle (an ended one too: its outcome is read again); one whose
// last start may have been sent ends at once with an *AmbiguousStartError,
// unless WithJournalResends allows another; the others start, recording
// as they go (journaled).
func readJournal[T any](ctx context.Context, w *waitPlan, k *lroKind[T], flows []*flow[T]) error {
	jc := w.cfg.wait.journal
	keys := make(map[string]bool, len(flows))
	for _, f := range flows {
		f.key = strconv.Itoa(f.index)
		if jc.keys != nil {
			f.key = jc.keys(f.index)
		}
		if f.key == "" || keys[f.key] {
			return &ArgumentError{Name: fmt.Sprintf("journal key of operation %d", f.index), Problem: fmt.Sprintf("%q is empty or given twice", f.key)}
		}
		keys[f.key] = true
	}
	records, err := jc.journal.Load(ctx, jc.batch)
	if err != nil {
		return &JournalError{Batch: jc.batch, Err: err}
	}
	states := map[string]*keyState{}
	for _, r := range records {
		if r.Wait != w.journalWait() {
			return &ArgumentError{Name: "journal batch " + jc.batch, Problem: fmt.Sprintf("was recorded by %s, not %s: give each kind of call its own batch", r.Wait, w.journalWait())}
		}
		s := states[r.Key]
		if s == nil {
			s = &keyState{}
			states[r.Key] = s
		}
		switch r.Event {
		case JournalEventSending:
			s.send, s.pending = max(s.send, r.Send), true
			s.unanswered++
		case JournalEventRefused:
			s.pending = false
			s.unanswered--
		case JournalEventStarted, JournalEventEnded:
			if r.Path != nil {
				s.pending, s.path, s.authSessionID = false, r.Path, r.AuthSessionID
			}
		}
	}
	for _, f := range flows {
		s := states[f.key]
		switch {
		case s == nil:
		case s.path != nil:
			f.op = newOperation(w.client, k, false, s.path...)
			f.op.authSessionID, f.authSessionID = s.authSessionID, s.authSessionID
		case s.pending && s.unanswered > jc.resends:
			f.err = &AmbiguousStartError{Batch: jc.batch, Key: f.key, Sends: s.unanswered}
		default:
			f.send = s.send
		}
	}
	return nil
}

// journaled is start, recording in the wait's journal that it is about to
// be sent (durably, before it is) and that it started.
func journaled[T any](w *waitPlan, f *flow[T], start func(ctx context.Context, callOpts []Option) (*Operation[T], error)) func(ctx context.Context, callOpts []Option) (*Operation[T], error) {
	return func(ctx context.Context, callOpts []Option) (*Operation[T], error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f.send++
		if err := w.record(ctx, JournalRecord{Key: f.key, Event: JournalEventSending, Send: f.send, AuthSessionID: f.authSessionID}); err != nil {
			return nil, err
		}
		op, err := start(ctx, callOpts)
		if err != nil {
			if notActedOn(err) {
				// Nothing started: the next send, or run, starts it afresh.
				// (Lost, this record only makes the start look ambiguous.)
				_ = w.record(ctx, JournalRecord{Key: f.key, Event: JournalEventRefused, Error: w.cfg.redactor().str(err.Error())})
			}
			return nil, err
		}
		// The operation runs even if this fails: the handle goes with the
		// error, so that its outcome names it.
		return op, w.record(ctx, JournalRecord{Key: f.key, Event: JournalEventStarted, Path: op.args, AuthSessionID: op.authSessionID})
	}
}

// ended records in the wait's journal that f ended on a final state. A
// flow that ended otherwise (its context, an error polling) is left as it
// was: the next run waits on it again.
func (f *flow[T]) ended(ctx context.Context, w *waitPlan, err error) {
	if w.cfg.wait.journal.journal == nil || !f.final {
		return
	}
	r := JournalRecord{Key: f.key, Event: JournalEventEnded, Path: f.op.args, AuthSessionID: f.authSessionID}
	if err != nil {
		r.Error = w.cfg.redactor().str(err.Error())
	}
	// Losing it only means the outcome is read again: an error is not
	// worth ending the wait for.
	_ = w.record(ctx, r)
}

// notActedOn reports whether a start that failed with err cannot have
// started anything: the server refused it (a 4xx answer but 408, a 503),
// or its request never left (a *TransportError that says so, a context
// that ended between two attempts, input refused before sending).
func notActedOn(err error) bool {
	var te *TransportError
	if errors.As(err, &te) {
		return !te.RequestSent
	}
	var answered interface{ StatusCode() int }
	if errors.As(err, &answered) {
		s := answered.StatusCode()
		return s == http.StatusServiceUnavailable || s >= 400 && s < 500 && s != http.StatusRequestTimeout
	}
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrInvalidArgument)
}

// journalWait is the name the journal knows the wait by: a StartAndWait
// and its StartAndWaitAll share batches.
func (w *waitPlan) journalWait() string { return strings.TrimSuffix(w.name, "All") }

// record records r, an event of the wait, in its journal, if it has one.
func (w *waitPlan) record(ctx context.Context, r JournalRecord) error {
	jc := w.cfg.wait.journal
	if jc.journal == nil {
		return nil
	}
	r.Batch, r.Wait, r.Time = jc.batch, w.journalWait(), time.Now().UTC()
	if err := jc.journal.Record(ctx, r); err != nil {
		return &JournalError{Batch: jc.batch, Key: r.Key, Err: err}
	}
	return nil
}
