package apilist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
)

// Lines lists the exported API of p, sorted, one feature a line, in the
// format of Go's api/*.txt (what cmd/api writes):
//
//   - pkg P, const X T / pkg P, const X = value (untyped constants have the
//     type ideal-int, ideal-string, ...; a value whose short form is not exact
//     is followed by "  // " and the exact one);
//   - pkg P, var X T;
//   - pkg P, func F(params) results, parameter names left out, variadic as
//     ...T, type parameters as [$0 constraint, ...];
//   - pkg P, type T struct, then pkg P, type T struct, Field Type per
//     exported field and pkg P, type T struct, embedded E per exported
//     embedded field;
//   - pkg P, type T interface { M1, M2 } and pkg P, type T interface,
//     M1(params) results per method; an interface with unexported methods
//     (a sealed union) has pkg P, type T interface, unexported methods
//     instead of the list of names;
//   - pkg P, type T U for other types, type T = U for aliases;
//   - pkg P, method (T) M(...) / method (*T) M(...) for the exported methods of
//     T's method set and then of *T's (promoted methods included);
//   - a type parameter is $i (its index), as names may change; a type of
//     another package is qualified by the package's name (sdk.Job), one of p
//     is not; byte is uint8 and rune int32.
//
// A feature whose doc comment starts with "Deprecated:" is listed a second
// time with " //deprecated" (name only), as cmd/api does.
//
// It departs from cmd/api in one point: a named interface that embeds type
// terms (a constraint such as ~int | ~string) lists them, as
// pkg P, type T interface, type set ~int | ~string.
func Lines(p *Package) []string {
	w := &walker{pkg: p.Types, features: make(map[string]bool), deprecated: deprecatedPositions(p.Files)}
	w.scope = []string{"pkg " + p.Types.Path()}
	scope := p.Types.Scope()
	for _, name := range scope.Names() { // sorted
		if !token.IsExported(name) {
			continue
		}
		w.emitObj(scope.Lookup(name))
	}
	lines := make([]string, 0, len(w.features))
	for f := range w.features {
		lines = append(lines, f)
	}
	slices.Sort(lines)
	return lines
}

type walker struct {
	pkg        *types.Package
	scope      []string
	features   map[string]bool
	deprecated map[token.Pos]bool
}

func (w *walker) emitf(format string, args ...any) {
	f := strings.Join(w.scope, ", ") + ", " + fmt.Sprintf(format, args...)
	if strings.Contains(f, "\n") {
		panic("feature contains a newline: " + f)
	}
	w.features[f] = true
}

func (w *walker) push(name string) (pop func()) {
	w.scope = append(w.scope, name)
	return func() { w.scope = w.scope[:len(w.scope)-1] }
}

func (w *walker) isDeprecated(obj types.Object) bool { return w.deprecated[obj.Pos()] }

func (w *walker) emitObj(obj types.Object) {
	switch obj := obj.(type) {
	case *types.Const:
		if w.isDeprecated(obj) {
			w.emitf("const %s //deprecated", obj.Name())
		}
		w.emitf("const %s %s", obj.Name(), w.typeString(obj.Type()))
		short, exact := obj.Val().String(), obj.Val().ExactString()
		if short == exact {
			w.emitf("const %s = %s", obj.Name(), short)
		} else {
			w.emitf("const %s = %s  // %s", obj.Name(), short, exact)
		}
	case *types.Var:
		if w.isDeprecated(obj) {
			w.emitf("var %s //deprecated", obj.Name())
		}
		w.emitf("var %s %s", obj.Name(), w.typeString(obj.Type()))
	case *types.TypeName:
		w.emitType(obj)
	case *types.Func:
		if w.isDeprecated(obj) {
			w.emitf("func %s //deprecated", obj.Name())
		}
		w.emitf("func %s%s", obj.Name(), w.signatureString(obj.Signature()))
	default:
		panic(fmt.Sprintf("unexpected object %T %s", obj, obj))
	}
}

