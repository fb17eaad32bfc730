package intunedtest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// One item of 200, told apart by its parameters, fails; the other 199
// complete as their API's script says.
func TestOneQueueItemOfManyFails(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	defer c.CloseIdleConnections()
	ctx := context.Background()

	const broken = 137
	url := func(i int) string { return fmt.Sprintf("https://shop.example.com/p/%d", i) }
	srv.ScriptAPI("scrape-product", intunedtest.Running(1), intunedtest.Completed(200, "ok"))
	srv.ScriptRun("scrape-product", sdk.ParametersObject{"url": url(broken)},
		intunedtest.Running(1), intunedtest.Failed(502, "page_gone", "the page answered 404"))

	if _, err := c.Project.Queues.Create(ctx, project, sdk.QueueCreateRequest{ID: sdk.Ptr("product-pages")}); err != nil {
		t.Fatal(err)
	}
	items := make([]sdk.QueueItemAppendRequest, 200)
	for i := range items {
		items[i] = sdk.QueueItemAppendRequest{APIName: "scrape-product", Parameters: sdk.ParametersObject{"url": url(i)}}
	}
	var failed []int
	n := 0
	for o := range c.Project.Queues.Items.AppendAndWaitAll(ctx, project, "product-pages", items, fastPolling) {
		n++
		var fe *sdk.OperationFailedError
		switch {
		case errors.As(o.Err, &fe):
			failed = append(failed, o.Index)
			if fe.Code != "page_gone" || fe.StatusCode != 502 {
				t.Errorf("item %d failed with %+v", o.Index, fe)
			}
		case o.Err != nil:
			t.Errorf("item %d: %v", o.Index, o.Err)
		case string(o.Value.Result) != `"ok"`:
			t.Errorf("item %d completed with %s", o.Index, o.Value.Result)
		}
	}
	if n != len(items) || len(failed) != 1 || failed[0] != broken {
		t.Errorf("%d outcomes, items %v failed; want %d outcomes, item %d failed", n, failed, len(items), broken)
	}
}

// The most recent matching script wins, over its API's script, whatever the
// order they were set in; a run no match takes gets its API's script, or
// the default.
func TestRunScriptPrecedence(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	defer c.CloseIdleConnections()
	ctx := context.Background()

	srv.ScriptRunWhere(func(r intunedtest.APIRun) bool { return r.Parameter("n") == 1.0 }, intunedtest.Completed(200, "n is 1"))
	srv.ScriptRunWhere(func(r intunedtest.APIRun) bool { n, _ := r.Parameter("n").(float64); return n >= 1 }, intunedtest.Completed(200, "n is 1 or more"))
	srv.ScriptRun("a", sdk.ParametersArray{"x"}, intunedtest.Completed(200, "array x"))
	srv.ScriptRun("a", nil, intunedtest.Completed(200, "no parameters"))
	srv.ScriptAPI("a", intunedtest.Completed(200, "api a")) // set last, yet below every match
	srv.DefaultAPIScript(intunedtest.Completed(200, "default"))

	for _, tc := range []struct {
		api    string
		params sdk.Parameters
		want   string
	}{
		{"a", sdk.ParametersObject{"n": 1}, `"n is 1 or more"`}, // both matches: the most recent
		{"a", sdk.ParametersObject{"n": 2}, `"n is 1 or more"`},
		{"b", sdk.ParametersRaw(`{"n": 1.0}`), `"n is 1 or more"`}, // any API
		{"a", sdk.ParametersObject{"n": 0}, `"api a"`},
		{"a", sdk.ParametersRaw(` [ "x" ] `), `"array x"`}, // equal as JSON
		{"a", sdk.ParametersArray{"x", "y"}, `"api a"`},
		{"b", sdk.ParametersArray{"x"}, `"default"`}, // ScriptRun is for its API only
		{"b", sdk.ParametersObject{}, `"default"`},
	} {
		res, err := c.Project.Run.Sync(ctx, project, sdk.RunRequest{API: tc.api, Parameters: tc.params})
		done, ok := res.(sdk.RunCompleted)
		if err != nil || !ok || string(done.Result) != tc.want {
			t.Errorf("%s %#v: %#v, %v; want the result %s", tc.api, tc.params, res, err, tc.want)
		}
	}
	// A run of project.run always has parameters (the spec requires them);
	// a queue item may have none, which ScriptRun with nil matches.
	id := appendItemTo(t, srv, c, "q", sdk.QueueItemAppendRequest{APIName: "a"})
	if res, err := c.Project.Queues.Items.Result(ctx, project, "q", id); err != nil || string(res.(sdk.QueueItemCompleted).Result) != `"no parameters"` {
		t.Errorf("item without parameters: %#v, %v", res, err)
	}
}

