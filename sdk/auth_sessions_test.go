package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/intuned/intuned-go/internal/testdiff"
	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

func TestWireAuthSessionOperations(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	tests := []struct {
		golden string
		status int
		body   string
		call   func(c *sdk.Client) error
	}{
		{"create_start", 201, startOK, func(c *sdk.Client) error {
			_, err := c.Project.AuthSessions.Create.Start(ctx, "my-project", sdk.AuthSessionCreateRequest{ID: sdk.Ptr("my-auth-session"), Parameters: sdk.ParametersObject{"key": "<value>"}, Proxy: sdk.Ptr("http://u:p@proxy:8080")})
			return err
		}},
		{"create_start_minimal", 201, startOK, func(c *sdk.Client) error {
			_, err := c.Project.AuthSessions.Create.Start(ctx, "my-project", sdk.AuthSessionCreateRequest{})
			return err
		}},
		{"create_start_array", 201, startOK, func(c *sdk.Client) error {
			_, err := sdk.ProjectAuthSessionsCreateStart(ctx, c, "my-project", sdk.AuthSessionCreateRequest{Parameters: sdk.ParametersArray{"<value>"}})
			return err
		}},
		{"create_result", 200, `{"status":"pending"}`, func(c *sdk.Client) error {
			_, err := c.Project.AuthSessions.Create.Result(ctx, "my-project", "aaaabbbCCCCdddd")
			return err
		}},
		{"create_resume", 202, resumeOK, func(c *sdk.Client) error {
			_, err := c.Project.AuthSessions.Create.Resume(ctx, "my-project", "aaaabbbCCCCdddd", sdk.AuthSessionOperationResumeRequest{Input: "123456", InfoRequestID: otpID})
			return err
		}},
		{"all", 200, `[]`, func(c *sdk.Client) error {
			_, err := c.Project.AuthSessions.All(ctx, "my-project")
			return err
		}},
		{"one", 200, `{"id":"my-auth-session","status":"READY"}`, func(c *sdk.Client) error {
			_, err := c.Project.AuthSessions.One(ctx, "my-project", "my-auth-session")
			return err
		}},
		{"delete", 204, ``, func(c *sdk.Client) error {
			return c.Project.AuthSessions.Delete(ctx, "my-project", "my-auth-session")
		}},
		{"recorder_start", 201, `{"recorder_url":"https://app.intuned.io/recorder/abc"}`, func(c *sdk.Client) error {
			_, err := c.Project.AuthSessions.Recorder.Start(ctx, "my-project", sdk.AuthSessionRecorderRequest{AuthSessionID: sdk.Ptr("my-auth-session"), Proxy: sdk.Ptr("http://u:p@proxy:8080")})
			return err
		}},
		{"recorder_start_minimal", 201, `{"recorder_url":"https://app.intuned.io/recorder/abc"}`, func(c *sdk.Client) error {
			_, err := c.Project.AuthSessions.Recorder.Start(ctx, "my-project", sdk.AuthSessionRecorderRequest{})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			s := newServer(t, reply(tt.status, tt.body))
			if err := tt.call(newClient(t, s)); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.golden, s.requests()[0])
		})
	}
}

