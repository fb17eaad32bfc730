package sdk_test

import (
	"context"
	"errors"
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
	asked []sdk.AuthSessionCreateResultRequestedMoreInfo
}

func (a *answers) handle(ctx context.Context, req sdk.AuthSessionCreateResultRequestedMoreInfo) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.asked = append(a.asked, req)
	return a.by[req.Details.RequestType], nil
}

func updateReq(id string) sdk.UpdateAuthSessionRequest {
	return sdk.UpdateAuthSessionRequest{ID: id, Parameters: sdk.ParametersObject{"username": "me", "password": "pw"}}
}

func TestStartAndWaitOTPThenDone(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	srv.Script("s1", intunedtest.Pending(2), intunedtest.OTP("Enter the code", "123456"), intunedtest.Pending(1), intunedtest.Done(""))
	a := &answers{by: map[sdk.InfoRequestType]string{sdk.InfoRequestOTP: "123456"}}
	id, err := srv.Client().Project.AuthSessions.Update.StartAndWait(context.Background(), "p", updateReq("s1"), a.handle, quick)
	if err != nil {
		t.Fatal(err)
	}
	if id != "s1" {
		t.Errorf("auth session ID = %q", id)
	}
	if len(a.asked) != 1 || a.asked[0].Details.MessageToUser != "Enter the code" {
		t.Errorf("handler asked %+v", a.asked)
	}
	ops := 0
	for _, r := range srv.Requests() {
		if r.Operation == intunedtest.UpdateResume {
			ops++
			if !strings.Contains(string(r.Body), `"input":"123456"`) || !strings.Contains(string(r.Body), `"info_request_id":"`+a.asked[0].ID+`"`) {
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
	a := &answers{by: map[sdk.InfoRequestType]string{sdk.InfoRequestMultipleChoice: "sms"}}
	id, err := sdk.ProjectAuthSessionsUpdateStartAndWait(context.Background(), srv.Client(), "p", updateReq("s2"), a.handle, quick)
	if err != nil {
		t.Fatal(err)
	}
	if id != "new-id" || len(a.asked) != 1 || strings.Join(a.asked[0].Details.Choices, "|") != "email|sms" {
		t.Errorf("id %q, asked %+v", id, a.asked)
	}
}

func TestStartAndWaitTwoInfoRequestsInARow(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"))
	defer srv.Close()
	srv.Script("s3", intunedtest.Choice("Where?", []string{"email", "sms"}, ""), intunedtest.OTP("Code?", "42"), intunedtest.Done(""))
	a := &answers{by: map[sdk.InfoRequestType]string{sdk.InfoRequestMultipleChoice: "email", sdk.InfoRequestOTP: "42"}}
	id, err := srv.Client().Project.AuthSessions.Update.StartAndWait(context.Background(), "p", updateReq("s3"), a.handle, quick)
	if err != nil {
		t.Fatal(err)
	}
	if id != "s3" || len(a.asked) != 2 || a.asked[0].ID == a.asked[1].ID {
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
		func(context.Context, sdk.AuthSessionCreateResultRequestedMoreInfo) (string, error) {
			return "", refused
		}, quick)
	if !errors.Is(err, refused) {
		t.Fatalf("err = %v, want the handler's error", err)
	}
	for _, r := range srv.Requests() {
		if r.Operation == intunedtest.UpdateResume {
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
	if _, ok := res.(sdk.AuthSessionCreateResultDone); !ok {
		t.Fatalf("default script: got %#v", res)
	}

	opID := srv.AddOperation("p", "s7", intunedtest.OTP("Code?", "9"), intunedtest.Done(""))
	// Another process picks the operation up by its ID.
	other := srv.Client().Project.AuthSessions.Update.Operation("p", opID)
	res, err = other.Wait(context.Background(), quick)
	if err != nil {
		t.Fatal(err)
	}
	req, ok := res.(sdk.AuthSessionCreateResultRequestedMoreInfo)
	if !ok {
		t.Fatalf("got %#v, want the info request", res)
	}
	if err := other.Resume(context.Background(), req.ID, "9"); err != nil {
		t.Fatal(err)
	}
	// The same request is never answered twice by a handle.
	if err := other.Resume(context.Background(), req.ID, "9"); !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Fatalf("second answer: err = %v", err)
	}
	res, err = other.Wait(context.Background(), quick)
	if err != nil {
		t.Fatal(err)
	}
	if done, ok := res.(sdk.AuthSessionCreateResultDone); !ok || done.AuthSessionID != "s7" {
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
	a := &answers{by: map[sdk.InfoRequestType]string{sdk.InfoRequestOTP: "1"}}
	res, err := newClient(t, s).Project.AuthSessions.Update.Operation("p", "o").Wait(context.Background(), quick, sdk.WithInfoHandler(a.handle))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.(sdk.AuthSessionCreateResultDone); !ok || resumes != 1 || len(a.asked) != 1 || polls != 5 {
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
		if e.Kind == sdk.WaitPolled && e.Polls == 2 {
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
	srv.InjectFault(intunedtest.UpdateResult, 1, intunedtest.Fault{Status: 429, RetryAfter: "1", Body: `{"message":"slow down"}`, ContentType: "application/json"})
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
	if _, ok := res.(sdk.AuthSessionCreateResultDone); !ok {
		t.Fatalf("got %#v", res)
	}
	if events[0].Kind != sdk.WaitRetrying || events[0].Delay != time.Second {
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
	srv.InjectFault(intunedtest.UpdateResult, 1, intunedtest.Fault{Status: 503})
	srv.InjectFault(intunedtest.UpdateResult, 1, intunedtest.Fault{Drop: true})
	srv.InjectFault(intunedtest.UpdateResult, 1, intunedtest.Fault{Status: 500, ContentType: "text/html", Body: "<h1>oops</h1>"})
	res, err := srv.Client().Project.AuthSessions.Update.Operation("p", op).Wait(context.Background(), quick)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.(sdk.AuthSessionCreateResultDone); !ok {
		t.Fatalf("got %#v", res)
	}

	// More failures in a row than allowed: the last one is returned.
	srv.InjectFault(intunedtest.UpdateResult, 4, intunedtest.Fault{Status: 502})
	_, err = srv.Client().Project.AuthSessions.Update.Operation("p", op).Wait(context.Background(),
		sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Millisecond, MaxTransientErrors: 3}))
	var se *sdk.SDKError
	if !errors.As(err, &se) || se.Code != 502 {
		t.Fatalf("err = %v, want the 502", err)
	}

	// A 4xx other than 429 is not transient.
	srv.Reset()
	srv.InjectFault(intunedtest.UpdateResult, 1, intunedtest.Fault{Status: 404})
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
		func(context.Context, sdk.AuthSessionCreateResultRequestedMoreInfo) (string, error) { return "1", nil },
		sdk.WithPolling(sdk.PollConfig{InitialDelay: 4 * time.Millisecond, Multiplier: 2, MaxDelay: 16 * time.Millisecond}),
		sdk.WithProgress(func(e sdk.WaitEvent) { events = append(events, e) }))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var delays []time.Duration
	for _, e := range events {
		s := e.Kind.String()
		if e.Result != nil {
			s += ":" + string(e.Result.OperationStatus())
		}
		got = append(got, s)
		if e.Kind == sdk.WaitPolled && e.Delay > 0 {
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

func TestWaitInvalidPollConfig(t *testing.T) {
	noLeaks(t)
	for _, p := range []sdk.PollConfig{{InitialDelay: -1}, {Multiplier: 0.5}, {MaxTransientErrors: -1}} {
		if _, err := sdk.New(sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithPolling(p)); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("%+v: err = %v", p, err)
		}
	}
}
