package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// quick polls every few milliseconds.
var quick = sdk.WithPolling(sdk.PollConfig{InitialDelay: 2 * time.Millisecond, MaxDelay: 5 * time.Millisecond})

// answers replies to each info request from a table, keyed by request type,
// and records what it was asked.
type answers struct {
	mu    sync.Mutex
	by    map[sdk.InfoRequestType]string
	asked []sdk.InfoRequest
}

func (a *answers) handle(ctx context.Context, req sdk.InfoRequest) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.asked = append(a.asked, req)
	return a.by[req.Request.Details.RequestType()], nil
}

func updateReq(id string) sdk.AuthSessionUpdateRequest {
	return sdk.AuthSessionUpdateRequest{ID: id, Parameters: sdk.ParametersObject{"username": "me", "password": "pw"}}
}

func TestStartAndWaitOTPThenDone(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	srv.Script("s1", intunedtest.Pending(2), intunedtest.OTP("Enter the code", "123456"), intunedtest.Pending(1), intunedtest.Done(""))
	a := &answers{by: map[sdk.InfoRequestType]string{sdk.InfoRequestTypeOTP: "123456"}}
	id, err := srv.Client().Project.AuthSessions.Update.StartAndWait(context.Background(), "p", updateReq("s1"), a.handle, quick)
	if err != nil {
		t.Fatal(err)
	}
	if id != "s1" {
		t.Errorf("auth session ID = %q", id)
	}
	if len(a.asked) != 1 || a.asked[0].Message() != "Enter the code" || a.asked[0].Ask != 1 || a.asked[0].Rejected != nil {
		t.Errorf("handler asked %+v", a.asked)
	}
	ops := 0
	for _, r := range srv.Requests() {
		if r.Operation == intunedtest.ProjectAuthSessionsUpdateResume {
			ops++
			if !strings.Contains(string(r.Body), `"input":"123456"`) || !strings.Contains(string(r.Body), `"info_request_id":"`+a.asked[0].Request.ID+`"`) {
				t.Errorf("resume body %s", r.Body)
			}
		}
	}
	if ops != 1 {
		t.Errorf("%d resumes, want 1", ops)
	}
}

func TestStartAndWaitMultipleChoiceThenDone(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	srv.Script("s2", intunedtest.Choice("Where should we send the code?", []string{"email", "sms"}, "sms"), intunedtest.Done("new-id"))
	a := &answers{by: map[sdk.InfoRequestType]string{sdk.InfoRequestTypeMultipleChoice: "sms"}}
	id, err := sdk.ProjectAuthSessionsUpdateStartAndWait(context.Background(), srv.Client(), "p", updateReq("s2"), a.handle, quick)
	if err != nil {
		t.Fatal(err)
	}
	if id != "new-id" || len(a.asked) != 1 || strings.Join(a.asked[0].Choices(), "|") != "email|sms" {
		t.Errorf("id %q, asked %+v", id, a.asked)
	}
}

func TestStartAndWaitTwoInfoRequestsInARow(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	srv.Script("s3", intunedtest.Choice("Where?", []string{"email", "sms"}, ""), intunedtest.OTP("Code?", "42"), intunedtest.Done(""))
	a := &answers{by: map[sdk.InfoRequestType]string{sdk.InfoRequestTypeMultipleChoice: "email", sdk.InfoRequestTypeOTP: "42"}}
	id, err := srv.Client().Project.AuthSessions.Update.StartAndWait(context.Background(), "p", updateReq("s3"), a.handle, quick)
	if err != nil {
		t.Fatal(err)
	}
	if id != "s3" || len(a.asked) != 2 || a.asked[0].Request.ID == a.asked[1].Request.ID {
		t.Errorf("id %q, asked %+v", id, a.asked)
	}
}

