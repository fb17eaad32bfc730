package sdk

import "fmt"

// Version is this SDK's version, sent in the User-Agent header.
const Version = "0.1.0"

// Client calls the Intuned API. Build one with New and share it: it is safe
// for concurrent use, and its connections are reused across calls.
//
// Operations are grouped as in the reference client:
//
//	client.Project.AuthSessions.Update.Start(ctx, "my-project", req)
//
// Each operation also exists as a standalone function taking the client,
// such as ProjectAuthSessionsUpdateStart; both forms run the same code.
type Client struct {
	// Project groups the operations on a project.
	Project ProjectService

	cfg config
}

// ProjectService groups the operations on a project.
type ProjectService struct {
	// AuthSessions groups the auth-session operations.
	AuthSessions ProjectAuthSessionsService
}

// New returns a client configured by opts, applied in order over the
// defaults: the API key from INTUNED_API_KEY, the workspace from
// INTUNED_WORKSPACE_ID, DefaultServerURL, retries off. It fails, without
// sending anything, when the API key or workspace ID is missing or an option
// is invalid.
func New(opts ...Option) (*Client, error) {
	c := &Client{cfg: defaultConfig()}
	if err := c.cfg.apply(opts); err != nil {
		return nil, err
	}
	if err := c.cfg.validate(); err != nil {
		return nil, err
	}
	as := &c.Project.AuthSessions
	as.client, as.Recorder.client = c, c
	as.Create.AuthSessionOperations = AuthSessionOperations{client: c, flow: createFlow}
	as.Update.AuthSessionOperations = AuthSessionOperations{client: c, flow: updateFlow}
	return c, nil
}

// Format prints the client's workspace and server, never its API key, for
// every verb (%v, %+v, %#v, %s).
func (c Client) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "sdk.Client{workspace: %q, server: %q}", c.cfg.workspaceID, c.cfg.serverURL)
}
