package sdk_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/intuned/intuned-go/sdk"
)

// Payloads of every shape Part 3 of the contract gives, as the service
// writes them.
const (
	jobPayload = `{"apiInfo":{"name":"scrape-product","parameters":{"url":"https://shop.example.com/p/1"},"runId":"run-1",` +
		`"result":{"status":"completed","statusCode":200,"result":{"title":"Mug"}}},"workspaceId":"ws-1",` +
		`"project":{"id":"p-1","name":"my-project"},"authSession":{"id":"s-1"},"projectJob":{"id":"nightly"},"projectJobRun":{"id":"jr-1"}}`
	jobPayloadMinimal = `{"apiInfo":{"name":"ping","runId":"run-2","result":{"status":"completed","statusCode":204}},"workspaceId":"ws-1",` +
		`"project":{"id":"p-1","name":"my-project"},"projectJob":{"id":"nightly"},"projectJobRun":{"id":"jr-1"}}`
	queuePayloadFailed = `{"apiInfo":{"name":"scrape-product","runId":"item-1","result":{"status":"failed","statusCode":500,"error":"api_error","message":"The page did not load"}},` +
		`"workspaceId":"ws-1","project":{"id":"p-1","name":"my-project"},"projectQueue":{"id":"pages"}}`
	queuePayload = `{"apiInfo":{"name":"scrape-product","parameters":["a",1],"runId":"item-2","result":{"status":"completed","statusCode":200,"result":null}},` +
		`"workspaceId":"ws-1","project":{"id":"p-1","name":"my-project"},"authSession":{"id":"s-1"},"projectQueue":{"id":"pages"}}`
)

