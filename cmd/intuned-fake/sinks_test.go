package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// waitLog waits until the log has n lines matching re, with a bound, and
// returns them.
func waitLog(t *testing.T, log *lockedBuffer, re *regexp.Regexp, n int) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var lines []string
		for _, l := range strings.Split(log.String(), "\n") {
			if re.MatchString(l) {
				lines = append(lines, l)
			}
		}
		if len(lines) >= n {
			return lines
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d lines match %s:\n%s", len(lines), re, log.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func fakeClient(t *testing.T, baseURL string) *sdk.Client {
	t.Helper()
	c, err := sdk.New(sdk.WithServerURL(baseURL), sdk.WithAPIKey(intunedtest.DefaultAPIKey), sdk.WithWorkspaceID(intunedtest.DefaultWorkspaceID))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// Each delivery is logged as it ends: Info when taken, Warn when it
// failed; the sink's scheme and host, no path, query or header; every copy.
func TestSinkDeliveriesLogged(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	taken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer taken.Close()
	refused := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "the database is down", http.StatusInternalServerError)
	}))
	defer refused.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()

	var stderr lockedBuffer
	base, done := start(t, ctx, io.Discard, &stderr, "-sink-redeliver", "1", "-sink-attempt-timeout", "5s")
	c := fakeClient(t, base)
	for queue, sinkURL := range map[string]string{
		"taken":   taken.URL + "/hooks/intuned?token=query-secret#frag",
		"refused": refused.URL + "/hooks/intuned?token=query-secret",
		"gone":    strings.Replace(gone.URL, "http://", "http://user:userinfo-secret@", 1) + "/hooks/intuned?token=query-secret",
	} {
		hook := sdk.SinkWebhook{URL: sinkURL, Headers: map[string]string{"Authorization": "Bearer header-secret"}}
		if _, err := c.Project.Queues.Create(ctx, "p", sdk.QueueCreateRequest{ID: sdk.Ptr(queue), Sink: sdk.NullableOf[sdk.Sink](hook)}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Project.Queues.Items.Append(ctx, "p", queue, sdk.QueueItemAppendRequest{APIName: "scrape-product"}); err != nil {
			t.Fatal(err)
		}
	}
	lines := waitLog(t, &stderr, regexp.MustCompile(`msg="sink delivery`), 6)
	cancel()
	stopped(t, done)

	log := stderr.String()
	for _, secret := range []string{"query-secret", "header-secret", "userinfo-secret", "frag", "Bearer"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q:\n%s", secret, log)
		}
	}
	want := map[string]*regexp.Regexp{
		"taken": regexp.MustCompile(`^time=\S+ level=INFO msg="sink delivery" url=` + regexp.QuoteMeta(taken.URL) + ` queue=taken api=scrape-product run_id=\S+ copy=[01] attempts=1 status=204$`),
		"refused": regexp.MustCompile(`^time=\S+ level=WARN msg="sink delivery failed" url=` + regexp.QuoteMeta(refused.URL) + ` queue=refused api=scrape-product run_id=\S+ copy=[01] attempts=3 status=500 ` +
			`error="intunedtest: the sink answered 500: the database is down"$`),
		"gone": regexp.MustCompile(`^time=\S+ level=WARN msg="sink delivery failed" url=` + regexp.QuoteMeta(gone.URL) + ` queue=gone api=scrape-product run_id=\S+ copy=[01] attempts=3 status=0 ` +
			`error="Post \\"` + regexp.QuoteMeta(gone.URL) + `\\": dial tcp \S+: connect: connection refused"$`),
	}
	for queue, re := range want {
		var copies []string
		for _, l := range lines {
			if re.MatchString(l) {
				copies = append(copies, regexp.MustCompile(`copy=\d`).FindString(l))
			}
		}
		if slices.Sort(copies); !slices.Equal(copies, []string{"copy=0", "copy=1"}) {
			t.Errorf("%s: the deliveries logged are %v, want each copy matching %s, in:\n%s", queue, copies, re, strings.Join(lines, "\n"))
		}
	}
}

