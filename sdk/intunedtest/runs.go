package intunedtest

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"

	"github.com/intuned/intuned-go/sdk"
)

// A RunStep is one stage of a scripted API run: a run of project.run, an
// item of a queue, or one API of a job run. Each look at the run (a result
// call; for a job run, a call of project.jobs.runs.all) shows the current
// step and moves on as the step says. A Completed, Failed or FailedWith step
// ends the run: every later look shows it again. After the last step, the
// run completes as the default script does: status code 200, and the result
// {"api": <the API's name>, "parameters": <its parameters, or null>}. The
// runs of a job or a queue with a webhook sink walk their script to the end
// at once, skipping RawResult steps, and send how they ended to the sink.
//
// These are not the Steps of auth-session operations (Pending, OTP, Choice,
// Done, Fail, Raw): a RunStep scripts an API, by name (ScriptAPI), or the
// runs with given parameters (ScriptRun) or that a function picks
// (ScriptRunWhere).
type RunStep struct {
	kind       runStepKind
	n          int             // Queued, Running: how many looks
	statusCode int             // Completed, Failed
	result     json.RawMessage // Completed: nil for no "result" member
	code       string          // Failed: a run's "error"
	message    string          // Failed: a run's "message"
	errObject  json.RawMessage // Failed: a queue item's "error"
	raw        string          // RawResult: the body sent as is
}

type runStepKind int

const (
	runQueued runStepKind = iota + 1
	runRunning
	runCompleted
	runFailed // by Failed or FailedWith
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
	obj := encodeStep("Failed", struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}{code, message})
	return RunStep{kind: runFailed, statusCode: statusCode, code: code, message: message, errObject: obj}
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
	var members map[string]any
	_ = json.Unmarshal(obj, &members)
	code, okCode := members["code"].(string)
	message, okMessage := members["message"].(string)
	if !okCode {
		code = "error"
	}
	if !okMessage {
		message = string(obj)
	}
	return RunStep{kind: runFailed, statusCode: statusCode, code: code, message: message, errObject: obj}
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
	case runFailed:
		return failed
	}
	return running
}

// ScriptAPI sets the steps of the runs of the API apiName that start from
// now on, in every project: runs of project.run, queue items and the APIs of
// job runs. A run copies its API's script when it starts (when a job is
// triggered, for a job run). A script of ScriptRun or ScriptRunWhere that
// matches the run comes first.
func (s *Server) ScriptAPI(apiName string, steps ...RunStep) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apiScripts.set(apiName, steps)
}

// An APIRun is an API run as it starts, as ScriptRunWhere sees it: a run of
// project.run, an item of a queue, or one API of a job run.
type APIRun struct {
	Project string // the project's name
	API     string // the API's name
	// Parameters are the run's parameters as the request sent them (an
	// sdk.ParametersRaw holding a JSON object or array); nil if none.
	Parameters sdk.Parameters
	Queue      string // the queue's ID, for a queue item; "" otherwise
	Job        string // the job's ID, for an API of a job run; "" otherwise
}

// Parameter returns the member name of the run's parameters, decoded as
// encoding/json decodes into an any (a string, float64, bool, nil, []any or
// map[string]any); nil when the parameters are not an object or lack it.
func (r APIRun) Parameter(name string) any {
	v, _ := jsonValue(r.Parameters)
	members, _ := v.(map[string]any)
	return members[name]
}

