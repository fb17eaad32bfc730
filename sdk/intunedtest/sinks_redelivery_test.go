package intunedtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// The tests of what a receiver must bear: a payload more than once, out of
// order, a sink that stalls; and of what reports deliveries. The sink here is
// a plain handler that keeps what it receives, in the order received.

// arrivals is a sink that keeps the bodies it receives, in order, and
// answers 204.
type arrivals struct {
	*httptest.Server
	mu     sync.Mutex
	bodies [][]byte
	header []http.Header
	got    chan struct{} // a value per request received
}

func newArrivals(t *testing.T) *arrivals {
	t.Helper()
	a := &arrivals{got: make(chan struct{}, 1000)}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		a.mu.Lock()
		a.bodies = append(a.bodies, body)
		a.header = append(a.header, r.Header.Clone())
		a.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
		a.got <- struct{}{}
	}))
	t.Cleanup(a.Close)
	return a
}

func (a *arrivals) received() [][]byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.bodies)
}

// wait waits for n more requests, with a bound and no sleep.
func (a *arrivals) wait(t *testing.T, n int) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for range n {
		select {
		case <-a.got:
		case <-timeout:
			t.Fatalf("the sink received %d requests", len(a.received()))
		}
	}
}

// apiInfo reads the run of a payload.
func apiInfo(t *testing.T, body []byte) sdk.SinkAPIInfo {
	t.Helper()
	res, err := sdk.ParseSinkResult(body)
	if err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	switch r := res.(type) {
	case sdk.SinkResultProjectJob:
		return r.APIInfo
	case sdk.SinkResultProjectQueue:
		return r.APIInfo
	}
	t.Fatalf("%s is %T", body, res)
	return sdk.SinkAPIInfo{}
}

// names is the API of each payload, in order.
func names(t *testing.T, bodies [][]byte) []string {
	var out []string
	for _, b := range bodies {
		out = append(out, apiInfo(t, b).Name)
	}
	return out
}

// triggerJob creates a job of the APIs given with a sink at url, and
// triggers it.
func triggerJob(t *testing.T, c *sdk.Client, id, url string, apis ...string) {
	t.Helper()
	ctx := context.Background()
	job := sdk.JobCreateRequest{ID: id, Sink: sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: url, Headers: map[string]string{sinkHeader: sinkSecret}})}
	for _, a := range apis {
		job.Payload = append(job.Payload, sdk.JobPayload{APIName: a, Parameters: sdk.ParametersObject{"page": a}})
	}
	if _, err := c.Project.Jobs.Create(ctx, project, job); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.Jobs.Trigger(ctx, project, id); err != nil {
		t.Fatal(err)
	}
}

// createQueue creates a queue with a sink at url.
func createQueue(t *testing.T, c *sdk.Client, id, url string) {
	t.Helper()
	if _, err := c.Project.Queues.Create(context.Background(), project, sdk.QueueCreateRequest{ID: sdk.Ptr(id), Sink: sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: url, Headers: map[string]string{sinkHeader: sinkSecret}})}); err != nil {
		t.Fatal(err)
	}
}

// apis is api-0, api-1, ... api-(n-1).
func apis(n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprint("api-", i))
	}
	return out
}

// Each payload comes n+1 times, each copy a delivery of its own, identical
// byte for byte to the sink.
func TestSinkRedelivery(t *testing.T) {
	noLeaks(t)
	srv := newSinkServer(t, intunedtest.WithSinkRedelivery(2))
	sink := newArrivals(t)
	c := srv.Client()
	t.Cleanup(c.CloseIdleConnections)
	triggerJob(t, c, "j", sink.URL+"/hook", "a", "b")
	createQueue(t, c, "q", sink.URL+"/hook")
	appendItem(t, c, "q", "c", nil)
	ds := waitDeliveries(t, srv, 9)
	for i, d := range ds { // in the order made: each payload's copies together
		first := ds[i-d.Copy]
		if d.Copy != i%3 || d.Attempts != 1 || d.StatusCode != http.StatusNoContent || d.Err != nil {
			t.Errorf("delivery %d: %+v", i, d)
		}
		if !bytes.Equal(d.Body, first.Body) || !reflect.DeepEqual(d.Header, first.Header) || !reflect.DeepEqual(d.Result, first.Result) || d.URL != first.URL {
			t.Errorf("copy %d of delivery %d differs: %+v\n%+v", d.Copy, i-d.Copy, d, first)
		}
		if d.Copy == 0 && i > 0 && bytes.Equal(d.Body, ds[i-1].Body) {
			t.Errorf("delivery %d is the previous payload's", i)
		}
	}
	got := sink.received()
	count := map[string]int{}
	for _, b := range got {
		count[string(b)]++
	}
	for _, i := range []int{0, 3, 6} {
		if count[string(ds[i].Body)] != 3 {
			t.Errorf("the sink received %s %d times", ds[i].Body, count[string(ds[i].Body)])
		}
	}
	if len(got) != 9 || len(count) != 3 {
		t.Errorf("the sink received %d requests, %d payloads", len(got), len(count))
	}
	sink.mu.Lock()
	for _, h := range sink.header {
		if h.Get(sinkHeader) != sinkSecret || h.Get("Content-Type") != "application/json" {
			t.Errorf("headers %v", h)
		}
	}
	sink.mu.Unlock()
}

