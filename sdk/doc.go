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
//	started, err := client.Project.AuthSessions.Update.Start(ctx, "my-project", sdk.AuthSessionUpdateRequest{
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
// # Options
//
// One type, Option, configures a client and its calls. Given to New, an
// option sets the client's default for every call it applies to; given to a
// call, after the call's arguments, it overrides that default for that call
// only. A call's value replaces the client's whole (a call's
// WithPolling(PollConfig{MaxDelay: time.Minute}) polls first after the
// package's InitialDelay, not the client's), but for WithHeader, which adds
// a header to the client's. Where each option applies:
//
//   - Call options apply to every call, and to every call a wait makes:
//     WithAPIKey, WithAPIKeyFunc, WithWorkspaceID, WithServerURL,
//     WithInsecurePlainHTTP, WithHTTPClient, WithRetryConfig,
//     WithRetryStatusCodes, WithTimeout, WithLogger, WithHeader.
//   - Wait options apply to the waits: Operation.Wait,
//     AuthSessionOperation.Wait, WaitAll, WaitAllAuthSessions, and the
//     StartAndWait, StartAndWaitAll, AppendAndWait and AppendAndWaitAll
//     calls. They are WithPolling, WithProgress and WithMaxInFlight.
//   - Auth-session wait options apply to the waits on auth-session creates
//     and updates only: WithInfoHandler and WithInfoRequestAsks. Their
//     StartAndWait and StartAndWaitAll calls take the handler as an
//     argument, which overrides the client's WithInfoHandler (nil stands
//     for it), and refuse the option.
//   - Journal options apply to the waits that start operations (the
//     StartAndWait, StartAndWaitAll, AppendAndWait and AppendAndWaitAll
//     calls), given to the wait: WithJournal, WithJournalKeys and
//     WithJournalResends (see Surviving a restart).
//
// New takes every option but the journal's, which name one wait's batch. A call that does not take an option (a wait
// option given to Poll, Resume or client.Project.Jobs.All, say) refuses it
// before anything is sent, with an *ArgumentError (errors.Is(err,
// ErrInvalidArgument)) naming the option and the call. An option given a
// value it cannot use (an empty API key, a negative timeout) is an
// *ArgumentError too, from New or from the call it is given to, before
// anything is sent. So the settings of waits are set once, on the client,
// and a single wait can still differ:
//
//	client, err := sdk.New(
//		sdk.WithPolling(sdk.PollConfig{InitialDelay: 2 * time.Second, MaxDelay: 30 * time.Second}),
//		sdk.WithProgress(func(e sdk.WaitEvent) { slog.Debug("wait", "kind", e.Kind, "operation", e.OperationID) }),
//	)
//	done, err := client.Project.Run.StartAndWait(ctx, "my-project", req) // polls as the client says
//	md, err := client.Files.ExtractMarkdown.StartAndWait(ctx, extractReq,
//		sdk.WithPolling(sdk.PollConfig{InitialDelay: 200 * time.Millisecond})) // this wait polls sooner
//
// The receiving side of webhook sinks, which serves requests rather than
// sending them, has a type of its own, SinkOption: WithSinkSecret,
// WithoutSinkSecret, WithSinkMaxBodySize, WithSinkTimeout and
// WithSinkLogger, taken by NewSinkHandler and CheckSinkRequest alike. They
// return an *ArgumentError for an option given a value it cannot use (a
// secret no request can carry, a negative bound) and when neither
// WithSinkSecret nor WithoutSinkSecret is given: NewSinkHandler before it
// serves anything, CheckSinkRequest before it checks the request.
//
// # Surviving a restart
//
// A wait that starts operations, given WithJournal(j, batch), records each
// start in the Journal j under a key (the operation's index, or
// WithJournalKeys): that it is about to be sent (durably, first), that it
// started (its IDs) or was refused, that it ended. Run again with the same
// journal and batch after a crash or a deploy, it starts only what never
// started, waits on what had started, reads again the results of what had
// ended, and reports a start that may have acted but was never answered as
// an *AmbiguousStartError (unless WithJournalResends allows another):
// nothing is paid for twice unawares. FileJournal keeps a journal in a local file;
// the Journal interface fits a shared store (see the README).
//
// # Names
//
// Every name follows one rule, so that you can guess a type from its
// operation; the generator applies it to what operations take and answer,
// to the types they share, to union variants and to enum constants, and
// refuses a spec that breaks it. The reference client's names, where ours
// differ, are in the doc comments.
//
//   - A service has a subject, a singular noun: project.jobs is Job,
//     project.jobs.runs JobRun, project.queues.items QueueItem,
//     files.extractTables TableExtraction; a service named by a verb adds
//     it (project.authSessions.create is AuthSessionCreate). Its operations
//     are client.Project.Jobs.Create (method) and ProjectJobsCreate
//     (function).
//   - What you send is <Subject><Verb>Request: JobCreateRequest,
//     QueueItemAppendRequest. For a start or a sync, which begin the
//     subject, the verb is left out: RunRequest, AuthSessionCreateRequest.
//   - What comes back is the subject for one and all (Job, []Job),
//     <Subject>Result for result and <Subject>SyncResult for sync, and
//     <Subject><Verb in the past> for the rest: JobCreated, JobPaused,
//     QueueItemAppended, AuthSessionRecorderStarted. A start may answer the
//     pending state of its result instead (RunPending, ExtractionPending).
//   - A type several operations share is named by the words their names
//     share, with at most one noun added where those alone would not say
//     what it is: ExtractionRequest (markdown and tables),
//     QueueRepeatItemRequest (append and update), AuthSessionOperationResult
//     (create and update, whose handle is AuthSessionOperation).
//   - The states of a result are <Subject><Status>: RunPending, RunCompleted,
//     QueueItemQueued, AuthSessionOperationRequestedMoreInfo, and its
//     status is <Subject>Status. The variants of a union told apart by a
//     member are <Union><Tag>: SinkWebhook, SinkS3, FileSourceURL,
//     StrategyImage, SinkResultProjectJob, and such a union has an
//     <Union>Unknown. A union told apart by JSON shape takes its variants'
//     own types (Every: Duration or Milliseconds).
//   - An enum's constants are <Type><Value>: RunStatusPending,
//     AuthSessionStatusReady, InfoRequestTypeOTP, WaitEventKindPolled.
//   - A reference to another resource is <Resource>Ref (AuthSessionRef). A
//     part of a model is named for what it is, after its resource where
//     that helps (JobSchedule, QueueConfiguration, RateLimit), and a part
//     only requests have after its request (JobCreateConfiguration, beside
//     the JobConfiguration a Job holds).
//
// No two exported names are the same words in another order. The exported
// API is listed in api/sdk.txt, and a test fails when it changes unseen.
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
// its end; a failure is an *OperationFailedError. An error that ends a wait
// on an operation (once started) is an *OperationError that names the wait
// and the operation, as the errors of calls name the call: "intuned:
// project.run.startAndWait: operation <ID>: context deadline exceeded".
//
// The bulk calls (StartAndWaitAll, AppendAndWaitAll, and WaitAll for
// handles) start or take many operations and yield each one's Outcome as it
// ends, to a range loop in the caller's goroutine. Their info requests
// (InfoRequest) and progress events (WaitEvent) say which flow they belong
// to: its Index in the caller's slice, its OperationID and, for auth
// sessions, its AuthSessionID, so that one handler can answer each account
// of a bulk refresh with its own code. One scheduler drives every wait,
// single or bulk: no goroutine or timer waits per operation, and at most
// WithMaxInFlight calls are out at once. The default HTTP client opens at
// most DefaultMaxConnsPerHost connections to the API.
//
// # Models: optional, nullable, unions, unknown values
//
// One rule says what a member's Go type is, from what the spec allows, in
// requests and answers alike:
//
//   - Required, not nullable: a plain value, always sent.
//   - Optional, not nullable: a pointer (build one with Ptr), or a type
//     with a nil of its own (slices, maps, interfaces: unions, Parameters;
//     RawJSON). nil is absent: left out of a request. The API never
//     takes null there, and an answer's null is read as absent.
//   - Required and nullable (QueueCreateRequest.Configuration): a pointer, or a type with
//     a nil of its own; nil is null, always sent.
//   - Optional and nullable (a job's sink; a queue's sink, auth session and
//     metadata): a Nullable[T], which tells absent (its zero value), null
//     (Null[T]()) and a value (NullableOf(v)) apart, when sending and when
//     reading an answer.
//
// Beyond that:
//
//   - Member names are matched exactly, byte for byte once JSON escapes are
//     decoded, as the API and JavaScript read them: a member "RunId" or
//     "RUNID" is not runId but an unknown member, ignored like any other
//     (encoding/json, which folds case, is not used for models). Of a name
//     given twice, the last counts.
//   - A union (a oneOf of the spec) is a sealed interface with one type per
//     variant; tell them apart with a type switch. A union told apart by a
//     discriminator member ("status", "type") or by the members its variants
//     have keeps a variant this SDK version does not know in its Unknown
//     variant, raw. A union told apart only by the JSON shape of its value
//     (Every, CalendarValue, CalendarBound, RandomWait) cannot tell a new
//     shape from a broken one: a value none of its variants accepts is an
//     error naming its path; its Unknown variant only sends a shape this
//     SDK does not know.
//   - A variant keeps the discriminator it was sent: a RunPending decoded on
//     its own (the answer of Run.Start) whose "status" is "started" says
//     Status() == "started", and is then not == to a RunPending built in
//     code with the same fields (it differs in what the server sent). A
//     variant reached through its union always has its own value, and is.
//   - An enum is a named string type with constants; a value this SDK
//     version does not know is kept as received, never an error, and is
//     sent as given (a run mode). Only an enum member of a union's variant
//     (the model of an extraction strategy) must hold a value the spec
//     lists, as the reference client checks; send a newer one inside the
//     union's Unknown variant, as raw JSON.
//   - An integer member reads any JSON form of a whole number (200, 200.0,
//     2e2); a fraction or a value beyond Go's int is a validation error.
//   - Any JSON value the API leaves open (a run's result, an unknown
//     variant) is a RawJSON, as received, a JSON null included; nil means
//     absent. It prints as its JSON text, as every model does (String). DecodeResult decodes the
//     result of a run, an item or an extraction into a type of yours.
//   - Date-times are time.Time, with the offset the API sent and its
//     fractional digits up to the nanosecond; the forms accepted are those
//     of the reference client: YYYY-MM-DDTHH:MM[:SS[.digits]] then Z,
//     ±HH:MM or ±HHMM. Durations the API writes as text ("30s") are
//     Duration, which DurationOf builds exactly from a time.Duration; those
//     it writes in milliseconds are Milliseconds.
//   - A body that starts with a UTF-8 byte-order mark (an answer, an error
//     body, a webhook payload) is read as the JSON after it.
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
// A job or a queue with a SinkWebhook makes Intuned POST the result of each
// API run it finishes to the sink's URL. NewSinkHandler serves that URL: it
// checks each request as a careful receiver on the open internet does (the
// method, one of your secrets, the content type, a bound on the body; a
// refusal decided from the headers reads none of the body and closes the
// connection) and the payload, and passes each SinkDelivery (a
// SinkResultProjectJob or a SinkResultProjectQueue, and the request's headers) to a
// callback of yours. CheckSinkRequest makes the same checks on a request's
// parts, for another router or a serverless platform; ParseSinkResult
// decodes a payload received some other way.
//
// Package intunedtest serves a fake Intuned API on loopback for tests; it
// delivers the results of jobs and queues with webhook sinks as Intuned
// does.
package sdk
