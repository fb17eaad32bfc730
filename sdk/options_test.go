package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// events records the events of waits.
type events struct {
	mu   sync.Mutex
	list []sdk.WaitEvent
}

func (e *events) option() sdk.Option {
	return sdk.WithProgress(func(ev sdk.WaitEvent) {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.list = append(e.list, ev)
	})
}

func (e *events) take() []sdk.WaitEvent {
	e.mu.Lock()
	defer e.mu.Unlock()
	list := e.list
	e.list = nil
	return list
}

// startDelays are the Delay of the WaitEventKindStarted events: the InitialDelay of
// the waits' polling.
func startDelays(evs []sdk.WaitEvent) []time.Duration {
	var delays []time.Duration
	for _, e := range evs {
		if e.Kind == sdk.WaitEventKindStarted {
			delays = append(delays, e.Delay)
		}
	}
	return delays
}

// The options of waits given to New are the defaults of every wait of the
// client; given to a wait, they override them for that wait alone.
func TestWaitOptionsAreClientDefaults(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	var clientEvents, callEvents events
	c, err := srv.NewClient(
		sdk.WithPolling(sdk.PollConfig{InitialDelay: 3 * time.Millisecond, MaxDelay: 3 * time.Millisecond}),
		clientEvents.option())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	req := sdk.RunRequest{API: "a", Parameters: sdk.ParametersObject{}}

	// No option: the client's polling and progress.
	if _, err := c.Project.Run.StartAndWait(ctx, "p", req); err != nil {
		t.Fatal(err)
	}
	if d := startDelays(clientEvents.take()); len(d) != 1 || d[0] != 3*time.Millisecond {
		t.Errorf("StartAndWait without options: started with delays %v, want [3ms] (the client's WithPolling, to its WithProgress)", d)
	}
	for o := range sdk.WaitAll(ctx, []*sdk.Operation[sdk.RunResult]{c.Project.Run.Operation("p", mustStartRun(t, c))}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
	}
	for _, e := range clientEvents.take() {
		if e.Kind == sdk.WaitEventKindPolled && e.Delay != 0 && e.Delay != 3*time.Millisecond {
			t.Errorf("WaitAll without options: polled with delay %v, want the client's 3ms", e.Delay)
		}
	}

	// The call's own options win, for that call.
	if _, err := sdk.ProjectRunStartAndWait(ctx, c, "p", req, sdk.WithPolling(sdk.PollConfig{InitialDelay: 7 * time.Millisecond}), callEvents.option()); err != nil {
		t.Fatal(err)
	}
	if d := startDelays(callEvents.take()); len(d) != 1 || d[0] != 7*time.Millisecond {
		t.Errorf("StartAndWait with options: started with delays %v, want [7ms]", d)
	}
	if evs := clientEvents.take(); len(evs) != 0 {
		t.Errorf("the client's WithProgress got %d events of a wait with its own", len(evs))
	}
	// ... and for that call only.
	if _, err := c.Files.ExtractTables.StartAndWait(ctx, sdk.ExtractionRequest{File: sdk.PDF(sdk.FromURL("https://example.com/a.pdf"))}); err != nil {
		t.Fatal(err)
	}
	if d := startDelays(clientEvents.take()); len(d) != 1 || d[0] != 3*time.Millisecond {
		t.Errorf("the next StartAndWait started with delays %v, want the client's [3ms]", d)
	}
}

func mustStartRun(t *testing.T, c *sdk.Client) string {
	t.Helper()
	started, err := c.Project.Run.Start(context.Background(), "p", sdk.RunRequest{API: "a", Parameters: sdk.ParametersObject{}})
	if err != nil {
		t.Fatal(err)
	}
	return started.RunID
}

// WithMaxInFlight given to New bounds each wait; a wait's own overrides it.
func TestMaxInFlightClientDefault(t *testing.T) {
	noLeaks(t)
	var out, peak atomic.Int64
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		now := out.Add(1)
		for p := peak.Load(); now > p && !peak.CompareAndSwap(p, now); p = peak.Load() {
		}
		time.Sleep(20 * time.Millisecond)
		out.Add(-1)
		reply(200, `{"status":"completed","runId":"r","statusCode":200}`)(w, r, n)
	})
	c := newClient(t, s, sdk.WithMaxInFlight(1))
	ops := func() []*sdk.Operation[sdk.RunResult] {
		var ops []*sdk.Operation[sdk.RunResult]
		for i := range 6 {
			ops = append(ops, c.Project.Run.Operation("p", fmt.Sprint("run-", i)))
		}
		return ops
	}
	for _, tc := range []struct {
		name string
		opts []sdk.Option
		ok   func(peak int64) bool
		want string
	}{
		{"client's", nil, func(p int64) bool { return p == 1 }, "1"},
		{"call's", []sdk.Option{sdk.WithMaxInFlight(6)}, func(p int64) bool { return p > 1 }, "more than 1"},
	} {
		peak.Store(0)
		for o := range sdk.WaitAll(context.Background(), ops(), tc.opts...) {
			if o.Err != nil {
				t.Fatal(o.Err)
			}
		}
		if !tc.ok(peak.Load()) {
			t.Errorf("%s WithMaxInFlight: %d calls at once, want %s", tc.name, peak.Load(), tc.want)
		}
	}
}

