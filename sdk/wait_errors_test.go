package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// expiring is a context that ends with context.DeadlineExceeded when expire
// is called, as one with a deadline does when it passes: a wait cut by a
// deadline at a point the test chooses. It expires after 5 s anyway, so
// that a test whose wait never calls expire fails instead of hanging.
type expiring struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func newExpiring(t *testing.T) *expiring {
	c := &expiring{Context: context.Background(), done: make(chan struct{})}
	timer := time.AfterFunc(5*time.Second, c.expire)
	t.Cleanup(func() { timer.Stop() })
	return c
}

func (c *expiring) Done() <-chan struct{} { return c.done }

func (c *expiring) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

func (c *expiring) expire() { c.once.Do(func() { close(c.done) }) }

// waitEnd is how a wait ended for one operation.
type waitEnd struct {
	id  string
	err error
}

func endsOf[V any](outcomes iter.Seq[sdk.Outcome[V]]) []waitEnd {
	var ends []waitEnd
	for o := range outcomes {
		ends = append(ends, waitEnd{o.OperationID, o.Err})
	}
	return ends
}

func endOf[V any](_ V, err error) []waitEnd {
	var oe *sdk.OperationError
	if errors.As(err, &oe) {
		return []waitEnd{{oe.OperationID, err}}
	}
	return []waitEnd{{"", err}}
}

