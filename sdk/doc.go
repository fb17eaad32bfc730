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
// Every operation also exists as a standalone function that takes the client
// (ProjectAuthSessionsUpdateStart and so on). Options (Option) configure the
// client in New and single calls alike. Errors are typed (see ArgumentError,
// APIErrorInvalidInput, APIErrorUnauthorized, SDKError and
// ResponseValidationError) and work with errors.As and errors.Is.
//
// The raw client and models are generated into package gen from the module's
// openapi.yaml; this package is the hand-written layer over them.
package sdk
