package sdk

import (
	"context"

	"github.com/intuned/intuned-go/gen"
)

// ProjectAuthSessionsRecorderService opens the recorder, for auth sessions
// that need a person to log in.
type ProjectAuthSessionsRecorderService struct {
	client *Client
}

// Start starts the recorder for an auth session to create or update
// (POST .../auth-sessions/recorder/start) and returns the URL a person
// opens to log in.
func (s ProjectAuthSessionsRecorderService) Start(ctx context.Context, projectName string, req StartAuthSessionRecorderRequest, opts ...Option) (StartAuthSessionRecorder, error) {
	return ProjectAuthSessionsRecorderStart(ctx, s.client, projectName, req, opts...)
}

// ProjectAuthSessionsRecorderStart is the standalone form of
// client.Project.AuthSessions.Recorder.Start.
func ProjectAuthSessionsRecorderStart(ctx context.Context, c *Client, projectName string, req StartAuthSessionRecorderRequest, opts ...Option) (StartAuthSessionRecorder, error) {
	return projectCall(ctx, c, gen.OpAuthSessionsRecorderStart, projectName, req, opts, decodeRecorder)
}