// WithInfoHandler and WithInfoRequestAsks given to New are the defaults of
// auth-session waits: the handler of Wait and of a StartAndWait given no
// handler; a wait's own options override them.
func TestInfoHandlerClientDefault(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s1", "s2", "s3", "s4"))
	defer srv.Close()
	for _, id := range []string{"s1", "s2", "s3", "s4"} {
		srv.Script(id, intunedtest.OTP("Enter the code", "123456"), intunedtest.Done(""))
	}
	var asked atomic.Int64
	code := "123456"
	handler := func(ctx context.Context, req sdk.InfoRequest) (string, error) {
		asked.Add(1)
		return code, nil
	}
	c, err := srv.NewClient(sdk.WithInfoHandler(handler), sdk.WithInfoRequestAsks(1))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := func(id string) *sdk.AuthSessionOperation {
		t.Helper()
		started, err := c.Project.AuthSessions.Update.Start(ctx, "p", updateReq(id))
		if err != nil {
			t.Fatal(err)
		}
		return c.Project.AuthSessions.Update.Operation("p", started.OperationID)
	}

	// Wait answers with the client's handler.
	res, err := start("s1").Wait(ctx)
	if _, done := res.(sdk.AuthSessionOperationDone); err != nil || !done || asked.Load() != 1 {
		t.Errorf("Wait: %#v, %v after %d asks, want done after the client's handler answered", res, err, asked.Load())
	}
	// WithInfoHandler(nil) turns it off for one wait.
	op := start("s2")
	res, err = op.Wait(ctx, sdk.WithInfoHandler(nil))
	if _, more := res.(sdk.AuthSessionOperationRequestedMoreInfo); err != nil || !more || asked.Load() != 1 {
		t.Errorf("Wait(WithInfoHandler(nil)): %#v, %v after %d asks, want the info request back", res, err, asked.Load())
	}
	// StartAndWait without a handler uses the client's.
	asked.Store(0)
	if id, err := c.Project.AuthSessions.Update.StartAndWait(ctx, "p", updateReq("s3"), nil); err != nil || id != "s3" || asked.Load() != 1 {
		t.Errorf("StartAndWait(nil handler): %q, %v after %d asks, want s3 answered by the client's handler", id, err, asked.Load())
	}
	// The client's WithInfoRequestAsks(1): a rejected answer is not asked
	// again; the wait's own WithInfoRequestAsks(3) asks up to three times.
	code = "wrong"
	asked.Store(0)
	_, err = start("s4").Wait(ctx)
	var bad *sdk.APIErrorInvalidInput
	if !errors.As(err, &bad) || asked.Load() != 1 {
		t.Errorf("Wait with a wrong code: %v after %d asks, want the rejection after 1 ask (the client's WithInfoRequestAsks)", err, asked.Load())
	}
	asked.Store(0)
	_, err = op.Wait(ctx, sdk.WithInfoRequestAsks(3))
	if !errors.As(err, &bad) || asked.Load() != 3 {
		t.Errorf("Wait(WithInfoRequestAsks(3)) with a wrong code: %v after %d asks, want the rejection after 3", err, asked.Load())
	}

	// Without a default, StartAndWait needs its handler; with one or
	// without, it refuses WithInfoHandler, which its argument stands for.
	plain := srv.Client()
	if _, err := plain.Project.AuthSessions.Update.StartAndWait(ctx, "p", updateReq("s1"), nil); !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Errorf("StartAndWait(nil handler) without a default: err = %v, want an invalid argument", err)
	}
	if _, err := c.Project.AuthSessions.Update.StartAndWait(ctx, "p", updateReq("s1"), handler, sdk.WithInfoHandler(handler)); !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Errorf("StartAndWait(WithInfoHandler): err = %v, want an invalid argument", err)
	}
}

