package intunedtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/intuned/intuned-go/internal/leakcheck"
	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

const (
	sinkHeader = "Authorization"
	sinkSecret = "Bearer e2e-sink-secret"
)

// noLeaks checks, after the test and its cleanups (register it first),
// that no goroutine the test started is left: the fake's deliveries end
// with its Close.
func noLeaks(t *testing.T) {
	ignore := leakcheck.Snapshot()
	t.Cleanup(func() {
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		leakcheck.Check(t, ignore)
	})
}

// receiver is a user's sink: their real handler (sdk.NewSinkHandler, with
// a secret) on a loopback server, keeping what it receives.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	results []sdk.SinkResult
	failing atomic.Int32 // the callback fails this many more times
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	rc := &receiver{}
	rc.Server = httptest.NewServer(handlerOf(t, func(ctx context.Context, res sdk.SinkResult) error {
		if rc.failing.Add(-1) >= 0 {
			return errors.New("the database is down")
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.results = append(rc.results, res)
		return nil
	}, sdk.WithSinkSecret(sinkHeader, sinkSecret), sdk.WithSinkLogger(nil)))
	t.Cleanup(rc.Close)
	return rc
}

// hook is a webhook sink to the receiver, with the secret.
func (rc *receiver) hook(skipOnFail bool) sdk.SinkWebhook {
	return sdk.SinkWebhook{URL: rc.URL + "/intuned", Headers: map[string]string{sinkHeader: sinkSecret, "X-Team": "pricing"}, SkipOnFail: &skipOnFail}
}

func (rc *receiver) received() []sdk.SinkResult {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]sdk.SinkResult(nil), rc.results...)
}

// waitDeliveries waits for n deliveries, with a bound and no sleep.
func waitDeliveries(t *testing.T, srv *intunedtest.Server, n int) []intunedtest.SinkDelivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ds, err := srv.WaitSinkDeliveries(ctx, n)
	if err != nil {
		t.Fatalf("%d deliveries of %d: %v", len(ds), n, err)
	}
	return ds
}

