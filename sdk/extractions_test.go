package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/internal/testdiff"
	"github.com/intuned/intuned-go/sdk"
)

// polling waits a millisecond between polls.
var polling = sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})

func TestFileExtractionAnswers(t *testing.T) {
	noLeaks(t)
	const (
		failed  = `{"operationId":"extract-1234","status":"failed","error":"unreadable_file","message":"The file is not a PDF"}`
		unknown = `{"status":"cancelled","operationId":"extract-1234","reason":{"by":"user"}}`
		pending = `{"operationId":"extract-1234","status":"pending"}`
	)
	failure := sdk.ExtractionFailed{OperationID: "extract-1234", Error: "unreadable_file", Message: "The file is not a PDF"}
	totals := sdk.ExtractedTable{PageNumber: 1, Title: sdk.Ptr("Totals"), Content: [][]string{{"Item", "Price"}, {"Mug", "12.50"}}}
	checkAnswers(t, []answerCase{
		// Starts.
		{"markdown start", "files.extractMarkdown.start", pending, sdk.ExtractionPending{OperationID: "extract-1234"}},
		{"tables start", "files.extractTables.start", `{"status":"pending","operationId":"t-1","extra":true}`, sdk.ExtractionPending{OperationID: "t-1"}},
		{"structured data start", "files.extractStructuredData.start", pending, sdk.ExtractionPending{OperationID: "extract-1234"}},

		// Markdown: the result is a string.
		{"markdown sync completed", "files.extractMarkdown.sync", markdownDoneOK,
			sdk.MarkdownExtractionCompleted{OperationID: "extract-1234", Result: "# Invoice\n\nTotal: 12.50"}},
		{"markdown sync completed, empty", "files.extractMarkdown.sync", `{"status":"completed","operationId":"x","result":""}`,
			sdk.MarkdownExtractionCompleted{OperationID: "x"}},
		{"markdown sync failed", "files.extractMarkdown.sync", failed, failure},
		// pending is no answer of sync: an unknown variant, kept.
		{"markdown sync pending", "files.extractMarkdown.sync", pending, sdk.MarkdownExtractionSyncResultUnknown{Raw: sdk.RawJSON(pending)}},
		{"markdown sync unknown status", "files.extractMarkdown.sync", unknown, sdk.MarkdownExtractionSyncResultUnknown{Raw: sdk.RawJSON(unknown)}},
		{"markdown result pending", "files.extractMarkdown.result", pending, sdk.ExtractionPending{OperationID: "extract-1234"}},
		{"markdown result completed", "files.extractMarkdown.result", `{"status":"completed","operationId":"e","result":"| a | b |\n|---|---|\n| 1 | 2 |"}`,
			sdk.MarkdownExtractionCompleted{OperationID: "e", Result: "| a | b |\n|---|---|\n| 1 | 2 |"}},
		{"markdown result failed", "files.extractMarkdown.result", failed, failure},
		{"markdown result unknown status", "files.extractMarkdown.result", unknown, sdk.MarkdownExtractionResultUnknown{Raw: sdk.RawJSON(unknown)}},

		// Tables: a null title is nil, a null cell "" (our stance; the
		// reference rejects the answer).
		{"tables sync completed", "files.extractTables.sync", tablesDoneOK, sdk.TableExtractionCompleted{OperationID: "extract-1234", Result: []sdk.ExtractedTable{totals}}},
		{"tables sync null title and cell, several pages", "files.extractTables.sync",
			`{"status":"completed","operationId":"e","result":[` +
				`{"pageNumber":1,"title":null,"content":[["Item",null,"Price"],[null,"",null]]},` +
				`{"pageNumber":3,"title":"","content":[]},` +
				`{"pageNumber":12,"title":"Totals","content":[["Mug","12.50"]]}]}`,
			sdk.TableExtractionCompleted{OperationID: "e", Result: []sdk.ExtractedTable{
				{PageNumber: 1, Title: nil, Content: [][]string{{"Item", "", "Price"}, {"", "", ""}}},
				{PageNumber: 3, Title: sdk.Ptr(""), Content: [][]string{}},
				{PageNumber: 12, Title: sdk.Ptr("Totals"), Content: [][]string{{"Mug", "12.50"}}},
			}}},
		{"tables sync no tables", "files.extractTables.sync", `{"status":"completed","operationId":"e","result":[]}`,
			sdk.TableExtractionCompleted{OperationID: "e", Result: []sdk.ExtractedTable{}}},
		{"tables sync failed", "files.extractTables.sync", failed, failure},
		{"tables sync unknown status", "files.extractTables.sync", unknown, sdk.TableExtractionSyncResultUnknown{Raw: sdk.RawJSON(unknown)}},
		{"tables result pending", "files.extractTables.result", pending, sdk.ExtractionPending{OperationID: "extract-1234"}},
		{"tables result completed with a null cell", "files.extractTables.result",
			`{"status":"completed","operationId":"e","result":[{"pageNumber":2,"title":null,"content":[["a",null]]}]}`,
			sdk.TableExtractionCompleted{OperationID: "e", Result: []sdk.ExtractedTable{{PageNumber: 2, Content: [][]string{{"a", ""}}}}}},
		{"tables result failed", "files.extractTables.result", failed, failure},
		{"tables result unknown status", "files.extractTables.result", unknown, sdk.TableExtractionResultUnknown{Raw: sdk.RawJSON(unknown)}},

		// Structured data: any JSON, kept as received; absent is nil.
		{"structured data sync completed", "files.extractStructuredData.sync", `{"status":"completed","operationId":"e","result":{ "total" : 12.50 }}`,
			sdk.StructuredDataExtractionCompleted{OperationID: "e", Result: sdk.RawJSON(`{ "total" : 12.50 }`)}},
		{"structured data sync completed without result", "files.extractStructuredData.sync", `{"status":"completed","operationId":"e"}`,
			sdk.StructuredDataExtractionCompleted{OperationID: "e"}},
		{"structured data sync failed", "files.extractStructuredData.sync", failed, failure},
		{"structured data sync unknown status", "files.extractStructuredData.sync", unknown, sdk.StructuredDataExtractionSyncResultUnknown{Raw: sdk.RawJSON(unknown)}},
		{"structured data result pending", "files.extractStructuredData.result", pending, sdk.ExtractionPending{OperationID: "extract-1234"}},
		{"structured data result completed, an array", "files.extractStructuredData.result", `{"status":"completed","operationId":"e","result":[1,"two",null]}`,
			sdk.StructuredDataExtractionCompleted{OperationID: "e", Result: sdk.RawJSON(`[1,"two",null]`)}},
		{"structured data result failed", "files.extractStructuredData.result", failed, failure},
		{"structured data result unknown status", "files.extractStructuredData.result", unknown, sdk.StructuredDataExtractionResultUnknown{Raw: sdk.RawJSON(unknown)}},
	})

	t.Run("unknown status keeps the body and its status", func(t *testing.T) {
		s := newServer(t, reply(200, unknown))
		got, err := newClient(t, s).Files.ExtractTables.Result(context.Background(), "extract-1234")
		if err != nil {
			t.Fatal(err)
		}
		u, ok := got.(sdk.TableExtractionResultUnknown)
		if !ok || u.Status() != "cancelled" {
			t.Fatalf("got %#v", got)
		}
		if b, err := json.Marshal(u); err != nil || string(b) != unknown {
			t.Errorf("MarshalJSON = %s, %v", b, err)
		}
	})
}

