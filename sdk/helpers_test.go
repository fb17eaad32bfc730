package sdk_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/intuned/intuned-go/internal/testdiff"
	"github.com/intuned/intuned-go/sdk"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

const (
	testKey       = "test-key-3f9a0c"
	testWorkspace = "ws-123"
)

// recorded is one request as the server saw it.
type recorded struct {
	Method string          `json:"method"`
	Path   string          `json:"path"` // the raw request target, as sent
	Header http.Header     `json:"header"`
	Body   json.RawMessage `json:"body"`
}

// server is a loopback server that records every request and answers with
// the handler, which is told the request's number (1-based).
type server struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

type handler func(w http.ResponseWriter, r *http.Request, n int)

func newServer(t *testing.T, h handler) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, recorded{Method: r.Method, Path: r.RequestURI, Header: r.Header.Clone(), Body: body})
		n := len(s.reqs)
		s.mu.Unlock()
		h(w, r, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.reqs...)
}

func (s *server) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// reply answers with a status and a JSON body.
func reply(status int, body string) handler {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// pendingOrStarted answers a GET (a result) with a pending state and any
// other request with a started operation.
func pendingOrStarted(w http.ResponseWriter, r *http.Request, n int) {
	if r.Method == http.MethodGet {
		reply(200, `{"status":"pending"}`)(w, r, n)
		return
	}
	reply(201, startOK)(w, r, n)
}

// raw answers with a status, a content type (none if empty) and a body.
func raw(status int, contentType, body string) handler {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		} else {
			w.Header()["Content-Type"] = nil
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// newClient returns a client for s, with the test key and workspace, the
// server's URL under /api/v1/workspace, and opts.
func newClient(t *testing.T, s *server, opts ...sdk.Option) *sdk.Client {
	t.Helper()
	base := []sdk.Option{sdk.WithAPIKey(testKey), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(s.URL + "/api/v1/workspace")}
	c, err := sdk.New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("sdk.New: %v", err)
	}
	return c
}

// volatileHeaders differ between machines, Go versions or transports; the
// golden files leave them out (User-Agent is checked on its own).
var volatileHeaders = []string{"User-Agent", "Accept-Encoding", "Content-Length"}

// checkGolden compares a request with testdata/golden/<name>.json, or
// rewrites the file with -update.
func checkGolden(t *testing.T, name string, got recorded) {
	t.Helper()
	if ua := got.Header.Get("User-Agent"); !strings.HasPrefix(ua, "intuned-go/"+sdk.Version+" (go") {
		t.Errorf("User-Agent = %q, want intuned-go/%s (go...)", ua, sdk.Version)
	}
	got.Header = got.Header.Clone()
	for _, h := range volatileHeaders {
		got.Header.Del(h)
	}
	if len(got.Body) == 0 {
		got.Body = nil
	} else {
		var err error
		if got.Body, err = canonicalJSON(got.Body); err != nil {
			t.Fatalf("request body is not JSON: %v: %s", err, got.Body)
		}
	}
	path := filepath.Join("..", "testdata", "golden", name+".json")
	if *update {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./sdk -run %s -update to create it)", err, t.Name())
	}
	var want recorded
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if string(want.Body) == "null" {
		want.Body = nil
	} else if len(want.Body) > 0 {
		if want.Body, err = canonicalJSON(want.Body); err != nil {
			t.Fatalf("%s: body: %v", path, err)
		}
	}
	if diff := testdiff.Diff(want, got); diff != "" {
		t.Errorf("request differs from %s (-want +got):\n%s", path, diff)
	}
}

// canonicalJSON re-encodes b with sorted keys, keeping numbers exactly as
// written (no float64 rounding).
func canonicalJSON(b []byte) (json.RawMessage, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}
