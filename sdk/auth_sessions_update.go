package sdk

import (
	"context"
	"net/http"

	"github.com/intuned/intuned-go/gen"
)

// Operation names, as the reference client spells them; they appear in
// errors and log records.
const (
	opUpdateStart  = "project.authSessions.update.start"
	opUpdateResult = "project.authSessions.update.result"
	opUpdateResume = "project.authSessions.update.resume"
)

// ProjectAuthSessionsUpdateService manages the update of auth sessions:
// Start begins an update, Result reports its state, and Resume answers an
// info request (an OTP code or a choice) when Result asks for one.
type ProjectAuthSessionsUpdateService struct {
	client *Client
}

// Start starts updating an auth session of a project
// (POST /{workspaceId}/projects/{projectName}/auth-sessions/update). The
// answer holds the operation ID for Result and Resume.
func (s ProjectAuthSessionsUpdateService) Start(ctx context.Context, projectName string, req UpdateAuthSessionRequest, opts ...Option) (CreateOrUpdateAuthSessionStart, error) {
	return ProjectAuthSessionsUpdateStart(ctx, s.client, projectName, req, opts...)
}

// Result reports the state of an update operation
// (GET .../auth-sessions/update/{operationId}/result).
func (s ProjectAuthSessionsUpdateService) Result(ctx context.Context, projectName, operationID string, opts ...Option) (AuthSessionCreateResult, error) {
	return ProjectAuthSessionsUpdateResult(ctx, s.client, projectName, operationID, opts...)
}

// Resume answers an info request of an update operation
// (POST .../auth-sessions/update/{operationId}/resume).
func (s ProjectAuthSessionsUpdateService) Resume(ctx context.Context, projectName, operationID string, req AuthSessionCreateResume, opts ...Option) (CreateAuthSessionResume, error) {
	return ProjectAuthSessionsUpdateResume(ctx, s.client, projectName, operationID, req, opts...)
}

// ProjectAuthSessionsUpdateStart is the standalone form of
// client.Project.AuthSessions.Update.Start.
func ProjectAuthSessionsUpdateStart(ctx context.Context, c *Client, projectName string, req UpdateAuthSessionRequest, opts ...Option) (CreateOrUpdateAuthSessionStart, error) {
	return invoke(ctx, c, opUpdateStart, http.StatusCreated, opts, func(cfg *config) (*http.Request, error) {
		if err := checkPathValue("project name", projectName); err != nil {
			return nil, err
		}
		body, err := req.toWire()
		if err != nil {
			return nil, err
		}
		return gen.NewUpdateAuthSessionStartRequest(cfg.serverURL, cfg.workspaceID, projectName, body)
	}, decodeStart)
}

// ProjectAuthSessionsUpdateResult is the standalone form of
// client.Project.AuthSessions.Update.Result.
func ProjectAuthSessionsUpdateResult(ctx context.Context, c *Client, projectName, operationID string, opts ...Option) (AuthSessionCreateResult, error) {
	return invoke(ctx, c, opUpdateResult, http.StatusOK, opts, func(cfg *config) (*http.Request, error) {
		if err := checkOperationPath(projectName, operationID); err != nil {
			return nil, err
		}
		return gen.NewUpdateAuthSessionResultRequest(cfg.serverURL, cfg.workspaceID, projectName, operationID)
	}, decodeResult)
}

// ProjectAuthSessionsUpdateResume is the standalone form of
// client.Project.AuthSessions.Update.Resume.
func ProjectAuthSessionsUpdateResume(ctx context.Context, c *Client, projectName, operationID string, req AuthSessionCreateResume, opts ...Option) (CreateAuthSessionResume, error) {
	return invoke(ctx, c, opUpdateResume, http.StatusAccepted, opts, func(cfg *config) (*http.Request, error) {
		if err := checkOperationPath(projectName, operationID); err != nil {
			return nil, err
		}
		if req.InfoRequestID == "" {
			return nil, &ArgumentError{Name: "info request ID", Problem: "is empty"}
		}
		return gen.NewUpdateAuthSessionResumeRequest(cfg.serverURL, cfg.workspaceID, projectName, operationID,
			gen.AuthSessionCreateResume{Input: req.Input, InfoRequestID: req.InfoRequestID})
	}, decodeResume)
}

func checkOperationPath(projectName, operationID string) error {
	if err := checkPathValue("project name", projectName); err != nil {
		return err
	}
	return checkPathValue("operation ID", operationID)
}
