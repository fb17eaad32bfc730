package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/intuned/intuned-go/sdk"
)

func TestResultShapes(t *testing.T) {
	noLeaks(t)
	tests := []struct {
		name, body string
		want       sdk.AuthSessionCreateResult
	}{
		{"pending", `{"status":"pending"}`, sdk.AuthSessionCreateResultPending{}},
		{"done", `{"status":"done","authSessionId":"my-auth-session"}`, sdk.AuthSessionCreateResultDone{AuthSessionID: "my-auth-session"}},
		{"done with extra members", `{"authSessionId":"s","status":"done","newField":{"x":1}}`, sdk.AuthSessionCreateResultDone{AuthSessionID: "s"}},
		{"failed", `{"status":"failed","error":"login_failed","message":"Wrong password"}`, sdk.AuthSessionCreateResultFailed{Error: "login_failed", Message: "Wrong password"}},
		{"failed with empty message", `{"status":"failed","error":"e","message":""}`, sdk.AuthSessionCreateResultFailed{Error: "e"}},
		{"otp", `{"status":"requested_more_info","id":"` + otpID + `","details":{"requestType":"otp","action":"request_more_info","messageToUser":"Enter the code"}}`,
			sdk.AuthSessionCreateResultRequestedMoreInfo{ID: otpID, Details: sdk.InfoRequestDetails{RequestType: sdk.InfoRequestOTP, Action: "request_more_info", MessageToUser: "Enter the code"}}},
		{"multiple choice", `{"status":"requested_more_info","id":"i2","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"Where?","choices":["email","sms"]}}`,
			sdk.AuthSessionCreateResultRequestedMoreInfo{ID: "i2", Details: sdk.InfoRequestDetails{RequestType: sdk.InfoRequestMultipleChoice, Action: "request_more_info", MessageToUser: "Where?", Choices: []string{"email", "sms"}}}},
		{"multiple choice without choices to pick", `{"status":"requested_more_info","id":"i3","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"?","choices":[]}}`,
			sdk.AuthSessionCreateResultRequestedMoreInfo{ID: "i3", Details: sdk.InfoRequestDetails{RequestType: sdk.InfoRequestMultipleChoice, Action: "request_more_info", MessageToUser: "?", Choices: []string{}}}},
		{"unknown request type", `{"status":"requested_more_info","id":"i4","details":{"requestType":"captcha","action":"solve","messageToUser":"Solve it"}}`,
			sdk.AuthSessionCreateResultRequestedMoreInfo{ID: "i4", Details: sdk.InfoRequestDetails{RequestType: "captcha", Action: "solve", MessageToUser: "Solve it"}}},
		{"unknown status", `{"status":"queued","position":3}`, sdk.AuthSessionCreateResultUnknown{Status: "queued", Raw: json.RawMessage(`{"status":"queued","position":3}`)}},
		{"unknown status with members of other types", `{"status":"paused","error":{"code":1},"details":"x"}`,
			sdk.AuthSessionCreateResultUnknown{Status: "paused", Raw: json.RawMessage(`{"status":"paused","error":{"code":1},"details":"x"}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, reply(200, tt.body))
			got, err := newClient(t, s).Project.AuthSessions.Update.Result(context.Background(), "p", "o")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Result (-want +got):\n%s", diff)
			}
			if want := tt.want.OperationStatus(); got.OperationStatus() != want {
				t.Errorf("OperationStatus() = %q, want %q", got.OperationStatus(), want)
			}
		})
	}
}

// Every success body that does not match the API is a
// *ResponseValidationError, for every operation.
func TestResponseValidation(t *testing.T) {
	noLeaks(t)
	type call func(c *sdk.Client) error
	start := func(c *sdk.Client) error {
		_, err := c.Project.AuthSessions.Update.Start(context.Background(), "p", sdk.UpdateAuthSessionRequest{ID: "s"})
		return err
	}
	result := func(c *sdk.Client) error {
		_, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
		return err
	}
	resume := func(c *sdk.Client) error {
		_, err := c.Project.AuthSessions.Update.Resume(context.Background(), "p", "o", sdk.AuthSessionCreateResume{Input: "1", InfoRequestID: "i"})
		return err
	}
	tests := []struct {
		name     string
		call     call
		h        handler
		contains string
	}{
		{"start text/plain", start, raw(201, "text/plain", startOK), "not JSON"},
		{"start no content type", start, raw(201, "", startOK), "not JSON"},
		{"start empty body", start, raw(201, "application/json", ""), "malformed JSON"},
		{"start malformed", start, raw(201, "application/json", `{"status":"started",`), "malformed JSON"},
		{"start array", start, reply(201, `[]`), "malformed JSON"},
		{"start null", start, reply(201, `null`), "status"},
		{"start wrong status", start, reply(201, `{"status":"running","operationId":"o"}`), `"running"`},
		{"start missing operationId", start, reply(201, `{"status":"started"}`), "operationId"},
		{"start operationId not a string", start, reply(201, `{"status":"started","operationId":5}`), "malformed JSON"},
		{"start wrong success code", start, reply(200, startOK), "HTTP 200"},
		{"result text/plain", result, raw(200, "text/plain; charset=utf-8", `{"status":"pending"}`), "not JSON"},
		{"result empty", result, raw(200, "application/json", ""), "malformed JSON"},
		{"result missing status", result, reply(200, `{"authSessionId":"s"}`), "status is missing"},
		{"result null status", result, reply(200, `{"status":null}`), "status is missing"},
		{"result status not a string", result, reply(200, `{"status":1}`), "malformed JSON"},
		{"done without authSessionId", result, reply(200, `{"status":"done"}`), "authSessionId"},
		{"done with null authSessionId", result, reply(200, `{"status":"done","authSessionId":null}`), "authSessionId"},
		{"failed without message", result, reply(200, `{"status":"failed","error":"e"}`), "message"},
		{"failed without error", result, reply(200, `{"status":"failed","message":"m"}`), "error"},
		{"more info without id", result, reply(200, `{"status":"requested_more_info","details":{"requestType":"otp","action":"request_more_info","messageToUser":"m"}}`), "id"},
		{"more info without details", result, reply(200, `{"status":"requested_more_info","id":"i"}`), "details"},
		{"details without requestType", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"action":"request_more_info","messageToUser":"m"}}`), "requestType"},
		{"details without action", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"otp","messageToUser":"m"}}`), "action"},
		{"details with wrong action", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"otp","action":"x","messageToUser":"m"}}`), "action"},
		{"details without message", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"otp","action":"request_more_info"}}`), "messageToUser"},
		{"multiple choice without choices", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"m"}}`), "choices"},
		{"multiple choice with null choices", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"m","choices":null}}`), "choices"},
		{"choices not strings", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"m","choices":[1]}}`), "malformed JSON"},
		{"resume wrong status", resume, reply(202, `{"status":"started"}`), `"started"`},
		{"resume empty object", resume, reply(202, `{}`), "status"},
		{"resume text/html", resume, raw(202, "text/html", "<p>ok</p>"), "not JSON"},
		{"resume 200 instead of 202", resume, reply(200, resumeOK), "HTTP 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, tt.h)
			err := tt.call(newClient(t, s))
			if strings.HasSuffix(tt.name, "success code") || strings.HasSuffix(tt.name, "instead of 202") {
				// A 2xx other than the documented one is not the API's answer.
				var se *sdk.SDKError
				if !errors.As(err, &se) || se.StatusCode() != 200 {
					t.Fatalf("err = %v (%T), want *SDKError 200", err, err)
				}
				return
			}
			var ve *sdk.ResponseValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v (%T), want *ResponseValidationError", err, err)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("Error() = %q, want it to mention %q", err, tt.contains)
			}
		})
	}
}

