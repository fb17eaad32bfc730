package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// scriptsFormat describes the -scripts file: -h prints it, and the package
// documentation of sdk/intunedtest has it too (TestScriptsFormatDocumented
// keeps the two the same).
const scriptsFormat = `A scripts file (-scripts) is a JSON object whose members are all optional:

  {
    "authSessions": {"my-project": ["my-auth-session"]},
    "authSessionScripts": {
      "my-auth-session": [
        {"step": "pending", "n": 1},
        {"step": "otp", "message": "Enter the code", "code": "123456"},
        {"step": "done"}
      ]
    },
    "defaultAuthSessionScript": [{"step": "pending", "n": 1}, {"step": "done"}],
    "apiScripts": {
      "scrape-product": [
        {"step": "running", "n": 2},
        {"step": "completed", "statusCode": 200, "result": {"title": "Mug"}}
      ]
    },
    "runScripts": [
      {"api": "scrape-product", "parameters": {"url": "https://shop.example.com/p/137"},
       "steps": [{"step": "failed", "statusCode": 502, "code": "page_gone", "message": "The page is gone"}]}
    ],
    "defaultAPIScript": [{"step": "queued", "n": 1}, {"step": "running", "n": 1}],
    "fileScripts": {
      "https://example.com/invoice.pdf": [
        {"step": "extracting", "n": 2},
        {"step": "extractedMarkdown", "result": "# Invoice"}
      ]
    },
    "defaultFileScript": [{"step": "extracting", "n": 1}]
  }

authSessions are the auth sessions each project starts with, READY
(intunedtest.WithAuthSessions). authSessionScripts script the create and
update operations of an auth session, by its ID (Server.Script), and
defaultAuthSessionScript those of the others (Server.DefaultScript).
apiScripts script the runs of an API, by its name: runs, queue items and
the APIs of job runs (Server.ScriptAPI). runScripts script the runs of an
API ("api") with the given parameters, equal as JSON values, or without
any when "parameters" is absent (Server.ScriptRun): they come before
apiScripts, and of two that match a run the later in the file wins.
defaultAPIScript scripts the runs no other script takes
(Server.DefaultAPIScript). fileScripts script the extractions (markdown,
tables, structured data) of a file, by its source: its URL, or its base64
data, exactly as requests send it (Server.ScriptFile), and
defaultFileScript those of the others (Server.DefaultFileScript). A
default left out stays the package's.

A step is an object whose "step" names its kind; the other members are
the kind's, and no other is allowed:

  auth-session steps (intunedtest.Step)
    {"step": "pending", "n": 2}                                     Pending(n)
    {"step": "otp", "message": "...", "code": "123456"}             OTP: code "" or absent accepts any
    {"step": "choice", "message": "...", "choices": ["a", "b"], "answer": "b"}
                                                                    Choice: answer "" or absent accepts any choice
    {"step": "done", "authSessionId": "..."}                        Done: absent for the session's own ID
    {"step": "fail", "code": "...", "message": "..."}               Fail
    {"step": "raw", "body": "..."}                                  Raw: body sent as it is
  API steps (intunedtest.RunStep)
    {"step": "queued", "n": 1}                                      Queued(n), for queue items
    {"step": "running", "n": 2}                                     Running(n)
    {"step": "completed", "statusCode": 200, "result": <any JSON>}  Completed: no "result" member if absent
    {"step": "failed", "statusCode": 500, "code": "...", "message": "..."}
                                                                    Failed
    {"step": "failedWith", "statusCode": 500, "error": <any JSON>}  FailedWith
    {"step": "rawResult", "body": "..."}                            RawResult: body sent as it is
  file steps (intunedtest.FileStep)
    {"step": "extracting", "n": 1}                                  Extracting(n)
    {"step": "extractedMarkdown", "result": "# Invoice"}            ExtractedMarkdown: result a string
    {"step": "extractedTables", "result": [{"pageNumber": 1, "title": "Totals", "content": [["a", "b"]]}]}
                                                                    ExtractedTables: result an array of tables
    {"step": "extractedData", "result": <any JSON>}                 ExtractedData: no "result" member if absent
    {"step": "extractionFailed", "code": "...", "message": "..."}   ExtractionFailed
    {"step": "rawExtraction", "body": "..."}                        RawExtraction: body sent as it is

statusCode is 200 for completed, 500 for failed and failedWith, when it
is absent. A table of extractedTables has exactly the members
pageNumber (an integer) and content (an array of arrays of strings), and
optionally title (a string, or null; null when absent); a null cell is
sent as "" (send nulls with rawExtraction). A file's script serves its
markdown, table and structured-data extractions alike: each skips the
completions of the other kinds (see intunedtest.FileStep).
`

