package sdk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// These tests check that the info requests and the progress events of a
// wait say which flow they belong to (its operation, its auth session, its
// position in the caller's slice), so that one handler can answer many
// flows at once.

// accountCode is the one-time code texted to the i-th account: one of its
// own.
func accountCode(i int) string { return fmt.Sprintf("%06d", 100003+i*7919) }

// flowRecorder keeps what a wait's handler and progress function saw.
type flowRecorder struct {
	mu     sync.Mutex
	asked  []sdk.InfoRequest
	events []sdk.WaitEvent
}

func (r *flowRecorder) ask(req sdk.InfoRequest) {
	r.mu.Lock()
	r.asked = append(r.asked, req)
	r.mu.Unlock()
}

func (r *flowRecorder) progress() sdk.Option {
	return sdk.WithProgress(func(e sdk.WaitEvent) {
		r.mu.Lock()
		r.events = append(r.events, e)
		r.mu.Unlock()
	})
}

// The README's nightly refresh: 50 accounts, each texted a code of its own
// (the fake takes no other), refreshed by one StartAndWaitAll whose one
// handler looks each code up by the AuthSessionID of the request. All 50
// end ready, each InfoRequest naming its operation and its position in the
// caller's slice, and every progress event its flow, through transient
// failures of starts, polls and resumes. Every 10th answer is wrong at
// first, and asked again for the same flow. The handlers of the 50 flows
// run at once, each in a goroutine of its own: each waits until all 50 are
// in.
func TestBulkRefreshAnswersEachAccountWithItsOwnCode(t *testing.T) {
	noLeaks(t)
	const n = 50
	ids := make([]string, n)
	codes := map[string]string{} // by account: its auth session's ID
	for i := range ids {
		ids[i] = fmt.Sprintf("account-%02d", i)
		codes[ids[i]] = accountCode(i)
	}
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", ids...))
	defer srv.Close()
	for i, id := range ids {
		srv.Script(id, intunedtest.Pending(i%3), intunedtest.OTP("Enter the code we texted you", codes[id]), intunedtest.Done(""))
	}
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateStart, 2, intunedtest.Fault{Status: 503})
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateResult, 2, intunedtest.Fault{Status: 503})
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateResume, 2, intunedtest.Fault{Status: 503})

	// The caller's slice lists the accounts in another order than their
	// names, so that an index cannot pass for an account.
	reqs := make([]sdk.AuthSessionUpdateRequest, n)
	for i := range reqs {
		id := ids[i*7%n]
		reqs[i] = sdk.AuthSessionUpdateRequest{ID: id, Parameters: sdk.ParametersObject{"username": id}}
	}
	wrongFirst := func(id string) bool { return strings.HasSuffix(id, "0") }

	var rec flowRecorder
	var inHandler sync.Mutex
	asking := map[string]bool{} // by operation: its handler is running
	var firstAsks atomic.Int64
	allIn := make(chan struct{})
	handler := func(ctx context.Context, req sdk.InfoRequest) (string, error) {
		rec.ask(req)
		if req.OperationID != "" {
			inHandler.Lock()
			twice := asking[req.OperationID]
			asking[req.OperationID] = true
			inHandler.Unlock()
			if twice {
				t.Errorf("operation %s: the handler is called again while it runs", req.OperationID)
			}
			defer func() {
				inHandler.Lock()
				delete(asking, req.OperationID)
				inHandler.Unlock()
			}()
		}
		if req.Ask == 1 {
			if firstAsks.Add(1) == n {
				close(allIn)
			}
			select {
			case <-allIn:
			case <-time.After(20 * time.Second):
				t.Errorf("only %d of %d handlers ran at once", firstAsks.Load(), n)
			case <-ctx.Done():
				return "", ctx.Err()
			}
		}
		// Answered by index as well: the caller's slice names the account.
		if req.Index < 0 || req.Index >= n || reqs[req.Index].ID != req.AuthSessionID {
			t.Errorf("info request of index %d names auth session %q; the caller's slice has %q there", req.Index, req.AuthSessionID, reqAt(reqs, req.Index))
		}
		code, ok := codes[req.AuthSessionID]
		if !ok {
			return "", fmt.Errorf("no account %q", req.AuthSessionID)
		}
		if req.Ask == 1 && wrongFirst(req.AuthSessionID) {
			return "000000", nil
		}
		return code, nil
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	outcomes := map[int]sdk.Outcome[string]{}
	for o := range srv.Client().Project.AuthSessions.Update.StartAndWaitAll(ctx, "p", reqs, handler, steady, rec.progress()) {
		outcomes[o.Index] = o
	}

	if len(outcomes) != n {
		t.Fatalf("%d outcomes for %d updates", len(outcomes), n)
	}
	index := map[string]int{} // by operation ID
	for i, o := range outcomes {
		if o.Err != nil || o.Value != reqs[i].ID || o.OperationID == "" {
			t.Errorf("update %d (%s): %+v", i, reqs[i].ID, o)
			continue
		}
		index[o.OperationID] = i
		if st, _ := srv.AuthSession("p", reqs[i].ID); st != sdk.AuthSessionStatusReady {
			t.Errorf("auth session %s is %s", reqs[i].ID, st)
		}
		if _, resumes, _ := srv.OperationStats(o.OperationID); resumes != 1 {
			t.Errorf("operation %s: %d resumes taken, want 1", o.OperationID, resumes)
		}
	}

	asks := map[int]int{}
	for _, req := range rec.asked {
		i, ok := index[req.OperationID]
		switch {
		case !ok:
			t.Errorf("info request of operation %q, which no outcome has", req.OperationID)
		case req.Index != i || req.AuthSessionID != reqs[i].ID:
			t.Errorf("info request of operation %s says index %d, auth session %q; its outcome says index %d, auth session %q",
				req.OperationID, req.Index, req.AuthSessionID, i, reqs[i].ID)
		}
		if (req.Ask > 1) != (req.Rejected != nil) {
			t.Errorf("ask %d, rejected %v", req.Ask, req.Rejected)
		}
		asks[req.Index]++
	}
	for i := range reqs {
		want := 1
		if wrongFirst(reqs[i].ID) {
			want = 2
		}
		if asks[i] != want {
			t.Errorf("update %d (%s) asked %d times, want %d", i, reqs[i].ID, asks[i], want)
		}
	}

	kinds := map[sdk.WaitEventKind]int{}
	startRetries := 0
	for _, e := range rec.events {
		kinds[e.Kind]++
		if e.Index < 0 || e.Index >= n || e.AuthSessionID != reqs[e.Index].ID {
			t.Errorf("%s event of index %d names auth session %q", e.Kind, e.Index, e.AuthSessionID)
			continue
		}
		switch {
		case e.OperationID == "" && e.Kind == sdk.WaitEventKindRetrying:
			startRetries++ // a start not yet answered
		case e.OperationID != outcomes[e.Index].OperationID:
			t.Errorf("%s event of index %d names operation %q; its outcome %q", e.Kind, e.Index, e.OperationID, outcomes[e.Index].OperationID)
		}
	}
	if kinds[sdk.WaitEventKindStarted] != n || kinds[sdk.WaitEventKindAnswered] < n || kinds[sdk.WaitEventKindRetrying] < 6 || startRetries != 2 {
		t.Errorf("events %v, %d of retried starts; want %d started, at least %d answered and 6 retries, 2 of them starts", kinds, startRetries, n, n)
	}
}