// Each copy is retried on its own: a copy refused once is sent again, the
// others are not.
func TestSinkRedeliveryRetriesEachCopy(t *testing.T) {
	noLeaks(t)
	srv := newSinkServer(t, intunedtest.WithSinkRedelivery(1))
	var mu sync.Mutex
	refused := false
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if !refused {
			refused = true
			http.Error(w, "the database is down", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(sink.Close)
	c := srv.Client()
	t.Cleanup(c.CloseIdleConnections)
	createQueue(t, c, "q", sink.URL)
	appendItem(t, c, "q", "a", nil)
	ds := waitDeliveries(t, srv, 2)
	if ds[0].Attempts+ds[1].Attempts != 3 || ds[0].Err != nil || ds[1].Err != nil || ds[0].StatusCode != 200 || ds[1].StatusCode != 200 {
		t.Errorf("deliveries: %+v", ds)
	}
}

// shuffledJob runs a job of n APIs on a fake with WithSinkShuffle(seed, batch),
// and returns the APIs in the order the sink received their payloads.
func shuffledJob(t *testing.T, seed int64, batch, n int, opts ...intunedtest.Option) []string {
	t.Helper()
	srv := newSinkServer(t, append([]intunedtest.Option{intunedtest.WithSinkShuffle(seed, batch)}, opts...)...)
	sink := newArrivals(t)
	c := srv.Client()
	t.Cleanup(c.CloseIdleConnections)
	triggerJob(t, c, "j", sink.URL, apis(n)...)
	sink.wait(t, n) // a job run sends those held once it has made them all: no WaitSinkDeliveries
	ds := waitDeliveries(t, srv, n)
	if made := names(t, bodiesOf(ds)); !slices.Equal(made, apis(n)) {
		t.Errorf("SinkDeliveries lists %v, not in the order made", made)
	}
	got := names(t, sink.received())
	if sorted := slices.Sorted(slices.Values(got)); !slices.Equal(sorted, slices.Sorted(slices.Values(apis(n)))) {
		t.Errorf("the sink received %v", got)
	}
	return got
}

func bodiesOf(ds []intunedtest.SinkDelivery) [][]byte {
	var out [][]byte
	for _, d := range ds {
		out = append(out, d.Body)
	}
	return out
}

// A job's payloads arrive out of order, in the same order for the same
// seed, one at a time.
func TestSinkShuffleJob(t *testing.T) {
	noLeaks(t)
	first := shuffledJob(t, 1, 10, 6)
	// Pinned: the order depends on the seed alone (PCG and the fake's own
	// shuffle), not on the Go release or the scheduler.
	if want := []string{"api-4", "api-5", "api-0", "api-2", "api-1", "api-3"}; !slices.Equal(first, want) {
		t.Errorf("seed 1 sends %v, want %v", first, want)
	}
	if again := shuffledJob(t, 1, 10, 6); !slices.Equal(again, first) {
		t.Errorf("seed 1 sends %v, then %v", first, again)
	}
	if other := shuffledJob(t, 2, 10, 6); slices.Equal(other, first) {
		t.Errorf("seeds 1 and 2 send %v alike", other)
	}
	// A batch smaller than the run: its first 4, shuffled, before its last 2.
	if got := shuffledJob(t, 1, 4, 6); slices.Equal(got, apis(6)) || !slices.Equal(slices.Sorted(slices.Values(got[:4])), apis(4)) {
		t.Errorf("batches of 4 send %v", got)
	}
	// batch 1 reorders nothing.
	if got := shuffledJob(t, 1, 1, 6); !slices.Equal(got, apis(6)) {
		t.Errorf("batch 1 sends %v", got)
	}
}

// A queue's items are held until a batch is full, or a test waits for
// them, then arrive out of order; the copies of WithSinkRedelivery are
// shuffled with them.
func TestSinkShuffleQueue(t *testing.T) {
	noLeaks(t)
	run := func(seed int64) (order []string, runIDs []string) {
		srv := newSinkServer(t, intunedtest.WithSinkShuffle(seed, 100), intunedtest.WithSinkRedelivery(1))
		sink := newArrivals(t)
		c := srv.Client()
		t.Cleanup(c.CloseIdleConnections)
		createQueue(t, c, "q", sink.URL)
		for _, a := range apis(5) {
			runIDs = append(runIDs, appendItem(t, c, "q", a, nil))
		}
		if n := len(sink.received()) + len(srv.SinkDeliveries()); n != 0 {
			t.Errorf("%d deliveries before the batch is full or waited for", n)
		}
		ds := waitDeliveries(t, srv, 10) // sends the 10 held
		for i, d := range ds {
			if d.Copy != i%2 || d.Err != nil || d.Attempts != 1 {
				t.Errorf("delivery %d: %+v", i, d)
			}
		}
		got := sink.received()
		count := map[string]int{}
		for _, b := range got {
			count[string(b)]++
			order = append(order, apiInfo(t, b).Name)
		}
		if len(got) != 10 || len(count) != 5 {
			t.Errorf("the sink received %d requests, %d payloads", len(got), len(count))
		}
		return order, runIDs
	}
	first, ids := run(3)
	if again, againIDs := run(3); !slices.Equal(again, first) || !slices.Equal(againIDs, ids) {
		t.Errorf("seed 3 sends %v, then %v", first, again)
	}
	// Out of order: some later item's result arrives before an earlier one's
	// first copy.
	seen := map[string]bool{}
	reordered := false
	for _, name := range first {
		for _, later := range apis(5) {
			if later > name && seen[later] {
				reordered = true
			}
		}
		seen[name] = true
	}
	if !reordered {
		t.Errorf("seed 3 sends %v", first)
	}
}

// A full batch is sent without waiting; Close fails those still held.
func TestSinkShuffleBatchAndClose(t *testing.T) {
	noLeaks(t)
	srv := newSinkServer(t, intunedtest.WithSinkShuffle(1, 3))
	sink := newArrivals(t)
	c := srv.Client()
	t.Cleanup(c.CloseIdleConnections)
	createQueue(t, c, "q", sink.URL)
	for _, a := range apis(4) {
		appendItem(t, c, "q", a, nil)
	}
	sink.wait(t, 3) // the first 3, without WaitSinkDeliveries
	if _, err := srv.WaitSinkDeliveries(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	ds := srv.SinkDeliveries()
	if len(ds) != 4 || ds[3].Attempts != 0 || !strings.Contains(fmt.Sprint(ds[3].Err), "closed") || apiInfo(t, ds[3].Body).Name != "api-3" {
		t.Errorf("deliveries: %+v", ds)
	}
	if n := len(sink.received()); n != 3 {
		t.Errorf("the sink received %d", n)
	}
}

// An attempt that takes longer than WithSinkAttemptTimeout fails, and is
// retried; with the default client, and with one given.
func TestSinkAttemptTimeout(t *testing.T) {
	noLeaks(t)
	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // so that the server sees the connection close
		<-r.Context().Done()        // until the fake gives up
	}))
	t.Cleanup(stall.Close)
	own := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(own.CloseIdleConnections)
	for name, client := range map[string]*http.Client{"default": nil, "given": own} {
		t.Run(name, func(t *testing.T) {
			srv := newSinkServer(t, intunedtest.WithSinkRetry(2, time.Millisecond), intunedtest.WithSinkAttemptTimeout(50*time.Millisecond), intunedtest.WithSinkHTTPClient(client))
			c := srv.Client()
			t.Cleanup(c.CloseIdleConnections)
			createQueue(t, c, "q", stall.URL)
			begin := time.Now()
			appendItem(t, c, "q", "a", nil)
			d := waitDeliveries(t, srv, 1)[0]
			if took := time.Since(begin); took < 100*time.Millisecond || took > time.Second {
				t.Errorf("two attempts of 50ms took %v", took)
			}
			if d.Attempts != 2 || d.StatusCode != 0 || !errors.Is(d.Err, context.DeadlineExceeded) {
				t.Errorf("delivery: %+v", d)
			}
		})
	}
}

