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
	if err := checkOperationPath(projectName, operationID); err != nil {
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
	if err := checkOperationPath(projectName, operationID); err != nil {
		return CreateAuthSessionResume{}, err
	}
	body, err := req.toWire()
	if err != nil {
		return CreateAuthSessionResume{}, err
	}
	return invoke(ctx, c, f.resumeOp, opts, body, decodeResume, projectName, operationID)
}

func checkOperationPath(projectName, operationID string) error {
	if err := checkPathValue("project name", projectName); err != nil {
		return err
	}
	return checkPathValue("operation ID", operationID)
}
