package sdk_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/intuned/intuned-go/internal/testdiff"
	"github.com/intuned/intuned-go/sdk"
)

func TestResultShapes(t *testing.T) {
	noLeaks(t)
	tests := []struct {
		name, body string
		want       sdk.AuthSessionOperationResult
	}{
		{"pending", `{"status":"pending"}`, sdk.AuthSessionOperationPending{}},
		{"done", `{"status":"done","authSessionId":"my-auth-session"}`, sdk.AuthSessionOperationDone{AuthSessionID: "my-auth-session"}},
		{"done with extra members", `{"authSessionId":"s","status":"done","newField":{"x":1}}`, sdk.AuthSessionOperationDone{AuthSessionID: "s"}},
		{"failed", `{"status":"failed","error":"login_failed","message":"Wrong password"}`, sdk.AuthSessionOperationFailed{Error: "login_failed", Message: "Wrong password"}},
		{"failed with empty message", `{"status":"failed","error":"e","message":""}`, sdk.AuthSessionOperationFailed{Error: "e"}},
		{"otp", `{"status":"requested_more_info","id":"` + otpID + `","details":{"requestType":"otp","action":"request_more_info","messageToUser":"Enter the code"}}`,
			sdk.AuthSessionOperationRequestedMoreInfo{ID: otpID, Details: sdk.InfoRequestDetailsOTP{Action: "request_more_info", MessageToUser: "Enter the code"}}},
		{"multiple choice", `{"status":"requested_more_info","id":"i2","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"Where?","choices":["email","sms"]}}`,
			sdk.AuthSessionOperationRequestedMoreInfo{ID: "i2", Details: sdk.InfoRequestDetailsMultipleChoice{Action: "request_more_info", MessageToUser: "Where?", Choices: []string{"email", "sms"}}}},
		{"multiple choice without choices to pick", `{"status":"requested_more_info","id":"i3","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"?","choices":[]}}`,
			sdk.AuthSessionOperationRequestedMoreInfo{ID: "i3", Details: sdk.InfoRequestDetailsMultipleChoice{Action: "request_more_info", MessageToUser: "?", Choices: []string{}}}},
		// A null in a list of strings is kept as "", not an error: the list
		// is still worth having.
		{"multiple choice with a null choice", `{"status":"requested_more_info","id":"i5","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"?","choices":["email",null]}}`,
			sdk.AuthSessionOperationRequestedMoreInfo{ID: "i5", Details: sdk.InfoRequestDetailsMultipleChoice{Action: "request_more_info", MessageToUser: "?", Choices: []string{"email", ""}}}},
		{"multiple choice with a null choice, precise path", `{"status":"requested_more_info","id":"i6","error":{"x":1},"details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"?","choices":[null,"sms"],"extra":1}}`,
			sdk.AuthSessionOperationRequestedMoreInfo{ID: "i6", Details: sdk.InfoRequestDetailsMultipleChoice{Action: "request_more_info", MessageToUser: "?", Choices: []string{"", "sms"}}}},
		{"unknown request type", `{"status":"requested_more_info","id":"i4","details":{"requestType":"captcha","action":"solve","messageToUser":"Solve it"}}`,
			sdk.AuthSessionOperationRequestedMoreInfo{ID: "i4", Details: sdk.InfoRequestDetailsUnknown{Raw: sdk.RawJSON(`{"requestType":"captcha","action":"solve","messageToUser":"Solve it"}`)}}},
		{"unknown status", `{"status":"queued","position":3}`, sdk.AuthSessionOperationResultUnknown{Raw: sdk.RawJSON(`{"status":"queued","position":3}`)}},
		{"unknown status with members of other types", `{"status":"paused","error":{"code":1},"details":"x"}`,
			sdk.AuthSessionOperationResultUnknown{Raw: sdk.RawJSON(`{"status":"paused","error":{"code":1},"details":"x"}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, reply(200, tt.body))
			got, err := newClient(t, s).Project.AuthSessions.Update.Result(context.Background(), "p", "o")
			if err != nil {
				t.Fatal(err)
			}
			if diff := testdiff.Diff(tt.want, got); diff != "" {
				t.Errorf("Result (-want +got):\n%s", diff)
			}
			if want := tt.want.Status(); got.Status() != want {
				t.Errorf("Status() = %q, want %q", got.Status(), want)
			}
		})
	}
}

// Every success body that does not match the API is a
// *ResponseValidationError, for every operation, whose Path names the JSON
// path of what does not match ("" when the whole body is at fault).
func TestResponseValidation(t *testing.T) {
	noLeaks(t)
	type call func(c *sdk.Client) error
	start := func(c *sdk.Client) error {
		_, err := c.Project.AuthSessions.Update.Start(context.Background(), "p", sdk.AuthSessionUpdateRequest{ID: "s"})
		return err
	}
	result := func(c *sdk.Client) error {
		_, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
		return err
	}
	resume := func(c *sdk.Client) error {
		_, err := c.Project.AuthSessions.Update.Resume(context.Background(), "p", "o", sdk.AuthSessionOperationResumeRequest{Input: "1", InfoRequestID: "i"})
		return err
	}
	all := func(c *sdk.Client) error {
		_, err := c.Project.AuthSessions.All(context.Background(), "p")
		return err
	}
	tests := []struct {
		name     string
		call     call
		h        handler
		contains string
		path     string
	}{
		{"start text/plain", start, raw(201, "text/plain", startOK), "not JSON", ""},
		{"start no content type", start, raw(201, "", startOK), "not JSON", ""},
		{"start empty body", start, raw(201, "application/json", ""), "the value is malformed JSON", ""},
		{"start malformed", start, raw(201, "application/json", `{"status":"started",`), "the value is malformed JSON", ""},
		{"start array", start, reply(201, `[]`), "the value is a JSON array, not an object", ""},
		{"start null", start, reply(201, `null`), "the value is null, not an object", ""},
		{"start missing operationId", start, reply(201, `{"status":"started"}`), "operationId is missing", "operationId"},
		{"start empty operationId", start, reply(201, `{"status":"started","operationId":""}`), "operationId", "operationId"},
		{"start missing status", start, reply(201, `{"operationId":"o"}`), "status is missing", "status"},
		{"start operationId not a string", start, reply(201, `{"status":"started","operationId":5}`), "operationId is a JSON number, not a string", "operationId"},
		{"start wrong success code", start, reply(200, startOK), "intuned: project.authSessions.update.start: unexpected success status HTTP 200 (the API documents 201)", ""},
		{"result text/plain", result, raw(200, "text/plain; charset=utf-8", `{"status":"pending"}`), "not JSON", ""},
		{"result empty", result, raw(200, "application/json", ""), "the value is malformed JSON", ""},
		{"result missing status", result, reply(200, `{"authSessionId":"s"}`), "status is missing", "status"},
		{"result null status", result, reply(200, `{"status":null}`), "status is missing", "status"},
		{"result status not a string", result, reply(200, `{"status":1}`), "status is a JSON number, not a string", "status"},
		{"done without authSessionId", result, reply(200, `{"status":"done"}`), "authSessionId is missing", "authSessionId"},
		{"done with null authSessionId", result, reply(200, `{"status":"done","authSessionId":null}`), "authSessionId is missing", "authSessionId"},
		{"failed without message", result, reply(200, `{"status":"failed","error":"e"}`), "message is missing", "message"},
		{"failed without error", result, reply(200, `{"status":"failed","message":"m"}`), "error is missing", "error"},
		{"more info without id", result, reply(200, `{"status":"requested_more_info","details":{"requestType":"otp","action":"request_more_info","messageToUser":"m"}}`), "id is missing", "id"},
		{"more info without details", result, reply(200, `{"status":"requested_more_info","id":"i"}`), "details is missing", "details"},
		{"details without requestType", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"action":"request_more_info","messageToUser":"m"}}`), "details.requestType is missing", "details.requestType"},
		{"details without action", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"otp","messageToUser":"m"}}`), "details.action is missing", "details.action"},
		{"details without message", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"otp","action":"request_more_info"}}`), "details.messageToUser is missing", "details.messageToUser"},
		{"details not an object", result, reply(200, `{"status":"requested_more_info","id":"i","details":"otp"}`), "details is a JSON string, not an object", "details"},
		{"multiple choice without choices", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"m"}}`), "details.choices is missing", "details.choices"},
		{"multiple choice with null choices", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"m","choices":null}}`), "details.choices is missing", "details.choices"},
		{"choices not an array", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"m","choices":"sms"}}`), "details.choices is a JSON string, not an array", "details.choices"},
		{"choices not strings", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"m","choices":[1]}}`), "details.choices[0] is a JSON number, not a string", "details.choices[0]"},
		{"second choice not a string", result, reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"m","choices":["email",{}]}}`), "details.choices[1] is a JSON object, not a string", "details.choices[1]"},
		{"all item without status", all, reply(200, `[{"id":"a","status":"READY"},{"id":"b"}]`), "[1].status is missing", "[1].status"},
		{"all item status not a string", all, reply(200, `[{"id":"a","status":true}]`), "[0].status is a JSON boolean, not a string", "[0].status"},
		{"resume empty object", resume, reply(202, `{}`), "status is missing", "status"},
		{"resume text/html", resume, raw(202, "text/html", "<p>ok</p>"), "not JSON", ""},
		{"resume 200 instead of 202", resume, reply(200, resumeOK), "intuned: project.authSessions.update.resume: unexpected success status HTTP 200 (the API documents 202)", ""},
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
				if !strings.Contains(err.Error(), tt.contains) {
					t.Errorf("Error() = %q, want it to contain %q", err, tt.contains)
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
			if ve.Path != tt.path {
				t.Errorf("Path = %q, want %q", ve.Path, tt.path)
			}
		})
	}
}

// Values of an enum that this SDK version does not know are kept as
// received, never an error: the API may add them at any time.
func TestUnknownEnumValuesAreKept(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	tests := []struct {
		name string
		h    handler
		call func(c *sdk.Client) (any, error)
		want any
	}{
		{"start status", reply(201, `{"status":"running","operationId":"o"}`), func(c *sdk.Client) (any, error) {
			return c.Project.AuthSessions.Update.Start(ctx, "p", sdk.AuthSessionUpdateRequest{ID: "s"})
		}, sdk.AuthSessionOperationStarted{Status: "running", OperationID: "o"}},
		{"resume status", reply(202, `{"status":"started"}`), func(c *sdk.Client) (any, error) {
			return c.Project.AuthSessions.Update.Resume(ctx, "p", "o", sdk.AuthSessionOperationResumeRequest{Input: "1", InfoRequestID: "i"})
		}, sdk.AuthSessionOperationResumed{Status: "started"}},
		{"details action", reply(200, `{"status":"requested_more_info","id":"i","details":{"requestType":"otp","action":"x","messageToUser":"m"}}`), func(c *sdk.Client) (any, error) {
			return c.Project.AuthSessions.Update.Result(ctx, "p", "o")
		}, sdk.AuthSessionOperationRequestedMoreInfo{ID: "i", Details: sdk.InfoRequestDetailsOTP{Action: "x", MessageToUser: "m"}}},
		{"auth session status", reply(200, `{"id":"s","status":"ARCHIVED"}`), func(c *sdk.Client) (any, error) {
			return c.Project.AuthSessions.One(ctx, "p", "s")
		}, sdk.AuthSession{ID: "s", Status: "ARCHIVED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, tt.h)
			got, err := tt.call(newClient(t, s))
			if err != nil {
				t.Fatal(err)
			}
			if diff := testdiff.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The helpers of an info request read its details, whatever their type.
func TestInfoRequestHelpers(t *testing.T) {
	tests := []struct {
		name        string
		req         sdk.AuthSessionOperationRequestedMoreInfo
		requestType sdk.InfoRequestType
		message     string
		choices     []string
	}{
		{"otp", sdk.AuthSessionOperationRequestedMoreInfo{ID: "i", Details: sdk.InfoRequestDetailsOTP{Action: "request_more_info", MessageToUser: "Code?"}},
			sdk.InfoRequestTypeOTP, "Code?", nil},
		{"multiple choice", sdk.AuthSessionOperationRequestedMoreInfo{ID: "i", Details: sdk.InfoRequestDetailsMultipleChoice{Action: "request_more_info", MessageToUser: "Where?", Choices: []string{"email", "sms"}}},
			sdk.InfoRequestTypeMultipleChoice, "Where?", []string{"email", "sms"}},
		{"unknown", sdk.AuthSessionOperationRequestedMoreInfo{ID: "i", Details: sdk.InfoRequestDetailsUnknown{Raw: sdk.RawJSON(`{"requestType":"captcha","messageToUser":"Solve it","choices":["a"]}`)}},
			"captcha", "Solve it", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.req.Details.RequestType(); got != tt.requestType {
				t.Errorf("RequestType() = %q, want %q", got, tt.requestType)
			}
			if got := tt.req.Message(); got != tt.message {
				t.Errorf("Message() = %q, want %q", got, tt.message)
			}
			if diff := testdiff.Diff(tt.choices, tt.req.Choices()); diff != "" {
				t.Errorf("Choices() (-want +got):\n%s", diff)
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
				Operation:            e.Operation, // checked for each operation below
				Message:              "Invalid input",
				Details:              []any{map[string]any{"path": []any{"id"}, "message": "Required"}},
				AdditionalProperties: map[string]any{"requestId": "r-1"},
			}
			e.Header = nil
			if diff := testdiff.Diff(want, e); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if want := "intuned: " + e.Operation + ": invalid input (HTTP 400): Invalid input"; err.Error() != want {
				t.Errorf("Error() = %q, want %q", err, want)
			}
		}},
		{"400 without message", reply(400, `{"details":{"field":"id"}}`), func(t *testing.T, err error) {
			var e *sdk.APIErrorInvalidInput
			if !errors.As(err, &e) || e.Message != "" || e.Details == nil || e.StatusCode() != 400 {
				t.Fatalf("err = %#v", err)
			}
			if want := "intuned: " + e.Operation + ": invalid input (HTTP 400)"; err.Error() != want {
				t.Errorf("Error() = %q, want %q", err, want)
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
			if want := "intuned: " + e.Operation + ": unauthorized (HTTP 401): Unauthorized"; err.Error() != want {
				t.Errorf("Error() = %q, want %q", err, want)
			}
		}},
		{"401 empty", raw(401, "", ""), sdkError(401, "", "")},
		{"404 JSON", reply(404, `{"message":"Not found"}`), sdkError(404, "application/json", `{"message":"Not found"}`)},
		{"409", reply(409, `{"message":"conflict"}`), sdkError(409, "application/json", `{"message":"conflict"}`)},
		{"500 HTML", raw(500, "text/html", "<html>\n<body>\n<h1>Internal Server Error</h1>\n</body></html>"), func(t *testing.T, err error) {
			// Body keeps the page whole; Error() shows its text on one line.
			sdkError(500, "text/html", "<html>\n<body>\n<h1>Internal Server Error</h1>\n</body></html>")(t, err)
			var e *sdk.SDKError
			errors.As(err, &e)
			if want := "intuned: " + e.Operation + ": API error: HTTP 500 (text/html): Internal Server Error"; err.Error() != want {
				t.Errorf("Error() = %q, want %q", err, want)
			}
		}},
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
			_, err1 := c.Project.AuthSessions.Update.Start(context.Background(), "p", sdk.AuthSessionUpdateRequest{ID: "s"})
			_, err2 := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
			_, err3 := c.Project.AuthSessions.Update.Resume(context.Background(), "p", "o", sdk.AuthSessionOperationResumeRequest{Input: "1", InfoRequestID: "i"})
			for i, err := range []error{err1, err2, err3} {
				tt.check(t, err)
				// Every error names the operation that failed.
				want := []string{"project.authSessions.update.start", "project.authSessions.update.result", "project.authSessions.update.resume"}[i]
				if got := operationOf(err); got != want {
					t.Errorf("error names operation %q, want %q", got, want)
				}
				if !strings.HasPrefix(err.Error(), "intuned: "+want+": ") {
					t.Errorf("Error() = %q, want it to start with the operation", err)
				}
			}
		})
	}
}

// operationOf returns the operation an error of the SDK names.
func operationOf(err error) string {
	var (
		ii *sdk.APIErrorInvalidInput
		ua *sdk.APIErrorUnauthorized
		se *sdk.SDKError
		ve *sdk.ResponseValidationError
		te *sdk.TransportError
	)
	switch {
	case errors.As(err, &ii):
		return ii.Operation
	case errors.As(err, &ua):
		return ua.Operation
	case errors.As(err, &se):
		return se.Operation
	case errors.As(err, &ve):
		return ve.Operation
	case errors.As(err, &te):
		return te.Operation
	}
	return ""
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
	_, err := newClient(t, s).Project.AuthSessions.Update.Start(context.Background(), "p", sdk.AuthSessionUpdateRequest{ID: "s"})
	var se *sdk.SDKError
	if !errors.As(err, &se) || se.Code != 200 || len(se.Body) != sdk.MaxErrorBodySize || !se.BodyTruncated {
		t.Fatalf("err = %T, body %d bytes, truncated %v", err, len(se.Body), se != nil && se.BodyTruncated)
	}
}