// The result of a structured-data extraction: absent is nil, null is the
// JSON null, anything else is kept byte for byte; DecodeResult decodes it.
func TestStructuredDataResult(t *testing.T) {
	noLeaks(t)
	results := []struct{ name, result string }{
		{"absent", ""},
		{"null", "null"},
		{"object", `{ "total" : 12.50, "lines" : [ {"item":"Mug"} ] }`},
		{"big number", `12345678901234567890`},
		{"string", `"12.50"`},
	}
	for _, op := range []string{"files.extractStructuredData.sync", "files.extractStructuredData.result"} {
		checkResultsKept(t, op, `"status":"completed","operationId":"e"`, results,
			func(c sdk.StructuredDataExtractionCompleted) (sdk.RawJSON, string) {
				return c.Result, string(c.Status())
			}, "completed")
	}

	t.Run("DecodeResult", func(t *testing.T) {
		type line struct{ Item string }
		var invoice struct {
			Total float64
			Lines []line
		}
		done := sdk.StructuredDataExtractionCompleted{OperationID: "e", Result: sdk.RawJSON(`{"total":12.5,"lines":[{"item":"Mug"}]}`)}
		if err := done.DecodeResult(&invoice); err != nil || invoice.Total != 12.5 || len(invoice.Lines) != 1 || invoice.Lines[0].Item != "Mug" {
			t.Errorf("DecodeResult = %+v, %v", invoice, err)
		}
		var n json.Number
		if err := (sdk.StructuredDataExtractionCompleted{Result: sdk.RawJSON(`12345678901234567890`)}).DecodeResult(&n); err != nil || n != "12345678901234567890" {
			t.Errorf("DecodeResult into a json.Number = %q, %v", n, err)
		}
		// A null result is JSON's null, decoded as encoding/json does: a
		// pointer becomes nil, no error.
		ptr := &invoice
		if err := (sdk.StructuredDataExtractionCompleted{Result: sdk.RawJSON(`null`)}).DecodeResult(&ptr); err != nil || ptr != nil {
			t.Errorf("DecodeResult of null = %v, %v; want a nil pointer", ptr, err)
		}
		// Without a result there is nothing to decode: an error.
		if err := (sdk.StructuredDataExtractionCompleted{OperationID: "e"}).DecodeResult(&invoice); err == nil || !strings.Contains(err.Error(), "without a result") {
			t.Errorf("DecodeResult without a result: %v", err)
		}
		// A result of another shape is encoding/json's error.
		var text string
		var te *json.UnmarshalTypeError
		if err := done.DecodeResult(&text); !errors.As(err, &te) {
			t.Errorf("DecodeResult of an object into a string: %v", err)
		}
	})
}

