package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/internal/testdiff"
	"github.com/intuned/intuned-go/sdk"
)

// opNamed returns the first row of allOperations for the operation name.
func opNamed(t *testing.T, name string) operationCall {
	t.Helper()
	for _, op := range allOperations {
		if op.name == name {
			return op
		}
	}
	t.Fatalf("no operation %s in allOperations", name)
	return operationCall{}
}

// checkResultsKept checks that the completed answers of op, the members
// head then each of results ("" for no "result" member), decode into a C
// that keeps the result byte for byte (nil when absent, the JSON null when
// null), with the status want. read returns the result and the status of a C.
func checkResultsKept[C any](t *testing.T, op, head string, results []struct{ name, result string }, read func(C) (sdk.RawJSON, string), want string) {
	t.Helper()
	for _, r := range results {
		t.Run(op+"/result "+r.name, func(t *testing.T) {
			body := "{" + head + "}"
			var wantResult sdk.RawJSON
			if r.result != "" {
				body = "{" + head + `,"result":` + r.result + "}"
				wantResult = sdk.RawJSON(r.result)
			}
			s := newServer(t, reply(200, body))
			got, err := opNamed(t, op).call(context.Background(), newClient(t, s))
			if err != nil {
				t.Fatal(err)
			}
			c, ok := got.(C)
			if !ok {
				var zero C
				t.Fatalf("got %#v, want a %T", got, zero)
			}
			result, status := read(c)
			if string(result) != string(wantResult) || (wantResult == nil) != (result == nil) {
				t.Errorf("Result = %q (nil %v), want %q (nil %v)", result, result == nil, wantResult, wantResult == nil)
			}
			if status != want {
				t.Errorf("Status() = %q, want %q", status, want)
			}
		})
	}
}

// at parses an RFC 3339 date-time as the SDK does.
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func atPtr(s string) *time.Time { t := at(s); return &t }

// answerCase is a success answer of op and what it decodes into.
type answerCase struct {
	name string
	op   string
	body string
	want any
}

