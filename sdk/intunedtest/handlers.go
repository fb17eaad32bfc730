package intunedtest

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/intuned/intuned-go/sdk"
)

// handler serves one operation over the Server's state. The requests
// reaching it are routed and authenticated; it checks the body itself
// (decodeBody), and never writes while holding the lock: it returns its
// answer.
type handler func(s *Server, r *http.Request, body []byte) answer

// handlers serve the operations, by operationId.
var handlers = map[string]handler{
	ProjectAuthSessionsUpdateStart:   (*Server).updateStart,
	ProjectAuthSessionsUpdateResult:  ofKind(kindUpdate, (*Server).serveResult),
	ProjectAuthSessionsUpdateResume:  ofKind(kindUpdate, (*Server).serveResume),
	ProjectAuthSessionsCreateStart:   (*Server).createStart,
	ProjectAuthSessionsCreateResult:  ofKind(kindCreate, (*Server).serveResult),
	ProjectAuthSessionsCreateResume:  ofKind(kindCreate, (*Server).serveResume),
	ProjectAuthSessionsAll:           (*Server).all,
	ProjectAuthSessionsOne:           (*Server).one,
	ProjectAuthSessionsDelete:        (*Server).delete,
	ProjectAuthSessionsRecorderStart: (*Server).recorderStart,

	ProjectRunStart:  (*Server).runStart,
	ProjectRunResult: (*Server).runResult,
	ProjectRunSync:   (*Server).runSync,

	ProjectJobsAll:           (*Server).jobsAll,
	ProjectJobsCreate:        (*Server).jobsCreate,
	ProjectJobsOne:           (*Server).jobsOne,
	ProjectJobsDelete:        (*Server).jobsDelete,
	ProjectJobsPause:         (*Server).jobsPause,
	ProjectJobsResume:        (*Server).jobsResume,
	ProjectJobsTrigger:       (*Server).jobsTrigger,
	ProjectJobsRunsAll:       (*Server).jobRunsAll,
	ProjectJobsRunsTerminate: (*Server).jobRunsTerminate,

	ProjectQueuesAll:               (*Server).queuesAll,
	ProjectQueuesCreate:            (*Server).queuesCreate,
	ProjectQueuesOne:               (*Server).queuesOne,
	ProjectQueuesDelete:            (*Server).queuesDelete,
	ProjectQueuesItemsAppend:       (*Server).queueItemsAppend,
	ProjectQueuesItemsResult:       (*Server).queueItemsResult,
	ProjectQueuesItemsDelete:       (*Server).queueItemsDelete,
	ProjectQueuesRepeatItemsAll:    (*Server).repeatItemsAll,
	ProjectQueuesRepeatItemsAppend: (*Server).repeatItemsAppend,
	ProjectQueuesRepeatItemsOne:    (*Server).repeatItemsOne,
	ProjectQueuesRepeatItemsUpdate: (*Server).repeatItemsUpdate,
	ProjectQueuesRepeatItemsDelete: (*Server).repeatItemsDelete,

	FilesExtractMarkdownSync:         ofKind(extractMarkdown, (*Server).extractionSync),
	FilesExtractMarkdownStart:        ofKind(extractMarkdown, (*Server).extractionStart),
	FilesExtractMarkdownResult:       ofKind(extractMarkdown, (*Server).extractionResult),
	FilesExtractTablesSync:           ofKind(extractTables, (*Server).extractionSync),
	FilesExtractTablesStart:          ofKind(extractTables, (*Server).extractionStart),
	FilesExtractTablesResult:         ofKind(extractTables, (*Server).extractionResult),
	FilesExtractStructuredDataSync:   ofKind(extractData, (*Server).extractionSync),
	FilesExtractStructuredDataStart:  ofKind(extractData, (*Server).extractionStart),
	FilesExtractStructuredDataResult: ofKind(extractData, (*Server).extractionResult),
}

// ofKind is the handler of an operation served by a handler of several,
// told apart by their kind (kind, extraction).
func ofKind[K any](k K, h func(s *Server, k K, r *http.Request, body []byte) answer) handler {
	return func(s *Server, r *http.Request, body []byte) answer { return h(s, k, r, body) }
}

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

func (s *Server) updateStart(r *http.Request, body []byte) answer {
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

func (s *Server) createStart(r *http.Request, body []byte) answer {
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

func (s *Server) all(r *http.Request, _ []byte) answer {
	project := r.PathValue("projectName")
	s.mu.Lock()
	defer s.mu.Unlock()
	return ok(byID(s.sessions[project], func(id string, st sdk.AuthSessionStatus) sdk.AuthSession {
		return sdk.AuthSession{ID: id, Status: st}
	}))
}

func (s *Server) one(r *http.Request, _ []byte) answer {
	project, id := r.PathValue("projectName"), r.PathValue("authSessionId")
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.sessions[project][id]
	if !ok {
		return errorAnswer(notFound("auth session %q not found in project %q", id, project))
	}
	return answer{body: sdk.AuthSession{ID: id, Status: st}}
}

func (s *Server) delete(r *http.Request, _ []byte) answer {
	project, id := r.PathValue("projectName"), r.PathValue("authSessionId")
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[project][id]; !ok {
		return errorAnswer(notFound("auth session %q not found in project %q", id, project))
	}
	delete(s.sessions[project], id)
	return answer{} // 204, no body
}

func (s *Server) recorderStart(r *http.Request, body []byte) answer {
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
