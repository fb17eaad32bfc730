package sdk_test

import (
	"context"
	"testing"

	"github.com/intuned/intuned-go/internal/testdiff"
	"github.com/intuned/intuned-go/sdk"
)

// Valid success bodies of the operations of Part 2 (runs, jobs, queues),
// from the examples in openapi.yaml.
const (
	runPendingOK    = `{"status":"pending","runId":"run-1234"}`
	runCompletedOK  = `{"status":"completed","runId":"run-1234","statusCode":200,"result":{"title":"Mug","price":12.5}}`
	jobCreatedOK    = `{"id":"nightly-prices","message":"created"}`
	jobPausedOK     = `{"id":"nightly-prices","message":"Paused"}`
	jobResumedOK    = `{"id":"nightly-prices","message":"Resumed"}`
	jobTriggeredOK  = `{"id":"nightly-prices","message":"Triggered"}`
	jobOK           = `{"id":"nightly-prices","payload":[{"apiName":"scrape-product"}],"configuration":{"runMode":"Order-Irrelevant"},"state":{},"projectId":"p-1","next_run_time":null,"last_run_time":null}`
	terminatedOK    = `{"message":"Job run terminated"}`
	queueCreatedOK  = `{"id":"product-pages"}`
	queueOK         = `{"id":"product-pages","configuration":null}`
	itemAddedOK     = `{"runId":"item-run-1","status":"queued"}`
	itemQueuedOK    = `{"status":"queued","runId":"item-run-1"}`
	repeatAddedOK   = `{"id":"repeat-1","status":"repeatable item created"}`
	repeatItemOK    = `{"apiName":"scrape-product","repeat":"1h","id":"repeat-1"}`
	repeatUpdatedOK = `{"message":"repeatable item updated"}`
	emptyListOK     = `[]`

	// File extractions.
	extractionPendingOK = `{"operationId":"extract-1234","status":"pending"}`
	markdownDoneOK      = `{"status":"completed","operationId":"extract-1234","result":"# Invoice\n\nTotal: 12.50"}`
	tablesDoneOK        = `{"status":"completed","operationId":"extract-1234","result":[{"pageNumber":1,"title":"Totals","content":[["Item","Price"],["Mug","12.50"]]}]}`
	structuredDoneOK    = `{"status":"completed","operationId":"extract-1234","result":{"total":12.5}}`
)

// Valid request bodies, the smallest each operation accepts.
var (
	okRun    = sdk.RunRequest{API: "scrape-product", Parameters: sdk.ParametersObject{}}
	okJob    = sdk.JobCreateRequest{ID: "nightly-prices", Payload: []sdk.JobPayload{{APIName: "scrape-product"}}}
	okItem   = sdk.QueueItemAppendRequest{APIName: "scrape-product"}
	okRepeat = sdk.QueueRepeatItemRequest{APIName: "scrape-product", Repeat: "1h"}
	okResume = sdk.AuthSessionOperationResumeRequest{Input: "1", InfoRequestID: "i"}
	okFile   = sdk.ExtractionRequest{File: sdk.PDF(sdk.FromURL("https://example.com/invoice.pdf"))}
	okSchema = sdk.StructuredDataExtractionRequest{File: sdk.PDF(sdk.FromURL("https://example.com/invoice.pdf")),
		DataSchema: map[string]any{"type": "object"}}
)

// operationCall is one of the operations of openapi.yaml, called with fixed
// arguments through the method form (call) and the standalone function (fn).
type operationCall struct {
	name    string // the operation, as its errors name it
	variant string // what sets this row apart from another row of the same operation; "" for none
	success int
	body    string // a valid success body
	call    func(ctx context.Context, c *sdk.Client, opts ...sdk.Option) (any, error)
	fn      func(ctx context.Context, c *sdk.Client, opts ...sdk.Option) (any, error)
}

// label names the row: the operation and its variant, if any.
func (op operationCall) label() string {
	if op.variant == "" {
		return op.name
	}
	return op.name + " (" + op.variant + ")"
}

