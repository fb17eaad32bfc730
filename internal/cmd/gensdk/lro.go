package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Family is a long-running operation: a start call marked with
// x-sdk-long-running, the result call that reads its state, and, for auth
// sessions, the resume call that answers its info requests. The generator
// writes its kind (what the SDK's generic handle knows of it), its
// Operation, and its <Verb>AndWait and <Verb>AndWaitAll (longrunning.gen.go).
type Family struct {
	Start  *Op
	Result *Op
	Resume *Op // nil: no info requests
	// Prefix names the family's functions: ProjectRun (ProjectRunOperation,
	// ProjectRunStartAndWait).
	Prefix string
	Kind   string // the Go variable of its kind: projectRunKind
	Noun   string // what it is, for the doc comments: "run"
	What   string // what its <Verb>AndWait does, for its doc: "runs an API of the project"
	State  *Model // the result's union
	ID     *Field // the member of the start's answer holding the ID
	Done   []*Variant
	Failed *Variant
	// Failure is the OperationFailedError fields of a failed state, each a
	// Go expression over r, the failed variant.
	Failure []FailureField
	// AuthSessionID is the member of a done state naming its auth session
	// (auth sessions only).
	AuthSessionID *Field
	// RequestAuthSession is the member of the start's request naming the
	// auth session (auth sessions only).
	RequestAuthSession *Field
}

// FailureField is one field of an OperationFailedError set from a failed
// state.
type FailureField struct{ Name, Expr string }

// DoneType is the Go type a StartAndWait returns a done state as.
func (f *Family) DoneType() string { return f.Done[0].Type.Name }

// Verb is the start's method: Start, Append.
func (f *Family) Verb() string { return f.Start.Method }

// Unknown is the union's variant for a status the SDK does not know.
func (f *Family) Unknown() string { return f.State.Name + "Unknown" }

// DecodesResult reports whether the done state has a raw result member
// (result), which gets a DecodeResult method.
func (f *Family) DecodesResult() bool {
	for _, fl := range f.Done[0].Type.Model.Fields {
		if fl.JSON == "result" && fl.Type.Kind == KRaw {
			return true
		}
	}
	return false
}

// families resolves the x-sdk-long-running marks of the start calls.
func families(ops []*Op) ([]*Family, error) {
	byID := map[string]*Op{}
	for _, o := range ops {
		byID[o.ID] = o
	}
	var out []*Family
	for _, o := range ops {
		if o.longRunning == nil {
			continue
		}
		f, err := family(o, o.longRunning, byID)
		if err != nil {
			return nil, fmt.Errorf("%s: x-sdk-long-running: %w", o.ID, err)
		}
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Prefix < out[j].Prefix })
	return out, nil
}