func (w *walker) emitType(obj *types.TypeName) {
	name := obj.Name()
	if w.isDeprecated(obj) {
		w.emitf("type %s //deprecated", name)
	}
	typ := obj.Type()
	if obj.IsAlias() {
		w.emitf("type %s = %s", name, w.typeString(typ))
		return
	}
	if tparams := typ.(*types.Named).TypeParams(); tparams != nil {
		var b strings.Builder
		b.WriteString(name)
		w.writeTypeParams(&b, tparams, true)
		name = b.String()
	}
	switch u := typ.Underlying().(type) {
	case *types.Struct:
		w.emitStruct(name, u)
	case *types.Interface:
		w.emitInterface(name, u)
		return // its methods are listed by emitInterface
	default:
		w.emitf("type %s %s", name, w.typeString(u))
	}

	// The methods of T, then those of *T not already listed.
	seen := make(map[string]bool)
	for _, t := range []types.Type{typ, types.NewPointer(typ)} {
		mset := types.NewMethodSet(t)
		for i := range mset.Len() {
			m := mset.At(i)
			if m.Obj().Exported() && !seen[m.Obj().Name()] {
				seen[m.Obj().Name()] = true
				w.emitMethod(obj, m)
			}
		}
	}
}

func (w *walker) emitStruct(name string, st *types.Struct) {
	scope := "type " + name + " struct"
	w.emitf("%s", scope)
	defer w.push(scope)()
	for f := range st.Fields() {
		if !f.Exported() {
			continue
		}
		if f.Anonymous() {
			if w.isDeprecated(f) {
				w.emitf("embedded %s //deprecated", w.typeString(f.Type()))
			}
			w.emitf("embedded %s", w.typeString(f.Type()))
			continue
		}
		if w.isDeprecated(f) {
			w.emitf("%s //deprecated", f.Name())
		}
		w.emitf("%s %s", f.Name(), w.typeString(f.Type()))
	}
}

func (w *walker) emitInterface(name string, it *types.Interface) {
	pop := w.push("type " + name + " interface")
	var names []string
	complete := true
	mset := types.NewMethodSet(it)
	for i := range mset.Len() {
		m := mset.At(i).Obj().(*types.Func)
		if !m.Exported() {
			complete = false
			continue
		}
		names = append(names, m.Name())
		if w.isDeprecated(m) {
			w.emitf("%s //deprecated", m.Name())
		}
		w.emitf("%s%s", m.Name(), w.signatureString(m.Signature()))
	}
	if !complete {
		// Only this package can implement it, so it may grow: record that
		// there are unexported methods rather than the list of names.
		w.emitf("unexported methods")
	}
	if terms := w.typeTerms(it); len(terms) > 0 {
		w.emitf("type set %s", strings.Join(terms, "; "))
	}
	pop()
	if !complete {
		return
	}
	slices.Sort(names)
	if len(names) == 0 {
		w.emitf("type %s interface {}", name)
		return
	}
	w.emitf("type %s interface { %s }", name, strings.Join(names, ", "))
}

// emitMethod lists m, of the method set of the type obj names (or of its
// pointer); the receiver of a generic type is T[$0, ...].
func (w *walker) emitMethod(obj *types.TypeName, m *types.Selection) {
	sig := m.Type().(*types.Signature)
	recv := sig.Recv().Type() // the selection's receiver: T or *T, even for a promoted method
	tps := ""
	if tparams := obj.Type().(*types.Named).TypeParams(); tparams != nil {
		var b strings.Builder
		w.writeTypeParams(&b, tparams, false)
		tps = b.String()
	}
	if w.isDeprecated(m.Obj()) {
		w.emitf("method (%s%s) %s //deprecated", w.typeString(recv), tps, m.Obj().Name())
	}
	w.emitf("method (%s%s) %s%s", w.typeString(recv), tps, m.Obj().Name(), w.signatureString(sig))
}

func (w *walker) typeString(t types.Type) string {
	var b strings.Builder
	w.writeType(&b, t)
	return b.String()
}

