// Package sdk is the Go client for the Intuned API: auth sessions (the
// logged-in states that Intuned browser automations reuse) today, and the
// rest of the API as it is added to openapi.yaml.
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
// An operation that runs for a while (an auth-session create or update) is
// started by one call and read by another; Operation is a handle on one, with
// Poll and Wait, that can be rebuilt from its IDs in another process
// (client.Project.AuthSessions.Update.Operation(project, operationID)). The
// StartAndWait calls start an operation and wait for its end.
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
//     member is left out of the body.
//   - A union (a oneOf of the spec) is a sealed interface with one type per
//     variant; tell them apart with a type switch. Each union has an Unknown
//     variant that keeps the raw JSON of a variant this SDK version does not
//     know.
//   - An enum is a named string type with constants; a value this SDK version
//     does not know is kept as received, never an error.
//   - Any JSON value the API leaves open is a json.RawMessage, as received,
//     a JSON null included; nil means absent.
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
// not idempotent (those that start something) are then retried only where
// the server cannot have acted on the request (see RetryConfig), which the
// reference client does not do.
//
// Package intunedtest serves a fake Intuned API on loopback for tests.
package sdk