// The hook sees each delivery as it ends, before WaitSinkDeliveries counts
// it, even WithoutRecording; and those ended without an attempt.
func TestSinkDeliveryHook(t *testing.T) {
	noLeaks(t)
	var mu sync.Mutex
	var seen []intunedtest.SinkDelivery
	hooked := func() []intunedtest.SinkDelivery {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
	var srv *intunedtest.Server
	hook := intunedtest.WithSinkDeliveryHook(func(d intunedtest.SinkDelivery) {
		srv.SinkDeliveries() // the hook may call the server
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, d)
	})
	srv = intunedtest.NewUnstartedServer(intunedtest.WithoutRecording(), intunedtest.WithSinkRedelivery(1), intunedtest.WithSinkRetry(3, time.Millisecond), hook)
	t.Cleanup(srv.Close)
	api := httptest.NewServer(srv.Handler()) // served on after Close
	t.Cleanup(api.Close)
	srv.URL = api.URL
	sink := newArrivals(t)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	c := srv.Client()
	t.Cleanup(c.CloseIdleConnections)
	triggerJob(t, c, "j", sink.URL, "a", "b")
	createQueue(t, c, "gone", gone.URL)
	appendItem(t, c, "gone", "c", nil)
	if ds := waitDeliveries(t, srv, 6); len(ds) != 0 {
		t.Errorf("WithoutRecording keeps %d", len(ds))
	}
	got := hooked()
	if len(got) != 6 {
		t.Fatalf("the hook saw %d deliveries", len(got))
	}
	copies := map[string]int{}
	for _, d := range got {
		info := apiInfo(t, d.Body)
		copies[info.Name] += 1 << d.Copy
		if ok := d.Err == nil && d.Attempts == 1 && d.StatusCode == 204; ok != (info.Name != "c") || (!ok && d.Attempts != 3) {
			t.Errorf("the hook saw %+v", d)
		}
	}
	if !maps(copies, map[string]int{"a": 3, "b": 3, "c": 3}) {
		t.Errorf("copies seen: %v", copies)
	}

	// Ended without an attempt: a closed server's, before the request is
	// answered.
	srv.Close()
	appendItem(t, c, "gone", "d", nil)
	if got := hooked(); len(got) != 8 || got[7].Attempts != 0 || !strings.Contains(fmt.Sprint(got[7].Err), "closed") {
		t.Errorf("the hook saw %+v", got[6:])
	}
}