func TestStartAndWaitFailed(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	srv.Script("s4", intunedtest.Pending(1), intunedtest.Fail("login_failed", "Wrong password"))
	_, err := srv.Client().Project.AuthSessions.Update.StartAndWait(context.Background(), "p", updateReq("s4"), (&answers{}).handle, quick)
	var failed *sdk.OperationFailedError
	if !errors.As(err, &failed) || failed.Code != "login_failed" || failed.Message != "Wrong password" {
		t.Fatalf("err = %v, want *OperationFailedError", err)
	}
	var opErr *sdk.OperationError
	if !errors.As(err, &opErr) || opErr.OperationID == "" || opErr.ProjectName != "p" || failed.OperationID != opErr.OperationID {
		t.Fatalf("err = %#v, want it to name the operation", err)
	}
	if !strings.Contains(err.Error(), "Wrong password") {
		t.Errorf("Error() = %q", err)
	}
}

func TestWaitUnknownStatusStops(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	op := srv.AddOperation("p", "s", intunedtest.Pending(1), intunedtest.Raw(`{"status":"paused","until":"later"}`), intunedtest.Done(""))
	_, err := srv.Client().Project.AuthSessions.Update.Operation("p", op).Wait(context.Background(), quick)
	var unknown *sdk.UnknownStatusError
	if !errors.As(err, &unknown) || unknown.Status != "paused" || !strings.Contains(string(unknown.Raw), "later") {
		t.Fatalf("err = %v, want *UnknownStatusError", err)
	}
	if polls, _, _ := srv.OperationStats(op); polls != 2 {
		t.Errorf("%d polls, want 2", polls)
	}
}

func TestWaitHandlerError(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	srv.Script("s5", intunedtest.OTP("Code?", ""), intunedtest.Done(""))
	refused := errors.New("the user walked away")
	_, err := srv.Client().Project.AuthSessions.Update.StartAndWait(context.Background(), "p", updateReq("s5"),
		func(context.Context, sdk.InfoRequest) (string, error) {
			return "", refused
		}, quick)
	if !errors.Is(err, refused) {
		t.Fatalf("err = %v, want the handler's error", err)
	}
	for _, r := range srv.Requests() {
		if r.Operation == intunedtest.ProjectAuthSessionsUpdateResume {
			t.Error("resumed after the handler failed")
		}
	}
}

func TestStartAndWaitNilHandler(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	_, err := srv.Client().Project.AuthSessions.Update.StartAndWait(context.Background(), "p", updateReq("s"), nil)
	if !errors.Is(err, sdk.ErrInvalidArgument) || len(srv.Requests()) != 0 {
		t.Fatalf("err = %v, %d requests", err, len(srv.Requests()))
	}
}

// Without a handler, Wait hands the info request to the caller, who answers
// it (perhaps much later, from another process) and waits again.
func TestWaitWithoutHandlerReturnsTheRequest(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	c := srv.Client()
	started, err := c.Project.AuthSessions.Update.Start(context.Background(), "p", updateReq("s6"))
	if err != nil {
		t.Fatal(err)
	}
	srv.Script("unused") // scripts apply to operations started later only
	op := c.Project.AuthSessions.Update.Operation("p", started.OperationID)
	if op.ID() != started.OperationID || op.ProjectName() != "p" {
		t.Fatalf("handle %s/%s", op.ProjectName(), op.ID())
	}
	res, err := op.Wait(context.Background(), quick)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.(sdk.AuthSessionOperationDone); !ok {
		t.Fatalf("default script: got %#v", res)
	}

	opID := srv.AddOperation("p", "s7", intunedtest.OTP("Code?", "9"), intunedtest.Done(""))
	// Another process picks the operation up by its ID.
	other := srv.Client().Project.AuthSessions.Update.Operation("p", opID)
	res, err = other.Wait(context.Background(), quick)
	if err != nil {
		t.Fatal(err)
	}
	req, ok := res.(sdk.AuthSessionOperationRequestedMoreInfo)
	if !ok {
		t.Fatalf("got %#v, want the info request", res)
	}
	if err := other.Resume(context.Background(), req, "9"); err != nil {
		t.Fatal(err)
	}
	// The same request is never answered twice by a handle.
	if err := other.Resume(context.Background(), req, "9"); !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Fatalf("second answer: err = %v", err)
	}
	res, err = other.Wait(context.Background(), quick)
	if err != nil {
		t.Fatal(err)
	}
	if done, ok := res.(sdk.AuthSessionOperationDone); !ok || done.AuthSessionID != "s7" {
		t.Fatalf("got %#v", res)
	}
	if _, resumes, _ := srv.OperationStats(opID); resumes != 1 {
		t.Errorf("%d resumes", resumes)
	}
}

