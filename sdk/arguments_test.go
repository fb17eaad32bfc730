package sdk_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

// validator is a request model: it checks itself as the SDK does before
// sending it.
type validator interface{ Validate() error }

// argumentCase is a call that must be refused before anything is sent, with
// an *ArgumentError whose Path is path and whose text mentions mention.
type argumentCase struct {
	name    string
	model   validator // the request body, if the call has one: its Validate says the same
	call    func(ctx context.Context, c *sdk.Client) error
	path    string
	mention string
}

func checkArguments(t *testing.T, cases []argumentCase) {
	t.Helper()
	s := newServer(t, reply(500, `{}`))
	c := newClient(t, s)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(context.Background(), c)
			checkArgumentError(t, err, tt.path, tt.mention)
			if tt.model != nil {
				t.Run("Validate", func(t *testing.T) {
					checkArgumentError(t, tt.model.Validate(), tt.path, tt.mention)
				})
			}
			if n := s.count(); n != 0 {
				t.Fatalf("%d requests were sent", n)
			}
		})
	}
}

func checkArgumentError(t *testing.T, err error, path, mention string) {
	t.Helper()
	var ae *sdk.ArgumentError
	if !errors.Is(err, sdk.ErrInvalidArgument) || !errors.As(err, &ae) {
		t.Fatalf("err = %v (%T), want an *ArgumentError", err, err)
	}
	if ae.Path != path {
		t.Errorf("Path = %q, want %q (err: %v)", ae.Path, path, err)
	}
	if !strings.Contains(err.Error(), mention) {
		t.Errorf("Error() = %q, want it to mention %q", err, mention)
	}
}

func TestRunArgumentsAreChecked(t *testing.T) {
	noLeaks(t)
	sync := func(req sdk.RunRequest) argumentCase {
		return argumentCase{model: req, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Run.Sync(ctx, "p", req)
			return err
		}}
	}
	start := func(req sdk.RunRequest) argumentCase {
		return argumentCase{model: req, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Run.Start(ctx, "p", req)
			return err
		}}
	}
	named := func(ac argumentCase, name, path, mention string) argumentCase {
		ac.name, ac.path, ac.mention = name, path, mention
		return ac
	}
	params := sdk.ParametersObject{}
	checkArguments(t, []argumentCase{
		named(sync(sdk.RunRequest{Parameters: params}), "sync empty api", "api", "API name is empty"),
		named(start(sdk.RunRequest{Parameters: params}), "start empty api", "api", "API name is empty"),
		// parameters are required here, unlike elsewhere: nil is refused.
		named(sync(sdk.RunRequest{API: "a"}), "sync nil parameters", "parameters", "parameters is missing"),
		named(start(sdk.RunRequest{API: "a"}), "start nil parameters", "parameters", "parameters is missing"),
		named(sync(sdk.RunRequest{API: "a", Parameters: params, AuthSession: &sdk.AuthSessionRef{}}), "empty auth session ID", "authSession.id", "auth session ID is empty"),
		named(start(sdk.RunRequest{API: "a\xff", Parameters: params}), "api not UTF-8", "api", "UTF-8"),
		named(sync(sdk.RunRequest{API: "a", Parameters: params, Proxy: sdk.Ptr("http://\xff")}), "proxy not UTF-8", "proxy", "UTF-8"),
		{name: "result empty run ID", path: "", mention: "run ID is empty", call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Run.Result(ctx, "p", "")
			return err
		}},
		{name: "result dot-dot run ID", path: "", mention: "dot segment", call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Run.Result(ctx, "p", "..")
			return err
		}},
		{name: "sync empty project", path: "", mention: "project name is empty", call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Run.Sync(ctx, "", okRun)
			return err
		}},
	})
	// Parameters that cannot be encoded are refused too, before sending.
	s := newServer(t, reply(500, `{}`))
	c := newClient(t, s)
	for _, p := range []sdk.Parameters{sdk.ParametersRaw(`"text"`), sdk.ParametersRaw(`{"a":`), sdk.ParametersObject{"f": func() {}}, sdk.ParametersArray{math.NaN()}} {
		if _, err := c.Project.Run.Start(context.Background(), "p", sdk.RunRequest{API: "a", Parameters: p}); !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), "parameters") {
			t.Errorf("parameters %#v: err = %v, want an argument error about parameters", p, err)
		}
	}
	if s.count() != 0 {
		t.Errorf("%d requests were sent", s.count())
	}
}