// Answers that do not match the API are *ResponseValidationErrors naming
// the JSON path of what does not match.
func TestFileExtractionResponseValidation(t *testing.T) {
	noLeaks(t)
	table := func(t string) string {
		return `{"status":"completed","operationId":"e","result":[{"pageNumber":1,"title":null,"content":[["a"]]},` + t + `]}`
	}
	tests := []struct {
		name, op, body string
		path, contains string
	}{
		// Starts: a ExtractionPending.
		{"start without operationId", "files.extractMarkdown.start", `{"status":"pending"}`, "operationId", "operationId is missing"},
		{"start empty operationId", "files.extractTables.start", `{"status":"pending","operationId":""}`, "operationId", "operationId is empty"},
		{"start null operationId", "files.extractStructuredData.start", `{"status":"pending","operationId":null}`, "operationId", "is missing"},
		{"start operationId a number", "files.extractMarkdown.start", `{"status":"pending","operationId":7}`, "operationId", "is a JSON number, not a string"},
		{"start without status", "files.extractMarkdown.start", `{"operationId":"e"}`, "status", "status is missing"},
		{"start status a number", "files.extractTables.start", `{"status":1,"operationId":"e"}`, "status", "is a JSON number, not a string"},
		{"start an array", "files.extractMarkdown.start", `[]`, "", "is a JSON array, not an object"},
		{"start malformed", "files.extractMarkdown.start", `{"status":"pending",`, "", "malformed"},

		// Unions: status and the failure.
		{"result without status", "files.extractMarkdown.result", `{"operationId":"e"}`, "status", "status is missing"},
		{"result status a number", "files.extractTables.result", `{"status":1,"operationId":"e"}`, "status", "not a string"},
		{"sync null", "files.extractStructuredData.sync", `null`, "", "null"},
		{"failed without message", "files.extractMarkdown.sync", `{"status":"failed","operationId":"e","error":"x"}`, "message", "message is missing"},
		{"failed without error", "files.extractTables.result", `{"status":"failed","operationId":"e","message":"m"}`, "error", "error is missing"},
		{"failed error an object", "files.extractStructuredData.result", `{"status":"failed","operationId":"e","error":{"code":"x"},"message":"m"}`, "error", "is a JSON object, not a string"},
		{"failed without operationId", "files.extractStructuredData.sync", `{"status":"failed","error":"x","message":"m"}`, "operationId", "is missing"},
		{"pending without operationId", "files.extractTables.result", `{"status":"pending"}`, "operationId", "is missing"},

		// Markdown.
		{"markdown completed without result", "files.extractMarkdown.sync", `{"status":"completed","operationId":"e"}`, "result", "result is missing"},
		{"markdown completed null result", "files.extractMarkdown.result", `{"status":"completed","operationId":"e","result":null}`, "result", "is missing"},
		{"markdown completed result an array", "files.extractMarkdown.result", `{"status":"completed","operationId":"e","result":["# a"]}`, "result", "is a JSON array, not a string"},
		{"markdown completed without operationId", "files.extractMarkdown.sync", `{"status":"completed","result":"x"}`, "operationId", "is missing"},

		// Tables.
		{"tables completed without result", "files.extractTables.sync", `{"status":"completed","operationId":"e"}`, "result", "is missing"},
		{"tables result an object", "files.extractTables.result", `{"status":"completed","operationId":"e","result":{"pageNumber":1}}`, "result", "is a JSON object, not an array"},
		{"tables: a row a string", "files.extractTables.sync", `{"status":"completed","operationId":"e","result":[{"pageNumber":1,"title":"t","content":[["a"],"b"]}]}`,
			"result[0].content[1]", "is a JSON string, not an array"},
		{"tables: a cell a number", "files.extractTables.result", table(`{"pageNumber":2,"title":"t","content":[["a","b"],["c",12.5]]}`),
			"result[1].content[1][1]", "is a JSON number, not a string"},
		{"tables: a cell an object", "files.extractTables.sync", table(`{"pageNumber":2,"title":"t","content":[[{"text":"a"}]]}`),
			"result[1].content[0][0]", "is a JSON object, not a string"},
		{"tables: content not an array", "files.extractTables.sync", table(`{"pageNumber":2,"title":"t","content":"a"}`), "result[1].content", "is a JSON string, not an array"},
		{"tables: without content", "files.extractTables.result", table(`{"pageNumber":2,"title":"t"}`), "result[1].content", "is missing"},
		{"tables: without title", "files.extractTables.sync", table(`{"pageNumber":2,"content":[]}`), "result[1].title", "is missing"},
		{"tables: title a number", "files.extractTables.sync", table(`{"pageNumber":2,"title":3,"content":[]}`), "result[1].title", "is a JSON number, not a string"},
		{"tables: without pageNumber", "files.extractTables.result", table(`{"title":"t","content":[]}`), "result[1].pageNumber", "is missing"},
		{"tables: pageNumber a string", "files.extractTables.sync", table(`{"pageNumber":"2","title":"t","content":[]}`), "result[1].pageNumber", "is a JSON string"},
		{"tables: pageNumber a fraction", "files.extractTables.sync", table(`{"pageNumber":2.5,"title":"t","content":[]}`), "result[1].pageNumber", "not an integer"},
		{"tables: a table an array", "files.extractTables.result", `{"status":"completed","operationId":"e","result":[[1]]}`, "result[0]", "is a JSON array, not an object"},

		// Structured data.
		{"structured data completed without operationId", "files.extractStructuredData.result", `{"status":"completed","result":{}}`, "operationId", "is missing"},
		{"structured data completed malformed result", "files.extractStructuredData.sync", `{"status":"completed","operationId":"e","result":}`, "", "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := opNamed(t, tt.op)
			s := newServer(t, reply(op.success, tt.body))
			_, err := op.call(context.Background(), newClient(t, s))
			var ve *sdk.ResponseValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v (%T), want *ResponseValidationError", err, err)
			}
			if ve.Path != tt.path {
				t.Errorf("Path = %q, want %q (err: %v)", ve.Path, tt.path, err)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("Error() = %q, want it to mention %q", err, tt.contains)
			}
			if ve.Operation != tt.op || ve.Code != op.success || ve.Body != tt.body {
				t.Errorf("Operation %q, Code %d, Body %q", ve.Operation, ve.Code, ve.Body)
			}
		})
	}
}