func maps(a, b map[string]int) bool { return reflect.DeepEqual(a, b) }

// Those held when the server closes, before Close returns.
func TestSinkDeliveryHookAtClose(t *testing.T) {
	noLeaks(t)
	var ended []intunedtest.SinkDelivery // Close returns after the hook: no lock needed after it
	var mu sync.Mutex
	srv := newSinkServer(t, intunedtest.WithSinkShuffle(1, 10), intunedtest.WithSinkDeliveryHook(func(d intunedtest.SinkDelivery) {
		mu.Lock()
		defer mu.Unlock()
		ended = append(ended, d)
	}))
	sink := newArrivals(t)
	c := srv.Client()
	t.Cleanup(c.CloseIdleConnections)
	createQueue(t, c, "q", sink.URL)
	appendItem(t, c, "q", "a", nil)
	srv.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(ended) != 1 || ended[0].Attempts != 0 || !strings.Contains(fmt.Sprint(ended[0].Err), "closed") {
		t.Errorf("the hook saw %+v", ended)
	}
}

var uuid = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// The payloads made without a server: realistic, each a new run, and
// parsed back as made.
func TestNewSinkResults(t *testing.T) {
	done := sdk.SinkAPICompleted{StatusCode: 200, Result: sdk.RawJSON(`{"title":"Mug"}`)}
	job, other := intunedtest.NewSinkResultProjectJob("scrape-product", done), intunedtest.NewSinkResultProjectJob("scrape-product", done)
	proj := sdk.SinkProject{ID: intunedtest.ProjectID("my-project"), Name: "my-project"}
	if job.APIInfo.Name != "scrape-product" || !reflect.DeepEqual(job.APIInfo.Result, done) || job.APIInfo.Parameters != nil || job.WorkspaceID != intunedtest.DefaultWorkspaceID ||
		job.Project != proj || job.AuthSession != nil || job.ProjectJob.ID != "my-job" || !uuid.MatchString(job.APIInfo.RunID) || !uuid.MatchString(job.ProjectJobRun.ID) {
		t.Errorf("%#v", job)
	}
	if other.APIInfo.RunID == job.APIInfo.RunID || other.ProjectJobRun.ID == job.ProjectJobRun.ID {
		t.Errorf("two calls, one run: %#v, %#v", job, other)
	}
	failed := sdk.SinkAPIFailed{StatusCode: 500, Error: "api_error", Message: "The page did not load"}
	queue := intunedtest.NewSinkResultProjectQueue("scrape-list", failed)
	if queue.APIInfo.Name != "scrape-list" || queue.APIInfo.Result != failed || queue.WorkspaceID != intunedtest.DefaultWorkspaceID || queue.Project != proj ||
		queue.AuthSession != nil || queue.ProjectQueue.ID != "my-queue" || !uuid.MatchString(queue.APIInfo.RunID) {
		t.Errorf("%#v", queue)
	}
	withAll := intunedtest.NewSinkResultProjectQueue("scrape-product", done)
	withAll.AuthSession = &sdk.AuthSessionRef{ID: "my-auth-session"}
	withAll.APIInfo.Parameters = sdk.ParametersRaw(`{"url":"https://shop.example.com/p/1"}`)

	for _, res := range []sdk.SinkResult{job, queue, withAll} {
		req := intunedtest.NewSinkRequest("/hooks/intuned", res, http.Header{"authorization": {sinkSecret}, "X-Team": {"pricing", "data"}})
		body, err := io.ReadAll(req.Body)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(res)
		if req.Method != http.MethodPost || req.URL.Path != "/hooks/intuned" || !bytes.Equal(body, want) || req.ContentLength != int64(len(body)) {
			t.Errorf("%s %s (%d): %s", req.Method, req.URL, req.ContentLength, body)
		}
		if req.Header.Get("Content-Type") != "application/json" || req.Header.Get(sinkHeader) != sinkSecret || !slices.Equal(req.Header["X-Team"], []string{"pricing", "data"}) {
			t.Errorf("headers %v", req.Header)
		}
		back, err := sdk.ParseSinkResult(body)
		if err != nil || !reflect.DeepEqual(back, res) {
			t.Errorf("parsed back: %#v, %v\nmade: %#v", back, err, res)
		}
	}

	// It panics on what does not encode, as httptest.NewRequest does.
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "intunedtest: NewSinkRequest") {
			t.Errorf("recovered %v", r)
		}
	}()
	intunedtest.NewSinkRequest("/hooks/intuned", intunedtest.NewSinkResultProjectJob("a", sdk.SinkAPICompleted{StatusCode: 200, Result: sdk.RawJSON(`{`)}), nil)
	t.Error("no panic")
}

