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
	"args":         args,
	"discReturn":   discReturn,
	"variantNames": variantNames,
	"a": func(s string) string {
		if strings.ContainsRune("AEIOU", rune(s[0])) {
			return "an " + s
		}
		return "a " + s
	},
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
func decodeField(f *Field) string {
	w, m, key := "w."+f.Name, "m."+f.Name, fmt.Sprintf("%q", f.JSON)
	switch {
	case onePass(f) && f.Required && f.MinLength > 0 && f.Type.Kind == KString:
		return fmt.Sprintf("if %s == nil {\n\t\treturn m, missing(p, %s)\n\t}\n\tif *%s == \"\" {\n\t\treturn m, empty(p, %s)\n\t}\n\t%s = *%s", w, key, w, key, m, w)
	case onePass(f) && f.Required:
		return fmt.Sprintf("if %s == nil {\n\t\treturn m, missing(p, %s)\n\t}\n\t%s = *%s", w, key, m, w)
	case onePass(f) && f.Pointer():
		return fmt.Sprintf("%s = %s", m, w)
	case onePass(f):
		return fmt.Sprintf("if %s != nil {\n\t\t%s = *%s\n\t}", w, m, w)
	case f.Type.Kind == KRaw && f.Required:
		return fmt.Sprintf("if %s == nil {\n\t\treturn m, missing(p, %s)\n\t}\n\t%s = cloneRaw(%s)", w, key, m, w)
	case f.Type.Kind == KRaw:
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
	return fmt.Sprintf("if err := %s(&%s, %s, p, %s, %s); err != nil {\n\t\treturn m, err\n\t}", fn, m, w, key, f.Type.Decoder())
}

// checkField is the statement that checks a member of a request model
// before it is sent ("" when there is nothing to check).
func checkField(f *Field) string {
	key := fmt.Sprintf("%q", f.JSON)
	lbl := `""`
	if f.Label != f.JSON {
		lbl = fmt.Sprintf("%q", f.Label)
	}
	v := "m." + f.Name
	var stmt string
	switch {
	case f.Const != "", f.Type.Kind == KString, f.Type.Kind == KEnum:
		if f.Pointer() {
			v = "string(*" + v + ")"
		} else if f.Type.Kind == KEnum {
			v = "string(" + v + ")"
		}
		stmt = fmt.Sprintf("if err := checkString(%s, p, %s, %s, %d); err != nil {\n\t\treturn err\n\t}", v, key, lbl, f.MinLength)
	case f.Type.Kind == KStruct:
		stmt = fmt.Sprintf("if err := %s.validate(field(p, %s)); err != nil {\n\t\treturn err\n\t}", v, key)
	case f.Type.Kind == KUnion, f.Type.Kind == KList, f.Type.Kind == KMap, f.Type.Kind == KCustom:
		stmt = ""
		if f.Type.Kind != KCustom {
			stmt = fmt.Sprintf("if err := checkValue(%s, p, %s, %s); err != nil {\n\t\treturn err\n\t}", v, key, lbl)
		}
		if f.Required && f.Type.Nilable() {
			miss := fmt.Sprintf("if %s == nil {\n\t\treturn missingArgument(p, %s, %s)\n\t}", v, key, lbl)
			stmt = strings.TrimSuffix(miss+"\n\t"+stmt, "\n\t")
		}
		return stmt
	default:
		return ""
	}
	if f.Pointer() {
		return fmt.Sprintf("if %s != nil {\n\t\t%s\n\t}", "m."+f.Name, strings.ReplaceAll(stmt, "\n", "\n\t"))
	}
	return stmt
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

func variantNames(m *Model) []string {
	var out []string
	for _, v := range m.Variants {
		out = append(out, v.Type.Name)
	}
	return out
}
