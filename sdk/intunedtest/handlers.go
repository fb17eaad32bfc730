package intunedtest

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/intuned/intuned-go/sdk"
)

// apiError is an error answer with a message, such as a 404.
type apiError struct {
	status  int
	message string
}

func (e apiError) Error() string { return e.message }

func notFound(format string, a ...any) apiError {
	return apiError{http.StatusNotFound, fmt.Sprintf(format, a...)}
}

// errorAnswer answers an apiError as it is, and any other error as a 400
// (a rejected answer to an info request).
func errorAnswer(err error) answer {
	var ae apiError
	if errors.As(err, &ae) {
		return answer{ae.status, apiMessage{Message: ae.message}}
	}
	return invalid(err.Error())
}

// conflict is a 409: what a create names exists already.
func conflict(format string, a ...any) answer {
	return errorAnswer(apiError{http.StatusConflict, fmt.Sprintf(format, a...)})
}

func ok(body any) answer { return answer{body: body} }

func started(operationID string) answer {
	return ok(sdk.AuthSessionOperationStarted{Status: "started", OperationID: operationID})
}

// The auth-session operations (operations, in routes.gen.go).

func (s *Server) projectAuthSessionsUpdateStart(r *http.Request, body []byte) answer {
	var req sdk.AuthSessionUpdateRequest
	if bad, valid := decodeBody(r, body, &req); !valid {
		return bad
	}
	project := r.PathValue("projectName")
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[project][req.ID]; !ok {
		return errorAnswer(notFound("auth session %q not found in project %q", req.ID, project))
	}
	return started(s.startLocked(kindUpdate, project, req.ID))
}

func (s *Server) projectAuthSessionsCreateStart(r *http.Request, body []byte) answer {
	var req sdk.AuthSessionCreateRequest
	if bad, valid := decodeBody(r, body, &req); !valid {
		return bad
	}
	project := r.PathValue("projectName")
	s.mu.Lock()
	defer s.mu.Unlock()
	sessionID := s.newIDLocked()
	if req.ID != nil {
		sessionID = *req.ID
	}
	if _, ok := s.sessions[project][sessionID]; ok {
		return conflict("auth session %q already exists", sessionID)
	}
	s.setSessionLocked(project, sessionID, sdk.AuthSessionStatusPending)
	return started(s.startLocked(kindCreate, project, sessionID))
}

// The result and resume calls of updates and creates share a handler each,
// told their kind.
func (s *Server) projectAuthSessionsUpdateResult(r *http.Request, b []byte) answer {
	return s.serveResult(kindUpdate, r, b)
}
func (s *Server) projectAuthSessionsUpdateResume(r *http.Request, b []byte) answer {
	return s.serveResume(kindUpdate, r, b)
}
func (s *Server) projectAuthSessionsCreateResult(r *http.Request, b []byte) answer {
	return s.serveResult(kindCreate, r, b)
}
func (s *Server) projectAuthSessionsCreateResume(r *http.Request, b []byte) answer {
	return s.serveResume(kindCreate, r, b)
}

func (s *Server) serveResult(k kind, r *http.Request, _ []byte) answer {
	res, err := s.result(k, r.PathValue("projectName"), r.PathValue("operationId"))
	if err != nil {
		return errorAnswer(err)
	}
	return ok(res)
}

func (s *Server) serveResume(k kind, r *http.Request, body []byte) answer {
	var req sdk.AuthSessionOperationResumeRequest
	if bad, valid := decodeBody(r, body, &req); !valid {
		return bad
	}
	if err := s.resume(k, r.PathValue("projectName"), r.PathValue("operationId"), req); err != nil {
		return errorAnswer(err)
	}
	return ok(sdk.AuthSessionOperationResumed{Status: "resumed"})
}

func (s *Server) projectAuthSessionsAll(r *http.Request, _ []byte) answer {
	project := r.PathValue("projectName")
	s.mu.Lock()
	defer s.mu.Unlock()
	return ok(byID(s.sessions[project], func(id string, st sdk.AuthSessionStatus) sdk.AuthSession {
		return sdk.AuthSession{ID: id, Status: st}
	}))
}

func (s *Server) projectAuthSessionsOne(r *http.Request, _ []byte) answer {
	project, id := r.PathValue("projectName"), r.PathValue("authSessionId")
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.sessions[project][id]
	if !ok {
		return errorAnswer(notFound("auth session %q not found in project %q", id, project))
	}
	return answer{body: sdk.AuthSession{ID: id, Status: st}}
}

func (s *Server) projectAuthSessionsDelete(r *http.Request, _ []byte) answer {
	project, id := r.PathValue("projectName"), r.PathValue("authSessionId")
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[project][id]; !ok {
		return errorAnswer(notFound("auth session %q not found in project %q", id, project))
	}
	delete(s.sessions[project], id)
	return answer{} // 204, no body
}

func (s *Server) projectAuthSessionsRecorderStart(r *http.Request, body []byte) answer {
	var req sdk.AuthSessionRecorderRequest
	if bad, valid := decodeBody(r, body, &req); !valid {
		return bad
	}
	project := r.PathValue("projectName")
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newIDLocked()
	if req.AuthSessionID != nil {
		id = *req.AuthSessionID
	}
	return ok(sdk.AuthSessionRecorderStarted{RecorderURL: s.URL + "/recorder/" + project + "/" + id})
}

// byID lists the values of m, a map by ID, as f answers them, in the order
// of their IDs: an empty list (not null) when there are none.
func byID[V, T any](m map[string]V, f func(id string, v V) T) []T {
	out := make([]T, 0, len(m))
	for _, id := range slices.Sorted(maps.Keys(m)) {
		out = append(out, f(id, m[id]))
	}
	return out
}
