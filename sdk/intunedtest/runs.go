package intunedtest

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/intuned/intuned-go/sdk"
)

// A RunStep is one stage of a scripted API run: a run of project.run, an
// item of a queue, or one API of a job run. Each look at the run (a result
// call; for a job run, a call of project.jobs.runs.all) shows the current
// step and moves on as the step says. A Completed, Failed or FailedWith step
// ends the run: every later look shows it again. After the last step, the
// run completes as the default script does: status code 200, and the result
// {"api": <the API's name>, "parameters": <its parameters, or null>}.
//
// These are not the Steps of auth-session operations (Pending, OTP, Choice,
// Done, Fail, Raw): a RunStep scripts an API, by name (ScriptAPI).
type RunStep struct {
	kind       runStepKind
	n          int             // Queued, Running: how many looks
	statusCode int             // Completed, Failed, FailedWith
	result     json.RawMessage // Completed: nil for no "result" member
	code       string          // Failed: the error code
	message    string          // Failed: the message
	errObject  json.RawMessage // FailedWith: the error object
	raw        string          // RawResult: the body sent as is
}

type runStepKind int

const (
	runQueued runStepKind = iota + 1
	runRunning
	runCompleted
	runFailed
	runFailedWith
	runRaw
)

// Queued answers "queued" to the next n result calls of a queue item. Runs
// and job runs have no such state: they skip it.
func Queued(n int) RunStep { return RunStep{kind: runQueued, n: n} }

// Running answers "pending" to the next n looks at the run.
func Running(n int) RunStep { return RunStep{kind: runRunning, n: n} }

// Completed ends the run with its API's status code and result: result
// encoded as JSON (a json.RawMessage is sent as it is, compacted), or no
// "result" member if it is nil. It panics if result does not encode.
func Completed(statusCode int, result any) RunStep {
	return RunStep{kind: runCompleted, statusCode: statusCode, result: encodeStep("Completed", result)}
}

// Failed ends the run with a failure: for a run, "error" is code and
// "message" is message; for a queue item, "error" is the object
// {"code": code, "message": message}.
func Failed(statusCode int, code, message string) RunStep {
	return RunStep{kind: runFailed, statusCode: statusCode, code: code, message: message}
}

// FailedWith ends a queue item with a failure whose "error" is errorObject
// encoded as JSON (a json.RawMessage is sent as is; nil is null), to send
// an error of any shape. A run, whose "error" is a string, gets the
// object's "code" and "message" members if they are strings: "error" and
// the object's JSON otherwise. It panics if errorObject does not encode.
func FailedWith(statusCode int, errorObject any) RunStep {
	obj := encodeStep("FailedWith", errorObject)
	if obj == nil {
		obj = json.RawMessage("null")
	}
	return RunStep{kind: runFailedWith, statusCode: statusCode, errObject: obj}
}

// RawResult answers the next result call with body, sent as it is (a status
// the SDK does not know, a malformed answer), then moves on. For a job
// run's API it is one look at a run still going.
func RawResult(body string) RunStep { return RunStep{kind: runRaw, raw: body} }

// encodeStep encodes a step's JSON value; nil stays nil.
func encodeStep(constructor string, v any) json.RawMessage {
	if raw, ok := v.(json.RawMessage); ok {
		if len(raw) == 0 {
			return nil
		}
		if !json.Valid(raw) {
			panic("intunedtest: " + constructor + ": the json.RawMessage is not valid JSON (use RawResult to send malformed JSON)")
		}
		return slices.Clone(raw)
	}
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic("intunedtest: " + constructor + ": " + err.Error())
	}
	return b
}

// ends reports whether a step ends the run, and how.
func (st RunStep) ends() outcome {
	switch st.kind {
	case runCompleted:
		return succeeded
	case runFailed, runFailedWith:
		return failed
	}
	return running
}

// runCodeMessage returns the "error" and "message" of a run that fails with
// st.
func (st RunStep) runCodeMessage() (code, message string) {
	if st.kind == runFailed {
		return st.code, st.message
	}
	var obj map[string]any
	_ = json.Unmarshal(st.errObject, &obj)
	code, okCode := obj["code"].(string)
	message, okMessage := obj["message"].(string)
	if !okCode {
		code = "error"
	}
	if !okMessage {
		message = string(st.errObject)
	}
	return code, message
}

// ScriptAPI sets the steps of the runs of the API apiName that start from
// now on, in every project: runs of project.run, queue items and the APIs of
// job runs. A run copies its API's script when it starts (when a job is
// triggered, for a job run).
func (s *Server) ScriptAPI(apiName string, steps ...RunStep) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apiScripts[apiName] = slices.Clone(steps)
}

