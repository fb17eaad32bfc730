package sdk_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/intuned/intuned-go/sdk"
)

const (
	startOK  = `{"status":"started","operationId":"aaaabbbCCCCdddd"}`
	resumeOK = `{"status":"resumed"}`
	otpID    = "99999999-9999-9999-9999-999999999999"
)

func TestWireUpdateStart(t *testing.T) {
	noLeaks(t)
	tests := []struct {
		golden string
		req    sdk.AuthSessionUpdateRequest
	}{
		{"update_start_object", sdk.AuthSessionUpdateRequest{ID: "my-auth-session", Parameters: sdk.ParametersObject{"key": "<value>"}}},
		{"update_start_array", sdk.AuthSessionUpdateRequest{ID: "my-auth-session", Parameters: sdk.ParametersArray{"<value>"}}},
		{"update_start_minimal", sdk.AuthSessionUpdateRequest{ID: "my-auth-session"}},
		{"update_start_full", sdk.AuthSessionUpdateRequest{
			ID:         "my-auth-session",
			Parameters: sdk.ParametersObject{"username": "me@example.com", "nested": map[string]any{"n": 1.5, "list": []any{true, nil}}},
			Proxy:      sdk.Ptr("http://user:pass@proxy.example.com:8080"),
		}},
		{"update_start_raw", sdk.AuthSessionUpdateRequest{ID: "my-auth-session", Parameters: sdk.ParametersRaw(` {"big":12345678901234567890,"s":"é"} `)}},
		{"update_start_nil_object", sdk.AuthSessionUpdateRequest{ID: "my-auth-session", Parameters: sdk.ParametersObject(nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			s := newServer(t, reply(201, startOK))
			c := newClient(t, s)
			got, err := c.Project.AuthSessions.Update.Start(context.Background(), "my-project", tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if got != (sdk.AuthSessionOperationStarted{Status: "started", OperationID: "aaaabbbCCCCdddd"}) {
				t.Errorf("Start = %+v", got)
			}
			checkGolden(t, tt.golden, s.requests()[0])
		})
	}
}

func TestWireUpdateResult(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(200, `{"status":"pending"}`))
	c := newClient(t, s)
	if _, err := c.Project.AuthSessions.Update.Result(context.Background(), "my-project", "aaaabbbCCCCdddd"); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "update_result", s.requests()[0])
}

func TestWireUpdateResume(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(202, resumeOK))
	c := newClient(t, s)
	got, err := c.Project.AuthSessions.Update.Resume(context.Background(), "my-project", "aaaabbbCCCCdddd",
		sdk.AuthSessionOperationResumeRequest{Input: "123456", InfoRequestID: otpID})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "resumed" {
		t.Errorf("Resume = %+v", got)
	}
	checkGolden(t, "update_resume", s.requests()[0])
}

// The standalone functions send exactly what the methods send.
func TestStandaloneFunctionsMatchMethods(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	req := sdk.AuthSessionUpdateRequest{ID: "my-auth-session", Parameters: sdk.ParametersObject{"key": "<value>"}}
	resume := sdk.AuthSessionOperationResumeRequest{Input: "123456", InfoRequestID: otpID}

	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/update"):
			reply(201, startOK)(w, r, n)
		case strings.HasSuffix(r.URL.Path, "/result"):
			reply(200, `{"status":"done","authSessionId":"s1"}`)(w, r, n)
		default:
			reply(202, resumeOK)(w, r, n)
		}
	})
	c := newClient(t, s)
	if _, err := sdk.ProjectAuthSessionsUpdateStart(ctx, c, "my-project", req); err != nil {
		t.Fatal(err)
	}
	if _, err := sdk.ProjectAuthSessionsUpdateResult(ctx, c, "my-project", "op"); err != nil {
		t.Fatal(err)
	}
	if _, err := sdk.ProjectAuthSessionsUpdateResume(ctx, c, "my-project", "op", resume); err != nil {
		t.Fatal(err)
	}
	c.Project.AuthSessions.Update.Start(ctx, "my-project", req)
	c.Project.AuthSessions.Update.Result(ctx, "my-project", "op")
	c.Project.AuthSessions.Update.Resume(ctx, "my-project", "op", resume)
	reqs := s.requests()
	if len(reqs) != 6 {
		t.Fatalf("%d requests, want 6", len(reqs))
	}
	for i := 0; i < 3; i++ {
		f, m := reqs[i], reqs[i+3]
		if f.Method != m.Method || f.Path != m.Path || string(f.Body) != string(m.Body) {
			t.Errorf("function sent %s %s %s; method sent %s %s %s", f.Method, f.Path, f.Body, m.Method, m.Path, m.Body)
		}
	}
}

