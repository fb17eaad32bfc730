package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Op is an operation of the spec.
type Op struct {
	ID         string // the operationId
	Var        string // the Go variable of its table entry: opUpdateAuthSessionStart
	Name       string // x-sdk-name: project.authSessions.update.start
	Func       string // the standalone function: ProjectAuthSessionsUpdateStart
	Method     string // the service method: Start
	Service    *Service
	HTTPMethod string
	Path       string
	Literals   []string // Path split around the parameters
	Params     []*Param // the path parameters, in order, the workspace first
	Success    int
	Idempotent bool
	// IdempotentWhen is the body member (x-idempotent-when) whose presence
	// makes an operation that is not idempotent idempotent: a create that
	// names the ID of what it creates (a repeat answers 409).
	IdempotentWhen *Field
	// AttemptTimeout is the operation's own default bound on an attempt
	// (x-sdk-attempt-timeout, a Go duration), "" for DefaultAttemptTimeout:
	// a call that holds the connection while it works (run.sync) needs
	// longer.
	AttemptTimeout string
	Body           *Type // nil: no request body
	Result         *Type // nil: no answer body
	Summary        string
	Doc            []string
	// longRunning is the x-sdk-long-running mark of a start call (see
	// lro.go), nil for other calls.
	longRunning map[string]any
}

// Param is a path parameter.
type Param struct {
	JSON  string // workspaceId
	Go    string // the Go argument: operationID
	Label string // in error texts: "operation ID"
}

// LongRunning reports whether the operation starts a long-running one
// (x-sdk-long-running).
func (o *Op) LongRunning() bool { return o.longRunning != nil }

// Args are the parameters the caller passes: all but the workspace, which
// is a client setting.
func (o *Op) Args() []*Param { return o.Params[1:] }

// Service is a node of the service tree: client.Project.AuthSessions.Update.
type Service struct {
	Path     []string // Go names from the root: Project, AuthSessions, Update
	Type     string   // ProjectAuthSessionsUpdateService
	Summary  string   // what its calls do: "manage the update of auth sessions"
	Doc      []string
	Children []*Service
	Ops      []*Op
}

// Field is the service's field in its parent: Update.
func (s *Service) Field() string { return s.Path[len(s.Path)-1] }

// Access is how the client reaches the service: Project.AuthSessions.Update.
func (s *Service) Access() string { return strings.Join(s.Path, ".") }

func (b *builder) operations() ([]*Op, error) {
	var ops []*Op
	for path, item := range b.doc.Paths.Map() {
		for method, o := range item.Operations() {
			op, err := b.operation(path, method, item, o)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
			ops = append(ops, op)
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].ID < ops[j].ID })
	// x-idempotent-when gives the body model a method: another operation
	// with the same body would inherit it.
	for _, a := range ops {
		for _, b := range ops {
			if a != b && a.IdempotentWhen != nil && b.Body != nil && b.Body.Model == a.Body.Model && (b.IdempotentWhen == nil || b.IdempotentWhen != a.IdempotentWhen) {
				return nil, fmt.Errorf("%s and %s share the body %s, but not its x-idempotent-when", a.ID, b.ID, a.Body.Name)
			}
		}
	}
	return ops, nil
}