// A server slow to take the answer up keeps showing the answered request;
// the waiter polls on and does not answer again.
func TestWaitAnswersEachRequestOnce(t *testing.T) {
	noLeaks(t)
	var mu sync.Mutex
	resumes, polls := 0, 0
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		mu.Lock()
		defer mu.Unlock()
		if r.Method == "POST" {
			resumes++
			reply(202, resumeOK)(w, r, n)
			return
		}
		polls++
		if polls <= 4 {
			reply(200, `{"status":"requested_more_info","id":"i1","details":{"requestType":"otp","action":"request_more_info","messageToUser":"Code?"}}`)(w, r, n)
			return
		}
		reply(200, `{"status":"done","authSessionId":"s"}`)(w, r, n)
	})
	a := &answers{by: map[sdk.InfoRequestType]string{sdk.InfoRequestTypeOTP: "1"}}
	res, err := newClient(t, s).Project.AuthSessions.Update.Operation("p", "o").Wait(context.Background(), quick, sdk.WithInfoHandler(a.handle))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.(sdk.AuthSessionOperationDone); !ok || resumes != 1 || len(a.asked) != 1 || polls != 5 {
		t.Errorf("result %#v; %d resumes, %d questions, %d polls", res, resumes, len(a.asked), polls)
	}
}

func TestWaitCancelDuringPollDelay(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	op := srv.AddOperation("p", "s", intunedtest.Pending(1000))
	ctx, cancel := context.WithCancel(context.Background())
	var cancelled time.Time
	progress := sdk.WithProgress(func(e sdk.WaitEvent) {
		if e.Kind == sdk.WaitEventKindPolled && e.Polls == 2 {
			cancelled = time.Now()
			time.AfterFunc(10*time.Millisecond, cancel) // inside the 10s delay that follows
		}
	})
	_, err := srv.Client().Project.AuthSessions.Update.Operation("p", op).Wait(ctx, progress,
		sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Millisecond, Multiplier: 10000, MaxDelay: 10 * time.Second}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(cancelled) - 10*time.Millisecond; d > 50*time.Millisecond {
		t.Errorf("Wait returned %v after the cancel", d)
	}
}

func TestWaitContextDeadline(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	op := srv.AddOperation("p", "s", intunedtest.Pending(1000))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := srv.Client().Project.AuthSessions.Update.Operation("p", op).Wait(ctx, quick)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

// A 429 with Retry-After while polling is honoured, though the client's
// retries are off.
func TestWaitHonoursRetryAfter(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	op := srv.AddOperation("p", "s", intunedtest.Pending(1), intunedtest.Done(""))
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateResult, 1, intunedtest.Fault{Status: 429, RetryAfter: "1", Body: `{"message":"slow down"}`, ContentType: "application/json"})
	var events []sdk.WaitEvent
	begin := time.Now()
	res, err := srv.Client().Project.AuthSessions.Update.Operation("p", op).Wait(context.Background(), quick,
		sdk.WithProgress(func(e sdk.WaitEvent) { events = append(events, e) }))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(begin); d < 900*time.Millisecond || d > 5*time.Second {
		t.Errorf("took %v, want about the second Retry-After asked for", d)
	}
	if _, ok := res.(sdk.AuthSessionOperationDone); !ok {
		t.Fatalf("got %#v", res)
	}
	if events[0].Kind != sdk.WaitEventKindRetrying || events[0].Delay != time.Second {
		t.Errorf("first event %+v, want retrying after 1s", events[0])
	}
	var se *sdk.SDKError
	if !errors.As(events[0].Err, &se) || se.Code != 429 {
		t.Errorf("retrying event error %v", events[0].Err)
	}
}