func family(start *Op, m map[string]any, byID map[string]*Op) (*Family, error) {
	str := func(key string) string { s, _ := m[key].(string); return s }
	f := &Family{Start: start, Noun: str("noun"), What: str("what"), Result: byID[str("result")]}
	f.Prefix = strings.TrimSuffix(start.Service.Type, "Service")
	f.Kind = unexported(f.Prefix) + "Kind"
	switch {
	case f.Noun == "" || f.What == "":
		return nil, fmt.Errorf("no noun or what")
	case f.Result == nil || f.Result.Result == nil || f.Result.Result.Model == nil || f.Result.Result.Model.Type.Kind != KUnion:
		return nil, fmt.Errorf("result %q is not an operation answering a union", str("result"))
	case start.Body == nil || start.Result == nil || start.Result.Model == nil:
		return nil, fmt.Errorf("a start takes a request body and answers a model")
	}
	if r := str("resume"); r != "" {
		if f.Resume = byID[r]; f.Resume == nil {
			return nil, fmt.Errorf("no resume operation %q", r)
		}
	}
	// The handle's path values are the start's and the ID.
	if len(f.Result.Params) != len(start.Params)+1 {
		return nil, fmt.Errorf("the result call's path must be the start's and the ID")
	}
	f.State = f.Result.Result.Model
	if f.ID = member(start.Result.Model, str("id")); f.ID == nil || f.ID.Type.Kind != KString || f.ID.Pointer() {
		return nil, fmt.Errorf("the start's answer has no required string member %q", str("id"))
	}
	variant := func(status string) *Variant {
		for _, v := range f.State.Variants {
			if v.Value == status {
				return v
			}
		}
		return nil
	}
	done, _ := m["done"].([]any)
	for _, d := range done {
		s, _ := d.(string)
		v := variant(s)
		if v == nil {
			return nil, fmt.Errorf("%s has no status %q", f.State.Name, s)
		}
		f.Done = append(f.Done, v)
	}
	if len(f.Done) == 0 {
		return nil, fmt.Errorf("no done status")
	}
	if f.Failed = variant(str("failed")); f.Failed == nil {
		return nil, fmt.Errorf("%s has no status %q", f.State.Name, str("failed"))
	}
	failure, _ := m["failure"].(map[string]any)
	names := []string{"Code", "Message", "StatusCode", "Details"}
	for key := range failure {
		if !slices.Contains(names, exported(key)) {
			return nil, fmt.Errorf("failure: no OperationFailedError field %q", key)
		}
	}
	for _, name := range names {
		path, _ := failure[unexported(name)].(string)
		if path == "" {
			continue
		}
		expr, err := failureExpr(f.Failed.Type.Model, name, path)
		if err != nil {
			return nil, fmt.Errorf("failure.%s: %w", unexported(name), err)
		}
		f.Failure = append(f.Failure, FailureField{Name: name, Expr: expr})
	}
	if a := str("authSessionId"); a != "" {
		if f.AuthSessionID = member(f.Done[0].Type.Model, a); f.AuthSessionID == nil {
			return nil, fmt.Errorf("%s has no member %q", f.Done[0].Type.Name, a)
		}
		if f.RequestAuthSession = member(start.Body.Model, str("requestAuthSessionId")); f.RequestAuthSession == nil {
			return nil, fmt.Errorf("%s has no member %q", start.Body.Name, str("requestAuthSessionId"))
		}
	}
	if (f.Resume == nil) != (f.AuthSessionID == nil) {
		return nil, fmt.Errorf("resume and authSessionId go together (auth sessions)")
	}
	return f, nil
}

// failureExpr is the Go expression of an OperationFailedError field name
// read from the failed variant's member path: a member (error), or a string
// member of a raw object member (error.code).
func failureExpr(failed *Model, name, path string) (string, error) {
	head, sub, nested := strings.Cut(path, ".")
	fl := member(failed, head)
	switch {
	case fl == nil:
		return "", fmt.Errorf("%s has no member %q", failed.Name, head)
	case nested && fl.Type.Kind == KRaw && (name == "Code" || name == "Message"):
		return fmt.Sprintf("peekString(r.%s, %q)", fl.Name, sub), nil
	case nested:
		return "", fmt.Errorf("%q: only a string in a raw object member can be reached", path)
	case name == "Details" && fl.Type.Kind == KRaw,
		(name == "Code" || name == "Message") && fl.Type.Kind == KString && !fl.Pointer(),
		name == "StatusCode" && fl.Type.Kind == KInt && !fl.Pointer():
		return "r." + fl.Name, nil
	}
	return "", fmt.Errorf("member %q does not fit OperationFailedError.%s", path, name)
}

// member is the member of m whose JSON name is name.
func member(m *Model, name string) *Field {
	for _, f := range m.Fields {
		if f.JSON == name {
			return f
		}
	}
	return nil
}

// Handle is the Go type of a handle on the family's operations.
func (f *Family) Handle() string {
	if f.Resume != nil {
		return "*AuthSessionOperation"
	}
	return "*Operation[" + f.State.Name + "]"
}

// Value is what the family's <Verb>AndWait returns: the done state, or
// the ready auth session's ID.
func (f *Family) Value() string {
	if f.Resume != nil {
		return "string"
	}
	return f.DoneType()
}

// StartFunc is the unexported function that starts one: startProjectRun.
func (f *Family) StartFunc() string { return "start" + f.Prefix }

// WaitName names <Verb>AndWait in errors: project.run.startAndWait.
func (f *Family) WaitName() string {
	i := strings.LastIndexByte(f.Start.Name, '.')
	return f.Start.Name[:i+1] + unexported(f.Verb()) + "AndWait"
}

// IDArg is the handle's ID argument: runID.
func (f *Family) IDArg() string { return f.Result.Params[len(f.Result.Params)-1].Go }

