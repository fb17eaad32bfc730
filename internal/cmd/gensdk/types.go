package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
)

// Kind is how a Go type is built and decoded.
type Kind int

// The kinds of Go types the spec's schemas become.
const (
	KString Kind = iota // string
	KBool               // bool
	KInt                // int
	KFloat              // float64
	KEnum               // a named string type with constants
	KTime               // time.Time
	KRaw                // json.RawMessage: any JSON, kept as received
	KAnyMap             // map[string]any: an object of anything
	KList               // []Elem
	KMap                // map[string]Elem
	KStruct             // a named struct
	KUnion              // a named sealed interface
	KNamed              // a named type over another (a union variant that is not an object)
	KCustom             // a type written by hand in sdk (x-go-type)
	KAny                // any: a request member the caller gives as a Go value or raw JSON (x-sdk-any)
)

// Type is a Go type of the SDK.
type Type struct {
	Kind  Kind
	Name  string // the Go name of a named type
	Elem  *Type  // KList, KMap, KNamed
	Model *Model // the model of a named type, if generated
	// Object marks a KRaw that must be a JSON object (x-sdk-raw on an
	// object schema): kept as received, but checked.
	Object bool
}

// Expr is the Go expression of the type.
func (t *Type) Expr() string {
	switch t.Kind {
	case KString:
		return "string"
	case KBool:
		return "bool"
	case KInt:
		return "int"
	case KFloat:
		return "float64"
	case KTime:
		return "time.Time"
	case KRaw:
		return "RawJSON"
	case KAnyMap:
		return "map[string]any"
	case KList:
		return "[]" + t.Elem.Expr()
	case KMap:
		return "map[string]" + t.Elem.Expr()
	case KAny:
		return "any"
	}
	return t.Name
}

// Primitive reports whether the type is a simple JSON value (a string, a
// number, a boolean), whose list decodes with decodeSimpleList.
func (t *Type) Primitive() bool {
	switch t.Kind {
	case KString, KBool, KInt, KFloat, KEnum:
		return true
	}
	return false
}

// SimpleList reports whether the type is a list of a simple type, which
// decodes in one pass too.
func (t *Type) SimpleList() bool { return t.Kind == KList && t.Elem.Primitive() }

// Nilable reports whether the zero value of the type stands for absence
// (so that an optional member of the type needs no pointer).
func (t *Type) Nilable() bool {
	switch t.Kind {
	case KRaw, KAnyMap, KList, KMap, KUnion, KAny:
		return true
	case KCustom:
		return t.Model == nil // hand-written types are interfaces (Parameters)
	}
	return false
}

// Decoder is the Go expression of the type's decoder, a
// func(data []byte, path string) (T, error).
func (t *Type) Decoder() string {
	switch t.Kind {
	case KString:
		return "decodeString"
	case KBool:
		return "decodeBool"
	case KInt:
		return "decodeInt"
	case KFloat:
		return "decodeFloat"
	case KTime:
		return "decodeTime"
	case KRaw:
		if t.Object {
			return "decodeRawObject"
		}
		return "decodeRaw"
	case KAny:
		return "decodeAnyObject"
	case KAnyMap:
		return "decodeAnyMap"
	case KEnum:
		return "decodeStringAs[" + t.Name + "]"
	case KList:
		return "decode" + t.listName()
	case KMap:
		return "decodeMapOf" + t.Elem.baseName()
	}
	return "decode" + t.Name
}

// JSONKind is the kind of JSON value the type decodes from, for telling
// apart the variants of a union without a discriminator.
func (t *Type) JSONKind() string {
	switch t.Kind {
	case KString, KEnum, KTime:
		return "string"
	case KBool:
		return "boolean"
	case KInt, KFloat:
		return "number"
	case KList:
		return "array"
	case KNamed:
		return t.Elem.JSONKind()
	case KRaw:
		if t.Object {
			return "object"
		}
		return "any"
	}
	return "object"
}

