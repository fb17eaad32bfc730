package intunedtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// statusOf returns the HTTP status of an SDK error (0 for none, or for an
// error without one).
func statusOf(err error) int {
	var sc interface{ StatusCode() int }
	if errors.As(err, &sc) {
		return sc.StatusCode()
	}
	return 0
}

// wantStatus fails the test unless err carries the HTTP status code.
func wantStatus(t *testing.T, what string, err error, code int) {
	t.Helper()
	if got := statusOf(err); got != code {
		t.Errorf("%s: err = %v, want HTTP %d", what, err, code)
	}
}

func startRun(t *testing.T, c *sdk.Client, api string, params sdk.Parameters) string {
	t.Helper()
	res, err := c.Project.Run.Start(context.Background(), project, sdk.RunRequest{API: api, Parameters: params})
	if err != nil {
		t.Fatal(err)
	}
	if res.RunID == "" {
		t.Fatal("run.start: no run ID")
	}
	return res.RunID
}

func runResult(t *testing.T, c *sdk.Client, runID string) sdk.RunResult {
	t.Helper()
	res, err := c.Project.Run.Result(context.Background(), project, runID)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The default script: pending once, then completed with the API's name and
// parameters, and completed again on every later call.
func TestRunDefaultScript(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	id := startRun(t, c, "scrape-product", sdk.ParametersObject{"url": "https://shop.example.com/p/1"})
	if p, ok := runResult(t, c, id).(sdk.RunPending); !ok || p.RunID != id {
		t.Fatalf("first poll: %#v, want pending", p)
	}
	for i := 0; i < 2; i++ {
		done, ok := runResult(t, c, id).(sdk.RunCompleted)
		if !ok || done.RunID != id || done.StatusCode != 200 || string(done.Result) != `{"api":"scrape-product","parameters":{"url":"https://shop.example.com/p/1"}}` {
			t.Fatalf("poll %d: %#v (result %s), want completed with the default result", i+2, done, done.Result)
		}
	}
	// An array of parameters is sent back as it came.
	id = startRun(t, c, "list", sdk.ParametersArray{1, "two"})
	runResult(t, c, id)
	if done := runResult(t, c, id).(sdk.RunCompleted); string(done.Result) != `{"api":"list","parameters":[1,"two"]}` {
		t.Errorf("array parameters: result %s", done.Result)
	}
}

func TestRunScripts(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	srv.ScriptAPI("flaky", intunedtest.Queued(3), intunedtest.Running(2), intunedtest.RawResult(`{"status":"paused","runId":"x"}`),
		intunedtest.Failed(502, "api_error", "The page did not load"), intunedtest.Completed(200, "never reached"))
	id := startRun(t, c, "flaky", sdk.ParametersObject{})
	// Queued is for queue items: a run skips it.
	for i := 0; i < 2; i++ {
		if _, ok := runResult(t, c, id).(sdk.RunPending); !ok {
			t.Fatalf("poll %d is not pending", i+1)
		}
	}
	if u, ok := runResult(t, c, id).(sdk.RunResultUnknown); !ok || u.Status() != "paused" {
		t.Fatalf("raw step: %#v", u)
	}
	for i := 0; i < 2; i++ {
		f, ok := runResult(t, c, id).(sdk.RunFailed)
		if !ok || f.RunID != id || f.StatusCode != 502 || f.Error != "api_error" || f.Message != "The page did not load" {
			t.Fatalf("failed step, poll %d: %#v", i+1, f)
		}
	}

	// Completed: any value, a sdk.RawJSON as it is, nil for no result.
	srv.ScriptAPI("value", intunedtest.Completed(201, map[string]any{"title": "Mug", "price": 9.5}))
	srv.ScriptAPI("raw", intunedtest.Completed(200, sdk.RawJSON(`[1,{"a":null}]`)))
	srv.ScriptAPI("nothing", intunedtest.Completed(204, nil))
	for api, want := range map[string]string{"value": `{"price":9.5,"title":"Mug"}`, "raw": `[1,{"a":null}]`, "nothing": ""} {
		done, ok := runResult(t, c, startRun(t, c, api, sdk.ParametersObject{})).(sdk.RunCompleted)
		if !ok || string(done.Result) != want {
			t.Errorf("%s: %#v, result %q, want %q", api, done, done.Result, want)
		}
	}

	// FailedWith, for a run: the object's code and message, when it has
	// them as strings.
	srv.ScriptAPI("with", intunedtest.FailedWith(500, map[string]any{"code": "timeout", "message": "Too slow", "retryable": true}))
	srv.ScriptAPI("odd", intunedtest.FailedWith(500, []int{1}))
	if f := runResult(t, c, startRun(t, c, "with", sdk.ParametersObject{})).(sdk.RunFailed); f.Error != "timeout" || f.Message != "Too slow" {
		t.Errorf("FailedWith: %#v", f)
	}
	if f := runResult(t, c, startRun(t, c, "odd", sdk.ParametersObject{})).(sdk.RunFailed); f.Error != "error" || f.Message != "[1]" {
		t.Errorf("FailedWith a non-object: %#v", f)
	}

	// A script is copied when a run starts.
	srv.ScriptAPI("changing", intunedtest.Running(1), intunedtest.Completed(200, "first"))
	early := startRun(t, c, "changing", sdk.ParametersObject{})
	srv.ScriptAPI("changing", intunedtest.Completed(200, "second"))
	late := startRun(t, c, "changing", sdk.ParametersObject{})
	if _, ok := runResult(t, c, early).(sdk.RunPending); !ok {
		t.Error("the early run does not follow the script it started with")
	}
	if done := runResult(t, c, late).(sdk.RunCompleted); string(done.Result) != `"second"` {
		t.Errorf("late run: %s", done.Result)
	}

	// The default script applies to APIs without a script of their own.
	srv.DefaultAPIScript(intunedtest.Failed(500, "default", "default failure"))
	if f, ok := runResult(t, c, startRun(t, c, "unscripted", sdk.ParametersObject{})).(sdk.RunFailed); !ok || f.Error != "default" {
		t.Errorf("DefaultAPIScript: %#v", f)
	}
	// A script that ends without an ending step completes as the default
	// script does.
	srv.ScriptAPI("short", intunedtest.Running(1))
	id = startRun(t, c, "short", sdk.ParametersArray{})
	runResult(t, c, id)
	if done := runResult(t, c, id).(sdk.RunCompleted); string(done.Result) != `{"api":"short","parameters":[]}` {
		t.Errorf("after the last step: %s", done.Result)
	}
}

func TestRunSync(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	sync := func(api string) sdk.RunSyncResult {
		t.Helper()
		res, err := c.Project.Run.Sync(ctx, project, sdk.RunRequest{API: api, Parameters: sdk.ParametersObject{"q": 1}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	done, ok := sync("default").(sdk.RunCompleted)
	if !ok || done.RunID == "" || done.StatusCode != 200 || string(done.Result) != `{"api":"default","parameters":{"q":1}}` {
		t.Fatalf("default script: %#v", done)
	}
	// The run is known afterwards, ended.
	if again, ok := runResult(t, c, done.RunID).(sdk.RunCompleted); !ok || string(again.Result) != string(done.Result) {
		t.Errorf("result of a sync run: %#v", again)
	}

	srv.ScriptAPI("fails", intunedtest.Queued(1), intunedtest.Running(5), intunedtest.Failed(500, "api_error", "boom"))
	if f, ok := sync("fails").(sdk.RunFailed); !ok || f.Error != "api_error" || f.Message != "boom" || f.StatusCode != 500 {
		t.Errorf("failing script: %#v", f)
	}
	srv.ScriptAPI("raw", intunedtest.Running(1), intunedtest.RawResult(`{"status":"cancelled","runId":"r"}`), intunedtest.Completed(200, nil))
	if u, ok := sync("raw").(sdk.RunSyncResultUnknown); !ok || u.Status() != "cancelled" {
		t.Errorf("raw step: %#v", u)
	}
	srv.ScriptAPI("completes", intunedtest.Running(3), intunedtest.Completed(200, []string{"a"}))
	if d, ok := sync("completes").(sdk.RunCompleted); !ok || string(d.Result) != `["a"]` {
		t.Errorf("completing script: %#v", d)
	}
	if n := countOperation(srv, intunedtest.ProjectRunSync); n != 4 {
		t.Errorf("%d run.sync requests recorded, want 4", n)
	}
}

func TestRunErrors(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions(project, "session"))
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	_, err := c.Project.Run.Result(ctx, project, "no-such-run")
	wantStatus(t, "unknown run", err, 404)
	id := startRun(t, c, "api", sdk.ParametersObject{})
	_, err = c.Project.Run.Result(ctx, "other-project", id)
	wantStatus(t, "another project's run", err, 404)

	// An auth session must exist in the project.
	withSession := func(id string) sdk.RunRequest {
		return sdk.RunRequest{API: "api", Parameters: sdk.ParametersObject{}, AuthSession: &sdk.AuthSessionRef{ID: id}}
	}
	if _, err := c.Project.Run.Start(ctx, project, withSession("session")); err != nil {
		t.Errorf("start with an auth session: %v", err)
	}
	if _, err := c.Project.Run.Sync(ctx, project, withSession("session")); err != nil {
		t.Errorf("sync with an auth session: %v", err)
	}
	_, err = c.Project.Run.Start(ctx, project, withSession("missing"))
	wantStatus(t, "start with a missing auth session", err, 404)
	_, err = c.Project.Run.Sync(ctx, project, withSession("missing"))
	wantStatus(t, "sync with a missing auth session", err, 404)
	_, err = c.Project.Run.Sync(ctx, "other-project", withSession("session"))
	wantStatus(t, "another project's auth session", err, 404)

	// Bodies the spec refuses, sent by a client other than the SDK.
	for _, path := range []string{"/run", "/run/start"} {
		for body, where := range map[string]string{
			`{"parameters":{}}`:                        `"path":["api"]`,
			`{"api":"a"}`:                              `"path":["parameters"]`,
			`{"api":"a","parameters":"x"}`:             `"path":["parameters"]`,
			`{"api":"a","parameters":{},"retry":{}}`:   `"path":["retry","maximumAttempts"]`,
			`{"api":"a","parameters":{},"proxy":null}`: `"path":["proxy"]`,
		} {
			code, got := postRaw(t, srv, "/"+srv.WorkspaceID+"/projects/"+project+path, "application/json", body)
			if code != 400 || !strings.Contains(got, where) || !strings.Contains(got, `"message":"Invalid input"`) {
				t.Errorf("POST %s %s: %d %s; want 400 at %s", path, body, code, got, where)
			}
		}
	}
}

// The answers on the wire.
func TestRunWire(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptAPI("a", intunedtest.Running(1), intunedtest.Completed(200, sdk.RawJSON(`{"ok":true}`)))
	srv.ScriptAPI("b", intunedtest.Completed(200, nil))
	srv.ScriptAPI("c", intunedtest.Failed(500, "api_error", "boom"))
	base := "/" + srv.WorkspaceID + "/projects/p/run"
	code, body := postRaw(t, srv, base+"/start", "application/json", `{"api":"a","parameters":{}}`)
	var started struct{ RunID string }
	if code != 201 || json.Unmarshal([]byte(body), &started) != nil || body != `{"status":"pending","runId":"`+started.RunID+`"}`+"\n" {
		t.Fatalf("start: %d %q", code, body)
	}
	tests := []struct {
		name, method, path, body string
		code                     int
		want                     string
	}{
		{"pending", "GET", "/" + started.RunID + "/result", "", 200, `{"status":"pending","runId":"` + started.RunID + `"}` + "\n"},
		{"completed", "GET", "/" + started.RunID + "/result", "", 200, `{"status":"completed","runId":"` + started.RunID + `","statusCode":200,"result":{"ok":true}}` + "\n"},
		{"no result", "POST", "", `{"api":"b","parameters":[]}`, 200, `{"status":"completed","runId":"RUN","statusCode":200}` + "\n"},
		{"failed", "POST", "", `{"api":"c","parameters":[]}`, 200, `{"status":"failed","runId":"RUN","statusCode":500,"error":"api_error","message":"boom"}` + "\n"},
		{"unknown run", "GET", "/nope/result", "", 404, `{"message":"run \"nope\" not found in project \"p\""}`},
	}
	for _, tt := range tests {
		contentType := ""
		if tt.body != "" {
			contentType = "application/json"
		}
		code, body := sendRaw(t, srv, tt.method, base+tt.path, contentType, tt.body)
		var got struct{ RunID string }
		json.Unmarshal([]byte(body), &got)
		if want := strings.Replace(tt.want, "RUN", got.RunID, 1); code != tt.code || body != want {
			t.Errorf("%s: %d %q; want %d %q", tt.name, code, body, tt.code, want)
		}
		if strings.Contains(tt.want, `"RUN"`) {
			// The ID is the sync run's: its result call answers the same.
			if got.RunID == "" {
				t.Errorf("%s: no run ID", tt.name)
			} else if code, again := sendRaw(t, srv, "GET", base+"/"+got.RunID+"/result", "", ""); code != 200 || again != body {
				t.Errorf("%s: result of %s: %d %q; want %q", tt.name, got.RunID, code, again, body)
			}
		}
	}
}

// Faults and recording work for the new operations as for the old.
func TestFaultOnNewOperation(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	srv.InjectFault(intunedtest.ProjectRunStart, 1, intunedtest.Fault{Status: 503, RetryAfter: "3", Body: "busy"})
	srv.InjectFault(intunedtest.ProjectQueuesAll, 1, intunedtest.Fault{Latency: 20 * time.Millisecond})
	_, err := c.Project.Run.Start(ctx, project, sdk.RunRequest{API: "a", Parameters: sdk.ParametersObject{}})
	var se *sdk.SDKError
	if !errors.As(err, &se) || se.Code != 503 || se.Body != "busy" || se.Header.Get("Retry-After") != "3" {
		t.Fatalf("faulted start: err = %v", err)
	}
	// The fault is used up: the next start is served, and other operations
	// never saw it.
	id := startRun(t, c, "a", sdk.ParametersObject{"n": 1})
	runResult(t, c, id)
	begin := time.Now()
	if _, err := c.Project.Queues.All(ctx, project); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(begin); d < 20*time.Millisecond {
		t.Errorf("latency fault took only %v", d)
	}
	reqs := srv.Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests recorded, want 4", len(reqs))
	}
	wantOps := []string{intunedtest.ProjectRunStart, intunedtest.ProjectRunStart, intunedtest.ProjectRunResult, intunedtest.ProjectQueuesAll}
	for i, r := range reqs {
		if r.Operation != wantOps[i] {
			t.Errorf("request %d: operation %q, want %q", i, r.Operation, wantOps[i])
		}
	}
	if string(reqs[1].Body) != `{"api":"a","parameters":{"n":1}}` || reqs[2].Path != "/"+srv.WorkspaceID+"/projects/"+project+"/run/"+id+"/result" {
		t.Errorf("recorded %s %s", reqs[1].Body, reqs[2].Path)
	}
}

// countOperation counts the recorded requests of an operation.
func countOperation(srv *intunedtest.Server, operation string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Operation == operation {
			n++
		}
	}
	return n
}
