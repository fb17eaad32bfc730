package intunedtest_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// An unstarted server is served by its caller, at the URL the caller gives
// it.
func TestUnstartedServer(t *testing.T) {
	srv := intunedtest.NewUnstartedServer(intunedtest.WithAuthSessions("p", "s"), intunedtest.WithAPIKey("k"))
	srv.Close() // nothing to close: it does not listen
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	srv.URL = hs.URL
	c := srv.Client()
	ctx := context.Background()
	if info, err := c.Project.AuthSessions.One(ctx, "p", "s"); err != nil || info.Status != sdk.AuthSessionStatusReady {
		t.Fatalf("one: %+v, %v", info, err)
	}
	rec, err := c.Project.AuthSessions.Recorder.Start(ctx, "p", sdk.AuthSessionRecorderRequest{})
	if err != nil || !strings.HasPrefix(rec.RecorderURL, hs.URL+"/recorder/p/") {
		t.Errorf("recorder: %+v, %v", rec, err)
	}
	if reqs := srv.Requests(); len(reqs) != 2 || reqs[0].Operation != intunedtest.ProjectAuthSessionsOne {
		t.Errorf("recorded %+v", reqs)
	}
}

// Operation names the operation a request is routed to; WithoutRecording
// keeps no requests.
func TestOperationAndWithoutRecording(t *testing.T) {
	srv := intunedtest.NewServer(intunedtest.WithoutRecording())
	defer srv.Close()
	c := srv.Client()
	if _, err := c.Project.Jobs.All(context.Background(), "p"); err != nil {
		t.Fatal(err)
	}
	if reqs := srv.Requests(); len(reqs) != 0 {
		t.Errorf("recorded %d requests", len(reqs))
	}
	ws := "/" + srv.WorkspaceID + "/projects/p"
	for _, tt := range []struct{ method, path, want string }{
		{"POST", ws + "/run", intunedtest.ProjectRunSync},
		{"POST", ws + "/run/start", intunedtest.ProjectRunStart},
		{"GET", ws + "/run/r1/result", intunedtest.ProjectRunResult},
		{"POST", ws + "/jobs/j/runs/r/terminate", intunedtest.ProjectJobsRunsTerminate},
		{"PUT", ws + "/queues/q/repeatItems/i", intunedtest.ProjectQueuesRepeatItemsUpdate},
		{"GET", ws + "/queues/q/items/r", intunedtest.ProjectQueuesItemsResult},
		{"PUT", ws + "/queues/q/items/r", ""},
		{"GET", "/nowhere", ""},
	} {
		r := httptest.NewRequest(tt.method, tt.path, nil)
		if got := srv.Operation(r); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}