func (t *Type) baseName() string {
	switch t.Kind {
	case KList:
		return t.listName()
	case KString, KBool, KInt, KFloat, KTime, KRaw, KAnyMap:
		return exported(strings.NewReplacer("[]", "ListOf", ".", "", "map[string]", "MapOf").Replace(t.Expr()))
	}
	return t.Name
}

func (t *Type) listName() string { return "ListOf" + t.Elem.baseName() }

// PatternVar is the Go variable of the member's compiled pattern.
func (f *Field) PatternVar(m *Model) string { return "pattern" + m.Name + f.Name }

// The kinds of models, for the templates.
func (m *Model) IsEnum() bool   { return m.Type.Kind == KEnum }
func (m *Model) IsStruct() bool { return m.Type.Kind == KStruct }
func (m *Model) IsUnion() bool  { return m.Type.Kind == KUnion }
func (m *Model) IsNamed() bool  { return m.Type.Kind == KNamed }

// IsList reports whether a type is a list (else a map), for the templates.
func (t *Type) IsList() bool { return t.Kind == KList }

// Model is a named type generated from a schema.
type Model struct {
	Name    string
	Doc     []string
	Type    *Type
	Fields  []*Field // KStruct
	Request bool     // reachable from a request body: gets a check before sending

	// KEnum: the constants. A discriminator type is an enum too.
	Consts []*Const

	// KUnion
	Disc     *Disc       // nil: told apart by the JSON kind and shape
	Variants []*Variant  // in the order of oneOf
	DiscVal  []DiscValue // KStruct, KNamed, KEnum: each union it is a variant of, with its discriminator value (if any)

	// KNamed: the underlying type is Type.Elem; a string one may have the
	// spec's checks, run before sending.
	MinLength int
	Pattern   string
	Base64    bool
}

// Checked reports whether a named type has checks of its own (a validate
// method), run before a request holding it is sent.
func (m *Model) Checked() bool {
	return m.Request && m.Type.Kind == KNamed && m.Type.Elem.Kind == KString && (m.MinLength > 0 || m.Pattern != "" || m.Base64)
}

// PatternVar is the Go variable of a named type's compiled pattern.
func (m *Model) PatternVar() string { return "pattern" + m.Name }

// Field is a member of a struct.
type Field struct {
	Name, JSON string
	Doc        []string
	Type       *Type
	Required   bool
	Nullable   bool
	MinLength  int
	Pattern    string // the spec's pattern, checked before sending
	Label      string // how an error names the member
	Const      string // a single-valued enum: the value the member always has
	Default    any    // the spec's default, written into request bodies when the member is unset
	// ItemMinimum is the spec's minimum of the items of a list of integers
	// (the pages of a PDF), checked before sending.
	ItemMinimum *float64
	// Base64 marks a string in standard base64 (format: byte), checked
	// before sending.
	Base64 bool
	// MinItems is the spec's minItems of a list, checked before sending (a
	// nil list is absence, not a list).
	MinItems int
	// MinDuration is the least a Duration member may be
	// (x-sdk-min-duration, a Go duration), checked before sending.
	MinDuration time.Duration
	// Only lists the discriminator values a union member accepts in a
	// request (x-sdk-only), when not every variant of its union is
	// accepted there: a queue's sink is a Sink, but a webhook only.
	Only []string
	// Unsupported names the spec's constraints on the member that the
	// generator does not check: an error in a request model, which must not
	// promise a check it does not make.
	Unsupported []string
}

// unsupported lists the constraint keywords of a schema that the generated
// checks do not implement.
func unsupported(s *openapi3.Schema) []string {
	var out []string
	add := func(ok bool, name string) {
		if ok {
			out = append(out, name)
		}
	}
	add(s.MaxLength != nil, "maxLength")
	add(s.Min != nil, "minimum")
	add(s.Max != nil, "maximum")
	add(s.ExclusiveMin.IsSet() || s.ExclusiveMax.IsSet(), "exclusiveMinimum/exclusiveMaximum")
	add(s.MultipleOf != nil, "multipleOf")
	add(s.MaxItems != nil, "maxItems")
	add(s.UniqueItems, "uniqueItems")
	add(s.MinProps != 0 || s.MaxProps != nil, "minProperties/maxProperties")
	if s.Items != nil {
		it := s.Items.Value
		add(it.MaxLength != nil || it.MinLength != 0 || it.Pattern != "", "items' string constraints")
		add(it.Max != nil || it.ExclusiveMin.IsSet() || it.ExclusiveMax.IsSet() || it.MultipleOf != nil, "items' number constraints other than minimum")
		add(it.Min != nil && !it.Type.Is("integer"), "a minimum on items that are not integers")
	}
	return out
}

