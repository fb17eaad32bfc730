package intunedtest

import (
	"context"
	"fmt"
	"net/http"
	"sort"

	"github.com/intuned/intuned-go/gen"
	"github.com/intuned/intuned-go/sdk"
)

// api implements the generated strict server interface over the Server's
// state. Requests reaching it are authenticated and valid.
type api struct{ s *Server }

var _ gen.StrictServerInterface = (*api)(nil)

// apiError is a JSON error answer; it serves as the response of any
// operation.
type apiError struct {
	status  int
	message string
}

func (e apiError) Error() string { return e.message }

func (e apiError) visit(w http.ResponseWriter) error {
	writeJSON(w, e.status, gen.APIErrorUnauthorized{Message: &e.message})
	return nil
}

func (e apiError) VisitUpdateAuthSessionStartResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e apiError) VisitUpdateAuthSessionResultResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e apiError) VisitUpdateAuthSessionResumeResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e apiError) VisitCreateAuthSessionStartResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e apiError) VisitCreateAuthSessionResultResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e apiError) VisitCreateAuthSessionResumeResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e apiError) VisitAuthSessionsOneResponse(w http.ResponseWriter) error    { return e.visit(w) }
func (e apiError) VisitAuthSessionsDeleteResponse(w http.ResponseWriter) error { return e.visit(w) }

func notFound(format string, a ...any) apiError {
	return apiError{http.StatusNotFound, fmt.Sprintf(format, a...)}
}

func (a *api) UpdateAuthSessionStart(_ context.Context, req gen.UpdateAuthSessionStartRequestObject) (gen.UpdateAuthSessionStartResponseObject, error) {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[req.ProjectName][req.Body.ID]; !ok {
		return notFound("auth session %q not found in project %q", req.Body.ID, req.ProjectName), nil
	}
	id := s.startLocked(kindUpdate, req.ProjectName, req.Body.ID)
	return gen.UpdateAuthSessionStart201JSONResponse{Status: gen.Started, OperationID: id}, nil
}

func (a *api) CreateAuthSessionStart(_ context.Context, req gen.CreateAuthSessionStartRequestObject) (gen.CreateAuthSessionStartResponseObject, error) {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	sessionID := s.newIDLocked()
	if req.Body.ID != nil {
		sessionID = *req.Body.ID
	}
	if _, ok := s.sessions[req.ProjectName][sessionID]; ok {
		return apiError{http.StatusConflict, fmt.Sprintf("auth session %q already exists", sessionID)}, nil
	}
	s.setSessionLocked(req.ProjectName, sessionID, sdk.AuthSessionPending)
	id := s.startLocked(kindCreate, req.ProjectName, sessionID)
	return gen.CreateAuthSessionStart201JSONResponse{Status: gen.Started, OperationID: id}, nil
}

func (a *api) UpdateAuthSessionResult(_ context.Context, req gen.UpdateAuthSessionResultRequestObject) (gen.UpdateAuthSessionResultResponseObject, error) {
	body, err := a.s.result(kindUpdate, req.ProjectName, req.OperationID)
	if err != nil {
		return err.(apiError), nil
	}
	var res gen.UpdateAuthSessionResult200JSONResponse
	return res, res.UnmarshalJSON(body)
}

func (a *api) CreateAuthSessionResult(_ context.Context, req gen.CreateAuthSessionResultRequestObject) (gen.CreateAuthSessionResultResponseObject, error) {
	body, err := a.s.result(kindCreate, req.ProjectName, req.OperationID)
	if err != nil {
		return err.(apiError), nil
	}
	var res gen.CreateAuthSessionResult200JSONResponse
	return res, res.UnmarshalJSON(body)
}

func (a *api) UpdateAuthSessionResume(_ context.Context, req gen.UpdateAuthSessionResumeRequestObject) (gen.UpdateAuthSessionResumeResponseObject, error) {
	if err := a.s.resume(kindUpdate, req.ProjectName, req.OperationID, req.Body); err != nil {
		if ae, ok := err.(apiError); ok {
			return ae, nil
		}
		return gen.UpdateAuthSessionResume400JSONResponse{InvalidInputJSONResponse: gen.InvalidInputJSONResponse{Message: ptr(err.Error())}}, nil
	}
	return gen.UpdateAuthSessionResume202JSONResponse{Status: gen.Resumed}, nil
}

func (a *api) CreateAuthSessionResume(_ context.Context, req gen.CreateAuthSessionResumeRequestObject) (gen.CreateAuthSessionResumeResponseObject, error) {
	if err := a.s.resume(kindCreate, req.ProjectName, req.OperationID, req.Body); err != nil {
		if ae, ok := err.(apiError); ok {
			return ae, nil
		}
		return gen.CreateAuthSessionResume400JSONResponse{InvalidInputJSONResponse: gen.InvalidInputJSONResponse{Message: ptr(err.Error())}}, nil
	}
	return gen.CreateAuthSessionResume202JSONResponse{Status: gen.Resumed}, nil
}

func (a *api) AuthSessionsAll(_ context.Context, req gen.AuthSessionsAllRequestObject) (gen.AuthSessionsAllResponseObject, error) {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	out := gen.AuthSessionsAll200JSONResponse{}
	for id, st := range s.sessions[req.ProjectName] {
		out = append(out, gen.AuthSessionInfo{ID: id, Status: gen.AuthSessionInfoStatus(st)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (a *api) AuthSessionsOne(_ context.Context, req gen.AuthSessionsOneRequestObject) (gen.AuthSessionsOneResponseObject, error) {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.sessions[req.ProjectName][req.AuthSessionID]
	if !ok {
		return notFound("auth session %q not found in project %q", req.AuthSessionID, req.ProjectName), nil
	}
	return gen.AuthSessionsOne200JSONResponse{ID: req.AuthSessionID, Status: gen.AuthSessionInfoStatus(st)}, nil
}

func (a *api) AuthSessionsDelete(_ context.Context, req gen.AuthSessionsDeleteRequestObject) (gen.AuthSessionsDeleteResponseObject, error) {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[req.ProjectName][req.AuthSessionID]; !ok {
		return notFound("auth session %q not found in project %q", req.AuthSessionID, req.ProjectName), nil
	}
	delete(s.sessions[req.ProjectName], req.AuthSessionID)
	return gen.AuthSessionsDelete204Response{}, nil
}

func (a *api) AuthSessionsRecorderStart(_ context.Context, req gen.AuthSessionsRecorderStartRequestObject) (gen.AuthSessionsRecorderStartResponseObject, error) {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newIDLocked()
	if req.Body.AuthSessionID != nil {
		id = *req.Body.AuthSessionID
	}
	return gen.AuthSessionsRecorderStart201JSONResponse{RecorderURL: s.URL + "/recorder/" + req.ProjectName + "/" + id}, nil
}