// allOperations holds every operation of openapi.yaml (43), and
// project.queues.create twice: with an ID, which makes it idempotent, and
// without one.
var allOperations = []operationCall{
	// Auth sessions (Part 1).
	{name: "project.authSessions.update.start", success: 201, body: startOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.AuthSessions.Update.Start(ctx, "p", sdk.AuthSessionUpdateRequest{ID: "s"}, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectAuthSessionsUpdateStart(ctx, c, "p", sdk.AuthSessionUpdateRequest{ID: "s"}, o...)
		}},
	{name: "project.authSessions.update.result", success: 200, body: `{"status":"pending"}`,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.AuthSessions.Update.Result(ctx, "p", "o", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectAuthSessionsUpdateResult(ctx, c, "p", "o", o...)
		}},
	{name: "project.authSessions.update.resume", success: 202, body: resumeOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.AuthSessions.Update.Resume(ctx, "p", "o", okResume, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectAuthSessionsUpdateResume(ctx, c, "p", "o", okResume, o...)
		}},
	{name: "project.authSessions.create.start", success: 201, body: startOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.AuthSessions.Create.Start(ctx, "p", sdk.AuthSessionCreateRequest{}, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectAuthSessionsCreateStart(ctx, c, "p", sdk.AuthSessionCreateRequest{}, o...)
		}},
	{name: "project.authSessions.create.result", success: 200, body: `{"status":"pending"}`,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.AuthSessions.Create.Result(ctx, "p", "o", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectAuthSessionsCreateResult(ctx, c, "p", "o", o...)
		}},
	{name: "project.authSessions.create.resume", success: 202, body: resumeOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.AuthSessions.Create.Resume(ctx, "p", "o", okResume, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectAuthSessionsCreateResume(ctx, c, "p", "o", okResume, o...)
		}},
	{name: "project.authSessions.all", success: 200, body: emptyListOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.AuthSessions.All(ctx, "p", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectAuthSessionsAll(ctx, c, "p", o...)
		}},
	{name: "project.authSessions.one", success: 200, body: `{"id":"s","status":"READY"}`,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.AuthSessions.One(ctx, "p", "s", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectAuthSessionsOne(ctx, c, "p", "s", o...)
		}},
	{name: "project.authSessions.delete", success: 204, body: ``,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return nil, c.Project.AuthSessions.Delete(ctx, "p", "s", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return nil, sdk.ProjectAuthSessionsDelete(ctx, c, "p", "s", o...)
		}},
	{name: "project.authSessions.recorder.start", success: 201, body: `{"recorder_url":"https://r.example/x"}`,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.AuthSessions.Recorder.Start(ctx, "p", sdk.AuthSessionRecorderRequest{}, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectAuthSessionsRecorderStart(ctx, c, "p", sdk.AuthSessionRecorderRequest{}, o...)
		}},

	// Runs.
	{name: "project.run.sync", success: 200, body: runCompletedOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Run.Sync(ctx, "p", okRun, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectRunSync(ctx, c, "p", okRun, o...)
		}},
	{name: "project.run.start", success: 201, body: runPendingOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Run.Start(ctx, "p", okRun, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectRunStart(ctx, c, "p", okRun, o...)
		}},
	{name: "project.run.result", success: 200, body: runPendingOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Run.Result(ctx, "p", "run-1234", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectRunResult(ctx, c, "p", "run-1234", o...)
		}},

	// Jobs.
	{name: "project.jobs.all", success: 200, body: emptyListOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Jobs.All(ctx, "p", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectJobsAll(ctx, c, "p", o...)
		}},
	{name: "project.jobs.create", success: 201, body: jobCreatedOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Jobs.Create(ctx, "p", okJob, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectJobsCreate(ctx, c, "p", okJob, o...)
		}},
	{name: "project.jobs.one", success: 200, body: jobOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Jobs.One(ctx, "p", "j", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectJobsOne(ctx, c, "p", "j", o...)
		}},
	{name: "project.jobs.delete", success: 204, body: ``,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return nil, c.Project.Jobs.Delete(ctx, "p", "j", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return nil, sdk.ProjectJobsDelete(ctx, c, "p", "j", o...)
		}},
	{name: "project.jobs.pause", success: 200, body: jobPausedOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Jobs.Pause(ctx, "p", "j", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectJobsPause(ctx, c, "p", "j", o...)
		}},
	{name: "project.jobs.resume", success: 200, body: jobResumedOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Jobs.Resume(ctx, "p", "j", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectJobsResume(ctx, c, "p", "j", o...)
		}},
	{name: "project.jobs.trigger", success: 200, body: jobTriggeredOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Jobs.Trigger(ctx, "p", "j", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectJobsTrigger(ctx, c, "p", "j", o...)
		}},
	{name: "project.jobs.runs.all", success: 200, body: emptyListOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Jobs.Runs.All(ctx, "p", "j", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectJobsRunsAll(ctx, c, "p", "j", o...)
		}},
	{name: "project.jobs.runs.terminate", success: 200, body: terminatedOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Jobs.Runs.Terminate(ctx, "p", "j", "r", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectJobsRunsTerminate(ctx, c, "p", "j", "r", o...)
		}},

	// Queues.
	{name: "project.queues.all", success: 200, body: emptyListOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Queues.All(ctx, "p", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectQueuesAll(ctx, c, "p", o...)
		}},
	{name: "project.queues.create", variant: "with ID", success: 201, body: queueCreatedOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Queues.Create(ctx, "p", sdk.QueueCreateRequest{ID: sdk.Ptr("product-pages")}, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectQueuesCreate(ctx, c, "p", sdk.QueueCreateRequest{ID: sdk.Ptr("product-pages")}, o...)
		}},
	{name: "project.queues.create", variant: "without ID", success: 201, body: queueCreatedOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Queues.Create(ctx, "p", sdk.QueueCreateRequest{}, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectQueuesCreate(ctx, c, "p", sdk.QueueCreateRequest{}, o...)
		}},
	{name: "project.queues.one", success: 200, body: queueOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Queues.One(ctx, "p", "q", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectQueuesOne(ctx, c, "p", "q", o...)
		}},
	{name: "project.queues.delete", success: 204, body: ``,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return nil, c.Project.Queues.Delete(ctx, "p", "q", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return nil, sdk.ProjectQueuesDelete(ctx, c, "p", "q", o...)
		}},
	{name: "project.queues.items.append", success: 201, body: itemAddedOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Queues.Items.Append(ctx, "p", "q", okItem, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectQueuesItemsAppend(ctx, c, "p", "q", okItem, o...)
		}},
	{name: "project.queues.items.result", success: 200, body: itemQueuedOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Queues.Items.Result(ctx, "p", "q", "item-run-1", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectQueuesItemsResult(ctx, c, "p", "q", "item-run-1", o...)
		}},
	{name: "project.queues.items.delete", success: 204, body: ``,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return nil, c.Project.Queues.Items.Delete(ctx, "p", "q", "item-run-1", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return nil, sdk.ProjectQueuesItemsDelete(ctx, c, "p", "q", "item-run-1", o...)
		}},
	{name: "project.queues.repeatItems.all", success: 200, body: emptyListOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Queues.RepeatItems.All(ctx, "p", "q", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectQueuesRepeatItemsAll(ctx, c, "p", "q", o...)
		}},
	{name: "project.queues.repeatItems.append", success: 201, body: repeatAddedOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Queues.RepeatItems.Append(ctx, "p", "q", okRepeat, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectQueuesRepeatItemsAppend(ctx, c, "p", "q", okRepeat, o...)
		}},
	{name: "project.queues.repeatItems.one", success: 200, body: repeatItemOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Queues.RepeatItems.One(ctx, "p", "q", "repeat-1", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectQueuesRepeatItemsOne(ctx, c, "p", "q", "repeat-1", o...)
		}},
	{name: "project.queues.repeatItems.update", success: 200, body: repeatUpdatedOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Project.Queues.RepeatItems.Update(ctx, "p", "q", "repeat-1", okRepeat, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.ProjectQueuesRepeatItemsUpdate(ctx, c, "p", "q", "repeat-1", okRepeat, o...)
		}},
	{name: "project.queues.repeatItems.delete", success: 204, body: ``,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return nil, c.Project.Queues.RepeatItems.Delete(ctx, "p", "q", "repeat-1", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return nil, sdk.ProjectQueuesRepeatItemsDelete(ctx, c, "p", "q", "repeat-1", o...)
		}},

	// File extractions.
	{name: "files.extractMarkdown.sync", success: 200, body: markdownDoneOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Files.ExtractMarkdown.Sync(ctx, okFile, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.FilesExtractMarkdownSync(ctx, c, okFile, o...)
		}},
	{name: "files.extractMarkdown.start", success: 201, body: extractionPendingOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Files.ExtractMarkdown.Start(ctx, okFile, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.FilesExtractMarkdownStart(ctx, c, okFile, o...)
		}},
	{name: "files.extractMarkdown.result", success: 200, body: markdownDoneOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Files.ExtractMarkdown.Result(ctx, "extract-1234", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.FilesExtractMarkdownResult(ctx, c, "extract-1234", o...)
		}},
	{name: "files.extractTables.sync", success: 200, body: tablesDoneOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Files.ExtractTables.Sync(ctx, okFile, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.FilesExtractTablesSync(ctx, c, okFile, o...)
		}},
	{name: "files.extractTables.start", success: 201, body: extractionPendingOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Files.ExtractTables.Start(ctx, okFile, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.FilesExtractTablesStart(ctx, c, okFile, o...)
		}},
	{name: "files.extractTables.result", success: 200, body: tablesDoneOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Files.ExtractTables.Result(ctx, "extract-1234", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.FilesExtractTablesResult(ctx, c, "extract-1234", o...)
		}},
	{name: "files.extractStructuredData.sync", success: 200, body: structuredDoneOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Files.ExtractStructuredData.Sync(ctx, okSchema, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.FilesExtractStructuredDataSync(ctx, c, okSchema, o...)
		}},
	{name: "files.extractStructuredData.start", success: 201, body: extractionPendingOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Files.ExtractStructuredData.Start(ctx, okSchema, o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.FilesExtractStructuredDataStart(ctx, c, okSchema, o...)
		}},
	{name: "files.extractStructuredData.result", success: 200, body: structuredDoneOK,
		call: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return c.Files.ExtractStructuredData.Result(ctx, "extract-1234", o...)
		},
		fn: func(ctx context.Context, c *sdk.Client, o ...sdk.Option) (any, error) {
			return sdk.FilesExtractStructuredDataResult(ctx, c, "extract-1234", o...)
		}},
}

