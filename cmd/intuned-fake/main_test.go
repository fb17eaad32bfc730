package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// lockedBuffer is a bytes.Buffer that the server's goroutines and the test
// may share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// start runs the command in-process on a free loopback port until ctx is
// done, and returns its base URL and a channel that receives run's error.
func start(t *testing.T, ctx context.Context, stdout, stderr io.Writer, args ...string) (string, <-chan error) {
	t.Helper()
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", ":0"}, args...), stdout, stderr, func(u string) { urls <- u })
	}()
	select {
	case u := <-urls:
		return u, done
	case err := <-done:
		t.Fatalf("run: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the fake did not start")
	}
	return "", nil
}

// stopped waits for run to return after its context is done.
func stopped(t *testing.T, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the fake did not stop")
	}
}

func TestServeExampleScripts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	url, done := start(t, ctx, &stdout, &stderr, "-scripts", "scripts.example.json", "-api-key", "secret key", "-workspace", "ws-1")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("base URL %s is not on loopback", url)
	}
	c, err := sdk.New(sdk.WithServerURL(url), sdk.WithAPIKey("secret key"), sdk.WithWorkspaceID("ws-1"))
	if err != nil {
		t.Fatal(err)
	}
	poll := sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})

	// The scripted auth session, with its one-time code.
	id, err := c.Project.AuthSessions.Update.StartAndWait(ctx, "my-project", sdk.AuthSessionUpdateRequest{ID: "my-auth-session"},
		func(context.Context, sdk.InfoRequest) (string, error) { return "123456", nil }, poll)
	if err != nil || id != "my-auth-session" {
		t.Fatalf("update: %q, %v", id, err)
	}
	if list, err := c.Project.AuthSessions.All(ctx, "my-project"); err != nil || len(list) != 2 {
		t.Errorf("auth sessions: %+v, %v", list, err)
	}
	// The scripted APIs.
	res, err := c.Project.Run.Sync(ctx, "my-project", sdk.RunRequest{API: "scrape-product", Parameters: sdk.ParametersObject{}})
	if done, ok := res.(sdk.RunCompleted); err != nil || !ok || string(done.Result) != `{"title":"Mug","price":9.5,"currency":"EUR"}` {
		t.Errorf("scrape-product: %#v, %v", res, err)
	}
	// One input of scrape-product fails (runScripts); the others do not.
	res, err = c.Project.Run.Sync(ctx, "my-project", sdk.RunRequest{API: "scrape-product", Parameters: sdk.ParametersObject{"url": "https://shop.example.com/p/137"}})
	if f, ok := res.(sdk.RunFailed); err != nil || !ok || f.Error != "page_gone" || f.StatusCode != 502 {
		t.Errorf("scrape-product of p/137: %#v, %v", res, err)
	}
	res, err = c.Project.Run.Sync(ctx, "my-project", sdk.RunRequest{API: "scrape-product", Parameters: sdk.ParametersObject{"url": "https://shop.example.com/p/138"}})
	if _, ok := res.(sdk.RunCompleted); err != nil || !ok {
		t.Errorf("scrape-product of p/138: %#v, %v", res, err)
	}
	res, err = c.Project.Run.Sync(ctx, "my-project", sdk.RunRequest{API: "flaky-page", Parameters: sdk.ParametersObject{}})
	if f, ok := res.(sdk.RunFailed); err != nil || !ok || f.Error != "api_error" {
		t.Errorf("flaky-page: %#v, %v", res, err)
	}
	if _, err := c.Project.Queues.Create(ctx, "my-project", sdk.QueueCreateRequest{ID: sdk.Ptr("q")}); err != nil {
		t.Fatal(err)
	}
	item, err := c.Project.Queues.Items.Append(ctx, "my-project", "q", sdk.QueueItemAppendRequest{APIName: "rate-limited"})
	if err != nil {
		t.Fatal(err)
	}
	var statuses []string
	for i := 0; i < 3; i++ {
		r, err := c.Project.Queues.Items.Result(ctx, "my-project", "q", item.RunID)
		if err != nil {
			t.Fatal(err)
		}
		statuses = append(statuses, string(r.Status()))
		if f, ok := r.(sdk.QueueItemFailed); ok && (f.StatusCode != 429 || !strings.Contains(string(f.Error), `"retryAfterSeconds":30`)) {
			t.Errorf("rate-limited: %#v", f)
		}
	}
	if got := strings.Join(statuses, ","); got != "queued,queued,failed" {
		t.Errorf("rate-limited item: %s", got)
	}
	// The scripted files: one script for each kind of extraction.
	invoice := sdk.ExtractionRequest{File: sdk.PDF(sdk.FromURL("https://example.com/invoice.pdf"))}
	md, err := c.Files.ExtractMarkdown.StartAndWait(ctx, invoice, poll)
	if err != nil || !strings.HasPrefix(md.Result, "# Invoice 1234\n") {
		t.Errorf("invoice markdown: %#v, %v", md, err)
	}
	tables, err := c.Files.ExtractTables.Sync(ctx, invoice)
	if done, ok := tables.(sdk.TableExtractionCompleted); err != nil || !ok || len(done.Result) != 2 || *done.Result[0].Title != "Items" || done.Result[1].Title != nil || done.Result[1].Content[0][1] != "12.50" {
		t.Errorf("invoice tables: %#v, %v", tables, err)
	}
	data, err := c.Files.ExtractStructuredData.StartAndWait(ctx, sdk.StructuredDataExtractionRequest{File: invoice.File, DataSchema: map[string]any{"type": "object"}}, poll)
	if err != nil || string(data.Result) != `{"invoiceNumber":"1234","total":12.5,"currency":"EUR"}` {
		t.Errorf("invoice data: %#v, %v", data, err)
	}
	_, err = c.Files.ExtractMarkdown.StartAndWait(ctx, sdk.ExtractionRequest{File: sdk.Image(sdk.FromURL("https://example.com/scan.png"))}, poll)
	var failed *sdk.OperationFailedError
	if !errors.As(err, &failed) || failed.Code != "unreadable_file" {
		t.Errorf("blurry scan: %v", err)
	}
	pdf := sdk.ExtractionRequest{File: sdk.PDF(sdk.FromBytes([]byte("%PDF-1.7\n")))}
	started, err := c.Files.ExtractMarkdown.Start(ctx, pdf)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := c.Files.ExtractMarkdown.Result(ctx, started.OperationID); err != nil || res.Status() != "throttled" {
		t.Errorf("raw extraction: %#v, %v", res, err)
	}
	if res, err := c.Files.ExtractMarkdown.Result(ctx, started.OperationID); err != nil || res.(sdk.MarkdownExtractionCompleted).Result != "An almost empty PDF" {
		t.Errorf("after the raw extraction: %#v, %v", res, err)
	}
	// Another key is refused.
	other, _ := sdk.New(sdk.WithServerURL(url), sdk.WithAPIKey(intunedtest.DefaultAPIKey), sdk.WithWorkspaceID("ws-1"))
	if _, err := other.Project.Jobs.All(ctx, "my-project"); err == nil {
		t.Error("the default API key is accepted")
	}

	cancel()
	stopped(t, done)
	for _, want := range []string{"listening on " + url, "export INTUNED_API_KEY='secret key'", "export INTUNED_WORKSPACE_ID=ws-1", `sdk.WithServerURL("` + url + `")`} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	for _, want := range []string{"operation=updateAuthSessionStart", "operation=runSync method=POST path=/ws-1/projects/my-project/run status=200", "operation=extractTablesSync method=POST path=/ws-1/files/extract/tables status=200", "status=401", "shutting down", "stopped"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, stderr.String())
		}
	}
}

