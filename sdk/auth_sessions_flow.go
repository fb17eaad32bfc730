package sdk

import (
	"context"
	"net/http"

	"github.com/intuned/intuned-go/gen"
)

// flow is one kind of auth-session operation (update; create shares the
// shape): the endpoints that read its result and answer its info requests.
// Result, resume and waiting are written once over it.
type flow struct {
	resultOp      string
	resumeOp      string
	resultRequest func(server, workspaceID, projectName, operationID string) (*http.Request, error)
	resumeRequest func(server, workspaceID, projectName, operationID string, body gen.AuthSessionCreateResume) (*http.Request, error)
}

var updateFlow = &flow{
	resultOp:      opUpdateResult,
	resumeOp:      opUpdateResume,
	resultRequest: gen.NewUpdateAuthSessionResultRequest,
	resumeRequest: gen.NewUpdateAuthSessionResumeRequest,
}

// result reads the state of an operation. When header is not nil it receives
// the response headers (the waiter reads Retry-After from them).
func (f *flow) result(ctx context.Context, c *Client, projectName, operationID string, opts []Option, header *http.Header) (AuthSessionCreateResult, error) {
	return invoke(ctx, c, f.resultOp, http.StatusOK, opts, func(cfg *config) (*http.Request, error) {
		if err := checkOperationPath(projectName, operationID); err != nil {
			return nil, err
		}
		return f.resultRequest(cfg.serverURL, cfg.workspaceID, projectName, operationID)
	}, func(r *response) (AuthSessionCreateResult, error) {
		if header != nil {
			*header = r.header
		}
		return decodeResult(r)
	})
}

// resume answers an info request of an operation.
func (f *flow) resume(ctx context.Context, c *Client, projectName, operationID string, req AuthSessionCreateResume, opts []Option) (CreateAuthSessionResume, error) {
	return invoke(ctx, c, f.resumeOp, http.StatusAccepted, opts, func(cfg *config) (*http.Request, error) {
		if err := checkOperationPath(projectName, operationID); err != nil {
			return nil, err
		}
		if req.InfoRequestID == "" {
			return nil, &ArgumentError{Name: "info request ID", Problem: "is empty"}
		}
		if err := checkText("info request ID", req.InfoRequestID); err != nil {
			return nil, err
		}
		if err := checkText("input", req.Input); err != nil {
			return nil, err
		}
		return f.resumeRequest(cfg.serverURL, cfg.workspaceID, projectName, operationID,
			gen.AuthSessionCreateResume{Input: req.Input, InfoRequestID: req.InfoRequestID})
	}, decodeResume)
}

func checkOperationPath(projectName, operationID string) error {
	if err := checkPathValue("project name", projectName); err != nil {
		return err
	}
	return checkPathValue("operation ID", operationID)
}