// Fill is the statement that writes a member's const or default value into
// v, a copy of a model about to be encoded, when the caller left it unset
// ("" when there is none): the reference client writes these into request
// bodies, and so does the SDK.
func (f *Field) Fill() string {
	switch {
	case f.Const != "":
		return fmt.Sprintf("if v.%s == \"\" {\n\t\tv.%s = %q\n\t}", f.Name, f.Name, f.Const)
	case f.EnumDefault() != "":
		return fmt.Sprintf("if v.%s == \"\" {\n\t\tv.%s = %q\n\t}", f.Name, f.Name, f.EnumDefault())
	case f.Default == nil || !f.Pointer():
		return ""
	}
	lit := fmt.Sprintf("%#v", f.Default)
	if s, ok := f.Default.(string); ok {
		lit = fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("if v.%s == nil {\n\t\tv.%s = Ptr[%s](%s)\n\t}", f.Name, f.Name, f.Type.Expr(), lit)
}

// EnumDefault is the default of a member whose type is an enum and that is
// not a pointer ("" if none): the SDK writes it when the member is empty.
func (f *Field) EnumDefault() string {
	if f.Type == nil || f.Type.Kind != KEnum || f.Pointer() {
		return ""
	}
	s, _ := f.Default.(string)
	return s
}

// FirstDisc is the model's discriminator value in the first union with a
// discriminator it is a variant of (nil if none): its MarshalJSON writes
// that discriminator, and the fills.
func (m *Model) FirstDisc() *DiscValue {
	for i := range m.DiscVal {
		if m.DiscVal[i].Method != "" {
			return &m.DiscVal[i]
		}
	}
	return nil
}

// Fills lists the Fill statements of a model's members.
func (m *Model) Fills() []string {
	var out []string
	for _, f := range m.Fields {
		if s := f.Fill(); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Const is a constant of an enum.
type Const struct {
	Name, Value string
}

// Disc is the discriminator of a union.
type Disc struct {
	JSON   string // the member, such as "status"
	Method string // the interface method that returns it, such as Status
	Type   *Type  // its Go type (a string, or an enum)
}

// Variant is a variant of a union.
type Variant struct {
	Type  *Type
	Value string // the discriminator value
	Const string // the constant of the discriminator value, if any
	// Marker is the member that marks the variant in a union told apart by
	// which members are present (x-sdk-markers): a value with it, and with
	// no other variant's marker, is this variant.
	Marker string
}

// Marked reports whether a union is told apart by the members its variants
// have (x-sdk-markers), rather than by a discriminator or a JSON kind.
func (m *Model) Marked() bool { return len(m.Variants) > 0 && m.Variants[0].Marker != "" }

// DiscValue is a variant's discriminator in one union.
type DiscValue struct {
	Union  *Model
	Value  string
	Const  string
	Method string
	Type   string
	Repeat bool // another union of the variant has the same discriminator: its method is declared once
}

// GoField is the Go type of the member in its struct.
func (f *Field) GoType() string {
	if f.Const != "" {
		return "string"
	}
	if f.OptionalNullable() {
		return "Nullable[" + f.Type.Expr() + "]"
	}
	if f.Type.Nilable() || f.Required && !f.Nullable {
		return f.Type.Expr()
	}
	return "*" + f.Type.Expr()
}

// Tag is the member's struct tag.
func (f *Field) Tag() string {
	if f.Required {
		return fmt.Sprintf("`json:%q`", f.JSON)
	}
	return fmt.Sprintf("`json:\"%s,omitzero\"`", f.JSON)
}

// OptionalNullable reports whether the member may be absent and may be
// null: a Nullable, which tells the three apart.
func (f *Field) OptionalNullable() bool { return !f.Required && f.Nullable && f.Const == "" }

// Pointer reports whether the member is a pointer in its struct.
func (f *Field) Pointer() bool { return strings.HasPrefix(f.GoType(), "*") }

// models builds a Model for every component schema.
func (b *builder) models() error {
	order := b.componentOrder()
	// Declare every named type first, so that references resolve.
	for _, name := range order {
		ref := b.doc.Components.Schemas[name]
		if ref == nil {
			return fmt.Errorf("schema %s: not loaded", name)
		}
		s := ref.Value
		if goType := ext(s.Extensions, "x-sdk-go-type"); goType != "" {
			b.types[name] = &Type{Kind: KCustom, Name: goType}
			continue
		}
		goName := ext(s.Extensions, "x-sdk-type-name")
		if goName == "" {
			goName = exported(name)
		}
		ex := exampleAt(b.yaml, "components", "schemas", name, "example")
		if ex == "" {
			ex = example(s.Example)
		}
		desc := s.Description
		if ref := ext(s.Extensions, "x-sdk-reference-name"); ref != "" {
			desc = strings.TrimRight(desc, ". \n") + ". It is the reference client's " + ref + "."
		}
		m := &Model{Name: goName, Doc: doc(goName, desc, ex)}
		switch {
		case len(s.OneOf) > 0:
			m.Type = &Type{Kind: KUnion, Name: goName, Model: m}
		case s.Type.Is("string") && len(s.Enum) > 0:
			m.Type = &Type{Kind: KEnum, Name: goName, Model: m}
		case s.Type.Is("object") || len(s.Properties) > 0:
			m.Type = &Type{Kind: KStruct, Name: goName, Model: m}
		default:
			m.Type = &Type{Kind: KNamed, Name: goName, Model: m}
		}
		b.types[name] = m.Type
	}
	for _, name := range order {
		t := b.types[name]
		if t.Kind == KCustom {
			continue
		}
		s := b.doc.Components.Schemas[name].Value
		if err := b.fill(t.Model, s, []string{"components", "schemas", name}); err != nil {
			return fmt.Errorf("schema %s: %w", name, err)
		}
	}
	// A discriminator is its variant's type, not a member of it.
	for _, m := range b.out {
		for _, d := range m.DiscVal {
			if d.Method == "" {
				continue
			}
			for i, f := range m.Fields {
				if f.JSON == d.Union.Disc.JSON {
					m.Fields = append(m.Fields[:i:i], m.Fields[i+1:]...)
					break
				}
			}
		}
	}
	return nil
}

// fill completes a model from its schema; ypath locates the schema in the
// YAML document (for the order of its properties).
func (b *builder) fill(m *Model, s *openapi3.Schema, ypath []string) error {
	b.out = append(b.out, m)
	switch m.Type.Kind {
	case KEnum:
		m.Consts = consts(m.Name, s.Enum, extStrings(s.Extensions, "x-enum-varnames"))
	case KStruct:
		required := map[string]bool{}
		for _, r := range s.Required {
			required[r] = true
		}
		order := keysAt(b.yaml, append(ypath, "properties")...)
		if len(order) != len(s.Properties) {
			return fmt.Errorf("properties: %d in YAML order, %d loaded", len(order), len(s.Properties))
		}
		for _, key := range order {
			p := s.Properties[key]
			f := &Field{JSON: key, Required: required[key], Nullable: p.Value.Nullable, MinLength: int(p.Value.MinLength), Pattern: p.Value.Pattern, Default: p.Value.Default}
			f.Base64 = p.Value.Type.Is("string") && p.Value.Format == "byte"
			f.MinItems = int(p.Value.MinItems)
			if d := ext(p.Value.Extensions, "x-sdk-min-duration"); d != "" {
				v, err := time.ParseDuration(d)
				if err != nil || v <= 0 {
					return fmt.Errorf("%s: x-sdk-min-duration %q is not a positive Go duration", key, d)
				}
				f.MinDuration = v
			}
			f.Only = extStrings(p.Value.Extensions, "x-sdk-only")
			f.Unsupported = unsupported(p.Value)
			if p.Value.Items != nil && p.Value.Items.Value.Type.Is("integer") && p.Value.Items.Value.Min != nil {
				f.ItemMinimum = p.Value.Items.Value.Min
			}
			f.Name = ext(p.Value.Extensions, "x-sdk-go-name")
			if f.Name == "" {
				f.Name = exported(key)
			}
			f.Label = ext(p.Value.Extensions, "x-sdk-label")
			if f.Label == "" {
				f.Label = key
			}
			if p.Ref == "" && p.Value.Type.Is("string") && len(p.Value.Enum) == 1 {
				f.Const, _ = p.Value.Enum[0].(string)
				f.Type = &Type{Kind: KString}
			} else {
				t, err := b.resolve(p, m.Name+f.Name, append(ypath, "properties", key))
				if err != nil {
					return fmt.Errorf("%s: %w", key, err)
				}
				f.Type = t
			}
			if f.Type.Kind == KNamed {
				f.MinLength, f.Pattern, f.Base64 = 0, "", false // the named type checks itself
			}
			f.Doc = fieldDoc(f, p.Value.Description)
			for _, o := range m.Fields {
				if o.Name == f.Name {
					return fmt.Errorf("members %q and %q are both the Go field %s: name one with x-sdk-go-name (the decoders tell them apart by their exact names)", o.JSON, f.JSON, f.Name)
				}
			}
			m.Fields = append(m.Fields, f)
		}
	case KUnion:
		return b.union(m, s, ypath)
	case KNamed:
		t, err := b.resolve(openapi3.NewSchemaRef("", s), m.Name+"Value", ypath)
		if err != nil {
			return err
		}
		m.Type.Elem = t
		m.MinLength, m.Pattern, m.Base64 = int(s.MinLength), s.Pattern, s.Format == "byte"
	}
	return nil
}

// union fills a sealed union's variants.
func (b *builder) union(m *Model, s *openapi3.Schema, ypath []string) error {
	if _, marked := s.Extensions["x-sdk-markers"]; marked && s.Discriminator != nil {
		return fmt.Errorf("%s has a discriminator and x-sdk-markers: a union is told apart by one or the other", m.Name)
	}
	if d := s.Discriminator; d != nil {
		disc := &Disc{JSON: d.PropertyName, Method: exported(d.PropertyName), Type: &Type{Kind: KString}}
		if name := ext(s.Extensions, "x-sdk-discriminator-type"); name != "" {
			if t, ok := b.typeNamed(name); ok {
				disc.Type = t
			} else {
				if b.discTypes[name] {
					return fmt.Errorf("x-sdk-discriminator-type %s is named by two unions: declare it as a component enum, which they share", name)
				}
				b.discTypes[name] = true
				em := &Model{Name: name, Doc: doc(name, "the "+d.PropertyName+" of "+article(m.Name)+": one of the constants below, or a value this version of the SDK does not know, kept as received.", "")}
				em.Type = &Type{Kind: KEnum, Name: name, Model: em}
				var values []any
				for _, ref := range s.OneOf {
					values = append(values, discValue(d, ref))
				}
				em.Consts = consts(name, values, nil)
				b.out = append(b.out, em)
				disc.Type = em.Type
			}
		}
		m.Disc = disc
		for _, ref := range s.OneOf {
			vt, err := b.resolve(ref, "", nil)
			if err != nil {
				return err
			}
			if vt.Kind != KStruct {
				return fmt.Errorf("variant %s of a discriminated union is not an object", ref.Ref)
			}
			v := &Variant{Type: vt, Value: discValue(d, ref)}
			if disc.Type.Kind == KEnum {
				for _, c := range disc.Type.Model.Consts {
					if c.Value == v.Value {
						v.Const = c.Name
					}
				}
				if v.Const == "" {
					return fmt.Errorf("the discriminator type %s has no value %q (variant %s)", disc.Type.Name, v.Value, vt.Name)
				}
			}
			m.Variants = append(m.Variants, v)
			vm := vt.Model
			dv := DiscValue{Union: m, Value: v.Value, Const: v.Const, Method: disc.Method, Type: disc.Type.Expr()}
			for _, other := range vm.DiscVal {
				if other.Method != "" && other.Union.Disc.JSON != disc.JSON {
					return fmt.Errorf("%s is a variant of %s and %s, whose discriminators differ (%s, %s): it can write only one", vm.Name, other.Union.Name, m.Name, other.Union.Disc.JSON, disc.JSON)
				}
				if other.Method == disc.Method && (other.Type != dv.Type || other.Value != dv.Value) {
					return fmt.Errorf("%s is a variant of %s and %s, whose %s differ", vm.Name, other.Union.Name, m.Name, disc.Method)
				}
				if other.Method == disc.Method {
					dv.Repeat = true
				}
			}
			vm.DiscVal = append(vm.DiscVal, dv)
		}
		return nil
	}
	for i, ref := range s.OneOf {
		var vt *Type
		if ref.Ref == "" {
			title := ext(ref.Value.Extensions, "x-sdk-type-name")
			if title == "" {
				title = exported(ref.Value.Title)
			}
			if title == "" {
				return fmt.Errorf("inline variant %d needs a title or x-sdk-type-name", i)
			}
			name := m.Name + title
			desc := ref.Value.Description
			if desc == "" {
				desc = "the variant of " + m.Name + " that is " + article(ref.Value.Type.Slice()[0]) + "."
			}
			nm := &Model{Name: name, Doc: doc(name, desc, example(ref.Value.Example))}
			nm.Type = &Type{Kind: KNamed, Name: name, Model: nm}
			if ref.Value.Type.Is("object") || len(ref.Value.Properties) > 0 {
				nm.Type.Kind = KStruct
			}
			if err := b.fill(nm, ref.Value, append(ypath, "oneOf", fmt.Sprint(i))); err != nil {
				return err
			}
			vt = nm.Type
		} else {
			var err error
			if vt, err = b.resolve(ref, "", nil); err != nil {
				return err
			}
		}
		if vt.Model == nil || vt.Kind == KUnion {
			return fmt.Errorf("variant %d of %s is not a named type the SDK generates", i, m.Name)
		}
		vt.Model.DiscVal = append(vt.Model.DiscVal, DiscValue{Union: m})
		m.Variants = append(m.Variants, &Variant{Type: vt})
	}
	return markers(m, s)
}

// markers reads a union's x-sdk-markers, which tell its variants apart by
// the members they have: a mapping from each variant's component name to a
// required member of that variant that no other variant has. A value with
// exactly one variant's marker is that variant (checked against it, so a
// member of the wrong type is an error); with none or several, it is kept
// as the union's Unknown variant.
func markers(m *Model, s *openapi3.Schema) error {
	raw, ok := s.Extensions["x-sdk-markers"]
	if !ok {
		return nil
	}
	byName, ok := raw.(map[string]any)
	if !ok || len(byName) == 0 {
		return fmt.Errorf("x-sdk-markers of %s is not a mapping of variant names to member names", m.Name)
	}
	seen := map[string]bool{}
	for i, ref := range s.OneOf {
		name := strings.TrimPrefix(ref.Ref, "#/components/schemas/")
		if ref.Ref == "" {
			return fmt.Errorf("x-sdk-markers of %s: variant %d is inline; marked variants are components", m.Name, i)
		}
		marker, _ := byName[name].(string)
		if marker == "" {
			return fmt.Errorf("x-sdk-markers of %s names no member (a string) for the variant %s", m.Name, name)
		}
		seen[name] = true
		if !slices.Contains(ref.Value.Required, marker) {
			return fmt.Errorf("x-sdk-markers of %s: %q is not a required member of %s", m.Name, marker, name)
		}
		for j, other := range s.OneOf {
			if j != i && other.Value.Properties[marker] != nil {
				return fmt.Errorf("x-sdk-markers of %s: the marker %q of %s is a member of %s too", m.Name, marker, name, strings.TrimPrefix(other.Ref, "#/components/schemas/"))
			}
		}
		if m.Variants[i].Type.Kind != KStruct {
			return fmt.Errorf("x-sdk-markers of %s: the variant %s is not an object", m.Name, name)
		}
		m.Variants[i].Marker = marker
	}
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		if !seen[name] {
			return fmt.Errorf("x-sdk-markers of %s names %s, which is not one of its variants", m.Name, name)
		}
	}
	return nil
}

// discValue is the discriminator value of a variant: its key in the
// mapping, or else the single value of its discriminator member.
func discValue(d *openapi3.Discriminator, ref *openapi3.SchemaRef) string {
	for value, target := range d.Mapping {
		if target.Ref == ref.Ref {
			return value
		}
	}
	if p := ref.Value.Properties[d.PropertyName]; p != nil && len(p.Value.Enum) == 1 {
		s, _ := p.Value.Enum[0].(string)
		return s
	}
	return ref.Ref[strings.LastIndexByte(ref.Ref, '/')+1:]
}

func (b *builder) typeNamed(goName string) (*Type, bool) {
	for _, t := range b.types {
		if t.Name == goName {
			return t, true
		}
	}
	return nil, false
}

// resolve returns the Go type of a schema; name is the Go name an inline
// object or enum takes.
func (b *builder) resolve(ref *openapi3.SchemaRef, name string, ypath []string) (*Type, error) {
	if ref.Ref != "" {
		const prefix = "#/components/schemas/"
		if !strings.HasPrefix(ref.Ref, prefix) {
			return nil, fmt.Errorf("unsupported reference %s", ref.Ref)
		}
		t := b.types[strings.TrimPrefix(ref.Ref, prefix)]
		if t == nil {
			return nil, fmt.Errorf("unknown schema %s", ref.Ref)
		}
		return t, nil
	}
	s := ref.Value
	if len(s.AllOf) == 1 && s.Type == nil && len(s.Properties) == 0 {
		return b.resolve(s.AllOf[0], name, append(ypath, "allOf", "0"))
	}
	switch {
	case len(s.OneOf) > 0, len(s.Properties) > 0, s.Type.Is("string") && len(s.Enum) > 1:
		if n := ext(s.Extensions, "x-sdk-type-name"); n != "" {
			name = n
		}
		if name == "" {
			return nil, fmt.Errorf("an inline schema needs an x-sdk-type-name")
		}
		m := &Model{Name: name, Doc: doc(name, s.Description, example(s.Example))}
		kind := KStruct
		if len(s.OneOf) > 0 {
			kind = KUnion
		} else if len(s.Enum) > 0 {
			kind = KEnum
		}
		m.Type = &Type{Kind: kind, Name: name, Model: m}
		return m.Type, b.fill(m, s, ypath)
	case s.Type.Is("string") && s.Format == "date-time":
		return &Type{Kind: KTime}, nil
	case s.Type.Is("string"):
		return &Type{Kind: KString}, nil
	case s.Type.Is("boolean"):
		return &Type{Kind: KBool}, nil
	case s.Type.Is("integer"):
		return &Type{Kind: KInt}, nil
	case s.Type.Is("number"):
		return &Type{Kind: KFloat}, nil
	case s.Type.Is("array"):
		if s.Items == nil {
			return nil, fmt.Errorf("an array without items")
		}
		elem, err := b.resolve(s.Items, name+"Item", append(ypath, "items"))
		if err != nil {
			return nil, err
		}
		t := &Type{Kind: KList, Elem: elem}
		b.lists[t.Decoder()] = t
		return t, nil
	case s.Type.Is("object") && s.Extensions["x-sdk-any"] == true:
		return &Type{Kind: KAny}, nil
	case s.Type.Is("object") && s.Extensions["x-sdk-raw"] == true:
		return &Type{Kind: KRaw, Object: true}, nil
	case s.Type.Is("object"):
		if ap := s.AdditionalProperties.Schema; ap != nil {
			elem, err := b.resolve(ap, name+"Value", append(ypath, "additionalProperties"))
			if err != nil {
				return nil, err
			}
			t := &Type{Kind: KMap, Elem: elem}
			b.lists[t.Decoder()] = t
			return t, nil
		}
		return &Type{Kind: KAnyMap}, nil
	}
	return &Type{Kind: KRaw}, nil
}

// markRequests marks the models reachable from t as request models.
func markRequests(t *Type) {
	if t == nil {
		return
	}
	if t.Elem != nil {
		markRequests(t.Elem)
	}
	m := t.Model
	if m == nil || m.Request {
		return
	}
	m.Request = true
	for _, f := range m.Fields {
		markRequests(f.Type)
	}
	for _, v := range m.Variants {
		markRequests(v.Type)
	}
}

// consts names the constants of an enum: x-enum-varnames, or the type's
// name followed by the value in Go case.
func consts(typeName string, values []any, names []string) []*Const {
	var out []*Const
	seen := map[string]bool{}
	for i, v := range values {
		s := fmt.Sprint(v)
		name := typeName + exported(s)
		if i < len(names) && names[i] != "" {
			name = names[i]
		}
		for seen[name] {
			name += "_"
		}
		seen[name] = true
		out = append(out, &Const{Name: name, Value: s})
	}
	return out
}

// initialisms are written in capitals in Go names.
var initialisms = map[string]string{"id": "ID", "url": "URL", "api": "API", "http": "HTTP", "json": "JSON", "otp": "OTP", "uuid": "UUID", "ms": "MS", "pdf": "PDF", "s3": "S3"}

// words splits a name in any case (camelCase, snake_case, kebab-case,
// dotted) into lower-case words.
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// exported turns a name into an exported Go name: info_request_id →
// InfoRequestID, recorder_url → RecorderURL.
func exported(s string) string {
	var b strings.Builder
	for _, w := range words(s) {
		if up, ok := initialisms[w]; ok {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// unexported turns a name into an unexported Go name: operationId →
// operationID.
func unexported(s string) string {
	ws := words(s)
	if len(ws) == 0 {
		return s
	}
	return ws[0] + strings.TrimPrefix(exported(s), exported(ws[0]))
}

// label turns a parameter name into words for error texts: authSessionId →
// "auth session ID".
func label(s string) string {
	ws := words(s)
	for i, w := range ws {
		if up, ok := initialisms[w]; ok {
			ws[i] = up
		}
	}
	return strings.Join(ws, " ")
}

// doc builds a doc comment: "Name is description", and an example.
func doc(name, description, example string) []string {
	var out []string
	d := strings.TrimSpace(description)
	switch {
	case d == "":
		out = append(out, name+" is a model of the Intuned API (openapi.yaml gives it no description).")
	default:
		out = append(out, name+" is "+lowerFirst(d))
	}
	if example != "" {
		out = append(out, "", "Example:", "", "\t"+example)
	}
	return out
}

func fieldDoc(f *Field, description string) []string {
	d := strings.TrimSpace(description)
	var note string
	switch {
	case f.Const != "" && f.Required:
		note = fmt.Sprintf("Required; the API documents one value, %q, which the SDK writes into a request when the member is empty (another value is sent, and kept, as given).", f.Const)
	case f.Const != "":
		note = fmt.Sprintf("Optional; the API documents one value, %q, which the SDK writes into a request when the member is empty (another value is sent, and kept, as given).", f.Const)
	case f.Required && f.Nullable:
		note = "Required and nullable: nil is sent as null, and is what the API's null decodes into."
	case f.Nullable:
		note = "Optional and nullable: absent when zero, null with Null, a value with NullableOf (see Nullable)."
	case f.Required:
		note = "Required."
	case f.Pointer() || f.Type.Nilable():
		note = "Optional: nil when absent."
	default:
		note = "Optional."
	}
	if d == "" {
		return []string{fmt.Sprintf("%s is the %q member. %s", f.Name, f.JSON, note)}
	}
	if !strings.HasSuffix(d, ".") {
		d += "."
	}
	return []string{f.Name + " is " + lowerFirst(d) + " " + note}
}

// article puts "a" or "an" before a name.
func article(s string) string {
	if strings.ContainsRune("AEIOUaeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// lowerFirst lowers the first letter of a sentence, unless it starts an
// acronym ("URL of …").
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}
