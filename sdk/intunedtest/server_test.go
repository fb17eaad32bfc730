package intunedtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

const project = "my-project"

func startUpdate(t *testing.T, c *sdk.Client, id string) string {
	t.Helper()
	res, err := c.Project.AuthSessions.Update.Start(context.Background(), project, sdk.UpdateAuthSessionRequest{ID: id, Parameters: sdk.ParametersObject{"user": "me"}})
	if err != nil {
		t.Fatal(err)
	}
	return res.OperationID
}

func result(t *testing.T, c *sdk.Client, op string) sdk.AuthSessionCreateResult {
	t.Helper()
	res, err := c.Project.AuthSessions.Update.Result(context.Background(), project, op)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestScriptWalk(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions(project, "s", "s1", "any", "other"), intunedtest.WithAuthSessions("p", "s"), intunedtest.WithAuthSessions("a/b c?é", "s"))
	defer srv.Close()
	srv.Script("s1", intunedtest.Pending(2), intunedtest.OTP("Enter the code", "123456"),
		intunedtest.Choice("Where?", []string{"email", "sms"}, "sms"), intunedtest.Done("ready-1"))
	c := srv.Client()
	op := startUpdate(t, c, "s1")
	for i := 0; i < 2; i++ {
		if _, ok := result(t, c, op).(sdk.AuthSessionCreateResultPending); !ok {
			t.Fatalf("poll %d is not pending", i)
		}
	}
	otp, ok := result(t, c, op).(sdk.AuthSessionCreateResultRequestedMoreInfo)
	if !ok || otp.Details.RequestType != sdk.InfoRequestOTP || otp.Details.MessageToUser != "Enter the code" {
		t.Fatalf("got %#v", otp)
	}
	// Polling again shows the same request.
	if again := result(t, c, op).(sdk.AuthSessionCreateResultRequestedMoreInfo); again.ID != otp.ID {
		t.Fatalf("info request ID changed from %s to %s", otp.ID, again.ID)
	}
	resume := func(id, input string) error {
		_, err := c.Project.AuthSessions.Update.Resume(context.Background(), project, op, sdk.AuthSessionCreateResume{InfoRequestID: id, Input: input})
		return err
	}
	var invalid *sdk.APIErrorInvalidInput
	if err := resume("wrong-id", "123456"); !errors.As(err, &invalid) || !strings.Contains(invalid.Message, "not the one") {
		t.Fatalf("wrong ID: err = %v", err)
	}
	if err := resume(otp.ID, "000000"); !errors.As(err, &invalid) || !strings.Contains(invalid.Message, "not correct") {
		t.Fatalf("wrong code: err = %v", err)
	}
	if err := resume(otp.ID, "123456"); err != nil {
		t.Fatal(err)
	}
	// The same answer again is refused: the request was answered.
	if err := resume(otp.ID, "123456"); !errors.As(err, &invalid) {
		t.Fatalf("second answer: err = %v", err)
	}
	choice := result(t, c, op).(sdk.AuthSessionCreateResultRequestedMoreInfo)
	if choice.Details.RequestType != sdk.InfoRequestMultipleChoice || strings.Join(choice.Details.Choices, ",") != "email,sms" || choice.ID == otp.ID {
		t.Fatalf("got %#v", choice)
	}
	if err := resume(choice.ID, "fax"); !errors.As(err, &invalid) || !strings.Contains(invalid.Message, "not one of the choices") {
		t.Fatalf("bad choice: err = %v", err)
	}
	if err := resume(choice.ID, "email"); !errors.As(err, &invalid) {
		t.Fatalf("other choice: err = %v", err)
	}
	if err := resume(choice.ID, "sms"); err != nil {
		t.Fatal(err)
	}
	if done := result(t, c, op).(sdk.AuthSessionCreateResultDone); done.AuthSessionID != "ready-1" {
		t.Fatalf("got %#v", done)
	}
	polls, resumes, ok := srv.OperationStats(op)
	if !ok || polls != 6 || resumes != 2 {
		t.Errorf("stats: %d polls, %d resumes", polls, resumes)
	}
}