func checkAnswers(t *testing.T, cases []answerCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			op := opNamed(t, tt.op)
			s := newServer(t, reply(op.success, tt.body))
			got, err := op.call(context.Background(), newClient(t, s))
			if err != nil {
				t.Fatal(err)
			}
			if diff := testdiff.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The example answer of project.jobs.one in openapi.yaml.
const jobExample = `{"id":"nightly-prices",` +
	`"payload":[{"apiName":"scrape-product","parameters":{"url":"https://shop.example.com/p/1"}}],` +
	`"configuration":{"runMode":"Order-Irrelevant","retry":{"maximumAttempts":3,"backoffCoefficient":1,"initialInterval":1000,"maximumInterval":600000}},` +
	`"schedule":{"intervals":[{"every":"1h"}]},` +
	`"sink":{"type":"s3","bucket":"results","region":"us-east-1","accessKeyId":"AKIA...","secretAccessKey":"...","skipOnFail":false},` +
	`"state":{"status":"PAUSED","reason":"Paused by the API"},` +
	`"projectId":"11111111-2222-3333-4444-555555555555",` +
	`"created_at":"2024-09-09T08:00:00.000Z","next_run_time":null,"last_run_time":"2024-09-09T10:00:00+02:00"}`

// jobJSON is the smallest job the API answers, with members replaced or
// added (a value of "" removes the member).
func jobJSON(members map[string]string) string {
	base := []struct{ k, v string }{
		{"id", `"nightly-prices"`},
		{"payload", `[{"apiName":"scrape-product"}]`},
		{"configuration", `{"runMode":"Order-Irrelevant"}`},
		{"state", `{}`},
		{"projectId", `"p-1"`},
		{"next_run_time", `null`},
		{"last_run_time", `null`},
	}
	var parts []string
	seen := map[string]bool{}
	for _, m := range base {
		seen[m.k] = true
		v := m.v
		if r, ok := members[m.k]; ok {
			v = r
		}
		if v != "" {
			parts = append(parts, `"`+m.k+`":`+v)
		}
	}
	for k, v := range members {
		if !seen[k] && v != "" {
			parts = append(parts, `"`+k+`":`+v)
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// minimalJob is what jobJSON(nil) decodes into.
func minimalJob(f func(j *sdk.Job)) sdk.Job {
	j := sdk.Job{
		ID:            "nightly-prices",
		Payload:       []sdk.JobPayload{{APIName: "scrape-product"}},
		Configuration: sdk.JobConfiguration{RunMode: "Order-Irrelevant"},
		ProjectID:     "p-1",
	}
	if f != nil {
		f(&j)
	}
	return j
}

func TestRunAnswers(t *testing.T) {
	noLeaks(t)
	checkAnswers(t, []answerCase{
		{"start", "project.run.start", `{"status":"pending","runId":"run-1234"}`, sdk.RunPending{RunID: "run-1234"}},
		{"result pending", "project.run.result", `{"status":"pending","runId":"run-1234"}`, sdk.RunPending{RunID: "run-1234"}},
		{"result completed with an array", "project.run.result", `{"status":"completed","runId":"run-1234","statusCode":200,"result":[1, 2, 3]}`,
			sdk.RunCompleted{RunID: "run-1234", StatusCode: 200, Result: sdk.RawJSON(`[1, 2, 3]`)}},
		{"result failed", "project.run.result", `{"status":"failed","runId":"run-1234","statusCode":500,"error":"api_error","message":"The page did not load"}`,
			sdk.RunFailed{RunID: "run-1234", StatusCode: 500, Error: "api_error", Message: "The page did not load"}},
		// A status this SDK version does not know keeps the whole answer.
		{"result unknown status", "project.run.result", `{"status":"archived","runId":"run-1234","archivedAt":"2024-09-09T08:00:00Z","error":{"x":1}}`,
			sdk.RunResultUnknown{Raw: sdk.RawJSON(`{"status":"archived","runId":"run-1234","archivedAt":"2024-09-09T08:00:00Z","error":{"x":1}}`)}},
		{"sync completed", "project.run.sync", `{"status":"completed","runId":"run-1234","statusCode":200,"result":{"title":"Mug","price":12.5}}`,
			sdk.RunCompleted{RunID: "run-1234", StatusCode: 200, Result: sdk.RawJSON(`{"title":"Mug","price":12.5}`)}},
		{"sync failed", "project.run.sync", `{"status":"failed","runId":"run-1234","statusCode":500,"error":"api_error","message":"The page did not load"}`,
			sdk.RunFailed{RunID: "run-1234", StatusCode: 500, Error: "api_error", Message: "The page did not load"}},
		// pending is no answer of sync: an unknown variant, kept.
		{"sync pending", "project.run.sync", `{"status":"pending","runId":"run-1234"}`,
			sdk.RunSyncResultUnknown{Raw: sdk.RawJSON(`{"status":"pending","runId":"run-1234"}`)}},
	})

	// The result of a completed run is any JSON, kept byte for byte as the
	// server wrote it; absent is nil, null is the JSON null.
	results := []struct{ name, result string }{
		{"absent", ""},
		{"null", "null"},
		{"object", `{ "title" : "Mug", "price" : 12.50, "tags" : [ ] }`},
		{"array", `[1, "two", null]`},
		{"number", `12345678901234567890`},
		{"small number", `-0.5e-3`},
		{"string", `"done"`},
		{"boolean", `false`},
	}
	for _, op := range []string{"project.run.result", "project.run.sync"} {
		checkResultsKept(t, op, `"status":"completed","runId":"r","statusCode":200`, results,
			func(c sdk.RunCompleted) (sdk.RawJSON, string) { return c.Result, string(c.Status()) }, "completed")
	}
	checkResultsKept(t, "project.queues.items.result", `"status":"completed","runId":"r","statusCode":200`, results,
		func(c sdk.QueueItemCompleted) (sdk.RawJSON, string) { return c.Result, string(c.Status()) }, "completed")

	t.Run("unknown status keeps the body", func(t *testing.T) {
		s := newServer(t, reply(200, `{"status":"queued","runId":"r","position":3}`))
		got, err := newClient(t, s).Project.Run.Result(context.Background(), "p", "r")
		if err != nil {
			t.Fatal(err)
		}
		u, ok := got.(sdk.RunResultUnknown)
		if !ok || u.Status() != "queued" || string(u.Raw) != `{"status":"queued","runId":"r","position":3}` {
			t.Fatalf("got %#v", got)
		}
		if b, err := json.Marshal(u); err != nil || string(b) != string(u.Raw) {
			t.Errorf("MarshalJSON = %s, %v", b, err)
		}
	})
}

func TestJobAnswers(t *testing.T) {
	noLeaks(t)
	example := sdk.Job{
		ID:      "nightly-prices",
		Payload: []sdk.JobPayload{{APIName: "scrape-product", Parameters: sdk.ParametersRaw(`{"url":"https://shop.example.com/p/1"}`)}},
		Configuration: sdk.JobConfiguration{RunMode: "Order-Irrelevant", Retry: &sdk.JobRetry{
			MaximumAttempts: 3, BackoffCoefficient: sdk.Ptr(1.0), InitialInterval: sdk.Ptr[sdk.Milliseconds](1000), MaximumInterval: sdk.Ptr[sdk.Milliseconds](600000)}},
		Schedule:    &sdk.JobSchedule{Intervals: []sdk.JobInterval{{Every: sdk.Duration("1h")}}},
		Sink:        sdk.NullableOf[sdk.Sink](sdk.SinkS3{Bucket: "results", Region: "us-east-1", AccessKeyID: "AKIA...", SecretAccessKey: "...", SkipOnFail: sdk.Ptr(false)}),
		State:       sdk.JobState{Status: sdk.Ptr(sdk.JobStatusPaused), Reason: sdk.Ptr("Paused by the API")},
		ProjectID:   "11111111-2222-3333-4444-555555555555",
		CreatedAt:   atPtr("2024-09-09T08:00:00.000Z"),
		NextRunTime: nil,
		LastRunTime: atPtr("2024-09-09T10:00:00+02:00"),
	}
	scheduled := `{"intervals":[{"every":"1h"},{"every":90000}],"calendars":[` +
		`{"hour":9,"minute":0,"dayOfWeek":"MON-FRI","comment":"weekday mornings"},` +
		`{"hour":{"start":9,"end":17,"step":2},"dayOfMonth":[{"start":1,"end":7}],"month":{"start":"JANUARY"}}]}`
	checkAnswers(t, []answerCase{
		{"one, the example", "project.jobs.one", jobExample, example},
		{"all, the example twice", "project.jobs.all", "[" + jobExample + "," + jobExample + "]", []sdk.Job{example, example}},
		{"all, empty", "project.jobs.all", `[]`, []sdk.Job{}},
		{"minimal: no created_at, null run times, empty state", "project.jobs.one", jobJSON(nil), minimalJob(nil)},
		// created_at may not be null in the spec; null is taken as absence.
		{"created_at null", "project.jobs.one", jobJSON(map[string]string{"created_at": "null"}), minimalJob(nil)},
		{"times set", "project.jobs.one", jobJSON(map[string]string{
			"created_at":    `"2024-09-09T08:00:00Z"`,
			"next_run_time": `"2024-09-10T10:00:00.123456+02:00"`,
			"last_run_time": `"2024-09-09T03:00:00.5-05:30"`,
		}), minimalJob(func(j *sdk.Job) {
			j.CreatedAt = atPtr("2024-09-09T08:00:00Z")
			j.NextRunTime = atPtr("2024-09-10T10:00:00.123456+02:00")
			j.LastRunTime = atPtr("2024-09-09T03:00:00.5-05:30")
		})},
		{"state active", "project.jobs.one", jobJSON(map[string]string{"state": `{"status":"ACTIVE"}`}),
			minimalJob(func(j *sdk.Job) { j.State.Status = sdk.Ptr(sdk.JobStatusActive) })},
		{"unknown state status and run mode kept", "project.jobs.one", jobJSON(map[string]string{
			"state": `{"status":"DISABLED","reason":"quota"}`, "configuration": `{"runMode":"Sequential","maxConcurrentRequests":2}`,
		}), minimalJob(func(j *sdk.Job) {
			j.State = sdk.JobState{Status: sdk.Ptr[sdk.JobStatus]("DISABLED"), Reason: sdk.Ptr("quota")}
			j.Configuration = sdk.JobConfiguration{RunMode: "Sequential", MaxConcurrentRequests: sdk.Ptr[int](2)}
		})},
		{"schedule, webhook sink, auth session, array parameters", "project.jobs.one", jobJSON(map[string]string{
			"schedule":    scheduled,
			"sink":        `{"type":"webhook","url":"https://hooks.example.com/intuned","headers":{"Authorization":"Bearer secret"}}`,
			"authSession": `{"id":"my-auth-session"}`,
			"payload":     `[{"apiName":"a","parameters":[1, 2]},{"apiName":"b","parameters":null}]`,
		}), minimalJob(func(j *sdk.Job) {
			j.Payload = []sdk.JobPayload{{APIName: "a", Parameters: sdk.ParametersRaw(`[1, 2]`)}, {APIName: "b"}}
			j.Schedule = &sdk.JobSchedule{
				Intervals: []sdk.JobInterval{{Every: sdk.Duration("1h")}, {Every: sdk.Milliseconds(90000)}},
				Calendars: []sdk.Calendar{
					{Hour: sdk.CalendarNumber(9), Minute: sdk.CalendarNumber(0), DayOfWeek: sdk.CalendarText("MON-FRI"), Comment: sdk.Ptr("weekday mornings")},
					{Hour: sdk.CalendarRange{Start: sdk.CalendarNumber(9), End: sdk.CalendarNumber(17), Step: sdk.Ptr[int](2)},
						DayOfMonth: sdk.CalendarRanges{{Start: sdk.CalendarNumber(1), End: sdk.CalendarNumber(7)}},
						Month:      sdk.CalendarRange{Start: sdk.CalendarText("JANUARY")}},
				},
			}
			j.Sink = sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: "https://hooks.example.com/intuned", Headers: map[string]string{"Authorization": "Bearer secret"}})
			j.AuthSession = &sdk.AuthSessionRef{ID: "my-auth-session"}
		})},
		// Shapes and types this SDK version does not know are kept.
		{"unknown sink type kept", "project.jobs.one", jobJSON(map[string]string{
			"sink": `{"type":"gcs","bucket":"b"}`,
		}), minimalJob(func(j *sdk.Job) {
			j.Sink = sdk.NullableOf[sdk.Sink](sdk.SinkUnknown{Raw: sdk.RawJSON(`{"type":"gcs","bucket":"b"}`)})
		})},
		{"null sink, schedule and auth session", "project.jobs.one", jobJSON(map[string]string{"sink": "null", "schedule": "null", "authSession": "null"}),
			// The sink may be null (nullable): kept apart from absent. The
			// others may not: null is taken as absence.
			minimalJob(func(j *sdk.Job) { j.Sink = sdk.Null[sdk.Sink]() })},

		{"created", "project.jobs.create", `{"id":"nightly-prices","message":"created"}`, sdk.JobCreated{ID: sdk.Ptr("nightly-prices"), Message: sdk.Ptr("created")}},
		{"created, empty", "project.jobs.create", `{}`, sdk.JobCreated{}},
		{"paused", "project.jobs.pause", `{"id":"nightly-prices","message":"Paused"}`, sdk.JobPaused{ID: sdk.Ptr("nightly-prices"), Message: sdk.Ptr("Paused")}},
		// Messages worded differently are kept as sent.
		{"paused, worded differently", "project.jobs.pause", `{"id":"j","message":"Job is already paused"}`, sdk.JobPaused{ID: sdk.Ptr("j"), Message: sdk.Ptr("Job is already paused")}},
		{"resumed", "project.jobs.resume", `{"id":"nightly-prices","message":"Resumed"}`, sdk.JobResumed{ID: sdk.Ptr("nightly-prices"), Message: sdk.Ptr("Resumed")}},
		{"resumed, worded differently", "project.jobs.resume", `{"message":"resumed!"}`, sdk.JobResumed{Message: sdk.Ptr("resumed!")}},
		{"triggered", "project.jobs.trigger", `{"id":"nightly-prices","message":"Triggered"}`, sdk.JobTriggered{ID: sdk.Ptr("nightly-prices"), Message: sdk.Ptr("Triggered")}},
		{"triggered, empty", "project.jobs.trigger", `{}`, sdk.JobTriggered{}},
		{"terminated", "project.jobs.runs.terminate", `{"message":"Job run terminated"}`, sdk.JobRunTerminated{Message: sdk.Ptr("Job run terminated")}},
		{"terminated, worded differently", "project.jobs.runs.terminate", `{"message":"Run already finished"}`, sdk.JobRunTerminated{Message: sdk.Ptr("Run already finished")}},
		{"terminated, empty", "project.jobs.runs.terminate", `{}`, sdk.JobRunTerminated{}},
	})

	t.Run("times keep their offset and every digit", func(t *testing.T) {
		s := newServer(t, reply(200, jobJSON(map[string]string{
			"created_at":    `"2024-09-09T08:00:00.000Z"`,
			"next_run_time": `"2024-09-09T10:00:00.123456+02:00"`,
			"last_run_time": `"2024-09-09T10:00:00.123456789-05:30"`,
		})))
		j, err := newClient(t, s).Project.Jobs.One(context.Background(), "p", "j")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			t      *time.Time
			text   string
			offset int
			nanos  int
		}{
			{j.CreatedAt, "2024-09-09T08:00:00Z", 0, 0},
			{j.NextRunTime, "2024-09-09T10:00:00.123456+02:00", 2 * 3600, 123456000},
			{j.LastRunTime, "2024-09-09T10:00:00.123456789-05:30", -(5*3600 + 30*60), 123456789},
		} {
			if c.t == nil {
				t.Fatalf("%s: nil", c.text)
			}
			_, off := c.t.Zone()
			if got := c.t.Format(time.RFC3339Nano); got != c.text || off != c.offset || c.t.Nanosecond() != c.nanos {
				t.Errorf("got %s (offset %d, %d ns), want %s (offset %d, %d ns)", got, off, c.t.Nanosecond(), c.text, c.offset, c.nanos)
			}
		}
		if want := time.Date(2024, 9, 9, 8, 0, 0, 123456000, time.UTC); !j.NextRunTime.Equal(want) {
			t.Errorf("NextRunTime = %v, want the instant %v", j.NextRunTime, want)
		}
	})

	t.Run("retry intervals are milliseconds", func(t *testing.T) {
		s := newServer(t, reply(200, jobJSON(map[string]string{
			"configuration": `{"runMode":"Order-Irrelevant","retry":{"maximumAttempts":3,"initialInterval":1500.5,"maximumInterval":600000}}`,
		})))
		j, err := newClient(t, s).Project.Jobs.One(context.Background(), "p", "j")
		if err != nil {
			t.Fatal(err)
		}
		r := j.Configuration.Retry
		if r == nil || r.InitialInterval == nil || r.MaximumInterval == nil || r.BackoffCoefficient != nil {
			t.Fatalf("Retry = %+v", r)
		}
		if got := r.InitialInterval.Duration(); got != 1500500*time.Microsecond {
			t.Errorf("InitialInterval.Duration() = %v, want 1.5005s", got)
		}
		if got := r.MaximumInterval.Duration(); got != 10*time.Minute {
			t.Errorf("MaximumInterval.Duration() = %v, want 10m", got)
		}
	})
}

func TestJobRunAnswers(t *testing.T) {
	noLeaks(t)
	run := func(extra string) string {
		return `{"id":"jobrun-1","projectId":"11111111-2222-3333-4444-555555555555","jobId":"nightly-prices",` +
			`"start_time":"2024-09-09T08:00:00.000Z","status":"COMPLETED","type":"SCHEDULED",` +
			`"workspace_id":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"` + extra + `}`
	}
	want := func(f func(r *sdk.JobRun)) sdk.JobRun {
		r := sdk.JobRun{ID: "jobrun-1", ProjectID: "11111111-2222-3333-4444-555555555555", JobID: "nightly-prices",
			StartTime: at("2024-09-09T08:00:00.000Z"), Status: sdk.JobRunStatusCompleted, Type: sdk.JobRunTypeScheduled,
			WorkspaceID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"}
		if f != nil {
			f(&r)
		}
		return r
	}
	checkAnswers(t, []answerCase{
		{"the example", "project.jobs.runs.all", "[" + run(`,"summary":{"apis_count":2,"success_count":1,"failures_count":1,"pending_count":0}`) + "]",
			[]sdk.JobRun{want(func(r *sdk.JobRun) {
				r.Summary = &sdk.JobRunSummary{APIsCount: 2, SuccessCount: 1, FailuresCount: 1, PendingCount: sdk.Ptr[int](0)}
			})}},
		{"empty", "project.jobs.runs.all", `[]`, []sdk.JobRun{}},
		{"summary absent and null, no pending count", "project.jobs.runs.all",
			"[" + run("") + "," + run(`,"summary":null`) + "," + run(`,"summary":{"apis_count":3,"success_count":0,"failures_count":0}`) + "]",
			[]sdk.JobRun{want(nil), want(nil), want(func(r *sdk.JobRun) { r.Summary = &sdk.JobRunSummary{APIsCount: 3} })}},
		// A status or type this SDK version does not know is kept.
		{"unknown status and type", "project.jobs.runs.all",
			"[" + strings.Replace(strings.Replace(run(""), `"COMPLETED"`, `"ARCHIVED"`, 1), `"SCHEDULED"`, `"WEBHOOK"`, 1) + "]",
			[]sdk.JobRun{want(func(r *sdk.JobRun) { r.Status, r.Type = "ARCHIVED", "WEBHOOK" })}},
		{"every known status", "project.jobs.runs.all",
			"[" + strings.Replace(run(""), `"COMPLETED"`, `"FAILED"`, 1) + "," + strings.Replace(run(""), `"COMPLETED"`, `"PENDING"`, 1) + "," +
				strings.Replace(run(""), `"COMPLETED"`, `"TERMINATED"`, 1) + "," + strings.Replace(strings.Replace(run(""), `"COMPLETED"`, `"PAUSED"`, 1), `"SCHEDULED"`, `"MANUAL"`, 1) + "]",
			[]sdk.JobRun{
				want(func(r *sdk.JobRun) { r.Status = sdk.JobRunStatusFailed }),
				want(func(r *sdk.JobRun) { r.Status = sdk.JobRunStatusPending }),
				want(func(r *sdk.JobRun) { r.Status = sdk.JobRunStatusTerminated }),
				want(func(r *sdk.JobRun) { r.Status, r.Type = sdk.JobRunStatusPaused, sdk.JobRunTypeManual }),
			}},
		{"start time with an offset", "project.jobs.runs.all", "[" + strings.Replace(run(""), `"2024-09-09T08:00:00.000Z"`, `"2024-09-09T10:00:00.000001+02:00"`, 1) + "]",
			[]sdk.JobRun{want(func(r *sdk.JobRun) { r.StartTime = at("2024-09-09T10:00:00.000001+02:00") })}},
	})
}

func TestQueueAnswers(t *testing.T) {
	noLeaks(t)
	// The example answer of project.queues.one in openapi.yaml.
	example := `{"id":"product-pages","name":"Product pages","configuration":{"runMode":"Default","rateLimits":[{"limit":10,"duration":"1m"}],"randomWait":{"min":1000,"max":5000}},"sink":null,"authSession":null,"metadata":null}`
	exampleQueue := sdk.Queue{ID: sdk.Ptr("product-pages"), Name: sdk.Ptr("Product pages"), Configuration: &sdk.QueueConfiguration{
		RunMode: "Default", RateLimits: []sdk.RateLimit{{Limit: 10, Duration: "1m"}}, RandomWait: sdk.RandomWaitMilliseconds{Min: 1000, Max: 5000}},
		Sink: sdk.Null[sdk.Sink](), AuthSession: sdk.Null[sdk.AuthSessionRef](), Metadata: sdk.Null[map[string]any]()}
	full := `{"id":"q","configuration":{"runMode":"Default","retry":{"maximumAttempts":3},"schedule":{"pause":"0 18 * * *","resume":"0 8 * * *"},"randomWait":{"min":"1s","max":"5s"}},` +
		`"sink":{"type":"webhook","url":"https://hooks.example.com/intuned","skipOnFail":true},"authSession":{"id":"my-auth-session"},"metadata":{"team":"pricing","n":1}}`
	fullQueue := sdk.Queue{ID: sdk.Ptr("q"), Configuration: &sdk.QueueConfiguration{
		RunMode: "Default", Retry: &sdk.RunRetry{MaximumAttempts: 3}, Schedule: &sdk.QueueSchedule{Pause: "0 18 * * *", Resume: "0 8 * * *"},
		RandomWait: sdk.RandomWaitDurations{Min: "1s", Max: "5s"}},
		Sink: sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: "https://hooks.example.com/intuned", SkipOnFail: sdk.Ptr(true)}), AuthSession: sdk.NullableOf(sdk.AuthSessionRef{ID: "my-auth-session"}),
		Metadata: sdk.NullableOf(map[string]any{"team": "pricing", "n": 1.0})}
	repeatExample := `{"apiName":"scrape-product","parameters":{"url":"https://shop.example.com/p/1"},"repeat":"1h","id":"repeat-1","lastRunId":"item-run-7"}`
	repeatItem := sdk.QueueRepeatItem{APIName: "scrape-product", Parameters: sdk.ParametersRaw(`{"url":"https://shop.example.com/p/1"}`), Repeat: "1h", ID: "repeat-1", LastRunID: sdk.Ptr("item-run-7")}
	checkAnswers(t, []answerCase{
		{"one, the example (random wait in ms)", "project.queues.one", example, exampleQueue},
		{"one, everything set (random wait as durations)", "project.queues.one", full, fullQueue},
		{"one, configuration null", "project.queues.one", `{"configuration":null}`, sdk.Queue{}},
		{"unknown run mode kept", "project.queues.one", `{"configuration":{"runMode":"Priority"}}`,
			sdk.Queue{Configuration: &sdk.QueueConfiguration{RunMode: "Priority"}}},
		{"all", "project.queues.all", "[" + example + "," + full + `,{"configuration":null}]`, []sdk.Queue{exampleQueue, fullQueue, {}}},
		{"all, empty", "project.queues.all", `[]`, []sdk.Queue{}},
		{"created", "project.queues.create", `{"id":"product-pages"}`, sdk.QueueCreated{ID: sdk.Ptr("product-pages")}},
		{"created, empty", "project.queues.create", `{}`, sdk.QueueCreated{}},

		{"item added", "project.queues.items.append", `{"runId":"item-run-1","status":"queued"}`, sdk.QueueItemAppended{RunID: "item-run-1", Status: "queued"}},
		{"item added, unknown status kept", "project.queues.items.append", `{"runId":"item-run-1","status":"accepted"}`, sdk.QueueItemAppended{RunID: "item-run-1", Status: "accepted"}},
		{"item queued", "project.queues.items.result", `{"status":"queued","runId":"item-run-1"}`, sdk.QueueItemQueued{RunID: "item-run-1"}},
		{"item pending", "project.queues.items.result", `{"status":"pending","runId":"item-run-1"}`, sdk.QueueItemPending{RunID: "item-run-1"}},
		{"item completed", "project.queues.items.result", `{"status":"completed","runId":"item-run-1","statusCode":200,"result":{"title": "Mug"}}`,
			sdk.QueueItemCompleted{RunID: "item-run-1", StatusCode: 200, Result: sdk.RawJSON(`{"title": "Mug"}`)}},
		{"item completed without result", "project.queues.items.result", `{"status":"completed","runId":"item-run-1","statusCode":204}`,
			sdk.QueueItemCompleted{RunID: "item-run-1", StatusCode: 204}},
		// The error of a failed item is an object, kept byte for byte.
		{"item failed", "project.queues.items.result", `{"status":"failed","runId":"item-run-1","statusCode":500,"error":{"code": "api_error", "message": "The page did not load", "extra": [1]}}`,
			sdk.QueueItemFailed{RunID: "item-run-1", StatusCode: 500, Error: sdk.RawJSON(`{"code": "api_error", "message": "The page did not load", "extra": [1]}`)}},
		{"item unknown status", "project.queues.items.result", `{"status":"cancelled","runId":"item-run-1","error":"x"}`,
			sdk.QueueItemResultUnknown{Raw: sdk.RawJSON(`{"status":"cancelled","runId":"item-run-1","error":"x"}`)}},

		{"repeat item, the example", "project.queues.repeatItems.one", repeatExample, repeatItem},
		// lastRunId may not be null in the spec; null is taken as absence.
		{"repeat item, lastRunId null", "project.queues.repeatItems.one", `{"apiName":"a","repeat":"10m","id":"r","lastRunId":null,"parameters":[1],"retry":{"maximumAttempts":2}}`,
			sdk.QueueRepeatItem{APIName: "a", Repeat: "10m", ID: "r", Parameters: sdk.ParametersRaw(`[1]`), Retry: &sdk.RunRetry{MaximumAttempts: 2}}},
		{"repeat items", "project.queues.repeatItems.all", "[" + repeatExample + `,{"apiName":"a","repeat":"1d","id":"r2"}]`,
			[]sdk.QueueRepeatItem{repeatItem, {APIName: "a", Repeat: "1d", ID: "r2"}}},
		{"repeat items, empty", "project.queues.repeatItems.all", `[]`, []sdk.QueueRepeatItem{}},
		{"repeat item added", "project.queues.repeatItems.append", `{"id":"repeat-1","status":"repeatable item created"}`, sdk.QueueRepeatItemAppended{ID: "repeat-1", Status: "repeatable item created"}},
		{"repeat item added, worded differently", "project.queues.repeatItems.append", `{"id":"repeat-1","status":"created"}`, sdk.QueueRepeatItemAppended{ID: "repeat-1", Status: "created"}},
		{"repeat item updated", "project.queues.repeatItems.update", `{"message":"repeatable item updated"}`, sdk.QueueRepeatItemUpdated{Message: sdk.Ptr("repeatable item updated")}},
		{"repeat item updated, empty", "project.queues.repeatItems.update", `{}`, sdk.QueueRepeatItemUpdated{}},
	})
}

