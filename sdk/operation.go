package sdk

import (
	"context"
	"sync"
)

// AuthSessionOperation is a handle on a running create or update operation,
// in the manner of the long-running-operation handles of the big Go cloud
// SDKs: Poll asks once, Wait polls until there is something to act on, and
// Resume answers an info request. A handle can be rebuilt from the project
// name and operation ID alone (ProjectAuthSessionsUpdateService.Operation),
// so one process can pick up an operation another one started.
//
// A handle is safe for concurrent use. It remembers the info requests it has
// answered, so that none is answered twice.
type AuthSessionOperation struct {
	client  *Client
	flow    *flow
	project string
	id      string
	started bool // just started: the first poll waits PollConfig.InitialDelay

	mu       sync.Mutex
	answered map[string]bool
}

func newOperation(c *Client, f *flow, projectName, operationID string, started bool) *AuthSessionOperation {
	return &AuthSessionOperation{client: c, flow: f, project: projectName, id: operationID, started: started, answered: map[string]bool{}}
}

// ID returns the operation ID, which identifies the operation across
// processes.
func (op *AuthSessionOperation) ID() string { return op.id }

// ProjectName returns the name of the operation's project.
func (op *AuthSessionOperation) ProjectName() string { return op.project }

// Poll reads the operation's state once.
func (op *AuthSessionOperation) Poll(ctx context.Context, opts ...Option) (AuthSessionCreateResult, error) {
	return op.flow.result(ctx, op.client, op.project, op.id, opts, nil)
}

// Resume answers the info request infoRequestID with input: the OTP code,
// or one of the choices of a multiple-choice request. An info request this
// handle has already answered is refused with an *ArgumentError, before
// anything is sent.
func (op *AuthSessionOperation) Resume(ctx context.Context, infoRequestID, input string, opts ...Option) error {
	if op.wasAnswered(infoRequestID) {
		return &ArgumentError{Name: "info request " + infoRequestID, Problem: "has already been answered"}
	}
	if _, err := op.flow.resume(ctx, op.client, op.project, op.id, AuthSessionCreateResume{Input: input, InfoRequestID: infoRequestID}, opts); err != nil {
		return err
	}
	op.mu.Lock()
	op.answered[infoRequestID] = true
	op.mu.Unlock()
	return nil
}

func (op *AuthSessionOperation) wasAnswered(infoRequestID string) bool {
	op.mu.Lock()
	defer op.mu.Unlock()
	return op.answered[infoRequestID]
}