func TestDefaultScriptFailAndRaw(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions(project, "s", "s1", "any", "other"), intunedtest.WithAuthSessions("p", "s"), intunedtest.WithAuthSessions("a/b c?é", "s"))
	defer srv.Close()
	c := srv.Client()
	op := startUpdate(t, c, "any")
	if _, ok := result(t, c, op).(sdk.AuthSessionCreateResultPending); !ok {
		t.Fatal("default script: first poll is not pending")
	}
	if done, ok := result(t, c, op).(sdk.AuthSessionCreateResultDone); !ok || done.AuthSessionID != "any" {
		t.Fatalf("default script: got %#v", done)
	}

	srv.DefaultScript(intunedtest.Raw(`{"status":"queued"}`), intunedtest.Fail("login_failed", "Wrong password"))
	op = startUpdate(t, c, "other")
	if u, ok := result(t, c, op).(sdk.AuthSessionCreateResultUnknown); !ok || u.Status != "queued" {
		t.Fatalf("got %#v", u)
	}
	f, ok := result(t, c, op).(sdk.AuthSessionCreateResultFailed)
	if !ok || f.Error != "login_failed" || f.Message != "Wrong password" {
		t.Fatalf("got %#v", f)
	}
	// A resume when nothing is asked is a 400.
	_, err := c.Project.AuthSessions.Update.Resume(context.Background(), project, op, sdk.AuthSessionCreateResume{InfoRequestID: "x", Input: "y"})
	var invalid *sdk.APIErrorInvalidInput
	if !errors.As(err, &invalid) {
		t.Fatalf("err = %v", err)
	}
}

func TestAddOperationAndUnknownOperation(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions(project, "s", "s1", "any", "other"), intunedtest.WithAuthSessions("p", "s"), intunedtest.WithAuthSessions("a/b c?é", "s"))
	defer srv.Close()
	c := srv.Client()
	op := srv.AddOperation(project, "elsewhere", intunedtest.Done(""))
	if done := result(t, c, op).(sdk.AuthSessionCreateResultDone); done.AuthSessionID != "elsewhere" {
		t.Fatalf("got %#v", done)
	}
	_, err := c.Project.AuthSessions.Update.Result(context.Background(), project, "no-such-op")
	var se *sdk.SDKError
	if !errors.As(err, &se) || se.Code != 404 {
		t.Fatalf("err = %v", err)
	}
	// Another project's operation is not found either.
	_, err = c.Project.AuthSessions.Update.Result(context.Background(), "other-project", op)
	if !errors.As(err, &se) || se.Code != 404 {
		t.Fatalf("err = %v", err)
	}
}