func reqAt(reqs []sdk.AuthSessionUpdateRequest, i int) string {
	if i < 0 || i >= len(reqs) {
		return "(out of range)"
	}
	return reqs[i].ID
}

// A create without an ID has no auth-session ID until the server names it
// when done: the handler answers each by its Index, the codes it sends are
// each its own flow's (as the resumes the fake received show), and the
// events name the auth session from the done state on.
func TestBulkCreateWithoutIDAnswersByIndex(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.DefaultScript(intunedtest.Pending(1), intunedtest.OTP("Enter the code we texted you", ""), intunedtest.Done(""))
	const n = 20
	reqs := make([]sdk.AuthSessionCreateRequest, n)
	for i := range reqs {
		reqs[i] = sdk.AuthSessionCreateRequest{Parameters: sdk.ParametersObject{"username": fmt.Sprintf("user-%02d", i)}}
	}
	var rec flowRecorder
	handler := func(ctx context.Context, req sdk.InfoRequest) (string, error) {
		rec.ask(req)
		if req.AuthSessionID != "" {
			t.Errorf("a create without an ID asks as auth session %q", req.AuthSessionID)
		}
		return accountCode(req.Index), nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	outcomes := map[int]sdk.Outcome[string]{}
	index := map[string]int{} // by operation ID
	created := map[string]bool{}
	for o := range srv.Client().Project.AuthSessions.Create.StartAndWaitAll(ctx, "p", reqs, handler, steady, rec.progress()) {
		if o.Err != nil || o.Value == "" || created[o.Value] || o.OperationID == "" {
			t.Errorf("create %d: %+v", o.Index, o)
		}
		outcomes[o.Index] = o
		index[o.OperationID] = o.Index
		created[o.Value] = true
	}
	if len(outcomes) != n {
		t.Fatalf("%d outcomes for %d creates", len(outcomes), n)
	}

	for _, req := range rec.asked {
		if i, ok := index[req.OperationID]; !ok || i != req.Index {
			t.Errorf("info request of operation %q says index %d; the outcomes say %d (%v)", req.OperationID, req.Index, i, ok)
		}
	}
	resumed := map[string]string{} // code by operation ID
	for _, r := range srv.Requests() {
		if r.Operation != intunedtest.ProjectAuthSessionsCreateResume {
			continue
		}
		var body sdk.AuthSessionOperationResumeRequest
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		opID := strings.TrimSuffix(r.Path[strings.LastIndex(r.Path, "/create/")+len("/create/"):], "/resume")
		resumed[opID] = body.Input
	}
	for i, o := range outcomes {
		if got := resumed[o.OperationID]; got != accountCode(i) {
			t.Errorf("create %d (operation %s) was answered %q, want its own code %q", i, o.OperationID, got, accountCode(i))
		}
	}

	for _, e := range rec.events {
		o := outcomes[e.Index]
		if e.OperationID != "" && e.OperationID != o.OperationID {
			t.Errorf("%s event of index %d names operation %q; its outcome %q", e.Kind, e.Index, e.OperationID, o.OperationID)
		}
		want := ""
		if _, done := e.State.(sdk.AuthSessionOperationDone); done {
			want = o.Value
		}
		if e.AuthSessionID != want {
			t.Errorf("%s event (%s) of index %d names auth session %q, want %q", e.Kind, e.Status, e.Index, e.AuthSessionID, want)
		}
	}
}

// The single waits say which flow they are too: index 0, the operation's
// ID, and the auth session's ID where the request named it; a handle built
// from an operation ID alone learns it from the done state only.
func TestSingleWaitsSayWhichFlow(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "acct", "a0", "a1", "a2"))
	defer srv.Close()
	script := []intunedtest.Step{intunedtest.Pending(1), intunedtest.OTP("Code?", "123456"), intunedtest.Done("")}
	srv.Script("acct", script...)
	srv.Script("new-acct", script...)
	srv.DefaultScript(script...)
	c := srv.Client()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// check checks that one flow's info requests and events name
	// operationID and index, and authSessionID (done: from the done state
	// on only).
	check := func(t *testing.T, rec *flowRecorder, index int, operationID, authSessionID string, fromDone bool) {
		t.Helper()
		if len(rec.asked) != 1 {
			t.Fatalf("%d info requests", len(rec.asked))
		}
		want := authSessionID
		if fromDone {
			want = ""
		}
		if req := rec.asked[0]; req.OperationID != operationID || req.AuthSessionID != want || req.Index != index {
			t.Errorf("info request says operation %q, auth session %q, index %d; want %q, %q, %d",
				req.OperationID, req.AuthSessionID, req.Index, operationID, want, index)
		}
		for _, e := range rec.events {
			want := authSessionID
			if _, done := e.State.(sdk.AuthSessionOperationDone); fromDone && !done {
				want = ""
			}
			if e.OperationID != operationID || e.AuthSessionID != want || e.Index != index {
				t.Errorf("%s event (%s) says operation %q, auth session %q, index %d; want %q, %q, %d",
					e.Kind, e.Status, e.OperationID, e.AuthSessionID, e.Index, operationID, want, index)
			}
		}
	}
	handler := func(rec *flowRecorder) sdk.InfoRequestHandler {
		return func(ctx context.Context, req sdk.InfoRequest) (string, error) {
			rec.ask(req)
			return "123456", nil
		}
	}
	startedID := func(t *testing.T, rec *flowRecorder) string {
		t.Helper()
		for _, e := range rec.events {
			if e.Kind == sdk.WaitEventKindStarted {
				return e.OperationID
			}
		}
		t.Fatal("no started event")
		return ""
	}

	t.Run("update StartAndWait", func(t *testing.T) {
		var rec flowRecorder
		id, err := c.Project.AuthSessions.Update.StartAndWait(ctx, "p",
			sdk.AuthSessionUpdateRequest{ID: "acct", Parameters: sdk.ParametersObject{}}, handler(&rec), steady, rec.progress())
		if err != nil || id != "acct" {
			t.Fatal(id, err)
		}
		check(t, &rec, 0, startedID(t, &rec), "acct", false)
	})
	t.Run("create StartAndWait with an ID", func(t *testing.T) {
		var rec flowRecorder
		id, err := c.Project.AuthSessions.Create.StartAndWait(ctx, "p",
			sdk.AuthSessionCreateRequest{ID: sdk.Ptr("new-acct"), Parameters: sdk.ParametersObject{}}, handler(&rec), steady, rec.progress())
		if err != nil || id != "new-acct" {
			t.Fatal(id, err)
		}
		check(t, &rec, 0, startedID(t, &rec), "new-acct", false)
	})
	t.Run("create StartAndWait without an ID", func(t *testing.T) {
		var rec flowRecorder
		id, err := c.Project.AuthSessions.Create.StartAndWait(ctx, "p",
			sdk.AuthSessionCreateRequest{Parameters: sdk.ParametersObject{}}, handler(&rec), steady, rec.progress())
		if err != nil || id == "" {
			t.Fatal(id, err)
		}
		check(t, &rec, 0, startedID(t, &rec), id, true)
	})
	t.Run("a handle by ID", func(t *testing.T) {
		var rec flowRecorder
		opID := srv.AddOperation("p", "acct", script...)
		res, err := c.Project.AuthSessions.Update.Operation("p", opID).Wait(ctx, sdk.WithInfoHandler(handler(&rec)), steady, rec.progress())
		if done, ok := res.(sdk.AuthSessionOperationDone); err != nil || !ok || done.AuthSessionID != "acct" {
			t.Fatal(res, err)
		}
		check(t, &rec, 0, opID, "acct", true)
	})
	t.Run("handles in bulk", func(t *testing.T) {
		var rec flowRecorder
		var ops []*sdk.AuthSessionOperation
		for _, id := range []string{"a0", "a1", "a2"} {
			ops = append(ops, c.Project.AuthSessions.Update.Operation("p", srv.AddOperation("p", id, script...)))
		}
		for o := range sdk.WaitAllAuthSessions(ctx, ops, sdk.WithInfoHandler(handler(&rec)), steady, rec.progress()) {
			if _, ok := o.Value.(sdk.AuthSessionOperationDone); o.Err != nil || !ok {
				t.Errorf("handle %d: %+v", o.Index, o)
			}
		}
		if len(rec.asked) != len(ops) {
			t.Fatalf("%d info requests", len(rec.asked))
		}
		for _, req := range rec.asked {
			if req.Index < 0 || req.Index >= len(ops) || ops[req.Index].ID() != req.OperationID || req.AuthSessionID != "" {
				t.Errorf("info request: index %d, operation %q, auth session %q", req.Index, req.OperationID, req.AuthSessionID)
			}
		}
		for _, e := range rec.events {
			want := ""
			if _, done := e.State.(sdk.AuthSessionOperationDone); done {
				want = fmt.Sprintf("a%d", e.Index)
			}
			if e.Index < 0 || e.Index >= len(ops) || ops[e.Index].ID() != e.OperationID || e.AuthSessionID != want {
				t.Errorf("%s event: index %d, operation %q, auth session %q", e.Kind, e.Index, e.OperationID, e.AuthSessionID)
			}
		}
	})
}

