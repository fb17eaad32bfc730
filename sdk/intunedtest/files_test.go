package intunedtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

const invoiceURL = "https://example.com/invoice.pdf"

// fastPolling makes waits poll at once.
var fastPolling = sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})

func pdfAt(url string) sdk.ExtractionRequest {
	return sdk.ExtractionRequest{File: sdk.PDF(sdk.FromURL(url))}
}

func dataAt(url string, schema string) sdk.StructuredDataExtractionRequest {
	return sdk.StructuredDataExtractionRequest{File: sdk.PDF(sdk.FromURL(url)), DataSchema: sdk.RawJSON(schema)}
}

// defaultTable is the table of a table extraction without a script.
var defaultTable = []sdk.ExtractedTable{{PageNumber: 1, Content: [][]string{{"cell"}}}}

// Without a script, an extraction of each kind is pending once, then
// completes with the default result of its kind, again on every later call;
// in both call styles.
func TestExtractionDefaultScript(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	files := c.Files

	// Markdown, through the client's services.
	started, err := files.ExtractMarkdown.Start(ctx, pdfAt(invoiceURL))
	if err != nil || started.OperationID == "" {
		t.Fatalf("markdown start: %+v, %v", started, err)
	}
	var statuses []string
	for i := 0; i < 3; i++ {
		res, err := files.ExtractMarkdown.Result(ctx, started.OperationID)
		if err != nil {
			t.Fatal(err)
		}
		statuses = append(statuses, string(res.Status()))
		if done, ok := res.(sdk.MarkdownExtractionCompleted); ok && (done.Result != "# "+invoiceURL+"\n" || done.OperationID != started.OperationID) {
			t.Errorf("markdown: %#v", done)
		}
	}
	if got := strings.Join(statuses, ","); got != "pending,completed,completed" {
		t.Errorf("markdown statuses: %s", got)
	}

	// Tables, with the standalone functions.
	pending, err := sdk.FilesExtractTablesStart(ctx, c, pdfAt(invoiceURL))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := sdk.FilesExtractTablesResult(ctx, c, pending.OperationID); err != nil || res.Status() != sdk.ExtractionStatusPending {
		t.Errorf("tables, first result: %#v, %v", res, err)
	}
	res, err := sdk.FilesExtractTablesResult(ctx, c, pending.OperationID)
	if done, ok := res.(sdk.TableExtractionCompleted); err != nil || !ok || !reflect.DeepEqual(done.Result, defaultTable) {
		t.Errorf("tables: %#v, %v", res, err)
	}

	// Structured data: its default result holds the schema sent.
	schema := `{"type":"object","properties":{"total":{"type":"number"}}}`
	pending, err = sdk.FilesExtractStructuredDataStart(ctx, c, dataAt(invoiceURL, schema))
	if err != nil {
		t.Fatal(err)
	}
	files.ExtractStructuredData.Result(ctx, pending.OperationID)
	sres, err := files.ExtractStructuredData.Result(ctx, pending.OperationID)
	if done, ok := sres.(sdk.StructuredDataExtractionCompleted); err != nil || !ok || string(done.Result) != `{"schema":`+schema+`}` {
		t.Errorf("structured data: %#v, %v", sres, err)
	}

	// The default script can be changed; the default result stays.
	srv.DefaultFileScript(intunedtest.Extracting(2))
	md := startAndWaitMarkdown(t, c, pdfAt("https://example.com/other.pdf"))
	if md.Result != "# https://example.com/other.pdf\n" {
		t.Errorf("markdown after a new default script: %q", md.Result)
	}
	if n := countOperation(srv, intunedtest.FilesExtractMarkdownResult); n != 3+3 {
		t.Errorf("%d markdown result calls, want 6", n)
	}
}

func startAndWaitMarkdown(t *testing.T, c *sdk.Client, req sdk.ExtractionRequest) sdk.MarkdownExtractionCompleted {
	t.Helper()
	done, err := c.Files.ExtractMarkdown.StartAndWait(context.Background(), req, fastPolling)
	if err != nil {
		t.Fatal(err)
	}
	return done
}

