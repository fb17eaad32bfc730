package intuned_test

import (
	"context"
	"encoding/json"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	intuned "github.com/intuned/intuned-go"
)

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(intuned.OpenAPISpec)
	if err != nil {
		t.Fatalf("openapi.yaml does not load: %v", err)
	}
	return doc
}

func TestSpecValidates(t *testing.T) {
	doc := loadSpec(t)
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("openapi.yaml is not valid OpenAPI 3.0: %v", err)
	}
	if got := doc.Servers[0].URL; got != "https://app.intuned.io/api/v1/workspace" {
		t.Errorf("server URL = %s", got)
	}
	scheme := doc.Components.SecuritySchemes["apiKey"].Value
	if scheme.Type != "apiKey" || scheme.In != "header" || scheme.Name != "x-api-key" {
		t.Errorf("security scheme = %+v", scheme)
	}
}

// example is one example in the spec and the schema it must match.
type example struct {
	where  string
	schema *openapi3.Schema
	value  any
}

func examples(doc *openapi3.T) []example {
	var out []example
	add := func(where string, s *openapi3.SchemaRef, v any) {
		if v != nil && s != nil {
			out = append(out, example{where, s.Value, v})
		}
	}
	media := func(where string, content openapi3.Content) {
		for ct, mt := range content {
			add(where+" "+ct, mt.Schema, mt.Example)
			for name, ex := range mt.Examples {
				add(where+" "+ct+" example "+name, mt.Schema, ex.Value.Value)
			}
		}
	}
	for name, s := range doc.Components.Schemas {
		add("schema "+name, s, s.Value.Example)
	}
	for name, p := range doc.Components.Parameters {
		add("parameter "+name, p.Value.Schema, p.Value.Example)
	}
	for name, r := range doc.Components.Responses {
		media("response "+name, r.Value.Content)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody != nil {
				media(method+" "+path+" request", op.RequestBody.Value.Content)
			}
			for code, r := range op.Responses.Map() {
				media(method+" "+path+" "+code, r.Value.Content)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].where < out[j].where })
	return out
}

// Every example in the spec validates against its schema.
func TestSpecExamplesMatchSchemas(t *testing.T) {
	exs := examples(loadSpec(t))
	if len(exs) < 25 {
		t.Fatalf("found only %d examples; the walk is missing some", len(exs))
	}
	for _, ex := range exs {
		if err := ex.schema.VisitJSON(ex.value); err != nil {
			b, _ := json.Marshal(ex.value)
			t.Errorf("%s: example %s does not match its schema: %v", ex.where, b, err)
		}
	}
}

// The schemas reject what the wire contract forbids, so the example check
// above can fail.
func TestSpecSchemasRejectWrongShapes(t *testing.T) {
	doc := loadSpec(t)
	schema := func(name string) *openapi3.Schema { return doc.Components.Schemas[name].Value }
	tests := []struct {
		schema string
		value  string
		valid  bool
	}{
		{"AuthSessionOperationResult", `{"status":"pending"}`, true},
		{"AuthSessionOperationResult", `{"status":"done"}`, false},
		{"AuthSessionOperationResult", `{"status":"bogus"}`, false},
		{"AuthSessionOperationResult", `{"status":"failed","error":"e"}`, false},
		{"AuthSessionOperationResult", `{"status":"requested_more_info","id":"i","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"m"}}`, false},
		{"AuthSessionOperationResult", `{"status":"requested_more_info","id":"i","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"m","choices":["a"]}}`, true},
		{"AuthSessionOperationResumeRequest", `{"input":"1","infoRequestId":"i"}`, false},
		{"AuthSessionOperationResumeRequest", `{"input":"1","info_request_id":"i"}`, true},
		{"AuthSessionUpdateRequest", `{"id":"s","parameters":"x"}`, false},
		{"AuthSessionUpdateRequest", `{"id":"s","parameters":[1,{"a":null}]}`, true},
		{"AuthSessionUpdateRequest", `{"parameters":{}}`, false},
		{"AuthSessionOperationStarted", `{"status":"started"}`, false},
		{"AuthSessionOperationResumed", `{"status":"started"}`, false},
		{"ApiErrorInvalidInput", `{"message":"m","details":null,"extra":1}`, true},
		{"AuthSessionCreateRequest", `{}`, true},
		{"AuthSessionCreateRequest", `{"id":"bad id!"}`, false},
		{"AuthSession", `{"id":"a","status":"READY"}`, true},
		{"AuthSession", `{"id":"a","status":"ready"}`, false},
		{"AuthSessionRecorderStarted", `{"recorderUrl":"x"}`, false},
		{"AuthSessionRecorderStarted", `{"recorder_url":"x"}`, true},
	}
	for _, tt := range tests {
		var v any
		if err := json.Unmarshal([]byte(tt.value), &v); err != nil {
			t.Fatal(err)
		}
		err := schema(tt.schema).VisitJSON(v)
		if (err == nil) != tt.valid {
			t.Errorf("%s %s: valid = %v, want %v (%v)", tt.schema, tt.value, err == nil, tt.valid, err)
		}
	}
}

// The operations, their paths and success codes are those of the contract.
func TestSpecOperations(t *testing.T) {
	doc := loadSpec(t)
	const base = "/{workspaceId}/projects/{projectName}/auth-sessions"
	tests := []struct{ id, method, path, success, body string }{
		{"updateAuthSessionStart", "POST", base + "/update", "201", "AuthSessionUpdateRequest"},
		{"updateAuthSessionResult", "GET", base + "/update/{operationId}/result", "200", ""},
		{"updateAuthSessionResume", "POST", base + "/update/{operationId}/resume", "202", "AuthSessionOperationResumeRequest"},
		{"createAuthSessionStart", "POST", base + "/create", "201", "AuthSessionCreateRequest"},
		{"createAuthSessionResult", "GET", base + "/create/{operationId}/result", "200", ""},
		{"createAuthSessionResume", "POST", base + "/create/{operationId}/resume", "202", "AuthSessionOperationResumeRequest"},
		{"authSessionsAll", "GET", base, "200", ""},
		{"authSessionsOne", "GET", base + "/{authSessionId}", "200", ""},
		{"authSessionsDelete", "DELETE", base + "/{authSessionId}", "204", ""},
		{"authSessionsRecorderStart", "POST", base + "/recorder/start", "201", "AuthSessionRecorderRequest"},
	}
	for _, tt := range tests {
		item := doc.Paths.Find(tt.path)
		if item == nil {
			t.Errorf("no path %s", tt.path)
			continue
		}
		op := item.GetOperation(tt.method)
		if op == nil || op.OperationID != tt.id {
			t.Errorf("%s %s: operation %v, want %s", tt.method, tt.path, op, tt.id)
			continue
		}
		if op.Responses.Value(tt.success) == nil || op.Responses.Value("400") == nil || op.Responses.Value("401") == nil || op.Responses.Default() == nil {
			t.Errorf("%s: responses %v, want %s, 400, 401 and default", tt.id, op.Responses.Map(), tt.success)
		}
		if tt.body != "" && op.RequestBody.Value.Content.Get("application/json").Schema.Ref != "#/components/schemas/"+tt.body {
			t.Errorf("%s: request body is not %s", tt.id, tt.body)
		}
		if tt.body == "" && op.RequestBody != nil {
			t.Errorf("%s has a request body", tt.id)
		}
	}
}
