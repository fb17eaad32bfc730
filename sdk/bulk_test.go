package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// steady polls at a fixed 2 ms interval, so that the order in which
// operations end follows their scripts alone.
var steady = sdk.WithPolling(sdk.PollConfig{InitialDelay: 2 * time.Millisecond, MaxDelay: 2 * time.Millisecond, Multiplier: 1})

// pollsByOperation counts the polls of each operation of a wait.
type pollsByOperation struct {
	mu    sync.Mutex
	polls map[string]int
}

func (p *pollsByOperation) progress() sdk.Option {
	p.polls = map[string]int{}
	return sdk.WithProgress(func(e sdk.WaitEvent) {
		if e.Kind == sdk.WaitEventKindPolled {
			p.mu.Lock()
			p.polls[e.OperationID]++
			p.mu.Unlock()
		}
	})
}

// Every run gets exactly one outcome, in the order the runs end: the runs
// that complete at their first poll come out before any that need 21,
// each with the polls its script needs and not one more.
func TestRunStartAndWaitAllYieldsOutcomesAsRunsEnd(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptAPI("fast", intunedtest.Completed(200, "quick"))
	srv.ScriptAPI("slow", intunedtest.Running(20), intunedtest.Completed(200, "late"))
	srv.ScriptAPI("broken", intunedtest.Running(1), intunedtest.Failed(502, "api_error", "no page"))
	var reqs []sdk.RunRequest
	for i := range 30 {
		api := [...]string{"slow", "fast", "broken"}[i%3]
		reqs = append(reqs, sdk.RunRequest{API: api, Parameters: sdk.ParametersObject{"i": i}})
	}
	var polls pollsByOperation
	var order []string
	seen := map[int]bool{}
	for o := range srv.Client().Project.Run.StartAndWaitAll(context.Background(), "p", reqs, steady, polls.progress()) {
		if seen[o.Index] {
			t.Fatalf("index %d yielded twice", o.Index)
		}
		seen[o.Index] = true
		api := reqs[o.Index].API
		order = append(order, api)
		want := map[string]int{"fast": 1, "slow": 21, "broken": 2}[api]
		if got := polls.polls[o.OperationID]; got != want {
			t.Errorf("%s run %s: %d polls, want %d", api, o.OperationID, got, want)
		}
		switch api {
		case "broken":
			var oe *sdk.OperationError
			var failed *sdk.OperationFailedError
			if !errors.As(o.Err, &oe) || oe.OperationID != o.OperationID || oe.ProjectName != "p" || !errors.As(o.Err, &failed) || failed.StatusCode != 502 {
				t.Errorf("broken run: %+v", o)
			}
		default:
			var v string
			if o.Err != nil || o.Value.RunID != o.OperationID || o.Value.DecodeResult(&v) != nil || v != map[string]string{"fast": "quick", "slow": "late"}[api] {
				t.Errorf("%s run: %+v (%q)", api, o, v)
			}
		}
	}
	if len(seen) != len(reqs) {
		t.Fatalf("%d outcomes for %d runs", len(seen), len(reqs))
	}
	if slices.Contains(order[:lastIndex(order, "fast")], "slow") {
		t.Errorf("a slow run ended before a fast one: %v", order)
	}
}

func lastIndex(s []string, v string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == v {
			return i
		}
	}
	return -1
}