// OwnerArg is the handle's other arguments, for its doc: "projectName" or
// "queueID of projectName"; "" for none.
func (f *Family) OwnerArg() string {
	args := f.Start.Args()
	var names []string
	for i := len(args) - 1; i >= 0; i-- {
		names = append(names, args[i].Go)
	}
	return strings.Join(names, " of ")
}

// FailureDoc says what the OperationFailedError of a failed state holds.
func (f *Family) FailureDoc() string {
	var parts []string
	for _, fl := range f.Failure {
		switch fl.Name {
		case "Code":
			parts = append(parts, "its error code")
		case "Message":
			parts = append(parts, "message")
		case "StatusCode":
			parts = append(parts, "status code")
		case "Details":
			parts = append(parts, "its error object in Details")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if n := len(parts); n > 1 {
		parts[n-2] += " and " + parts[n-1]
		parts = parts[:n-1]
	}
	return " with " + strings.Join(parts, ", ")
}

// The doc comments of a family's declarations, one paragraph each.

// KindDoc documents the kind.
func (f *Family) KindDoc() string {
	var done []string
	for _, d := range f.Done {
		done = append(done, d.Value)
	}
	return fmt.Sprintf("%s is %s, whose state %s reads: %s ends a wait, %s fails it, and a status the SDK does not know is an error.",
		f.Kind, f.Start.Name, f.Result.Name, strings.Join(done, " or "), f.Failed.Value)
}

// OperationDoc documents the Operation method.
func (f *Family) OperationDoc() string {
	of := ""
	if o := f.OwnerArg(); o != "" {
		of = " of " + o
	}
	s := fmt.Sprintf("Operation returns a handle on the %s %s%s, for instance one another process started. Nothing is sent until it is used: Poll reads its state once, Wait ", f.Noun, f.IDArg(), of)
	if f.Resume != nil {
		return s + "until it needs nothing more from the SDK. The handle knows the operation's ID alone: the InfoRequests and WaitEvents of its waits have an empty AuthSessionID, until the done state names the auth session."
	}
	return s + fmt.Sprintf("until it has finished (%s, or an *OperationFailedError).", article(f.DoneType()))
}

// AndWaitDoc documents <Verb>AndWait.
func (f *Family) AndWaitDoc() string {
	s := fmt.Sprintf("%sAndWait %s as a long-running operation: it sends %s, polls %s until the %s ", f.Verb(), f.What, f.Start.Name, f.Result.Name, f.Noun)
	if f.Resume != nil {
		s += "is done, passes every info request to handler and resumes with its answer, and returns the ID of the ready auth session."
	} else {
		s += fmt.Sprintf("has finished, and returns the completed %s.", f.Noun)
	}
	s += fmt.Sprintf(" A failed %s returns an *OperationFailedError%s. Any error after the start is wrapped in an *OperationError naming the wait (%s) and holding the operation's ID, to pick it up later (Operation). The start is sent again only where the server cannot have acted on it (see PollConfig.MaxTransientErrors).", f.Noun, f.FailureDoc(), f.WaitName())
	if f.Resume != nil {
		return s + " A nil handler stands for the client's WithInfoHandler, and is refused without one. opts are those of auth-session waits but WithInfoHandler, of waits and of every call (see Options in the package documentation); they apply to every call the wait makes."
	}
	return s + " opts are those of waits and of every call (see Options in the package documentation); they apply to every call the wait makes."
}

// AndWaitAllDoc documents <Verb>AndWaitAll.
func (f *Family) AndWaitAllDoc() string {
	s := fmt.Sprintf("%sAndWaitAll is %sAndWait for many at once: it %ss each of reqs and waits on them all in one batch (see WaitAll for how it schedules), yielding each one's Outcome as it ends", f.Verb(), f.Verb(), strings.ToLower(f.Verb()))
	if f.Resume != nil {
		s += fmt.Sprintf(", its Value the ready auth session's ID. Info requests go to handler as %sAndWait's do, each in a goroutine of its own so that a slow answer holds back no other; handler must be safe for concurrent use. Each InfoRequest says which flow asks (its AuthSessionID, Index and OperationID)", f.Verb())
	}
	return s + fmt.Sprintf(". Its errors name the wait %sAll. reqs must not change until the loop ends.", f.WaitName())
}