// scriptsFile is the format of the -scripts file (see scriptsFormat).
type scriptsFile struct {
	AuthSessions             map[string][]string   `json:"authSessions"`
	AuthSessionScripts       map[string][]stepSpec `json:"authSessionScripts"`
	DefaultAuthSessionScript []stepSpec            `json:"defaultAuthSessionScript"` // nil when absent
	APIScripts               map[string][]stepSpec `json:"apiScripts"`
	RunScripts               []runScriptSpec       `json:"runScripts"`
	DefaultAPIScript         []stepSpec            `json:"defaultAPIScript"` // nil when absent
	FileScripts              map[string][]stepSpec `json:"fileScripts"`
	DefaultFileScript        []stepSpec            `json:"defaultFileScript"` // nil when absent
}

// runScriptSpec is a script of the runs of an API with given parameters.
type runScriptSpec struct {
	API        string          `json:"api"`
	Parameters json.RawMessage `json:"parameters"` // nil when absent or null: runs without parameters
	Steps      []stepSpec      `json:"steps"`
}

// stepSpec is one step of a script, as the file writes it.
type stepSpec struct {
	Step          string          `json:"step"`
	N             int             `json:"n"`
	Message       string          `json:"message"`
	Code          string          `json:"code"`
	Choices       []string        `json:"choices"`
	Answer        string          `json:"answer"`
	AuthSessionID string          `json:"authSessionId"`
	Body          string          `json:"body"`
	StatusCode    int             `json:"statusCode"`
	Result        json.RawMessage `json:"result"`
	Error         json.RawMessage `json:"error"`

	members []string // the members present, checked against the kind's
}

func (s *stepSpec) UnmarshalJSON(data []byte) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return err
	}
	type plain stepSpec
	var p plain
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return err
	}
	*s = stepSpec(p)
	for k := range members {
		s.members = append(s.members, k)
	}
	sort.Strings(s.members)
	return nil
}

// stepMembers are the members each kind of step may have, besides "step".
var stepMembers = map[string][]string{
	"pending":    {"n"},
	"otp":        {"message", "code"},
	"choice":     {"message", "choices", "answer"},
	"done":       {"authSessionId"},
	"fail":       {"code", "message"},
	"raw":        {"body"},
	"queued":     {"n"},
	"running":    {"n"},
	"completed":  {"statusCode", "result"},
	"failed":     {"statusCode", "code", "message"},
	"failedWith": {"statusCode", "error"},
	"rawResult":  {"body"},

	"extracting":        {"n"},
	"extractedMarkdown": {"result"},
	"extractedTables":   {"result"},
	"extractedData":     {"result"},
	"extractionFailed":  {"code", "message"},
	"rawExtraction":     {"body"},
}

// check reports a kind of step that is not one of kinds, a member the
// step's kind does not have, or a count below zero.
func (s stepSpec) check(kinds []string) error {
	allowed, known := stepMembers[s.Step]
	if !known || !slices.Contains(kinds, s.Step) {
		return fmt.Errorf("step %q is not one of %s", s.Step, strings.Join(kinds, ", "))
	}
	for _, m := range s.members {
		if m != "step" && !slices.Contains(allowed, m) {
			article := "a"
			if strings.ContainsRune("aeiou", rune(s.Step[0])) {
				article = "an"
			}
			return fmt.Errorf("%s %q step has no member %q (it has %s)", article, s.Step, m, strings.Join(allowed, ", "))
		}
	}
	if s.N < 0 {
		return fmt.Errorf("n is %d; it counts result calls", s.N)
	}
	return nil
}

