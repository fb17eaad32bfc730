package intunedtest

import (
	"context"

	"github.com/intuned/intuned-go/gen"
)

// api implements the generated strict server interface over the Server's
// state. Requests reaching it are authenticated and valid.
type api struct{ s *Server }

var _ gen.StrictServerInterface = (*api)(nil)

func (a *api) UpdateAuthSessionStart(_ context.Context, req gen.UpdateAuthSessionStartRequestObject) (gen.UpdateAuthSessionStartResponseObject, error) {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	steps, ok := s.scripts[req.Body.ID]
	if !ok {
		steps = s.defaultScript
	}
	id := s.addOperationLocked(req.ProjectName, req.Body.ID, append([]Step(nil), steps...))
	return gen.UpdateAuthSessionStart201JSONResponse{Status: gen.Started, OperationID: id}, nil
}

func (a *api) UpdateAuthSessionResult(_ context.Context, req gen.UpdateAuthSessionResultRequestObject) (gen.UpdateAuthSessionResultResponseObject, error) {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	op, ok := s.ops[req.OperationID]
	if !ok || op.project != req.ProjectName {
		return gen.UpdateAuthSessionResultdefaultResponse{StatusCode: 404}, nil
	}
	var res gen.UpdateAuthSessionResult200JSONResponse
	if err := res.UnmarshalJSON(op.result(s.newIDLocked)); err != nil {
		return nil, err
	}
	return res, nil
}

func (a *api) UpdateAuthSessionResume(_ context.Context, req gen.UpdateAuthSessionResumeRequestObject) (gen.UpdateAuthSessionResumeResponseObject, error) {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	op, ok := s.ops[req.OperationID]
	if !ok || op.project != req.ProjectName {
		return gen.UpdateAuthSessionResumedefaultResponse{StatusCode: 404}, nil
	}
	if reason := op.resume(req.Body.InfoRequestID, req.Body.Input); reason != "" {
		return gen.UpdateAuthSessionResume400JSONResponse{InvalidInputJSONResponse: gen.InvalidInputJSONResponse{Message: &reason}}, nil
	}
	return gen.UpdateAuthSessionResume202JSONResponse{Status: gen.Resumed}, nil
}