// roundTripFunc answers requests in memory, so the default server URL can be
// checked without any network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestServerURLs(t *testing.T) {
	noLeaks(t)
	tests := []struct {
		name   string
		option []sdk.Option
		want   string
	}{
		{"default", nil, "https://app.intuned.io/api/v1/workspace/ws-123/projects/my-project/auth-sessions/update/op-1/result"},
		{"no trailing slash", []sdk.Option{sdk.WithServerURL("http://127.0.0.1:9/base")}, "http://127.0.0.1:9/base/ws-123/projects/my-project/auth-sessions/update/op-1/result"},
		{"trailing slash", []sdk.Option{sdk.WithServerURL("http://127.0.0.1:9/base/")}, "http://127.0.0.1:9/base/ws-123/projects/my-project/auth-sessions/update/op-1/result"},
		{"host only", []sdk.Option{sdk.WithServerURL("http://127.0.0.1:9")}, "http://127.0.0.1:9/ws-123/projects/my-project/auth-sessions/update/op-1/result"},
		{"host and slash", []sdk.Option{sdk.WithServerURL("http://127.0.0.1:9/")}, "http://127.0.0.1:9/ws-123/projects/my-project/auth-sessions/update/op-1/result"},
		{"per call", []sdk.Option{sdk.WithServerURL("http://127.0.0.1:9/other//")}, "http://127.0.0.1:9/other/ws-123/projects/my-project/auth-sessions/update/op-1/result"},
		{"query", []sdk.Option{sdk.WithServerURL("http://127.0.0.1:9/base/?x=1")}, "http://127.0.0.1:9/base/ws-123/projects/my-project/auth-sessions/update/op-1/result?x=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				got = r.URL.String()
				return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
					Body: io.NopCloser(strings.NewReader(`{"status":"pending"}`)), Request: r}, nil
			})}
			c, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID(testWorkspace), sdk.WithHTTPClient(hc))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Project.AuthSessions.Update.Result(context.Background(), "my-project", "op-1", tt.option...); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("URL = %s\nwant  %s", got, tt.want)
			}
		})
	}
}