var (
	authKinds = []string{"pending", "otp", "choice", "done", "fail", "raw"}
	apiKinds  = []string{"queued", "running", "completed", "failed", "failedWith", "rawResult"}
	fileKinds = []string{"extracting", "extractedMarkdown", "extractedTables", "extractedData", "extractionFailed", "rawExtraction"}
)

func (s stepSpec) authStep() intunedtest.Step {
	switch s.Step {
	case "pending":
		return intunedtest.Pending(s.N)
	case "otp":
		return intunedtest.OTP(s.Message, s.Code)
	case "choice":
		return intunedtest.Choice(s.Message, s.Choices, s.Answer)
	case "done":
		return intunedtest.Done(s.AuthSessionID)
	case "fail":
		return intunedtest.Fail(s.Code, s.Message)
	default: // raw
		return intunedtest.Raw(s.Body)
	}
}

func (s stepSpec) runStep() intunedtest.RunStep {
	status := s.StatusCode
	if status == 0 {
		status = 500
		if s.Step == "completed" {
			status = 200
		}
	}
	switch s.Step {
	case "queued":
		return intunedtest.Queued(s.N)
	case "running":
		return intunedtest.Running(s.N)
	case "completed":
		return intunedtest.Completed(status, s.Result) // nil: no result member
	case "failed":
		return intunedtest.Failed(status, s.Code, s.Message)
	case "failedWith":
		return intunedtest.FailedWith(status, s.Error) // nil: null
	default: // rawResult
		return intunedtest.RawResult(s.Body)
	}
}

// fileStep returns the file step s writes, or what is wrong with its result.
func (s stepSpec) fileStep() (intunedtest.FileStep, error) {
	switch s.Step {
	case "extracting":
		return intunedtest.Extracting(s.N), nil
	case "extractedMarkdown":
		var md *string
		if err := json.Unmarshal(s.Result, &md); s.Result == nil || err != nil || md == nil {
			return intunedtest.FileStep{}, errors.New("the result of an extractedMarkdown step is a string (the markdown)")
		}
		return intunedtest.ExtractedMarkdown(*md), nil
	case "extractedTables":
		tables, err := parseTables(s.Result)
		if err != nil {
			return intunedtest.FileStep{}, fmt.Errorf("the result of an extractedTables step is an array of tables: %w", err)
		}
		return intunedtest.ExtractedTables(tables...), nil
	case "extractedData":
		return intunedtest.ExtractedData(s.Result), nil // nil: no result member
	case "extractionFailed":
		return intunedtest.ExtractionFailed(s.Code, s.Message), nil
	default: // rawExtraction
		return intunedtest.RawExtraction(s.Body), nil
	}
}

// tableSpec is a table of an extractedTables step, as the file writes it.
type tableSpec struct {
	PageNumber *int       `json:"pageNumber"`
	Title      *string    `json:"title"`
	Content    [][]string `json:"content"`
}

// parseTables decodes the tables of an extractedTables step strictly: an
// array (not null) of objects with a pageNumber and a content, no other
// member than title.
func parseTables(raw json.RawMessage) ([]sdk.ExtractedTable, error) {
	var specs []json.RawMessage
	if err := json.Unmarshal(raw, &specs); raw == nil || err != nil || specs == nil {
		return nil, errors.New("it is not an array")
	}
	tables := make([]sdk.ExtractedTable, 0, len(specs))
	for i, spec := range specs {
		var t tableSpec
		dec := json.NewDecoder(bytes.NewReader(spec))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&t); err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		if t.PageNumber == nil || t.Content == nil {
			return nil, fmt.Errorf("[%d]: a table has a pageNumber and a content", i)
		}
		tables = append(tables, sdk.ExtractedTable{PageNumber: *t.PageNumber, Title: t.Title, Content: t.Content})
	}
	return tables, nil
}

