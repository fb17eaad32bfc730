package intunedtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

const project = "my-project"

func ptr[T any](v T) *T { return &v }

func startUpdate(t *testing.T, c *sdk.Client, id string) string {
	t.Helper()
	res, err := c.Project.AuthSessions.Update.Start(context.Background(), project, sdk.AuthSessionUpdateRequest{ID: id, Parameters: sdk.ParametersObject{"user": "me"}})
	if err != nil {
		t.Fatal(err)
	}
	return res.OperationID
}

func result(t *testing.T, c *sdk.Client, op string) sdk.AuthSessionOperationResult {
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
		if _, ok := result(t, c, op).(sdk.AuthSessionOperationPending); !ok {
			t.Fatalf("poll %d is not pending", i)
		}
	}
	otp, ok := result(t, c, op).(sdk.AuthSessionOperationRequestedMoreInfo)
	if d, isOTP := otp.Details.(sdk.InfoRequestDetailsOTP); !ok || !isOTP || d.MessageToUser != "Enter the code" {
		t.Fatalf("got %#v", otp)
	}
	// Polling again shows the same request.
	if again := result(t, c, op).(sdk.AuthSessionOperationRequestedMoreInfo); again.ID != otp.ID {
		t.Fatalf("info request ID changed from %s to %s", otp.ID, again.ID)
	}
	resume := func(id, input string) error {
		_, err := c.Project.AuthSessions.Update.Resume(context.Background(), project, op, sdk.AuthSessionOperationResumeRequest{InfoRequestID: id, Input: input})
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
	choice := result(t, c, op).(sdk.AuthSessionOperationRequestedMoreInfo)
	if d, isChoice := choice.Details.(sdk.InfoRequestDetailsMultipleChoice); !isChoice || d.MessageToUser != "Where?" || strings.Join(d.Choices, ",") != "email,sms" || choice.ID == otp.ID {
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
	if done := result(t, c, op).(sdk.AuthSessionOperationDone); done.AuthSessionID != "ready-1" {
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
	if _, ok := result(t, c, op).(sdk.AuthSessionOperationPending); !ok {
		t.Fatal("default script: first poll is not pending")
	}
	if done, ok := result(t, c, op).(sdk.AuthSessionOperationDone); !ok || done.AuthSessionID != "any" {
		t.Fatalf("default script: got %#v", done)
	}

	srv.DefaultScript(intunedtest.Raw(`{"status":"queued"}`), intunedtest.Fail("login_failed", "Wrong password"))
	op = startUpdate(t, c, "other")
	if u, ok := result(t, c, op).(sdk.AuthSessionOperationResultUnknown); !ok || u.Status() != "queued" {
		t.Fatalf("got %#v", u)
	}
	f, ok := result(t, c, op).(sdk.AuthSessionOperationFailed)
	if !ok || f.Error != "login_failed" || f.Message != "Wrong password" {
		t.Fatalf("got %#v", f)
	}
	// A resume when nothing is asked is a 400.
	_, err := c.Project.AuthSessions.Update.Resume(context.Background(), project, op, sdk.AuthSessionOperationResumeRequest{InfoRequestID: "x", Input: "y"})
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
	if done := result(t, c, op).(sdk.AuthSessionOperationDone); done.AuthSessionID != "elsewhere" {
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
	post := func(path, contentType, body string) (int, string) { return postRaw(t, srv, path, contentType, body) }
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

// The constraints of the spec beyond members and types, the details' form,
// and what is accepted.
func TestValidationDetails(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s"))
	defer srv.Close()
	base := "/" + srv.WorkspaceID + "/projects/p/auth-sessions"
	do := func(path, contentType, body string) (int, string) {
		t.Helper()
		return postRaw(t, srv, base+path, contentType, body)
	}
	type detail struct {
		Message string `json:"message"`
		Path    []any  `json:"path"`
	}
	refused := []struct {
		name, path, contentType, body string
		where                         []any
	}{
		{"empty update id", "/update", "application/json", `{"id":""}`, []any{"id"}},
		{"null proxy", "/update", "application/json", `{"id":"s","proxy":null}`, []any{"proxy"}},
		{"parameters a number", "/create", "application/json", `{"parameters":5}`, []any{"parameters"}},
		{"create id with a space", "/create", "application/json", `{"id":"bad id"}`, []any{"id"}},
		{"empty recorder id", "/recorder/start", "application/json", `{"authSessionId":""}`, []any{"authSessionId"}},
		{"an array", "/create", "application/json", `[]`, []any{}},
		{"no content type", "/create", "", `{}`, []any{}},
	}
	for _, tt := range refused {
		code, body := do(tt.path, tt.contentType, tt.body)
		var got struct {
			Message string   `json:"message"`
			Details []detail `json:"details"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil || code != 400 || got.Message != "Invalid input" || len(got.Details) != 1 {
			t.Errorf("%s: %d %s; want 400 Invalid input with one detail", tt.name, code, body)
			continue
		}
		if d := got.Details[0]; !reflect.DeepEqual(d.Path, tt.where) || d.Message == "" {
			t.Errorf("%s: detail %+v; want a message at path %v", tt.name, d, tt.where)
		}
	}
	accepted := []struct{ name, path, contentType, body string }{
		{"charset parameter", "/update", "application/json; charset=utf-8", `{"id":"s"}`},
		{"unknown member", "/update", "application/json", `{"id":"s","extra":[1]}`},
		{"no id: the server picks one", "/create", "application/json", `{"parameters":{"a":null}}`},
		{"empty recorder request", "/recorder/start", "application/json", `{}`},
	}
	for _, tt := range accepted {
		if code, body := do(tt.path, tt.contentType, tt.body); code != 201 {
			t.Errorf("%s: %d %s; want 201", tt.name, code, body)
		}
	}
}

// Routing: unknown paths, wrong methods, path values that look like
// literals, paths that are not clean, and calls without a body.
func TestRouting(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s"))
	defer srv.Close()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer noRedirect.CloseIdleConnections()
	do := func(method, path string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		req.Header.Set("X-Api-Key", srv.APIKey)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	ws := "/" + srv.WorkspaceID
	tests := []struct {
		name, method, path string
		code               int
		operation          string
		allow              string
	}{
		{"unknown path", "GET", ws + "/projects/p/sessions", 404, "", ""},
		{"trailing slash", "GET", ws + "/projects/p/auth-sessions/", 404, "", ""},
		{"a value with a slash is two segments", "GET", ws + "/projects/p/q/auth-sessions", 404, "", ""},
		{"wrong method", "PUT", ws + "/projects/p/auth-sessions/recorder/start", 405, "", "POST"},
		{"wrong method where a session could be named update", "PUT", ws + "/projects/p/auth-sessions/update", 405, "", "DELETE, GET, HEAD, POST"},
		{"wrong method on a session", "PUT", ws + "/projects/p/auth-sessions/s", 405, "", "DELETE, GET, HEAD"},
		{"a session named create", "GET", ws + "/projects/p/auth-sessions/create", 404, intunedtest.ProjectAuthSessionsOne, ""},
		{"one, without a content type", "GET", ws + "/projects/p/auth-sessions/s", 200, intunedtest.ProjectAuthSessionsOne, ""},
		{"encoded slash in a value", "GET", ws + "/projects/a%2Fb/auth-sessions", 200, intunedtest.ProjectAuthSessionsAll, ""},
		{"HEAD serves GET", "HEAD", ws + "/projects/p/auth-sessions", 200, intunedtest.ProjectAuthSessionsAll, ""},
		{"path not clean", "GET", ws + "/projects/p/./auth-sessions", 307, intunedtest.ProjectAuthSessionsAll, ""},
	}
	for _, tt := range tests {
		srv.Reset()
		resp, body := do(tt.method, tt.path)
		if resp.StatusCode != tt.code {
			t.Errorf("%s: %d %s; want %d", tt.name, resp.StatusCode, body, tt.code)
			continue
		}
		if tt.code == 404 || tt.code == 405 {
			var msg struct{ Message string }
			if resp.Header.Get("Content-Type") != "application/json" || json.Unmarshal([]byte(body), &msg) != nil || msg.Message == "" {
				t.Errorf("%s: %s %q; want a JSON message", tt.name, resp.Header.Get("Content-Type"), body)
			}
		}
		if got := resp.Header.Get("Allow"); got != tt.allow {
			t.Errorf("%s: Allow %q, want %q", tt.name, got, tt.allow)
		}
		if tt.code == 307 && resp.Header.Get("Location") != ws+"/projects/p/auth-sessions" {
			t.Errorf("%s: Location %q", tt.name, resp.Header.Get("Location"))
		}
		if reqs := srv.Requests(); len(reqs) != 1 || reqs[0].Operation != tt.operation {
			t.Errorf("%s: recorded %+v, want one request of operation %q", tt.name, reqs, tt.operation)
		}
	}
	// An unknown path is a 404 even without the API key.
	resp, err := http.Get(srv.URL + "/nowhere")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("unknown path without a key: %d", resp.StatusCode)
	}
}

// The answers on the wire: the sdk's models, a Raw step as it is, and a
// rejected answer to an info request.
func TestWire(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s"))
	defer srv.Close()
	op := srv.AddOperation("p", "s", intunedtest.Raw("{not json"), intunedtest.OTP("Code?", "1"), intunedtest.Done(""))
	call := func(method, path, body string) (int, string) {
		t.Helper()
		contentType := ""
		if body != "" {
			contentType = "application/json"
		}
		return sendRaw(t, srv, method, "/"+srv.WorkspaceID+"/projects/p/auth-sessions"+path, contentType, body)
	}
	result := "/update/" + op + "/result"
	tests := []struct {
		name, method, path, body string
		code                     int
		want                     string
	}{
		{"raw step", "GET", result, "", 200, "{not json"},
		{"info request", "GET", result, "", 200, `{"status":"requested_more_info","id":"00000000-0000-4000-8000-000000000002","details":{"requestType":"otp","action":"request_more_info","messageToUser":"Code?"}}` + "\n"},
		{"wrong answer", "POST", "/update/" + op + "/resume", `{"input":"2","info_request_id":"00000000-0000-4000-8000-000000000002"}`, 400, `{"details":null,"message":"the answer is not correct"}`},
		{"answer", "POST", "/update/" + op + "/resume", `{"input":"1","info_request_id":"00000000-0000-4000-8000-000000000002"}`, 202, `{"status":"resumed"}` + "\n"},
		{"done", "GET", result, "", 200, `{"status":"done","authSessionId":"s"}` + "\n"},
		{"one", "GET", "/s", "", 200, `{"id":"s","status":"READY"}` + "\n"},
		{"all", "GET", "", "", 200, `[{"id":"s","status":"READY"}]` + "\n"},
		{"delete", "DELETE", "/s", "", 204, ``},
		{"none left", "GET", "", "", 200, `[]` + "\n"},
		{"not found", "GET", "/s", "", 404, `{"message":"auth session \"s\" not found in project \"p\""}`},
	}
	for _, tt := range tests {
		if code, body := call(tt.method, tt.path, tt.body); code != tt.code || body != tt.want {
			t.Errorf("%s: %d %q; want %d %q", tt.name, code, body, tt.code, tt.want)
		}
	}
}

func TestFaultsAndRecording(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions(project, "s", "s1", "any", "other"), intunedtest.WithAuthSessions("p", "s"), intunedtest.WithAuthSessions("a/b c?é", "s"))
	defer srv.Close()
	c := srv.Client()
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateStart, 1, intunedtest.Fault{Status: 503, RetryAfter: "7", Body: "busy"})
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateStart, 1, intunedtest.Fault{Drop: true})
	srv.InjectFault(intunedtest.ProjectAuthSessionsUpdateStart, 1, intunedtest.Fault{Latency: 50 * time.Millisecond})

	_, err := c.Project.AuthSessions.Update.Start(context.Background(), project, sdk.AuthSessionUpdateRequest{ID: "s"})
	var se *sdk.SDKError
	if !errors.As(err, &se) || se.Code != 503 || se.Header.Get("Retry-After") != "7" || se.Body != "busy" {
		t.Fatalf("fault 1: err = %v", err)
	}
	_, err = c.Project.AuthSessions.Update.Start(context.Background(), project, sdk.AuthSessionUpdateRequest{ID: "s"})
	if err == nil || errors.As(err, &se) {
		t.Fatalf("fault 2: err = %v, want a dropped connection", err)
	}
	begin := time.Now()
	if _, err := c.Project.AuthSessions.Update.Start(context.Background(), project, sdk.AuthSessionUpdateRequest{ID: "s"}); err != nil {
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
	if last.Operation != intunedtest.ProjectAuthSessionsUpdateResult || last.Method != "GET" || last.Path != "/"+srv.WorkspaceID+"/projects/my-project/auth-sessions/update/"+op+"/result" || last.Header.Get("X-Api-Key") != srv.APIKey {
		t.Errorf("last request: %+v", last)
	}
	if reqs[3].Operation != intunedtest.ProjectAuthSessionsUpdateStart || string(reqs[3].Body) != `{"id":"s","parameters":{"user":"me"}}` {
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
	res, err := c.Project.AuthSessions.Update.Start(context.Background(), name, sdk.AuthSessionUpdateRequest{ID: "s"})
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

	if st, ok := srv.AuthSession("p", "old"); !ok || st != sdk.AuthSessionStatusReady {
		t.Fatalf("old: %v %v", st, ok)
	}
	// A failed update expires the session.
	op, err := as.Update.Start(ctx, "p", sdk.AuthSessionUpdateRequest{ID: "old"})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := as.Update.Result(ctx, "p", op.OperationID); err != nil {
		t.Fatal(err)
	} else if _, ok := res.(sdk.AuthSessionOperationFailed); !ok {
		t.Fatalf("update did not fail: %#v", res)
	}
	if st, _ := srv.AuthSession("p", "old"); st != sdk.AuthSessionStatusExpired {
		t.Errorf("after a failed update: %v", st)
	}
	// A create is PENDING, then READY.
	created, err := as.Create.Start(ctx, "p", sdk.AuthSessionCreateRequest{ID: ptr("made")})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := srv.AuthSession("p", "made"); st != sdk.AuthSessionStatusPending {
		t.Errorf("while creating: %v", st)
	}
	for i := 0; i < 2; i++ {
		if _, err := as.Create.Result(ctx, "p", created.OperationID); err != nil {
			t.Fatal(err)
		}
	}
	if st, _ := srv.AuthSession("p", "made"); st != sdk.AuthSessionStatusReady {
		t.Errorf("after the create: %v", st)
	}
	list, err := as.All(ctx, "p")
	if err != nil || len(list) != 2 || list[0].ID != "made" || list[1] != (sdk.AuthSession{ID: "old", Status: sdk.AuthSessionStatusExpired}) {
		t.Errorf("All: %+v, %v", list, err)
	}
	// Sessions belong to their project.
	if _, err := as.One(ctx, "other", "made"); err == nil {
		t.Error("another project sees the session")
	}
	// A create ID outside letters, digits and hyphens is refused by the spec:
	// by the SDK before sending, and by the fake when it is sent anyway.
	_, err = as.Create.Start(ctx, "p", sdk.AuthSessionCreateRequest{ID: ptr("bad id")})
	var ae *sdk.ArgumentError
	if !errors.As(err, &ae) || ae.Path != "id" {
		t.Errorf("bad ID: err = %v, want an *ArgumentError at id", err)
	}
	code, body := postRaw(t, srv, "/"+srv.WorkspaceID+"/projects/p/auth-sessions/create", "application/json", `{"id":"bad id"}`)
	if code != 400 || !strings.Contains(body, `"path":["id"]`) || !strings.Contains(body, "does not match the pattern") {
		t.Errorf("bad ID sent anyway: %d %s", code, body)
	}
	// The recorder URL points at the fake.
	rec, err := as.Recorder.Start(ctx, "p", sdk.AuthSessionRecorderRequest{})
	if err != nil || !strings.HasPrefix(rec.RecorderURL, srv.URL+"/recorder/p/") {
		t.Errorf("recorder: %+v, %v", rec, err)
	}
	srv.AddAuthSession("p", "added", sdk.AuthSessionStatusPending)
	if info, err := as.One(ctx, "p", "added"); err != nil || info.Status != sdk.AuthSessionStatusPending {
		t.Errorf("One: %+v, %v", info, err)
	}
}

// postRaw POSTs body to the fake with its API key, as a client other than
// the SDK would, and returns the status and body of the answer.
func postRaw(t *testing.T, srv *intunedtest.Server, path, contentType, body string) (int, string) {
	t.Helper()
	return sendRaw(t, srv, "POST", path, contentType, body)
}

// sendRaw sends a request to the fake with its API key, as a client other
// than the SDK would, and returns the status and body of the answer.
func sendRaw(t *testing.T, srv *intunedtest.Server, method, path, contentType, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
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

// The auth-session rules NewServer documents, each with its negative case.
func TestAuthSessionRules(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s"))
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	as := c.Project.AuthSessions

	_, err := as.Update.Start(ctx, "p", sdk.AuthSessionUpdateRequest{ID: "missing"})
	wantStatus(t, "update of a missing session", err, 404)
	_, err = as.Create.Start(ctx, "p", sdk.AuthSessionCreateRequest{ID: ptr("s")})
	wantStatus(t, "create of an existing session", err, 409)
	wantStatus(t, "delete of a missing session", as.Delete(ctx, "p", "missing"), 404)

	// A failed create removes its session.
	srv.Script("doomed", intunedtest.Fail("bad_login", "no"))
	op, err := as.Create.Start(ctx, "p", sdk.AuthSessionCreateRequest{ID: ptr("doomed")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := as.Create.Result(ctx, "p", op.OperationID); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.AuthSession("p", "doomed"); ok {
		t.Error("a failed create kept its session")
	}

	// A create operation resumes through create, and is unknown to update.
	srv.Script("asked", intunedtest.OTP("code?", "1"))
	op, err = as.Create.Start(ctx, "p", sdk.AuthSessionCreateRequest{ID: ptr("asked")})
	if err != nil {
		t.Fatal(err)
	}
	info, ok := mustCreateResult(t, c, op.OperationID).(sdk.AuthSessionOperationRequestedMoreInfo)
	if !ok {
		t.Fatalf("not asked: %#v", info)
	}
	_, err = as.Update.Resume(ctx, "p", op.OperationID, sdk.AuthSessionOperationResumeRequest{InfoRequestID: info.ID, Input: "1"})
	wantStatus(t, "update resume of a create operation", err, 404)
	if _, err := as.Create.Resume(ctx, "p", op.OperationID, sdk.AuthSessionOperationResumeRequest{InfoRequestID: info.ID, Input: "1"}); err != nil {
		t.Fatalf("create resume: %v", err)
	}
	// After its last step, an operation is done.
	if done, ok := mustCreateResult(t, c, op.OperationID).(sdk.AuthSessionOperationDone); !ok || done.AuthSessionID != "asked" {
		t.Errorf("after the last step: %#v", done)
	}
}

func mustCreateResult(t *testing.T, c *sdk.Client, op string) sdk.AuthSessionOperationResult {
	t.Helper()
	res, err := c.Project.AuthSessions.Create.Result(context.Background(), "p", op)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
