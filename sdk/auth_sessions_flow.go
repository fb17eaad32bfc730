package sdk

import (
	"context"
	"net/http"

	"github.com/intuned/intuned-go/gen"
)

// flow is one kind of auth-session operation (update; create shares the
// shape): the operations that read its result and answer its info requests.
// Result, resume and waiting are written once over it.
type flow struct {
	resultOp *gen.Operation
	resumeOp *gen.Operation
}

var updateFlow = &flow{resultOp: gen.OpUpdateAuthSessionResult, resumeOp: gen.OpUpdateAuthSessionResume}

// result reads the state of an operation. When header is not nil it receives
// the response headers (the waiter reads Retry-After from them).
func (f *flow) result(ctx context.Context, c *Client, projectName, operationID string, opts []Option, header *http.Header) (AuthSessionCreateResult, error) {
	if err := checkPathValues("project name", projectName, "operation ID", operationID); err != nil {
		return nil, err
	}
	decode := decodeResult
	if header != nil {
		decode = func(r response) (AuthSessionCreateResult, error) {
			*header = r.header
			return decodeResult(r)
		}
	}
	return invoke(ctx, c, f.resultOp, opts, nil, decode, projectName, operationID)
}

// resume answers an info request of an operation.
func (f *flow) resume(ctx context.Context, c *Client, projectName, operationID string, req AuthSessionCreateResume, opts []Option) (CreateAuthSessionResume, error) {
	if err := checkPathValues("project name", projectName, "operation ID", operationID); err != nil {
		return CreateAuthSessionResume{}, err
	}
	body, err := req.toWire()
	if err != nil {
		return CreateAuthSessionResume{}, err
	}
	return invoke(ctx, c, f.resumeOp, opts, body, decodeResume, projectName, operationID)
}

// wireRequest is a request type the SDK encodes into its gen model.
type wireRequest[W any] interface {
	toWire() (W, error)
}

// projectCall runs an operation whose only path value is the project and
// whose body is req (update.start, create.start, recorder.start).
func projectCall[W any, R wireRequest[W], T any](ctx context.Context, c *Client, op *gen.Operation, projectName string, req R, opts []Option, decode func(response) (T, error)) (T, error) {
	var zero T
	if err := checkPathValue("project name", projectName); err != nil {
		return zero, err
	}
	body, err := req.toWire()
	if err != nil {
		return zero, err
	}
	return invoke(ctx, c, op, opts, body, decode, projectName)
}

// AuthSessionOperations are the calls that create and update operations
// share, embedded in ProjectAuthSessionsCreateService and
// ProjectAuthSessionsUpdateService: Result reports an operation's state,
// Resume answers its info request, and Operation returns a handle to poll,
// resume or wait on it (for instance in another process than the one that
// started it).
type AuthSessionOperations struct {
	client *Client
	flow   *flow
}

// Result reports the state of an operation
// (GET .../auth-sessions/{create|update}/{operationId}/result).
func (s AuthSessionOperations) Result(ctx context.Context, projectName, operationID string, opts ...Option) (AuthSessionCreateResult, error) {
	return s.flow.result(ctx, s.client, projectName, operationID, opts, nil)
}

// Resume answers an info request of an operation
// (POST .../auth-sessions/{create|update}/{operationId}/resume).
func (s AuthSessionOperations) Resume(ctx context.Context, projectName, operationID string, req AuthSessionCreateResume, opts ...Option) (CreateAuthSessionResume, error) {
	return s.flow.resume(ctx, s.client, projectName, operationID, req, opts)
}

// Operation returns a handle on the operation operationID of projectName.
// Nothing is sent until the handle is used.
func (s AuthSessionOperations) Operation(projectName, operationID string) *AuthSessionOperation {
	return newOperation(s.client, s.flow, projectName, operationID, false)
}