// A call that does not wait refuses the options of waits, and a wait on
// operations other than auth sessions those of auth-session waits, before
// anything is sent, naming the option and the call; New takes them all.
func TestWaitOptionsRefusedWhereTheyDoNotApply(t *testing.T) {
	noLeaks(t)
	s := newServer(t, pendingOrStartedRun)
	c := newClient(t, s)
	ctx := context.Background()
	handler := func(context.Context, sdk.InfoRequest) (string, error) { return "", nil }
	waitOpts := []struct {
		name string
		opt  sdk.Option
		auth bool // of auth-session waits only
	}{
		{"WithPolling", sdk.WithPolling(sdk.PollConfig{}), false},
		{"WithProgress", sdk.WithProgress(func(sdk.WaitEvent) {}), false},
		{"WithMaxInFlight", sdk.WithMaxInFlight(2), false},
		{"WithInfoHandler", sdk.WithInfoHandler(handler), true},
		{"WithInfoRequestAsks", sdk.WithInfoRequestAsks(2), true},
	}
	var all []sdk.Option
	for _, w := range waitOpts {
		all = append(all, w.opt)
	}
	if _, err := sdk.New(append(all, sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"))...); err != nil {
		t.Errorf("New with every option of waits: %v", err)
	}
	extract := sdk.ExtractionRequest{File: sdk.PDF(sdk.FromURL("https://example.com/a.pdf"))}
	run := sdk.RunRequest{API: "a", Parameters: sdk.ParametersObject{}}
	calls := []struct {
		name string
		call func(opt sdk.Option) error
	}{
		{"project.jobs.all", func(opt sdk.Option) error { _, err := c.Project.Jobs.All(ctx, "p", opt); return err }},
		{"project.jobs.all", func(opt sdk.Option) error { _, err := sdk.ProjectJobsAll(ctx, c, "p", opt); return err }},
		{"project.run.start", func(opt sdk.Option) error { _, err := c.Project.Run.Start(ctx, "p", run, opt); return err }},
		{"files.extractMarkdown.sync", func(opt sdk.Option) error { _, err := c.Files.ExtractMarkdown.Sync(ctx, extract, opt); return err }},
		{"project.run.result", func(opt sdk.Option) error {
			_, _, err := c.Project.Run.Operation("p", "r").Poll(ctx, opt)
			return err
		}},
		{"project.authSessions.update.resume", func(opt sdk.Option) error {
			return c.Project.AuthSessions.Update.Operation("p", "o").Resume(ctx, sdk.AuthSessionOperationRequestedMoreInfo{ID: "i"}, "x", opt)
		}},
	}
	check := func(err error, option, problem string) {
		t.Helper()
		want := "intuned: option sdk." + option + " " + problem
		var ae *sdk.ArgumentError
		if !errors.Is(err, sdk.ErrInvalidArgument) || !errors.As(err, &ae) || err.Error() != want {
			t.Errorf("err = %v\nwant %s", err, want)
		}
	}
	for _, w := range waitOpts {
		for _, call := range calls {
			check(call.call(w.opt), w.name, "applies only to waits, and "+call.name+" does not wait")
		}
	}
	// A wait that took the option would wait for ever: the bound fails the
	// test in place of a hang.
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	waits := []struct {
		name string
		wait func(opt sdk.Option) error
	}{
		{"project.run.startAndWait", func(opt sdk.Option) error { _, err := c.Project.Run.StartAndWait(ctx, "p", run, opt); return err }},
		{"project.run.startAndWaitAll", func(opt sdk.Option) error {
			for o := range c.Project.Run.StartAndWaitAll(ctx, "p", []sdk.RunRequest{run}, opt) {
				return o.Err
			}
			return nil
		}},
		{"project.run.wait", func(opt sdk.Option) error { _, err := c.Project.Run.Operation("p", "r").Wait(ctx, opt); return err }},
		{"project.queues.items.waitAll", func(opt sdk.Option) error {
			for o := range sdk.WaitAll(ctx, []*sdk.Operation[sdk.QueueItemResult]{c.Project.Queues.Items.Operation("p", "q", "r")}, opt) {
				return o.Err
			}
			return nil
		}},
		{"project.queues.items.appendAndWait", func(opt sdk.Option) error {
			_, err := c.Project.Queues.Items.AppendAndWait(ctx, "p", "q", sdk.QueueItemAppendRequest{APIName: "a"}, opt)
			return err
		}},
		{"files.extractTables.startAndWait", func(opt sdk.Option) error {
			_, err := c.Files.ExtractTables.StartAndWait(ctx, extract, opt)
			return err
		}},
	}
	for _, w := range waitOpts {
		if !w.auth {
			continue
		}
		for _, wait := range waits {
			check(wait.wait(w.opt), w.name, "applies only to auth-session waits, and "+wait.name+" does not wait on an auth session")
		}
	}
	if s.count() != 0 {
		t.Errorf("%d requests sent", s.count())
	}
}
