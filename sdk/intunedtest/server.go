// Package intunedtest is a fake Intuned API for tests, in the manner of
// net/http/httptest: a loopback server that speaks the auth-session
// operations from the same openapi.yaml the SDK is generated from.
//
//	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("my-project", "my-auth-session"))
//	defer srv.Close()
//	srv.Script("my-auth-session", intunedtest.Pending(2), intunedtest.OTP("Enter the code", "123456"), intunedtest.Done(""))
//	client := srv.Client()
//	// ... code under test uses client ...
//
// The fake is stateful: a create or update start makes an operation whose
// result walks a script, resume checks the info request ID and the answer,
// and the auth sessions stay consistent across all, one and delete. It checks
// the x-api-key header (401) and validates every request against the spec
// (400 with details), can inject faults into the next calls of an operation,
// and records every request it receives.
package intunedtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"time"

	"github.com/intuned/intuned-go/gen"
	"github.com/intuned/intuned-go/sdk"
)

// The operations, named by their operationId in openapi.yaml; use them with
// InjectFault and Request.Operation.
const (
	UpdateStart   = "updateAuthSessionStart"
	UpdateResult  = "updateAuthSessionResult"
	UpdateResume  = "updateAuthSessionResume"
	CreateStart   = "createAuthSessionStart"
	CreateResult  = "createAuthSessionResult"
	CreateResume  = "createAuthSessionResume"
	All           = "authSessionsAll"
	One           = "authSessionsOne"
	Delete        = "authSessionsDelete"
	RecorderStart = "authSessionsRecorderStart"
)

// Default credentials of a Server.
const (
	DefaultAPIKey      = "intunedtest-api-key"
	DefaultWorkspaceID = "intunedtest-workspace"
)

// maxBody bounds the request bodies the fake reads.
const maxBody = 1 << 20

// Server is a fake Intuned API listening on 127.0.0.1.
type Server struct {
	// URL is the server's base URL, for sdk.WithServerURL.
	URL string
	// APIKey is the only API key the server accepts.
	APIKey string
	// WorkspaceID is the only workspace the server serves.
	WorkspaceID string

	httpServer *httptest.Server

	mu            sync.Mutex
	seq           int
	sessions      map[string]map[string]sdk.AuthSessionStatus // by project, then ID
	ops           map[string]*operation
	scripts       map[string][]Step // by auth session ID
	defaultScript []Step
	faults        map[string][]Fault
	requests      []Request
}

// An Option configures a Server.
type Option func(*Server)

// WithAPIKey sets the API key the server accepts (DefaultAPIKey otherwise).
func WithAPIKey(key string) Option { return func(s *Server) { s.APIKey = key } }

// WithWorkspaceID sets the workspace the server serves (DefaultWorkspaceID
// otherwise).
func WithWorkspaceID(id string) Option { return func(s *Server) { s.WorkspaceID = id } }

// WithAuthSessions makes the server start with ready auth sessions in a
// project, so that they can be updated.
func WithAuthSessions(projectName string, ids ...string) Option {
	return func(s *Server) {
		for _, id := range ids {
			s.setSessionLocked(projectName, id, sdk.AuthSessionReady)
		}
	}
}

// NewServer starts a fake Intuned API. Close it when done. Operations
// without a script of their own follow DefaultScript: pending once, then
// done.
//
// The auth sessions are consistent across operations, as in the service: a
// create makes a PENDING session, READY once the operation is done (a failed
// create removes it); an update needs an existing session (404 otherwise),
// which is READY once done and EXPIRED if the update failed; All and One
// list and read sessions, Delete removes one (One is then a 404).
func NewServer(opts ...Option) *Server {
	s := &Server{
		APIKey:        DefaultAPIKey,
		WorkspaceID:   DefaultWorkspaceID,
		sessions:      map[string]map[string]sdk.AuthSessionStatus{},
		ops:           map[string]*operation{},
		scripts:       map[string][]Step{},
		defaultScript: []Step{Pending(1), Done("")},
		faults:        map[string][]Fault{},
	}
	for _, o := range opts {
		o(s)
	}
	s.httpServer = httptest.NewServer(s.handler())
	s.URL = s.httpServer.URL
	return s
}

