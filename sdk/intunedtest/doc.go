// Package intunedtest is a fake Intuned API for tests, in the manner of
// net/http/httptest: a loopback server that speaks the operations of the
// same openapi.yaml the SDK is generated from: auth sessions, runs, jobs,
// queues and file extractions.
//
//	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("my-project", "my-auth-session"))
//	defer srv.Close()
//	srv.Script("my-auth-session", intunedtest.Pending(2), intunedtest.OTP("Enter the code", "123456"), intunedtest.Done(""))
//	srv.ScriptAPI("scrape-product", intunedtest.Running(2), intunedtest.Completed(200, map[string]any{"title": "Mug"}))
//	srv.ScriptFile("https://example.com/invoice.pdf", intunedtest.Extracting(1), intunedtest.ExtractedMarkdown("# Invoice\n"))
//	client := srv.Client() // its waits poll every few milliseconds
//	// ... code under test uses client ...
//
// It checks the x-api-key header (401) and every request body (400 with
// details): a body must be JSON and decode into the SDK's model of the
// operation's request (generated from openapi.yaml, it checks required
// members and JSON types), and meet the spec's other constraints on it
// (non-empty IDs; the patterns of a job's or a queue's ID, a slug, of a
// created auth session's ID and of a duration). It can inject faults into
// the next calls of any operation (InjectFault), and records every request
// it receives (Requests).
//
// The fake is stateful, per project, and its state is consistent across
// operations:
//
// Auth sessions. A create or update start makes an operation whose result
// walks a script of Steps (Script, DefaultScript: Pending, OTP, Choice,
// Done, Fail, Raw); resume checks the info request ID and the answer. A
// create makes a PENDING session, READY once done; an update needs an
// existing session; all, one and delete list, read and remove sessions.
//
// Runs. project.run.start starts a run of an API, whose result calls walk
// the API's script of RunSteps (ScriptAPI, DefaultAPIScript: Queued,
// Running, Completed, Failed, FailedWith, RawResult), one step per call;
// project.run.sync walks the whole script at once and answers how it ends.
// A script can serve some runs of an API only: those with given parameters
// (ScriptRun), or those a function of the run picks (ScriptRunWhere), so
// that one item of many fails; the most recent that matches a run wins over
// the API's script. These serve queue items and job runs alike.
// A run naming an auth session that the project does not have is a 404.
// Without a script, a run is pending once, then completes with status code
// 200 and the result {"api": <name>, "parameters": <parameters>}.
//
// Jobs. Create stores a job (409 if its ID exists), as the service answers
// it: its retry intervals in milliseconds, state ACTIVE, a project ID
// (ProjectID), created_at, next_run_time after the first interval of its
// schedule (null without one, and while paused), last_run_time once
// triggered. All, one, delete, pause and resume do what they say. Trigger
// starts a MANUAL job run, one scripted API run per entry of the payload;
// each call of project.jobs.runs.all moves each PENDING run's APIs on by one
// step, and the run is COMPLETED when all completed, FAILED when all ended
// and any failed, its summary counting them. Terminate ends a PENDING run
// (400 for any other). Times come from the server's clock (WithClock). A
// job with a webhook sink is the exception: see Sinks.
//
// Queues. Create stores a queue as sent (the server picks an ID when it has
// none; 409 if it exists); all, one and delete list, read and remove
// queues. An appended item is a scripted API run, which shows Queued steps
// too: its result calls walk the script. Repeat items are stored, listed,
// read, replaced and deleted; their repeat must be at least 10 minutes. The
// fake does not run repeat items.
//
// Sinks. As the service does, the fake POSTs each result of a job or a
// queue with a webhook sink to the sink's URL: one sdk.SinkResult per API
// run (an sdk.SinkResultProjectJob or an sdk.SinkResultProjectQueue, as JSON, with the
// sink's headers and Content-Type: application/json), leaving failed runs
// out when the sink has skipOnFail. Nobody polls the runs of such a job or
// queue, so they do not wait to be looked at: when the job is triggered, or
// the item appended, its runs walk their scripts to the end at once, and
// the job runs and item results read as they ended. Deliveries are made in
// the background, a few at a time, each sent again after a failure (no
// answer, or one other than a 2xx) up to 3 attempts with a short backoff
// (WithSinkRetry); the default client connects to loopback addresses only
// (WithSinkHTTPClient). SinkDeliveries lists those that have ended, with
// their attempts, last status and error, and WaitSinkDeliveries(ctx, n) waits
// for n of them to have ended; Close stops those under way. The fake writes
// to no Amazon S3 sink: the runs of a job with one move on as they are
// looked at. A user's test can serve its real sdk.NewSinkHandler on an
// httptest.Server and point a sink at it.
//
// Testing receivers. A receiver must bear what the service may do: send a
// result more than once, and results out of order. WithSinkRedelivery
// delivers each payload n+1 times, identical byte for byte (SinkDelivery's
// Copy tells them apart); WithSinkShuffle holds payloads and sends them in
// batches, in an order shuffled from a seed, the same for the same seed;
// WithSinkAttemptTimeout sets how long an attempt may take (10 s);
// WithSinkDeliveryHook reports each delivery as it ends. Without a server,
// NewSinkResultProjectJob, NewSinkResultProjectQueue and NewSinkRequest make the request
// a sink receives, for a handler's unit tests (see ExampleNewSinkRequest).
//
// File extractions. A start call (files.extractMarkdown.start,
// .extractTables.start, .extractStructuredData.start) makes an extraction
// whose result calls walk the script of FileSteps of its file (ScriptFile,
// DefaultFileScript: Extracting, ExtractedMarkdown, ExtractedTables,
// ExtractedData, ExtractionFailed, RawExtraction), one step per call; a
// sync call walks the whole script at once and answers how it ends. A file
// is named by its source: the URL it is downloaded from, or its base64 data;
// ScriptFileBytes takes the bytes of a file sent in the request (read with
// sdk.FromPath, say) and works out their base64.
// Without a script, an extraction is pending once, then completes with a
// default result of its kind (see DefaultFileScript). The result call of
// one kind does not know the extractions of another (404). Besides the
// spec's checks, it refuses a file or source of a type the spec does not
// have, base64 data that is not standard base64, and a strategy of an
// unknown type (400).
//
// What the fake checks of a body is what the SDK's decoders check (member
// names matched exactly: a member "ID" is unknown, and ignored, beside
// "id"), the spec's null rules for the top-level members the request
// model has, and the SDK's own checks before sending. So it refuses a
// calendar value, a bound, an interval's period or a random wait that none
// of their shapes accepts (a RandomWaitUnknown of {"min":1000,"max":"5s"},
// an EveryUnknown of true), as the SDK refuses them in answers. It does not
// refuse a null inside a member, nor an unknown variant of a job's sink,
// nor a run mode other than the documented one, which the service may.
//
// A missing resource is a 404 everywhere, as are the runs, items and repeat
// items of a deleted job or queue.
//
// NewServer listens on a loopback port of its own; to serve the fake
// elsewhere (a port of your choice, a process of its own, as
// cmd/intuned-fake does), serve the Handler of a NewUnstartedServer.
//
// The package depends on nothing but the standard library and the sdk
// package, so that the tests of the SDK's users pull in no other module.
//
// # Scripts file
//
// cmd/intuned-fake, the fake as a process of its own, takes its scripts
// and starting auth sessions from a JSON file, which its -h describes as
// this section does. (A test in Go calls the methods the members name.)
//
// A scripts file (-scripts) is a JSON object whose members are all optional:
//
//	{
//	  "authSessions": {"my-project": ["my-auth-session"]},
//	  "authSessionScripts": {
//	    "my-auth-session": [
//	      {"step": "pending", "n": 1},
//	      {"step": "otp", "message": "Enter the code", "code": "123456"},
//	      {"step": "done"}
//	    ]
//	  },
//	  "defaultAuthSessionScript": [{"step": "pending", "n": 1}, {"step": "done"}],
//	  "apiScripts": {
//	    "scrape-product": [
//	      {"step": "running", "n": 2},
//	      {"step": "completed", "statusCode": 200, "result": {"title": "Mug"}}
//	    ]
//	  },
//	  "runScripts": [
//	    {"api": "scrape-product", "parameters": {"url": "https://shop.example.com/p/137"},
//	     "steps": [{"step": "failed", "statusCode": 502, "code": "page_gone", "message": "The page is gone"}]}
//	  ],
//	  "defaultAPIScript": [{"step": "queued", "n": 1}, {"step": "running", "n": 1}],
//	  "fileScripts": {
//	    "https://example.com/invoice.pdf": [
//	      {"step": "extracting", "n": 2},
//	      {"step": "extractedMarkdown", "result": "# Invoice"}
//	    ]
//	  },
//	  "defaultFileScript": [{"step": "extracting", "n": 1}]
//	}
//
// authSessions are the auth sessions each project starts with, READY
// (intunedtest.WithAuthSessions). authSessionScripts script the create and
// update operations of an auth session, by its ID (Server.Script), and
// defaultAuthSessionScript those of the others (Server.DefaultScript).
// apiScripts script the runs of an API, by its name: runs, queue items and
// the APIs of job runs (Server.ScriptAPI). runScripts script the runs of an
// API ("api") with the given parameters, equal as JSON values, or without
// any when "parameters" is absent (Server.ScriptRun): they come before
// apiScripts, and of two that match a run the later in the file wins.
// defaultAPIScript scripts the runs no other script takes
// (Server.DefaultAPIScript). fileScripts script the extractions (markdown,
// tables, structured data) of a file, by its source: its URL, or its base64
// data, exactly as requests send it (Server.ScriptFile), and
// defaultFileScript those of the others (Server.DefaultFileScript). A
// default left out stays the package's.
//
// A step is an object whose "step" names its kind; the other members are
// the kind's, and no other is allowed:
//
//	auth-session steps (intunedtest.Step)
//	  {"step": "pending", "n": 2}                                     Pending(n)
//	  {"step": "otp", "message": "...", "code": "123456"}             OTP: code "" or absent accepts any
//	  {"step": "choice", "message": "...", "choices": ["a", "b"], "answer": "b"}
//	                                                                  Choice: answer "" or absent accepts any choice
//	  {"step": "done", "authSessionId": "..."}                        Done: absent for the session's own ID
//	  {"step": "fail", "code": "...", "message": "..."}               Fail
//	  {"step": "raw", "body": "..."}                                  Raw: body sent as it is
//	API steps (intunedtest.RunStep)
//	  {"step": "queued", "n": 1}                                      Queued(n), for queue items
//	  {"step": "running", "n": 2}                                     Running(n)
//	  {"step": "completed", "statusCode": 200, "result": <any JSON>}  Completed: no "result" member if absent
//	  {"step": "failed", "statusCode": 500, "code": "...", "message": "..."}
//	                                                                  Failed
//	  {"step": "failedWith", "statusCode": 500, "error": <any JSON>}  FailedWith
//	  {"step": "rawResult", "body": "..."}                            RawResult: body sent as it is
//	file steps (intunedtest.FileStep)
//	  {"step": "extracting", "n": 1}                                  Extracting(n)
//	  {"step": "extractedMarkdown", "result": "# Invoice"}            ExtractedMarkdown: result a string
//	  {"step": "extractedTables", "result": [{"pageNumber": 1, "title": "Totals", "content": [["a", "b"]]}]}
//	                                                                  ExtractedTables: result an array of tables
//	  {"step": "extractedData", "result": <any JSON>}                 ExtractedData: no "result" member if absent
//	  {"step": "extractionFailed", "code": "...", "message": "..."}   ExtractionFailed
//	  {"step": "rawExtraction", "body": "..."}                        RawExtraction: body sent as it is
//
// statusCode is 200 for completed, 500 for failed and failedWith, when it
// is absent. A table of extractedTables has exactly the members
// pageNumber (an integer) and content (an array of arrays of strings), and
// optionally title (a string, or null; null when absent); a null cell is
// sent as "" (send nulls with rawExtraction). A file's script serves its
// markdown, table and structured-data extractions alike: each skips the
// completions of the other kinds (see intunedtest.FileStep).
package intunedtest
