package intunedtest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

// Default credentials of a Server.
const (
	DefaultAPIKey      = "intunedtest-api-key"
	DefaultWorkspaceID = "intunedtest-workspace"
)

// Server is a fake Intuned API listening on 127.0.0.1 (NewServer), or
// served by its caller (NewUnstartedServer and Handler).
type Server struct {
	// URL is the server's base URL, for sdk.WithServerURL. NewServer sets
	// it; the caller of NewUnstartedServer sets it to where it serves
	// Handler, before the first request.
	URL string
	// APIKey is the only API key the server accepts.
	APIKey string
	// WorkspaceID is the only workspace the server serves.
	WorkspaceID string

	httpServer  *httptest.Server // nil until started
	now         func() time.Time
	noRecording bool

	mu          sync.Mutex
	seq         int
	sessions    map[string]map[string]sdk.AuthSessionStatus // by project, then ID
	ops         map[string]*operation
	scripts     scripts[Step]                // by auth session ID
	apiScripts  scripts[RunStep]             // by API name
	runScripts  []runScript                  // by a match of the run, oldest first
	fileScripts scripts[FileStep]            // by file source: URL or base64 data
	runs        map[string]*projectRun       // project.run runs, by run ID
	jobs        map[string]map[string]*job   // by project, then job ID
	queues      map[string]map[string]*queue // by project, then queue ID
	extractions map[string]*fileExtraction   // by operation ID, of every kind
	faults      map[string][]Fault
	requests    []Request
	starts      map[string]map[string]int // by start operation, then request body: the operations started

	sinks *deliverer // deliveries to webhook sinks, with a lock of its own
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
			s.setSessionLocked(projectName, id, sdk.AuthSessionStatusReady)
		}
	}
}

// WithoutRecording makes the server keep no record of the requests it
// receives (Requests returns none) nor of its deliveries to webhook sinks
// (SinkDeliveries returns none), for a fake that serves for long, such as
// cmd/intuned-fake.
func WithoutRecording() Option { return func(s *Server) { s.noRecording = true } }

// WithClock sets the server's clock (time.Now otherwise), for the times it
// writes: when a job was created, last ran and runs next, when a job run
// started. The fake writes them in UTC, cut to the millisecond as the
// service's are (in RFC 3339 without trailing zeros: "…08:00:00Z" where the
// service writes "…08:00:00.000Z"; both read the same).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// NewServer starts a fake Intuned API on a loopback port. Close it when
// done. Auth-session operations without a script of their own follow
// DefaultScript: pending once, then done; API runs without a script of
// their own follow DefaultAPIScript (see ScriptAPI); file extractions
// without a script of their own follow DefaultFileScript (see ScriptFile).
//
// The auth sessions are consistent across operations, as in the service: a
// create makes a PENDING session, READY once the operation is done (a failed
// create removes it); an update needs an existing session (404 otherwise),
// which is READY once done and EXPIRED if the update failed; All and One
// list and read sessions, Delete removes one (One is then a 404). So are
// runs, jobs, queues and file extractions: see the package documentation.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	s.httpServer = httptest.NewServer(s.Handler())
	s.URL = s.httpServer.URL
	return s
}

// NewUnstartedServer returns a fake Intuned API that does not listen: serve
// its Handler where you like (an http.Server on a port of your choice, as
// cmd/intuned-fake does), and set its URL to the base URL it is served at
// before the first request (Client, NewClient and the recorder URLs it
// answers use it). Shut your own server down; Close then stops the
// deliveries to webhook sinks.
func NewUnstartedServer(opts ...Option) *Server {
	s := &Server{
		APIKey:      DefaultAPIKey,
		WorkspaceID: DefaultWorkspaceID,
		now:         time.Now,
		sessions:    map[string]map[string]sdk.AuthSessionStatus{},
		ops:         map[string]*operation{},
		scripts:     newScripts(Pending(1), Done("")),
		apiScripts:  newScripts(Queued(1), Running(1)),
		fileScripts: newScripts(Extracting(1)),
		runs:        map[string]*projectRun{},
		jobs:        map[string]map[string]*job{},
		queues:      map[string]map[string]*queue{},
		extractions: map[string]*fileExtraction{},
		faults:      map[string][]Fault{},
		starts:      map[string]map[string]int{},
		sinks:       newDeliverer(),
	}
	for _, o := range opts {
		o(s)
	}
	s.sinks.keep = !s.noRecording
	return s
}