// extractionKind is one kind of file extraction, driven to its end.
type extractionKind struct {
	name      string // the path segment: markdown, tables, structuredData
	completed string // a completed state of ext-1
	// startAndWait runs StartAndWait (method form when method) and returns
	// what it got.
	startAndWait func(ctx context.Context, c *sdk.Client, method bool, opts ...sdk.Option) (any, error)
	// wait waits on the handle of the extraction id, and poll reads it once.
	wait func(ctx context.Context, c *sdk.Client, id string, opts ...sdk.Option) (any, error)
	poll func(ctx context.Context, c *sdk.Client, id string) (any, error)
	want any // what StartAndWait returns for completed
}

var extractionKinds = []extractionKind{
	{
		name:      "markdown",
		completed: `{"status":"completed","operationId":"ext-1","result":"# Invoice"}`,
		want:      sdk.MarkdownExtractionCompleted{OperationID: "ext-1", Result: "# Invoice"},
		startAndWait: func(ctx context.Context, c *sdk.Client, method bool, opts ...sdk.Option) (any, error) {
			if method {
				return c.Files.ExtractMarkdown.StartAndWait(ctx, okFile, opts...)
			}
			return sdk.FilesExtractMarkdownStartAndWait(ctx, c, okFile, opts...)
		},
		wait: func(ctx context.Context, c *sdk.Client, id string, opts ...sdk.Option) (any, error) {
			return c.Files.ExtractMarkdown.Operation(id).Wait(ctx, opts...)
		},
		poll: func(ctx context.Context, c *sdk.Client, id string) (any, error) {
			state, _, err := sdk.FilesExtractMarkdownOperation(c, id).Poll(ctx)
			return state, err
		},
	},
	{
		name:      "tables",
		completed: `{"status":"completed","operationId":"ext-1","result":[{"pageNumber":1,"title":null,"content":[["a",null]]}]}`,
		want:      sdk.TableExtractionCompleted{OperationID: "ext-1", Result: []sdk.ExtractedTable{{PageNumber: 1, Content: [][]string{{"a", ""}}}}},
		startAndWait: func(ctx context.Context, c *sdk.Client, method bool, opts ...sdk.Option) (any, error) {
			if method {
				return c.Files.ExtractTables.StartAndWait(ctx, okFile, opts...)
			}
			return sdk.FilesExtractTablesStartAndWait(ctx, c, okFile, opts...)
		},
		wait: func(ctx context.Context, c *sdk.Client, id string, opts ...sdk.Option) (any, error) {
			return sdk.FilesExtractTablesOperation(c, id).Wait(ctx, opts...)
		},
		poll: func(ctx context.Context, c *sdk.Client, id string) (any, error) {
			state, _, err := c.Files.ExtractTables.Operation(id).Poll(ctx)
			return state, err
		},
	},
	{
		name:      "structuredData",
		completed: `{"status":"completed","operationId":"ext-1","result":{"total":12.5}}`,
		want:      sdk.StructuredDataExtractionCompleted{OperationID: "ext-1", Result: sdk.RawJSON(`{"total":12.5}`)},
		startAndWait: func(ctx context.Context, c *sdk.Client, method bool, opts ...sdk.Option) (any, error) {
			if method {
				return c.Files.ExtractStructuredData.StartAndWait(ctx, okSchema, opts...)
			}
			return sdk.FilesExtractStructuredDataStartAndWait(ctx, c, okSchema, opts...)
		},
		wait: func(ctx context.Context, c *sdk.Client, id string, opts ...sdk.Option) (any, error) {
			return c.Files.ExtractStructuredData.Operation(id).Wait(ctx, opts...)
		},
		poll: func(ctx context.Context, c *sdk.Client, id string) (any, error) {
			state, _, err := sdk.FilesExtractStructuredDataOperation(c, id).Poll(ctx)
			return state, err
		},
	},
}