// A Retry-After on a pending answer also sets the next poll's delay.
func TestWaitHonoursRetryAfterOnPending(t *testing.T) {
	noLeaks(t)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			reply(200, `{"status":"pending"}`)(w, r, n)
			return
		}
		reply(200, `{"status":"done","authSessionId":"s"}`)(w, r, n)
	})
	begin := time.Now()
	if _, err := newClient(t, s).Project.AuthSessions.Update.Operation("p", "o").Wait(context.Background(), quick); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(begin); d < 900*time.Millisecond {
		t.Errorf("took %v, want about a second", d)
	}
}

func TestWaitTransientErrors(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	op := srv.AddOperation("p", "s", intunedtest.Done(""))
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateResult, 1, intunedtest.Fault{Status: 503})
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateResult, 1, intunedtest.Fault{Drop: true})
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateResult, 1, intunedtest.Fault{Status: 500, ContentType: "text/html", Body: "<h1>oops</h1>"})
	res, err := srv.Client().Project.AuthSessions.Update.Operation("p", op).Wait(context.Background(), quick)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.(sdk.AuthSessionOperationDone); !ok {
		t.Fatalf("got %#v", res)
	}

	// More failures in a row than allowed: the last one is returned.
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateResult, 4, intunedtest.Fault{Status: 502})
	_, err = srv.Client().Project.AuthSessions.Update.Operation("p", op).Wait(context.Background(),
		sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Millisecond, MaxTransientErrors: 3}))
	var se *sdk.SDKError
	if !errors.As(err, &se) || se.Code != 502 {
		t.Fatalf("err = %v, want the 502", err)
	}

	// A 4xx other than 429 is not transient.
	srv.Reset()
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateResult, 1, intunedtest.Fault{Status: 404})
	_, err = srv.Client().Project.AuthSessions.Update.Operation("p", op).Wait(context.Background(), quick)
	if !errors.As(err, &se) || se.Code != 404 || len(srv.Requests()) != 1 {
		t.Fatalf("err = %v after %d requests, want the 404 at once", err, len(srv.Requests()))
	}
}

func TestWaitProgressAndBackoff(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	srv.Script("s8", intunedtest.Pending(5), intunedtest.OTP("Code?", ""), intunedtest.Pending(1), intunedtest.Done(""))
	var events []sdk.WaitEvent
	_, err := srv.Client().Project.AuthSessions.Update.StartAndWait(context.Background(), "p", updateReq("s8"),
		func(context.Context, sdk.InfoRequest) (string, error) { return "1", nil },
		sdk.WithPolling(sdk.PollConfig{InitialDelay: 4 * time.Millisecond, Multiplier: 2, MaxDelay: 16 * time.Millisecond}),
		sdk.WithProgress(func(e sdk.WaitEvent) { events = append(events, e) }))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var delays []time.Duration
	for _, e := range events {
		s := e.Kind.String()
		if e.Status != "" {
			s += ":" + e.Status
			if st, ok := e.State.(sdk.AuthSessionOperationResult); !ok || string(st.Status()) != e.Status {
				t.Errorf("event %+v: State does not match Status", e)
			}
		}
		got = append(got, s)
		if e.Kind == sdk.WaitEventKindPolled && e.Delay > 0 {
			delays = append(delays, e.Delay)
		}
	}
	want := "started polled:pending polled:pending polled:pending polled:pending polled:pending polled:requested_more_info answered:requested_more_info polled:pending polled:done"
	if strings.Join(got, " ") != want {
		t.Errorf("events:\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	ms := time.Millisecond
	wantDelays := []time.Duration{4 * ms, 8 * ms, 16 * ms, 16 * ms, 16 * ms, 4 * ms} // back to the start after the answer
	if len(delays) != len(wantDelays) {
		t.Fatalf("delays %v, want %v", delays, wantDelays)
	}
	for i := range delays {
		if delays[i] != wantDelays[i] {
			t.Errorf("delays %v, want %v", delays, wantDelays)
			break
		}
	}
	if last := events[len(events)-1]; last.Polls != 8 || last.OperationID == "" {
		t.Errorf("last event %+v", last)
	}
}

// A wait refuses bad wait options before it sends anything.
func TestWaitInvalidPollConfig(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(500, `{}`))
	c := newClient(t, s)
	ctx := context.Background()
	bad := []sdk.Option{sdk.WithInfoRequestAsks(0), sdk.WithInfoRequestAsks(-1), sdk.WithServerURL("relative")}
	for _, p := range []sdk.PollConfig{{InitialDelay: -1}, {MaxDelay: -1}, {Multiplier: 0.5}, {MaxTransientErrors: -1}} {
		bad = append(bad, sdk.WithPolling(p))
	}
	for i, o := range bad {
		if _, err := c.Project.AuthSessions.Update.Operation("p", "o").Wait(ctx, o); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("option %d: Wait: err = %v", i, err)
		}
		if _, err := c.Project.AuthSessions.Update.StartAndWait(ctx, "p", updateReq("s"), (&answers{}).handle, o); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("option %d: StartAndWait: err = %v", i, err)
		}
	}
	if s.count() != 0 {
		t.Errorf("%d requests sent", s.count())
	}
}

