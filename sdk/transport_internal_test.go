package sdk

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// With no deadline and no WithTimeout, run.sync (and the file
// syncs) are bounded by their own attempt timeout, not
// DefaultAttemptTimeout; other calls still are.
func TestSyncCallsOutlastTheDefaultAttemptTimeout(t *testing.T) {
	old := defaultAttemptTimeout
	defaultAttemptTimeout = 50 * time.Millisecond
	defer func() { defaultAttemptTimeout = old }()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(150 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/start") {
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"status":"pending","runId":"r"}`)
			return
		}
		io.WriteString(w, `{"status":"completed","runId":"r","statusCode":200}`)
	}))
	defer s.Close()
	c, err := New(WithAPIKey("key-0123456789"), WithWorkspaceID("w"), WithServerURL(s.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.Run.Sync(context.Background(), "p", RunRequest{API: "a", Parameters: ParametersObject{}}); err != nil {
		t.Errorf("Sync: %v, want the answer after 150ms (its own bound is 10 minutes)", err)
	}
	if _, err := c.Project.Run.Start(context.Background(), "p", RunRequest{API: "a", Parameters: ParametersObject{}}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Start: %v, want it cut off by DefaultAttemptTimeout", err)
	}
}