// -sink-shuffle sends a job run's payloads out of order, as the package
// does for the same seed: one at a time, so the log shows the order.
func TestSinkShuffleFlag(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	taken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }))
	defer taken.Close()
	var stderr lockedBuffer
	base, done := start(t, ctx, io.Discard, &stderr, "-sink-shuffle", "10", "-sink-shuffle-seed", "1")
	c := fakeClient(t, base)
	job := sdk.JobCreateRequest{ID: "j", Sink: sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: taken.URL})}
	for i := range 6 {
		job.Payload = append(job.Payload, sdk.JobPayload{APIName: fmt.Sprint("api-", i)})
	}
	if _, err := c.Project.Jobs.Create(ctx, "p", job); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.Jobs.Trigger(ctx, "p", "j"); err != nil {
		t.Fatal(err)
	}
	lines := waitLog(t, &stderr, regexp.MustCompile(`msg="sink delivery"`), 6)
	cancel()
	stopped(t, done)
	var order []string
	for _, l := range lines {
		order = append(order, strings.TrimPrefix(regexp.MustCompile(`api=\S+`).FindString(l), "api="))
	}
	if want := []string{"api-4", "api-5", "api-0", "api-2", "api-1", "api-3"}; !slices.Equal(order, want) { // as TestSinkShuffleJob pins it
		t.Errorf("delivered %v, want %v", order, want)
	}
}

func TestSinkFlags(t *testing.T) {
	var stderr lockedBuffer
	if err := run(context.Background(), []string{"-h"}, io.Discard, &stderr, nil); !errors.Is(err, flag.ErrHelp) {
		t.Fatal(err)
	}
	for _, f := range []string{"-sink-redeliver n", "-sink-shuffle n", "-sink-shuffle-seed seed", "-sink-attempt-timeout duration", "the sink's scheme and host, never its path, query or a header"} {
		if !strings.Contains(stderr.String(), f) {
			t.Errorf("-h lacks %q:\n%s", f, stderr.String())
		}
	}
	for _, args := range [][]string{{"-sink-redeliver", "-1"}, {"-sink-shuffle", "-2"}, {"-sink-attempt-timeout", "-1s"}, {"-sink-shuffle-seed", "x"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard, func(string) { t.Errorf("%v: the fake started", args) }); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

// What of a sink's URL and of a failed delivery's error the log shows: the
// scheme and host, never the path, the query or user info (tokens go there).
func TestSinkURLRedacted(t *testing.T) {
	for raw, want := range map[string]string{
		"http://127.0.0.1:8080/hooks/intuned?token=abc":     "http://127.0.0.1:8080",
		"https://user:pw@hooks.example.com/a%2Fb/c?x=1#top": "https://hooks.example.com",
		"http://localhost":   "http://localhost",
		"http://[::1]:9/x y": "http://[::1]:9",
		"http://bad host/":   "(not a URL)",
	} {
		if got := sinkURL(raw); got != want {
			t.Errorf("sinkURL(%q) = %q, want %q", raw, got, want)
		}
	}
	raw := "http://u:secret@127.0.0.1:1/h?token=secret"
	for _, err := range []error{
		&url.Error{Op: "Post", URL: raw, Err: errors.New("connection refused")},
		fmt.Errorf("wrapped: %w", &url.Error{Op: "Post", URL: "http://u:secret@127.0.0.1:1/h?token=secret&more", Err: errors.New("x")}),
		errors.New("mentions " + raw),
	} {
		if got := sinkError(err, raw); strings.Contains(got, "secret") || strings.Contains(got, "/h") || !strings.Contains(got, "http://127.0.0.1:1") {
			t.Errorf("sinkError(%v) = %q", err, got)
		}
	}
}