// Without a scripts file, the package's defaults apply.
func TestServeDefaults(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url, done := start(t, ctx, io.Discard, io.Discard)
	c, err := sdk.New(sdk.WithServerURL(url), sdk.WithAPIKey(intunedtest.DefaultAPIKey), sdk.WithWorkspaceID(intunedtest.DefaultWorkspaceID))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Project.Run.Sync(ctx, "p", sdk.RunRequest{API: "a", Parameters: sdk.ParametersArray{1}})
	if d, ok := res.(sdk.RunCompleted); err != nil || !ok || string(d.Result) != `{"api":"a","parameters":[1]}` {
		t.Errorf("sync: %#v, %v", res, err)
	}
	cancel()
	stopped(t, done)
}

func TestFlags(t *testing.T) {
	ctx := context.Background()
	var stderr bytes.Buffer
	if err := run(ctx, []string{"-h"}, io.Discard, &stderr, nil); !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr.String(), "-scripts") {
		t.Errorf("-h: %v\n%s", err, stderr.String())
	}
	for name, args := range map[string][]string{
		"unknown flag":       {"-nope"},
		"extra argument":     {"serve"},
		"empty key":          {"-api-key", ""},
		"missing scripts":    {"-scripts", "no-such-file.json"},
		"bad address":        {"-addr", "256.0.0.1:0"},
		"malformed duration": {"-shutdown-timeout", "soon"},
	} {
		if err := run(ctx, args, io.Discard, io.Discard, func(string) { t.Errorf("%s: the fake started", name) }); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// -h prints the format of the scripts file after the flags: every member
// the parser takes, every kind of step and each of its members, and an
// example that parses. A mistake in the flags does not print it.
func TestHelpShowsScriptsFormat(t *testing.T) {
	var stderr bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, io.Discard, &stderr, nil); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	help := stderr.String()
	if !strings.Contains(help, "\n"+scriptsFormat) || !strings.Contains(help, "-sink-shuffle") {
		t.Fatalf("-h does not print the flags and the scripts file's format:\n%s", help)
	}
	var names []string
	for _, typ := range []reflect.Type{reflect.TypeFor[scriptsFile](), reflect.TypeFor[runScriptSpec]()} {
		for i := range typ.NumField() {
			if name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ","); name != "" {
				names = append(names, name)
			}
		}
	}
	for kind, members := range stepMembers {
		names = append(names, kind)
		for _, m := range members {
			if !strings.Contains(scriptsFormat, `{"step": "`+kind+`"`) || !strings.Contains(scriptsFormat, `"`+m+`": `) {
				t.Errorf("the format lacks the step %q or its member %q", kind, m)
			}
		}
	}
	for _, name := range names {
		if !strings.Contains(scriptsFormat, `"`+name+`"`) {
			t.Errorf("the format lacks %q", name)
		}
	}
	// Its example is a scripts file.
	begin, end := strings.Index(scriptsFormat, "\n  {\n"), strings.Index(scriptsFormat, "\n  }\n")
	if begin < 0 || end < begin {
		t.Fatal("the format has no example")
	}
	if _, err := parseScripts(strings.NewReader(scriptsFormat[begin : end+4])); err != nil {
		t.Errorf("the example: %v", err)
	}

	stderr.Reset()
	if err := run(context.Background(), []string{"-nope"}, io.Discard, &stderr, nil); err == nil || strings.Contains(stderr.String(), "authSessionScripts") {
		t.Errorf("-nope: %v, and the format printed:\n%s", err, stderr.String())
	}
}

