package sdk

import (
	"context"

	"github.com/intuned/intuned-go/gen"
)

// ProjectAuthSessionsUpdateService manages the update of auth sessions:
// Start begins an update, Result reports its state, and Resume answers an
// info request (an OTP code or a choice) when Result asks for one;
// StartAndWait does all of it in one call.
type ProjectAuthSessionsUpdateService struct {
	AuthSessionOperations
}

// Start starts updating an auth session of a project
// (POST /{workspaceId}/projects/{projectName}/auth-sessions/update). The
// answer holds the operation ID for Result and Resume.
func (s ProjectAuthSessionsUpdateService) Start(ctx context.Context, projectName string, req UpdateAuthSessionRequest, opts ...Option) (CreateOrUpdateAuthSessionStart, error) {
	return ProjectAuthSessionsUpdateStart(ctx, s.client, projectName, req, opts...)
}

// StartAndWait drives a whole update: it starts it, polls until it is done,
// passes every info request to handler and resumes with its answer. It
// returns the ID of the ready auth session. A failed update returns an
// *OperationFailedError; any error after the start is wrapped in an
// *OperationError naming the operation, so it can be picked up later.
// opts apply to every call, and may tune polling (WithPolling) or observe it
// (WithProgress).
func (s ProjectAuthSessionsUpdateService) StartAndWait(ctx context.Context, projectName string, req UpdateAuthSessionRequest, handler InfoRequestHandler, opts ...Option) (string, error) {
	return ProjectAuthSessionsUpdateStartAndWait(ctx, s.client, projectName, req, handler, opts...)
}

// ProjectAuthSessionsUpdateStart is the standalone form of
// client.Project.AuthSessions.Update.Start.
func ProjectAuthSessionsUpdateStart(ctx context.Context, c *Client, projectName string, req UpdateAuthSessionRequest, opts ...Option) (CreateOrUpdateAuthSessionStart, error) {
	return projectCall(ctx, c, gen.OpUpdateAuthSessionStart, projectName, req, opts, decodeStart)
}

// ProjectAuthSessionsUpdateResult is the standalone form of
// client.Project.AuthSessions.Update.Result.
func ProjectAuthSessionsUpdateResult(ctx context.Context, c *Client, projectName, operationID string, opts ...Option) (AuthSessionCreateResult, error) {
	return updateFlow.result(ctx, c, projectName, operationID, opts, nil)
}

// ProjectAuthSessionsUpdateResume is the standalone form of
// client.Project.AuthSessions.Update.Resume.
func ProjectAuthSessionsUpdateResume(ctx context.Context, c *Client, projectName, operationID string, req AuthSessionCreateResume, opts ...Option) (CreateAuthSessionResume, error) {
	return updateFlow.resume(ctx, c, projectName, operationID, req, opts)
}

// ProjectAuthSessionsUpdateOperation is the standalone form of
// client.Project.AuthSessions.Update.Operation.
func ProjectAuthSessionsUpdateOperation(c *Client, projectName, operationID string) *AuthSessionOperation {
	return newOperation(c, updateFlow, projectName, operationID, false)
}

// ProjectAuthSessionsUpdateStartAndWait is the standalone form of
// client.Project.AuthSessions.Update.StartAndWait.
func ProjectAuthSessionsUpdateStartAndWait(ctx context.Context, c *Client, projectName string, req UpdateAuthSessionRequest, handler InfoRequestHandler, opts ...Option) (string, error) {
	return startAndWait(ctx, c, updateFlow, projectName, handler, opts, func() (CreateOrUpdateAuthSessionStart, error) {
		return ProjectAuthSessionsUpdateStart(ctx, c, projectName, req, opts...)
	})
}