// Close shuts the server down, waiting for calls in progress.
func (s *Server) Close() { s.httpServer.Close() }

// Client returns an SDK client for this server: its URL, API key and
// workspace.
func (s *Server) Client() *sdk.Client {
	c, err := s.NewClient()
	if err != nil {
		panic("intunedtest: " + err.Error()) // the server's own settings are valid
	}
	return c
}

// NewClient returns an SDK client for this server, with opts applied after
// the server's URL, API key and workspace.
func (s *Server) NewClient(opts ...sdk.Option) (*sdk.Client, error) {
	base := []sdk.Option{sdk.WithServerURL(s.URL), sdk.WithAPIKey(s.APIKey), sdk.WithWorkspaceID(s.WorkspaceID)}
	return sdk.New(append(base, opts...)...)
}

// Script sets the steps of the operations that create or update
// authSessionID from now on.
func (s *Server) Script(authSessionID string, steps ...Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts[authSessionID] = slices.Clone(steps)
}

// DefaultScript sets the steps of operations whose auth session has no
// script of its own.
func (s *Server) DefaultScript(steps ...Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.defaultScript = slices.Clone(steps)
}

// AddOperation creates an update operation as if another process had
// started it, and returns its ID.
func (s *Server) AddOperation(projectName, authSessionID string, steps ...Step) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addOperationLocked(kindUpdate, projectName, authSessionID, slices.Clone(steps))
}

func (s *Server) addOperationLocked(k kind, projectName, authSessionID string, steps []Step) string {
	s.seq++
	id := fmt.Sprintf("op-%04d", s.seq)
	s.ops[id] = &operation{kind: k, id: id, project: projectName, authSessionID: authSessionID, steps: steps}
	return id
}

// startLocked starts an operation on a session, with the session's script.
func (s *Server) startLocked(k kind, projectName, authSessionID string) string {
	steps, ok := s.scripts[authSessionID]
	if !ok {
		steps = s.defaultScript
	}
	return s.addOperationLocked(k, projectName, authSessionID, slices.Clone(steps))
}

// AddAuthSession adds an auth session, or sets the status of one.
func (s *Server) AddAuthSession(projectName, id string, status sdk.AuthSessionStatus) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setSessionLocked(projectName, id, status)
}

// AuthSession reports the status of an auth session, if it exists.
func (s *Server) AuthSession(projectName, id string) (sdk.AuthSessionStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.sessions[projectName][id]
	return st, ok
}

func (s *Server) setSessionLocked(projectName, id string, status sdk.AuthSessionStatus) {
	if s.sessions[projectName] == nil {
		s.sessions[projectName] = map[string]sdk.AuthSessionStatus{}
	}
	s.sessions[projectName][id] = status
}

// operationLocked finds an operation of a kind in a project.
func (s *Server) operationLocked(k kind, projectName, operationID string) (*operation, error) {
	op, ok := s.ops[operationID]
	if !ok || op.kind != k || op.project != projectName {
		return nil, notFound("operation %q not found in project %q", operationID, projectName)
	}
	return op, nil
}

// result serves a result call and applies the outcome to the session.
func (s *Server) result(k kind, projectName, operationID string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	op, err := s.operationLocked(k, projectName, operationID)
	if err != nil {
		return nil, err
	}
	body, out := op.result(s.newIDLocked)
	if out != running && !op.ended {
		op.ended = true
		switch {
		case out == succeeded:
			s.setSessionLocked(projectName, op.authSessionID, sdk.AuthSessionReady)
		case k == kindCreate:
			delete(s.sessions[projectName], op.authSessionID)
		default:
			s.setSessionLocked(projectName, op.authSessionID, sdk.AuthSessionExpired)
		}
	}
	return body, nil
}