// NewSinkRequest makes the request the fake sends: the same body and
// headers (those the client adds aside).
func TestNewSinkRequestIsTheFakes(t *testing.T) {
	noLeaks(t)
	srv := newSinkServer(t)
	sink := newArrivals(t)
	c := srv.Client()
	t.Cleanup(c.CloseIdleConnections)
	triggerJob(t, c, "j", sink.URL, "a")
	d := waitDeliveries(t, srv, 1)[0]
	req := intunedtest.NewSinkRequest("/hooks/intuned", d.Result, d.Header)
	body, _ := io.ReadAll(req.Body)
	if !bytes.Equal(body, d.Body) || !bytes.Equal(body, sink.received()[0]) {
		t.Errorf("made %s\nsent %s", body, d.Body)
	}
	if !reflect.DeepEqual(req.Header, d.Header) {
		t.Errorf("made %v\nsent %v", req.Header, d.Header)
	}
}

// The end of a job run sends its own payloads, not a queue's held ones,
// which wait for their batch.
func TestSinkShuffleJobLeavesQueuesHeld(t *testing.T) {
	noLeaks(t)
	srv := newSinkServer(t, intunedtest.WithSinkShuffle(1, 100))
	sink := newArrivals(t)
	c := srv.Client()
	t.Cleanup(c.CloseIdleConnections)
	createQueue(t, c, "q", sink.URL)
	appendItem(t, c, "q", "queued-api", nil)
	triggerJob(t, c, "j", sink.URL, apis(3)...)
	sink.wait(t, 3)
	if got := names(t, sink.received()); slices.Contains(got, "queued-api") || len(got) != 3 {
		t.Errorf("a job run's end sent %v; want its 3 payloads alone", got)
	}
	waitDeliveries(t, srv, 4) // and now the queue's
	if got := names(t, sink.received()); !slices.Contains(got, "queued-api") {
		t.Errorf("the queue's payload never came: %v", got)
	}
}
