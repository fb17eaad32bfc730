package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	yaml "go.yaml.in/yaml/v3"
)

// UsesTime reports whether a model has a date-time member (models.gen.go
// then imports time).
func (a *API) UsesTime() bool {
	for _, m := range a.Models {
		for _, f := range m.Fields {
			if f.Type.Kind == KTime || f.Type.Elem != nil && f.Type.Elem.Kind == KTime {
				return true
			}
		}
	}
	return false
}

// UsesAttemptTimeout reports whether an operation has its own attempt
// timeout (operations.gen.go then imports time).
func (a *API) UsesAttemptTimeout() bool {
	for _, o := range a.Ops {
		if o.AttemptTimeout != "" {
			return true
		}
	}
	return false
}

// Patterns lists the request members with a pattern, for their compiled
// regular expressions.
func (a *API) Patterns() []PatternVar {
	var out []PatternVar
	for _, m := range a.Models {
		if !m.Request {
			continue
		}
		if m.Checked() && m.Pattern != "" {
			out = append(out, PatternVar{Var: m.PatternVar(), Pattern: m.Pattern, Where: m.Name})
		}
		for _, f := range m.Fields {
			if f.Pattern != "" {
				out = append(out, PatternVar{Var: f.PatternVar(m), Pattern: f.Pattern, Where: m.Name + "." + f.Name})
			}
		}
	}
	return out
}

// PatternVar is a compiled pattern of the spec.
type PatternVar struct{ Var, Pattern, Where string }

// API is what the templates render: the spec turned into Go terms.
type API struct {
	ServerURL string
	Models    []*Model   // in the order of the spec
	Lists     []*Type    // list types that need a decoder of their own
	Ops       []*Op      // by operationId
	Services  []*Service // by name, the root first
	Families  []*Family  // the long-running operations, by prefix
}

// load reads the spec and turns it into an API.
func load(path string) (*API, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("%s is not valid: %w", path, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	b := &builder{doc: doc, yaml: &root, types: map[string]*Type{}, lists: map[string]*Type{}, discTypes: map[string]bool{}}
	if len(doc.Servers) == 0 {
		return nil, fmt.Errorf("%s has no server", path)
	}
	api := &API{ServerURL: strings.TrimRight(doc.Servers[0].URL, "/")}
	if err := b.models(); err != nil {
		return nil, err
	}
	api.Models = b.out
	if api.Ops, err = b.operations(); err != nil {
		return nil, err
	}
	if err := checkRequests(api.Models); err != nil {
		return nil, err
	}
	subjects := map[string]string{}
	for _, t := range doc.Tags {
		if v := ext(t.Extensions, "x-sdk-subject"); v != "" {
			subjects[t.Name] = v
		}
	}
	if len(subjects) > 0 { // a spec that names subjects follows the rule (openapi.yaml must: gen_test)
		if err := checkNames(api.Ops, api.Models, subjects); err != nil {
			return nil, err
		}
	}
	api.Services = services(api.Ops, doc)
	if api.Families, err = families(api.Ops); err != nil {
		return nil, err
	}
	for _, l := range b.lists {
		api.Lists = append(api.Lists, l)
	}
	sort.Slice(api.Lists, func(i, j int) bool { return api.Lists[i].Decoder() < api.Lists[j].Decoder() })
	return api, nil
}

// checkRequests refuses a request model with a constraint the generated
// checks do not make, or with checks on a member of a type they cannot be
// made on: the spec must not promise what the SDK does not do.
func checkRequests(models []*Model) error {
	for _, m := range models {
		if !m.Request {
			continue
		}
		for _, f := range m.Fields {
			switch {
			case len(f.Unsupported) > 0:
				return fmt.Errorf("%s.%s: the generator does not check %s", m.Name, f.JSON, strings.Join(f.Unsupported, ", "))
			case f.MinItems > 0 && f.Type.Kind != KList:
				return fmt.Errorf("%s.%s: minItems on a member that is not a list", m.Name, f.JSON)
			case f.MinDuration > 0 && (f.Type.Kind != KNamed || f.Type.Name != "Duration" || f.Pointer()):
				return fmt.Errorf("%s.%s: x-sdk-min-duration needs a required Duration member", m.Name, f.JSON)
			}
		}
	}
	return nil
}

// builder turns schemas into Go types.
type builder struct {
	doc   *openapi3.T
	yaml  *yaml.Node
	types map[string]*Type // by component name
	lists map[string]*Type // list types, by decoder name
	out   []*Model
	// discTypes are the discriminator types generated for a union (not
	// declared as components), which no other union may name.
	discTypes map[string]bool
}

// componentOrder lists the component schemas in the order the spec writes
// them (kin-openapi keeps them in a map).
func (b *builder) componentOrder() []string {
	return keysAt(b.yaml, "components", "schemas")
}

// nodeAt returns the YAML node at path, or nil.
func nodeAt(n *yaml.Node, path ...string) *yaml.Node {
	if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	for _, p := range path {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == p {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

// exampleAt renders the example at path in the YAML document as compact
// JSON with its members in the order the spec writes them (the order they
// travel in), or "" if there is none.
func exampleAt(root *yaml.Node, path ...string) string {
	n := nodeAt(root, path...)
	if n == nil {
		return ""
	}
	var b strings.Builder
	if err := writeJSON(&b, n); err != nil {
		return ""
	}
	return b.String()
}

// writeJSON writes a YAML node as JSON, keeping the order of mappings.
func writeJSON(b *strings.Builder, n *yaml.Node) error {
	switch n.Kind {
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(n.Content[i].Value)
			b.Write(k)
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, c); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return err
		}
		out, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b.Write(out)
	default:
		return fmt.Errorf("unsupported YAML node kind %d in an example", n.Kind)
	}
	return nil
}

// keysAt returns the keys of the mapping at path in the YAML document, in
// document order.
func keysAt(n *yaml.Node, path ...string) []string {
	n = nodeAt(n, path...)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var keys []string
	for i := 0; i < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i].Value)
	}
	return keys
}

func ext(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func extStrings(m map[string]any, key string) []string {
	raw, ok := m[key].([]any)
	if !ok {
		return nil
	}
	var out []string
	for _, v := range raw {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

// example renders a schema's example as compact JSON for a doc comment.
func example(v any) string {
	if v == nil {
		return ""
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSpace(buf.String())
}

// successStatus returns the lowest 2xx of an operation's responses.
func successStatus(op *openapi3.Operation) (int, *openapi3.ResponseRef) {
	best := 0
	var ref *openapi3.ResponseRef
	for code, r := range op.Responses.Map() {
		if n, err := strconv.Atoi(code); err == nil && n >= 200 && n < 300 && (best == 0 || n < best) {
			best, ref = n, r
		}
	}
	return best, ref
}
