package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// journalItems are n queue items, each with a body of its own, so that the
// fake's StartCounts tell them apart.
func journalItems(n int) []sdk.QueueItemAppendRequest {
	items := make([]sdk.QueueItemAppendRequest, n)
	for i := range items {
		items[i] = sdk.QueueItemAppendRequest{APIName: "item", Parameters: sdk.ParametersObject{"n": i}}
	}
	return items
}

// createQueue creates the queue "q" of the project "p" at the fake.
func createQueue(t *testing.T, c *sdk.Client) {
	t.Helper()
	if _, err := c.Project.Queues.Create(context.Background(), "p", sdk.QueueCreateRequest{ID: sdk.Ptr("q")}); err != nil {
		t.Fatal(err)
	}
}

// openJournal opens a FileJournal in a new file, closed when the test ends.
func openJournal(t *testing.T) *sdk.FileJournal {
	t.Helper()
	j, err := sdk.OpenFileJournal(filepath.Join(t.TempDir(), "journal"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

// checkStartedOnce fails unless the fake started each item at most once,
// and those in done exactly once.
func checkStartedOnce(t *testing.T, srv *intunedtest.Server, n int, done map[int]bool) {
	t.Helper()
	counts := srv.StartCounts(intunedtest.ProjectQueuesItemsAppend)
	for i := range n {
		body := fmt.Sprintf(`{"apiName":"item","parameters":{"n":%d}}`, i)
		c := counts[body]
		if c > 1 || done[i] && c != 1 {
			t.Errorf("item %d started %d times at the fake", i, c)
		}
	}
}

// A batch cancelled halfway and run again with the same journal ends every
// item, starting none twice: what had started is waited on by its ID, what
// had ended is read again, the rest is started.
func TestJournalResumesACancelledBatch(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptAPI("item", intunedtest.Queued(1), intunedtest.Running(2), intunedtest.Completed(200, "ok"))
	c := srv.Client()
	q, err := c.Project.Queues.Create(context.Background(), "p", sdk.QueueCreateRequest{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "journal")
	items := journalItems(200)

	// The first run stops once 20 items have ended.
	j, err := sdk.OpenFileJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ended := 0
	for o := range c.Project.Queues.Items.AppendAndWaitAll(ctx, "p", *q.ID, items, sdk.WithJournal(j, "nightly"), sdk.WithMaxInFlight(8)) {
		if o.Err == nil {
			if ended++; ended == 20 {
				cancel()
			}
		}
	}
	cancel()
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	firstStarts := len(srv.StartCounts(intunedtest.ProjectQueuesItemsAppend))
	if firstStarts == len(items) || firstStarts < 20 {
		t.Fatalf("the first run started %d items: want it stopped halfway", firstStarts)
	}

	// The second run, with the journal reopened, ends them all.
	j, err = sdk.OpenFileJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	// A start cut short by the cancellation after its request left may
	// have started: it is ambiguous (at most the 8 in flight).
	done, seen, ambiguous := map[int]bool{}, map[int]bool{}, 0
	for o := range c.Project.Queues.Items.AppendAndWaitAll(context.Background(), "p", *q.ID, items, sdk.WithJournal(j, "nightly")) {
		var amb *sdk.AmbiguousStartError
		switch {
		case errors.As(o.Err, &amb):
			ambiguous++
		case o.Err != nil || string(o.Value.Result) != `"ok"` || o.OperationID == "":
			t.Errorf("item %d: %+v", o.Index, o)
		default:
			done[o.Index] = true
		}
		if seen[o.Index] {
			t.Errorf("item %d: two outcomes", o.Index)
		}
		seen[o.Index] = true
	}
	if len(seen) != len(items) || ambiguous > 8 {
		t.Errorf("%d outcomes for %d items, %d ambiguous", len(seen), len(items), ambiguous)
	}
	checkStartedOnce(t, srv, len(items), done)
}

// An operation whose start was sent but never answered in the journal (the
// process died meanwhile) is reported as an *AmbiguousStartError with its
// key, and not started, unless WithJournalResends allows it.
func TestJournalAmbiguousStart(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptAPI("item", intunedtest.Completed(200, "ok"))
	c := srv.Client()
	createQueue(t, c)
	path := filepath.Join(t.TempDir(), "journal")
	// Key 1 was being sent when the last run died.
	write := `{"batch":"b","key":"1","event":"sending","wait":"project.queues.items.appendAndWait","time":"2026-12-06T00:00:00Z"}` + "\n"
	if err := os.WriteFile(path, []byte(write), 0o600); err != nil {
		t.Fatal(err)
	}
	j, err := sdk.OpenFileJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	items := journalItems(3)
	run := func(opts ...sdk.Option) map[int]error {
		errs := map[int]error{}
		for o := range c.Project.Queues.Items.AppendAndWaitAll(context.Background(), "p", "q", items, append(opts, sdk.WithJournal(j, "b"))...) {
			errs[o.Index] = o.Err
		}
		return errs
	}
	errs := run()
	var amb *sdk.AmbiguousStartError
	if !errors.As(errs[1], &amb) || amb.Key != "1" || amb.Batch != "b" || amb.Sends != 1 {
		t.Errorf("item 1: err = %v, want an *AmbiguousStartError for key 1", errs[1])
	}
	if errs[0] != nil || errs[2] != nil {
		t.Errorf("items 0 and 2: %v, %v", errs[0], errs[2])
	}
	checkStartedOnce(t, srv, 3, map[int]bool{0: true, 2: true})
	if n := srv.StartCounts(intunedtest.ProjectQueuesItemsAppend)[`{"apiName":"item","parameters":{"n":1}}`]; n != 0 {
		t.Errorf("item 1 started %d times", n)
	}

	// Run again: still ambiguous; allowed one resend, it starts.
	if errs := run(); !errors.As(errs[1], &amb) {
		t.Errorf("item 1 again: %v", errs[1])
	}
	if errs := run(sdk.WithJournalResends(1)); errs[1] != nil {
		t.Errorf("item 1 resent: %v", errs[1])
	}
	checkStartedOnce(t, srv, 3, map[int]bool{0: true, 1: true, 2: true})
	if errs := run(sdk.WithJournalResends(1)); errs[1] != nil {
		t.Errorf("item 1 read again: %v", errs[1])
	}
	checkStartedOnce(t, srv, 3, map[int]bool{0: true, 1: true, 2: true})
}

// A batch that ended is reported again from the result calls, failures
// included, and none of it is started again; a start the API refused (a
// 400) started nothing, so the next run sends it afresh.
func TestJournalReportsEndedAgain(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptAPI("item", intunedtest.Completed(200, "ok"))
	srv.ScriptAPI("broken", intunedtest.Failed(502, "api_error", "no page"))
	srv.InjectFault(intunedtest.ProjectQueuesItemsAppend, 1, intunedtest.Fault{Status: 400, Body: `{"message":"bad item"}`, ContentType: "application/json"})
	c := srv.Client()
	createQueue(t, c)
	j := openJournal(t)
	items := []sdk.QueueItemAppendRequest{{APIName: "item"}, {APIName: "broken"}, {APIName: "item", Parameters: sdk.ParametersObject{"x": 1}}}
	var polls atomic.Int32
	run := func() []string {
		out := make([]string, len(items))
		for o := range c.Project.Queues.Items.AppendAndWaitAll(context.Background(), "p", "q", items, sdk.WithJournal(j, "b"), sdk.WithMaxInFlight(1),
			sdk.WithProgress(func(e sdk.WaitEvent) {
				if e.Kind == sdk.WaitEventKindPolled {
					polls.Add(1)
				}
			})) {
			var failed *sdk.OperationFailedError
			switch {
			case o.Err == nil:
				out[o.Index] = "done " + o.OperationID
			case errors.As(o.Err, &failed):
				out[o.Index] = "failed " + o.OperationID + " " + failed.Code
			default:
				out[o.Index] = "other " + o.Err.Error()
			}
		}
		return out
	}
	first := run()
	starts := srv.StartCounts(intunedtest.ProjectQueuesItemsAppend)
	polls.Store(0)
	second := run()
	if strings.Join(first[1:], "|") != strings.Join(second[1:], "|") {
		t.Errorf("outcomes differ:\nfirst  %q\nsecond %q", first, second)
	}
	if !strings.Contains(first[0], "invalid input (HTTP 400): bad item") || !strings.HasPrefix(first[1], "failed ") || !strings.HasPrefix(first[2], "done ") {
		t.Errorf("outcomes: %q", first)
	}
	if !strings.HasPrefix(second[0], "done ") {
		t.Errorf("the start the API refused, sent again: %q", second[0])
	}
	starts[`{"apiName":"item"}`]++
	if got := srv.StartCounts(intunedtest.ProjectQueuesItemsAppend); fmt.Sprint(got) != fmt.Sprint(starts) {
		t.Errorf("starts: %v after the second run, want %v", got, starts)
	}
	if polls.Load() != 3 {
		t.Errorf("the second run polled %d times, want 3 (the two read again, the one sent again)", polls.Load())
	}
}

// Bad journal options are refused before anything is sent.
func TestJournalRefusals(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	j := openJournal(t)
	ctx := context.Background()
	items := journalItems(2)
	for name, tt := range map[string]struct {
		opts []sdk.Option
		want string
	}{
		"no batch":   {[]sdk.Option{sdk.WithJournal(j, "")}, "needs a Journal and a batch name"},
		"keys twice": {[]sdk.Option{sdk.WithJournal(j, "b"), sdk.WithJournalKeys(func(int) string { return "k" })}, `"k" is empty or given twice`},
		"negative":   {[]sdk.Option{sdk.WithJournal(j, "b"), sdk.WithJournalResends(-1)}, "must not be negative"},
	} {
		t.Run(name, func(t *testing.T) {
			for o := range c.Project.Queues.Items.AppendAndWaitAll(ctx, "p", "q", items, tt.opts...) {
				if !errors.Is(o.Err, sdk.ErrInvalidArgument) || !strings.Contains(o.Err.Error(), tt.want) {
					t.Errorf("err = %v, want %q", o.Err, tt.want)
				}
			}
		})
	}
	if len(srv.Requests()) != 0 {
		t.Errorf("%d requests sent", len(srv.Requests()))
	}
	// A wait on handles starts nothing: it refuses the journal.
	op := c.Project.Run.Operation("p", "r")
	if _, err := op.Wait(ctx, sdk.WithJournal(j, "b")); err == nil || !strings.Contains(err.Error(), "applies only to waits that start operations") {
		t.Errorf("Wait with a journal: %v", err)
	}
	// A batch is resumed by the call that recorded it only.
	for range c.Project.Queues.Items.AppendAndWaitAll(ctx, "p", "q", items[:1], sdk.WithJournal(j, "mine")) {
	}
	_, err := c.Project.Run.StartAndWait(ctx, "p", sdk.RunRequest{API: "a", Parameters: sdk.ParametersObject{}}, sdk.WithJournal(j, "mine"))
	if err == nil || !strings.Contains(err.Error(), "was recorded by project.queues.items.appendAndWait") {
		t.Errorf("another call's batch: %v", err)
	}
}

// A FileJournal drops a torn last record (a crash while it was written),
// keeps the records before it, and appends after them; a line that is not
// a record anywhere else is an error naming the file and the line. No cut
// of a journal file panics or loses a whole record.
func TestFileJournalTornAndCorrupt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "journal")
	j, err := sdk.OpenFileJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, ev := range []sdk.JournalEvent{sdk.JournalEventSending, sdk.JournalEventStarted, sdk.JournalEventEnded} {
		if err := j.Record(ctx, sdk.JournalRecord{Batch: "b", Key: fmt.Sprint(i), Event: ev, Wait: "w", Path: []string{"p", "id"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(whole), "\n")
	lines = lines[:len(lines)-1] // the empty string after the last newline
	for cut := 0; cut <= len(whole); cut++ {
		p := filepath.Join(dir, fmt.Sprintf("cut-%d", cut))
		if err := os.WriteFile(p, whole[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		j, err := sdk.OpenFileJournal(p)
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		recs, _ := j.Load(ctx, "b")
		want := strings.Count(string(whole[:cut]), "\n")
		if len(recs) != want {
			t.Errorf("cut at %d: %d records, want %d", cut, len(recs), want)
		}
		// A record appended after a torn one is whole.
		if err := j.Record(ctx, sdk.JournalRecord{Batch: "b", Key: "new", Event: sdk.JournalEventSending, Wait: "w"}); err != nil {
			t.Fatal(err)
		}
		j.Close()
		j, err = sdk.OpenFileJournal(p)
		if err != nil {
			t.Fatalf("cut at %d, appended: %v", cut, err)
		}
		if recs, _ := j.Load(ctx, "b"); len(recs) != want+1 || recs[want].Key != "new" {
			t.Errorf("cut at %d, appended: %+v", cut, recs)
		}
		j.Close()
	}

	// A line that is not a record, not last: an error naming file and line.
	for name, bad := range map[string]string{"garbage": "not json\n", "no key": `{"batch":"b","event":"sending"}` + "\n", "half": lines[1][:20] + "\n"} {
		p := filepath.Join(dir, "bad-"+strings.ReplaceAll(name, " ", "-"))
		if err := os.WriteFile(p, []byte(lines[0]+bad+lines[2]), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := sdk.OpenFileJournal(p)
		if err == nil || !strings.Contains(err.Error(), p+" line 2: not a journal record") {
			t.Errorf("%s: err = %v, want one naming %s line 2", name, err, p)
		}
	}
}

// Two workers running the same batch on one journal start each operation
// once between them: a sending record claims its key, so the other worker
// waits on what it finds started, and leaves what it finds claimed
// (ErrJournalKeyTaken, or an *AmbiguousStartError for a start in flight).
func TestJournalSharedByTwoWorkers(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptAPI("item", intunedtest.Queued(1), intunedtest.Completed(200, "ok"))
	c := srv.Client()
	createQueue(t, c)
	j := openJournal(t)
	items := journalItems(80)
	var outcomes [2]map[int]string
	var wg sync.WaitGroup
	for w := range outcomes {
		outcomes[w] = map[int]string{}
		wg.Go(func() {
			for o := range c.Project.Queues.Items.AppendAndWaitAll(context.Background(), "p", "q", items, sdk.WithJournal(j, "shared"), sdk.WithMaxInFlight(4)) {
				var amb *sdk.AmbiguousStartError
				switch {
				case o.Err == nil:
					outcomes[w][o.Index] = "done"
				case errors.Is(o.Err, sdk.ErrJournalKeyTaken):
					outcomes[w][o.Index] = "taken"
				case errors.As(o.Err, &amb):
					outcomes[w][o.Index] = "in flight"
				default:
					outcomes[w][o.Index] = o.Err.Error()
				}
			}
		})
	}
	wg.Wait()
	done := map[int]bool{}
	for i := range items {
		a, b := outcomes[0][i], outcomes[1][i]
		if a != "done" && b != "done" {
			t.Errorf("item %d: %q and %q: neither worker ended it", i, a, b)
		}
		for _, o := range []string{a, b} {
			if o != "done" && o != "taken" && o != "in flight" {
				t.Errorf("item %d: %s", i, o)
			}
		}
		done[i] = true
	}
	checkStartedOnce(t, srv, len(items), done)
}

// New refuses the journal's options: they name one wait's batch.
func TestJournalOptionsAreNotTheClients(t *testing.T) {
	j := openJournal(t)
	for _, o := range []sdk.Option{sdk.WithJournal(j, "b"), sdk.WithJournalKeys(nil), sdk.WithJournalResends(1)} {
		if _, err := sdk.New(sdk.WithAPIKey("key-0123456789"), sdk.WithWorkspaceID("w"), o); !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), "give it to that wait, not to New") {
			t.Errorf("New: %v", err)
		}
	}
}

// A start the server cannot have acted on (a 503) is recorded as refused:
// a run cancelled while it waits to send it again leaves nothing
// ambiguous, and the next run starts it.
func TestJournalRefusedStartIsStartedAgain(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptAPI("item", intunedtest.Completed(200, "ok"))
	srv.InjectFault(intunedtest.ProjectQueuesItemsAppend, 1, intunedtest.Fault{Status: 503})
	c := srv.Client()
	createQueue(t, c)
	j := openJournal(t)
	items := journalItems(1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	retrying := sdk.WithProgress(func(e sdk.WaitEvent) {
		if e.Kind == sdk.WaitEventKindRetrying {
			cancel() // while the wait waits to send the start again
		}
	})
	_, err := c.Project.Queues.Items.AppendAndWait(ctx, "p", "q", items[0], sdk.WithJournal(j, "b"), retrying)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: %v", err)
	}
	done, err := c.Project.Queues.Items.AppendAndWait(context.Background(), "p", "q", items[0], sdk.WithJournal(j, "b"))
	if err != nil || string(done.Result) != `"ok"` {
		t.Fatalf("second run: %+v, %v", done, err)
	}
	checkStartedOnce(t, srv, 1, map[int]bool{0: true})
	recs, _ := j.Load(context.Background(), "b")
	var events []string
	for _, r := range recs {
		events = append(events, fmt.Sprintf("%s/%d", r.Event, r.Send))
	}
	if got := strings.Join(events, " "); got != "sending/1 refused/0 sending/2 started/0 ended/0" {
		t.Errorf("records: %s", got)
	}
}
