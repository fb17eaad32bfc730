package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

// sequence answers the requests in turn with the handlers (the last one
// answers every request after it).
func sequence(hs ...handler) handler {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		hs[min(n, len(hs))-1](w, r, n)
	}
}

var runReq = sdk.RunRequest{API: "scrape-product", Parameters: sdk.ParametersObject{"url": "https://shop.example.com/p/1"}}

func TestRunStartAndWait(t *testing.T) {
	noLeaks(t)
	s := newServer(t, sequence(
		reply(201, `{"status":"pending","runId":"run-1"}`),
		reply(200, `{"status":"pending","runId":"run-1"}`),
		reply(200, `{"status":"completed","runId":"run-1","statusCode":200,"result":{"title":"Mug","price":12.5}}`),
	))
	var events []sdk.WaitEvent
	done, err := newClient(t, s).Project.Run.StartAndWait(context.Background(), "my-project", runReq, quick,
		sdk.WithProgress(func(e sdk.WaitEvent) { events = append(events, e) }))
	if err != nil {
		t.Fatal(err)
	}
	var product struct {
		Title string
		Price float64
	}
	if err := done.DecodeResult(&product); err != nil || product.Title != "Mug" || product.Price != 12.5 || done.RunID != "run-1" || done.StatusCode != 200 {
		t.Errorf("StartAndWait = %+v (%+v, %v)", done, product, err)
	}
	reqs := s.requests()
	if len(reqs) != 3 || reqs[0].Method != "POST" || reqs[0].Path != "/api/v1/workspace/ws-123/projects/my-project/run/start" ||
		reqs[1].Path != "/api/v1/workspace/ws-123/projects/my-project/run/run-1/result" {
		t.Errorf("requests = %+v", reqs)
	}
	if len(events) != 3 || events[0].Kind != sdk.WaitEventKindStarted || events[2].Status != "completed" || events[2].OperationID != "run-1" {
		t.Errorf("events = %+v", events)
	}
}

func TestRunStartAndWaitFailed(t *testing.T) {
	noLeaks(t)
	s := newServer(t, sequence(
		reply(201, `{"status":"pending","runId":"run-2"}`),
		reply(200, `{"status":"failed","runId":"run-2","statusCode":502,"error":"api_error","message":"The page did not load"}`),
	))
	_, err := sdk.ProjectRunStartAndWait(context.Background(), newClient(t, s), "my-project", runReq, quick)
	var failed *sdk.OperationFailedError
	var oe *sdk.OperationError
	if !errors.As(err, &failed) || failed.Code != "api_error" || failed.Message != "The page did not load" || failed.StatusCode != 502 || failed.OperationID != "run-2" {
		t.Fatalf("err = %#v, want an *OperationFailedError with the failure", err)
	}
	if !errors.As(err, &oe) || oe.OperationID != "run-2" || oe.ProjectName != "my-project" {
		t.Errorf("err = %v, want it wrapped in an *OperationError naming the run", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "run-2") || !strings.Contains(msg, "status code 502") {
		t.Errorf("Error() = %q", msg)
	}
}

func TestRunStartAndWaitUnknownStatus(t *testing.T) {
	noLeaks(t)
	s := newServer(t, sequence(
		reply(201, `{"status":"pending","runId":"run-3"}`),
		reply(200, `{"status":"archived","runId":"run-3"}`),
	))
	_, err := newClient(t, s).Project.Run.StartAndWait(context.Background(), "p", runReq, quick)
	var unknown *sdk.UnknownStatusError
	if !errors.As(err, &unknown) || unknown.Status != "archived" || !strings.Contains(string(unknown.Raw), "run-3") {
		t.Errorf("err = %v, want an *UnknownStatusError", err)
	}
}

// The start is not idempotent: a 502 is not retried (the run may have
// begun); a 503 is (the server refused it).
func TestRunStartAndWaitRidesOutOnlyWhatIsSafe(t *testing.T) {
	noLeaks(t)
	s := newServer(t, sequence(reply(502, `{}`), reply(201, `{"status":"pending","runId":"r"}`)))
	if _, err := newClient(t, s).Project.Run.StartAndWait(context.Background(), "p", runReq, quick); err == nil || s.count() != 1 {
		t.Errorf("502 on start: err = %v after %d requests, want the error after 1", err, s.count())
	}
	s = newServer(t, sequence(reply(503, `{}`),
		reply(201, `{"status":"pending","runId":"r"}`),
		reply(500, `{}`), // a poll is a read: ridden out
		reply(200, `{"status":"completed","runId":"r","statusCode":200}`)))
	done, err := newClient(t, s).Project.Run.StartAndWait(context.Background(), "p", runReq, quick)
	if err != nil || s.count() != 4 {
		t.Fatalf("err = %v after %d requests", err, s.count())
	}
	if err := done.DecodeResult(&struct{}{}); err == nil || !strings.Contains(err.Error(), "without a result") {
		t.Errorf("DecodeResult without a result: %v", err)
	}
}

// A run started elsewhere is picked up by its ID; Poll reads it once.
func TestRunOperationByID(t *testing.T) {
	noLeaks(t)
	s := newServer(t, sequence(
		reply(200, `{"status":"pending","runId":"run-9"}`),
		reply(200, `{"status":"completed","runId":"run-9","statusCode":201,"result":[1,2]}`),
	))
	c := newClient(t, s)
	op := c.Project.Run.Operation("my-project", "run-9")
	if op.ID() != "run-9" {
		t.Errorf("ID = %q", op.ID())
	}
	state, _, err := op.Poll(context.Background())
	if _, ok := state.(sdk.RunPending); err != nil || !ok {
		t.Fatalf("Poll = %#v, %v", state, err)
	}
	state, err = sdk.ProjectRunOperation(c, "my-project", "run-9").Wait(context.Background(), quick)
	if done, ok := state.(sdk.RunCompleted); err != nil || !ok || string(done.Result) != "[1,2]" || done.StatusCode != 201 {
		t.Errorf("Wait = %#v, %v", state, err)
	}
	if _, err := c.Project.Run.Operation("p", "").Wait(context.Background()); !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Errorf("empty run ID: %v", err)
	}
}