// loadScripts reads a scripts file and returns the server options that
// apply it.
func loadScripts(path string) ([]intunedtest.Option, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	opts, err := parseScripts(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return opts, nil
}

// parseScripts decodes and checks a scripts file, and returns the server
// options that apply it.
func parseScripts(r io.Reader) ([]intunedtest.Option, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var file scriptsFile
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("not a scripts file: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("not a scripts file: more than one JSON value")
	}
	var opts []intunedtest.Option
	for _, project := range sortedKeys(file.AuthSessions) {
		opts = append(opts, intunedtest.WithAuthSessions(project, file.AuthSessions[project]...))
	}
	authScript := func(where string, specs []stepSpec) ([]intunedtest.Step, error) {
		return buildScript(where, specs, authKinds, func(s stepSpec) (intunedtest.Step, error) { return s.authStep(), nil })
	}
	apiScript := func(where string, specs []stepSpec) ([]intunedtest.RunStep, error) {
		return buildScript(where, specs, apiKinds, func(s stepSpec) (intunedtest.RunStep, error) { return s.runStep(), nil })
	}
	fileScript := func(where string, specs []stepSpec) ([]intunedtest.FileStep, error) {
		return buildScript(where, specs, fileKinds, stepSpec.fileStep)
	}
	for _, id := range sortedKeys(file.AuthSessionScripts) {
		steps, err := authScript(fmt.Sprintf("authSessionScripts[%q]", id), file.AuthSessionScripts[id])
		if err != nil {
			return nil, err
		}
		opts = append(opts, func(s *intunedtest.Server) { s.Script(id, steps...) })
	}
	if file.DefaultAuthSessionScript != nil {
		steps, err := authScript("defaultAuthSessionScript", file.DefaultAuthSessionScript)
		if err != nil {
			return nil, err
		}
		opts = append(opts, func(s *intunedtest.Server) { s.DefaultScript(steps...) })
	}
	for _, api := range sortedKeys(file.APIScripts) {
		steps, err := apiScript(fmt.Sprintf("apiScripts[%q]", api), file.APIScripts[api])
		if err != nil {
			return nil, err
		}
		opts = append(opts, func(s *intunedtest.Server) { s.ScriptAPI(api, steps...) })
	}
	for i, rs := range file.RunScripts { // in file order: a later one wins
		where := fmt.Sprintf("runScripts[%d]", i)
		if rs.API == "" {
			return nil, fmt.Errorf("%s: api is missing or empty", where)
		}
		var params sdk.Parameters
		if rs.Parameters != nil && string(rs.Parameters) != "null" {
			raw := sdk.ParametersRaw(rs.Parameters)
			if _, err := raw.MarshalJSON(); err != nil {
				return nil, fmt.Errorf("%s: parameters: %w", where, err)
			}
			params = raw
		}
		steps, err := apiScript(where+".steps", rs.Steps)
		if err != nil {
			return nil, err
		}
		opts = append(opts, func(s *intunedtest.Server) { s.ScriptRun(rs.API, params, steps...) })
	}
	if file.DefaultAPIScript != nil {
		steps, err := apiScript("defaultAPIScript", file.DefaultAPIScript)
		if err != nil {
			return nil, err
		}
		opts = append(opts, func(s *intunedtest.Server) { s.DefaultAPIScript(steps...) })
	}
	for _, source := range sortedKeys(file.FileScripts) {
		steps, err := fileScript(fmt.Sprintf("fileScripts[%q]", source), file.FileScripts[source])
		if err != nil {
			return nil, err
		}
		opts = append(opts, func(s *intunedtest.Server) { s.ScriptFile(source, steps...) })
	}
	if file.DefaultFileScript != nil {
		steps, err := fileScript("defaultFileScript", file.DefaultFileScript)
		if err != nil {
			return nil, err
		}
		opts = append(opts, func(s *intunedtest.Server) { s.DefaultFileScript(steps...) })
	}
	return opts, nil
}

// buildScript checks the steps of a script, found at where in the file,
// against kinds, and builds them.
func buildScript[S any](where string, specs []stepSpec, kinds []string, build func(stepSpec) (S, error)) ([]S, error) {
	steps := make([]S, 0, len(specs))
	for i, s := range specs {
		err := s.check(kinds)
		var st S
		if err == nil {
			st, err = build(s)
		}
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", where, i, err)
		}
		steps = append(steps, st)
	}
	return steps, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
