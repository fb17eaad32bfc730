package intunedtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// maxBody bounds the request bodies the fake reads.
const maxBody = 1 << 20

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

// StartCounts returns, for the start operation operation (ProjectRunStart,
// ProjectQueuesItemsAppend, an extraction's or an auth-session create's or
// update's start), how many operations the server has started from each
// request body, keyed by the body as sent: a test that gives each item a
// body of its own proves with it that none was started twice, those whose
// answer never reached the client (a connection cut after the server
// acted) included. A fault served instead of the operation starts nothing.
// Reset leaves them.
func (s *Server) StartCounts(operation string) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.starts[operation])
}

// Operation returns the operation a request is for, by its operationId
// (ProjectRunStart, ...), as the server routes it; "" if it matches none. A
// handler wrapped around Handler can use it, to log requests for example.
func (s *Server) Operation(r *http.Request) string {
	if rt := findRoute(r).route; rt != nil {
		return rt.id
	}
	return ""
}

// Reset forgets the recorded requests and pending faults; the state (auth
// sessions, operations, runs, jobs, queues, extractions) and the scripts
// stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
	s.faults = map[string][]Fault{}
}

// serve handles every request, in order: it reads the body (at most
// maxBody bytes) and records the request (unless WithoutRecording), routes
// it (routes.go), applies the operation's next fault, checks the API key and
// the workspace, and passes it to the Server's method for the operation
// (operations, in routes.gen.go; written in handlers.go for auth sessions,
// runs.go, jobs.go, queues.go and files.go), which checks the body
// (validate.go).
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		http.Error(w, "request body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	found := findRoute(r)
	if !s.noRecording {
		rec := Request{Method: r.Method, Path: r.RequestURI, Header: r.Header.Clone(), Body: body}
		if found.route != nil {
			rec.Operation = found.route.id
		}
		s.mu.Lock()
		s.requests = append(s.requests, rec)
		s.mu.Unlock()
	}

	rt := found.route
	switch {
	case found.redirect != "":
		target := found.redirect
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusTemporaryRedirect)
		return
	case rt == nil && found.allow != nil:
		w.Header().Set("Allow", strings.Join(found.allow, ", "))
		writeJSON(w, http.StatusMethodNotAllowed, apiMessage{Message: fmt.Sprintf("method %s is not allowed here; allowed: %s", r.Method, strings.Join(found.allow, ", "))})
		return
	case rt == nil:
		writeJSON(w, http.StatusNotFound, apiMessage{Message: "no operation at " + r.URL.EscapedPath()})
		return
	}
	for name, v := range found.values {
		r.SetPathValue(name, v)
	}
	if f, ok := s.takeFault(rt.id); ok && !f.apply(w, r) {
		return
	}
	if r.Header.Get("X-Api-Key") != s.APIKey || r.PathValue("workspaceId") != s.WorkspaceID {
		writeJSON(w, http.StatusUnauthorized, apiMessage{Message: "Unauthorized: the API key is missing or not valid for this workspace"})
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), routeKey{}, rt))
	a := rt.serve(s, r, body)
	if rt.starts && a.status == 0 {
		s.mu.Lock()
		if s.starts[rt.id] == nil {
			s.starts[rt.id] = map[string]int{}
		}
		s.starts[rt.id][string(body)]++
		s.mu.Unlock()
	}
	s.sinks.report() // deliveries the handler ended at once (a closed server's), outside its lock
	if a.status == 0 {
		a.status = rt.success
	}
	a.write(w)
}

// routeKey is the context key of a request's route, for its handler.
type routeKey struct{}

// routeOf returns the route a request matched.
func routeOf(r *http.Request) *route {
	rt, _ := r.Context().Value(routeKey{}).(*route)
	return rt
}

// answer is a handler's response.
type answer struct {
	status int // 0 for the route's documented success
	// body is encoded as JSON, unless it is a rawResult (sent as it is) or
	// nil (no body).
	body any
}

// apiMessage is the body of the API's errors other than 400.
type apiMessage struct {
	Message string `json:"message"`
}

func (a answer) write(w http.ResponseWriter) {
	switch b := a.body.(type) {
	case nil:
		w.WriteHeader(a.status)
	case rawResult:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		w.Write(b)
	default:
		if a.status >= 400 {
			writeJSON(w, a.status, b)
			return
		}
		// Successes end in a newline, as encoding/json's Encoder (and
		// the generated server this fake once used) writes them.
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(b); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		buf.WriteTo(w)
	}
}

// writeJSON writes an error body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}