// The context is the wait's only deadline, and cancelling it ends the wait
// at once, with the run ID in the error.
func TestRunStartAndWaitContext(t *testing.T) {
	noLeaks(t)
	s := newServer(t, sequence(reply(201, `{"status":"pending","runId":"run-5"}`), reply(200, `{"status":"pending","runId":"run-5"}`)))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := newClient(t, s).Project.Run.StartAndWait(ctx, "p", runReq, quick)
	var oe *sdk.OperationError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &oe) || oe.OperationID != "run-5" {
		t.Errorf("err = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("the wait outlived its context by %v", time.Since(start))
	}
}

func TestQueueItemAppendAndWait(t *testing.T) {
	noLeaks(t)
	s := newServer(t, sequence(
		reply(201, `{"runId":"item-1","status":"queued"}`),
		reply(200, `{"status":"queued","runId":"item-1"}`),
		reply(200, `{"status":"pending","runId":"item-1"}`),
		reply(200, `{"status":"completed","runId":"item-1","statusCode":200,"result":"ok"}`),
	))
	done, err := newClient(t, s).Project.Queues.Items.AppendAndWait(context.Background(), "my-project", "q 1", sdk.QueueItemAppendRequest{APIName: "scrape"}, quick)
	if err != nil {
		t.Fatal(err)
	}
	var text string
	if err := done.DecodeResult(&text); err != nil || text != "ok" || done.RunID != "item-1" {
		t.Errorf("AppendAndWait = %+v (%q, %v)", done, text, err)
	}
	reqs := s.requests()
	if len(reqs) != 4 || reqs[0].Path != "/api/v1/workspace/ws-123/projects/my-project/queues/q%201/items" ||
		reqs[3].Path != "/api/v1/workspace/ws-123/projects/my-project/queues/q%201/items/item-1" || string(reqs[0].Body) != `{"apiName":"scrape"}` {
		t.Errorf("requests = %+v", reqs)
	}
}

