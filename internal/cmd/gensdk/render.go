package main

import (
	"bytes"
	"embed"
	"fmt"
	"go/format"
	"slices"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"comment": comment,
	"wrap":    func(text string) string { return comment([]string{text}, "") },
	"quote":   func(s string) string { return fmt.Sprintf("%q", s) },
	"byFunc": func(ops []*Op) []*Op { // sorted by their function's name
		out := slices.Clone(ops)
		slices.SortFunc(out, func(a, b *Op) int { return strings.Compare(a.Func, b.Func) })
		return out
	},
	"gostrings":   func(ss []string) string { return fmt.Sprintf("%#v", ss) },
	"rawVar":      rawVar,
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
	"method":     func(o *Op) string { return unexported(o.Func) }, // the fake's method serving o
	"args":       args,
	"nullable":   nullable,
	"discReturn": discReturn,
	"byKind":     byKind,
	"kinds":      kinds,
	"markerVar":  markerVar,
	"markerCase": markerCase,
	"a":          article,
	"bare":       func(s string) string { return strings.TrimPrefix(s, ", ") },
	"lower":      strings.ToLower,
	"upperFirst": func(s string) string { return strings.ToUpper(s[:1]) + s[1:] },
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

// rawVar is the local variable a model's decoder reads a member's raw JSON
// value into.
func rawVar(f *Field) string { return "raw" + f.Name }

// decodeField is the statement that decodes a member from its raw JSON
// value (nil when absent) into the model m, checking it.
func decodeField(f *Field) string {
	m, w, key := "m."+f.Name, rawVar(f), fmt.Sprintf("%q", f.JSON)
	// A required member that may be null must be there; then it decodes
	// as an optional one, null giving the zero value (nil).
	check := ""
	if f.Required && (f.Nullable || f.Type.Kind == KRaw && !f.Type.Object) {
		check = fmt.Sprintf("if %s == nil {\n\t\treturn m, missing(p, %s)\n\t}\n\t", w, key)
	}
	if f.Type.Kind == KRaw && !f.Type.Object {
		return fmt.Sprintf("%s%s = cloneRaw(%s)", check, m, w)
	}
	fn := "decodeOptional"
	switch {
	case f.OptionalNullable():
		fn = "decodeNullable"
	case f.Required && !f.Nullable:
		fn = "decodeRequired"
	case f.Pointer():
		fn = "decodeOptionalPtr"
	}
	dec := f.Type.Decoder()
	switch {
	case f.Const != "":
		dec = "decodeString"
	case f.Type.Kind == KString && f.MinLength > 0:
		dec = "decodeNonEmptyString"
	}
	return fmt.Sprintf("%sif err := %s(&%s, %s, p, %s, %s); err != nil {\n\t\treturn m, err\n\t}", check, fn, m, w, key, dec)
}

// kindGroup is the variants of a union without a discriminator that decode
// from one JSON kind.
type kindGroup struct {
	Kind     string
	Variants []*Variant
}

// byKind groups the variants of a union told apart by JSON kind, in the
// order of oneOf; variants that take any JSON come last, under "any".
func byKind(u *Model) []kindGroup {
	var out []kindGroup
	var anyKind []*Variant
	for _, v := range u.Variants {
		k := v.Type.JSONKind()
		if k == "any" {
			anyKind = append(anyKind, v)
			continue
		}
		found := false
		for i := range out {
			if out[i].Kind == k {
				out[i].Variants = append(out[i].Variants, v)
				found = true
			}
		}
		if !found {
			out = append(out, kindGroup{Kind: k, Variants: []*Variant{v}})
		}
	}
	if anyKind != nil {
		out = append(out, kindGroup{Kind: "any", Variants: anyKind})
	}
	return out
}

// kinds names the JSON kinds a union without a discriminator takes, for
// its error ("an object or a string").
func kinds(u *Model) string {
	var ks []string
	for _, g := range byKind(u) {
		if g.Kind != "any" {
			ks = append(ks, article(g.Kind))
		}
	}
	switch len(ks) {
	case 0:
		return ""
	case 1:
		return ks[0]
	}
	return strings.Join(ks[:len(ks)-1], ", ") + " or " + ks[len(ks)-1]
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
	if f.OptionalNullable() {
		v = "x"
	}
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
		// A value the spec does not list is refused only where the union it
		// is in has an Unknown variant to send it as (a strategy's model);
		// elsewhere it is sent as given.
		if f.Type.Kind == KEnum && f.Const == "" && len(m.DiscVal) > 0 {
			e := "m." + f.Name
			switch {
			case f.OptionalNullable():
				e = "x"
			case f.Pointer():
				e = "(*m." + f.Name + ")"
			}
			if f.EnumDefault() != "" { // empty is the default, written when sent
				checks = append(checks, fmt.Sprintf("if %s != \"\" {\n\t\tif err := checkListed(%s.listed(), %s, p, %s, %s, %q); err != nil {\n\t\t\treturn err\n\t\t}\n\t}", e, e, v, key, lbl, article(f.Type.Name)))
			} else {
				call("checkListed(%s.listed(), %s, p, %s, %s, %q)", e, v, key, lbl, article(f.Type.Name))
			}
		}
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
	if len(f.Only) > 0 {
		var types, names []string
		for _, want := range f.Only {
			for _, vr := range f.Type.Model.Variants {
				if vr.Value == want {
					types = append(types, vr.Type.Name)
				}
			}
		}
		names = append(names, types...)
		// First: a queue's S3 sink is refused as such, not for its bucket.
		checks = append([]string{fmt.Sprintf("switch %s.(type) {\n\tcase %s:\n\tdefault:\n\t\treturn notOneOf(%s, p, %s, %s, %q)\n\t}",
			v, strings.Join(types, ", "), v, key, lbl, strings.Join(names, " or "))}, checks...)
	}
	if f.MinItems > 0 {
		call("checkListLength(len(%s), %s == nil, p, %s, %s, %d)", v, v, key, lbl, f.MinItems)
	}
	if f.ItemMinimum != nil {
		call("checkItemsAtLeast(%s, p, %s, %s, %d)", v, key, lbl, int(*f.ItemMinimum))
	}
	if f.MinDuration > 0 {
		call("checkMinDuration(%s, p, %s, %s, %d)", v, key, lbl, int64(f.MinDuration))
	}
	stmt := strings.Join(checks, "\n\t")
	if stmt != "" && f.OptionalNullable() {
		return fmt.Sprintf("if x, ok := m.%s.Get(); ok {\n\t\t%s\n\t}", f.Name, strings.ReplaceAll(stmt, "\n", "\n\t"))
	}
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

// markerVar is the local variable a marked union's decoder reads a
// variant's marker member into.
func markerVar(v *Variant) string { return "marker" + exported(v.Marker) }

// markerCase is the condition under which a marked union's value is the
// variant v: its marker is present, and no other variant's is.
func markerCase(u *Model, v *Variant) string {
	conds := []string{"present(" + markerVar(v) + ")"}
	for _, o := range u.Variants {
		if o != v {
			conds = append(conds, "!present("+markerVar(o)+")")
		}
	}
	return strings.Join(conds, " && ")
}
