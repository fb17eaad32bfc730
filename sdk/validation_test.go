package sdk_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

func TestNewRejectsBadConfiguration(t *testing.T) {
	t.Setenv(sdk.EnvAPIKey, "")
	t.Setenv(sdk.EnvWorkspaceID, "")
	tests := []struct {
		name    string
		opts    []sdk.Option
		mention string
	}{
		{"no API key", []sdk.Option{sdk.WithWorkspaceID("w")}, sdk.EnvAPIKey},
		{"empty API key", []sdk.Option{sdk.WithAPIKey(""), sdk.WithWorkspaceID("w")}, "API key"},
		{"API key with newline", []sdk.Option{sdk.WithAPIKey("k\r\nX-Evil: 1"), sdk.WithWorkspaceID("w")}, "control character"},
		{"nil key function", []sdk.Option{sdk.WithAPIKeyFunc(nil), sdk.WithWorkspaceID("w")}, "nil"},
		{"no workspace", []sdk.Option{sdk.WithAPIKey("k")}, sdk.EnvWorkspaceID},
		{"empty workspace", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("")}, "workspace ID is empty"},
		{"dot-dot workspace", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("..")}, "dot segment"},
		{"relative server URL", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithServerURL("/api/v1")}, "absolute"},
		{"server URL without scheme", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithServerURL("app.intuned.io/api")}, "absolute"},
		{"ftp server URL", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithServerURL("ftp://example.com")}, "absolute"},
		{"server URL with user", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithServerURL("https://u:p@example.com")}, "user info"},
		{"server URL with user and query", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithServerURL("https://u@example.com/api?x=1")}, "user info"},
		{"server URL with fragment", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithServerURL("https://example.com/api#top")}, "fragment"},
		{"server URL with query and fragment", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithServerURL("https://example.com/api?x=1#top")}, "fragment"},
		{"unparsable server URL", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithServerURL("http://[::1")}, "server URL"},
		{"nil HTTP client", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithHTTPClient(nil)}, "HTTP client"},
		{"negative timeout", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithTimeout(-time.Second)}, "timeout"},
		{"bad header name", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithHeader("X Bad", "v")}, "header"},
		{"header value with newline", []sdk.Option{sdk.WithAPIKey("k"), sdk.WithWorkspaceID("w"), sdk.WithHeader("X-Ok", "a\nb")}, "control character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := sdk.New(tt.opts...)
			if c != nil || err == nil {
				t.Fatalf("New = %v, %v; want an error", c, err)
			}
			var ae *sdk.ArgumentError
			if !errors.As(err, &ae) || !errors.Is(err, sdk.ErrInvalidArgument) {
				t.Errorf("err = %v (%T), want *ArgumentError", err, err)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("Error() = %q, want it to mention %q", err, tt.mention)
			}
		})
	}
}