func TestAuthSessionResponses(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	t.Run("all", func(t *testing.T) {
		s := newServer(t, reply(200, `[{"id":"a","status":"READY"},{"id":"b","status":"PENDING","extra":1},{"id":"c","status":"EXPIRED"},{"id":"d","status":"ARCHIVED"}]`))
		got, err := newClient(t, s).Project.AuthSessions.All(ctx, "p")
		if err != nil {
			t.Fatal(err)
		}
		want := []sdk.AuthSession{{"a", sdk.AuthSessionStatusReady}, {"b", sdk.AuthSessionStatusPending}, {"c", sdk.AuthSessionStatusExpired}, {"d", "ARCHIVED"}}
		if diff := testdiff.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("empty list", func(t *testing.T) {
		s := newServer(t, reply(200, `[]`))
		got, err := newClient(t, s).Project.AuthSessions.All(ctx, "p")
		if err != nil || got == nil || len(got) != 0 {
			t.Fatalf("got %#v, %v; want an empty, non-nil list", got, err)
		}
	})
	t.Run("one", func(t *testing.T) {
		s := newServer(t, reply(200, `{"id":"s","status":"PENDING"}`))
		got, err := newClient(t, s).Project.AuthSessions.One(ctx, "p", "s")
		if err != nil || got != (sdk.AuthSession{ID: "s", Status: sdk.AuthSessionStatusPending}) {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
	t.Run("recorder", func(t *testing.T) {
		s := newServer(t, reply(201, `{"recorder_url":"https://r.example/x"}`))
		got, err := newClient(t, s).Project.AuthSessions.Recorder.Start(ctx, "p", sdk.AuthSessionRecorderRequest{AuthSessionID: sdk.Ptr("s")})
		if err != nil || got.RecorderURL != "https://r.example/x" {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
	invalid := []struct {
		name, body string
		status     int
		call       func(c *sdk.Client) error
	}{
		{"all null", `null`, 200, func(c *sdk.Client) error { _, err := c.Project.AuthSessions.All(ctx, "p"); return err }},
		{"all object", `{"id":"a"}`, 200, func(c *sdk.Client) error { _, err := c.Project.AuthSessions.All(ctx, "p"); return err }},
		{"all item without status", `[{"id":"a"}]`, 200, func(c *sdk.Client) error { _, err := c.Project.AuthSessions.All(ctx, "p"); return err }},
		{"all item null", `[null]`, 200, func(c *sdk.Client) error { _, err := c.Project.AuthSessions.All(ctx, "p"); return err }},
		{"one without id", `{"status":"READY"}`, 200, func(c *sdk.Client) error { _, err := c.Project.AuthSessions.One(ctx, "p", "s"); return err }},
		{"recorder in camel case", `{"recorderUrl":"x"}`, 201, func(c *sdk.Client) error {
			_, err := c.Project.AuthSessions.Recorder.Start(ctx, "p", sdk.AuthSessionRecorderRequest{})
			return err
		}},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, reply(tt.status, tt.body))
			var ve *sdk.ResponseValidationError
			if err := tt.call(newClient(t, s)); !errors.As(err, &ve) {
				t.Fatalf("err = %v (%T), want *ResponseValidationError", err, err)
			}
		})
	}
	t.Run("delete answers 200", func(t *testing.T) {
		s := newServer(t, reply(200, `{}`))
		var se *sdk.SDKError
		if err := newClient(t, s).Project.AuthSessions.Delete(ctx, "p", "s"); !errors.As(err, &se) || se.Code != 200 {
			t.Fatalf("err = %v, want *SDKError 200", err)
		}
	})
	t.Run("delete 204 with a body", func(t *testing.T) {
		s := newServer(t, raw(204, "", ""))
		if err := newClient(t, s).Project.AuthSessions.Delete(ctx, "p", "s"); err != nil {
			t.Fatal(err)
		}
	})
}

// Every operation translates errors the same way, and sends what its
// standalone form sends.
func TestEveryOperationErrorsAndForms(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	for _, op := range allOperations {
		t.Run(op.label(), func(t *testing.T) {
			for _, tc := range []struct {
				h     handler
				check func(error) bool
			}{
				{reply(400, `{"message":"bad","details":{"f":1}}`), func(err error) bool { var e *sdk.APIErrorInvalidInput; return errors.As(err, &e) && e.Message == "bad" }},
				{reply(401, `{"message":"no"}`), func(err error) bool { var e *sdk.APIErrorUnauthorized; return errors.As(err, &e) && e.Message == "no" }},
				{raw(404, "text/html", "<h1>nope</h1>"), func(err error) bool { var e *sdk.SDKError; return errors.As(err, &e) && e.Code == 404 }},
				{raw(503, "", ""), func(err error) bool { var e *sdk.SDKError; return errors.As(err, &e) && e.Code == 503 }},
			} {
				s := newServer(t, tc.h)
				_, err := op.call(ctx, newClient(t, s))
				if !tc.check(err) {
					t.Errorf("err = %v (%T)", err, err)
				}
				if got, want := operationOf(err), op.name; got != want {
					t.Errorf("error names operation %q, want %q", got, want)
				}
			}
			// Retries and per-call options apply to every operation.
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					raw(503, "", "")(w, r, n)
					return
				}
				reply(op.success, op.body)(w, r, n)
			})
			if _, err := op.call(ctx, newClient(t, s), sdk.WithRetryConfig(fast), sdk.WithHeader("X-Trace", "t1")); err != nil {
				t.Fatal(err)
			}
			reqs := s.requests()
			if len(reqs) != 2 || reqs[1].Header.Get("X-Trace") != "t1" || reqs[1].Path != reqs[0].Path || string(reqs[1].Body) != string(reqs[0].Body) {
				t.Errorf("retry sent %+v", reqs)
			}
		})
	}
}

func TestStandaloneFormsOfTheNewOperations(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case r.Method == "DELETE":
			raw(204, "", "")(w, r, n)
		case strings.HasSuffix(r.URL.Path, "/recorder/start"):
			reply(201, `{"recorder_url":"u"}`)(w, r, n)
		case strings.HasSuffix(r.URL.Path, "/create"):
			reply(201, startOK)(w, r, n)
		case strings.HasSuffix(r.URL.Path, "/resume"):
			reply(202, resumeOK)(w, r, n)
		case strings.HasSuffix(r.URL.Path, "/result"):
			reply(200, `{"status":"done","authSessionId":"s"}`)(w, r, n)
		case strings.HasSuffix(r.URL.Path, "/auth-sessions"):
			reply(200, `[]`)(w, r, n)
		default:
			reply(200, `{"id":"s","status":"READY"}`)(w, r, n)
		}
	})
	c := newClient(t, s)
	resume := sdk.AuthSessionOperationResumeRequest{Input: "1", InfoRequestID: "i"}
	as := c.Project.AuthSessions
	pairs := [][2]func() error{
		{func() error {
			_, e := sdk.ProjectAuthSessionsCreateStart(ctx, c, "p", sdk.AuthSessionCreateRequest{ID: sdk.Ptr("s")})
			return e
		},
			func() error {
				_, e := as.Create.Start(ctx, "p", sdk.AuthSessionCreateRequest{ID: sdk.Ptr("s")})
				return e
			}},
		{func() error { _, e := sdk.ProjectAuthSessionsCreateResult(ctx, c, "p", "o"); return e },
			func() error { _, e := as.Create.Result(ctx, "p", "o"); return e }},
		{func() error { _, e := sdk.ProjectAuthSessionsCreateResume(ctx, c, "p", "o", resume); return e },
			func() error { _, e := as.Create.Resume(ctx, "p", "o", resume); return e }},
		{func() error { _, e := sdk.ProjectAuthSessionsAll(ctx, c, "p"); return e },
			func() error { _, e := as.All(ctx, "p"); return e }},
		{func() error { _, e := sdk.ProjectAuthSessionsOne(ctx, c, "p", "s"); return e },
			func() error { _, e := as.One(ctx, "p", "s"); return e }},
		{func() error { return sdk.ProjectAuthSessionsDelete(ctx, c, "p", "s") },
			func() error { return as.Delete(ctx, "p", "s") }},
		{func() error {
			_, e := sdk.ProjectAuthSessionsRecorderStart(ctx, c, "p", sdk.AuthSessionRecorderRequest{})
			return e
		},
			func() error { _, e := as.Recorder.Start(ctx, "p", sdk.AuthSessionRecorderRequest{}); return e }},
		{func() error { _, _, e := sdk.ProjectAuthSessionsCreateOperation(c, "p", "o").Poll(ctx); return e },
			func() error { _, _, e := as.Create.Operation("p", "o").Poll(ctx); return e }},
	}
	for i, p := range pairs {
		before := s.count()
		if err := p[0](); err != nil {
			t.Fatalf("pair %d, function: %v", i, err)
		}
		if err := p[1](); err != nil {
			t.Fatalf("pair %d, method: %v", i, err)
		}
		reqs := s.requests()[before:]
		if len(reqs) != 2 || reqs[0].Method != reqs[1].Method || reqs[0].Path != reqs[1].Path || string(reqs[0].Body) != string(reqs[1].Body) {
			t.Errorf("pair %d: function and method sent %+v", i, reqs)
		}
	}
}

