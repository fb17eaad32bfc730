package main

import (
	"bytes"
	"embed"
	"fmt"
	"go/format"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"comment":     comment,
	"wrap":        func(text string) string { return comment([]string{text}, "") },
	"quote":       func(s string) string { return fmt.Sprintf("%q", s) },
	"gostrings":   func(ss []string) string { return fmt.Sprintf("%#v", ss) },
	"wireType":    wireType,
	"decodeField": decodeField,
	"checkField":  checkField,
	"results":     results,
	"labels":      labels,
	"params": func(o *Op) string {
		var ps []string
		for _, p := range o.Params {
			ps = append(ps, p.JSON)
		}
		return fmt.Sprintf("%#v", ps)
	},
	"args":        args,
	"nullable":    nullable,
	"discReturn":  discReturn,
	"unionWire":   unionWire,
	"unionField":  unionField,
	"wireName":    wireName,
	"soleOfKind":  soleOfKind,
	"markerField": markerField,
	"markerCase":  markerCase,
	"a":           article,
}).ParseFS(templateFS, "templates/*.tmpl"))

// render executes the template name.tmpl over api and formats the result.
func render(name string, api *API) ([]byte, error) {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name+".tmpl", api); err != nil {
		return nil, err
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting: %w\n%s", err, numbered(b.String()))
	}
	return src, nil
}

func numbered(s string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = fmt.Sprintf("%4d %s", i+1, lines[i])
	}
	return strings.Join(lines, "\n")
}