// The table covers the 43 operations of openapi.yaml (the root package's
// TestSDKPathsMatchTheRawClient counts them in the spec), each row once.
func TestOperationsTableIsComplete(t *testing.T) {
	names := map[string]bool{}
	labels := map[string]bool{}
	for _, op := range allOperations {
		names[op.name] = true
		if labels[op.label()] {
			t.Errorf("row %s appears twice", op.label())
		}
		labels[op.label()] = true
		if op.call == nil || op.fn == nil {
			t.Errorf("row %s lacks a call form", op.label())
		}
	}
	if len(names) != 43 {
		t.Errorf("the table covers %d operations, want 43", len(names))
	}
	for name := range notIdempotent {
		if !labels[name] {
			t.Errorf("notIdempotent names %q, which is no row of the table", name)
		}
	}
}

// Every operation's standalone function sends exactly what its method
// sends, and answers the same.
func TestStandaloneFunctionsOfEveryOperation(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	for _, op := range allOperations {
		t.Run(op.label(), func(t *testing.T) {
			s := newServer(t, reply(op.success, op.body))
			c := newClient(t, s)
			got1, err1 := op.call(ctx, c)
			got2, err2 := op.fn(ctx, c)
			if err1 != nil || err2 != nil {
				t.Fatalf("method: %v; function: %v", err1, err2)
			}
			reqs := s.requests()
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want 2", len(reqs))
			}
			m, f := reqs[0], reqs[1]
			if m.Method != f.Method || m.Path != f.Path || string(m.Body) != string(f.Body) ||
				m.Header.Get("Content-Type") != f.Header.Get("Content-Type") {
				t.Errorf("method sent %s %s %s; function sent %s %s %s", m.Method, m.Path, m.Body, f.Method, f.Path, f.Body)
			}
			if d := testdiff.Diff(got1, got2); d != "" {
				t.Errorf("method and function answer differently:\n%s", d)
			}
		})
	}
}