func (b *builder) operation(path, method string, item *openapi3.PathItem, o *openapi3.Operation) (*Op, error) {
	name := ext(o.Extensions, "x-sdk-name")
	if name == "" {
		return nil, fmt.Errorf("%s has no x-sdk-name", o.OperationID)
	}
	op := &Op{ID: o.OperationID, Var: "op" + exported(o.OperationID), Name: name, HTTPMethod: method, Path: path, Summary: o.Summary}
	if v, ok := o.Extensions["x-sdk-long-running"]; ok {
		if op.longRunning, _ = v.(map[string]any); op.longRunning == nil {
			return nil, fmt.Errorf("x-sdk-long-running is not an object")
		}
	}
	for _, seg := range strings.Split(name, ".") {
		op.Func += exported(seg)
	}
	segs := strings.Split(name, ".")
	op.Method = exported(segs[len(segs)-1])

	switch v := o.Extensions["x-idempotent"].(type) {
	case bool:
		op.Idempotent = v
	case nil:
		if method == "POST" || method == "PATCH" {
			return nil, fmt.Errorf("%s: a %s must say whether it is idempotent (x-idempotent)", o.OperationID, method)
		}
		op.Idempotent = true
	default:
		return nil, fmt.Errorf("%s: x-idempotent is not a boolean", o.OperationID)
	}

	params := map[string]*openapi3.Parameter{}
	for _, p := range append(item.Parameters, o.Parameters...) {
		params[p.Value.Name] = p.Value
	}
	rest := path
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			op.Literals = append(op.Literals, rest)
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("unbalanced braces")
		}
		op.Literals = append(op.Literals, rest[:i])
		pname := rest[i+1 : i+j]
		p := params[pname]
		if p == nil || p.In != "path" {
			return nil, fmt.Errorf("path parameter %s is not declared", pname)
		}
		lbl := ext(p.Extensions, "x-sdk-label")
		if lbl == "" {
			lbl = label(pname)
		}
		op.Params = append(op.Params, &Param{JSON: pname, Go: unexported(pname), Label: lbl})
		rest = rest[i+j+1:]
	}
	if len(op.Params) == 0 || op.Params[0].JSON != "workspaceId" {
		return nil, fmt.Errorf("the first path parameter is not workspaceId")
	}

	if rb := o.RequestBody; rb != nil {
		mt := rb.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil {
			return nil, fmt.Errorf("the request body is not JSON")
		}
		t, err := b.resolve(mt.Schema, exported(o.OperationID)+"Request", nil)
		if err != nil {
			return nil, err
		}
		if t.Kind != KStruct {
			return nil, fmt.Errorf("the request body is not an object model")
		}
		op.Body = t
		markRequests(t)
	}
	var timeoutNote string
	if d := ext(o.Extensions, "x-sdk-attempt-timeout"); d != "" {
		v, err := time.ParseDuration(d)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("x-sdk-attempt-timeout %q is not a positive Go duration", d)
		}
		op.AttemptTimeout = fmt.Sprintf("%d * time.Millisecond", int64(v/time.Millisecond))
		if v%time.Millisecond != 0 {
			op.AttemptTimeout = fmt.Sprintf("time.Duration(%d)", int64(v))
		}
		timeoutNote = fmt.Sprintf("Unless the context has a deadline or WithTimeout says otherwise, an attempt may take up to %v, not DefaultAttemptTimeout.", d)
	}
	if when := ext(o.Extensions, "x-idempotent-when"); when != "" {
		if op.Body == nil || op.Idempotent {
			return nil, fmt.Errorf("x-idempotent-when needs a request body and x-idempotent: false")
		}
		for _, f := range op.Body.Model.Fields {
			if f.JSON == when {
				op.IdempotentWhen = f
			}
		}
		if op.IdempotentWhen == nil {
			return nil, fmt.Errorf("x-idempotent-when: the request body has no member %q", when)
		}
	}
	code, resp := successStatus(o)
	if code == 0 {
		return nil, fmt.Errorf("no success response")
	}
	op.Success = code
	if mt := resp.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
		t, err := b.resolve(mt.Schema, exported(o.OperationID)+"Response", nil)
		if err != nil {
			return nil, err
		}
		op.Result = t
	}
	d := strings.TrimSpace(o.Description)
	if d == "" {
		d = o.Summary
	}
	op.Doc = []string{op.Method + " calls " + name + ": " + lowerFirst(strings.TrimSuffix(d, ".")) + "."}
	op.Doc = append(op.Doc, "", fmt.Sprintf("It sends %s %s and expects %d.", method, path, code))
	switch {
	case op.IdempotentWhen != nil:
		op.Doc = append(op.Doc, fmt.Sprintf("Without %s, sending it twice can act twice, so it is then retried only where the server cannot have acted on it (see RetryConfig); with %s it is retried like any idempotent call.", op.IdempotentWhen.Name, op.IdempotentWhen.Name))
	case !op.Idempotent:
		op.Doc = append(op.Doc, "Sending it twice can act twice, so it is retried only where the server cannot have acted on it (see RetryConfig).")
	}
	if timeoutNote != "" {
		op.Doc = append(op.Doc, timeoutNote)
	}
	return op, nil
}

// services builds the service tree from the operations' x-sdk-names; the
// tags of the spec document the services.
func services(ops []*Op, doc *openapi3.T) []*Service {
	tags := map[string]string{}
	for _, t := range doc.Tags {
		tags[t.Name] = t.Description
	}
	byName := map[string]*Service{}
	var get func(segs []string) *Service
	get = func(segs []string) *Service {
		key := strings.Join(segs, ".")
		if s := byName[key]; s != nil {
			return s
		}
		s := &Service{}
		for _, seg := range segs {
			s.Path = append(s.Path, exported(seg))
		}
		s.Type = strings.Join(s.Path, "") + "Service"
		d := tags[key]
		if d == "" {
			d = "work on " + key
		}
		s.Summary = lowerFirst(strings.TrimSuffix(d, "."))
		s.Doc = []string{s.Type + " holds the calls that " + s.Summary + " (" + key + " in the reference client)."}
		byName[key] = s
		if len(segs) > 1 {
			parent := get(segs[:len(segs)-1])
			parent.Children = append(parent.Children, s)
		}
		return s
	}
	for _, op := range ops {
		segs := strings.Split(op.Name, ".")
		op.Service = get(segs[:len(segs)-1])
		op.Service.Ops = append(op.Service.Ops, op)
	}
	var out []*Service
	for _, s := range byName {
		sort.Slice(s.Children, func(i, j int) bool { return s.Children[i].Type < s.Children[j].Type })
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}

// Roots are the services directly under the client.
func (a *API) Roots() []*Service {
	var out []*Service
	for _, s := range a.Services {
		if len(s.Path) == 1 {
			out = append(out, s)
		}
	}
	return out
}