func appendItemTo(t *testing.T, srv *intunedtest.Server, c *sdk.Client, queueID string, item sdk.QueueItemAppendRequest) string {
	t.Helper()
	ctx := context.Background()
	if _, err := c.Project.Queues.One(ctx, project, queueID); err != nil {
		if _, err := c.Project.Queues.Create(ctx, project, sdk.QueueCreateRequest{ID: sdk.Ptr(queueID)}); err != nil {
			t.Fatal(err)
		}
	}
	added, err := c.Project.Queues.Items.Append(ctx, project, queueID, item)
	if err != nil {
		t.Fatal(err)
	}
	return added.RunID
}

// A match sees where the run comes from: a run, a queue item, or an API of
// a job run; and one API of a job's payload can fail by its parameters.
func TestRunScriptSeesTheRun(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	defer c.CloseIdleConnections()
	ctx := context.Background()

	var seen []intunedtest.APIRun
	srv.ScriptRunWhere(func(r intunedtest.APIRun) bool {
		seen = append(seen, r) // under the server's lock: no race
		return r.Job == "nightly" && r.Parameter("page") == "b"
	}, intunedtest.Failed(500, "boom", "page b broke"))

	if _, err := c.Project.Run.Start(ctx, project, sdk.RunRequest{API: "run-api", Parameters: sdk.ParametersObject{}}); err != nil {
		t.Fatal(err)
	}
	appendItemTo(t, srv, c, "q", sdk.QueueItemAppendRequest{APIName: "item-api", Parameters: sdk.ParametersObject{"page": "b"}})
	payload := []sdk.JobPayload{
		{APIName: "job-api", Parameters: sdk.ParametersObject{"page": "a"}},
		{APIName: "job-api", Parameters: sdk.ParametersObject{"page": "b"}},
		{APIName: "job-api", Parameters: sdk.ParametersObject{"page": "c"}},
	}
	if _, err := c.Project.Jobs.Create(ctx, project, sdk.JobCreateRequest{ID: "nightly", Payload: payload}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.Jobs.Trigger(ctx, project, "nightly"); err != nil {
		t.Fatal(err)
	}
	want := []intunedtest.APIRun{
		{Project: project, API: "run-api"},
		{Project: project, API: "item-api", Queue: "q"},
		{Project: project, API: "job-api", Job: "nightly"},
		{Project: project, API: "job-api", Job: "nightly"},
		{Project: project, API: "job-api", Job: "nightly"},
	}
	if len(seen) != len(want) {
		t.Fatalf("the match saw %d runs, want %d", len(seen), len(want))
	}
	for i, r := range seen {
		params := r.Parameters
		r.Parameters = nil
		if r != want[i] || params == nil {
			t.Errorf("run %d: %+v (parameters %v), want %+v with parameters", i, r, params, want[i])
		}
	}

	var runs []sdk.JobRun
	for range 10 {
		var err error
		if runs, err = c.Project.Jobs.Runs.All(ctx, project, "nightly"); err != nil {
			t.Fatal(err)
		}
		if runs[0].Status != sdk.JobRunStatusPending {
			break
		}
	}
	sum := runs[0].Summary
	if runs[0].Status != sdk.JobRunStatusFailed || sum == nil || sum.SuccessCount != 2 || sum.FailuresCount != 1 {
		t.Errorf("job run %s, summary %+v; want FAILED, 2 succeeded and 1 failed", runs[0].Status, sum)
	}
}