// Handler returns the handler that serves the fake API: every request the
// server receives goes through it.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// Close shuts a server started by NewServer down, waiting for calls in
// progress (a server from NewUnstartedServer is its caller's to shut
// down), then stops the deliveries to webhook sinks of either: those under
// way end at once, failed, and no goroutine of the server is left.
func (s *Server) Close() {
	if s.httpServer != nil {
		s.httpServer.Close()
	}
	s.sinks.close()
}

// clock returns the time to write into answers: the server's clock, in UTC,
// to the millisecond.
func (s *Server) clock() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

// clientPolling is how the clients of Client and NewClient poll by default:
// the fake moves an operation on by one step per poll, not with time, so
// their waits need not wait the seconds between polls a real operation
// calls for.
var clientPolling = sdk.PollConfig{InitialDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

// Client returns an SDK client for this server: its URL, API key and
// workspace, and waits that poll fast by default: 1 ms after a start or an
// answer, growing to 5 ms between polls (sdk.WithPolling with
// PollConfig{InitialDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}),
// unless a wait's own sdk.WithPolling says otherwise.
func (s *Server) Client() *sdk.Client {
	c, err := s.NewClient()
	if err != nil {
		panic("intunedtest: " + err.Error()) // the server's own settings are valid
	}
	return c
}

// NewClient returns an SDK client for this server, as Client does, with
// opts applied after the server's URL, API key and workspace and its fast
// polling, so that they override them (an sdk.WithPolling among them sets
// the client's polling).
func (s *Server) NewClient(opts ...sdk.Option) (*sdk.Client, error) {
	base := []sdk.Option{sdk.WithServerURL(s.URL), sdk.WithAPIKey(s.APIKey), sdk.WithWorkspaceID(s.WorkspaceID), sdk.WithPolling(clientPolling)}
	return sdk.New(append(base, opts...)...)
}

// Script sets the steps of the operations that create or update
// authSessionID from now on.
func (s *Server) Script(authSessionID string, steps ...Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts.set(authSessionID, steps)
}

// DefaultScript sets the steps of operations whose auth session has no
// script of its own.
func (s *Server) DefaultScript(steps ...Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts.setDefault(steps)
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
	return s.addOperationLocked(k, projectName, authSessionID, s.scripts.of(authSessionID))
}

// scripts are the scripts of one kind of step, by what they script, and the
// default script of the others.
type scripts[S any] struct {
	byKey map[string][]S
	def   []S
}

func newScripts[S any](def ...S) scripts[S] { return scripts[S]{byKey: map[string][]S{}, def: def} }

func (sc *scripts[S]) set(key string, steps []S) { sc.byKey[key] = slices.Clone(steps) }
func (sc *scripts[S]) setDefault(steps []S)      { sc.def = slices.Clone(steps) }

// of returns a copy of the script of key, or of the default script.
func (sc *scripts[S]) of(key string) []S {
	steps, ok := sc.byKey[key]
	if !ok {
		steps = sc.def
	}
	return slices.Clone(steps)
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

// result serves a result call, an sdk.AuthSessionOperationResult or a
// rawResult, and applies the outcome to the session.
func (s *Server) result(k kind, projectName, operationID string) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	op, err := s.operationLocked(k, projectName, operationID)
	if err != nil {
		return nil, err
	}
	res, out := op.result(s.newIDLocked)
	if out != running && !op.ended {
		op.ended = true
		switch {
		case out == succeeded:
			s.setSessionLocked(projectName, op.authSessionID, sdk.AuthSessionStatusReady)
		case k == kindCreate:
			delete(s.sessions[projectName], op.authSessionID)
		default:
			s.setSessionLocked(projectName, op.authSessionID, sdk.AuthSessionStatusExpired)
		}
	}
	return res, nil
}

// resume serves a resume call: an apiError, a plain error (a 400) or nil.
func (s *Server) resume(k kind, projectName, operationID string, body sdk.AuthSessionOperationResumeRequest) error {
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