func TestAuthSessionArgumentsAreChecked(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(500, ``))
	c := newClient(t, s)
	ctx := context.Background()
	as := c.Project.AuthSessions
	for name, call := range map[string]func() error{
		"one empty ID":         func() error { _, e := as.One(ctx, "p", ""); return e },
		"one dot-dot ID":       func() error { _, e := as.One(ctx, "p", ".."); return e },
		"delete empty ID":      func() error { return as.Delete(ctx, "p", "") },
		"delete slash-less ..": func() error { return as.Delete(ctx, "..", "s") },
		"all empty project":    func() error { _, e := as.All(ctx, ""); return e },
		"create bad UTF-8 ID": func() error {
			_, e := as.Create.Start(ctx, "p", sdk.AuthSessionCreateRequest{ID: sdk.Ptr("\xff")})
			return e
		},
		"create bad params": func() error {
			_, e := as.Create.Start(ctx, "p", sdk.AuthSessionCreateRequest{Parameters: sdk.ParametersRaw(`1`)})
			return e
		},
		"recorder bad proxy": func() error {
			_, e := as.Recorder.Start(ctx, "p", sdk.AuthSessionRecorderRequest{Proxy: sdk.Ptr("\xff")})
			return e
		},
		"create nil handler":  func() error { _, e := as.Create.StartAndWait(ctx, "p", sdk.AuthSessionCreateRequest{}, nil); return e },
		"create result no op": func() error { _, e := as.Create.Result(ctx, "p", ""); return e },
	} {
		if err := call(); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want an argument error", name, err)
		}
	}
	if s.count() != 0 {
		t.Errorf("%d requests sent", s.count())
	}
}