func TestFileExtractionStartAndWait(t *testing.T) {
	noLeaks(t)
	for _, k := range extractionKinds {
		for _, method := range []bool{true, false} {
			name := k.name + "/standalone"
			if method {
				name = k.name + "/method"
			}
			t.Run(name, func(t *testing.T) {
				s := newServer(t, sequence(
					reply(201, `{"operationId":"ext-1","status":"pending"}`),
					reply(200, `{"operationId":"ext-1","status":"pending"}`),
					reply(200, k.completed),
				))
				var events []sdk.WaitEvent
				got, err := k.startAndWait(context.Background(), newClient(t, s), method, polling,
					sdk.WithProgress(func(e sdk.WaitEvent) { events = append(events, e) }))
				if err != nil {
					t.Fatal(err)
				}
				if d := testdiff.Diff(k.want, got); d != "" {
					t.Errorf("(-want +got):\n%s", d)
				}
				reqs := s.requests()
				base := "/api/v1/workspace/ws-123/files/extract/" + k.name
				if len(reqs) != 3 {
					t.Fatalf("%d requests, want 3", len(reqs))
				}
				if reqs[0].Method != "POST" || reqs[0].Path != base+"/start" {
					t.Errorf("start: %s %s", reqs[0].Method, reqs[0].Path)
				}
				for _, r := range reqs[1:] {
					if r.Method != "GET" || r.Path != base+"/ext-1/result" || len(r.Body) != 0 {
						t.Errorf("poll: %s %s %s", r.Method, r.Path, r.Body)
					}
				}
				if len(events) != 3 || events[0].Kind != sdk.WaitEventKindStarted || events[2].Status != "completed" || events[2].OperationID != "ext-1" {
					t.Errorf("events = %+v", events)
				}
			})
		}
	}
}

