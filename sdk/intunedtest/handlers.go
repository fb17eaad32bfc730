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
	UpdateStart:   (*Server).updateStart,
	UpdateResult:  ofKind(kindUpdate, (*Server).serveResult),
	UpdateResume:  ofKind(kindUpdate, (*Server).serveResume),
	CreateStart:   (*Server).createStart,
	CreateResult:  ofKind(kindCreate, (*Server).serveResult),
	CreateResume:  ofKind(kindCreate, (*Server).serveResume),
	All:           (*Server).all,
	One:           (*Server).one,
	Delete:        (*Server).delete,
	RecorderStart: (*Server).recorderStart,

	RunStart:  (*Server).runStart,
	RunResult: (*Server).runResult,
	RunSync:   (*Server).runSync,

	JobsAll:          (*Server).jobsAll,
	JobsCreate:       (*Server).jobsCreate,
	JobsOne:          (*Server).jobsOne,
	JobsDelete:       (*Server).jobsDelete,
	JobsPause:        (*Server).jobsPause,
	JobsResume:       (*Server).jobsResume,
	JobsTrigger:      (*Server).jobsTrigger,
	JobRunsAll:       (*Server).jobRunsAll,
	JobRunsTerminate: (*Server).jobRunsTerminate,

	QueuesAll:         (*Server).queuesAll,
	QueuesCreate:      (*Server).queuesCreate,
	QueuesOne:         (*Server).queuesOne,
	QueuesDelete:      (*Server).queuesDelete,
	QueueItemsAppend:  (*Server).queueItemsAppend,
	QueueItemsResult:  (*Server).queueItemsResult,
	QueueItemsDelete:  (*Server).queueItemsDelete,
	RepeatItemsAll:    (*Server).repeatItemsAll,
	RepeatItemsAppend: (*Server).repeatItemsAppend,
	RepeatItemsOne:    (*Server).repeatItemsOne,
	RepeatItemsUpdate: (*Server).repeatItemsUpdate,
	RepeatItemsDelete: (*Server).repeatItemsDelete,

	ExtractMarkdownSync:         ofKind(extractMarkdown, (*Server).extractionSync),
	ExtractMarkdownStart:        ofKind(extractMarkdown, (*Server).extractionStart),
	ExtractMarkdownResult:       ofKind(extractMarkdown, (*Server).extractionResult),
	ExtractTablesSync:           ofKind(extractTables, (*Server).extractionSync),
	ExtractTablesStart:          ofKind(extractTables, (*Server).extractionStart),
	ExtractTablesResult:         ofKind(extractTables, (*Server).extractionResult),
	ExtractStructuredDataSync:   ofKind(extractData, (*Server).extractionSync),
	ExtractStructuredDataStart:  ofKind(extractData, (*Server).extractionStart),
	ExtractStructuredDataResult: ofKind(extractData, (*Server).extractionResult),
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
	return ok(sdk.CreateOrUpdateAuthSessionStart{Status: "started", OperationID: operationID})
}

func (s *Server) updateStart(r *http.Request, body []byte) answer {
	var req sdk.UpdateAuthSessionRequest
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
	var req sdk.CreateAuthSessionRequest
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
	s.setSessionLocked(project, sessionID, sdk.AuthSessionPending)
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
	var req sdk.AuthSessionCreateResume
	if bad, valid := decodeBody(r, body, &req); !valid {
		return bad
	}
	if err := s.resume(k, r.PathValue("projectName"), r.PathValue("operationId"), req); err != nil {
		return errorAnswer(err)
	}
	return ok(sdk.CreateAuthSessionResume{Status: "resumed"})
}

func (s *Server) all(r *http.Request, _ []byte) answer {
	project := r.PathValue("projectName")
	s.mu.Lock()
	defer s.mu.Unlock()
	return ok(byID(s.sessions[project], func(id string, st sdk.AuthSessionStatus) sdk.AuthSessionInfo {
		return sdk.AuthSessionInfo{ID: id, Status: st}
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
	return answer{body: sdk.AuthSessionInfo{ID: id, Status: st}}
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
	var req sdk.StartAuthSessionRecorderRequest
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
	return ok(sdk.StartAuthSessionRecorder{RecorderURL: s.URL + "/recorder/" + project + "/" + id})
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