// ScriptRunWhere sets the steps of the API runs that start from now on and
// that match reports true for: runs of project.run, queue items and the APIs
// of job runs, in every project. It lets one input of many go its own way,
// such as the one item of 200 that fails.
//
// A run's script is chosen when it starts (when a job is triggered, for a
// job run), the most specific first:
//
//  1. the most recent ScriptRunWhere or ScriptRun that matches it;
//  2. else the script of its API (ScriptAPI);
//  3. else the default script (DefaultAPIScript).
//
// A later ScriptAPI of the same API does not replace a ScriptRunWhere:
// matches are kept for the life of the server. match is called with the
// server's lock held, one run at a time: it must not call the Server's
// methods.
func (s *Server) ScriptRunWhere(match func(APIRun) bool, steps ...RunStep) {
	if match == nil {
		panic("intunedtest: ScriptRunWhere: match is nil")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runScripts = append(s.runScripts, runScript{match: match, steps: slices.Clone(steps)})
}

// ScriptRun sets the steps of the runs of the API apiName whose parameters
// are parameters, that start from now on: ScriptRunWhere with a match of
// the API's name and of its parameters as JSON values (the order of
// members, white space and the form of numbers aside). nil parameters match
// a run sent without any. It panics if parameters do not encode.
func (s *Server) ScriptRun(apiName string, parameters sdk.Parameters, steps ...RunStep) {
	want, err := jsonValue(parameters)
	if err != nil {
		panic("intunedtest: ScriptRun: " + err.Error())
	}
	s.ScriptRunWhere(func(r APIRun) bool {
		if r.API != apiName {
			return false
		}
		got, err := jsonValue(r.Parameters)
		return err == nil && reflect.DeepEqual(got, want)
	}, steps...)
}

// jsonValue decodes parameters into what encoding/json decodes into an any;
// nil parameters are nil.
func jsonValue(p sdk.Parameters) (any, error) {
	if p == nil {
		return nil, nil
	}
	raw, err := p.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var v any
	err = json.Unmarshal(raw, &v)
	return v, err
}

// runScript is the script of the runs match reports true for.
type runScript struct {
	match func(APIRun) bool
	steps []RunStep
}

// runScriptLocked returns a copy of the script of a run that starts: see
// ScriptRunWhere.
func (s *Server) runScriptLocked(r APIRun) []RunStep {
	for i := len(s.runScripts) - 1; i >= 0; i-- {
		if s.runScripts[i].match(r) {
			return slices.Clone(s.runScripts[i].steps)
		}
	}
	return s.apiScripts.of(r.API)
}

// DefaultAPIScript sets the steps of the runs whose API has no script of its
// own. It is Queued(1), Running(1) until set: a queue item is queued once,
// then pending once; a run is pending once; then they complete with status
// code 200 and the result {"api": <name>, "parameters": <parameters>}.
func (s *Server) DefaultAPIScript(steps ...RunStep) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apiScripts.setDefault(steps)
}

// apiRun is the state of one scripted API run.
type apiRun struct {
	id     string
	api    string         // the API's name
	params sdk.Parameters // its parameters, nil if none
	steps  []RunStep
	final  RunStep // shown after the last step
	pos    int     // current step
	polled int     // looks at the current Queued or Running step
	ended  outcome // for job runs and runs with a sink: how the run ended, once it has
}

// newRunLocked starts a run with its script.
func (s *Server) newRunLocked(r APIRun) *apiRun {
	return &apiRun{id: s.newIDLocked(), api: r.API, params: r.Parameters, steps: s.runScriptLocked(r), final: defaultCompletion(r.API, r.Parameters)}
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

// look is how a call looks at a scripted run or extraction, one step at a
// time or to its end.
type look int

const (
	lookPoll look = iota // a result call (or a job run's look): Queued steps are skipped
	lookItem             // a queue item's result call: Queued steps show
	lookSync             // a sync call: to the end at once
)

// next returns the step the look shows, and moves the run on: for a sync
// look, to the first step that ends the run, or a RawResult.
func (r *apiRun) next(how look) RunStep {
	for r.pos < len(r.steps) {
		st := r.steps[r.pos]
		switch st.kind {
		case runQueued, runRunning:
			if how == lookSync || st.kind == runQueued && how != lookItem || r.polled >= st.n {
				r.advance()
				continue
			}
			r.polled++
		case runRaw:
			r.advance()
		}
		return st
	}
	return r.final
}

// finish walks the run to the step that ends it, as the service runs a
// run whose result goes to a sink, with nobody looking: its Queued and
// Running steps pass, its RawResult steps (answers, not states) are
// skipped. Later looks show the step it ended with.
func (r *apiRun) finish() RunStep {
	for {
		if st := r.next(lookSync); st.ends() != running {
			r.ended = st.ends()
			return st
		}
	}
}

// runAnswer is what project.run.result (or .sync) answers for a run showing
// st: an sdk.RunResult, or a rawResult.
func runAnswer(runID string, st RunStep) any {
	switch st.kind {
	case runCompleted:
		return sdk.RunCompleted{RunID: runID, StatusCode: st.statusCode, Result: sdk.RawJSON(st.result)}
	case runFailed:
		return sdk.RunFailed{RunID: runID, StatusCode: st.statusCode, Error: st.code, Message: st.message}
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
	run := s.newRunLocked(APIRun{Project: project, API: req.API, Parameters: req.Parameters})
	s.runs[run.id] = &projectRun{apiRun: run, project: project}
	return ok(then(run))
}

func (s *Server) projectRunStart(r *http.Request, body []byte) answer {
	return s.startRun(r, body, func(run *apiRun) any { return sdk.RunPending{RunID: run.id} })
}

func (s *Server) projectRunSync(r *http.Request, body []byte) answer {
	return s.startRun(r, body, func(run *apiRun) any { return runAnswer(run.id, run.next(lookSync)) })
}

func (s *Server) projectRunResult(r *http.Request, _ []byte) answer {
	project, id := r.PathValue("projectName"), r.PathValue("runId")
	s.mu.Lock()
	defer s.mu.Unlock()
	run, found := s.runs[id]
	if !found || run.project != project {
		return errorAnswer(notFound("run %q not found in project %q", id, project))
	}
	return ok(runAnswer(id, run.next(lookPoll)))
}
