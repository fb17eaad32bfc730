package sdk_test

import (
	"context"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

// jobWith returns the smallest valid job with f applied.
func jobWith(f func(j *sdk.JobCreateRequest)) sdk.JobCreateRequest {
	j := sdk.JobCreateRequest{ID: "nightly-prices", Payload: []sdk.JobPayload{{APIName: "scrape-product"}}}
	f(&j)
	return j
}

func TestWireJobs(t *testing.T) {
	noLeaks(t)
	create := func(job sdk.JobCreateRequest) func(ctx context.Context, c *sdk.Client) error {
		return func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.Create(ctx, "my-project", job)
			return err
		}
	}
	// The example "scheduled" of openapi.yaml, every member set.
	full := sdk.JobCreateRequest{
		ID:      "nightly-prices",
		Payload: []sdk.JobPayload{{APIName: "scrape-product", Parameters: sdk.ParametersObject{"url": "https://shop.example.com/p/1"}}},
		Configuration: sdk.JobCreateConfiguration{
			RunMode:               "Order-Irrelevant",
			MaxConcurrentRequests: sdk.Ptr[int](5),
			Retry:                 &sdk.JobCreateRetry{MaximumAttempts: 3, BackoffCoefficient: sdk.Ptr(2.0), InitialInterval: sdk.Ptr[sdk.Duration]("30s"), MaximumInterval: sdk.Ptr(sdk.DurationOf(10 * time.Minute))},
		},
		Schedule: &sdk.JobSchedule{
			Intervals: []sdk.JobInterval{{Every: sdk.Duration("1h")}, {Every: sdk.Milliseconds(90000)}},
			Calendars: []sdk.Calendar{
				{Hour: sdk.CalendarNumber(9), Minute: sdk.CalendarNumber(0), DayOfWeek: sdk.CalendarText("MON-FRI"), Comment: sdk.Ptr("weekday mornings")},
				{Hour: sdk.CalendarRange{Start: sdk.CalendarNumber(9), End: sdk.CalendarNumber(17), Step: sdk.Ptr[int](2)},
					DayOfMonth: sdk.CalendarRanges{{Start: sdk.CalendarNumber(1), End: sdk.CalendarNumber(7)}}},
			},
		},
		Sink:        sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: "https://hooks.example.com/intuned", Headers: map[string]string{"Authorization": "Bearer secret"}, SkipOnFail: sdk.Ptr(false)}),
		AuthSession: &sdk.AuthSessionRef{ID: "my-auth-session"},
	}
	fullJSON := `{"id":"nightly-prices",` +
		`"payload":[{"apiName":"scrape-product","parameters":{"url":"https://shop.example.com/p/1"}}],` +
		`"configuration":{"runMode":"Order-Irrelevant","maxConcurrentRequests":5,"retry":{"maximumAttempts":3,"backoffCoefficient":2,"initialInterval":"30s","maximumInterval":"10m"}},` +
		`"schedule":{"intervals":[{"every":"1h"},{"every":90000}],` +
		`"calendars":[{"minute":0,"hour":9,"dayOfWeek":"MON-FRI","comment":"weekday mornings"},{"hour":{"start":9,"end":17,"step":2},"dayOfMonth":[{"start":1,"end":7,"step":1}]}]},` +
		`"sink":{"type":"webhook","url":"https://hooks.example.com/intuned","headers":{"Authorization":"Bearer secret"},"skipOnFail":false},` +
		`"authSession":{"id":"my-auth-session"}}`

	checkWire(t, []wireCase{
		{golden: "jobs_all", status: 200, body: emptyListOK, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.All(ctx, "my-project")
			return err
		}},
		{golden: "jobs_one", status: 200, body: jobOK, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.One(ctx, "my-project", "nightly-prices")
			return err
		}},
		{golden: "jobs_delete", status: 204, call: func(ctx context.Context, c *sdk.Client) error {
			return c.Project.Jobs.Delete(ctx, "my-project", "nightly-prices")
		}},
		// pause, resume, trigger and terminate are POSTs without a body:
		// no body, no Content-Type.
		{golden: "jobs_pause", status: 200, body: jobPausedOK, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.Pause(ctx, "my-project", "nightly-prices")
			return err
		}},
		{golden: "jobs_resume", status: 200, body: jobResumedOK, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.Resume(ctx, "my-project", "nightly-prices")
			return err
		}},
		{golden: "jobs_trigger", status: 200, body: jobTriggeredOK, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := sdk.ProjectJobsTrigger(ctx, c, "my-project", "nightly-prices")
			return err
		}},
		{golden: "jobs_runs_all", status: 200, body: emptyListOK, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.Runs.All(ctx, "my-project", "nightly-prices")
			return err
		}},
		{golden: "jobs_runs_terminate", status: 200, body: terminatedOK, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.Runs.Terminate(ctx, "my-project", "nightly-prices", "jobrun-1")
			return err
		}},

		// jobs.create. The minimal job: runMode is written when left empty.
		{golden: "jobs_create_minimal", status: 201, body: jobCreatedOK,
			exact: `{"id":"nightly-prices","payload":[{"apiName":"scrape-product"}],"configuration":{"runMode":"Order-Irrelevant"}}`,
			call:  create(jobWith(func(*sdk.JobCreateRequest) {}))},
		{golden: "jobs_create_full", status: 201, body: jobCreatedOK, exact: fullJSON, call: create(full)},
		{golden: "jobs_create_payload_parameters", status: 201, body: jobCreatedOK, call: create(jobWith(func(j *sdk.JobCreateRequest) {
			j.Payload = []sdk.JobPayload{
				{APIName: "with-object", Parameters: sdk.ParametersObject{"url": "https://shop.example.com/p/1", "n": 1}},
				{APIName: "with-array", Parameters: sdk.ParametersArray{"a", 2, nil}},
				{APIName: "without"},
				{APIName: "with-raw", Parameters: sdk.ParametersRaw(`{"big":12345678901234567890}`)},
			}
		}))},
		// A job with no APIs is the service's to refuse; the SDK sends [].
		{golden: "jobs_create_empty_payload", status: 201, body: jobCreatedOK,
			exact: `{"id":"nightly-prices","payload":[],"configuration":{"runMode":"Order-Irrelevant"}}`,
			call:  create(jobWith(func(j *sdk.JobCreateRequest) { j.Payload = []sdk.JobPayload{} }))},
		// Sinks: skipOnFail: false is written when unset, an explicit true kept.
		{golden: "jobs_create_webhook_sink", status: 201, body: jobCreatedOK,
			exact: `{"id":"nightly-prices","payload":[{"apiName":"scrape-product"}],"configuration":{"runMode":"Order-Irrelevant"},"sink":{"type":"webhook","url":"https://hooks.example.com/intuned","skipOnFail":false}}`,
			call: create(jobWith(func(j *sdk.JobCreateRequest) {
				j.Sink = sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: "https://hooks.example.com/intuned"})
			}))},
		{golden: "jobs_create_webhook_sink_skip_on_fail", status: 201, body: jobCreatedOK, call: create(jobWith(func(j *sdk.JobCreateRequest) {
			j.Sink = sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: "https://hooks.example.com/intuned", Headers: map[string]string{"Authorization": "Bearer secret", "X-Team": "pricing"}, SkipOnFail: sdk.Ptr(true)})
		}))},
		{golden: "jobs_create_s3_sink", status: 201, body: jobCreatedOK,
			exact: `{"id":"nightly-prices","payload":[{"apiName":"scrape-product"}],"configuration":{"runMode":"Order-Irrelevant"},"sink":{"type":"s3","bucket":"results","region":"us-east-1","accessKeyId":"AKIAEXAMPLE","secretAccessKey":"secret","skipOnFail":false}}`,
			call: create(jobWith(func(j *sdk.JobCreateRequest) {
				j.Sink = sdk.NullableOf[sdk.Sink](sdk.SinkS3{Bucket: "results", Region: "us-east-1", AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "secret"})
			}))},
		{golden: "jobs_create_s3_sink_full", status: 201, body: jobCreatedOK, call: create(jobWith(func(j *sdk.JobCreateRequest) {
			j.Sink = sdk.NullableOf[sdk.Sink](sdk.SinkS3{Bucket: "results", Region: "eu-west-1", AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "secret", Prefix: sdk.Ptr("jobs/nightly/"), SkipOnFail: sdk.Ptr(true)})
		}))},
		// JobCreateRetry: backoffCoefficient: 1 and initialInterval: "1s" are
		// written when unset; explicit values are kept.
		{golden: "jobs_create_retry_defaults", status: 201, body: jobCreatedOK,
			exact: `{"id":"nightly-prices","payload":[{"apiName":"scrape-product"}],"configuration":{"runMode":"Order-Irrelevant","retry":{"maximumAttempts":3,"backoffCoefficient":1,"initialInterval":"1s"}}}`,
			call: create(jobWith(func(j *sdk.JobCreateRequest) {
				j.Configuration.Retry = &sdk.JobCreateRetry{MaximumAttempts: 3}
			}))},
		{golden: "jobs_create_retry_explicit", status: 201, body: jobCreatedOK,
			exact: `{"id":"nightly-prices","payload":[{"apiName":"scrape-product"}],"configuration":{"runMode":"Order-Irrelevant","maxConcurrentRequests":1,"retry":{"maximumAttempts":5,"backoffCoefficient":1.5,"initialInterval":"500ms","maximumInterval":"1d"}}}`,
			call: create(jobWith(func(j *sdk.JobCreateRequest) {
				j.Configuration.MaxConcurrentRequests = sdk.Ptr[int](1)
				j.Configuration.Retry = &sdk.JobCreateRetry{MaximumAttempts: 5, BackoffCoefficient: sdk.Ptr(1.5),
					InitialInterval: sdk.Ptr(sdk.DurationOf(500 * time.Millisecond)), MaximumInterval: sdk.Ptr(sdk.DurationOf(24 * time.Hour))}
			}))},
		// Every: a Duration (written, or from DurationOf) or Milliseconds.
		{golden: "jobs_create_intervals", status: 201, body: jobCreatedOK,
			exact: `{"id":"nightly-prices","payload":[{"apiName":"scrape-product"}],"configuration":{"runMode":"Order-Irrelevant"},"schedule":{"intervals":[{"every":"1h"},{"every":"1h"},{"every":"90s"},{"every":"36h"},{"every":"1d"},{"every":90000},{"every":1.5}]}}`,
			call: create(jobWith(func(j *sdk.JobCreateRequest) {
				j.Schedule = &sdk.JobSchedule{Intervals: []sdk.JobInterval{
					{Every: sdk.Duration("1h")},
					{Every: sdk.DurationOf(time.Hour)},
					{Every: sdk.DurationOf(90 * time.Second)},
					{Every: sdk.DurationOf(36 * time.Hour)},
					{Every: sdk.DurationOf(24 * time.Hour)},
					{Every: sdk.Milliseconds(90000)},
					{Every: sdk.MillisecondsOf(1500 * time.Microsecond)},
				}}
			}))},
		// Every CalendarValue variant (number, text, range, ranges) and
		// CalendarBound variant (number, text); step: 1 is written on every
		// range that leaves it unset, an explicit step kept.
		{golden: "jobs_create_calendars", status: 201, body: jobCreatedOK,
			exact: `{"id":"nightly-prices","payload":[{"apiName":"scrape-product"}],"configuration":{"runMode":"Order-Irrelevant"},"schedule":{"calendars":[` +
				`{"second":0,"minute":"*/15","hour":{"start":9,"end":17,"step":1},"dayOfMonth":[{"start":1,"end":7,"step":1},{"start":15,"step":1},{"start":20,"end":31,"step":5}],"dayOfWeek":{"start":"MONDAY","end":"FRIDAY","step":1},"month":"JANUARY","year":2025,"comment":"all of them"},` +
				`{"dayOfWeek":"MON-FRI"},` +
				`{"hour":"9-17","month":[{"start":"JANUARY","end":"MARCH","step":1}]}]}}`,
			call: create(jobWith(func(j *sdk.JobCreateRequest) {
				j.Schedule = &sdk.JobSchedule{Calendars: []sdk.Calendar{
					{
						Second:     sdk.CalendarNumber(0),
						Minute:     sdk.CalendarText("*/15"),
						Hour:       sdk.CalendarRange{Start: sdk.CalendarNumber(9), End: sdk.CalendarNumber(17)},
						DayOfMonth: sdk.CalendarRanges{{Start: sdk.CalendarNumber(1), End: sdk.CalendarNumber(7)}, {Start: sdk.CalendarNumber(15)}, {Start: sdk.CalendarNumber(20), End: sdk.CalendarNumber(31), Step: sdk.Ptr[int](5)}},
						DayOfWeek:  sdk.CalendarRange{Start: sdk.CalendarText("MONDAY"), End: sdk.CalendarText("FRIDAY")},
						Month:      sdk.CalendarText("JANUARY"),
						Year:       sdk.CalendarNumber(2025),
						Comment:    sdk.Ptr("all of them"),
					},
					{DayOfWeek: sdk.CalendarText("MON-FRI")},
					{Month: sdk.CalendarRanges{{Start: sdk.CalendarText("JANUARY"), End: sdk.CalendarText("MARCH")}}, Hour: sdk.CalendarText("9-17")},
				}}
			}))},
	})
}