func TestJobArgumentsAreChecked(t *testing.T) {
	noLeaks(t)
	create := func(name, path, mention string, f func(j *sdk.JobCreateRequest)) argumentCase {
		j := jobWith(f)
		return argumentCase{name: name, model: j, path: path, mention: mention, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.Create(ctx, "p", j)
			return err
		}}
	}
	retry := func(initial, maximum *sdk.Duration) func(j *sdk.JobCreateRequest) {
		return func(j *sdk.JobCreateRequest) {
			j.Configuration.Retry = &sdk.JobCreateRetry{MaximumAttempts: 3, InitialInterval: initial, MaximumInterval: maximum}
		}
	}
	every := func(es ...sdk.Every) func(j *sdk.JobCreateRequest) {
		return func(j *sdk.JobCreateRequest) {
			j.Schedule = &sdk.JobSchedule{}
			for _, e := range es {
				j.Schedule.Intervals = append(j.Schedule.Intervals, sdk.JobInterval{Every: e})
			}
		}
	}
	calendar := func(c sdk.Calendar) func(j *sdk.JobCreateRequest) {
		return func(j *sdk.JobCreateRequest) { j.Schedule = &sdk.JobSchedule{Calendars: []sdk.Calendar{{}, c}} }
	}
	sink := func(s sdk.Sink) func(j *sdk.JobCreateRequest) {
		return func(j *sdk.JobCreateRequest) { j.Sink = sdk.NullableOf(s) }
	}
	s3 := sdk.SinkS3{Bucket: "b", Region: "r", AccessKeyID: "k", SecretAccessKey: "s"}
	s3With := func(f func(s *sdk.SinkS3)) sdk.SinkS3 { s := s3; f(&s); return s }
	d := func(s sdk.Duration) *sdk.Duration { return &s }
	jobPath := func(name, mention string, call func(ctx context.Context, c *sdk.Client) error) argumentCase {
		return argumentCase{name: name, mention: mention, call: call}
	}

	checkArguments(t, []argumentCase{
		create("empty ID", "id", "job ID is empty", func(j *sdk.JobCreateRequest) { j.ID = "" }),
		create("nil payload", "payload", "payload is missing", func(j *sdk.JobCreateRequest) { j.Payload = nil }),
		create("empty API name", "payload[0].apiName", "API name is empty", func(j *sdk.JobCreateRequest) { j.Payload[0].APIName = "" }),
		create("second API name empty", "payload[1].apiName", "API name is empty", func(j *sdk.JobCreateRequest) {
			j.Payload = append(j.Payload, sdk.JobPayload{})
		}),
		create("empty auth session ID", "authSession.id", "auth session ID is empty", func(j *sdk.JobCreateRequest) { j.AuthSession = &sdk.AuthSessionRef{} }),

		// Durations of the retry policy follow the pattern: a number and
		// one unit.
		create("compound initial interval", "configuration.retry.initialInterval", `"1m30s" does not match`, retry(d("1m30s"), nil)),
		create("negative initial interval", "configuration.retry.initialInterval", `"-5s" does not match`, retry(d("-5s"), nil)),
		create("empty initial interval", "configuration.retry.initialInterval", `"" does not match`, retry(d(""), nil)),
		create("initial interval without unit", "configuration.retry.initialInterval", `"5" does not match`, retry(d("5"), nil)),
		create("initial interval with a space", "configuration.retry.initialInterval", `"5 m" does not match`, retry(d("5 m"), nil)),
		create("negative DurationOf", "configuration.retry.initialInterval", "does not match", retry(sdk.Ptr(sdk.DurationOf(-time.Second)), nil)),
		create("DurationOf(MinInt64)", "configuration.retry.initialInterval", "does not match", retry(sdk.Ptr(sdk.DurationOf(math.MinInt64)), nil)),
		create("bad maximum interval", "configuration.retry.maximumInterval", `"10 minutes" does not match`, retry(d("10s"), d("10 minutes"))),

		// Intervals: every is required, and a Duration follows the pattern.
		create("compound every", "schedule.intervals[0].every", `"1m30s" does not match`, every(sdk.Duration("1m30s"))),
		create("second every negative", "schedule.intervals[1].every", "does not match", every(sdk.Duration("1h"), sdk.DurationOf(-time.Second))),
		create("empty every", "schedule.intervals[0].every", `"" does not match`, every(sdk.Duration(""))),
		create("every without unit", "schedule.intervals[0].every", `"5" does not match`, every(sdk.Duration("5"))),
		create("nil every", "schedule.intervals[1].every", "is missing", every(sdk.Milliseconds(1000), nil)),

		// Calendars: a range needs its start; text is UTF-8.
		create("range without start", "schedule.calendars[1].hour.start", "is missing", calendar(sdk.Calendar{Hour: sdk.CalendarRange{End: sdk.CalendarNumber(5)}})),
		create("second range without start", "schedule.calendars[1].dayOfMonth[1].start", "is missing", calendar(sdk.Calendar{
			DayOfMonth: sdk.CalendarRanges{{Start: sdk.CalendarNumber(1)}, {End: sdk.CalendarNumber(5)}},
		})),
		create("text not UTF-8", "schedule.calendars[1].dayOfWeek", "UTF-8", calendar(sdk.Calendar{DayOfWeek: sdk.CalendarText("MON\xff")})),
		create("bound not UTF-8", "schedule.calendars[1].month.end", "UTF-8", calendar(sdk.Calendar{Month: sdk.CalendarRange{Start: sdk.CalendarText("JANUARY"), End: sdk.CalendarText("\xff")}})),
		create("comment not UTF-8", "schedule.calendars[1].comment", "UTF-8", calendar(sdk.Calendar{Comment: sdk.Ptr("\xff")})),

		// Sinks.
		create("webhook without URL", "sink.url", "webhook URL is empty", sink(sdk.SinkWebhook{})),
		create("webhook header not UTF-8", "sink.headers.X-Secret", "UTF-8", sink(sdk.SinkWebhook{URL: "https://h", Headers: map[string]string{"X-Secret": "\xff"}})),
		create("s3 without bucket", "sink.bucket", "is empty", sink(s3With(func(s *sdk.SinkS3) { s.Bucket = "" }))),
		create("s3 without region", "sink.region", "is empty", sink(s3With(func(s *sdk.SinkS3) { s.Region = "" }))),
		create("s3 without access key ID", "sink.accessKeyId", "is empty", sink(s3With(func(s *sdk.SinkS3) { s.AccessKeyID = "" }))),
		create("s3 without secret", "sink.secretAccessKey", "is empty", sink(s3With(func(s *sdk.SinkS3) { s.SecretAccessKey = "" }))),
		create("s3 prefix not UTF-8", "sink.prefix", "UTF-8", sink(s3With(func(s *sdk.SinkS3) { s.Prefix = sdk.Ptr("\xff") }))),

		// Path values.
		jobPath("one empty job ID", "job ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.One(ctx, "p", "")
			return err
		}),
		jobPath("delete empty job ID", "job ID is empty", func(ctx context.Context, c *sdk.Client) error {
			return c.Project.Jobs.Delete(ctx, "p", "")
		}),
		jobPath("pause empty job ID", "job ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.Pause(ctx, "p", "")
			return err
		}),
		jobPath("resume empty job ID", "job ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.Resume(ctx, "p", "")
			return err
		}),
		jobPath("trigger empty job ID", "job ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := sdk.ProjectJobsTrigger(ctx, c, "p", "")
			return err
		}),
		jobPath("trigger dot-dot job ID", "dot segment", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.Trigger(ctx, "p", "..")
			return err
		}),
		jobPath("runs empty job ID", "job ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.Runs.All(ctx, "p", "")
			return err
		}),
		jobPath("terminate empty job ID", "job ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.Runs.Terminate(ctx, "p", "", "r")
			return err
		}),
		jobPath("terminate empty run ID", "job run ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.Runs.Terminate(ctx, "p", "j", "")
			return err
		}),
		jobPath("all empty project", "project name is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Jobs.All(ctx, "")
			return err
		}),
	})
	// Milliseconds that JSON cannot write are refused when the body is
	// encoded, still before sending.
	s := newServer(t, reply(500, `{}`))
	c := newClient(t, s)
	for _, ms := range []float64{math.NaN(), math.Inf(1)} {
		if _, err := c.Project.Jobs.Create(context.Background(), "p", jobWith(every(sdk.Milliseconds(ms)))); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("every %v ms: err = %v, want an argument error", ms, err)
		}
	}
	if s.count() != 0 {
		t.Errorf("%d requests were sent", s.count())
	}
}