func TestErrorResponses(t *testing.T) {
	noLeaks(t)
	tests := []struct {
		name  string
		h     handler
		check func(t *testing.T, err error)
	}{
		{"400 with message and details", reply(400, `{"message":"Invalid input","details":[{"path":["id"],"message":"Required"}],"requestId":"r-1"}`), func(t *testing.T, err error) {
			var e *sdk.APIErrorInvalidInput
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *APIErrorInvalidInput", err, err)
			}
			want := &sdk.APIErrorInvalidInput{
				Message:              "Invalid input",
				Details:              []any{map[string]any{"path": []any{"id"}, "message": "Required"}},
				AdditionalProperties: map[string]any{"requestId": "r-1"},
			}
			e.Header = nil
			if diff := cmp.Diff(want, e); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if err.Error() != "intuned: invalid input (HTTP 400): Invalid input" {
				t.Errorf("Error() = %q", err)
			}
		}},
		{"400 without message", reply(400, `{"details":{"field":"id"}}`), func(t *testing.T, err error) {
			var e *sdk.APIErrorInvalidInput
			if !errors.As(err, &e) || e.Message != "" || e.Details == nil || e.StatusCode() != 400 {
				t.Fatalf("err = %#v", err)
			}
			if err.Error() != "intuned: invalid input (HTTP 400)" {
				t.Errorf("Error() = %q", err)
			}
		}},
		{"400 with empty object", reply(400, `{}`), func(t *testing.T, err error) {
			var e *sdk.APIErrorInvalidInput
			if !errors.As(err, &e) || e.Details != nil || e.AdditionalProperties != nil {
				t.Fatalf("err = %#v", err)
			}
		}},
		{"400 not JSON", raw(400, "text/plain", "bad request"), sdkError(400, "text/plain", "bad request")},
		{"400 JSON content type, HTML body", raw(400, "application/json", "<html>"), sdkError(400, "application/json", "<html>")},
		{"400 JSON array", reply(400, `["x"]`), sdkError(400, "application/json", `["x"]`)},
		{"400 message of wrong type", reply(400, `{"message":5}`), sdkError(400, "application/json", `{"message":5}`)},
		{"401", reply(401, `{"message":"Unauthorized","hint":"check key"}`), func(t *testing.T, err error) {
			var e *sdk.APIErrorUnauthorized
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *APIErrorUnauthorized", err, err)
			}
			if e.Message != "Unauthorized" || e.AdditionalProperties["hint"] != "check key" || e.StatusCode() != 401 {
				t.Errorf("got %+v", e)
			}
			if err.Error() != "intuned: unauthorized (HTTP 401): Unauthorized" {
				t.Errorf("Error() = %q", err)
			}
		}},
		{"401 empty", raw(401, "", ""), sdkError(401, "", "")},
		{"404 JSON", reply(404, `{"message":"Not found"}`), sdkError(404, "application/json", `{"message":"Not found"}`)},
		{"409", reply(409, `{"message":"conflict"}`), sdkError(409, "application/json", `{"message":"conflict"}`)},
		{"500 HTML", raw(500, "text/html", "<html><body>Internal Server Error</body></html>"), sdkError(500, "text/html", "<html><body>Internal Server Error</body></html>")},
		{"502 empty", raw(502, "", ""), sdkError(502, "", "")},
		{"302 without location", raw(302, "text/plain", "moved"), sdkError(302, "text/plain", "moved")},
		{"huge error body is cut", raw(500, "text/plain", strings.Repeat("x", sdk.MaxErrorBodySize+10)), func(t *testing.T, err error) {
			var e *sdk.SDKError
			if !errors.As(err, &e) || len(e.Body) != sdk.MaxErrorBodySize || !e.BodyTruncated {
				t.Fatalf("err = %T, body %d bytes, truncated %v", err, len(e.Body), e.BodyTruncated)
			}
			if len(err.Error()) > 1024 {
				t.Errorf("Error() is %d bytes long", len(err.Error()))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, tt.h)
			c := newClient(t, s)
			// Every operation translates errors the same way.
			_, err1 := c.Project.AuthSessions.Update.Start(context.Background(), "p", sdk.UpdateAuthSessionRequest{ID: "s"})
			_, err2 := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
			_, err3 := c.Project.AuthSessions.Update.Resume(context.Background(), "p", "o", sdk.AuthSessionCreateResume{Input: "1", InfoRequestID: "i"})
			for _, err := range []error{err1, err2, err3} {
				tt.check(t, err)
			}
		})
	}
}