func TestAuthentication(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAPIKey("right"), intunedtest.WithWorkspaceID("ws"))
	defer srv.Close()
	for name, opts := range map[string][]sdk.Option{
		"wrong key":       {sdk.WithAPIKey("wrong")},
		"wrong workspace": {sdk.WithWorkspaceID("other")},
	} {
		c, err := srv.NewClient(opts...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Project.AuthSessions.Update.Result(context.Background(), project, "op")
		var ua *sdk.APIErrorUnauthorized
		if !errors.As(err, &ua) || ua.Message == "" {
			t.Errorf("%s: err = %v, want *APIErrorUnauthorized", name, err)
		}
	}
	// A request with no key at all.
	resp, err := http.Get(srv.URL + "/ws/projects/p/auth-sessions/update/op/result")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("no key: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// Requests that do not match the spec get a 400 with details.
func TestValidation(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions(project, "s", "s1", "any", "other"), intunedtest.WithAuthSessions("p", "s"), intunedtest.WithAuthSessions("a/b c?é", "s"))
	defer srv.Close()
	post := func(path, contentType, body string) (int, string) {
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
		req.Header.Set("X-Api-Key", srv.APIKey)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	base := "/" + srv.WorkspaceID + "/projects/p/auth-sessions/update"
	op := srv.AddOperation("p", "s", intunedtest.OTP("code?", ""))
	tests := []struct {
		name, path, contentType, body, mention string
	}{
		{"missing id", base, "application/json", `{"parameters":{}}`, "id"},
		{"parameters a string", base, "application/json", `{"id":"s","parameters":"x"}`, "parameters"},
		{"id a number", base, "application/json", `{"id":5}`, "id"},
		{"malformed JSON", base, "application/json", `{"id":`, "Invalid input"},
		{"empty body", base, "application/json", ``, "Invalid input"},
		{"not JSON", base, "text/plain", `id=s`, "Invalid input"},
		{"resume in camel case", base + "/" + op + "/resume", "application/json", `{"input":"1","infoRequestId":"i"}`, "info_request_id"},
		{"resume without input", base + "/" + op + "/resume", "application/json", `{"info_request_id":"i"}`, "input"},
	}
	for _, tt := range tests {
		code, body := post(tt.path, tt.contentType, tt.body)
		if code != 400 || !strings.Contains(body, tt.mention) || !strings.Contains(body, `"details"`) {
			t.Errorf("%s: %d %s; want 400 mentioning %q with details", tt.name, code, body, tt.mention)
		}
	}
	// A valid start still works.
	if code, body := post(base, "application/json", `{"id":"s","parameters":["a",1]}`); code != 201 {
		t.Errorf("valid start: %d %s", code, body)
	}
}

func TestFaultsAndRecording(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions(project, "s", "s1", "any", "other"), intunedtest.WithAuthSessions("p", "s"), intunedtest.WithAuthSessions("a/b c?é", "s"))
	defer srv.Close()
	c := srv.Client()
	srv.InjectFault(intunedtest.UpdateStart, 1, intunedtest.Fault{Status: 503, RetryAfter: "7", Body: "busy"})
	srv.InjectFault(intunedtest.UpdateStart, 1, intunedtest.Fault{Drop: true})
	srv.InjectFault(intunedtest.UpdateStart, 1, intunedtest.Fault{Latency: 50 * time.Millisecond})

	_, err := c.Project.AuthSessions.Update.Start(context.Background(), project, sdk.UpdateAuthSessionRequest{ID: "s"})
	var se *sdk.SDKError
	if !errors.As(err, &se) || se.Code != 503 || se.Header.Get("Retry-After") != "7" || se.Body != "busy" {
		t.Fatalf("fault 1: err = %v", err)
	}
	_, err = c.Project.AuthSessions.Update.Start(context.Background(), project, sdk.UpdateAuthSessionRequest{ID: "s"})
	if err == nil || errors.As(err, &se) {
		t.Fatalf("fault 2: err = %v, want a dropped connection", err)
	}
	begin := time.Now()
	if _, err := c.Project.AuthSessions.Update.Start(context.Background(), project, sdk.UpdateAuthSessionRequest{ID: "s"}); err != nil {
		t.Fatalf("fault 3: %v", err)
	}
	if d := time.Since(begin); d < 50*time.Millisecond {
		t.Errorf("latency fault took only %v", d)
	}
	// The faults are used up, and other operations never saw them.
	op := startUpdate(t, c, "s")
	result(t, c, op)

	reqs := srv.Requests()
	if len(reqs) != 5 {
		t.Fatalf("%d requests recorded, want 5", len(reqs))
	}
	last := reqs[4]
	if last.Operation != intunedtest.UpdateResult || last.Method != "GET" || last.Path != "/"+srv.WorkspaceID+"/projects/my-project/auth-sessions/update/"+op+"/result" || last.Header.Get("X-Api-Key") != srv.APIKey {
		t.Errorf("last request: %+v", last)
	}
	if reqs[3].Operation != intunedtest.UpdateStart || string(reqs[3].Body) != `{"id":"s","parameters":{"user":"me"}}` {
		t.Errorf("start request: %+v %s", reqs[3], reqs[3].Body)
	}
	srv.Reset()
	if len(srv.Requests()) != 0 {
		t.Error("Reset kept requests")
	}
}

func TestEncodedPathValues(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions(project, "s", "s1", "any", "other"), intunedtest.WithAuthSessions("p", "s"), intunedtest.WithAuthSessions("a/b c?é", "s"))
	defer srv.Close()
	c := srv.Client()
	const name = "a/b c?é"
	res, err := c.Project.AuthSessions.Update.Start(context.Background(), name, sdk.UpdateAuthSessionRequest{ID: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.AuthSessions.Update.Result(context.Background(), name, res.OperationID); err != nil {
		t.Fatalf("the operation is not found under its encoded project name: %v", err)
	}
}

func TestSessionState(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "old"))
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	as := c.Project.AuthSessions
	srv.Script("old", intunedtest.Fail("expired_password", "Password expired"))
	srv.Script("made", intunedtest.Pending(1), intunedtest.Done(""))

	if st, ok := srv.AuthSession("p", "old"); !ok || st != sdk.AuthSessionReady {
		t.Fatalf("old: %v %v", st, ok)
	}
	// A failed update expires the session.
	op, err := as.Update.Start(ctx, "p", sdk.UpdateAuthSessionRequest{ID: "old"})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := as.Update.Result(ctx, "p", op.OperationID); err != nil {
		t.Fatal(err)
	} else if _, ok := res.(sdk.AuthSessionCreateResultFailed); !ok {
		t.Fatalf("update did not fail: %#v", res)
	}
	if st, _ := srv.AuthSession("p", "old"); st != sdk.AuthSessionExpired {
		t.Errorf("after a failed update: %v", st)
	}
	// A create is PENDING, then READY.
	created, err := as.Create.Start(ctx, "p", sdk.CreateAuthSessionRequest{ID: "made"})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := srv.AuthSession("p", "made"); st != sdk.AuthSessionPending {
		t.Errorf("while creating: %v", st)
	}
	for i := 0; i < 2; i++ {
		if _, err := as.Create.Result(ctx, "p", created.OperationID); err != nil {
			t.Fatal(err)
		}
	}
	if st, _ := srv.AuthSession("p", "made"); st != sdk.AuthSessionReady {
		t.Errorf("after the create: %v", st)
	}
	list, err := as.All(ctx, "p")
	if err != nil || len(list) != 2 || list[0].ID != "made" || list[1] != (sdk.AuthSessionInfo{ID: "old", Status: sdk.AuthSessionExpired}) {
		t.Errorf("All: %+v, %v", list, err)
	}
	// Sessions belong to their project.
	if _, err := as.One(ctx, "other", "made"); err == nil {
		t.Error("another project sees the session")
	}
	// A create ID outside letters, digits and hyphens is refused by the spec.
	_, err = as.Create.Start(ctx, "p", sdk.CreateAuthSessionRequest{ID: "bad id"})
	var invalid *sdk.APIErrorInvalidInput
	if !errors.As(err, &invalid) {
		t.Errorf("bad ID: err = %v", err)
	}
	// The recorder URL points at the fake.
	rec, err := as.Recorder.Start(ctx, "p", sdk.StartAuthSessionRecorderRequest{})
	if err != nil || !strings.HasPrefix(rec.RecorderURL, srv.URL+"/recorder/p/") {
		t.Errorf("recorder: %+v, %v", rec, err)
	}
	srv.AddAuthSession("p", "added", sdk.AuthSessionPending)
	if info, err := as.One(ctx, "p", "added"); err != nil || info.Status != sdk.AuthSessionPending {
		t.Errorf("One: %+v, %v", info, err)
	}
}
