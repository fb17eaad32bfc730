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

// startAndWait refuses a wait that ends done on a state that is not D
// (here: a kind whose final calls a pending run done).
func TestStartAndWaitForRefusesAnotherDoneState(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
		}
		io.WriteString(w, `{"status":"pending","runId":"r-1"}`)
	}))
	defer s.Close()
	c, err := New(WithAPIKey("key-0123456789"), WithWorkspaceID("w"), WithServerURL(s.URL))
	if err != nil {
		t.Fatal(err)
	}
	kind := *projectRunKind
	kind.final = func(string, RunResult) (bool, error) { return true, nil }
	ctx := context.Background()
	w, err := planWait(ctx, c, "project.run.startAndWait", anyWait, []Option{WithPolling(PollConfig{InitialDelay: time.Millisecond, MaxDelay: time.Millisecond})})
	if err != nil {
		t.Fatal(err)
	}
	done, err := startAndWait[RunCompleted](ctx, w, &kind, "", func(ctx context.Context, callOpts []Option) (*Operation[RunResult], error) {
		started, err := ProjectRunStart(ctx, c, "p", RunRequest{API: "a", Parameters: ParametersObject{}}, callOpts...)
		if err != nil {
			return nil, err
		}
		return newOperation(c, &kind, true, "p", started.RunID), nil
	})
	var oe *OperationError
	if !errors.As(err, &oe) || oe.OperationID != "r-1" || oe.ProjectName != "p" || !strings.Contains(err.Error(), `"pending"`) {
		t.Errorf("err = %v, want an *OperationError saying the wait ended with status \"pending\"", err)
	}
	if done.RunID != "" {
		t.Errorf("done = %+v, want the zero RunCompleted", done)
	}
}