func TestQueueArgumentsAreChecked(t *testing.T) {
	noLeaks(t)
	create := func(name, path, mention string, q sdk.QueueCreateRequest) argumentCase {
		return argumentCase{name: name, model: q, path: path, mention: mention, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.Create(ctx, "p", q)
			return err
		}}
	}
	config := func(qc sdk.QueueConfiguration) sdk.QueueCreateRequest {
		return sdk.QueueCreateRequest{Configuration: &qc}
	}
	appendItem := func(name, path, mention string, item sdk.QueueItemAppendRequest) argumentCase {
		return argumentCase{name: name, model: item, path: path, mention: mention, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.Items.Append(ctx, "p", "q", item)
			return err
		}}
	}
	repeat := func(name, path, mention string, r sdk.QueueRepeatItemRequest) []argumentCase {
		return []argumentCase{
			{name: "append " + name, model: r, path: path, mention: mention, call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Queues.RepeatItems.Append(ctx, "p", "q", r)
				return err
			}},
			{name: "update " + name, model: r, path: path, mention: mention, call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Queues.RepeatItems.Update(ctx, "p", "q", "r", r)
				return err
			}},
		}
	}
	pathCase := func(name, mention string, call func(ctx context.Context, c *sdk.Client) error) argumentCase {
		return argumentCase{name: name, mention: mention, call: call}
	}
	cases := []argumentCase{
		create("empty ID", "id", "queue ID is empty", sdk.QueueCreateRequest{ID: sdk.Ptr("")}),
		create("name not UTF-8", "name", "UTF-8", sdk.QueueCreateRequest{Name: sdk.Ptr("\xff")}),
		create("compound rate limit", "configuration.rateLimits[0].duration", `"1m30s" does not match`,
			config(sdk.QueueConfiguration{RateLimits: []sdk.RateLimit{{Limit: 1, Duration: "1m30s"}}})),
		create("second rate limit empty", "configuration.rateLimits[1].duration", `"" does not match`,
			config(sdk.QueueConfiguration{RateLimits: []sdk.RateLimit{{Limit: 1, Duration: "1m"}, {Limit: 2}}})),
		create("negative random wait", "configuration.randomWait.min", `"-1s" does not match`,
			config(sdk.QueueConfiguration{RandomWait: sdk.RandomWaitDurations{Min: "-1s", Max: "5s"}})),
		create("empty random wait max", "configuration.randomWait.max", `"" does not match`,
			config(sdk.QueueConfiguration{RandomWait: sdk.RandomWaitDurations{Min: "1s"}})),
		create("random wait from a negative duration", "configuration.randomWait.max", "does not match",
			config(sdk.QueueConfiguration{RandomWait: sdk.RandomWaitDurations{Min: "1s", Max: sdk.DurationOf(-time.Minute)}})),
		create("schedule without pause", "configuration.schedule.pause", "is empty",
			config(sdk.QueueConfiguration{Schedule: &sdk.QueueSchedule{Resume: "0 8 * * *"}})),
		create("schedule without resume", "configuration.schedule.resume", "is empty",
			config(sdk.QueueConfiguration{Schedule: &sdk.QueueSchedule{Pause: "0 18 * * *"}})),
		create("webhook without URL", "sink.url", "webhook URL is empty", sdk.QueueCreateRequest{Sink: sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{})}),
		create("an S3 sink", "sink", "is a SinkS3; it must be a SinkWebhook", sdk.QueueCreateRequest{Sink: sdk.NullableOf[sdk.Sink](sdk.SinkS3{})}),
		create("an unknown sink", "sink", "is a SinkUnknown; it must be a SinkWebhook", sdk.QueueCreateRequest{Sink: sdk.NullableOf[sdk.Sink](sdk.SinkUnknown{Raw: sdk.RawJSON(`{"type":"gcs"}`)})}),
		create("a nil sink", "sink", "is nil; it must be a SinkWebhook", sdk.QueueCreateRequest{Sink: sdk.NullableOf[sdk.Sink](nil)}),
		create("empty auth session ID", "authSession.id", "auth session ID is empty", sdk.QueueCreateRequest{AuthSession: sdk.NullableOf(sdk.AuthSessionRef{})}),
		appendItem("item empty API name", "apiName", "API name is empty", sdk.QueueItemAppendRequest{}),
		appendItem("item API name not UTF-8", "apiName", "UTF-8", sdk.QueueItemAppendRequest{APIName: "\xff"}),

		pathCase("one empty queue ID", "queue ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.One(ctx, "p", "")
			return err
		}),
		pathCase("delete empty queue ID", "queue ID is empty", func(ctx context.Context, c *sdk.Client) error {
			return c.Project.Queues.Delete(ctx, "p", "")
		}),
		pathCase("append empty queue ID", "queue ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.Items.Append(ctx, "p", "", okItem)
			return err
		}),
		pathCase("result empty queue ID", "queue ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.Items.Result(ctx, "p", "", "i")
			return err
		}),
		pathCase("result empty item run ID", "item run ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.Items.Result(ctx, "p", "q", "")
			return err
		}),
		pathCase("item delete empty item run ID", "item run ID is empty", func(ctx context.Context, c *sdk.Client) error {
			return c.Project.Queues.Items.Delete(ctx, "p", "q", "")
		}),
		pathCase("repeat items empty queue ID", "queue ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.RepeatItems.All(ctx, "p", "")
			return err
		}),
		pathCase("repeat append empty queue ID", "queue ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.RepeatItems.Append(ctx, "p", "", okRepeat)
			return err
		}),
		pathCase("repeat one empty ID", "repeat item ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.RepeatItems.One(ctx, "p", "q", "")
			return err
		}),
		pathCase("repeat update empty ID", "repeat item ID is empty", func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.RepeatItems.Update(ctx, "p", "q", "", okRepeat)
			return err
		}),
		pathCase("repeat delete empty ID", "repeat item ID is empty", func(ctx context.Context, c *sdk.Client) error {
			return c.Project.Queues.RepeatItems.Delete(ctx, "p", "q", "")
		}),
		pathCase("repeat delete dot ID", "dot segment", func(ctx context.Context, c *sdk.Client) error {
			return sdk.ProjectQueuesRepeatItemsDelete(ctx, c, "p", "q", ".")
		}),
	}
	cases = append(cases, repeat("empty API name", "apiName", "API name is empty", sdk.QueueRepeatItemRequest{Repeat: "1h"})...)
	cases = append(cases, repeat("empty repeat", "repeat", `"" does not match`, sdk.QueueRepeatItemRequest{APIName: "a"})...)
	cases = append(cases, repeat("compound repeat", "repeat", `"1m30s" does not match`, sdk.QueueRepeatItemRequest{APIName: "a", Repeat: "1m30s"})...)
	cases = append(cases, repeat("negative repeat", "repeat", `"-5s" does not match`, sdk.QueueRepeatItemRequest{APIName: "a", Repeat: "-5s"})...)
	cases = append(cases, repeat("repeat with a space", "repeat", `"5 m" does not match`, sdk.QueueRepeatItemRequest{APIName: "a", Repeat: "5 m"})...)
	cases = append(cases, repeat("repeat from a negative duration", "repeat", "does not match", sdk.QueueRepeatItemRequest{APIName: "a", Repeat: sdk.DurationOf(-time.Hour)})...)
	checkArguments(t, cases)
}