// Answers that do not match the API are *ResponseValidationErrors naming
// the JSON path of what does not match.
func TestRunsJobsQueuesResponseValidation(t *testing.T) {
	noLeaks(t)
	tests := []struct {
		name, op, body string
		path, contains string
	}{
		// Runs.
		{"start without runId", "project.run.start", `{"status":"pending"}`, "runId", "runId is missing"},
		{"start empty runId", "project.run.start", `{"status":"pending","runId":""}`, "runId", "runId is empty"},
		{"start malformed", "project.run.start", `{"status":"pending",`, "", "malformed"},
		{"result without status", "project.run.result", `{"runId":"r"}`, "status", "status is missing"},
		{"result status a number", "project.run.result", `{"status":1,"runId":"r"}`, "status", "not a string"},
		{"completed without statusCode", "project.run.result", `{"status":"completed","runId":"r"}`, "statusCode", "statusCode is missing"},
		{"completed statusCode a string", "project.run.result", `{"status":"completed","runId":"r","statusCode":"200"}`, "statusCode", "is a JSON string"},
		{"completed malformed result", "project.run.result", `{"status":"completed","runId":"r","statusCode":200,"result":}`, "", "malformed"},
		{"sync failed without message", "project.run.sync", `{"status":"failed","runId":"r","statusCode":500,"error":"e"}`, "message", "message is missing"},
		{"sync failed error an object", "project.run.sync", `{"status":"failed","runId":"r","statusCode":500,"error":{"code":"e"},"message":"m"}`, "error", "is a JSON object, not a string"},
		{"sync completed without runId", "project.run.sync", `{"status":"completed","statusCode":200}`, "runId", "runId is missing"},
		{"sync array", "project.run.sync", `[]`, "", "array"},

		// Jobs.
		{"all: the job without next_run_time", "project.jobs.all", "[" + jobJSON(map[string]string{"next_run_time": ""}) + "]", "[0].next_run_time", "[0].next_run_time is missing"},
		{"all: second job without next_run_time", "project.jobs.all", "[" + jobJSON(nil) + "," + jobJSON(map[string]string{"next_run_time": ""}) + "]", "[1].next_run_time", "is missing"},
		{"all: job without last_run_time", "project.jobs.all", "[" + jobJSON(map[string]string{"last_run_time": ""}) + "]", "[0].last_run_time", "is missing"},
		{"all: an object", "project.jobs.all", jobJSON(nil), "", "is a JSON object, not an array"},
		{"all: null", "project.jobs.all", `null`, "", "null"},
		{"all: malformed", "project.jobs.all", `[{"id":`, "", "malformed"},
		{"one without state", "project.jobs.one", jobJSON(map[string]string{"state": ""}), "state", "state is missing"},
		{"one with null state", "project.jobs.one", jobJSON(map[string]string{"state": "null"}), "state", "state is missing"},
		{"one without projectId", "project.jobs.one", jobJSON(map[string]string{"projectId": ""}), "projectId", "is missing"},
		{"one without configuration", "project.jobs.one", jobJSON(map[string]string{"configuration": ""}), "configuration", "is missing"},
		{"one without runMode", "project.jobs.one", jobJSON(map[string]string{"configuration": `{}`}), "configuration.runMode", "is missing"},
		{"one payload an object", "project.jobs.one", jobJSON(map[string]string{"payload": `{"apiName":"a"}`}), "payload", "is a JSON object, not an array"},
		{"one payload item without apiName", "project.jobs.one", jobJSON(map[string]string{"payload": `[{"apiName":"a"},{}]`}), "payload[1].apiName", "is missing"},
		{"one payload parameters a string", "project.jobs.one", jobJSON(map[string]string{"payload": `[{"apiName":"a","parameters":"x"}]`}), "payload[0].parameters", "not an object or an array"},
		{"one next_run_time not a date", "project.jobs.one", jobJSON(map[string]string{"next_run_time": `"tomorrow"`}), "next_run_time", "not an RFC 3339 date-time"},
		{"one last_run_time without offset", "project.jobs.one", jobJSON(map[string]string{"last_run_time": `"2024-09-09T10:00:00"`}), "last_run_time", "not an RFC 3339 date-time"},
		{"one created_at with offset hours alone", "project.jobs.one", jobJSON(map[string]string{"created_at": `"2024-09-01T12:00:00+02"`}), "created_at", `created_at is "2024-09-01T12:00:00+02", not an RFC 3339 date-time`},
		{"runs: start_time on Feb 29 of a common year", "project.jobs.runs.all", `[{"id":"r","projectId":"p","jobId":"j","start_time":"2023-02-29T08:00:00Z","status":"PENDING","type":"MANUAL","workspace_id":"w"}]`, "[0].start_time", "not an RFC 3339 date-time"},
		{"one created_at a number", "project.jobs.one", jobJSON(map[string]string{"created_at": `1725868800`}), "created_at", "is a JSON number, not a string"},
		{"one retry interval a duration string", "project.jobs.one", jobJSON(map[string]string{"configuration": `{"runMode":"Order-Irrelevant","retry":{"maximumAttempts":3,"initialInterval":"1s"}}`}),
			"configuration.retry.initialInterval", "is a JSON string"},
		{"one retry without maximumAttempts", "project.jobs.one", jobJSON(map[string]string{"configuration": `{"runMode":"Order-Irrelevant","retry":{}}`}),
			"configuration.retry.maximumAttempts", "is missing"},
		{"one state status a number", "project.jobs.one", jobJSON(map[string]string{"state": `{"status":1}`}), "state.status", "is a JSON number"},
		{"one webhook sink without url", "project.jobs.one", jobJSON(map[string]string{"sink": `{"type":"webhook"}`}), "sink.url", "is missing"},
		{"one s3 sink without secret", "project.jobs.one", jobJSON(map[string]string{"sink": `{"type":"s3","bucket":"b","region":"r","accessKeyId":"k"}`}), "sink.secretAccessKey", "is missing"},
		{"one sink without type", "project.jobs.one", jobJSON(map[string]string{"sink": `{"url":"https://h"}`}), "sink.type", "is missing"},
		{"one interval without every", "project.jobs.one", jobJSON(map[string]string{"schedule": `{"intervals":[{"every":"1h"},{}]}`}), "schedule.intervals[1].every", "is missing"},
		{"one range without start", "project.jobs.one", jobJSON(map[string]string{"schedule": `{"calendars":[{"hour":{"end":5}}]}`}), "schedule.calendars[0].hour.start", "is missing"},
		{"one calendar number a fraction", "project.jobs.one", jobJSON(map[string]string{"schedule": `{"calendars":[{"hour":9.5}]}`}), "schedule.calendars[0].hour", "not an integer"},
		{"one an array", "project.jobs.one", "[" + jobJSON(nil) + "]", "", "is a JSON array, not an object"},
		{"paused message a number", "project.jobs.pause", `{"message":1}`, "message", "is a JSON number, not a string"},
		{"resumed id an object", "project.jobs.resume", `{"id":{}}`, "id", "is a JSON object"},
		{"triggered an array", "project.jobs.trigger", `[]`, "", "is a JSON array, not an object"},
		{"created malformed", "project.jobs.create", `{`, "", "malformed"},
		{"terminated null", "project.jobs.runs.terminate", `null`, "", "null"},
		{"runs: run without start_time", "project.jobs.runs.all", `[{"id":"r","projectId":"p","jobId":"j","status":"PENDING","type":"MANUAL","workspace_id":"w"}]`, "[0].start_time", "is missing"},
		{"runs: run without workspace_id", "project.jobs.runs.all", `[{"id":"r","projectId":"p","jobId":"j","start_time":"2024-09-09T08:00:00Z","status":"PENDING","type":"MANUAL"}]`, "[0].workspace_id", "is missing"},
		{"runs: summary without apis_count", "project.jobs.runs.all", `[{"id":"r","projectId":"p","jobId":"j","start_time":"2024-09-09T08:00:00Z","status":"PENDING","type":"MANUAL","workspace_id":"w","summary":{"success_count":0,"failures_count":0}}]`,
			"[0].summary.apis_count", "is missing"},
		{"runs: status a number", "project.jobs.runs.all", `[{"id":"r","projectId":"p","jobId":"j","start_time":"2024-09-09T08:00:00Z","status":3,"type":"MANUAL","workspace_id":"w"}]`, "[0].status", "is a JSON number"},

		// Queues.
		{"queues: queue without configuration", "project.queues.all", `[{"configuration":null},{"id":"q"}]`, "[1].configuration", "is missing"},
		{"queue configuration a string", "project.queues.one", `{"configuration":"Default"}`, "configuration", "is a JSON string, not an object"},
		{"queue without runMode", "project.queues.one", `{"configuration":{}}`, "configuration.runMode", "is missing"},
		{"queue rate limit without duration", "project.queues.one", `{"configuration":{"runMode":"Default","rateLimits":[{"limit":1}]}}`, "configuration.rateLimits[0].duration", "is missing"},
		{"queue schedule without resume", "project.queues.one", `{"configuration":{"runMode":"Default","schedule":{"pause":"0 18 * * *"}}}`, "configuration.schedule.resume", "is missing"},
		{"queue sink an s3 without bucket", "project.queues.one", `{"configuration":null,"sink":{"type":"s3"}}`, "sink.bucket", "is missing"},
		{"queue metadata an array", "project.queues.one", `{"configuration":null,"metadata":[1]}`, "metadata", "is a JSON array"},
		{"queue id a number", "project.queues.one", `{"id":1,"configuration":null}`, "id", "is a JSON number"},
		{"created id a number", "project.queues.create", `{"id":1}`, "id", "is a JSON number"},
		{"item added without runId", "project.queues.items.append", `{"status":"queued"}`, "runId", "is missing"},
		{"item added without status", "project.queues.items.append", `{"runId":"r"}`, "status", "is missing"},
		{"item without status", "project.queues.items.result", `{"runId":"r"}`, "status", "is missing"},
		{"item queued without runId", "project.queues.items.result", `{"status":"queued"}`, "runId", "is missing"},
		{"item completed without statusCode", "project.queues.items.result", `{"status":"completed","runId":"r"}`, "statusCode", "is missing"},
		// The error of a failed item is an object: a string is not the API.
		{"item failed with an error string", "project.queues.items.result", `{"status":"failed","runId":"r","statusCode":500,"error":"api_error"}`, "error", "is a JSON string, not an object"},
		{"item failed with a null error", "project.queues.items.result", `{"status":"failed","runId":"r","statusCode":500,"error":null}`, "error", "is missing"},
		{"item failed without error", "project.queues.items.result", `{"status":"failed","runId":"r","statusCode":500}`, "error", "is missing"},
		{"repeat items: item without repeat", "project.queues.repeatItems.all", `[{"apiName":"a","id":"r"}]`, "[0].repeat", "is missing"},
		{"repeat items: item without id", "project.queues.repeatItems.all", `[{"apiName":"a","repeat":"1h","id":"r"},{"apiName":"a","repeat":"1h"}]`, "[1].id", "is missing"},
		{"repeat item lastRunId a number", "project.queues.repeatItems.one", `{"apiName":"a","repeat":"1h","id":"r","lastRunId":7}`, "lastRunId", "is a JSON number"},
		{"repeat item added without id", "project.queues.repeatItems.append", `{"status":"repeatable item created"}`, "id", "is missing"},
		{"repeat item updated malformed", "project.queues.repeatItems.update", `{"message":"x"`, "", "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := opNamed(t, tt.op)
			s := newServer(t, reply(op.success, tt.body))
			_, err := op.call(context.Background(), newClient(t, s))
			var ve *sdk.ResponseValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v (%T), want *ResponseValidationError", err, err)
			}
			if ve.Path != tt.path {
				t.Errorf("Path = %q, want %q (err: %v)", ve.Path, tt.path, err)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("Error() = %q, want it to mention %q", err, tt.contains)
			}
			if ve.Operation != tt.op || ve.Code != op.success || ve.Body != tt.body {
				t.Errorf("Operation %q, Code %d, Body %q", ve.Operation, ve.Code, ve.Body)
			}
		})
	}
}

