package intunedtest_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// clock is a settable clock for WithClock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var t0 = time.Date(2024, 9, 9, 8, 0, 0, 0, time.UTC)

func nightlyJob() sdk.JobCreateRequest {
	return sdk.JobCreateRequest{
		ID: "nightly-prices",
		Payload: []sdk.JobPayload{
			{APIName: "scrape-product", Parameters: sdk.ParametersObject{"url": "https://shop.example.com/p/1"}},
			{APIName: "scrape-list"},
		},
		Configuration: sdk.JobCreateConfiguration{MaxConcurrentRequests: sdk.Ptr[int](2), Retry: &sdk.JobCreateRetry{MaximumAttempts: 3, MaximumInterval: sdk.Ptr[sdk.Duration]("2m")}},
		Schedule:      &sdk.JobSchedule{Intervals: []sdk.JobInterval{{Every: sdk.Duration("1h")}}},
		// An S3 sink, which the fake writes to no bucket: the job's runs move
		// on as they are looked at. (With a webhook sink they end at once and
		// are delivered: see sinks_test.go.)
		Sink: sdk.NullableOf[sdk.Sink](sdk.SinkS3{Bucket: "prices", Region: "us-east-1", AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "example-secret"}),
	}
}

func TestJobLifecycle(t *testing.T) {
	clk := &clock{now: t0}
	srv := intunedtest.NewServer(intunedtest.WithClock(clk.Now))
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	jobs := c.Project.Jobs

	created, err := jobs.Create(ctx, project, nightlyJob())
	if err != nil || *created.ID != "nightly-prices" || *created.Message != "created" {
		t.Fatalf("create: %+v, %v", created, err)
	}
	_, err = jobs.Create(ctx, project, nightlyJob())
	wantStatus(t, "create again", err, 409)

	// The job as the service answers it.
	code, body := sendRaw(t, srv, "GET", "/"+srv.WorkspaceID+"/projects/"+project+"/jobs/nightly-prices", "", "")
	want := `{"id":"nightly-prices",` +
		`"payload":[{"apiName":"scrape-product","parameters":{"url":"https://shop.example.com/p/1"}},{"apiName":"scrape-list"}],` +
		`"configuration":{"runMode":"Order-Irrelevant","maxConcurrentRequests":2,"retry":{"maximumAttempts":3,"backoffCoefficient":1,"initialInterval":1000,"maximumInterval":120000}},` +
		`"schedule":{"intervals":[{"every":"1h"}]},` +
		`"sink":{"type":"s3","bucket":"prices","region":"us-east-1","accessKeyId":"AKIAEXAMPLE","secretAccessKey":"example-secret","skipOnFail":false},` +
		`"state":{"status":"ACTIVE"},"projectId":"` + intunedtest.ProjectID(project) + `",` +
		`"created_at":"2024-09-09T08:00:00Z","next_run_time":"2024-09-09T09:00:00Z","last_run_time":null}` + "\n"
	if code != 200 || body != want {
		t.Fatalf("one on the wire:\n got %d %s\nwant 200 %s", code, body, want)
	}
	job, err := jobs.One(ctx, project, "nightly-prices")
	if err != nil || job.ID != "nightly-prices" || job.LastRunTime != nil || !job.NextRunTime.Equal(t0.Add(time.Hour)) || *job.State.Status != sdk.JobStatusActive {
		t.Fatalf("one: %+v, %v", job, err)
	}

	// Trigger: a MANUAL run, PENDING, then COMPLETED (the default script).
	clk.Advance(time.Minute)
	trig, err := jobs.Trigger(ctx, project, "nightly-prices")
	if err != nil || *trig.Message != "Triggered" || *trig.ID != "nightly-prices" {
		t.Fatalf("trigger: %+v, %v", trig, err)
	}
	if job, _ := jobs.One(ctx, project, "nightly-prices"); job.LastRunTime == nil || !job.LastRunTime.Equal(t0.Add(time.Minute)) {
		t.Errorf("last_run_time after trigger: %v", job.LastRunTime)
	}
	runs := jobRuns(t, c, "nightly-prices")
	if len(runs) != 1 {
		t.Fatalf("%d runs", len(runs))
	}
	r := runs[0]
	if r.Status != sdk.JobRunStatusPending || r.Type != sdk.JobRunTypeManual || r.JobID != "nightly-prices" ||
		r.ProjectID != intunedtest.ProjectID(project) || r.WorkspaceID != srv.WorkspaceID || !r.StartTime.Equal(t0.Add(time.Minute)) {
		t.Errorf("run: %+v", r)
	}
	wantSummary(t, "first look", r, 2, 0, 0, 2)
	r = jobRuns(t, c, "nightly-prices")[0]
	if r.Status != sdk.JobRunStatusCompleted {
		t.Errorf("second look: %s, want COMPLETED", r.Status)
	}
	wantSummary(t, "second look", r, 2, 2, 0, 0)

	// A failing API fails the run once all have ended.
	srv.ScriptAPI("scrape-list", intunedtest.Running(2), intunedtest.Failed(500, "api_error", "boom"))
	if _, err := jobs.Trigger(ctx, project, "nightly-prices"); err != nil {
		t.Fatal(err)
	}
	wantRun := func(look int, status sdk.JobRunStatus, success, failures, pending int) {
		t.Helper()
		runs := jobRuns(t, c, "nightly-prices")
		if len(runs) != 2 || runs[0].Status != sdk.JobRunStatusCompleted {
			t.Fatalf("look %d: %+v", look, runs)
		}
		if runs[1].Status != status {
			t.Errorf("look %d: %s, want %s", look, runs[1].Status, status)
		}
		wantSummary(t, "look", runs[1], 2, success, failures, pending)
	}
	wantRun(1, sdk.JobRunStatusPending, 0, 0, 2)
	wantRun(2, sdk.JobRunStatusPending, 1, 0, 1)
	wantRun(3, sdk.JobRunStatusFailed, 1, 1, 0)
	wantRun(4, sdk.JobRunStatusFailed, 1, 1, 0)

	// Pause and resume.
	paused, err := jobs.Pause(ctx, project, "nightly-prices")
	if err != nil || *paused.Message != "Paused" {
		t.Fatalf("pause: %+v, %v", paused, err)
	}
	job, _ = jobs.One(ctx, project, "nightly-prices")
	if *job.State.Status != sdk.JobStatusPaused || job.State.Reason == nil || *job.State.Reason != "Paused by the API" || job.NextRunTime != nil {
		t.Errorf("paused job: %+v", job)
	}
	clk.Advance(time.Hour)
	resumed, err := jobs.Resume(ctx, project, "nightly-prices")
	if err != nil || *resumed.Message != "Resumed" {
		t.Fatalf("resume: %+v, %v", resumed, err)
	}
	job, _ = jobs.One(ctx, project, "nightly-prices")
	if *job.State.Status != sdk.JobStatusActive || job.State.Reason != nil || !job.NextRunTime.Equal(t0.Add(2*time.Hour+time.Minute)) {
		t.Errorf("resumed job: %+v", job)
	}

	// Terminate a PENDING run; it stays TERMINATED.
	srv.ScriptAPI("scrape-product", intunedtest.Running(10))
	if _, err := jobs.Trigger(ctx, project, "nightly-prices"); err != nil {
		t.Fatal(err)
	}
	third := jobRuns(t, c, "nightly-prices")[2]
	terminated, err := jobs.Runs.Terminate(ctx, project, "nightly-prices", third.ID)
	if err != nil || *terminated.Message != "Job run terminated" {
		t.Fatalf("terminate: %+v, %v", terminated, err)
	}
	for i := 0; i < 3; i++ {
		if r := jobRuns(t, c, "nightly-prices")[2]; r.Status != sdk.JobRunStatusTerminated {
			t.Errorf("after terminate: %s", r.Status)
		}
	}
	_, err = jobs.Runs.Terminate(ctx, project, "nightly-prices", third.ID)
	var invalid *sdk.APIErrorInvalidInput
	if !errors.As(err, &invalid) || !strings.Contains(invalid.Message, "TERMINATED") {
		t.Errorf("terminate a terminated run: %v", err)
	}
	_, err = jobs.Runs.Terminate(ctx, project, "nightly-prices", runs[0].ID)
	if !errors.As(err, &invalid) || !strings.Contains(invalid.Message, "COMPLETED") {
		t.Errorf("terminate a completed run: %v", err)
	}
	_, err = jobs.Runs.Terminate(ctx, project, "nightly-prices", "no-such-run")
	wantStatus(t, "terminate an unknown run", err, 404)

	// Delete: then 404 everywhere.
	if err := jobs.Delete(ctx, project, "nightly-prices"); err != nil {
		t.Fatal(err)
	}
	_, err = jobs.One(ctx, project, "nightly-prices")
	wantStatus(t, "one after delete", err, 404)
	_, err = jobs.Runs.All(ctx, project, "nightly-prices")
	wantStatus(t, "runs after delete", err, 404)
	_, err = jobs.Runs.Terminate(ctx, project, "nightly-prices", third.ID)
	wantStatus(t, "terminate after delete", err, 404)
	_, err = jobs.Trigger(ctx, project, "nightly-prices")
	wantStatus(t, "trigger after delete", err, 404)
	_, err = jobs.Pause(ctx, project, "nightly-prices")
	wantStatus(t, "pause after delete", err, 404)
	_, err = jobs.Resume(ctx, project, "nightly-prices")
	wantStatus(t, "resume after delete", err, 404)
	wantStatus(t, "delete after delete", jobs.Delete(ctx, project, "nightly-prices"), 404)
	if list, err := jobs.All(ctx, project); err != nil || len(list) != 0 {
		t.Errorf("all after delete: %+v, %v", list, err)
	}
	// A job of the same ID can be made again, with no runs.
	if _, err := jobs.Create(ctx, project, nightlyJob()); err != nil {
		t.Fatal(err)
	}
	if runs := jobRuns(t, c, "nightly-prices"); len(runs) != 0 {
		t.Errorf("a new job has the runs of a deleted one: %+v", runs)
	}
}