// The package documentation of sdk/intunedtest (go doc) has the format
// -h prints, word for word.
func TestScriptsFormatDocumented(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../../sdk/intunedtest/doc.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	doc := f.Doc.Text()
	_, section, found := strings.Cut(doc, "# Scripts file\n")
	if !found {
		t.Fatal("the package documentation has no section # Scripts file")
	}
	if words := strings.Join(strings.Fields(scriptsFormat), " "); !strings.Contains(strings.Join(strings.Fields(section), " "), words) {
		t.Errorf("the package documentation's section Scripts file is not the format -h prints:\n%s\nwant\n%s", section, scriptsFormat)
	}
}

// runScripts script the runs of an API with given parameters, a later entry
// winning; they come before apiScripts.
func TestRunScriptsOfTheFile(t *testing.T) {
	opts, err := parseScripts(strings.NewReader(`{
		"apiScripts": {"a": [{"step": "completed", "result": "api"}]},
		"runScripts": [
			{"api": "a", "parameters": {"n": 1}, "steps": [{"step": "completed", "result": "first"}]},
			{"api": "a", "parameters": {"n": 1.0}, "steps": [{"step": "failed", "code": "second", "message": "m"}]},
			{"api": "a", "parameters": [1, 2], "steps": [{"step": "completed", "result": "array"}]}
		]}`))
	if err != nil {
		t.Fatal(err)
	}
	srv := intunedtest.NewServer(opts...)
	defer srv.Close()
	c := srv.Client()
	defer c.CloseIdleConnections()
	for _, tc := range []struct {
		params sdk.Parameters
		want   string
	}{
		{sdk.ParametersObject{"n": 1}, `failed second`},
		{sdk.ParametersArray{1, 2}, `completed "array"`},
		{sdk.ParametersObject{"n": 2}, `completed "api"`},
	} {
		res, err := c.Project.Run.Sync(context.Background(), "p", sdk.RunRequest{API: "a", Parameters: tc.params})
		got := fmt.Sprint(err)
		switch r := res.(type) {
		case sdk.RunCompleted:
			got = "completed " + string(r.Result)
		case sdk.RunFailed:
			got = "failed " + r.Error
		}
		if got != tc.want {
			t.Errorf("%v: %s, want %s", tc.params, got, tc.want)
		}
	}
}