// resume serves a resume call: an apiError, a plain error (a 400) or nil.
func (s *Server) resume(k kind, projectName, operationID string, body *gen.AuthSessionCreateResume) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	op, err := s.operationLocked(k, projectName, operationID)
	if err != nil {
		return err
	}
	if reason := op.resume(body.InfoRequestID, body.Input); reason != "" {
		return errors.New(reason)
	}
	return nil
}

func (s *Server) newIDLocked() string {
	s.seq++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", s.seq)
}

// OperationStats reports how many result calls and accepted resumes an
// operation has seen.
func (s *Server) OperationStats(operationID string) (polls, resumes int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	op, ok := s.ops[operationID]
	if !ok {
		return 0, 0, false
	}
	return op.polls, op.resumes, true
}

// A Fault replaces or delays the server's answer to one call.
type Fault struct {
	// Status, if not zero, is sent instead of serving the call, with Body
	// (as ContentType, text/plain if empty) and Retry-After if set.
	Status      int
	RetryAfter  string
	Body        string
	ContentType string
	// Latency delays the answer (or the fault), unless the client gives up.
	Latency time.Duration
	// Drop closes the connection without answering.
	Drop bool
}

// InjectFault makes the next n calls of operation (UpdateStart, ...) meet f.
func (s *Server) InjectFault(operation string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < n; i++ {
		s.faults[operation] = append(s.faults[operation], f)
	}
}

func (s *Server) takeFault(operation string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[operation]
	if len(q) == 0 {
		return Fault{}, false
	}
	s.faults[operation] = q[1:]
	return q[0], true
}

// Request is a request the server received.
type Request struct {
	// Operation is the operationId of the route it matched ("" if none).
	Operation string
	Method    string
	// Path is the request target exactly as sent (still percent-encoded).
	Path   string
	Header http.Header
	Body   []byte
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Reset forgets the recorded requests and pending faults; operations and
// scripts stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
	s.faults = map[string][]Fault{}
}

// handler routes with the generated server and wraps each route with, in
// order: recording, faults, the API key check, and validation against the
// spec.
func (s *Server) handler() http.Handler {
	strict := gen.NewStrictHandlerWithOptions(&api{s: s}, nil, gen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) { writeInvalid(w, err.Error(), nil) },
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		},
	})
	mux := http.NewServeMux()
	gen.HandlerWithOptions(strict, gen.StdHTTPServerOptions{
		BaseRouter:       mux,
		Middlewares:      []gen.MiddlewareFunc{s.validate, s.authenticate, s.injectFaults},
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) { writeInvalid(w, err.Error(), nil) },
	})
	return s.record(mux)
}

// record keeps every request, reading at most maxBody bytes of its body.
func (s *Server) record(next *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil || len(body) > maxBody {
			http.Error(w, "request body too large or unreadable", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		_, pattern := next.Handler(r)
		s.mu.Lock()
		s.requests = append(s.requests, Request{Operation: operationIDs[pattern], Method: r.Method, Path: r.RequestURI, Header: r.Header.Clone(), Body: body})
		s.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) injectFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.takeFault(operationIDs[r.Pattern])
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if f.Latency > 0 {
			t := time.NewTimer(f.Latency)
			select {
			case <-r.Context().Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		switch {
		case f.Drop:
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		case f.Status != 0:
			ct := f.ContentType
			if ct == "" {
				ct = "text/plain; charset=utf-8"
			}
			w.Header().Set("Content-Type", ct)
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			w.WriteHeader(f.Status)
			io.WriteString(w, f.Body)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != s.APIKey || r.PathValue("workspaceId") != s.WorkspaceID {
			writeJSON(w, http.StatusUnauthorized, gen.APIErrorUnauthorized{Message: ptr("Unauthorized: the API key is missing or not valid for this workspace")})
			return
		}
		next.ServeHTTP(w, r)
	})
}