// Queue items, auth-session creates (answering their info requests through
// the handler, concurrently) and extractions go through the same batch.
func TestBulkCallsOfEveryKind(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	t.Run("queue items", func(t *testing.T) {
		srv.ScriptAPI("item", intunedtest.Queued(1), intunedtest.Running(1), intunedtest.Completed(200, "ok"))
		q, err := c.Project.Queues.Create(ctx, "p", sdk.QueueCreateRequest{})
		if err != nil {
			t.Fatal(err)
		}
		items := make([]sdk.QueueItemAppendRequest, 20)
		for i := range items {
			items[i] = sdk.QueueItemAppendRequest{APIName: "item"}
		}
		n := 0
		for o := range c.Project.Queues.Items.AppendAndWaitAll(ctx, "p", *q.ID, items, steady) {
			n++
			if o.Err != nil || o.Value.RunID != o.OperationID || string(o.Value.Result) != `"ok"` {
				t.Errorf("item %d: %+v", o.Index, o)
			}
		}
		if n != len(items) {
			t.Errorf("%d outcomes for %d items", n, len(items))
		}
	})

	t.Run("auth-session creates", func(t *testing.T) {
		srv.DefaultScript(intunedtest.Pending(1), intunedtest.OTP("Code?", "42"), intunedtest.Done(""))
		reqs := make([]sdk.AuthSessionCreateRequest, 12)
		for i := range reqs {
			reqs[i] = sdk.AuthSessionCreateRequest{ID: sdk.Ptr(fmt.Sprintf("bulk-%d", i)), Parameters: sdk.ParametersObject{}}
		}
		var asked atomic.Int64
		handler := func(ctx context.Context, r sdk.InfoRequest) (string, error) {
			asked.Add(1)
			return "42", nil
		}
		ids := map[string]bool{}
		for o := range c.Project.AuthSessions.Create.StartAndWaitAll(ctx, "p", reqs, handler, steady) {
			if o.Err != nil || o.Value != *reqs[o.Index].ID || o.OperationID == "" {
				t.Errorf("create %d: %+v", o.Index, o)
			}
			ids[o.Value] = true
		}
		if len(ids) != len(reqs) || asked.Load() != int64(len(reqs)) {
			t.Errorf("%d sessions, %d info requests answered; want %d of each", len(ids), asked.Load(), len(reqs))
		}
	})

	t.Run("extractions", func(t *testing.T) {
		srv.ScriptFile("https://example.com/a.pdf", intunedtest.Extracting(2), intunedtest.ExtractedMarkdown("# A\n"))
		reqs := []sdk.ExtractionRequest{
			{File: sdk.PDF(sdk.FromURL("https://example.com/a.pdf"))},
			{File: sdk.PDF(sdk.FromURL("https://example.com/a.pdf"))},
		}
		n := 0
		for o := range c.Files.ExtractMarkdown.StartAndWaitAll(ctx, reqs, steady) {
			n++
			if o.Err != nil || o.Value.Result != "# A\n" {
				t.Errorf("extraction %d: %+v", o.Index, o)
			}
		}
		if n != 2 {
			t.Errorf("%d outcomes", n)
		}
	})
}

// WaitAll picks up operations by handle, and yields the final state of each
// (here including a failed one's error).
func TestWaitAllOnHandles(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptAPI("ok", intunedtest.Running(2), intunedtest.Completed(200, 1))
	srv.ScriptAPI("bad", intunedtest.Failed(500, "boom", "it broke"))
	c := srv.Client()
	ctx := context.Background()
	var ops []*sdk.Operation[sdk.RunResult]
	for _, api := range []string{"ok", "bad", "ok"} {
		started, err := c.Project.Run.Start(ctx, "p", sdk.RunRequest{API: api, Parameters: sdk.ParametersObject{}})
		if err != nil {
			t.Fatal(err)
		}
		ops = append(ops, c.Project.Run.Operation("p", started.RunID))
	}
	got := map[int]sdk.Outcome[sdk.RunResult]{}
	for o := range sdk.WaitAll(ctx, ops, steady) {
		got[o.Index] = o
	}
	var failed *sdk.OperationFailedError
	if len(got) != 3 || !errors.As(got[1].Err, &failed) || failed.Code != "boom" || got[1].OperationID != ops[1].ID() {
		t.Fatalf("outcomes %+v", got)
	}
	for _, i := range []int{0, 2} {
		if done, ok := got[i].Value.(sdk.RunCompleted); !ok || got[i].Err != nil || done.RunID != ops[i].ID() {
			t.Errorf("outcome %d: %+v", i, got[i])
		}
	}
}