// A file's script serves the three kinds of extraction: each skips the
// completions of the others. Files are told apart by their URL or their
// base64 data.
func TestExtractionScripts(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	title := "Totals"
	tables := []sdk.ExtractedTable{
		{PageNumber: 2, Title: &title, Content: [][]string{{"Item", "Price"}, {"Mug", "12.50"}}},
		{PageNumber: 3, Content: [][]string{{}}},
	}
	srv.ScriptFile(invoiceURL,
		intunedtest.Extracting(2),
		intunedtest.ExtractedMarkdown("# Invoice\n\nTotal: 12.50"),
		intunedtest.ExtractedTables(tables...),
		intunedtest.ExtractedData(map[string]any{"total": 12.5}),
	)
	image := sdk.FromBytes([]byte("\x89PNG\r\n\x1a\n"))
	srv.ScriptFile(image.Data, intunedtest.ExtractionFailed("unreadable_file", "The image is blank"))

	walk := func(result func() (sdk.ExtractionStatus, any)) []any {
		t.Helper()
		var got []any
		for i := 0; i < 4; i++ {
			status, v := result()
			if status != sdk.ExtractionStatusPending {
				got = append(got, v)
			} else {
				got = append(got, status)
			}
		}
		return got
	}
	pending := sdk.ExtractionStatusPending

	op, err := c.Files.ExtractMarkdown.Start(ctx, pdfAt(invoiceURL))
	if err != nil {
		t.Fatal(err)
	}
	got := walk(func() (sdk.ExtractionStatus, any) {
		res, err := c.Files.ExtractMarkdown.Result(ctx, op.OperationID)
		if err != nil {
			t.Fatal(err)
		}
		if done, ok := res.(sdk.MarkdownExtractionCompleted); ok {
			return res.Status(), done.Result
		}
		return res.Status(), res
	})
	if want := []any{pending, pending, "# Invoice\n\nTotal: 12.50", "# Invoice\n\nTotal: 12.50"}; !reflect.DeepEqual(got, want) {
		t.Errorf("markdown: %#v", got)
	}

	op, err = c.Files.ExtractTables.Start(ctx, pdfAt(invoiceURL))
	if err != nil {
		t.Fatal(err)
	}
	got = walk(func() (sdk.ExtractionStatus, any) {
		res, err := sdk.FilesExtractTablesResult(ctx, c, op.OperationID)
		if err != nil {
			t.Fatal(err)
		}
		if done, ok := res.(sdk.TableExtractionCompleted); ok {
			return res.Status(), done.Result
		}
		return res.Status(), res
	})
	wantTables := []sdk.ExtractedTable{tables[0], {PageNumber: 3, Content: [][]string{{}}}}
	if want := []any{pending, pending, wantTables, wantTables}; !reflect.DeepEqual(got, want) {
		t.Errorf("tables: %#v", got)
	}

	data, err := c.Files.ExtractStructuredData.StartAndWait(ctx, dataAt(invoiceURL, `{}`), fastPolling)
	var total struct{ Total float64 }
	if err != nil || data.DecodeResult(&total) != nil || total.Total != 12.5 {
		t.Errorf("structured data: %#v, %v", data, err)
	}

	// The failing image, by its base64 data: failed on every call.
	op, err = sdk.FilesExtractMarkdownStart(ctx, c, sdk.ExtractionRequest{File: sdk.Image(image)})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		res, err := sdk.FilesExtractMarkdownResult(ctx, c, op.OperationID)
		if f, ok := res.(sdk.ExtractionFailed); err != nil || !ok || f.Error != "unreadable_file" || f.Message != "The image is blank" || f.OperationID != op.OperationID {
			t.Errorf("failed image, call %d: %#v, %v", i, res, err)
		}
	}

	// A raw step is answered once, as it is; then the script goes on. A
	// script whose completions are all of other kinds ends with the default
	// result.
	srv.ScriptFile("https://example.com/raw.pdf",
		intunedtest.RawExtraction(`{"status":"throttled","operationId":"x"}`),
		intunedtest.ExtractedData(nil),
	)
	op, err = c.Files.ExtractTables.Start(ctx, pdfAt("https://example.com/raw.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Files.ExtractTables.Result(ctx, op.OperationID)
	if u, ok := res.(sdk.TableExtractionResultUnknown); err != nil || !ok || u.Status() != "throttled" {
		t.Errorf("raw step: %#v, %v", res, err)
	}
	res, err = c.Files.ExtractTables.Result(ctx, op.OperationID)
	if done, ok := res.(sdk.TableExtractionCompleted); err != nil || !ok || !reflect.DeepEqual(done.Result, defaultTable) {
		t.Errorf("after the raw step: %#v, %v", res, err)
	}

	// A script is copied when an extraction starts.
	srv.ScriptFile("https://example.com/changing.pdf", intunedtest.ExtractedMarkdown("first"))
	op, err = c.Files.ExtractMarkdown.Start(ctx, pdfAt("https://example.com/changing.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	srv.ScriptFile("https://example.com/changing.pdf", intunedtest.ExtractedMarkdown("second"))
	mres, err := c.Files.ExtractMarkdown.Result(ctx, op.OperationID)
	if done, ok := mres.(sdk.MarkdownExtractionCompleted); err != nil || !ok || done.Result != "first" {
		t.Errorf("script changed after the start: %#v, %v", mres, err)
	}
}

// A sync call walks the whole script at once and answers how it ends; its
// extraction can still be read with a result call.
func TestExtractionSync(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	srv.ScriptFile(invoiceURL, intunedtest.Extracting(3), intunedtest.ExtractedTables(), intunedtest.ExtractedMarkdown("# Invoice"))
	srv.ScriptFile("https://example.com/broken.pdf", intunedtest.Extracting(1), intunedtest.ExtractionFailed("unreadable_file", "Not a PDF"), intunedtest.ExtractedData(1))
	srv.ScriptFile("https://example.com/raw.pdf", intunedtest.Extracting(1), intunedtest.RawExtraction(`{"status":"completed","operationId":"x","result":"raw"}`), intunedtest.ExtractionFailed("late", "after the raw step"))

	md, err := c.Files.ExtractMarkdown.Sync(ctx, pdfAt(invoiceURL))
	done, ok := md.(sdk.MarkdownExtractionCompleted)
	if err != nil || !ok || done.Result != "# Invoice" || done.OperationID == "" {
		t.Fatalf("markdown sync: %#v, %v", md, err)
	}
	if res, err := c.Files.ExtractMarkdown.Result(ctx, done.OperationID); err != nil || !reflect.DeepEqual(res, md) {
		t.Errorf("result after sync: %#v, %v", res, err)
	}
	tables, err := sdk.FilesExtractTablesSync(ctx, c, pdfAt(invoiceURL))
	if done, ok := tables.(sdk.TableExtractionCompleted); err != nil || !ok || done.Result == nil || len(done.Result) != 0 {
		t.Errorf("tables sync (none found): %#v, %v", tables, err)
	}
	// No completion of its kind: the default result.
	data, err := c.Files.ExtractStructuredData.Sync(ctx, dataAt(invoiceURL, `{"type":"object"}`))
	if done, ok := data.(sdk.StructuredDataExtractionCompleted); err != nil || !ok || string(done.Result) != `{"schema":{"type":"object"}}` {
		t.Errorf("structured data sync: %#v, %v", data, err)
	}
	data, err = sdk.FilesExtractStructuredDataSync(ctx, c, dataAt("https://example.com/broken.pdf", `{}`))
	if f, ok := data.(sdk.ExtractionFailed); err != nil || !ok || f.Error != "unreadable_file" || f.Message != "Not a PDF" {
		t.Errorf("failing sync: %#v, %v", data, err)
	}
	md, err = sdk.FilesExtractMarkdownSync(ctx, c, pdfAt("https://example.com/raw.pdf"))
	if done, ok := md.(sdk.MarkdownExtractionCompleted); err != nil || !ok || done.OperationID != "x" || done.Result != "raw" {
		t.Errorf("raw sync: %#v, %v", md, err)
	}
	// Without a script.
	tables, err = c.Files.ExtractTables.Sync(ctx, sdk.ExtractionRequest{File: sdk.Image(sdk.FromBytes([]byte("GIF89a")))})
	if done, ok := tables.(sdk.TableExtractionCompleted); err != nil || !ok || !reflect.DeepEqual(done.Result, defaultTable) {
		t.Errorf("default tables sync: %#v, %v", tables, err)
	}
	if n := countOperation(srv, intunedtest.FilesExtractMarkdownSync) + countOperation(srv, intunedtest.FilesExtractTablesSync) + countOperation(srv, intunedtest.FilesExtractStructuredDataSync); n != 6 {
		t.Errorf("%d sync requests recorded, want 6", n)
	}
}

// An unknown operation ID, or one of another kind of extraction, is a 404.
func TestExtractionNotFound(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	md, err := c.Files.ExtractMarkdown.Start(ctx, pdfAt(invoiceURL))
	if err != nil {
		t.Fatal(err)
	}
	tables, err := c.Files.ExtractTables.Start(ctx, pdfAt(invoiceURL))
	if err != nil {
		t.Fatal(err)
	}
	data, err := c.Files.ExtractStructuredData.Start(ctx, dataAt(invoiceURL, `{}`))
	if err != nil {
		t.Fatal(err)
	}
	results := map[string]func(id string) error{
		"markdown": func(id string) error { _, err := c.Files.ExtractMarkdown.Result(ctx, id); return err },
		"tables":   func(id string) error { _, err := c.Files.ExtractTables.Result(ctx, id); return err },
		"data":     func(id string) error { _, err := c.Files.ExtractStructuredData.Result(ctx, id); return err },
	}
	ids := map[string]string{"markdown": md.OperationID, "tables": tables.OperationID, "data": data.OperationID}
	for kind, result := range results {
		wantStatus(t, kind+" of an unknown ID", result("no-such-operation"), 404)
		for other, id := range ids {
			err := result(id)
			if other == kind {
				if err != nil {
					t.Errorf("%s of its own ID: %v", kind, err)
				}
				continue
			}
			wantStatus(t, kind+" of a "+other+" extraction", err, 404)
		}
	}
	// Nor is an auth-session operation or a run an extraction.
	runID := startRun(t, c, "api", sdk.ParametersObject{})
	_, err = c.Files.ExtractMarkdown.Result(ctx, runID)
	wantStatus(t, "markdown result of a run", err, 404)
	code, body := sendRaw(t, srv, "GET", "/"+srv.WorkspaceID+"/files/extract/tables/nope/result", "", "")
	if code != 404 || body != `{"message":"table extraction \"nope\" not found"}` {
		t.Errorf("raw 404: %d %s", code, body)
	}
	// A wait on an unknown extraction ends with the 404.
	_, err = c.Files.ExtractMarkdown.Operation("no-such-operation").Wait(ctx, fastPolling)
	wantStatus(t, "wait on an unknown extraction", err, 404)
}

// The fake refuses bodies the API refuses, with the path of the problem.
func TestExtractionBadBodies(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	base := "/" + srv.WorkspaceID + "/files/extract/"
	type detail struct {
		Message string `json:"message"`
		Path    []any  `json:"path"`
	}
	file := `{"type":"pdf","source":{"type":"url","data":"` + invoiceURL + `"}}`
	both := []struct {
		name, body string
		where      []any
	}{
		{"no file", `{}`, []any{"file"}},
		{"null file", `{"file":null}`, []any{"file"}},
		{"file a string", `{"file":"invoice.pdf"}`, []any{"file"}},
		{"file without type", `{"file":{"source":{"type":"url","data":"u"}}}`, []any{"file", "type"}},
		{"unknown file type", `{"file":{"type":"docx","source":{"type":"url","data":"u"}}}`, []any{"file", "type"}},
		{"no source", `{"file":{"type":"pdf"}}`, []any{"file", "source"}},
		{"unknown source type", `{"file":{"type":"image","source":{"type":"s3","data":"u"}}}`, []any{"file", "source", "type"}},
		{"no data", `{"file":{"type":"pdf","source":{"type":"url"}}}`, []any{"file", "source", "data"}},
		{"empty URL", `{"file":{"type":"pdf","source":{"type":"url","data":""}}}`, []any{"file", "source", "data"}},
		{"not base64", `{"file":{"type":"pdf","source":{"type":"base64","data":"not base64!"}}}`, []any{"file", "source", "data"}},
		{"URL-safe base64", `{"file":{"type":"image","source":{"type":"base64","data":"_-8="}}}`, []any{"file", "source", "data"}},
		{"unpadded base64", `{"file":{"type":"image","source":{"type":"base64","data":"YWI"}}}`, []any{"file", "source", "data"}},
		{"page 0", `{"file":{"type":"pdf","source":{"type":"url","data":"u"},"pages":[1,0]}}`, []any{"file", "pages", 1.0}},
		{"pages a number", `{"file":{"type":"pdf","source":{"type":"url","data":"u"},"pages":2}}`, []any{"file", "pages"}},
		{"an array", `[]`, []any{}},
	}
	dataOnly := []struct {
		name, body string
		where      []any
	}{
		{"no schema", `{"file":` + file + `}`, []any{"dataSchema"}},
		{"schema an array", `{"file":` + file + `,"dataSchema":[]}`, []any{"dataSchema"}},
		{"unknown strategy", `{"file":` + file + `,"dataSchema":{},"strategy":{"type":"AUDIO","model":"m"}}`, []any{"strategy", "type"}},
		{"strategy without model", `{"file":` + file + `,"dataSchema":{},"strategy":{"type":"IMAGE"}}`, []any{"strategy", "model"}},
		{"prompt a number", `{"file":` + file + `,"dataSchema":{},"prompt":1}`, []any{"prompt"}},
	}
	check := func(path, name, body string, where []any) {
		t.Helper()
		code, got := postRaw(t, srv, base+path, "application/json", body)
		var ans struct {
			Message string   `json:"message"`
			Details []detail `json:"details"`
		}
		if err := json.Unmarshal([]byte(got), &ans); err != nil || code != 400 || ans.Message != "Invalid input" || len(ans.Details) != 1 {
			t.Errorf("%s %s: %d %s; want 400 Invalid input with one detail", path, name, code, got)
			return
		}
		if d := ans.Details[0]; !reflect.DeepEqual(d.Path, where) || d.Message == "" {
			t.Errorf("%s %s: detail %+v; want a message at %v", path, name, d, where)
		}
	}
	for _, path := range []string{"markdown", "markdown/start", "tables", "tables/start", "structuredData", "structuredData/start"} {
		for _, tt := range both {
			body := tt.body
			switch {
			case !strings.HasPrefix(path, "structuredData") || body == "[]":
			case body == "{}":
				body = `{"dataSchema":{}}`
			default: // the same body, with a schema
				body = `{"dataSchema":{},` + body[1:]
			}
			check(path, tt.name, body, tt.where)
		}
		if strings.HasPrefix(path, "structuredData") {
			for _, tt := range dataOnly {
				check(path, tt.name, tt.body, tt.where)
			}
		}
		if code, got := postRaw(t, srv, base+path, "text/plain", `{"file":`+file+`}`); code != 400 {
			t.Errorf("%s as text/plain: %d %s", path, code, got)
		}
	}
	// What is accepted: padded standard base64, members the spec does not
	// name, any page at least 1, a known strategy.
	accepted := []struct{ path, body string }{
		{"markdown/start", `{"file":{"type":"image","source":{"type":"base64","data":"iVBORw0KGgo="}},"extra":1}`},
		{"tables", `{"file":{"type":"pdf","source":{"type":"base64","data":"JVBERi0xLjcK"},"pages":[1,7]}}`},
		{"structuredData/start", `{"file":` + file + `,"dataSchema":{"type":"object"},"strategy":{"type":"MARKDOWN","model":"gpt-4o"},"prompt":"p"}`},
	}
	for _, tt := range accepted {
		if code, got := postRaw(t, srv, base+tt.path, "application/json", tt.body); code != 200 && code != 201 {
			t.Errorf("%s %s: %d %s", tt.path, tt.body, code, got)
		}
	}
	// The SDK refuses what it can before sending.
	c := srv.Client()
	before := len(srv.Requests())
	_, err := c.Files.ExtractMarkdown.Start(context.Background(), sdk.ExtractionRequest{File: sdk.PDF(sdk.FromURL(invoiceURL), 0)})
	var ae *sdk.ArgumentError
	if !errors.As(err, &ae) || len(srv.Requests()) != before {
		t.Errorf("page 0 through the SDK: %v, %d requests sent", err, len(srv.Requests())-before)
	}
	// Through the SDK, a file of an unknown type reaches the fake, which
	// refuses it.
	_, err = c.Files.ExtractTables.Sync(context.Background(), sdk.ExtractionRequest{File: sdk.FileUnknown{Raw: sdk.RawJSON(`{"type":"docx","source":{"type":"url","data":"u"}}`)}})
	var bad *sdk.APIErrorInvalidInput
	if !errors.As(err, &bad) || fmt.Sprint(bad.Details) != `[map[message:is "docx"; the API takes "image" or "pdf" path:[file type]]]` {
		t.Errorf("unknown file type through the SDK: %v", err)
	}
}

// StartAndWait of each kind, completing and failing.
func TestExtractionStartAndWait(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	srv.ScriptFile(invoiceURL, intunedtest.Extracting(2), intunedtest.ExtractedMarkdown("# Invoice"),
		intunedtest.ExtractedTables(sdk.ExtractedTable{PageNumber: 1, Content: [][]string{{"a", "b"}}}),
		intunedtest.ExtractedData(sdk.RawJSON(`{"total": 12.5}`)))
	srv.ScriptFile("https://example.com/broken.pdf", intunedtest.Extracting(1), intunedtest.ExtractionFailed("unreadable_file", "Not a PDF"))

	md, err := c.Files.ExtractMarkdown.StartAndWait(ctx, pdfAt(invoiceURL), fastPolling)
	if err != nil || md.Result != "# Invoice" {
		t.Errorf("markdown: %#v, %v", md, err)
	}
	tables, err := sdk.FilesExtractTablesStartAndWait(ctx, c, pdfAt(invoiceURL), fastPolling)
	if err != nil || len(tables.Result) != 1 || !reflect.DeepEqual(tables.Result[0].Content, [][]string{{"a", "b"}}) {
		t.Errorf("tables: %#v, %v", tables, err)
	}
	data, err := c.Files.ExtractStructuredData.StartAndWait(ctx, dataAt(invoiceURL, `{}`), fastPolling)
	if err != nil || string(data.Result) != `{"total":12.5}` {
		t.Errorf("structured data: %#v, %v", data, err)
	}

	wantFailed := func(what string, err error) {
		t.Helper()
		var failed *sdk.OperationFailedError
		if !errors.As(err, &failed) || failed.Code != "unreadable_file" || failed.Message != "Not a PDF" || failed.OperationID == "" {
			t.Errorf("%s: err = %v, want an OperationFailedError", what, err)
		}
	}
	broken := pdfAt("https://example.com/broken.pdf")
	_, err = c.Files.ExtractMarkdown.StartAndWait(ctx, broken, fastPolling)
	wantFailed("markdown", err)
	_, err = c.Files.ExtractTables.StartAndWait(ctx, broken, fastPolling)
	wantFailed("tables", err)
	_, err = sdk.FilesExtractStructuredDataStartAndWait(ctx, c, dataAt("https://example.com/broken.pdf", `{}`), fastPolling)
	wantFailed("structured data", err)
}

// An extraction started elsewhere is waited for by its ID.
func TestExtractionOperationWait(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptFile(invoiceURL, intunedtest.Extracting(3), intunedtest.ExtractedTables(sdk.ExtractedTable{PageNumber: 4, Content: [][]string{{"x"}}}))
	// Another process starts it, with a client of its own.
	code, body := postRaw(t, srv, "/"+srv.WorkspaceID+"/files/extract/tables/start", "application/json", `{"file":{"type":"pdf","source":{"type":"url","data":"`+invoiceURL+`"}}}`)
	var started struct {
		Status      string `json:"status"`
		OperationID string `json:"operationId"`
	}
	if err := json.Unmarshal([]byte(body), &started); err != nil || code != 201 || started.Status != "pending" {
		t.Fatalf("start: %d %s", code, body)
	}
	c := srv.Client()
	res, err := c.Files.ExtractTables.Operation(started.OperationID).Wait(context.Background(), fastPolling)
	if done, ok := res.(sdk.TableExtractionCompleted); err != nil || !ok || done.OperationID != started.OperationID || len(done.Result) != 1 || done.Result[0].PageNumber != 4 {
		t.Errorf("wait: %#v, %v", res, err)
	}
	// The standalone form, on a markdown extraction.
	md, err := c.Files.ExtractMarkdown.Start(context.Background(), pdfAt("https://example.com/other.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	mdRes, err := sdk.FilesExtractMarkdownOperation(c, md.OperationID).Wait(context.Background(), fastPolling)
	if done, ok := mdRes.(sdk.MarkdownExtractionCompleted); err != nil || !ok || done.Result != "# https://example.com/other.pdf\n" {
		t.Errorf("markdown wait: %#v, %v", mdRes, err)
	}
	data, err := c.Files.ExtractStructuredData.Start(context.Background(), dataAt(invoiceURL, `{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	dataRes, err := sdk.FilesExtractStructuredDataOperation(c, data.OperationID).Wait(context.Background(), fastPolling)
	if done, ok := dataRes.(sdk.StructuredDataExtractionCompleted); err != nil || !ok || string(done.Result) != `{"schema":{"a":1}}` {
		t.Errorf("structured data wait: %#v, %v", dataRes, err)
	}
}

// A table with a null title and a null cell, as the service may send it:
// the SDK keeps the title nil and the cell "".
func TestExtractionNullTitleAndCell(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	raw := `{"status":"completed","operationId":"OP","result":[{"pageNumber":2,"title":null,"content":[["Item",null],[null,"12.50"]]}]}`
	srv.ScriptFile(invoiceURL, intunedtest.RawExtraction(raw))
	want := []sdk.ExtractedTable{{PageNumber: 2, Content: [][]string{{"Item", ""}, {"", "12.50"}}}}

	op, err := c.Files.ExtractTables.Start(ctx, pdfAt(invoiceURL))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Files.ExtractTables.Result(ctx, op.OperationID)
	if done, ok := res.(sdk.TableExtractionCompleted); err != nil || !ok || !reflect.DeepEqual(done.Result, want) || done.Result[0].Title != nil {
		t.Errorf("result: %#v, %v", res, err)
	}
	sync, err := c.Files.ExtractTables.Sync(ctx, pdfAt(invoiceURL))
	if done, ok := sync.(sdk.TableExtractionCompleted); err != nil || !ok || !reflect.DeepEqual(done.Result, want) {
		t.Errorf("sync: %#v, %v", sync, err)
	}
	// And through a wait, which returns it as it is.
	done, err := c.Files.ExtractTables.StartAndWait(ctx, pdfAt(invoiceURL), fastPolling)
	if err != nil || !reflect.DeepEqual(done.Result, want) {
		t.Errorf("wait: %#v, %v", done, err)
	}
}

// The answers on the wire.
func TestExtractionWire(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptFile("https://example.com/a.pdf", intunedtest.Extracting(1), intunedtest.ExtractedMarkdown("# A"))
	srv.ScriptFile("https://example.com/b.pdf",
		intunedtest.ExtractedTables(sdk.ExtractedTable{PageNumber: 1}, sdk.ExtractedTable{PageNumber: 2, Title: sdk.Ptr("T"), Content: [][]string{nil, {"c"}}}),
		intunedtest.ExtractedData(nil))
	srv.ScriptFile("https://example.com/c.pdf", intunedtest.ExtractedTables(), intunedtest.ExtractionFailed("e", "m"))
	base := "/" + srv.WorkspaceID + "/files/extract/"
	req := func(name string) string {
		return `{"file":{"type":"pdf","source":{"type":"url","data":"https://example.com/` + name + `.pdf"}}}`
	}
	dataReq := func(name string) string {
		return `{"file":{"type":"pdf","source":{"type":"url","data":"https://example.com/` + name + `.pdf"}},"dataSchema":{"b": [1, 2]}}`
	}
	code, body := postRaw(t, srv, base+"markdown/start", "application/json", req("a"))
	var started struct{ OperationID string }
	if code != 201 || json.Unmarshal([]byte(body), &started) != nil || body != `{"status":"pending","operationId":"`+started.OperationID+`"}`+"\n" {
		t.Fatalf("start: %d %q", code, body)
	}
	tests := []struct {
		name, method, path, body string
		code                     int
		want                     string
	}{
		{"pending", "GET", "markdown/" + started.OperationID + "/result", "", 200, `{"status":"pending","operationId":"` + started.OperationID + `"}`},
		{"markdown", "GET", "markdown/" + started.OperationID + "/result", "", 200, `{"status":"completed","operationId":"` + started.OperationID + `","result":"# A"}`},
		{"tables", "POST", "tables", req("b"), 200, `{"status":"completed","operationId":"OP","result":[{"pageNumber":1,"title":null,"content":[]},{"pageNumber":2,"title":"T","content":[[],["c"]]}]}`},
		{"no data", "POST", "structuredData", dataReq("b"), 200, `{"status":"completed","operationId":"OP"}`},
		{"no tables", "POST", "tables", req("c"), 200, `{"status":"completed","operationId":"OP","result":[]}`},
		{"failed", "POST", "markdown", req("c"), 200, `{"status":"failed","operationId":"OP","error":"e","message":"m"}`},
		{"default tables", "POST", "tables", req("d"), 200, `{"status":"completed","operationId":"OP","result":[{"pageNumber":1,"title":null,"content":[["cell"]]}]}`},
		{"default data", "POST", "structuredData", dataReq("d"), 200, `{"status":"completed","operationId":"OP","result":{"schema":{"b":[1,2]}}}`},
		{"unknown", "GET", "structuredData/nope/result", "", 404, `{"message":"structured-data extraction \"nope\" not found"}`},
	}
	for _, tt := range tests {
		contentType := ""
		if tt.body != "" {
			contentType = "application/json"
		}
		code, body := sendRaw(t, srv, tt.method, base+tt.path, contentType, tt.body)
		var got struct{ OperationID string }
		json.Unmarshal([]byte(body), &got)
		want := strings.Replace(tt.want, "OP", got.OperationID, 1)
		if code < 400 {
			want += "\n"
		}
		if code != tt.code || body != want {
			t.Errorf("%s: %d %q; want %d %q", tt.name, code, body, tt.code, want)
		}
		if strings.Contains(tt.want, `"OP"`) && tt.method == "POST" {
			// The ID is the sync extraction's: its result call answers the same.
			if got.OperationID == "" {
				t.Errorf("%s: no operation ID", tt.name)
			} else if code, again := sendRaw(t, srv, "GET", base+tt.path+"/"+got.OperationID+"/result", "", ""); code != 200 || again != body {
				t.Errorf("%s: result of %s: %d %q; want %q", tt.name, got.OperationID, code, again, body)
			}
		}
	}
}

// Faults and recording work for the file operations as for the others.
func TestExtractionFaults(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	srv.InjectFault(intunedtest.FilesExtractMarkdownStart, 1, intunedtest.Fault{Status: 500, Body: "boom"})
	_, err := c.Files.ExtractMarkdown.Start(ctx, pdfAt(invoiceURL))
	var se *sdk.SDKError
	if !errors.As(err, &se) || se.Code != 500 || se.Body != "boom" {
		t.Fatalf("faulted start: %v", err)
	}
	// A wait rides out a 503 on a poll.
	srv.InjectFault(intunedtest.FilesExtractTablesResult, 1, intunedtest.Fault{Status: 503, RetryAfter: "0", Body: "busy"})
	srv.InjectFault(intunedtest.FilesExtractStructuredDataSync, 1, intunedtest.Fault{Latency: 20 * time.Millisecond})
	if _, err := c.Files.ExtractTables.StartAndWait(ctx, pdfAt(invoiceURL), fastPolling); err != nil {
		t.Errorf("wait through a 503: %v", err)
	}
	begin := time.Now()
	if _, err := c.Files.ExtractStructuredData.Sync(ctx, dataAt(invoiceURL, `{}`)); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(begin); d < 20*time.Millisecond {
		t.Errorf("latency fault took only %v", d)
	}
	var ops []string
	for _, r := range srv.Requests() {
		ops = append(ops, r.Operation)
	}
	want := []string{
		intunedtest.FilesExtractMarkdownStart,
		intunedtest.FilesExtractTablesStart, intunedtest.FilesExtractTablesResult, intunedtest.FilesExtractTablesResult, intunedtest.FilesExtractTablesResult,
		intunedtest.FilesExtractStructuredDataSync,
	}
	if !reflect.DeepEqual(ops, want) {
		t.Errorf("recorded %v, want %v", ops, want)
	}
	reqs := srv.Requests()
	if string(reqs[0].Body) != `{"file":{"type":"pdf","source":{"type":"url","data":"`+invoiceURL+`"}}}` || !strings.HasSuffix(reqs[2].Path, "/result") || !strings.HasPrefix(reqs[2].Path, "/"+srv.WorkspaceID+"/files/extract/tables/") {
		t.Errorf("recorded %s %s", reqs[0].Body, reqs[2].Path)
	}
}

// A file read from disk with sdk.FromPath (or sdk.DetectFileAt) is scripted
// by its bytes: the test works out no base64.
func TestScriptFileBytes(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	defer c.CloseIdleConnections()
	ctx := context.Background()

	pdf := []byte("%PDF-1.7\n% an invoice, as far as the fake can tell\n")
	path := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	srv.ScriptFileBytes(pdf, intunedtest.Extracting(1), intunedtest.ExtractedMarkdown("# Invoice 1234\n"),
		intunedtest.ExtractedTables(sdk.ExtractedTable{PageNumber: 1, Content: [][]string{{"Total", "12.50"}}}))
	srv.ScriptFileBytes([]byte("%PDF-1.7\nanother file\n"), intunedtest.ExtractionFailed("other", "not this file"))

	// The code under test reads the file as it likes.
	src, err := sdk.FromPath(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	md, err := c.Files.ExtractMarkdown.StartAndWait(ctx, sdk.ExtractionRequest{File: sdk.PDF(src)}, fastPolling)
	if err != nil || md.Result != "# Invoice 1234\n" {
		t.Errorf("markdown of the file from FromPath: %+v, %v", md, err)
	}
	file, err := sdk.DetectFileAt(path, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := c.Files.ExtractTables.Sync(ctx, sdk.ExtractionRequest{File: file})
	done, ok := tables.(sdk.TableExtractionCompleted)
	if err != nil || !ok || len(done.Result) != 1 || done.Result[0].Content[0][1] != "12.50" {
		t.Errorf("tables of the file from DetectFileAt: %#v, %v", tables, err)
	}
}