// The whole life of an auth session against the fake: create with an OTP,
// list, update, delete, read back a 404.
func TestAuthSessionLifecycle(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.Script("new-session", intunedtest.Pending(1), intunedtest.OTP("Code?", "4242"), intunedtest.Done(""))
	c := srv.Client()
	ctx := context.Background()
	as := c.Project.AuthSessions

	// An update of a session that does not exist fails as the service does.
	_, err := as.Update.Start(ctx, "proj", sdk.AuthSessionUpdateRequest{ID: "new-session"})
	var se *sdk.SDKError
	if !errors.As(err, &se) || se.Code != 404 {
		t.Fatalf("update of a missing session: err = %v, want a 404", err)
	}

	// Create: PENDING while the operation runs.
	started, err := as.Create.Start(ctx, "proj", sdk.AuthSessionCreateRequest{ID: sdk.Ptr("new-session"), Parameters: sdk.ParametersObject{"user": "me"}})
	if err != nil {
		t.Fatal(err)
	}
	list, err := as.All(ctx, "proj")
	if err != nil || len(list) != 1 || list[0] != (sdk.AuthSession{ID: "new-session", Status: sdk.AuthSessionStatusPending}) {
		t.Fatalf("All while creating: %+v, %v", list, err)
	}
	// The create operation is not reachable through the update endpoints.
	if _, err := as.Update.Result(ctx, "proj", started.OperationID); !errors.As(err, &se) || se.Code != 404 {
		t.Fatalf("create operation via update: err = %v", err)
	}
	op := as.Create.Operation("proj", started.OperationID)
	res, err := op.Wait(ctx, quick, sdk.WithInfoHandler(func(context.Context, sdk.InfoRequest) (string, error) {
		return "4242", nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if done, ok := res.(sdk.AuthSessionOperationDone); !ok || done.AuthSessionID != "new-session" {
		t.Fatalf("create ended with %#v", res)
	}
	info, err := as.One(ctx, "proj", "new-session")
	if err != nil || info.Status != sdk.AuthSessionStatusReady {
		t.Fatalf("One after create: %+v, %v", info, err)
	}

	// A second create with the same ID conflicts.
	if _, err := as.Create.Start(ctx, "proj", sdk.AuthSessionCreateRequest{ID: sdk.Ptr("new-session")}); !errors.As(err, &se) || se.Code != 409 {
		t.Fatalf("duplicate create: err = %v", err)
	}

	// Update, in one call.
	srv.Script("new-session", intunedtest.Pending(1), intunedtest.Done(""))
	id, err := as.Update.StartAndWait(ctx, "proj", sdk.AuthSessionUpdateRequest{ID: "new-session"},
		func(context.Context, sdk.InfoRequest) (string, error) {
			return "", errors.New("unexpected")
		}, quick)
	if err != nil || id != "new-session" {
		t.Fatalf("update: %q, %v", id, err)
	}

	// A create with no ID gets one from the server, and a failed create
	// leaves no session behind.
	srv.DefaultScript(intunedtest.Fail("login_failed", "Wrong password"))
	_, err = as.Create.StartAndWait(ctx, "proj", sdk.AuthSessionCreateRequest{},
		func(context.Context, sdk.InfoRequest) (string, error) { return "", nil }, quick)
	var failed *sdk.OperationFailedError
	if !errors.As(err, &failed) || failed.Code != "login_failed" {
		t.Fatalf("failed create: err = %v", err)
	}
	if list, _ := as.All(ctx, "proj"); len(list) != 1 {
		t.Fatalf("after a failed create: %+v", list)
	}

	// The recorder hands out a URL.
	rec, err := as.Recorder.Start(ctx, "proj", sdk.AuthSessionRecorderRequest{AuthSessionID: sdk.Ptr("new-session")})
	if err != nil || !strings.HasPrefix(rec.RecorderURL, srv.URL) {
		t.Fatalf("recorder: %+v, %v", rec, err)
	}

	// Delete, then read back a 404.
	if err := as.Delete(ctx, "proj", "new-session"); err != nil {
		t.Fatal(err)
	}
	if _, err := as.One(ctx, "proj", "new-session"); !errors.As(err, &se) || se.Code != 404 || !json.Valid([]byte(se.Body)) {
		t.Fatalf("One after delete: err = %v", err)
	}
	if err := as.Delete(ctx, "proj", "new-session"); !errors.As(err, &se) || se.Code != 404 {
		t.Fatalf("second delete: err = %v", err)
	}
	if list, err := as.All(ctx, "proj"); err != nil || len(list) != 0 {
		t.Fatalf("All at the end: %+v, %v", list, err)
	}
}