// The answer of project.run.start is a RunPending, whose "status" is
// required, a string.
func TestRunStartStatusIsChecked(t *testing.T) {
	noLeaks(t)
	for _, tt := range []struct{ body, contains string }{
		{`{"runId":"r"}`, "status is missing"},
		{`{"status":null,"runId":"r"}`, "status is missing"},
		{`{"status":5,"runId":"r"}`, "is a JSON number, not a string"},
	} {
		s := newServer(t, reply(201, tt.body))
		_, err := newClient(t, s).Project.Run.Start(context.Background(), "p", okRun)
		var ve *sdk.ResponseValidationError
		if !errors.As(err, &ve) || ve.Path != "status" || !strings.Contains(err.Error(), tt.contains) {
			t.Errorf("%s: err = %v, want a *ResponseValidationError naming status", tt.body, err)
		}
	}
	// Another status does not fail the call, which would lose the ID of a
	// run that has started: the wait reads the run's state anyway.
	s := newServer(t, reply(201, `{"status":"completed","runId":"r"}`))
	got, err := newClient(t, s).Project.Run.Start(context.Background(), "p", okRun)
	if err != nil || got.RunID != "r" {
		t.Errorf(`answer {"status":"completed"}: %#v, %v; want the run ID kept`, got, err)
	}
}