// A server URL's query is kept on every request, as the reference client
// does, for the client and for a single call.
func TestServerURLQueryIsKept(t *testing.T) {
	noLeaks(t)
	s := newServer(t, pendingOrStarted)
	c, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(s.URL+"/api/v1/workspace/?x=1&y=a%2Fb"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Project.AuthSessions.Update.Result(ctx, "p", "o"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.AuthSessions.Update.Start(ctx, "p", sdk.AuthSessionUpdateRequest{ID: "s"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.AuthSessions.Update.Result(ctx, "p", "o", sdk.WithServerURL(s.URL+"/other?token=t")); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/api/v1/workspace/ws-123/projects/p/auth-sessions/update/o/result?x=1&y=a%2Fb",
		"/api/v1/workspace/ws-123/projects/p/auth-sessions/update?x=1&y=a%2Fb",
		"/other/ws-123/projects/p/auth-sessions/update/o/result?token=t",
	}
	reqs := s.requests()
	if len(reqs) != len(want) {
		t.Fatalf("%d requests, want %d", len(reqs), len(want))
	}
	for i, r := range reqs {
		if r.Path != want[i] {
			t.Errorf("request %d: RequestURI = %s\nwant               %s", i, r.Path, want[i])
		}
	}
}

// Bad arguments are refused before any request is sent.
func TestBadArgumentsSendNothing(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(500, `{}`))
	c := newClient(t, s)
	u := c.Project.AuthSessions.Update
	ctx := context.Background()
	okResume := sdk.AuthSessionOperationResumeRequest{Input: "1", InfoRequestID: "i"}
	tests := []struct {
		name    string
		call    func() error
		mention string
	}{
		{"start empty project", func() error { _, err := u.Start(ctx, "", sdk.AuthSessionUpdateRequest{ID: "s"}); return err }, "project name is empty"},
		{"start dot project", func() error { _, err := u.Start(ctx, ".", sdk.AuthSessionUpdateRequest{ID: "s"}); return err }, "dot segment"},
		{"start dot-dot project", func() error { _, err := u.Start(ctx, "..", sdk.AuthSessionUpdateRequest{ID: "s"}); return err }, "dot segment"},
		{"start empty auth session ID", func() error { _, err := u.Start(ctx, "p", sdk.AuthSessionUpdateRequest{}); return err }, "auth session ID is empty"},
		{"start bad raw parameters", func() error {
			_, err := u.Start(ctx, "p", sdk.AuthSessionUpdateRequest{ID: "s", Parameters: sdk.ParametersRaw(`"a string"`)})
			return err
		}, "parameters"},
		{"start malformed raw parameters", func() error {
			_, err := u.Start(ctx, "p", sdk.AuthSessionUpdateRequest{ID: "s", Parameters: sdk.ParametersRaw(`{"a":`)})
			return err
		}, "parameters"},
		{"start unencodable parameters", func() error {
			_, err := u.Start(ctx, "p", sdk.AuthSessionUpdateRequest{ID: "s", Parameters: sdk.ParametersObject{"f": func() {}}})
			return err
		}, "parameters"},
		{"result empty project", func() error { _, err := u.Result(ctx, "", "o"); return err }, "project name is empty"},
		{"result empty operation", func() error { _, err := u.Result(ctx, "p", ""); return err }, "operation ID is empty"},
		{"result dot-dot operation", func() error { _, err := u.Result(ctx, "p", ".."); return err }, "dot segment"},
		{"result control character", func() error { _, err := u.Result(ctx, "p", "a\x00b"); return err }, "control character"},
		{"result newline", func() error { _, err := u.Result(ctx, "p\n", "o"); return err }, "control character"},
		{"result invalid UTF-8", func() error { _, err := u.Result(ctx, "p\xff", "o"); return err }, "UTF-8"},
		{"result overlong", func() error { _, err := u.Result(ctx, strings.Repeat("p", 1025), "o"); return err }, "limit"},
		{"resume empty operation", func() error { _, err := u.Resume(ctx, "p", "", okResume); return err }, "operation ID is empty"},
		{"resume empty info request ID", func() error {
			_, err := u.Resume(ctx, "p", "o", sdk.AuthSessionOperationResumeRequest{Input: "1"})
			return err
		}, "info request ID is empty"},
		{"nil context", func() error {
			//lint:ignore SA1012 a nil context is what is being tested
			_, err := u.Result(nil, "p", "o") //nolint:staticcheck
			return err
		}, "context is nil"},
		{"nil client", func() error { _, err := sdk.ProjectAuthSessionsUpdateResult(ctx, nil, "p", "o"); return err }, "client is nil"},
		{"bad call option", func() error { _, err := u.Result(ctx, "p", "o", sdk.WithServerURL("relative")); return err }, "absolute"},
		{"bad call workspace", func() error { _, err := u.Result(ctx, "p", "o", sdk.WithWorkspaceID(".")); return err }, "dot segment"},
		{"key function fails", func() error {
			_, err := u.Result(ctx, "p", "o", sdk.WithAPIKeyFunc(func(context.Context) (string, error) { return "", errors.New("vault sealed") }))
			return err
		}, "vault sealed"},
		{"key function returns nothing", func() error {
			_, err := u.Result(ctx, "p", "o", sdk.WithAPIKeyFunc(func(context.Context) (string, error) { return "", nil }))
			return err
		}, "API key is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil || !strings.Contains(err.Error(), tt.mention) {
				t.Fatalf("err = %v, want one that mentions %q", err, tt.mention)
			}
			if s.count() != 0 {
				t.Fatalf("%d requests were sent", s.count())
			}
		})
	}
}