// comment renders doc lines as a Go comment at indent, wrapping long lines.
func comment(lines []string, indent string) string {
	var b strings.Builder
	for _, l := range lines {
		if l == "" || strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "  -") {
			b.WriteString(strings.TrimRight(indent+"// "+l, " ") + "\n")
			continue
		}
		col := 0
		b.WriteString(indent + "//")
		for _, w := range strings.Fields(l) {
			if col > 0 && col+1+len(w) > 76 {
				b.WriteString("\n" + indent + "//")
				col = 0
			}
			b.WriteString(" " + w)
			col += 1 + len(w)
		}
		b.WriteString("\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// onePass reports whether a member decodes in the wire struct itself, as a
// pointer (nil when absent or null).
func onePass(f *Field) bool {
	return (f.Const != "" || f.Type.Primitive()) && !(f.Required && f.Nullable)
}

// wireType is the member's type in the decoder's wire struct.
func wireType(f *Field) string {
	if !onePass(f) {
		return "json.RawMessage"
	}
	if f.Const != "" {
		return "*string"
	}
	return "*" + f.Type.Expr()
}

// decodeField is the statement that moves a member from the wire struct
// into the model, checking it.
func decodeField(f *Field) string { return decodeFieldFrom(f, "w."+f.Name, !onePass(f), "m") }

// decodeFieldFrom is decodeField from the wire member w, which is raw JSON
// when raw is set (else a pointer to the member's simple type); on an error
// the statement returns ret with it.
func decodeFieldFrom(f *Field, w string, raw bool, ret string) string {
	return strings.ReplaceAll(fieldStatement(f, w, raw), "return m, ", "return "+ret+", ")
}

func fieldStatement(f *Field, w string, raw bool) string {
	m, key := "m."+f.Name, fmt.Sprintf("%q", f.JSON)
	switch {
	case !raw && f.Required && f.MinLength > 0 && f.Type.Kind == KString:
		return fmt.Sprintf("if %s == nil {\n\t\treturn m, missing(p, %s)\n\t}\n\tif *%s == \"\" {\n\t\treturn m, empty(p, %s)\n\t}\n\t%s = *%s", w, key, w, key, m, w)
	case !raw && f.Required:
		return fmt.Sprintf("if %s == nil {\n\t\treturn m, missing(p, %s)\n\t}\n\t%s = *%s", w, key, m, w)
	case !raw && f.Pointer():
		return fmt.Sprintf("%s = %s", m, w)
	case !raw:
		return fmt.Sprintf("if %s != nil {\n\t\t%s = *%s\n\t}", w, m, w)
	case f.Type.Kind == KRaw && !f.Type.Object && f.Required:
		return fmt.Sprintf("if %s == nil {\n\t\treturn m, missing(p, %s)\n\t}\n\t%s = cloneRaw(%s)", w, key, m, w)
	case f.Type.Kind == KRaw && !f.Type.Object:
		return fmt.Sprintf("%s = cloneRaw(%s)", m, w)
	}
	fn := "decodeOptional"
	switch {
	case f.Required && !f.Nullable:
		fn = "decodeRequired"
	case f.Required && f.Pointer():
		fn = "decodeRequiredPtr"
	case f.Required:
		fn = "decodeRequiredNullable"
	case f.Pointer():
		fn = "decodeOptionalPtr"
	}
	dec := f.Type.Decoder()
	if f.Const != "" {
		dec = "decodeString"
	}
	return fmt.Sprintf("if err := %s(&%s, %s, p, %s, %s); err != nil {\n\t\treturn m, err\n\t}", fn, m, w, key, dec)
}

// WireField is a member of the wire struct of a discriminated union, which
// holds the members of every variant so that the union decodes in one pass.
type WireField struct {
	Name, JSON, Type string
}

// unionWire lists the members of a discriminated union's wire struct: every
// variant's members, by JSON name, as raw JSON where variants give one name
// different types.
func unionWire(u *Model) []*WireField {
	var out []*WireField
	byJSON := map[string]*WireField{}
	for _, v := range u.Variants {
		for _, f := range v.Type.Model.Fields {
			wt := wireType(f)
			switch {
			case simpleListInWire(f):
				wt = f.Type.Expr()
			case unionInWire(f):
				wt = "*" + wireName(f.Type.Model)
			}
			if wf := byJSON[f.JSON]; wf != nil {
				if wf.Type != wt {
					wf.Type = "json.RawMessage"
				}
				continue
			}
			wf := &WireField{Name: "M" + exported(f.JSON), JSON: f.JSON, Type: wt}
			byJSON[f.JSON] = wf
			out = append(out, wf)
		}
	}
	return out
}

// simpleListInWire reports whether a member decodes in a union's wire
// struct as the list it is (nil when absent or null).
func simpleListInWire(f *Field) bool {
	return f.Type.SimpleList() && !(f.Required && f.Nullable)
}

// soleOfKind reports whether v is the only variant of u that decodes from
// its JSON kind, and no variant takes any JSON: then a value of that kind
// that v rejects is an error, not an unknown variant.
func soleOfKind(u *Model, v *Variant) bool {
	for _, o := range u.Variants {
		k := o.Type.JSONKind()
		if o != v && (k == v.Type.JSONKind() || k == "any") {
			return false
		}
	}
	return true
}

// unionInWire reports whether a member is a discriminated union that
// decodes within its parent union's wire struct, as its own wire struct.
func unionInWire(f *Field) bool {
	return f.Type.Kind == KUnion && f.Type.Model.Disc != nil && !(f.Required && f.Nullable)
}

// wireName is the name of a discriminated union's wire struct.
func wireName(m *Model) string {
	return strings.ToLower(m.Name[:1]) + m.Name[1:] + "Wire"
}

// unionField is the statement that decodes a variant's member from the
// union's wire struct.
func unionField(u *Model, f *Field) string {
	for _, wf := range unionWire(u) {
		switch {
		case wf.JSON != f.JSON:
			continue
		case wf.Type == f.Type.Expr() && simpleListInWire(f) && f.Required:
			return fmt.Sprintf("if w.%s == nil {\n\t\treturn nil, missing(p, %q)\n\t}\n\tm.%s = w.%s", wf.Name, f.JSON, f.Name, wf.Name)
		case wf.Type == f.Type.Expr() && simpleListInWire(f):
			return fmt.Sprintf("m.%s = w.%s", f.Name, wf.Name)
		case unionInWire(f) && wf.Type == "*"+wireName(f.Type.Model):
			build := fmt.Sprintf("v, err := w.%s.build(field(p, %q))\n\t\tif err != nil {\n\t\t\treturn nil, err\n\t\t}\n\t\tm.%s = v", wf.Name, f.JSON, f.Name)
			if f.Required {
				return fmt.Sprintf("if w.%s == nil {\n\t\treturn nil, missing(p, %q)\n\t}\n\t{\n\t\t%s\n\t}", wf.Name, f.JSON, build)
			}
			return fmt.Sprintf("if w.%s != nil {\n\t\t%s\n\t}", wf.Name, build)
		}
		return decodeFieldFrom(f, "w."+wf.Name, wf.Type == "json.RawMessage", "nil")
	}
	panic("no wire member " + f.JSON)
}

// checkField is the statement that checks a member of a request model
// before it is sent ("" when there is nothing to check).
func checkField(m *Model, f *Field) string {
	key := fmt.Sprintf("%q", f.JSON)
	lbl := `""`
	if f.Label != f.JSON {
		lbl = fmt.Sprintf("%q", f.Label)
	}
	v := "m." + f.Name
	var checks []string
	call := func(format string, args ...any) {
		checks = append(checks, fmt.Sprintf("if err := "+format+"; err != nil {\n\t\treturn err\n\t}", args...))
	}
	switch {
	case f.Const != "", f.Type.Kind == KString, f.Type.Kind == KEnum:
		if f.Pointer() {
			v = "string(*" + v + ")"
		} else if f.Type.Kind == KEnum {
			v = "string(" + v + ")"
		}
		re := "nil"
		if f.Pattern != "" {
			re = f.PatternVar(m)
		}
		call("checkString(%s, p, %s, %s, %d, %s)", v, key, lbl, f.MinLength, re)
		if f.Base64 {
			call("checkBase64(%s, p, %s, %s)", v, key, lbl)
		}
	case f.Type.Kind == KStruct, f.Type.Kind == KNamed && f.Type.Model.Checked():
		call("%s.validate(field(p, %s))", v, key)
	case f.Type.Kind == KAnyMap:
		call("checkAnyJSON(%s, p, %s, %s)", v, key, lbl)
	case f.Type.Kind == KAny:
		call("checkJSONObject(%s, p, %s, %s, %v)", v, key, lbl, f.Required)
	case f.Type.Kind == KRaw && f.Type.Object:
		call("checkRawObject(%s, p, %s, %s, %v)", v, key, lbl, f.Required)
	case f.Type.Kind == KUnion, f.Type.Kind == KList, f.Type.Kind == KMap, f.Type.Kind == KCustom:
		if f.Required && f.Type.Nilable() {
			checks = append(checks, fmt.Sprintf("if %s == nil {\n\t\treturn missingArgument(p, %s, %s)\n\t}", v, key, lbl))
		}
		switch {
		case f.Type.Kind != KCustom:
			call("checkValue(%s, p, %s, %s)", v, key, lbl)
		case f.Type.Nilable(): // an interface written by hand (Parameters)
			call("checkNotNilPointer(%s, p, %s, %s)", v, key, lbl)
		}
	}
	if f.MinItems > 0 {
		call("checkListLength(len(%s), %s == nil, p, %s, %s, %d)", v, v, key, lbl, f.MinItems)
	}
	if f.ItemMinimum != nil {
		call("checkItemsAtLeast(%s, p, %s, %s, %d)", v, key, lbl, int64(*f.ItemMinimum))
	}
	if f.MinDuration > 0 {
		call("checkMinDuration(%s, p, %s, %s, %d)", v, key, lbl, int64(f.MinDuration))
	}
	stmt := strings.Join(checks, "\n\t")
	if stmt != "" && f.Pointer() {
		return fmt.Sprintf("if %s != nil {\n\t\t%s\n\t}", "m."+f.Name, strings.ReplaceAll(stmt, "\n", "\n\t"))
	}
	return stmt
}

// nullable lists the members of an operation's request body that may be
// null, for the fake ("" when there are none).
func nullable(o *Op) string {
	if o.Body == nil {
		return ""
	}
	var keys []string
	for _, f := range o.Body.Model.Fields {
		if f.Nullable {
			keys = append(keys, f.JSON)
		}
	}
	if len(keys) == 0 {
		return ""
	}
	return fmt.Sprintf(", nullable: %#v", keys)
}

// results is the result list of an operation's functions.
func results(o *Op) string {
	if o.Result == nil {
		return "error"
	}
	return "(" + o.Result.Expr() + ", error)"
}

// labels are the error-text names of an operation's path parameters.
func labels(o *Op) string {
	var ls []string
	for _, p := range o.Params {
		ls = append(ls, p.Label)
	}
	return fmt.Sprintf("%#v", ls)
}

// args is the caller's path arguments, as a parameter list ("" or ", a, b
// string") or as arguments (", a, b").
func args(o *Op, decl bool) string {
	var names []string
	for _, p := range o.Args() {
		names = append(names, p.Go)
	}
	if len(names) == 0 {
		return ""
	}
	s := ", " + strings.Join(names, ", ")
	if decl {
		s += " string"
	}
	return s
}

// discReturn is what a variant's discriminator method returns.
func discReturn(d DiscValue) string {
	if d.Const != "" {
		return d.Const
	}
	return fmt.Sprintf("%q", d.Value)
}

// markerField is the member of a marked union's wire struct that holds a
// variant's marker.
func markerField(v *Variant) string { return "M" + exported(v.Marker) }

// markerCase is the condition under which a marked union's value is the
// variant v: its marker is present, and no other variant's is.
func markerCase(u *Model, v *Variant) string {
	conds := []string{"present(w." + markerField(v) + ")"}
	for _, o := range u.Variants {
		if o != v {
			conds = append(conds, "!present(w."+markerField(o)+")")
		}
	}
	return strings.Join(conds, " && ")
}