// requestsOf counts the requests the fake received for operation.
func requestsOf(srv *intunedtest.Server, operation string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Operation == operation {
			n++
		}
	}
	return n
}

// StartAndWait sends the start again, even with the client's retries off,
// when the server refused it (429, 503), but not after a 502, which it may
// have acted on.
func TestStartAndWaitRidesOutRefusedStarts(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	for _, code := range []int{429, 503} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s"))
			defer srv.Close()
			srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateStart, 2, intunedtest.Fault{Status: code})
			var retrying int
			id, err := srv.Client().Project.AuthSessions.Update.StartAndWait(ctx, "p", updateReq("s"), (&answers{}).handle, quick,
				sdk.WithProgress(func(e sdk.WaitEvent) {
					if e.Kind == sdk.WaitEventKindRetrying {
						retrying++
					}
				}))
			if err != nil || id != "s" {
				t.Fatalf("StartAndWait = %q, %v", id, err)
			}
			if n := requestsOf(srv, intunedtest.ProjectAuthSessionsUpdateStart); n != 3 || retrying != 2 {
				t.Errorf("%d starts sent, %d retrying events; want 3 and 2", n, retrying)
			}
		})
	}
	t.Run("502", func(t *testing.T) {
		srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s"))
		defer srv.Close()
		srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateStart, 1, intunedtest.Fault{Status: 502})
		_, err := srv.Client().Project.AuthSessions.Update.StartAndWait(ctx, "p", updateReq("s"), (&answers{}).handle, quick)
		wantStatus(t, err, 502)
		var opErr *sdk.OperationError
		if errors.As(err, &opErr) {
			t.Errorf("err = %v names an operation, but none started", err)
		}
		if n := requestsOf(srv, intunedtest.ProjectAuthSessionsUpdateStart); n != 1 {
			t.Errorf("%d starts sent, want 1", n)
		}
	})
}

// A resume the server refused (503) is sent again; one it may have acted on
// (502) is not.
func TestStartAndWaitRidesOutRefusedResumes(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s2"))
	defer srv.Close()
	srv.Script("s", intunedtest.OTP("Code?", "42"), intunedtest.Done(""))
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateResume, 1, intunedtest.Fault{Status: 503})
	a := &answers{by: map[sdk.InfoRequestType]string{sdk.InfoRequestTypeOTP: "42"}}
	id, err := srv.Client().Project.AuthSessions.Update.StartAndWait(ctx, "p", updateReq("s"), a.handle, quick)
	if err != nil || id != "s" {
		t.Fatalf("StartAndWait = %q, %v", id, err)
	}
	if n := requestsOf(srv, intunedtest.ProjectAuthSessionsUpdateResume); n != 2 || len(a.asked) != 1 {
		t.Errorf("%d resumes sent, handler asked %d times; want 2 and 1", n, len(a.asked))
	}

	srv.Reset()
	srv.Script("s2", intunedtest.OTP("Code?", "42"), intunedtest.Done(""))
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateResume, 1, intunedtest.Fault{Status: 502})
	_, err = srv.Client().Project.AuthSessions.Update.StartAndWait(ctx, "p", updateReq("s2"), a.handle, quick)
	var opErr *sdk.OperationError
	if !errors.As(err, &opErr) || opErr.OperationID == "" {
		t.Fatalf("err = %v, want an *OperationError", err)
	}
	wantStatus(t, err, 502)
	if n := requestsOf(srv, intunedtest.ProjectAuthSessionsUpdateResume); n != 1 {
		t.Errorf("%d resumes sent, want 1", n)
	}
}