// The error that ends a wait on a started operation names the wait and the
// operation, as the errors of calls name the call, for every kind of
// operation and every kind of wait, single and bulk, started or on
// handles; it still matches the cause (errors.Is) and is an
// *sdk.OperationError (errors.As).
func TestWaitErrorsNameTheWait(t *testing.T) {
	noLeaks(t)
	sessions := []string{"u1", "u2", "u3", "u4", "u5", "u6"}
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", sessions...))
	defer srv.Close()
	const forever = 1 << 30 // steps: never ends
	srv.DefaultAPIScript(intunedtest.Running(forever))
	srv.DefaultFileScript(intunedtest.Extracting(forever))
	srv.DefaultScript(intunedtest.Pending(forever))
	c := srv.Client()
	bg := context.Background()
	if _, err := c.Project.Queues.Create(bg, "p", sdk.QueueCreateRequest{ID: sdk.Ptr("q")}); err != nil {
		t.Fatal(err)
	}

	var seq atomic.Int64
	unique := func(prefix string) string { return fmt.Sprintf("%s%d", prefix, seq.Add(1)) }
	run := func() sdk.RunRequest { return sdk.RunRequest{API: "slow", Parameters: sdk.ParametersObject{}} }
	item := func() sdk.QueueItemAppendRequest { return sdk.QueueItemAppendRequest{APIName: "slow"} }
	pdf := func() sdk.ExtractionRequest {
		return sdk.ExtractionRequest{File: sdk.PDF(sdk.FromURL("https://example.com/" + unique("f") + ".pdf"))}
	}
	data := func() sdk.StructuredDataExtractionRequest {
		return sdk.StructuredDataExtractionRequest{File: pdf().File, DataSchema: map[string]any{"type": "object"}}
	}
	update := func() sdk.AuthSessionUpdateRequest {
		return sdk.AuthSessionUpdateRequest{ID: sessions[seq.Add(1)%int64(len(sessions))], Parameters: sdk.ParametersObject{}}
	}
	create := func() sdk.AuthSessionCreateRequest {
		return sdk.AuthSessionCreateRequest{ID: sdk.Ptr(unique("c")), Parameters: sdk.ParametersObject{}}
	}
	never := func(context.Context, sdk.InfoRequest) (string, error) { return "", errors.New("not asked") }
	must := func(id string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	runIDs := func(n int) []*sdk.Operation[sdk.RunResult] {
		var ops []*sdk.Operation[sdk.RunResult]
		for range n {
			started, err := c.Project.Run.Start(bg, "p", run())
			ops = append(ops, c.Project.Run.Operation("p", must(started.RunID, err)))
		}
		return ops
	}
	itemOps := func(n int) []*sdk.Operation[sdk.QueueItemResult] {
		var ops []*sdk.Operation[sdk.QueueItemResult]
		for range n {
			added, err := c.Project.Queues.Items.Append(bg, "p", "q", item())
			ops = append(ops, c.Project.Queues.Items.Operation("p", "q", must(added.RunID, err)))
		}
		return ops
	}
	tableOps := func(n int) []*sdk.Operation[sdk.TableExtractionResult] {
		var ops []*sdk.Operation[sdk.TableExtractionResult]
		for range n {
			started, err := c.Files.ExtractTables.Start(bg, pdf())
			ops = append(ops, c.Files.ExtractTables.Operation(must(started.OperationID, err)))
		}
		return ops
	}
	updateOps := func(n int) []*sdk.AuthSessionOperation {
		var ops []*sdk.AuthSessionOperation
		for range n {
			started, err := c.Project.AuthSessions.Update.Start(bg, "p", update())
			ops = append(ops, c.Project.AuthSessions.Update.Operation("p", must(started.OperationID, err)))
		}
		return ops
	}
	createOps := func(n int) []*sdk.AuthSessionOperation {
		var ops []*sdk.AuthSessionOperation
		for range n {
			started, err := c.Project.AuthSessions.Create.Start(bg, "p", create())
			ops = append(ops, c.Project.AuthSessions.Create.Operation("p", must(started.OperationID, err)))
		}
		return ops
	}

	type waitCase struct {
		wait           string // its name, as errors give it
		project, queue string // of its operations
		ops            int    // how many it waits on
		started        bool   // it starts them (else it waits on handles)
		// do runs the wait with opts and says how it ended for each.
		do func(ctx context.Context, opts ...sdk.Option) []waitEnd
	}
	cases := []waitCase{
		{"project.run.startAndWait", "p", "", 1, true, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endOf(c.Project.Run.StartAndWait(ctx, "p", run(), opts...))
		}},
		{"project.run.startAndWaitAll", "p", "", 2, true, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endsOf(c.Project.Run.StartAndWaitAll(ctx, "p", []sdk.RunRequest{run(), run()}, opts...))
		}},
		{"project.run.wait", "p", "", 1, false, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endOf(runIDs(1)[0].Wait(ctx, opts...))
		}},
		{"project.run.waitAll", "p", "", 2, false, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endsOf(sdk.WaitAll(ctx, runIDs(2), opts...))
		}},
		{"project.queues.items.appendAndWait", "p", "q", 1, true, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endOf(sdk.ProjectQueuesItemsAppendAndWait(ctx, c, "p", "q", item(), opts...))
		}},
		{"project.queues.items.appendAndWaitAll", "p", "q", 2, true, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endsOf(c.Project.Queues.Items.AppendAndWaitAll(ctx, "p", "q", []sdk.QueueItemAppendRequest{item(), item()}, opts...))
		}},
		{"project.queues.items.wait", "p", "q", 1, false, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endOf(itemOps(1)[0].Wait(ctx, opts...))
		}},
		{"project.queues.items.waitAll", "p", "q", 2, false, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endsOf(sdk.WaitAll(ctx, itemOps(2), opts...))
		}},
		{"files.extractMarkdown.startAndWait", "", "", 1, true, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endOf(c.Files.ExtractMarkdown.StartAndWait(ctx, pdf(), opts...))
		}},
		{"files.extractMarkdown.startAndWaitAll", "", "", 2, true, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endsOf(c.Files.ExtractMarkdown.StartAndWaitAll(ctx, []sdk.ExtractionRequest{pdf(), pdf()}, opts...))
		}},
		{"files.extractTables.startAndWait", "", "", 1, true, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endOf(sdk.FilesExtractTablesStartAndWait(ctx, c, pdf(), opts...))
		}},
		{"files.extractTables.wait", "", "", 1, false, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endOf(tableOps(1)[0].Wait(ctx, opts...))
		}},
		{"files.extractTables.waitAll", "", "", 2, false, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endsOf(sdk.WaitAll(ctx, tableOps(2), opts...))
		}},
		{"files.extractStructuredData.startAndWait", "", "", 1, true, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endOf(c.Files.ExtractStructuredData.StartAndWait(ctx, data(), opts...))
		}},
		{"files.extractStructuredData.startAndWaitAll", "", "", 2, true, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endsOf(c.Files.ExtractStructuredData.StartAndWaitAll(ctx, []sdk.StructuredDataExtractionRequest{data(), data()}, opts...))
		}},
		{"project.authSessions.update.startAndWait", "p", "", 1, true, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endOf(c.Project.AuthSessions.Update.StartAndWait(ctx, "p", update(), never, opts...))
		}},
		{"project.authSessions.update.startAndWaitAll", "p", "", 2, true, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endsOf(c.Project.AuthSessions.Update.StartAndWaitAll(ctx, "p", []sdk.AuthSessionUpdateRequest{update(), update()}, never, opts...))
		}},
		{"project.authSessions.update.wait", "p", "", 1, false, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endOf(updateOps(1)[0].Wait(ctx, opts...))
		}},
		{"project.authSessions.update.waitAll", "p", "", 2, false, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endsOf(sdk.WaitAllAuthSessions(ctx, updateOps(2), opts...))
		}},
		{"project.authSessions.create.startAndWait", "p", "", 1, true, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endOf(sdk.ProjectAuthSessionsCreateStartAndWait(ctx, c, "p", create(), never, opts...))
		}},
		{"project.authSessions.create.startAndWaitAll", "p", "", 2, true, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endsOf(c.Project.AuthSessions.Create.StartAndWaitAll(ctx, "p", []sdk.AuthSessionCreateRequest{create(), create()}, never, opts...))
		}},
		{"project.authSessions.create.wait", "p", "", 1, false, func(ctx context.Context, opts ...sdk.Option) []waitEnd {
			return endOf(createOps(1)[0].Wait(ctx, opts...))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.wait, func(t *testing.T) {
			// The deadline passes once every operation has started (or been
			// polled once), while the wait sleeps until its next poll: no
			// call is out, so each operation ends with the deadline itself.
			ctx := newExpiring(t)
			trigger := sdk.WaitEventKindPolled
			if tc.started {
				trigger = sdk.WaitEventKindStarted
			}
			ids := map[string]bool{} // the operations started or polled
			expireOnce := sdk.WithProgress(func(e sdk.WaitEvent) {
				if e.Kind == trigger {
					if ids[e.OperationID] = true; len(ids) == tc.ops {
						ctx.expire()
					}
				}
			})
			ends := tc.do(ctx, sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Hour}), expireOnce)
			if len(ends) != tc.ops {
				t.Fatalf("%d outcomes, want %d", len(ends), tc.ops)
			}
			for _, end := range ends {
				if !ids[end.id] {
					t.Errorf("outcome of operation %q, want one of %v", end.id, ids)
				}
				checkWaitError(t, end, tc.wait, tc.project, tc.queue, ": context deadline exceeded")
				if !errors.Is(end.err, context.DeadlineExceeded) {
					t.Errorf("errors.Is(%v, context.DeadlineExceeded) = false", end.err)
				}
			}
		})
	}
}

