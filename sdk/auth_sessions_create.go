package sdk

import (
	"context"

	"github.com/intuned/intuned-go/gen"
)

var createFlow = &flow{resultOp: gen.OpCreateAuthSessionResult, resumeOp: gen.OpCreateAuthSessionResume}

// ProjectAuthSessionsCreateService manages the creation of auth sessions:
// Start begins a creation, Result reports its state, and Resume answers an
// info request (an OTP code or a choice) when Result asks for one;
// StartAndWait does all of it in one call. Everything but Start is shared
// with updates.
type ProjectAuthSessionsCreateService struct {
	AuthSessionOperations
}

// Start starts creating an auth session of a project
// (POST /{workspaceId}/projects/{projectName}/auth-sessions/create). The
// answer holds the operation ID for Result and Resume.
func (s ProjectAuthSessionsCreateService) Start(ctx context.Context, projectName string, req CreateAuthSessionRequest, opts ...Option) (CreateOrUpdateAuthSessionStart, error) {
	return ProjectAuthSessionsCreateStart(ctx, s.client, projectName, req, opts...)
}

// StartAndWait drives a whole creation, as
// ProjectAuthSessionsUpdateService.StartAndWait drives an update, and
// returns the ID of the new auth session.
func (s ProjectAuthSessionsCreateService) StartAndWait(ctx context.Context, projectName string, req CreateAuthSessionRequest, handler InfoRequestHandler, opts ...Option) (string, error) {
	return ProjectAuthSessionsCreateStartAndWait(ctx, s.client, projectName, req, handler, opts...)
}

// ProjectAuthSessionsCreateStart is the standalone form of
// client.Project.AuthSessions.Create.Start.
func ProjectAuthSessionsCreateStart(ctx context.Context, c *Client, projectName string, req CreateAuthSessionRequest, opts ...Option) (CreateOrUpdateAuthSessionStart, error) {
	return projectCall(ctx, c, gen.OpCreateAuthSessionStart, projectName, req, opts, decodeStart)
}

// ProjectAuthSessionsCreateResult is the standalone form of
// client.Project.AuthSessions.Create.Result.
func ProjectAuthSessionsCreateResult(ctx context.Context, c *Client, projectName, operationID string, opts ...Option) (AuthSessionCreateResult, error) {
	return createFlow.result(ctx, c, projectName, operationID, opts, nil)
}

// ProjectAuthSessionsCreateResume is the standalone form of
// client.Project.AuthSessions.Create.Resume.
func ProjectAuthSessionsCreateResume(ctx context.Context, c *Client, projectName, operationID string, req AuthSessionCreateResume, opts ...Option) (CreateAuthSessionResume, error) {
	return createFlow.resume(ctx, c, projectName, operationID, req, opts)
}

// ProjectAuthSessionsCreateOperation is the standalone form of
// client.Project.AuthSessions.Create.Operation.
func ProjectAuthSessionsCreateOperation(c *Client, projectName, operationID string) *AuthSessionOperation {
	return newOperation(c, createFlow, projectName, operationID, false)
}

// ProjectAuthSessionsCreateStartAndWait is the standalone form of
// client.Project.AuthSessions.Create.StartAndWait.
func ProjectAuthSessionsCreateStartAndWait(ctx context.Context, c *Client, projectName string, req CreateAuthSessionRequest, handler InfoRequestHandler, opts ...Option) (string, error) {
	return startAndWait(ctx, c, createFlow, projectName, handler, opts, func() (CreateOrUpdateAuthSessionStart, error) {
		return ProjectAuthSessionsCreateStart(ctx, c, projectName, req, opts...)
	})
}