// The API key appears in no error text, no log record and no printed form of
// the client.
func TestAPIKeyNeverPrinted(t *testing.T) {
	noLeaks(t)
	const key = "sk-very-secret-0123456789"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := newServer(t, failing(1, 503, "0"))
	c, err := sdk.New(sdk.WithAPIKey(key), sdk.WithWorkspaceID("w"), sdk.WithServerURL(s.URL), sdk.WithLogger(logger), sdk.WithRetryConfig(fast))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out = append(out, fmt.Sprintf(verb, c), fmt.Sprintf(verb, *c), fmt.Sprintf(verb, c.Project))
	}
	if _, err := start(c); err != nil {
		t.Fatal(err)
	}
	errs := []error{}
	_, err = c.Project.AuthSessions.Update.Result(context.Background(), "p", "o", sdk.WithRetryConfig(sdk.RetryConfig{}))
	errs = append(errs, err)
	_, err = c.Project.AuthSessions.Update.Result(context.Background(), "", "o")
	errs = append(errs, err)
	_, err = sdk.New(sdk.WithAPIKey(key+"\n"), sdk.WithWorkspaceID("w"))
	errs = append(errs, err)
	for _, e := range errs {
		if e == nil {
			t.Fatal("expected an error")
		}
		out = append(out, e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e))
	}
	out = append(out, logs.String())
	if !strings.Contains(logs.String(), "intuned: retrying") {
		t.Errorf("debug log has no retry record:\n%s", logs.String())
	}
	for _, o := range out {
		if strings.Contains(o, key) {
			t.Errorf("API key printed in %q", o)
		}
	}
	// The key was sent, though.
	if got := s.requests()[0].Header.Get("X-Api-Key"); got != key {
		t.Errorf("sent key %q", got)
	}
}

// slogRecorder keeps every record's message and attributes.
type slogRecorder struct{ records []map[string]any }

func (h *slogRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *slogRecorder) Handle(_ context.Context, r slog.Record) error {
	m := map[string]any{"msg": r.Message}
	r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.Any(); return true })
	h.records = append(h.records, m)
	return nil
}
func (h *slogRecorder) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *slogRecorder) WithGroup(string) slog.Handler      { return h }

// The logger shows every attempt and every wait, and waits grow
// exponentially up to MaxInterval.
func TestLoggingAndBackoffGrowth(t *testing.T) {
	noLeaks(t)
	rec := &slogRecorder{}
	// 503: a start (not idempotent) is retried on it, unlike on a 500.
	s := newServer(t, failing(4, 503, ""))
	cfg := sdk.RetryConfig{Strategy: sdk.RetryStrategyBackoff, Backoff: sdk.BackoffConfig{InitialInterval: 10 * time.Millisecond, Exponent: 2, MaxInterval: 40 * time.Millisecond}}
	if _, err := start(newClient(t, s, sdk.WithRetryConfig(cfg), sdk.WithLogger(slog.New(rec)))); err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	responses := 0
	for _, r := range rec.records {
		switch r["msg"] {
		case "intuned: retrying":
			waits = append(waits, r["wait"].(time.Duration))
		case "intuned: response":
			responses++
			if r["operation"] != "project.authSessions.update.start" || r["method"] != "POST" || r["path"] != "/api/v1/workspace/ws-123/projects/p/auth-sessions/update" {
				t.Errorf("record %v", r)
			}
		}
	}
	if responses != 5 || len(waits) != 4 {
		t.Fatalf("%d responses and %d waits logged, want 5 and 4", responses, len(waits))
	}
	lows := []time.Duration{10, 20, 40, 40}
	for i, w := range waits {
		low := lows[i] * time.Millisecond
		if w < low || w > low*5/4 || w > 40*time.Millisecond {
			t.Errorf("wait %d = %v, want %v plus at most 25%% jitter, at most 40ms", i, w, low)
		}
	}
}