// The events of the bulk waits of every other kind (runs, queue items,
// extractions, handles) name their operation's index too, and no auth
// session; those of single waits index 0.
func TestWaitEventsOfEveryKindNameTheirIndex(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptAPI("run", intunedtest.Running(1), intunedtest.Completed(200, 1))
	srv.ScriptAPI("item", intunedtest.Queued(1), intunedtest.Completed(200, 1))
	srv.ScriptFile("https://example.com/a.pdf", intunedtest.Extracting(1), intunedtest.ExtractedMarkdown("# A\n"))
	c := srv.Client()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// check checks that every event names the operation of its index, as
	// the outcomes do (ids), and that each index has events.
	check := func(t *testing.T, rec *flowRecorder, ids map[int]string) {
		t.Helper()
		seen := map[int]bool{}
		for _, e := range rec.events {
			seen[e.Index] = true
			if id, ok := ids[e.Index]; !ok || e.OperationID != id || e.AuthSessionID != "" {
				t.Errorf("%s event: index %d, operation %q (want %q), auth session %q", e.Kind, e.Index, e.OperationID, id, e.AuthSessionID)
			}
		}
		if len(seen) != len(ids) {
			t.Errorf("events of %d operations, want %d", len(seen), len(ids))
		}
	}
	const n = 5
	t.Run("runs", func(t *testing.T) {
		var rec flowRecorder
		reqs := make([]sdk.RunRequest, n)
		for i := range reqs {
			reqs[i] = sdk.RunRequest{API: "run", Parameters: sdk.ParametersObject{"i": i}}
		}
		ids := map[int]string{}
		for o := range c.Project.Run.StartAndWaitAll(ctx, "p", reqs, steady, rec.progress()) {
			ids[o.Index] = o.OperationID
		}
		check(t, &rec, ids)

		var single flowRecorder
		done, err := c.Project.Run.StartAndWait(ctx, "p", reqs[0], steady, single.progress())
		if err != nil {
			t.Fatal(err)
		}
		check(t, &single, map[int]string{0: done.RunID})
	})
	t.Run("queue items", func(t *testing.T) {
		var rec flowRecorder
		q, err := c.Project.Queues.Create(ctx, "p", sdk.QueueCreateRequest{})
		if err != nil {
			t.Fatal(err)
		}
		items := make([]sdk.QueueItemAppendRequest, n)
		for i := range items {
			items[i] = sdk.QueueItemAppendRequest{APIName: "item"}
		}
		ids := map[int]string{}
		for o := range c.Project.Queues.Items.AppendAndWaitAll(ctx, "p", *q.ID, items, steady, rec.progress()) {
			ids[o.Index] = o.OperationID
		}
		check(t, &rec, ids)
	})
	t.Run("extractions", func(t *testing.T) {
		var rec flowRecorder
		reqs := make([]sdk.ExtractionRequest, n)
		for i := range reqs {
			reqs[i] = sdk.ExtractionRequest{File: sdk.PDF(sdk.FromURL("https://example.com/a.pdf"))}
		}
		ids := map[int]string{}
		for o := range c.Files.ExtractMarkdown.StartAndWaitAll(ctx, reqs, steady, rec.progress()) {
			ids[o.Index] = o.OperationID
		}
		check(t, &rec, ids)
	})
	t.Run("handles", func(t *testing.T) {
		var rec flowRecorder
		var ops []*sdk.Operation[sdk.RunResult]
		ids := map[int]string{}
		for i := range n {
			started, err := c.Project.Run.Start(ctx, "p", sdk.RunRequest{API: "run", Parameters: sdk.ParametersObject{}})
			if err != nil {
				t.Fatal(err)
			}
			ops = append(ops, c.Project.Run.Operation("p", started.RunID))
			ids[i] = started.RunID
		}
		for o := range sdk.WaitAll(ctx, ops, steady, rec.progress()) {
			if o.Err != nil {
				t.Error(o.Err)
			}
		}
		check(t, &rec, ids)
	})
}