// newSinkServer is a fake with fast retries, closed at the end of the test.
func newSinkServer(t *testing.T, opts ...intunedtest.Option) *intunedtest.Server {
	srv := intunedtest.NewServer(append([]intunedtest.Option{intunedtest.WithSinkRetry(3, time.Millisecond)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// sinkTest sets a sink test up: a check for leaks, a fake with fast retries
// (and opts), a receiver, and a client of the fake.
func sinkTest(t *testing.T, opts ...intunedtest.Option) (*intunedtest.Server, *receiver, *sdk.Client) {
	noLeaks(t)
	srv := newSinkServer(t, opts...)
	rc := newReceiver(t)
	c := srv.Client()
	t.Cleanup(c.CloseIdleConnections)
	return srv, rc, c
}

// A user receives and checks a job's and a queue's results with their real
// handler, through the fake.
func TestSinkEndToEnd(t *testing.T) {
	srv, rc, c := sinkTest(t, intunedtest.WithAuthSessions(project, "my-auth-session"))
	ctx := context.Background()
	srv.ScriptAPI("scrape-product", intunedtest.Running(3), intunedtest.Completed(200, map[string]any{"title": "Mug"}))
	srv.ScriptAPI("scrape-list", intunedtest.Queued(1), intunedtest.RawResult("not JSON"), intunedtest.Failed(502, "api_error", "The list did not load"))

	// A job: one payload per API of each run.
	if _, err := c.Project.Jobs.Create(ctx, project, sdk.JobCreateRequest{
		ID: "nightly-prices",
		Payload: []sdk.JobPayload{
			{APIName: "scrape-product", Parameters: sdk.ParametersObject{"url": "https://shop.example.com/p/1"}},
			{APIName: "scrape-list"},
		},
		Sink:        sdk.NullableOf[sdk.Sink](rc.hook(false)),
		AuthSession: &sdk.AuthSessionRef{ID: "my-auth-session"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.Jobs.Trigger(ctx, project, "nightly-prices"); err != nil {
		t.Fatal(err)
	}
	ds := waitDeliveries(t, srv, 2)
	runs := jobRuns(t, c, "nightly-prices")
	if len(runs) != 1 || runs[0].Status != sdk.JobRunStatusFailed {
		t.Fatalf("the run ended as delivered, without polls: %+v", runs)
	}
	wantSummary(t, "job run", runs[0], 2, 1, 1, 0)
	proj := sdk.SinkProject{ID: intunedtest.ProjectID(project), Name: project}
	for i, d := range ds {
		if d.StatusCode != http.StatusNoContent || d.Attempts != 1 || d.Err != nil || d.URL != rc.URL+"/intuned" ||
			d.Header.Get(sinkHeader) != sinkSecret || d.Header.Get("X-Team") != "pricing" || d.Header.Get("Content-Type") != "application/json" {
			t.Errorf("delivery %d: %+v", i, d)
		}
		job, ok := d.Result.(sdk.SinkResultProjectJob)
		if !ok || job.WorkspaceID != srv.WorkspaceID || job.Project != proj || job.AuthSession == nil || job.AuthSession.ID != "my-auth-session" ||
			job.ProjectJob.ID != "nightly-prices" || job.ProjectJobRun.ID != runs[0].ID {
			t.Errorf("delivery %d: %#v", i, d.Result)
		}
		if b, err := json.Marshal(d.Result); err != nil || string(b) != string(d.Body) {
			t.Errorf("delivery %d: body %s, result %s", i, d.Body, b)
		}
	}
	got := rc.received()
	if len(got) != 2 {
		t.Fatalf("received %d", len(got))
	}
	var product, list sdk.SinkResultProjectJob
	for _, r := range got {
		j := r.(sdk.SinkResultProjectJob)
		if j.APIInfo.Name == "scrape-product" {
			product = j
		} else {
			list = j
		}
	}
	done, ok := product.APIInfo.Result.(sdk.SinkAPICompleted)
	var title struct{ Title string }
	if !ok || done.StatusCode != 200 || done.DecodeResult(&title) != nil || title.Title != "Mug" ||
		string(product.APIInfo.Parameters.(sdk.ParametersRaw)) != `{"url":"https://shop.example.com/p/1"}` {
		t.Errorf("the product's result: %#v", product.APIInfo)
	}
	if f, ok := list.APIInfo.Result.(sdk.SinkAPIFailed); !ok || f.StatusCode != 502 || f.Error != "api_error" || f.Message != "The list did not load" || list.APIInfo.Parameters != nil {
		t.Errorf("the list's result: %#v", list.APIInfo)
	}
	if product.APIInfo.RunID == list.APIInfo.RunID {
		t.Errorf("one run ID for two runs: %s", product.APIInfo.RunID)
	}

	// A queue: one payload per item, which then reads as delivered.
	if _, err := c.Project.Queues.Create(ctx, project, sdk.QueueCreateRequest{ID: sdk.Ptr("pages"), Sink: sdk.NullableOf[sdk.Sink](rc.hook(false))}); err != nil {
		t.Fatal(err)
	}
	first := appendItem(t, c, "pages", "scrape-product", sdk.ParametersArray{"a"})
	second := appendItem(t, c, "pages", "scrape-list", nil)
	ds = waitDeliveries(t, srv, 4)[2:]
	byRun := map[string]sdk.SinkResultProjectQueue{}
	for _, d := range ds {
		q, ok := d.Result.(sdk.SinkResultProjectQueue)
		if !ok || d.StatusCode != 204 || q.ProjectQueue.ID != "pages" || q.Project != proj || q.AuthSession != nil || q.WorkspaceID != srv.WorkspaceID {
			t.Errorf("queue delivery: %+v", d)
		}
		byRun[q.APIInfo.RunID] = q
	}
	if r, ok := byRun[first].APIInfo.Result.(sdk.SinkAPICompleted); !ok || r.StatusCode != 200 || string(byRun[first].APIInfo.Parameters.(sdk.ParametersRaw)) != `["a"]` {
		t.Errorf("first item: %#v", byRun[first])
	}
	if _, ok := byRun[second].APIInfo.Result.(sdk.SinkAPIFailed); !ok {
		t.Errorf("second item: %#v", byRun[second])
	}
	if r, ok := itemResult(t, c, "pages", first).(sdk.QueueItemCompleted); !ok || string(r.Result) != `{"title":"Mug"}` {
		t.Errorf("the first item reads %#v", r)
	}
	if r, ok := itemResult(t, c, "pages", second).(sdk.QueueItemFailed); !ok || r.StatusCode != 502 {
		t.Errorf("the second item reads %#v", r)
	}
	if n := len(rc.received()); n != 4 {
		t.Errorf("received %d in all", n)
	}
}

// The payload on the wire, member for member, as Part 3 of the contract
// gives it.
func TestSinkPayloadWire(t *testing.T) {
	srv, rc, c := sinkTest(t)
	ctx := context.Background()
	srv.ScriptAPI("scrape-product", intunedtest.Completed(201, sdk.RawJSON(`{"title": "Mug"}`)))
	if _, err := c.Project.Queues.Create(ctx, project, sdk.QueueCreateRequest{ID: sdk.Ptr("pages"), Sink: sdk.NullableOf[sdk.Sink](rc.hook(false)), AuthSession: sdk.NullableOf(sdk.AuthSessionRef{ID: "s-1"})}); err != nil {
		t.Fatal(err)
	}
	runID := appendItem(t, c, "pages", "scrape-product", sdk.ParametersRaw(`{"url": "u"}`))
	d := waitDeliveries(t, srv, 1)[0]
	want := `{"apiInfo":{"name":"scrape-product","parameters":{"url":"u"},"runId":"` + runID + `","result":{"status":"completed","statusCode":201,"result":{"title":"Mug"}}},` +
		`"workspaceId":"intunedtest-workspace","project":{"id":"` + intunedtest.ProjectID(project) + `","name":"` + project + `"},` +
		`"authSession":{"id":"s-1"},"projectQueue":{"id":"pages"}}`
	if string(d.Body) != want {
		t.Errorf("payload\n got %s\nwant %s", d.Body, want)
	}
}

// skipOnFail leaves failed runs out, of jobs and queues alike.
func TestSinkSkipOnFail(t *testing.T) {
	srv, rc, c := sinkTest(t)
	ctx := context.Background()
	srv.ScriptAPI("flaky", intunedtest.Running(1), intunedtest.Failed(500, "api_error", "boom"))
	if _, err := c.Project.Jobs.Create(ctx, project, sdk.JobCreateRequest{ID: "j", Payload: []sdk.JobPayload{{APIName: "flaky"}, {APIName: "fine"}, {APIName: "flaky"}}, Sink: sdk.NullableOf[sdk.Sink](rc.hook(true))}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.Jobs.Trigger(ctx, project, "j"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.Queues.Create(ctx, project, sdk.QueueCreateRequest{ID: sdk.Ptr("q"), Sink: sdk.NullableOf[sdk.Sink](rc.hook(true))}); err != nil {
		t.Fatal(err)
	}
	appendItem(t, c, "q", "flaky", nil)
	appendItem(t, c, "q", "fine", nil)
	waitDeliveries(t, srv, 2)
	if r := jobRuns(t, c, "j")[0]; r.Status != sdk.JobRunStatusFailed {
		t.Errorf("the job run is %s: skipped results still fail it", r.Status)
	}
	srv.Close() // ends every delivery made: the skipped ones would show
	ds := srv.SinkDeliveries()
	if len(ds) != 2 {
		t.Fatalf("%d deliveries: %+v", len(ds), ds)
	}
	for _, d := range ds {
		if !strings.Contains(string(d.Body), `"name":"fine"`) || d.Err != nil {
			t.Errorf("delivered %s (%v)", d.Body, d.Err)
		}
	}
}

// A failed delivery is sent again; what each one ended in is recorded.
func TestSinkDeliveryRetries(t *testing.T) {
	srv, rc, c := sinkTest(t)
	ctx := context.Background()
	create := func(id string, hook sdk.SinkWebhook) {
		t.Helper()
		if _, err := c.Project.Jobs.Create(ctx, project, sdk.JobCreateRequest{ID: id, Payload: []sdk.JobPayload{{APIName: id}}, Sink: sdk.NullableOf[sdk.Sink](hook)}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Project.Jobs.Trigger(ctx, project, id); err != nil {
			t.Fatal(err)
		}
	}

	// The callback fails twice (500), then takes the result.
	rc.failing.Store(2)
	create("twice-failing", rc.hook(false))
	if d := waitDeliveries(t, srv, 1)[0]; d.Attempts != 3 || d.StatusCode != 204 || d.Err != nil || len(rc.received()) != 1 {
		t.Errorf("delivery: %+v, received %d", d, len(rc.received()))
	}

	// A wrong secret is refused at every attempt, before the callback.
	wrong := rc.hook(false)
	wrong.Headers = map[string]string{sinkHeader: "Bearer wrong"}
	create("wrong-secret", wrong)
	if d := waitDeliveries(t, srv, 2)[1]; d.Attempts != 3 || d.StatusCode != 401 || d.Err == nil || !strings.Contains(d.Err.Error(), "answered 401: unauthorized") {
		t.Errorf("delivery: %+v", d)
	}

	// A sink that always fails.
	rc.failing.Store(10)
	create("always-failing", rc.hook(false))
	if d := waitDeliveries(t, srv, 3)[2]; d.Attempts != 3 || d.StatusCode != 500 || d.Err == nil || !strings.Contains(d.Err.Error(), "answered 500") {
		t.Errorf("delivery: %+v", d)
	}

	// No sink there at all: no answer.
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	create("gone", sdk.SinkWebhook{URL: gone.URL})
	if d := waitDeliveries(t, srv, 4)[3]; d.Attempts != 3 || d.StatusCode != 0 || d.Err == nil {
		t.Errorf("delivery: %+v", d)
	}
	if n := len(rc.received()); n != 1 {
		t.Errorf("received %d", n)
	}
}

// The fake sends nothing off the machine, and writes to no S3 bucket.
func TestSinkNotDelivered(t *testing.T) {
	noLeaks(t)
	srv := newSinkServer(t)
	c := srv.Client()
	t.Cleanup(c.CloseIdleConnections)
	ctx := context.Background()
	for id, sink := range map[string]sdk.Sink{
		"elsewhere": sdk.SinkWebhook{URL: "http://192.0.2.1/hook"},         // TEST-NET-1: never dialled
		"by-name":   sdk.SinkWebhook{URL: "https://hooks.invalid/intuned"}, // never looked up
		"s3":        sdk.SinkS3{Bucket: "b", Region: "r", AccessKeyID: "a", SecretAccessKey: "s"},
	} {
		if _, err := c.Project.Jobs.Create(ctx, project, sdk.JobCreateRequest{ID: id, Payload: []sdk.JobPayload{{APIName: "a"}}, Sink: sdk.NullableOf(sink)}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Project.Jobs.Trigger(ctx, project, id); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range waitDeliveries(t, srv, 2) {
		if d.Attempts != 3 || d.StatusCode != 0 || d.Err == nil || !strings.Contains(d.Err.Error(), "is not a loopback address") {
			t.Errorf("delivery: %+v", d)
		}
	}
	if r := jobRuns(t, c, "s3")[0]; r.Status != sdk.JobRunStatusPending {
		t.Errorf("the run of a job with an S3 sink is %s: it moves on as it is polled", r.Status)
	}
	srv.Close()
	if n := len(srv.SinkDeliveries()); n != 2 {
		t.Errorf("%d deliveries", n)
	}
}

// Close ends the deliveries under way and refuses new ones, leaving no
// goroutine behind.
func TestSinkClose(t *testing.T) {
	noLeaks(t)
	entered := make(chan struct{})
	slow := httptest.NewServer(handlerOf(t, func(ctx context.Context, _ sdk.SinkResult) error {
		close(entered)
		<-ctx.Done() // until the sender gives up
		return ctx.Err()
	}, sdk.WithSinkTimeout(0), sdk.WithSinkLogger(nil), sdk.WithoutSinkSecret()))
	t.Cleanup(slow.Close)
	fake := intunedtest.NewUnstartedServer()
	api := httptest.NewServer(fake.Handler())
	t.Cleanup(api.Close)
	fake.URL = api.URL
	c := fake.Client()
	t.Cleanup(c.CloseIdleConnections)
	ctx := context.Background()
	if _, err := c.Project.Queues.Create(ctx, project, sdk.QueueCreateRequest{ID: sdk.Ptr("q"), Sink: sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: slow.URL})}); err != nil {
		t.Fatal(err)
	}
	appendItem(t, c, "q", "a", nil)
	<-entered
	fake.Close()
	ds := fake.SinkDeliveries()
	if len(ds) != 1 || ds[0].Attempts != 1 || ds[0].Err == nil {
		t.Fatalf("deliveries: %+v", ds)
	}
	// Served on, the closed fake still answers, but delivers nothing more.
	appendItem(t, c, "q", "b", nil)
	if ds := fake.SinkDeliveries(); len(ds) != 2 || ds[1].Attempts != 0 || !strings.Contains(fmt.Sprint(ds[1].Err), "closed") {
		t.Errorf("deliveries: %+v", ds)
	}
}

// Many items at once, each delivered once, under -race.
func TestSinkConcurrentDeliveries(t *testing.T) {
	srv, rc, c := sinkTest(t, intunedtest.WithoutRecording())
	ctx := context.Background()
	if _, err := c.Project.Queues.Create(ctx, project, sdk.QueueCreateRequest{ID: sdk.Ptr("q"), Sink: sdk.NullableOf[sdk.Sink](rc.hook(false))}); err != nil {
		t.Fatal(err)
	}
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if _, err := c.Project.Queues.Items.Append(ctx, project, "q", sdk.QueueItemAppendRequest{APIName: fmt.Sprint("api-", i)}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ds := waitDeliveries(t, srv, n); len(ds) != 0 {
		t.Errorf("WithoutRecording keeps %d deliveries", len(ds))
	}
	seen := map[string]bool{}
	for _, r := range rc.received() {
		seen[r.(sdk.SinkResultProjectQueue).APIInfo.RunID] = true
	}
	if len(seen) != n {
		t.Errorf("received %d runs, want %d", len(seen), n)
	}
}

func TestWaitSinkDeliveriesEndsWithItsContext(t *testing.T) {
	srv := newSinkServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if ds, err := srv.WaitSinkDeliveries(ctx, 1); !errors.Is(err, context.Canceled) || len(ds) != 0 {
		t.Errorf("%v, %v", ds, err)
	}
	if ds, err := srv.WaitSinkDeliveries(ctx, 0); err != nil || len(ds) != 0 {
		t.Errorf("%v, %v", ds, err)
	}
}

// handlerOf builds a sink handler whose callback gets each delivery's
// result, failing t when the options cannot be used.
func handlerOf(t testing.TB, fn func(context.Context, sdk.SinkResult) error, opts ...sdk.SinkOption) *sdk.SinkHandler {
	t.Helper()
	h, err := sdk.NewSinkHandler(func(ctx context.Context, d sdk.SinkDelivery) error { return fn(ctx, d.Result) }, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