// Cancelling the context ends the batch at once (the poll interval here is
// an hour): every operation not yet ended comes out with the context's
// error, those started with their IDs (and, for a StartAndWaitAll, inside
// an *OperationError naming the project), those never started without.
func TestBulkCancelReportsWhatStarted(t *testing.T) {
	noLeaks(t)
	s := newServer(t, pendingOrStartedRun)
	c := newClient(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reqs := make([]sdk.RunRequest, 10)
	for i := range reqs {
		reqs[i] = runReq
	}
	var started atomic.Int64
	progress := sdk.WithProgress(func(e sdk.WaitEvent) {
		if e.Kind == sdk.WaitEventKindStarted && started.Add(1) == 4 {
			cancel()
		}
	})
	var ids []string
	var never int
	n := 0
	for o := range c.Project.Run.StartAndWaitAll(ctx, "p", reqs, sdk.WithMaxInFlight(1), progress,
		sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Hour})) {
		n++
		if !errors.Is(o.Err, context.Canceled) {
			t.Errorf("outcome %d: err %v, want context.Canceled", o.Index, o.Err)
		}
		var oe *sdk.OperationError
		switch {
		case o.OperationID != "":
			ids = append(ids, o.OperationID)
			if !errors.As(o.Err, &oe) || oe.OperationID != o.OperationID || oe.ProjectName != "p" {
				t.Errorf("started outcome %d: %v, want an *OperationError with its ID", o.Index, o.Err)
			}
		case errors.As(o.Err, &oe):
			t.Errorf("outcome %d never started, yet its error is an *OperationError: %v", o.Index, o.Err)
		default:
			never++
		}
	}
	if n != len(reqs) || len(ids) != 4 || never != 6 {
		t.Errorf("%d outcomes, %d started (%v), %d never started; want 10, 4, 6", n, len(ids), ids, never)
	}
	if got := s.count(); got != 4 {
		t.Errorf("%d requests sent, want the 4 starts and no poll", got)
	}
}

var runSeq atomic.Int64

// pendingOrStartedRun starts runs with IDs of their own, and answers every
// result call pending.
func pendingOrStartedRun(w http.ResponseWriter, r *http.Request, n int) {
	if r.Method == http.MethodGet {
		reply(200, `{"status":"pending","runId":"x"}`)(w, r, n)
		return
	}
	reply(201, fmt.Sprintf(`{"status":"pending","runId":"run-%d"}`, runSeq.Add(1)))(w, r, n)
}

// Breaking out of the loop stops the batch: nothing more is sent, and no
// goroutine outlives the loop (noLeaks).
func TestBulkBreakStopsEverything(t *testing.T) {
	noLeaks(t)
	s := newServer(t, pendingOrStartedRun)
	c := newClient(t, s)
	ops := make([]*sdk.Operation[sdk.RunResult], 50)
	for i := range ops {
		ops[i] = c.Project.Run.Operation("p", fmt.Sprint("run-", i))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	for o := range sdk.WaitAll(ctx, ops, steady) {
		if !errors.Is(o.Err, context.DeadlineExceeded) {
			t.Errorf("outcome %+v", o)
		}
		break
	}
	// Calls out when the loop ended may still reach the server's handler
	// after it; none may start later.
	time.Sleep(20 * time.Millisecond)
	sent := s.count()
	time.Sleep(30 * time.Millisecond)
	if s.count() != sent {
		t.Errorf("%d requests long after the loop ended", s.count()-sent)
	}
}

// A 429 holds back the whole batch, not only the operation that got it:
// after it, no call of any operation goes before its Retry-After (or, with
// none, the operation's poll interval) has passed.
func TestBulkThrottleHoldsBackTheBatch(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retryAfter string
		gap        time.Duration
	}{
		{"Retry-After", "1", time.Second},
		{"429 alone", "", 300 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeaks(t)
			var mu sync.Mutex
			var throttledAt time.Time
			var after []time.Time
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				mu.Lock()
				defer mu.Unlock()
				if n == 1 {
					throttledAt = time.Now()
					if tc.retryAfter != "" {
						w.Header().Set("Retry-After", tc.retryAfter)
					}
					reply(429, `{"error":"slow down"}`)(w, r, n)
					return
				}
				after = append(after, time.Now())
				reply(200, `{"status":"completed","runId":"r","statusCode":200}`)(w, r, n)
			})
			c := newClient(t, s)
			ops := make([]*sdk.Operation[sdk.RunResult], 6)
			for i := range ops {
				ops[i] = c.Project.Run.Operation("p", fmt.Sprint("run-", i))
			}
			n := 0
			for o := range sdk.WaitAll(context.Background(), ops, sdk.WithMaxInFlight(1),
				sdk.WithPolling(sdk.PollConfig{InitialDelay: tc.gap, MaxDelay: tc.gap})) {
				n++
				if o.Err != nil {
					t.Errorf("outcome %+v", o)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if n != len(ops) || len(after) != len(ops) {
				t.Fatalf("%d outcomes, %d calls after the 429", n, len(after))
			}
			// A lower bound on elapsed time: no flakiness on a slow machine.
			if first := after[0].Sub(throttledAt); first < tc.gap-10*time.Millisecond {
				t.Errorf("the next call went %v after the 429, want at least %v", first, tc.gap)
			}
		})
	}
}

