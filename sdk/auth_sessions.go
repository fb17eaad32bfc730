package sdk

import (
	"context"

	"github.com/intuned/intuned-go/gen"
)

// ProjectAuthSessionsService groups the auth-session operations of a
// project: listing, reading and deleting sessions, and (in Create, Update
// and Recorder) making and refreshing them.
type ProjectAuthSessionsService struct {
	// Create starts and drives the creation of auth sessions.
	Create ProjectAuthSessionsCreateService
	// Update starts and drives the update of auth sessions.
	Update ProjectAuthSessionsUpdateService
	// Recorder opens the recorder, where a person logs in.
	Recorder ProjectAuthSessionsRecorderService

	client *Client
}

// All lists the auth sessions of a project
// (GET /{workspaceId}/projects/{projectName}/auth-sessions).
func (s ProjectAuthSessionsService) All(ctx context.Context, projectName string, opts ...Option) ([]AuthSessionInfo, error) {
	return ProjectAuthSessionsAll(ctx, s.client, projectName, opts...)
}

// One reads one auth session (GET .../auth-sessions/{authSessionId}). A
// session that does not exist is an *SDKError with status 404.
func (s ProjectAuthSessionsService) One(ctx context.Context, projectName, authSessionID string, opts ...Option) (AuthSessionInfo, error) {
	return ProjectAuthSessionsOne(ctx, s.client, projectName, authSessionID, opts...)
}

// Delete deletes an auth session (DELETE .../auth-sessions/{authSessionId}).
func (s ProjectAuthSessionsService) Delete(ctx context.Context, projectName, authSessionID string, opts ...Option) error {
	return ProjectAuthSessionsDelete(ctx, s.client, projectName, authSessionID, opts...)
}

// ProjectAuthSessionsAll is the standalone form of
// client.Project.AuthSessions.All.
func ProjectAuthSessionsAll(ctx context.Context, c *Client, projectName string, opts ...Option) ([]AuthSessionInfo, error) {
	if err := checkPathValue("project name", projectName); err != nil {
		return nil, err
	}
	return invoke(ctx, c, gen.OpAuthSessionsAll, opts, nil, decodeInfos, projectName)
}

// ProjectAuthSessionsOne is the standalone form of
// client.Project.AuthSessions.One.
func ProjectAuthSessionsOne(ctx context.Context, c *Client, projectName, authSessionID string, opts ...Option) (AuthSessionInfo, error) {
	if err := checkPathValues("project name", projectName, "auth session ID", authSessionID); err != nil {
		return AuthSessionInfo{}, err
	}
	return invoke(ctx, c, gen.OpAuthSessionsOne, opts, nil, decodeInfo, projectName, authSessionID)
}

// ProjectAuthSessionsDelete is the standalone form of
// client.Project.AuthSessions.Delete.
func ProjectAuthSessionsDelete(ctx context.Context, c *Client, projectName, authSessionID string, opts ...Option) error {
	if err := checkPathValues("project name", projectName, "auth session ID", authSessionID); err != nil {
		return err
	}
	_, err := invoke[struct{}](ctx, c, gen.OpAuthSessionsDelete, opts, nil, nil, projectName, authSessionID)
	return err
}