func TestQueueItemAppendAndWaitFailed(t *testing.T) {
	noLeaks(t)
	errObject := `{"code":"api_error","message":"The page did not load","attempts":3}`
	s := newServer(t, sequence(
		reply(201, `{"runId":"item-2","status":"queued"}`),
		reply(200, `{"status":"failed","runId":"item-2","statusCode":500,"error":`+errObject+`}`),
	))
	_, err := sdk.ProjectQueuesItemsAppendAndWait(context.Background(), newClient(t, s), "p", "q", sdk.QueueItemAppendRequest{APIName: "scrape"}, quick)
	var failed *sdk.OperationFailedError
	if !errors.As(err, &failed) || failed.Code != "api_error" || failed.Message != "The page did not load" || failed.StatusCode != 500 || string(failed.Details) != errObject {
		t.Fatalf("err = %#v", err)
	}
	var details struct{ Attempts int }
	if json.Unmarshal(failed.Details, &details) != nil || details.Attempts != 3 {
		t.Errorf("details = %s", failed.Details)
	}
	// An error object without code and message is shown whole.
	s = newServer(t, sequence(
		reply(201, `{"runId":"item-3","status":"queued"}`),
		reply(200, `{"status":"failed","runId":"item-3","statusCode":500,"error":{"reason":"timeout"}}`),
	))
	_, err = newClient(t, s).Project.Queues.Items.AppendAndWait(context.Background(), "p", "q", sdk.QueueItemAppendRequest{APIName: "scrape"}, quick)
	if !errors.As(err, &failed) || !strings.Contains(err.Error(), `{"reason":"timeout"}`) {
		t.Errorf("err = %v", err)
	}
}

func TestQueueItemOperationByID(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(200, `{"status":"completed","runId":"item-7","statusCode":200}`))
	op := newClient(t, s).Project.Queues.Items.Operation("p", "q", "item-7")
	state, err := op.Wait(context.Background(), quick)
	if _, ok := state.(sdk.QueueItemCompleted); err != nil || !ok || op.ID() != "item-7" {
		t.Errorf("Wait = %#v, %v", state, err)
	}
	if p := s.requests()[0].Path; p != "/api/v1/workspace/ws-123/projects/p/queues/q/items/item-7" {
		t.Errorf("path = %s", p)
	}
}

// The Options among StartAndWait's options apply to every call,
// the start included, for runs, queue items and extractions.
func TestStartAndWaitSendsItsOptionsOnEveryCall(t *testing.T) {
	noLeaks(t)
	hdr := sdk.WithHeader("X-Trace-Id", "t-1")
	check := func(t *testing.T, s *server, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		reqs := s.requests()
		if len(reqs) < 2 {
			t.Fatalf("%d requests", len(reqs))
		}
		for i, r := range reqs {
			if got := r.Header.Get("X-Trace-Id"); got != "t-1" {
				t.Errorf("request %d (%s %s): X-Trace-Id = %q, want t-1", i, r.Method, r.Path, got)
			}
		}
	}
	t.Run("run", func(t *testing.T) {
		s := newServer(t, sequence(reply(201, `{"status":"pending","runId":"r"}`), reply(200, `{"status":"completed","runId":"r","statusCode":200}`)))
		_, err := newClient(t, s).Project.Run.StartAndWait(context.Background(), "p", runReq, quick, hdr)
		check(t, s, err)
	})
	t.Run("queue item", func(t *testing.T) {
		s := newServer(t, sequence(reply(201, `{"runId":"i","status":"queued"}`), reply(200, `{"status":"completed","runId":"i","statusCode":200}`)))
		_, err := newClient(t, s).Project.Queues.Items.AppendAndWait(context.Background(), "p", "q", sdk.QueueItemAppendRequest{APIName: "a"}, quick, hdr)
		check(t, s, err)
	})
	for _, k := range extractionKinds {
		t.Run(k.name, func(t *testing.T) {
			s := newServer(t, sequence(reply(201, `{"operationId":"ext-1","status":"pending"}`), reply(200, k.completed)))
			_, err := k.startAndWait(context.Background(), newClient(t, s), true, quick, hdr)
			check(t, s, err)
		})
	}
}