// A Retry-After on a pending answer concerns that operation alone: the
// others are polled meanwhile.
func TestBulkRetryAfterOnPendingIsTheOperations(t *testing.T) {
	noLeaks(t)
	var calls sync.Map // path → polls
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		v, _ := calls.LoadOrStore(r.URL.Path, new(atomic.Int64))
		k := v.(*atomic.Int64).Add(1)
		if strings.HasSuffix(r.URL.Path, "/run/slow/result") && k == 1 {
			w.Header().Set("Retry-After", "3600")
			reply(200, `{"status":"pending","runId":"slow"}`)(w, r, n)
			return
		}
		if k < 3 {
			reply(200, `{"status":"pending","runId":"r"}`)(w, r, n)
			return
		}
		reply(200, `{"status":"completed","runId":"r","statusCode":200}`)(w, r, n)
	})
	c := newClient(t, s)
	// The bound fails the test (in place of a hang) if the pending answer's
	// Retry-After held back the others too.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ops := []*sdk.Operation[sdk.RunResult]{c.Project.Run.Operation("p", "slow"), c.Project.Run.Operation("p", "a"), c.Project.Run.Operation("p", "b")}
	var ended []string
	for o := range sdk.WaitAll(ctx, ops, steady) {
		ended = append(ended, fmt.Sprintf("%s:%v", o.OperationID, o.Err))
		if len(ended) == 2 {
			cancel() // the slow one would be polled in an hour
		}
	}
	want := []string{"a:<nil>", "b:<nil>", "slow:intuned: project.run.waitAll: operation slow: context canceled"}
	slices.Sort(ended[:2])
	if !slices.Equal(ended, want) {
		t.Errorf("ended %v, want %v", ended, want)
	}
}

// Polls in flight never exceed WithMaxInFlight, and the batch needs no
// goroutine per waiting operation: 500 operations wait with a handful of
// goroutines.
func TestBulkBoundsCallsAndGoroutines(t *testing.T) {
	noLeaks(t)
	var out, peak atomic.Int64
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		now := out.Add(1)
		for p := peak.Load(); now > p && !peak.CompareAndSwap(p, now); p = peak.Load() {
		}
		time.Sleep(time.Millisecond)
		out.Add(-1)
		if n%3 == 0 {
			reply(200, `{"status":"completed","runId":"r","statusCode":200}`)(w, r, n)
			return
		}
		reply(200, `{"status":"pending","runId":"r"}`)(w, r, n)
	})
	c := newClient(t, s)
	before := runtime.NumGoroutine()
	ops := make([]*sdk.Operation[sdk.RunResult], 500)
	for i := range ops {
		ops[i] = c.Project.Run.Operation("p", fmt.Sprint("run-", i))
	}
	most := 0
	progress := sdk.WithProgress(func(sdk.WaitEvent) { most = max(most, runtime.NumGoroutine()) })
	n := 0
	for o := range sdk.WaitAll(context.Background(), ops, steady, sdk.WithMaxInFlight(4), progress) {
		n++
		if o.Err != nil {
			t.Fatal(o.Err)
		}
	}
	if n != len(ops) || peak.Load() > 4 {
		t.Errorf("%d outcomes; %d calls at once, want at most 4", n, peak.Load())
	}
	// The 4 calls' goroutines, and the client's and the server's goroutines
	// of at most a few connections each: far fewer than the 500 waiting.
	if extra := most - before; extra > 40 {
		t.Errorf("%d goroutines more than before the batch while 500 operations waited", extra)
	}
}