// Path values travel percent-encoded as one segment; no value changes the
// route. The server sees exactly the encoded segment.
func TestPathValuesAreOneSegment(t *testing.T) {
	noLeaks(t)
	tests := []struct{ value, segment string }{
		{"a/b", "a%2Fb"},
		{"a b", "a%20b"},
		{"é", "%C3%A9"},
		{"?", "%3F"},
		{"#", "%23"},
		{"%", "%25"},
		{"%2F", "%252F"},
		{"a?x=1#f", "a%3Fx=1%23f"},
		{"...", "..."},
		{"a..b", "a..b"},
		{".hidden", ".hidden"},
		{"../x", "..%2Fx"},
		{"x/..", "x%2F.."},
		{`\`, "%5C"},
		{"日本", "%E6%97%A5%E6%9C%AC"},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			s := newServer(t, reply(200, `{"status":"pending"}`))
			c := newClient(t, s)
			ctx := context.Background()
			if _, err := c.Project.AuthSessions.Update.Result(ctx, tt.value, tt.value); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Project.AuthSessions.Update.Result(ctx, "p", "o", sdk.WithWorkspaceID(tt.value)); err != nil {
				t.Fatal(err)
			}
			reqs := s.requests()
			want := "/api/v1/workspace/ws-123/projects/" + tt.segment + "/auth-sessions/update/" + tt.segment + "/result"
			if reqs[0].Path != want {
				t.Errorf("path = %s\nwant   %s", reqs[0].Path, want)
			}
			want = "/api/v1/workspace/" + tt.segment + "/projects/p/auth-sessions/update/o/result"
			if reqs[1].Path != want {
				t.Errorf("workspace path = %s\nwant             %s", reqs[1].Path, want)
			}
			for _, r := range reqs {
				u, err := url.ParseRequestURI(r.Path)
				if err != nil || u.RawQuery != "" || u.Fragment != "" {
					t.Errorf("path %s has a query or fragment (%v)", r.Path, err)
				}
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	noLeaks(t)
	s := newServer(t, pendingOrStarted)
	c := newClient(t, s, sdk.WithHeader("X-Client-Header", "a"))
	_, err := c.Project.AuthSessions.Update.Start(context.Background(), "p", sdk.AuthSessionUpdateRequest{ID: "s"},
		sdk.WithHeader("X-Call-Header", "b"), sdk.WithHeader("x-client-header", "c"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o"); err != nil {
		t.Fatal(err)
	}
	reqs := s.requests()
	h := reqs[0].Header
	if got := h.Values("X-Client-Header"); len(got) != 2 || got[0] != "a" || got[1] != "c" {
		t.Errorf("X-Client-Header = %q, want [a c]", got)
	}
	if got := h.Get("X-Call-Header"); got != "b" {
		t.Errorf("X-Call-Header = %q, want b", got)
	}
	if got := h.Get("Authorization"); got != "" {
		t.Errorf("Authorization = %q, want none", got)
	}
	// A call's headers do not leak into the client's later calls.
	h = reqs[1].Header
	if got := h.Values("X-Client-Header"); len(got) != 1 || got[0] != "a" {
		t.Errorf("later call X-Client-Header = %q, want [a]", got)
	}
	if h.Get("X-Call-Header") != "" || h.Get("Content-Type") != "" {
		t.Errorf("later GET carries X-Call-Header %q / Content-Type %q", h.Get("X-Call-Header"), h.Get("Content-Type"))
	}
	for _, owned := range []string{"x-api-key", "Accept", "content-type", "User-Agent", "Host"} {
		if _, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID("w"), sdk.WithHeader(owned, "x")); err == nil {
			t.Errorf("WithHeader(%q) accepted; the SDK owns that header", owned)
		}
	}
}

func TestAPIKeyFunc(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(200, `{"status":"pending"}`))
	keys := []string{"key-one", "key-two"}
	n := 0
	c := newClient(t, s, sdk.WithAPIKeyFunc(func(ctx context.Context) (string, error) {
		k := keys[n%2]
		n++
		return k, nil
	}))
	for i := 0; i < 2; i++ {
		if _, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o"); err != nil {
			t.Fatal(err)
		}
	}
	reqs := s.requests()
	if reqs[0].Header.Get("X-Api-Key") != "key-one" || reqs[1].Header.Get("X-Api-Key") != "key-two" {
		t.Errorf("keys sent: %q, %q", reqs[0].Header.Get("X-Api-Key"), reqs[1].Header.Get("X-Api-Key"))
	}
}

func TestEnvironmentDefaults(t *testing.T) {
	s := newServer(t, reply(200, `{"status":"pending"}`))
	t.Setenv(sdk.EnvAPIKey, "env-key")
	t.Setenv(sdk.EnvWorkspaceID, "env-ws")
	c, err := sdk.New(sdk.WithServerURL(s.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o"); err != nil {
		t.Fatal(err)
	}
	r := s.requests()[0]
	if r.Header.Get("X-Api-Key") != "env-key" || r.Path != "/env-ws/projects/p/auth-sessions/update/o/result" {
		t.Errorf("sent key %q to %s", r.Header.Get("X-Api-Key"), r.Path)
	}
	// Options win over the environment.
	c, err = sdk.New(sdk.WithServerURL(s.URL), sdk.WithAPIKey("opt-key"), sdk.WithWorkspaceID("opt-ws"))
	if err != nil {
		t.Fatal(err)
	}
	c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
	r = s.requests()[1]
	if r.Header.Get("X-Api-Key") != "opt-key" || r.Path != "/opt-ws/projects/p/auth-sessions/update/o/result" {
		t.Errorf("sent key %q to %s", r.Header.Get("X-Api-Key"), r.Path)
	}
}