// DefaultAPIScript sets the steps of the runs whose API has no script of its
// own. It is Queued(1), Running(1) until set: a queue item is queued once,
// then pending once; a run is pending once; then they complete with status
// code 200 and the result {"api": <name>, "parameters": <parameters>}.
func (s *Server) DefaultAPIScript(steps ...RunStep) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.defaultAPIScript = slices.Clone(steps)
}

// apiRun is the state of one scripted API run.
type apiRun struct {
	id     string
	api    string
	steps  []RunStep
	final  RunStep // shown after the last step
	pos    int     // current step
	polled int     // looks at the current Queued or Running step
	ended  outcome // for job runs: how the run ended, once it has
}

// newRunLocked starts a run of api with its script.
func (s *Server) newRunLocked(api string, params sdk.Parameters) *apiRun {
	steps, ok := s.apiScripts[api]
	if !ok {
		steps = s.defaultAPIScript
	}
	return &apiRun{id: s.newIDLocked(), api: api, steps: slices.Clone(steps), final: defaultCompletion(api, params)}
}

// defaultCompletion is the step that ends a run after its last step.
func defaultCompletion(api string, params sdk.Parameters) RunStep {
	result, err := json.Marshal(struct {
		API        string         `json:"api"`
		Parameters sdk.Parameters `json:"parameters"`
	}{api, params})
	if err != nil { // decoded parameters always encode
		result, _ = json.Marshal(map[string]any{"api": api, "parameters": nil})
	}
	return RunStep{kind: runCompleted, statusCode: http.StatusOK, result: result}
}

func (r *apiRun) advance() {
	r.pos++
	r.polled = 0
}

// poll returns the step the next look at the run shows, and moves the run
// on. queue tells a queue item, which shows Queued steps, from other runs,
// which skip them.
func (r *apiRun) poll(queue bool) RunStep {
	for r.pos < len(r.steps) {
		st := r.steps[r.pos]
		switch st.kind {
		case runQueued, runRunning:
			if st.kind == runQueued && !queue || r.polled >= st.n {
				r.advance()
				continue
			}
			r.polled++
			return st
		case runRaw:
			r.advance()
			return st
		default:
			return st
		}
	}
	return r.final
}

// finish walks the run to its end at once, as project.run.sync does: the
// first step that ends it, or a RawResult.
func (r *apiRun) finish() RunStep {
	for r.pos < len(r.steps) {
		switch st := r.steps[r.pos]; st.kind {
		case runQueued, runRunning:
			r.advance()
		case runRaw:
			r.advance()
			return st
		default:
			return st
		}
	}
	return r.final
}

// runAnswer is what project.run.result (or .sync) answers for a run showing
// st: an sdk.RunResult, or a rawResult.
func runAnswer(runID string, st RunStep) any {
	switch st.kind {
	case runCompleted:
		return sdk.RunCompleted{RunID: runID, StatusCode: int64(st.statusCode), Result: st.result}
	case runFailed, runFailedWith:
		code, message := st.runCodeMessage()
		return sdk.RunFailed{RunID: runID, StatusCode: int64(st.statusCode), Error: code, Message: message}
	case runRaw:
		return rawResult(st.raw)
	}
	return sdk.RunPending{RunID: runID}
}

// projectRun is a run of project.run, with its project.
type projectRun struct {
	*apiRun
	project string
}

// startRun checks a run request, starts its run, and answers with what
// then(run) returns, all under the lock.
func (s *Server) startRun(r *http.Request, body []byte, then func(*apiRun) any) answer {
	var req sdk.RunRequest
	if bad, valid := decodeBody(r, body, &req); !valid {
		return bad
	}
	project := r.PathValue("projectName")
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.AuthSession != nil {
		if _, ok := s.sessions[project][req.AuthSession.ID]; !ok {
			return errorAnswer(notFound("auth session %q not found in project %q", req.AuthSession.ID, project))
		}
	}
	run := s.newRunLocked(req.API, req.Parameters)
	s.runs[run.id] = &projectRun{apiRun: run, project: project}
	return ok(then(run))
}

func (s *Server) runStart(r *http.Request, body []byte) answer {
	return s.startRun(r, body, func(run *apiRun) any { return sdk.RunPending{RunID: run.id} })
}

func (s *Server) runSync(r *http.Request, body []byte) answer {
	return s.startRun(r, body, func(run *apiRun) any { return runAnswer(run.id, run.finish()) })
}

func (s *Server) runResult(r *http.Request, _ []byte) answer {
	project, id := r.PathValue("projectName"), r.PathValue("runId")
	s.mu.Lock()
	defer s.mu.Unlock()
	run, found := s.runs[id]
	if !found || run.project != project {
		return errorAnswer(notFound("run %q not found in project %q", id, project))
	}
	return ok(runAnswer(id, run.poll(false)))
}