func TestParseSinkResultShapes(t *testing.T) {
	project := sdk.SinkProject{ID: "p-1", Name: "my-project"}
	unknownStatus := `{"status":"skipped","statusCode":0,"reason":"paused"}`
	tests := []struct {
		name string
		body string
		want sdk.SinkResult
	}{
		{"job with auth session, parameters and a result", jobPayload, sdk.SinkResultProjectJob{
			APIInfo: sdk.SinkAPIInfo{
				Name:       "scrape-product",
				Parameters: sdk.ParametersRaw(`{"url":"https://shop.example.com/p/1"}`),
				RunID:      "run-1",
				Result:     sdk.SinkAPICompleted{StatusCode: 200, Result: sdk.RawJSON(`{"title":"Mug"}`)},
			},
			WorkspaceID: "ws-1", Project: project, AuthSession: &sdk.AuthSessionRef{ID: "s-1"},
			ProjectJob: sdk.SinkProjectJob{ID: "nightly"}, ProjectJobRun: sdk.SinkProjectJobRun{ID: "jr-1"},
		}},
		{"job without auth session, parameters or result", jobPayloadMinimal, sdk.SinkResultProjectJob{
			APIInfo:     sdk.SinkAPIInfo{Name: "ping", RunID: "run-2", Result: sdk.SinkAPICompleted{StatusCode: 204}},
			WorkspaceID: "ws-1", Project: project,
			ProjectJob: sdk.SinkProjectJob{ID: "nightly"}, ProjectJobRun: sdk.SinkProjectJobRun{ID: "jr-1"},
		}},
		{"queue, failed", queuePayloadFailed, sdk.SinkResultProjectQueue{
			APIInfo: sdk.SinkAPIInfo{Name: "scrape-product", RunID: "item-1",
				Result: sdk.SinkAPIFailed{StatusCode: 500, Error: "api_error", Message: "The page did not load"}},
			WorkspaceID: "ws-1", Project: project, ProjectQueue: sdk.SinkProjectQueue{ID: "pages"},
		}},
		{"queue with array parameters and a null result", queuePayload, sdk.SinkResultProjectQueue{
			APIInfo: sdk.SinkAPIInfo{Name: "scrape-product", Parameters: sdk.ParametersRaw(`["a",1]`), RunID: "item-2",
				Result: sdk.SinkAPICompleted{StatusCode: 200, Result: sdk.RawJSON(`null`)}},
			WorkspaceID: "ws-1", Project: project, AuthSession: &sdk.AuthSessionRef{ID: "s-1"}, ProjectQueue: sdk.SinkProjectQueue{ID: "pages"},
		}},
		{"a result status this SDK does not know", strings.Replace(queuePayloadFailed,
			`{"status":"failed","statusCode":500,"error":"api_error","message":"The page did not load"}`, unknownStatus, 1), sdk.SinkResultProjectQueue{
			APIInfo:     sdk.SinkAPIInfo{Name: "scrape-product", RunID: "item-1", Result: sdk.SinkAPIResultUnknown{Raw: sdk.RawJSON(unknownStatus)}},
			WorkspaceID: "ws-1", Project: project, ProjectQueue: sdk.SinkProjectQueue{ID: "pages"},
		}},
		{"null optional members and unknown members", `{"apiInfo":{"name":"n","parameters":null,"runId":"r","result":{"status":"failed","statusCode":1,"error":"e","message":"m"},"extra":1},` +
			`"workspaceId":"w","project":{"id":"i","name":"n"},"authSession":null,"projectQueue":{"id":"q"},"newMember":{"a":[1]}}`, sdk.SinkResultProjectQueue{
			APIInfo:     sdk.SinkAPIInfo{Name: "n", RunID: "r", Result: sdk.SinkAPIFailed{StatusCode: 1, Error: "e", Message: "m"}},
			WorkspaceID: "w", Project: sdk.SinkProject{ID: "i", Name: "n"}, ProjectQueue: sdk.SinkProjectQueue{ID: "q"},
		}},
		{"a payload of neither kind", `{"workspaceId":"ws-1","projectSchedule":{"id":"x"}}`,
			sdk.SinkResultUnknown{Raw: sdk.RawJSON(`{"workspaceId":"ws-1","projectSchedule":{"id":"x"}}`)}},
		{"a payload of both kinds", `{"projectJob":{"id":"j"},"projectQueue":{"id":"q"}}`,
			sdk.SinkResultUnknown{Raw: sdk.RawJSON(`{"projectJob":{"id":"j"},"projectQueue":{"id":"q"}}`)}},
		{"an empty object", `{}`, sdk.SinkResultUnknown{Raw: sdk.RawJSON(`{}`)}},
		{"a null marker counts as absent", `{"projectJob":null,"apiInfo":{"name":"n","runId":"r","result":{"status":"completed","statusCode":200}},` +
			`"workspaceId":"w","project":{"id":"i","name":"n"},"projectQueue":{"id":"q"}}`, sdk.SinkResultProjectQueue{
			APIInfo:     sdk.SinkAPIInfo{Name: "n", RunID: "r", Result: sdk.SinkAPICompleted{StatusCode: 200}},
			WorkspaceID: "w", Project: sdk.SinkProject{ID: "i", Name: "n"}, ProjectQueue: sdk.SinkProjectQueue{ID: "q"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sdk.ParseSinkResult([]byte(tt.body))
			if err != nil {
				t.Fatalf("ParseSinkResult: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// A payload re-encodes as the service writes it: members in the spec's
// order, "status" first in a result.
func TestSinkResultEncodesAsSent(t *testing.T) {
	for _, body := range []string{jobPayload, jobPayloadMinimal, queuePayloadFailed, queuePayload} {
		res, err := sdk.ParseSinkResult([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if b, err := json.Marshal(res); err != nil || string(b) != body {
			t.Errorf("encoded as\n %s, %v\nwant\n %s", b, err, body)
		}
	}
}

func TestParseSinkResultErrors(t *testing.T) {
	job := func(old, new string) string {
		if !strings.Contains(jobPayload, old) {
			t.Fatalf("%s is not in the job payload", old)
		}
		return strings.Replace(jobPayload, old, new, 1)
	}
	queue := func(old, new string) string {
		if !strings.Contains(queuePayloadFailed, old) {
			t.Fatalf("%s is not in the queue payload", old)
		}
		return strings.Replace(queuePayloadFailed, old, new, 1)
	}
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	for body, path := range map[string]string{
		``:               "",
		` `:              "",
		`null`:           "",
		`[]`:             "",
		`"job"`:          "",
		`42`:             "",
		`{`:              "",
		`{}{}`:           "",
		deep:             "",
		"\xff{}":         "",
		jobPayload + `x`: "",
		job(`"result":{"title":"Mug"}`, `"result":`+deep):                              "",
		job(`"apiInfo":`, `"apiInfoX":`):                                               "apiInfo",
		job(`"workspaceId":"ws-1"`, `"workspaceId":1`):                                 "workspaceId",
		job(`"project":{"id":"p-1","name":"my-project"}`, `"project":"p-1"`):           "project",
		job(`"name":"my-project"`, `"nom":"my-project"`):                               "project.name",
		job(`"authSession":{"id":"s-1"}`, `"authSession":{"id":""}`):                   "authSession.id",
		job(`"authSession":{"id":"s-1"}`, `"authSession":["s-1"]`):                     "authSession",
		job(`"projectJob":{"id":"nightly"}`, `"projectJob":"nightly"`):                 "projectJob",
		job(`{"id":"nightly"}`, `{"id":7}`):                                            "projectJob.id",
		job(`,"projectJobRun":{"id":"jr-1"}`, ``):                                      "projectJobRun",
		job(`"runId":"run-1",`, ``):                                                    "apiInfo.runId",
		job(`"name":"scrape-product"`, `"name":null`):                                  "apiInfo.name",
		job(`"parameters":{"url":"https://shop.example.com/p/1"}`, `"parameters":"x"`): "apiInfo.parameters",
		job(`"statusCode":200`, `"statusCode":"200"`):                                  "apiInfo.result.statusCode",
		job(`"statusCode":200`, `"statusCode":200.5`):                                  "apiInfo.result.statusCode",
		job(`"status":"completed",`, ``):                                               "apiInfo.result.status",
		job(`"result":{"status"`, `"result":[{"status"`) + `]`:                         "",
		queue(`"projectQueue":{"id":"pages"}`, `"projectQueue":{}`):                    "projectQueue.id",
		queue(`,"message":"The page did not load"`, ``):                                "apiInfo.result.message",
		queue(`"error":"api_error"`, `"error":{"code":"api_error"}`):                   "apiInfo.result.error",
		queue(`"apiInfo":{`, `"apiInfo":null,"x":{`):                                   "apiInfo",
	} {
		res, err := sdk.ParseSinkResult([]byte(body))
		var ve *sdk.ResponseValidationError
		var de *sdk.DecodeError
		if !errors.As(err, &ve) || !errors.As(err, &de) || ve.Path != path || de.Path != path {
			t.Errorf("%.80s: %#v, %v; want a *ResponseValidationError at %q", body, res, err, path)
			continue
		}
		if res != nil || ve.Code != 0 || ve.Operation != "webhook sink" || len(ve.Body) > sdk.MaxErrorBodySize ||
			!strings.HasPrefix(err.Error(), "intuned: webhook sink: payload does not match the API: ") {
			t.Errorf("%.80s: %#v, %q", body, res, err)
		}
	}
}

// JSON nested deep, but not absurdly, is kept as the result it is.
func TestParseSinkResultKeepsDeepResults(t *testing.T) {
	nested := strings.Repeat("[", 5000) + strings.Repeat("]", 5000)
	res, err := sdk.ParseSinkResult([]byte(strings.Replace(jobPayload, `{"title":"Mug"}`, nested, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got := res.(sdk.SinkResultProjectJob).APIInfo.Result.(sdk.SinkAPICompleted).Result; string(got) != nested {
		t.Errorf("result of %d bytes, want %d", len(got), len(nested))
	}
}

func TestSinkAPICompletedDecodeResult(t *testing.T) {
	res, err := sdk.ParseSinkResult([]byte(jobPayload))
	if err != nil {
		t.Fatal(err)
	}
	var product struct{ Title string }
	if err := res.(sdk.SinkResultProjectJob).APIInfo.Result.(sdk.SinkAPICompleted).DecodeResult(&product); err != nil || product.Title != "Mug" {
		t.Errorf("DecodeResult = %+v, %v", product, err)
	}
	if err := (sdk.SinkAPICompleted{StatusCode: 204}).DecodeResult(&product); err == nil {
		t.Error("a run without a result decoded")
	}
}

// FuzzParseSinkResult: any body parses into a payload or is refused with a
// *ResponseValidationError, never a panic; a payload re-encodes, and
// re-parses into the same payload of the same kind, whose encoding is the
// same again.
func FuzzParseSinkResult(f *testing.F) {
	for _, body := range []string{jobPayload, jobPayloadMinimal, queuePayloadFailed, queuePayload,
		`{"projectJob":{"id":"j"},"projectQueue":{"id":"q"}}`, `{}`, `[]`, `{"projectJob":null}`,
		strings.Replace(queuePayloadFailed, `"status":"failed"`, `"status":"skipped"`, 1)} {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := sdk.ParseSinkResult(body)
		if err != nil {
			var ve *sdk.ResponseValidationError
			if res != nil || !errors.As(err, &ve) || len(ve.Body) > sdk.MaxErrorBodySize {
				t.Fatalf("%#v, %#v", res, err)
			}
			return
		}
		encoded, err := json.Marshal(res)
		if err != nil {
			if utf8.Valid(body) {
				t.Fatalf("%#v does not encode: %v", res, err)
			}
			return // raw parameters keep invalid UTF-8, which they never send
		}
		again, err := sdk.ParseSinkResult(encoded)
		if err != nil {
			t.Fatalf("%s does not parse again: %v", encoded, err)
		}
		if reflect.TypeOf(again) != reflect.TypeOf(res) || !reflect.DeepEqual(withoutRaw(again), withoutRaw(res)) {
			t.Fatalf("parsed again as %#v, first %#v", again, res)
		}
		if b, err := json.Marshal(again); err != nil || !bytes.Equal(b, encoded) {
			t.Fatalf("encoded again as %s, %v; first %s", b, err, encoded)
		}
	})
}

// withoutRaw is a payload without the JSON it keeps raw (parameters, a
// result, unknown variants), which encoding compacts.
func withoutRaw(res sdk.SinkResult) sdk.SinkResult {
	clean := func(info sdk.SinkAPIInfo) sdk.SinkAPIInfo {
		info.Parameters = nil
		switch r := info.Result.(type) {
		case sdk.SinkAPICompleted:
			r.Result = nil
			info.Result = r
		case sdk.SinkAPIResultUnknown:
			info.Result = nil
		}
		return info
	}
	switch v := res.(type) {
	case sdk.SinkResultProjectJob:
		v.APIInfo = clean(v.APIInfo)
		return v
	case sdk.SinkResultProjectQueue:
		v.APIInfo = clean(v.APIInfo)
		return v
	}
	return nil
}