func (w *walker) signatureString(sig *types.Signature) string {
	var b strings.Builder
	w.writeSignature(&b, sig)
	return b.String()
}

func (w *walker) writeSignature(b *strings.Builder, sig *types.Signature) {
	if tparams := sig.TypeParams(); tparams != nil {
		w.writeTypeParams(b, tparams, true)
	}
	w.writeParams(b, sig.Params(), sig.Variadic())
	switch res := sig.Results(); res.Len() {
	case 0:
	case 1:
		b.WriteByte(' ')
		w.writeType(b, res.At(0).Type())
	default:
		b.WriteByte(' ')
		w.writeParams(b, res, false)
	}
}

func (w *walker) writeTypeParams(b *strings.Builder, tparams *types.TypeParamList, withConstraints bool) {
	b.WriteByte('[')
	for i := range tparams.Len() {
		if i > 0 {
			b.WriteString(", ")
		}
		tp := tparams.At(i)
		w.writeType(b, tp)
		if withConstraints {
			b.WriteByte(' ')
			w.writeType(b, tp.Constraint())
		}
	}
	b.WriteByte(']')
}

func (w *walker) writeParams(b *strings.Builder, t *types.Tuple, variadic bool) {
	b.WriteByte('(')
	for i := range t.Len() {
		if i > 0 {
			b.WriteString(", ")
		}
		typ := t.At(i).Type()
		if variadic && i == t.Len()-1 {
			b.WriteString("...")
			if s, ok := typ.(*types.Slice); ok {
				typ = s.Elem()
			}
		}
		w.writeType(b, typ)
	}
	b.WriteByte(')')
}

// typeTerms is the type terms an interface embeds (a constraint's type set),
// each union as A | B, sorted.
func (w *walker) typeTerms(it *types.Interface) []string {
	var list []string
	for i := range it.NumEmbeddeds() {
		switch e := it.EmbeddedType(i).(type) {
		case *types.Interface:
			list = append(list, w.typeTerms(e)...)
		case *types.Union:
			var b strings.Builder
			for j := range e.Len() {
				if j > 0 {
					b.WriteString(" | ")
				}
				if e.Term(j).Tilde() {
					b.WriteByte('~')
				}
				w.writeType(&b, e.Term(j).Type())
			}
			list = append(list, b.String())
		case *types.Named, *types.Alias:
			if _, ok := e.Underlying().(*types.Interface); !ok {
				list = append(list, w.typeString(e))
			}
		default:
			list = append(list, w.typeString(e))
		}
	}
	slices.Sort(list)
	return list
}

