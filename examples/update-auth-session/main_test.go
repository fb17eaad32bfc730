package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// The README's first command: with no configuration, the whole flow runs
// against the embedded fake.
func TestRunAgainstEmbeddedFake(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	begin := time.Now()
	code := run(context.Background(), nil, env(nil), strings.NewReader(""), &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, &out, &errOut)
	}
	text := out.String()
	steps := []string{"embedded fake", "started: operation", "pending (poll 1)", "OTP requested: Enter the 6-digit code",
		"answering with 000000, a wrong code", "rejected: ", "answering with 123456", "answered", "done (poll", "auth session my-auth-session is ready"}
	at := 0
	for _, s := range steps {
		i := strings.Index(text[at:], s)
		if i < 0 {
			t.Fatalf("output lacks %q after byte %d:\n%s", s, at, text)
		}
		at += i
	}
	if d := time.Since(begin); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
}

// Against a configured API the answer comes from the terminal.
func TestRunAgainstConfiguredAPI(t *testing.T) {
	t.Parallel()
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "bad-login"))
	defer srv.Close()
	srv.Script("s1", intunedtest.Choice("Where should we send the code?", []string{"email", "sms"}, "sms"), intunedtest.OTP("Code?", "777"), intunedtest.Done("s1-ready"))
	e := env(map[string]string{sdk.EnvAPIKey: srv.APIKey, sdk.EnvWorkspaceID: srv.WorkspaceID})
	var out, errOut bytes.Buffer
	args := []string{"-server-url", srv.URL, "-project", "p", "-auth-session", "s1", "-params", `{"username":"me"}`}
	code := run(context.Background(), args, e, strings.NewReader("2\n777\n"), &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, &out, &errOut)
	}
	for _, s := range []string{"1) email", "2) sms", "Your choice", "Your answer", "auth session s1-ready is ready"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, &out)
		}
	}
	for _, r := range srv.Requests() {
		if r.Operation == intunedtest.ProjectAuthSessionsUpdateStart && string(r.Body) != `{"id":"s1","parameters":{"username":"me"}}` {
			t.Errorf("start body %s", r.Body)
		}
	}
}

func TestRunFailures(t *testing.T) {
	t.Parallel()
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "s1", "bad-login"))
	defer srv.Close()
	srv.Script("bad-login", intunedtest.Fail("login_failed", "Wrong password"))
	configured := env(map[string]string{sdk.EnvAPIKey: srv.APIKey, sdk.EnvWorkspaceID: srv.WorkspaceID})
	tests := []struct {
		name    string
		args    []string
		env     func(string) string
		stdin   string
		code    int
		mention string
	}{
		{"half configured", nil, env(map[string]string{sdk.EnvAPIKey: "k"}), "", 2, "set both"},
		{"no project", []string{"-server-url", srv.URL}, configured, "", 2, "-project and -auth-session are required"},
		{"bad params", []string{"-params", `"x"`}, env(nil), "", 2, "JSON object or array"},
		{"unknown flag", []string{"-nope"}, env(nil), "", 2, "flag provided but not defined"},
		{"stray argument", []string{"-project", "p", "extra"}, env(nil), "", 2, `unexpected argument "extra"`},
		{"server URL without the API", []string{"-server-url", srv.URL}, env(nil), "", 2, "-server-url is for the Intuned API"},
		{"help", []string{"-h"}, env(nil), "", 0, sdk.EnvWorkspaceID},
		{"wrong key", []string{"-server-url", srv.URL, "-project", "p", "-auth-session", "s"},
			env(map[string]string{sdk.EnvAPIKey: "wrong", sdk.EnvWorkspaceID: srv.WorkspaceID}), "\n", 1, "API key was refused"},
		{"failed update", []string{"-server-url", srv.URL, "-project", "p", "-auth-session", "bad-login"}, configured, "\n", 1, "the update failed: login_failed: Wrong password"},
		{"bad server URL", []string{"-server-url", "not a url", "-project", "p", "-auth-session", "s"}, configured, "\n", 2, "server URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tt.args, tt.env, strings.NewReader(tt.stdin), &out, &errOut)
			if code != tt.code || !strings.Contains(errOut.String(), tt.mention) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, &errOut, tt.code, tt.mention)
			}
		})
	}
}

// With nothing to read on standard input, the program says so before it
// starts an update that might need an answer.
func TestRunNoAnswerOnStdin(t *testing.T) {
	t.Parallel()
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s"))
	defer srv.Close()
	e := env(map[string]string{sdk.EnvAPIKey: srv.APIKey, sdk.EnvWorkspaceID: srv.WorkspaceID})
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-server-url", srv.URL, "-project", "p", "-auth-session", "s"}, e, strings.NewReader(""), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "standard input") {
		t.Errorf("exit %d, stderr %q", code, &errOut)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent before noticing that nothing can be answered", n)
	}
}

// The terminal's answers: a wrong code is asked for again, with the API's
// reason; answers running out end the wait, naming the operation once.
func TestRunRejectedAnswers(t *testing.T) {
	t.Parallel()
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "s", "t"))
	defer srv.Close()
	srv.Script("s", intunedtest.OTP("Code?", "777"), intunedtest.Done(""))
	srv.Script("t", intunedtest.OTP("Code?", "777"), intunedtest.Done(""))
	e := env(map[string]string{sdk.EnvAPIKey: srv.APIKey, sdk.EnvWorkspaceID: srv.WorkspaceID})

	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-server-url", srv.URL, "-project", "p", "-auth-session", "s"}, e, strings.NewReader("111\n777\n"), &out, &errOut)
	if code != 0 || !strings.Contains(out.String(), "Not accepted: ") || !strings.Contains(out.String(), "Try again") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, &out, &errOut)
	}

	out.Reset()
	errOut.Reset()
	code = run(context.Background(), []string{"-server-url", srv.URL, "-project", "p", "-auth-session", "t"}, e, strings.NewReader("1\n2\n3\n"), &out, &errOut)
	text := errOut.String()
	if code != 1 || !strings.Contains(text, "the API found the request invalid") || strings.Contains(text, "null") {
		t.Errorf("exit %d, stderr %q", code, text)
	}
	if n := strings.Count(text, "op-"); n != 1 {
		t.Errorf("the operation ID appears %d times in %q", n, text)
	}
	if strings.Contains(text, "client.Project") {
		t.Errorf("Go advice for a CLI user: %q", text)
	}
}