func jobRuns(t *testing.T, c *sdk.Client, jobID string) []sdk.JobRun {
	t.Helper()
	runs, err := c.Project.Jobs.Runs.All(context.Background(), project, jobID)
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

func wantSummary(t *testing.T, what string, r sdk.JobRun, apis, success, failures, pending int) {
	t.Helper()
	s := r.Summary
	if s == nil || s.APIsCount != apis || s.SuccessCount != success || s.FailuresCount != failures || s.PendingCount == nil || *s.PendingCount != pending {
		t.Errorf("%s: summary %+v, want %d APIs, %d succeeded, %d failed, %d pending", what, s, apis, success, failures, pending)
	}
}

func TestJobsAllAndNotFound(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	jobs := c.Project.Jobs

	// No jobs: an empty list, not null.
	if code, body := sendRaw(t, srv, "GET", "/"+srv.WorkspaceID+"/projects/p/jobs", "", ""); code != 200 || body != "[]\n" {
		t.Errorf("all of none: %d %q", code, body)
	}
	for _, id := range []string{"zeta", "alpha", "mid"} {
		in := nightlyJob()
		in.ID = id
		in.Schedule, in.Sink = nil, sdk.Nullable[sdk.Sink]{}
		if _, err := jobs.Create(ctx, project, in); err != nil {
			t.Fatal(err)
		}
	}
	list, err := jobs.All(ctx, project)
	if err != nil || len(list) != 3 || list[0].ID != "alpha" || list[1].ID != "mid" || list[2].ID != "zeta" {
		t.Fatalf("all: %+v, %v", list, err)
	}
	if list[0].NextRunTime != nil || list[0].Schedule != nil || !list[0].Sink.IsZero() {
		t.Errorf("a job without a schedule or sink: %+v", list[0])
	}
	// Jobs belong to their project.
	if other, err := jobs.All(ctx, "other"); err != nil || len(other) != 0 {
		t.Errorf("another project: %+v, %v", other, err)
	}
	_, err = jobs.One(ctx, "other", "alpha")
	wantStatus(t, "another project's job", err, 404)
	for name, call := range map[string]func() error{
		"one":       func() error { _, err := jobs.One(ctx, project, "none"); return err },
		"delete":    func() error { return jobs.Delete(ctx, project, "none") },
		"pause":     func() error { _, err := jobs.Pause(ctx, project, "none"); return err },
		"resume":    func() error { _, err := jobs.Resume(ctx, project, "none"); return err },
		"trigger":   func() error { _, err := jobs.Trigger(ctx, project, "none"); return err },
		"runs":      func() error { _, err := jobs.Runs.All(ctx, project, "none"); return err },
		"terminate": func() error { _, err := jobs.Runs.Terminate(ctx, project, "none", "run"); return err },
	} {
		wantStatus(t, name+" of an unknown job", call(), 404)
	}
	// A job with no payload completes at its first look.
	if _, err := jobs.Create(ctx, project, sdk.JobCreateRequest{ID: "empty", Payload: []sdk.JobPayload{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.Trigger(ctx, project, "empty"); err != nil {
		t.Fatal(err)
	}
	r := jobRuns(t, c, "empty")[0]
	if r.Status != sdk.JobRunStatusCompleted {
		t.Errorf("empty job run: %s", r.Status)
	}
	wantSummary(t, "empty job run", r, 0, 0, 0, 0)
}

// The schedule's first interval, in either form, sets next_run_time; the
// retry's defaults are the service's.
func TestJobScheduleAndRetry(t *testing.T) {
	clk := &clock{now: time.Date(2024, 9, 9, 10, 0, 0, 123456789, time.FixedZone("CEST", 2*3600))}
	srv := intunedtest.NewServer(intunedtest.WithClock(clk.Now))
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	in := sdk.JobCreateRequest{
		ID:            "ms",
		Payload:       []sdk.JobPayload{{APIName: "a"}},
		Configuration: sdk.JobCreateConfiguration{Retry: &sdk.JobCreateRetry{MaximumAttempts: 2, BackoffCoefficient: sdk.Ptr(2.5), InitialInterval: sdk.Ptr[sdk.Duration]("1.5s")}},
		Schedule:      &sdk.JobSchedule{Intervals: []sdk.JobInterval{{Every: sdk.Milliseconds(90000)}, {Every: sdk.Duration("1d")}}},
	}
	if _, err := c.Project.Jobs.Create(ctx, project, in); err != nil {
		t.Fatal(err)
	}
	job, err := c.Project.Jobs.One(ctx, project, "ms")
	if err != nil {
		t.Fatal(err)
	}
	// The clock's time, in UTC, to the millisecond.
	created := time.Date(2024, 9, 9, 8, 0, 0, 123000000, time.UTC)
	if job.CreatedAt == nil || !job.CreatedAt.Equal(created) || job.CreatedAt.Location() != time.UTC {
		t.Errorf("created_at %v, want %v", job.CreatedAt, created)
	}
	if job.NextRunTime == nil || !job.NextRunTime.Equal(created.Add(90*time.Second)) {
		t.Errorf("next_run_time %v", job.NextRunTime)
	}
	retry := job.Configuration.Retry
	if retry == nil || retry.MaximumAttempts != 2 || *retry.BackoffCoefficient != 2.5 || *retry.InitialInterval != 1500 || retry.MaximumInterval != nil {
		t.Errorf("retry %+v", retry)
	}
	// A schedule of calendars alone has no next run the fake works out.
	in.ID, in.Schedule = "calendar", &sdk.JobSchedule{Calendars: []sdk.Calendar{{Hour: sdk.CalendarNumber(9)}}}
	if _, err := c.Project.Jobs.Create(ctx, project, in); err != nil {
		t.Fatal(err)
	}
	if job, _ := c.Project.Jobs.One(ctx, project, "calendar"); job.NextRunTime != nil {
		t.Errorf("calendar job: next_run_time %v", job.NextRunTime)
	}
}

func TestJobValidation(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	path := "/" + srv.WorkspaceID + "/projects/p/jobs"
	refused := map[string]string{
		`{"payload":[],"configuration":{"runMode":"Order-Irrelevant"}}`:            `"path":["id"]`,
		`{"id":"j","configuration":{"runMode":"Order-Irrelevant"}}`:                `"path":["payload"]`,
		`{"id":"j","payload":[{}],"configuration":{"runMode":"Order-Irrelevant"}}`: `"path":["payload",0,"apiName"]`,
		`{"id":"j","payload":[]}`: `"path":["configuration"]`,
		`{"id":"j","payload":[],"configuration":{"runMode":"Order-Irrelevant","retry":{"maximumAttempts":1,"initialInterval":"soon"}}}`: `"path":["configuration","retry","initialInterval"]`,
		`{"id":"j","payload":[],"configuration":{"runMode":"Order-Irrelevant"},"authSession":null}`:                                     `"path":["authSession"]`,
		`{"id":"j","payload":[],"configuration":{"runMode":"Order-Irrelevant"},"sink":{"type":"webhook"}}`:                              `"path":["sink","url"]`,
	}
	for body, where := range refused {
		if code, got := postRaw(t, srv, path, "application/json", body); code != 400 || !strings.Contains(got, where) {
			t.Errorf("%s: %d %s; want 400 at %s", body, code, got, where)
		}
	}
	// sink may be null.
	if code, got := postRaw(t, srv, path, "application/json", `{"id":"j","payload":[],"configuration":{"runMode":"Order-Irrelevant"},"sink":null}`); code != 201 || got != `{"id":"j","message":"created"}`+"\n" {
		t.Errorf("null sink: %d %s", code, got)
	}
	// pause, resume, trigger and terminate take no body.
	for _, p := range []string{"/j/pause", "/j/resume", "/j/trigger"} {
		if code, got := postRaw(t, srv, path+p, "", ""); code != 200 {
			t.Errorf("POST %s: %d %s", p, code, got)
		}
	}
}

// The fake's own retry defaults, for a client that does not write them.
func TestJobRetryDefaultsRaw(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	path := "/" + srv.WorkspaceID + "/projects/p/jobs"
	if code, got := postRaw(t, srv, path, "application/json", `{"id":"j","payload":[],"configuration":{"runMode":"Order-Irrelevant","retry":{"maximumAttempts":1}}}`); code != 201 {
		t.Fatalf("create: %d %s", code, got)
	}
	_, body := sendRaw(t, srv, "GET", path+"/j", "", "")
	if want := `"retry":{"maximumAttempts":1,"backoffCoefficient":1,"initialInterval":1000}`; !strings.Contains(body, want) {
		t.Errorf("one: %s, want %s", body, want)
	}
	if code, got := postRaw(t, srv, path, "application/json", `{"id":"k","payload":[],"configuration":{"runMode":"Order-Irrelevant","retry":{"maximumAttempts":1,"maximumInterval":"99999999999d"}}}`); code != 400 || !strings.Contains(got, `"path":["configuration","retry","maximumInterval"]`) {
		t.Errorf("out-of-range interval: %d %s", code, got)
	}
}
