package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// openapi.yaml marks seven long-running operations, and the generator
// reads each mark whole.
func TestLongRunningFamilies(t *testing.T) {
	api, err := load(filepath.Join("..", "..", "..", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range api.Families {
		got = append(got, f.Prefix+"."+f.Verb()+"AndWait→"+f.Value())
	}
	want := "FilesExtractMarkdown.StartAndWait→MarkdownExtractionCompleted FilesExtractStructuredData.StartAndWait→StructuredDataExtractionCompleted " +
		"FilesExtractTables.StartAndWait→TableExtractionCompleted ProjectAuthSessionsCreate.StartAndWait→string " +
		"ProjectAuthSessionsUpdate.StartAndWait→string ProjectQueuesItems.AppendAndWait→QueueItemCompleted ProjectRun.StartAndWait→RunCompleted"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("families:\n got %s\nwant %s", s, want)
	}
}

// The generator refuses an x-sdk-long-running mark it cannot write a
// family from, naming the start call.
func TestLongRunningMarksRefused(t *testing.T) {
	spec, err := os.ReadFile(filepath.Join("..", "..", "..", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const mark = `        result: runResult
        id: runId
        done: [completed]
        failed: failed
        failure: {code: error, message: message, statusCode: statusCode}
`
	if !strings.Contains(string(spec), mark) {
		t.Fatal("openapi.yaml no longer has the run's mark this test edits")
	}
	for name, tt := range map[string]struct{ old, new, want string }{
		"no such result":       {"result: runResult", "result: runResults", `result "runResults" is not an operation answering a union`},
		"a result not a union": {"result: runResult", "result: jobsOne", `result "jobsOne" is not an operation answering a union`},
		"no such status":       {"done: [completed]", "done: [complete]", `RunResult has no status "complete"`},
		"no done status":       {"done: [completed]", "done: []", "no done status"},
		"no ID member":         {"id: runId", "id: runID", `no required string member "runID"`},
		"a code not a string":  {"code: error,", "code: statusCode,", `member "statusCode" does not fit OperationFailedError.Code`},
		"an unknown field":     {"message: message,", "text: message,", `no OperationFailedError field "text"`},
		"a path into a string": {"code: error,", "code: error.code,", `only a string in a raw object member can be reached`},
		"auth without resume":  {"failed: failed\n        failure: {code: error, message: message, statusCode", "failed: failed\n        authSessionId: runId\n        requestAuthSessionId: api\n        failure: {code: error, message: message, statusCode", "resume and authSessionId go together"},
	} {
		t.Run(name, func(t *testing.T) {
			edited := strings.Replace(mark, tt.old, tt.new, 1)
			if edited == mark {
				t.Fatalf("%q is not in the mark", tt.old)
			}
			path := filepath.Join(t.TempDir(), "openapi.yaml")
			if err := os.WriteFile(path, []byte(strings.Replace(string(spec), mark, edited, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := load(path)
			if err == nil || !strings.Contains(err.Error(), "runStart: x-sdk-long-running: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one naming runStart's mark and saying %q", err, tt.want)
			}
		})
	}
}