// An answer the API rejects (400) is asked for again, with the rejection,
// up to DefaultInfoRequestAsks times (WithInfoRequestAsks), after which the
// rejection is returned.
func TestStartAndWaitAsksAgainAfterARejectedAnswer(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s1", "s2", "s3"))
	defer srv.Close()
	var asks []sdk.InfoRequest
	answer := func(wrong int) sdk.InfoRequestHandler {
		return func(_ context.Context, req sdk.InfoRequest) (string, error) {
			asks = append(asks, req)
			if req.Ask <= wrong {
				return "wrong", nil
			}
			return "42", nil
		}
	}
	checkAsks := func(t *testing.T, n int) {
		t.Helper()
		if len(asks) != n {
			t.Fatalf("handler asked %d times, want %d", len(asks), n)
		}
		for i, a := range asks {
			var bad *sdk.APIErrorInvalidInput
			if a.Ask != i+1 || a.Request.ID != asks[0].Request.ID || a.Message() != "Code?" {
				t.Errorf("ask %d: %+v", i+1, a)
			}
			if i == 0 && a.Rejected != nil || i > 0 && !errors.As(a.Rejected, &bad) {
				t.Errorf("ask %d: Rejected = %v", i+1, a.Rejected)
			}
		}
	}

	t.Run("right at the second ask", func(t *testing.T) {
		asks = nil
		srv.Script("s1", intunedtest.OTP("Code?", "42"), intunedtest.Done(""))
		id, err := srv.Client().Project.AuthSessions.Update.StartAndWait(ctx, "p", updateReq("s1"), answer(1), quick)
		if err != nil || id != "s1" {
			t.Fatalf("StartAndWait = %q, %v", id, err)
		}
		checkAsks(t, 2)
	})
	t.Run("always wrong", func(t *testing.T) {
		asks = nil
		srv.Reset()
		srv.Script("s2", intunedtest.OTP("Code?", "42"), intunedtest.Done(""))
		_, err := srv.Client().Project.AuthSessions.Update.StartAndWait(ctx, "p", updateReq("s2"), answer(1000), quick)
		var bad *sdk.APIErrorInvalidInput
		var opErr *sdk.OperationError
		if !errors.As(err, &bad) || !errors.As(err, &opErr) {
			t.Fatalf("err = %v, want the rejection in an *OperationError", err)
		}
		checkAsks(t, sdk.DefaultInfoRequestAsks)
		if n := requestsOf(srv, intunedtest.ProjectAuthSessionsUpdateResume); n != sdk.DefaultInfoRequestAsks {
			t.Errorf("%d resumes sent, want %d", n, sdk.DefaultInfoRequestAsks)
		}
	})
	t.Run("one ask", func(t *testing.T) {
		asks = nil
		srv.Reset()
		srv.Script("s3", intunedtest.OTP("Code?", "42"), intunedtest.Done(""))
		_, err := srv.Client().Project.AuthSessions.Update.StartAndWait(ctx, "p", updateReq("s3"), answer(1), quick, sdk.WithInfoRequestAsks(1))
		var bad *sdk.APIErrorInvalidInput
		if !errors.As(err, &bad) {
			t.Fatalf("err = %v, want the rejection", err)
		}
		checkAsks(t, 1)
		if n := requestsOf(srv, intunedtest.ProjectAuthSessionsUpdateResume); n != 1 {
			t.Errorf("%d resumes sent, want 1", n)
		}
	})
}