func TestParseScripts(t *testing.T) {
	if _, err := parseScripts(strings.NewReader(`{}`)); err != nil {
		t.Errorf("empty file: %v", err)
	}
	good := `{"fileScripts":{"u":[
		{"step":"extracting"},
		{"step":"extractedTables","result":[]},
		{"step":"extractedTables","result":[{"pageNumber":1,"content":[[null,"a"]]}]},
		{"step":"extractedData"},
		{"step":"extractedData","result":null},
		{"step":"extractedMarkdown","result":""},
		{"step":"extractionFailed"},
		{"step":"rawExtraction","body":"{"}
	]},"defaultFileScript":[]}`
	if _, err := parseScripts(strings.NewReader(good)); err != nil {
		t.Errorf("file steps: %v", err)
	}
	bad := map[string]string{
		`[]`:               "not a scripts file",
		`{"apiScript":{}}`: `unknown field "apiScript"`,
		`{} {}`:            "more than one JSON value",
		`{"apiScripts":{"a":[{"step":"pending","n":1}]}}`:                                                `apiScripts["a"][0]: step "pending" is not one of queued, running`,
		`{"authSessionScripts":{"s":[{"step":"completed"}]}}`:                                            `authSessionScripts["s"][0]: step "completed" is not one of pending, otp`,
		`{"apiScripts":{"a":[{"step":"running","n":1,"message":"x"}]}}`:                                  `a "running" step has no member "message"`,
		`{"apiScripts":{"a":[{"step":"running","n":-1}]}}`:                                               "n is -1",
		`{"defaultAPIScript":[{"step":"completed","statusCode":"200"}]}`:                                 "not a scripts file",
		`{"defaultAuthSessionScript":[{"step":"otp","typo":"x"}]}`:                                       `unknown field "typo"`,
		`{"defaultAuthSessionScript":[{"step":"wait"}]}`:                                                 `defaultAuthSessionScript[0]: step "wait"`,
		`{"authSessions":{"p":"s"}}`:                                                                     "not a scripts file",
		`{"fileScripts":{"u":[{"step":"running","n":1}]}}`:                                               `fileScripts["u"][0]: step "running" is not one of extracting, extractedMarkdown`,
		`{"apiScripts":{"a":[{"step":"extracting","n":1}]}}`:                                             `step "extracting" is not one of queued`,
		`{"fileScripts":{"u":[{"step":"extracting","n":-2}]}}`:                                           "n is -2",
		`{"fileScripts":{"u":[{"step":"extractionFailed","body":"x"}]}}`:                                 `an "extractionFailed" step has no member "body"`,
		`{"fileScripts":{"u":[{"step":"extractedMarkdown"}]}}`:                                           "is a string",
		`{"fileScripts":{"u":[{"step":"extractedMarkdown","result":1}]}}`:                                "is a string",
		`{"fileScripts":{"u":[{"step":"extractedMarkdown","result":null}]}}`:                             "is a string",
		`{"fileScripts":{"u":[{"step":"extractedTables"}]}}`:                                             "is an array of tables: it is not an array",
		`{"fileScripts":{"u":[{"step":"extractedTables","result":{}}]}}`:                                 "it is not an array",
		`{"fileScripts":{"u":[{"step":"extractedTables","result":[{"pageNumber":1}]}]}}`:                 "[0]: a table has a pageNumber and a content",
		`{"fileScripts":{"u":[{"step":"extractedTables","result":[{"content":[]}]}]}}`:                   "[0]: a table has a pageNumber and a content",
		`{"fileScripts":{"u":[{"step":"extractedTables","result":[{"page":1,"content":[]}]}]}}`:          `unknown field "page"`,
		`{"fileScripts":{"u":[{"step":"extractedTables","result":[{"pageNumber":1.5,"content":[]}]}]}}`:  "[0]: json",
		`{"fileScripts":{"u":[{"step":"extractedTables","result":[{"pageNumber":1,"content":["a"]}]}]}}`: "[0]: json",
		`{"fileScripts":{"u":{}}}`:                                                                       "not a scripts file",
		`{"defaultFileScript":[{"step":"done"}]}`:                                                        `defaultFileScript[0]: step "done" is not one of extracting`,
		`{"defaultFileScript":[{"step":"rawExtraction","n":1}]}`:                                         `a "rawExtraction" step has no member "n"`,
		`{"runScripts":[{"steps":[]}]}`:                                                                  "runScripts[0]: api is missing",
		`{"runScripts":[{"api":"a","parameters":"x","steps":[]}]}`:                                       "runScripts[0]: parameters",
		`{"runScripts":[{"api":"a","params":{}}]}`:                                                       `unknown field "params"`,
		`{"runScripts":[{"api":"a","steps":[{"step":"pending","n":1}]}]}`:                                `runScripts[0].steps[0]: step "pending" is not one of queued`,
		`{"runScripts":{"a":[]}}`:                                                                        "not a scripts file",
	}
	for in, want := range bad {
		if _, err := parseScripts(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want one mentioning %q", in, err, want)
		}
	}
}