func sdkError(code int, contentType, body string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var e *sdk.SDKError
		if !errors.As(err, &e) {
			t.Fatalf("err = %v (%T), want *SDKError", err, err)
		}
		if e.Code != code || e.StatusCode() != code || e.ContentType != contentType || e.Body != body || e.BodyTruncated {
			t.Errorf("got code %d, content type %q, body %q", e.Code, e.ContentType, e.Body)
		}
		if e.Header == nil {
			t.Errorf("Header is nil")
		}
		if !strings.Contains(err.Error(), "HTTP "+strconv.Itoa(code)) {
			t.Errorf("Error() = %q does not name the status", err)
		}
	}
}

// Regression (found by FuzzStartResponse's seeds): an undocumented 2xx is
// read under the success bound, but the *SDKError made of it still keeps at
// most MaxErrorBodySize bytes.
func TestUndocumentedSuccessBodyIsCapped(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(200, `{"status":"started","pad":"`+strings.Repeat("x", 100_000)+`"}`))
	_, err := newClient(t, s).Project.AuthSessions.Update.Start(context.Background(), "p", sdk.UpdateAuthSessionRequest{ID: "s"})
	var se *sdk.SDKError
	if !errors.As(err, &se) || se.Code != 200 || len(se.Body) != sdk.MaxErrorBodySize || !se.BodyTruncated {
		t.Fatalf("err = %T, body %d bytes, truncated %v", err, len(se.Body), se != nil && se.BodyTruncated)
	}
}
