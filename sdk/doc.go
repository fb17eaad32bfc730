// Package sdk is the Go client for the Intuned API's auth sessions: the
// logged-in states that Intuned browser automations reuse.
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
//	op, err := client.Project.AuthSessions.Update.Start(ctx, "my-project", sdk.UpdateAuthSessionRequest{
//		ID:         "my-auth-session",
//		Parameters: sdk.ParametersObject{"username": "me", "password": pw},
//	})
//	res, err := client.Project.AuthSessions.Update.Result(ctx, "my-project", op.OperationID)
//
// Or drive the whole update in one call, answering info requests with a
// handler:
//
//	id, err := client.Project.AuthSessions.Update.StartAndWait(ctx, "my-project", req, askTheUser)
//
// An operation started elsewhere can be picked up by its ID with
// client.Project.AuthSessions.Update.Operation(project, operationID), whose
// Wait returns the info request to the caller when no handler is given.
// Create works the same way; All, One, Delete and Recorder.Start complete the
// auth-session operations.
//
// Every operation also exists as a standalone function that takes the client
// (ProjectAuthSessionsUpdateStart and so on). Options (Option) configure the
// client in New and single calls alike. Errors are typed (see ArgumentError,
// APIErrorInvalidInput, APIErrorUnauthorized, SDKError and
// ResponseValidationError) and work with errors.As and errors.Is.
//
// Package intunedtest serves a fake Intuned API on loopback for tests.
//
// The raw client and models are generated into package gen from the module's
// openapi.yaml; this package is the hand-written layer over them.
package sdk
