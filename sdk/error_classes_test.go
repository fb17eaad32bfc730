package sdk_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/intuned/intuned-go/internal/testdiff"
	"github.com/intuned/intuned-go/sdk"
)

// Every operation turns a non-success answer into the same error classes.
// Our stance: every JSON 400 is an *APIErrorInvalidInput, also for
// jobs.delete, queues.delete and jobs.runs.terminate, which declare no 400
// body in the reference client.
func TestErrorClassesOfEveryOperation(t *testing.T) {
	noLeaks(t)
	const html = "<html>\n<body><h1>Internal Server Error</h1></body>\n</html>"
	classes := []struct {
		name  string
		h     handler
		check func(t *testing.T, op operationCall, err error)
	}{
		{"400 JSON", reply(400, `{"message":"Invalid input","details":[{"path":["id"],"message":"Required"}],"requestId":"r-1"}`),
			func(t *testing.T, op operationCall, err error) {
				var e *sdk.APIErrorInvalidInput
				if !errors.As(err, &e) {
					t.Fatalf("err = %v (%T), want *APIErrorInvalidInput", err, err)
				}
				e.Header = nil
				want := &sdk.APIErrorInvalidInput{Operation: op.name, Message: "Invalid input",
					Details:              []any{map[string]any{"path": []any{"id"}, "message": "Required"}},
					AdditionalProperties: map[string]any{"requestId": "r-1"}}
				if diff := testdiff.Diff(want, e); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
				if e.StatusCode() != 400 || err.Error() != "intuned: "+op.name+": invalid input (HTTP 400): Invalid input" {
					t.Errorf("StatusCode() = %d, Error() = %q", e.StatusCode(), err)
				}
			}},
		{"400 JSON without members", reply(400, `{}`), func(t *testing.T, op operationCall, err error) {
			var e *sdk.APIErrorInvalidInput
			if !errors.As(err, &e) || e.Message != "" || e.Details != nil {
				t.Fatalf("err = %#v, want an empty *APIErrorInvalidInput", err)
			}
		}},
		{"400 not JSON", raw(400, "text/plain", "Bad Request"), func(t *testing.T, _ operationCall, err error) {
			sdkError(400, "text/plain", "Bad Request")(t, err)
		}},
		{"401 JSON", reply(401, `{"message":"Invalid API key","hint":"rotate"}`), func(t *testing.T, op operationCall, err error) {
			var e *sdk.APIErrorUnauthorized
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *APIErrorUnauthorized", err, err)
			}
			if e.Operation != op.name || e.Message != "Invalid API key" || e.AdditionalProperties["hint"] != "rotate" || e.StatusCode() != 401 {
				t.Errorf("got %+v", e)
			}
		}},
		{"401 empty", raw(401, "", ""), func(t *testing.T, _ operationCall, err error) { sdkError(401, "", "")(t, err) }},
		{"404 JSON", reply(404, `{"message":"Job not found"}`), func(t *testing.T, _ operationCall, err error) {
			sdkError(404, "application/json", `{"message":"Job not found"}`)(t, err)
		}},
		{"409 JSON", reply(409, `{"message":"A job with this ID already exists"}`), func(t *testing.T, _ operationCall, err error) {
			sdkError(409, "application/json", `{"message":"A job with this ID already exists"}`)(t, err)
		}},
		{"422 JSON", reply(422, `{"message":"x"}`), func(t *testing.T, _ operationCall, err error) {
			sdkError(422, "application/json", `{"message":"x"}`)(t, err)
		}},
		{"500 HTML", raw(500, "text/html", html), func(t *testing.T, op operationCall, err error) {
			sdkError(500, "text/html", html)(t, err)
			if want := "intuned: " + op.name + ": API error: HTTP 500 (text/html): Internal Server Error"; err.Error() != want {
				t.Errorf("Error() = %q, want %q", err, want)
			}
		}},
		{"502 empty", raw(502, "", ""), func(t *testing.T, _ operationCall, err error) { sdkError(502, "", "")(t, err) }},
	}
	for _, op := range allOperations {
		t.Run(op.label(), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			// One server per operation, answering with h.
			var mu sync.Mutex
			var h handler
			answer := func(with handler) {
				mu.Lock()
				h = with
				mu.Unlock()
			}
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				mu.Lock()
				with := h
				mu.Unlock()
				with(w, r, n)
			})
			c := newClient(t, s)
			for _, class := range classes {
				answer(class.h)
				_, err := op.call(ctx, c)
				t.Run(class.name, func(t *testing.T) {
					class.check(t, op, err)
					if got := operationOf(err); got != op.name {
						t.Errorf("error names operation %q, want %q", got, op.name)
					}
					if !strings.HasPrefix(err.Error(), "intuned: "+op.name+": ") {
						t.Errorf("Error() = %q, want it to start with the operation", err)
					}
				})
			}

			// A 2xx other than the documented one is not the API's answer.
			other := 200
			if op.success == 200 {
				other = 201
			}
			answer(reply(other, op.body))
			_, err := op.call(ctx, c)
			var se *sdk.SDKError
			if !errors.As(err, &se) || se.Code != other || se.Expected != op.success {
				t.Errorf("HTTP %d instead of %d: err = %v (%T), want *SDKError", other, op.success, err, err)
			}

			// The documented success: no error; no answer for a 204.
			answer(reply(op.success, op.body))
			if op.success == 204 {
				answer(raw(204, "", ""))
			}
			got, err := op.call(ctx, c)
			if err != nil {
				t.Fatalf("success: %v", err)
			}
			if (op.success == 204) != (got == nil) {
				t.Errorf("success answered %#v", got)
			}
			if n := s.count(); n != len(classes)+2 {
				t.Errorf("%d requests, want %d: one per answer", n, len(classes)+2)
			}
		})
	}
}