// checkWaitError checks that end's error is an *sdk.OperationError of the
// wait on its operation, with the text the errors of waits have: the wait,
// the operation, then tail.
func checkWaitError(t *testing.T, end waitEnd, wait, project, queue, tail string) {
	t.Helper()
	if end.id == "" {
		t.Fatalf("err = %v, want the error of a started operation", end.err)
	}
	if want := fmt.Sprintf("intuned: %s: operation %s%s", wait, end.id, tail); end.err == nil || end.err.Error() != want {
		t.Errorf("err = %v\nwant    %s", end.err, want)
	}
	var oe *sdk.OperationError
	if !errors.As(end.err, &oe) {
		t.Fatalf("err = %#v, want an *sdk.OperationError", end.err)
	}
	if oe.Wait != wait || oe.OperationID != end.id || oe.ProjectName != project || oe.QueueID != queue {
		t.Errorf("OperationError{Wait: %q, OperationID: %q, ProjectName: %q, QueueID: %q}, want {%q, %q, %q, %q}",
			oe.Wait, oe.OperationID, oe.ProjectName, oe.QueueID, wait, end.id, project, queue)
	}
}

// A wait cut by a real deadline says so, naming the wait and the operation.
func TestWaitErrorRealDeadline(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptAPI("slow", intunedtest.Running(1<<30))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := srv.Client().Project.Run.StartAndWait(ctx, "p", sdk.RunRequest{API: "slow", Parameters: sdk.ParametersObject{}},
		sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Hour}))
	end := endOf(0, err)[0]
	checkWaitError(t, end, "project.run.startAndWait", "p", "", ": context deadline exceeded")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("errors.Is(%v, context.DeadlineExceeded) = false", err)
	}
}

// A failed operation's error names the wait too, once: the operation's ID
// is not repeated.
func TestWaitErrorOfAFailure(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptAPI("broken", intunedtest.Failed(500, "api_error", "The page did not load"))
	srv.ScriptFile("https://example.com/scan.png", intunedtest.ExtractionFailed("unreadable_file", "Too blurry"))
	c := srv.Client()
	ctx := context.Background()

	_, err := c.Project.Run.StartAndWait(ctx, "p", sdk.RunRequest{API: "broken", Parameters: sdk.ParametersObject{}})
	checkWaitError(t, endOf(0, err)[0], "project.run.startAndWait", "p", "", " failed: api_error: The page did not load (status code 500)")
	var failed *sdk.OperationFailedError
	if !errors.As(err, &failed) || failed.Code != "api_error" || failed.StatusCode != 500 {
		t.Errorf("err = %#v, want an *sdk.OperationFailedError", err)
	}

	started, err := c.Files.ExtractMarkdown.Start(ctx, sdk.ExtractionRequest{File: sdk.Image(sdk.FromURL("https://example.com/scan.png"))})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Files.ExtractMarkdown.Operation(started.OperationID).Wait(ctx)
	checkWaitError(t, waitEnd{started.OperationID, err}, "files.extractMarkdown.wait", "", "", " failed: unreadable_file: Too blurry")
	if !errors.As(err, &failed) || failed.Code != "unreadable_file" {
		t.Errorf("err = %#v, want an *sdk.OperationFailedError", err)
	}
}
