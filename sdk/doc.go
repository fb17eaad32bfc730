// Package sdk is the Go client for the Intuned API, which runs browser
// automations: auth sessions (the logged-in states automations reuse), runs
// of a project's APIs (client.Project.Run), jobs that run them on a
// schedule (client.Project.Jobs), rate-limited queues that feed them
// (client.Project.Queues), and extraction of markdown, tables and
// structured data from PDFs and images (client.Files).
//
// Build one Client and share it:
//
//	client, err := sdk.New(
//		sdk.WithAPIKey(os.Getenv("INTUNED_API_KEY")),
//		sdk.WithWorkspaceID("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
//	)
//
// Then start an update, poll its result, and resume it when the target site
// asks for a one-time code or a choice:
//
//	started, err := client.Project.AuthSessions.Update.Start(ctx, "my-project", sdk.UpdateAuthSessionRequest{
//		ID:         "my-auth-session",
//		Parameters: sdk.ParametersObject{"username": "me", "password": pw},
//	})
//	res, err := client.Project.AuthSessions.Update.Result(ctx, "my-project", started.OperationID)
//
// Or drive the whole update in one call, answering info requests with a
// handler:
//
//	id, err := client.Project.AuthSessions.Update.StartAndWait(ctx, "my-project", req,
//		func(ctx context.Context, req sdk.InfoRequest) (string, error) {
//			return prompt(ctx, req.Message(), req.Choices()) // ask a person
//		})
//
// # Operations
//
// Every operation is a method of a service of the Client, named as in the
// reference client (client.Project.AuthSessions.Update.Start), and a
// standalone function that takes the client (ProjectAuthSessionsUpdateStart);
// both run the same code. Both, and every model, are generated from
// openapi.yaml.
//
// Options (Option) configure the client in New and single calls alike. The
// options of waits (WithPolling, WithProgress) are WaitOptions, which only
// waits take, and those of auth-session waits (WithInfoHandler,
// WithInfoRequestAsks) AuthSessionWaitOptions, which only those take.
//
// # Long-running operations
//
// An operation that runs for a while (an auth-session create or update, a
// run, a queue item, a file extraction) is started by one call and read by
// another; Operation is a handle on one, with Poll and Wait, that can be
// rebuilt from its IDs in another process
// (client.Project.AuthSessions.Update.Operation(project, operationID),
// client.Project.Run.Operation(project, runID),
// client.Project.Queues.Items.Operation(project, queueID, itemRunID),
// client.Files.ExtractTables.Operation(operationID)). The StartAndWait
// calls (AppendAndWait for a queue item) start an operation and wait for
// its end; a failure is an *OperationFailedError.
//
// The bulk calls (StartAndWaitAll, AppendAndWaitAll, and WaitAll for
// handles) start or take many operations and yield each one's Outcome as it
// ends, to a range loop in the caller's goroutine. One scheduler drives
// every wait, single or bulk: no goroutine or timer waits per operation,
// and at most WithMaxInFlight calls are out at once. The default HTTP
// client opens at most DefaultMaxConnsPerHost connections to the API.
//
// # Models: optional, nullable, unions, unknown values
//
// One convention holds across the SDK:
//
//   - A required member is a plain value.
//   - A member that may be absent, or may be null, is a pointer (nil for
//     absent or null; build one with Ptr), except where the Go type has a nil
//     of its own, which then stands for absent or null: slices, maps and
//     interfaces (unions, Parameters). When an optional member that is not
//     nullable arrives as null, it is taken as absent. In a request, a nil
//     member is left out of the body, unless the member is required and
//     nullable (Queue.Configuration): then nil is sent as null.
//   - A union (a oneOf of the spec) is a sealed interface with one type per
//     variant; tell them apart with a type switch. Each union has an Unknown
//     variant that keeps the raw JSON of a variant this SDK version does not
//     know.
//   - An enum is a named string type with constants; a value this SDK version
//     does not know is kept as received, never an error.
//   - Any JSON value the API leaves open is a json.RawMessage, as received,
//     a JSON null included; nil means absent. DecodeResult decodes the
//     result of a run, an item or an extraction into a type of yours.
//   - Date-times are time.Time, with the offset the API sent and its
//     fractional digits up to the nanosecond; the forms accepted are those
//     of the reference client: YYYY-MM-DDTHH:MM[:SS[.digits]] then Z,
//     ±HH:MM or ±HHMM. Durations the API writes as text ("30s") are Duration, which
//     DurationOf builds exactly from a time.Duration; those it writes in
//     milliseconds are Milliseconds.
//
// Answers are checked against the spec as they are decoded: a required
// member that is missing or a member of the wrong JSON type is a
// *ResponseValidationError whose Path names it (details.choices[0]). The
// models' UnmarshalJSON methods make the same checks, with *DecodeError.
//
// # Errors
//
// Errors are typed (ArgumentError, APIErrorInvalidInput,
// APIErrorUnauthorized, SDKError, ResponseValidationError, TransportError)
// and work with errors.As and errors.Is. Bad input is refused before anything
// is sent. No error, log record or formatted value ever shows the API key.
//
// # Retries
//
// Retries are off unless WithRetryConfig turns them on. Operations that are
// not idempotent (those that start something: a run, a job's trigger, a
// queue item, an extraction) are then retried only where the server cannot
// have acted on the request (see RetryConfig), which the reference client
// does not do.
//
// # Webhook sinks
//
// A job or a queue with a WebhookSink makes Intuned POST the result of each
// API run it finishes to the sink's URL. NewSinkHandler serves that URL: it
// checks each request as a careful receiver does (the method, a shared
// secret, the content type, a bound on the body) and the payload, and
// passes each SinkResult (a JobSinkResult or a QueueSinkResult) to a
// callback of yours. ParseSinkResult decodes a payload received some other
// way.
//
// Package intunedtest serves a fake Intuned API on loopback for tests; it
// delivers the results of jobs and queues with webhook sinks as Intuned
// does.
package sdk