func (w *walker) writeType(b *strings.Builder, typ types.Type) {
	switch t := typ.(type) {
	case *types.Basic:
		s := t.Name()
		switch t.Kind() {
		case types.UnsafePointer:
			s = "unsafe.Pointer"
		case types.UntypedBool:
			s = "ideal-bool"
		case types.UntypedInt:
			s = "ideal-int"
		case types.UntypedRune:
			s = "ideal-char" // as cmd/api
		case types.UntypedFloat:
			s = "ideal-float"
		case types.UntypedComplex:
			s = "ideal-complex"
		case types.UntypedString:
			s = "ideal-string"
		default:
			switch s {
			case "byte":
				s = "uint8"
			case "rune":
				s = "int32"
			}
		}
		b.WriteString(s)
	case *types.Array:
		fmt.Fprintf(b, "[%d]", t.Len())
		w.writeType(b, t.Elem())
	case *types.Slice:
		b.WriteString("[]")
		w.writeType(b, t.Elem())
	case *types.Struct:
		b.WriteString("struct")
	case *types.Pointer:
		b.WriteByte('*')
		w.writeType(b, t.Elem())
	case *types.Signature:
		b.WriteString("func")
		w.writeSignature(b, t)
	case *types.Interface:
		b.WriteString("interface{")
		var parts []string
		for i := range t.NumExplicitMethods() {
			parts = append(parts, t.ExplicitMethod(i).Name())
		}
		slices.Sort(parts)
		parts = append(parts, w.typeTerms(t)...)
		for i := range t.NumEmbeddeds() {
			if e := t.EmbeddedType(i); isInterfaceName(e) {
				parts = append(parts, w.typeString(e))
			}
		}
		if len(parts) > 0 {
			b.WriteString(" " + strings.Join(parts, ", ") + " ")
		}
		b.WriteString("}")
	case *types.Map:
		b.WriteString("map[")
		w.writeType(b, t.Key())
		b.WriteByte(']')
		w.writeType(b, t.Elem())
	case *types.Chan:
		switch t.Dir() {
		case types.SendOnly:
			b.WriteString("chan<- ")
		case types.RecvOnly:
			b.WriteString("<-chan ")
		default:
			b.WriteString("chan ")
		}
		w.writeType(b, t.Elem())
	case *types.Alias:
		w.writeType(b, types.Unalias(t))
	case *types.Named:
		obj := t.Obj()
		if pkg := obj.Pkg(); pkg != nil && pkg != w.pkg && pkg.Path() != w.pkg.Path() {
			b.WriteString(pkg.Name() + ".")
		}
		b.WriteString(obj.Name())
		if targs := t.TypeArgs(); targs.Len() > 0 {
			b.WriteByte('[')
			for i := range targs.Len() {
				if i > 0 {
					b.WriteString(", ")
				}
				w.writeType(b, targs.At(i))
			}
			b.WriteByte(']')
		}
	case *types.TypeParam:
		// Names of type parameters may change; their places do not.
		fmt.Fprintf(b, "$%d", t.Index())
	case *types.Tuple:
		w.writeParams(b, t, false)
	default:
		panic(fmt.Sprintf("unexpected type %T", t))
	}
}

func isInterfaceName(t types.Type) bool {
	switch t.(type) {
	case *types.Named, *types.Alias:
		_, ok := t.Underlying().(*types.Interface)
		return ok
	}
	return false
}

// deprecatedPositions marks the declarations whose doc comment has a
// paragraph starting with "Deprecated:".
func deprecatedPositions(files []*ast.File) map[token.Pos]bool {
	marks := make(map[token.Pos]bool)
	isDeprecated := func(doc *ast.CommentGroup) bool {
		if doc == nil {
			return false
		}
		for _, line := range strings.Split(doc.Text(), "\n") {
			if strings.HasPrefix(line, "Deprecated:") {
				return true
			}
		}
		return false
	}
	for _, file := range files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.File, *ast.StructType, *ast.InterfaceType, *ast.FieldList:
				return true
			case *ast.GenDecl:
				if isDeprecated(n.Doc) {
					for _, spec := range n.Specs {
						switch spec := spec.(type) {
						case *ast.ValueSpec:
							for _, id := range spec.Names {
								marks[id.Pos()] = true
							}
						case *ast.TypeSpec:
							marks[spec.Name.Pos()] = true
						}
					}
				}
				return true
			case *ast.FuncDecl:
				if isDeprecated(n.Doc) {
					marks[n.Name.Pos()] = true
				}
				return false
			case *ast.TypeSpec:
				if isDeprecated(n.Doc) {
					marks[n.Name.Pos()] = true
				}
				return true
			case *ast.ValueSpec:
				if isDeprecated(n.Doc) {
					for _, id := range n.Names {
						marks[id.Pos()] = true
					}
				}
				return false
			case *ast.Field:
				if isDeprecated(n.Doc) {
					for _, id := range n.Names {
						marks[id.Pos()] = true
					}
					if len(n.Names) == 0 { // embedded T or *T
						typ := n.Type
						if star, ok := typ.(*ast.StarExpr); ok {
							typ = star.X
						}
						if id, ok := typ.(*ast.Ident); ok {
							marks[id.Pos()] = true
						}
					}
				}
				return false
			}
			return false
		})
	}
	return marks
}