// Bad input is refused for every operation before anything is sent; a
// sequence ranged over twice does not start its operations again.
func TestBulkRefusals(t *testing.T) {
	noLeaks(t)
	s := newServer(t, pendingOrStartedRun)
	c := newClient(t, s)
	ctx := context.Background()
	reqs := []sdk.RunRequest{runReq, runReq}
	errs := func(seq func(func(sdk.Outcome[sdk.RunCompleted]) bool)) (out []error) {
		for o := range seq {
			if o.Index != len(out) || o.OperationID != "" {
				t.Errorf("outcome %+v", o)
			}
			out = append(out, o.Err)
		}
		return out
	}
	var ae *sdk.ArgumentError
	for name, seq := range map[string]func(func(sdk.Outcome[sdk.RunCompleted]) bool){
		"max in flight": c.Project.Run.StartAndWaitAll(ctx, "p", reqs, sdk.WithMaxInFlight(0)),
		"poll config":   c.Project.Run.StartAndWaitAll(ctx, "p", reqs, sdk.WithPolling(sdk.PollConfig{Multiplier: 0.5})),
		"nil client":    sdk.ProjectRunStartAndWaitAll(ctx, nil, "p", reqs),
	} {
		if got := errs(seq); len(got) != 2 || !errors.As(got[0], &ae) || !errors.As(got[1], &ae) {
			t.Errorf("%s: %v", name, got)
		}
	}
	if got := errs(sdk.ProjectRunStartAndWaitAll(ctx, c, "p", nil)); len(got) != 0 {
		t.Errorf("no requests: %v", got)
	}
	other := newClient(t, s)
	for o := range sdk.WaitAll(ctx, []*sdk.Operation[sdk.RunResult]{c.Project.Run.Operation("p", "a"), other.Project.Run.Operation("p", "b")}) {
		if !errors.As(o.Err, &ae) || !strings.Contains(o.Err.Error(), "another Client") {
			t.Errorf("two clients: %v", o.Err)
		}
	}
	for o := range sdk.WaitAll(ctx, []*sdk.Operation[sdk.RunResult]{nil}) {
		if !errors.As(o.Err, &ae) {
			t.Errorf("nil operation: %v", o.Err)
		}
	}
	twice := c.Project.AuthSessions.Update.Operation("p", "o")
	for o := range sdk.WaitAllAuthSessions(ctx, []*sdk.AuthSessionOperation{twice, twice}) {
		if !errors.As(o.Err, &ae) || !strings.Contains(o.Err.Error(), "twice") {
			t.Errorf("a handle given twice: %v", o.Err)
		}
	}
	for o := range c.Project.AuthSessions.Update.StartAndWaitAll(ctx, "p", []sdk.AuthSessionUpdateRequest{{}}, nil) {
		if !errors.As(o.Err, &ae) {
			t.Errorf("nil handler: %v", o.Err)
		}
	}
	if s.count() != 0 {
		t.Fatalf("%d requests sent for refused input", s.count())
	}

	ctx, cancel := context.WithCancel(ctx)
	cancel()
	seq := c.Project.Run.StartAndWaitAll(ctx, "p", reqs)
	errs(seq)
	sent := s.count()
	for _, err := range errs(seq) {
		if err == nil || !strings.Contains(err.Error(), "ranged over once") {
			t.Errorf("second range: %v", err)
		}
	}
	if s.count() != sent {
		t.Errorf("a second range sent %d requests", s.count()-sent)
	}
}