// A typed nil pointer in a member of interface type (a union, Parameters)
// is bad input like any other: refused with an *ArgumentError before
// sending, never a panic.
func TestTypedNilPointersAreRefused(t *testing.T) {
	noLeaks(t)
	var (
		webhook *sdk.SinkWebhook
		s3      *sdk.SinkS3
		every   *sdk.Duration
		hours   *sdk.CalendarRange
		wait    *sdk.RandomWaitDurations
		object  *sdk.ParametersObject
		array   *sdk.ParametersArray
	)
	s := newServer(t, reply(500, `{}`))
	c := newClient(t, s)
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"job sink, a nil *SinkWebhook in NullableOf": func() error {
			_, err := c.Project.Jobs.Create(ctx, "p", jobWith(func(j *sdk.JobCreateRequest) { j.Sink = sdk.NullableOf[sdk.Sink](webhook) }))
			return err
		},
		"job sink *SinkS3": func() error {
			_, err := c.Project.Jobs.Create(ctx, "p", jobWith(func(j *sdk.JobCreateRequest) { j.Sink = sdk.NullableOf[sdk.Sink](s3) }))
			return err
		},
		"every *Duration": func() error {
			_, err := c.Project.Jobs.Create(ctx, "p", jobWith(func(j *sdk.JobCreateRequest) {
				j.Schedule = &sdk.JobSchedule{Intervals: []sdk.JobInterval{{Every: every}}}
			}))
			return err
		},
		"calendar *CalendarRange": func() error {
			_, err := c.Project.Jobs.Create(ctx, "p", jobWith(func(j *sdk.JobCreateRequest) {
				j.Schedule = &sdk.JobSchedule{Calendars: []sdk.Calendar{{Hour: hours}}}
			}))
			return err
		},
		"random wait *RandomWaitDurations": func() error {
			_, err := c.Project.Queues.Create(ctx, "p", sdk.QueueCreateRequest{Configuration: &sdk.QueueConfiguration{RandomWait: wait}})
			return err
		},
		"run parameters *ParametersObject": func() error {
			_, err := c.Project.Run.Start(ctx, "p", sdk.RunRequest{API: "a", Parameters: object})
			return err
		},
		"item parameters *ParametersArray": func() error {
			_, err := c.Project.Queues.Items.Append(ctx, "p", "q", sdk.QueueItemAppendRequest{APIName: "a", Parameters: array})
			return err
		},
		"update parameters *ParametersObject": func() error {
			_, err := c.Project.AuthSessions.Update.Start(ctx, "p", sdk.AuthSessionUpdateRequest{ID: "s", Parameters: object})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			if err := call(); !errors.Is(err, sdk.ErrInvalidArgument) {
				t.Errorf("err = %v, want an argument error", err)
			}
		})
	}
	if s.count() != 0 {
		t.Errorf("%d requests were sent", s.count())
	}
}