func TestFileExtractionStartAndWaitFailed(t *testing.T) {
	noLeaks(t)
	for _, k := range extractionKinds {
		t.Run(k.name, func(t *testing.T) {
			s := newServer(t, sequence(
				reply(201, `{"operationId":"ext-2","status":"pending"}`),
				reply(200, `{"operationId":"ext-2","status":"failed","error":"unreadable_file","message":"The file is not a PDF"}`),
			))
			_, err := k.startAndWait(context.Background(), newClient(t, s), true, polling)
			var failed *sdk.OperationFailedError
			if !errors.As(err, &failed) || failed.Code != "unreadable_file" || failed.Message != "The file is not a PDF" ||
				failed.OperationID != "ext-2" || failed.StatusCode != 0 || failed.Details != nil {
				t.Fatalf("err = %#v, want an *OperationFailedError with the failure", err)
			}
			var oe *sdk.OperationError
			if !errors.As(err, &oe) || oe.OperationID != "ext-2" || oe.ProjectName != "" {
				t.Errorf("err = %#v, want it wrapped in an *OperationError naming the extraction", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "ext-2") || !strings.Contains(msg, "unreadable_file") || !strings.Contains(msg, "The file is not a PDF") {
				t.Errorf("Error() = %q", msg)
			}
			if s.count() != 2 {
				t.Errorf("%d requests, want 2", s.count())
			}
		})
	}
}

func TestFileExtractionStartAndWaitUnknownStatus(t *testing.T) {
	noLeaks(t)
	for _, k := range extractionKinds {
		t.Run(k.name, func(t *testing.T) {
			s := newServer(t, sequence(
				reply(201, `{"operationId":"ext-3","status":"pending"}`),
				reply(200, `{"status":"archived","operationId":"ext-3"}`),
			))
			_, err := k.startAndWait(context.Background(), newClient(t, s), false, polling)
			var unknown *sdk.UnknownStatusError
			if !errors.As(err, &unknown) || unknown.Status != "archived" || unknown.OperationID != "ext-3" ||
				string(unknown.Raw) != `{"status":"archived","operationId":"ext-3"}` {
				t.Fatalf("err = %#v, want an *UnknownStatusError with the state", err)
			}
			var oe *sdk.OperationError
			if !errors.As(err, &oe) || oe.OperationID != "ext-3" {
				t.Errorf("err = %v, want it wrapped in an *OperationError", err)
			}
		})
	}
}

// The ID from the start travels escaped in the polls.
func TestFileExtractionIDIsEscaped(t *testing.T) {
	noLeaks(t)
	s := newServer(t, sequence(
		reply(201, `{"operationId":"a/b c?","status":"pending"}`),
		reply(200, `{"status":"completed","operationId":"a/b c?","result":"x"}`),
	))
	if _, err := newClient(t, s).Files.ExtractMarkdown.StartAndWait(context.Background(), okFile, polling); err != nil {
		t.Fatal(err)
	}
	if p := s.requests()[1].Path; p != "/api/v1/workspace/ws-123/files/extract/markdown/a%2Fb%20c%3F/result" {
		t.Errorf("poll path = %s", p)
	}
}

// An extraction started elsewhere is picked up by its ID: Poll reads it
// once, Wait until it is final.
func TestFileExtractionOperationByID(t *testing.T) {
	noLeaks(t)
	for _, k := range extractionKinds {
		t.Run(k.name, func(t *testing.T) {
			s := newServer(t, sequence(
				reply(200, `{"operationId":"ext-1","status":"pending"}`),
				reply(200, `{"operationId":"ext-1","status":"pending"}`),
				reply(200, k.completed),
			))
			c := newClient(t, s)
			state, err := k.poll(context.Background(), c, "ext-1")
			if err != nil || state != (sdk.ExtractionPending{OperationID: "ext-1"}) {
				t.Fatalf("Poll = %#v, %v", state, err)
			}
			state, err = k.wait(context.Background(), c, "ext-1", polling)
			if err != nil {
				t.Fatal(err)
			}
			if d := testdiff.Diff(k.want, state); d != "" {
				t.Errorf("Wait (-want +got):\n%s", d)
			}
			for _, r := range s.requests() {
				if r.Method != "GET" || r.Path != "/api/v1/workspace/ws-123/files/extract/"+k.name+"/ext-1/result" {
					t.Errorf("request %s %s", r.Method, r.Path)
				}
			}
			if s.count() != 3 {
				t.Errorf("%d requests, want 3", s.count())
			}
		})
	}
	// The handle names its ID; a failed state is an error of Wait.
	c := newClient(t, newServer(t, reply(200, `{"operationId":"ext-9","status":"failed","error":"e","message":"m"}`)))
	op := c.Files.ExtractTables.Operation("ext-9")
	if op.ID() != "ext-9" {
		t.Errorf("ID() = %q", op.ID())
	}
	_, err := op.Wait(context.Background(), polling)
	var failed *sdk.OperationFailedError
	if !errors.As(err, &failed) || failed.OperationID != "ext-9" || failed.Code != "e" || failed.Message != "m" {
		t.Errorf("Wait of a failed extraction: %#v", err)
	}
}

// The start is not idempotent: a 502 is not retried (the extraction may
// have begun); a 503 is (the server refused it), and a failing poll, a
// read, is ridden out.
func TestFileExtractionStartAndWaitRidesOutOnlyWhatIsSafe(t *testing.T) {
	noLeaks(t)
	for _, k := range extractionKinds {
		t.Run(k.name, func(t *testing.T) {
			s := newServer(t, sequence(reply(502, `{}`), reply(201, `{"operationId":"ext-1","status":"pending"}`)))
			_, err := k.startAndWait(context.Background(), newClient(t, s), true, polling)
			wantStatus(t, err, 502)
			if s.count() != 1 {
				t.Errorf("502 on start: %d requests, want 1", s.count())
			}
			var oe *sdk.OperationError
			if errors.As(err, &oe) {
				t.Errorf("err = %v: a failed start has no extraction to name", err)
			}

			s = newServer(t, sequence(
				reply(503, `{}`),
				reply(201, `{"operationId":"ext-1","status":"pending"}`),
				reply(500, `{}`),
				reply(200, k.completed),
			))
			got, err := k.startAndWait(context.Background(), newClient(t, s), false, polling)
			if err != nil {
				t.Fatalf("err = %v after %d requests", err, s.count())
			}
			if d := testdiff.Diff(k.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			reqs := s.requests()
			if len(reqs) != 4 || reqs[0].Method != "POST" || reqs[1].Method != "POST" || string(reqs[0].Body) != string(reqs[1].Body) {
				t.Errorf("requests = %+v, want the start twice with the same body, then two polls", reqs)
			}
		})
	}
}

// The context is the wait's only deadline; the error names the extraction.
func TestFileExtractionStartAndWaitContext(t *testing.T) {
	noLeaks(t)
	s := newServer(t, sequence(reply(201, `{"operationId":"ext-5","status":"pending"}`), reply(200, `{"operationId":"ext-5","status":"pending"}`)))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := newClient(t, s).Files.ExtractStructuredData.StartAndWait(ctx, okSchema, polling)
	var oe *sdk.OperationError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &oe) || oe.OperationID != "ext-5" {
		t.Errorf("err = %v", err)
	}
}

// With retries on, a sync or start is sent again only on 429 and 503 (the
// server did not act), a result read on 500 too; TestRetryOfOperations-
// ThatAreNotIdempotent covers every code for the nine operations. Here: the
// retried start of a StartAndWait sends the same body, with the caller's
// opt-in to retry what may act twice.
func TestFileExtractionRetryNonIdempotent(t *testing.T) {
	noLeaks(t)
	unsafe := fast
	unsafe.RetryNonIdempotent = true
	s := newServer(t, sequence(reply(502, `{}`), reply(200, markdownDoneOK)))
	got, err := newClient(t, s, sdk.WithRetryConfig(unsafe)).Files.ExtractMarkdown.Sync(context.Background(), okFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.(sdk.MarkdownExtractionCompleted); !ok {
		t.Errorf("got %#v", got)
	}
	reqs := s.requests()
	if len(reqs) != 2 || string(reqs[0].Body) != string(reqs[1].Body) {
		t.Errorf("requests = %+v", reqs)
	}
	// Without the opt-in, the 502 comes back.
	s = newServer(t, sequence(reply(502, `{}`), reply(200, markdownDoneOK)))
	_, err = newClient(t, s, sdk.WithRetryConfig(fast)).Files.ExtractMarkdown.Sync(context.Background(), okFile)
	wantStatus(t, err, 502)
	if s.count() != 1 {
		t.Errorf("%d requests, want 1", s.count())
	}
}