// Polls that fall due go before starts not yet sent: results of the
// operations already started are not held up behind the rest of a big
// batch's starts. (Each start takes 5 ms here and a poll falls due 1 ms
// after its start: one call at a time, the first poll goes right after the
// second start.)
func TestBulkPollsDueGoBeforeStarts(t *testing.T) {
	noLeaks(t)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Method == http.MethodPost {
			time.Sleep(5 * time.Millisecond)
		}
		pendingOrStartedRun(w, r, n)
	})
	c := newClient(t, s)
	reqs := make([]sdk.RunRequest, 8)
	for i := range reqs {
		reqs[i] = runReq
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	progress := sdk.WithProgress(func(e sdk.WaitEvent) {
		if e.Kind == sdk.WaitEventKindPolled {
			cancel() // one poll is enough
		}
	})
	for range c.Project.Run.StartAndWaitAll(ctx, "p", reqs, sdk.WithMaxInFlight(1), progress,
		sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Millisecond})) {
	}
	var methods []string
	for _, r := range s.requests() {
		methods = append(methods, r.Method)
	}
	if got := strings.Join(methods, " "); got != "POST POST GET" {
		t.Errorf("requests %s, want POST POST GET: the first poll right after the start under way when it fell due", got)
	}
}

// A handler that panics or ends its goroutine does what it did before
// waits shared a scheduler: for a single wait, in the caller's goroutine;
// for a bulk call, the panic is raised again in the ranging goroutine once
// the batch has stopped, and a runtime.Goexit (t.FailNow) ends its flow
// with an error. Nothing hangs, nothing outlives the call.
func TestInfoHandlerPanicsAndExits(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.DefaultScript(intunedtest.OTP("Code?", "1"), intunedtest.Done(""))
	c := srv.Client()
	ctx := context.Background()
	req := func(id string) sdk.AuthSessionCreateRequest {
		return sdk.AuthSessionCreateRequest{ID: sdk.Ptr(id), Parameters: sdk.ParametersObject{}}
	}
	panics := func(context.Context, sdk.InfoRequest) (string, error) { panic("boom") }
	exits := func(context.Context, sdk.InfoRequest) (string, error) { runtime.Goexit(); return "", nil }

	recovered := func(f func()) (v any) {
		defer func() { v = recover() }()
		f()
		return nil
	}
	if v := recovered(func() { c.Project.AuthSessions.Create.StartAndWait(ctx, "p", req("a"), panics, steady) }); v != "boom" {
		t.Errorf("single wait: recovered %v, want the handler's panic", v)
	}
	if v := recovered(func() {
		for range c.Project.AuthSessions.Create.StartAndWaitAll(ctx, "p", []sdk.AuthSessionCreateRequest{req("b"), req("c")}, panics, steady) {
		}
	}); v != "boom" {
		t.Errorf("bulk: recovered %v, want the handler's panic", v)
	}

	returned := make(chan bool, 1)
	go func() {
		defer close(returned)
		c.Project.AuthSessions.Create.StartAndWait(ctx, "p", req("d"), exits, steady)
		returned <- true
	}()
	select {
	case r := <-returned:
		if r {
			t.Error("single wait: StartAndWait returned after its handler called runtime.Goexit in the caller's goroutine")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("single wait: still waiting 10 s after its handler called runtime.Goexit")
	}
	for o := range c.Project.AuthSessions.Create.StartAndWaitAll(ctx, "p", []sdk.AuthSessionCreateRequest{req("e"), req("f")}, exits, steady) {
		if o.Err == nil || !strings.Contains(o.Err.Error(), "Goexit") || o.OperationID == "" {
			t.Errorf("bulk outcome %+v, want the handler's exit as its error", o)
		}
	}
}
