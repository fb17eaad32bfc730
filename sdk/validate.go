package sdk

//lint:file-ignore U1000 The generated code calls these helpers for the schema shapes it meets; openapi.yaml need not use them all yet. internal/cmd/gensdk tests every one of them on testdata/shapes.yaml.

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxPathValueLen bounds one path value. Real names and IDs are far shorter;
// the bound keeps a runaway value from producing a huge request line.
const maxPathValueLen = 1024

// checkPathValue rejects a path value that is empty, a dot segment (which URL
// resolution would collapse, changing the route), longer than
// maxPathValueLen, not UTF-8, or holding control characters. Everything else
// travels percent-encoded as a single segment.
func checkPathValue(name, v string) error {
	switch {
	case v == "":
		return &ArgumentError{Name: name, Problem: "is empty"}
	case v == "." || v == "..":
		return &ArgumentError{Name: name, Problem: fmt.Sprintf("%q is a dot segment, which cannot be sent as a path value", v)}
	case len(v) > maxPathValueLen:
		return &ArgumentError{Name: name, Problem: fmt.Sprintf("is %d bytes long; the limit is %d", len(v), maxPathValueLen)}
	case !utf8.ValidString(v):
		return &ArgumentError{Name: name, Problem: "is not valid UTF-8"}
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return &ArgumentError{Name: name, Problem: fmt.Sprintf("contains the control character %U", r)}
		}
	}
	return nil
}

// checkHeaderValue rejects what net/http would refuse to send (or would let
// split a header): CR, LF, NUL and other control characters except tab.
func checkHeaderValue(v string) error {
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < 0x20 && b != '\t' || b == 0x7f {
			return errors.New("contains a control character")
		}
	}
	return nil
}

// checkHeaderName accepts RFC 9110 tokens only.
func checkHeaderName(k string) error {
	if k == "" {
		return errors.New("is empty")
	}
	for i := 0; i < len(k); i++ {
		b := k[i]
		if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' {
			continue
		}
		switch b {
		case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
			continue
		}
		return errors.New("is not a valid header name")
	}
	return nil
}

// The generated checks of request models (the validate methods of
// models.gen.go) call the functions below. A member is named in errors by
// its x-label in the spec, or else by its JSON path in the body.

// memberError is the *ArgumentError of the member key of the request object
// at p (key "": of the value at p itself), named by its label, or else by
// its path.
func memberError(p, key, label, problem string) error {
	name := label
	if name == "" {
		name = field(p, key)
	}
	return &ArgumentError{Name: name, Problem: problem, Path: field(p, key)}
}

// checkString rejects a string member shorter than minLen characters (the
// spec's minLength), not matching re (the spec's pattern, if any), or that is
// not UTF-8: encoding/json would quietly replace its bad bytes with U+FFFD
// and send something else.
func checkString(v, p, key, label string, minLen int, re *regexp.Regexp) error {
	switch {
	case minLen > 0 && v == "":
		return memberError(p, key, label, "is empty")
	case minLen > 0 && utf8.RuneCountInString(v) < minLen:
		return memberError(p, key, label, fmt.Sprintf("is shorter than %d characters", minLen))
	case !utf8.ValidString(v):
		return memberError(p, key, label, "is not valid UTF-8")
	case re != nil && !re.MatchString(v):
		return memberError(p, key, label, fmt.Sprintf("%q does not match the pattern %s", v, re))
	}
	return nil
}

// missingArgument reports a required member left nil.
func missingArgument(p, key, label string) error {
	return memberError(p, key, label, "is missing")
}

// checkUnknownVariant refuses an Unknown variant of a request union
// without raw JSON: it stands for nothing, and would be sent as null.
func checkUnknownVariant(raw []byte, p, typeName string) error {
	if len(raw) == 0 {
		return memberError(p, "", "", "is missing: an empty "+typeName+" (its Raw holds no JSON)")
	}
	return nil
}

// checkBase64 refuses a string that is not standard, padded base64 (the
// spec's format byte), saying where the first bad byte is.
func checkBase64(v, p, key, label string) error {
	if i := strings.IndexAny(v, "\r\n"); i >= 0 { // which the decoder would skip
		return memberError(p, key, label, fmt.Sprintf("is not standard base64: a line break at byte %d (encode the bytes with sdk.FromBytes)", i))
	}
	if _, err := base64.StdEncoding.DecodeString(v); err != nil {
		problem := "is not standard base64 (encode the bytes with sdk.FromBytes)"
		var ce base64.CorruptInputError
		if errors.As(err, &ce) {
			problem = fmt.Sprintf("is not standard base64 at byte %d (encode the bytes with sdk.FromBytes)", int64(ce))
		}
		return memberError(p, key, label, problem)
	}
	return nil
}

// checkItemsAtLeast refuses a list of integers with an item below min (the
// spec's minimum of the items: PDF pages are numbered from 1).
func checkItemsAtLeast(v []int, p, key, label string, min int) error {
	for i, n := range v {
		if n < min {
			return memberError(index(field(p, key), i), "", label, fmt.Sprintf("holds %d at [%d]; the least is %d", n, i, min))
		}
	}
	return nil
}

// checkNotNilPointer refuses a member of interface type (a union,
// Parameters) that holds a nil pointer: it cannot be encoded, and is
// surely a mistake.
func checkNotNilPointer(v any, p, key, label string) error {
	return nilPointer(reflect.ValueOf(v), field(p, key), label)
}

// nilPointer refuses the value at p if it is a nil pointer.
func nilPointer(v reflect.Value, p, label string) error {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		return memberError(p, "", label, "is a nil "+v.Type().String())
	}
	return nil
}

// checkValue checks a member that is a union, a list or a map: the request
// models in it check themselves, and its strings must be UTF-8.
func checkValue(v any, p, key, label string) error {
	return checkNested(reflect.ValueOf(v), field(p, key), label)
}

func checkNested(v reflect.Value, p, label string) error {
	if !v.IsValid() {
		return nil
	}
	if err := nilPointer(v, p, label); err != nil {
		return err
	}
	if m, ok := v.Interface().(requestBody); ok {
		return m.validate(p)
	}
	switch v.Kind() {
	case reflect.String:
		return checkString(v.String(), p, "", label, 0, nil)
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := checkNested(v.Index(i), index(p, i), label); err != nil {
				return err
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			if err := checkString(iter.Key().String(), p, "", label, 0, nil); err != nil {
				return err
			}
			if err := checkNested(iter.Value(), field(p, iter.Key().String()), label); err != nil {
				return err
			}
		}
	case reflect.Interface, reflect.Pointer:
		if !v.IsNil() {
			return checkNested(v.Elem(), p, label)
		}
	}
	return nil
}

// checkJSONObject checks a member the caller gives as a Go value or raw
// JSON (a JSON Schema): it must encode to a JSON object, and be there if it
// is required.
func checkJSONObject(v any, p, key, label string, required bool) error {
	if v == nil {
		if required {
			return missingArgument(p, key, label)
		}
		return nil
	}
	if err := checkAnyJSON(v, p, key, label); err != nil {
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return memberError(p, key, label, "cannot be encoded: "+unwrapMarshalError(err).Error())
	}
	if !utf8.Valid(b) { // raw JSON travels as it is
		return memberError(p, key, label, "is not valid UTF-8")
	}
	if kind, _ := jsonKind(b, ""); kind != "object" {
		if kind == "null" && !required {
			return nil
		}
		return memberError(p, key, label, "is a JSON "+kind+", not an object")
	}
	return nil
}

// checkRawObject checks a member kept as raw JSON that must be an object:
// present if required, and a JSON object of UTF-8 text.
func checkRawObject(raw []byte, p, key, label string, required bool) error {
	if len(raw) == 0 {
		if required {
			return missingArgument(p, key, label)
		}
		return nil
	}
	return checkJSONObject(RawJSON(raw), p, key, label, true)
}

// checkListLength refuses a list shorter than the spec's minItems; a nil
// list is absence, which the member's required check sees to.
func checkListLength(n int, isNil bool, p, key, label string, minItems int) error {
	if !isNil && n < minItems {
		return memberError(p, key, label, fmt.Sprintf("has %d items; the least is %d (leave it nil to leave it out)", n, minItems))
	}
	return nil
}

// checkAnyJSON checks a member of any JSON (metadata, a data schema): its
// text must be UTF-8 (encoding/json would quietly send U+FFFD instead of
// bad bytes) and its nesting bounded.
func checkAnyJSON(v any, p, key, label string) error {
	if err := checkJSONText(v, 0); err != nil {
		return memberError(p, key, label, "must not "+err.Error())
	}
	return nil
}

// maxParameterDepth bounds how deeply parameters may nest (encoding/json
// itself stops at 10000 when decoding).
const maxParameterDepth = 1000

// checkJSONText walks the values encoding/json would encode from maps,
// slices and strings, and rejects keys or strings that are not UTF-8, and
// nesting deeper than maxParameterDepth (including cycles, which would
// otherwise loop until encoding/json gives up).
func checkJSONText(v any, depth int) error {
	if depth > maxParameterDepth {
		return fmt.Errorf("nest deeper than %d levels", maxParameterDepth)
	}
	switch t := v.(type) {
	case string:
		if !utf8.ValidString(t) {
			return fmt.Errorf("hold a string that is not valid UTF-8")
		}
	case map[string]any:
		for k, e := range t {
			if !utf8.ValidString(k) {
				return fmt.Errorf("hold a key that is not valid UTF-8")
			}
			if err := checkJSONText(e, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range t {
			if err := checkJSONText(e, depth+1); err != nil {
				return err
			}
		}
	case []string:
		for _, e := range t {
			if !utf8.ValidString(e) {
				return fmt.Errorf("hold a string that is not valid UTF-8")
			}
		}
	case map[string]string:
		for k, e := range t {
			if !utf8.ValidString(k) || !utf8.ValidString(e) {
				return fmt.Errorf("hold a string that is not valid UTF-8")
			}
		}
	case ParametersObject:
		return checkJSONText(map[string]any(t), depth)
	case ParametersArray:
		return checkJSONText([]any(t), depth)
	}
	return nil
}

// checkListed refuses an enum member of a request whose value v is not one
// the spec lists (listed is false), as the reference client does. A value
// newer than this SDK goes inside the Unknown variant of the union that
// holds the member, as raw JSON (StrategyUnknown for an extraction model).
func checkListed(listed bool, v, p, key, label, aType string) error {
	if listed {
		return nil
	}
	return memberError(p, key, label, fmt.Sprintf("is %q, not %s this version of the SDK knows (to send a newer value, write the whole union member as raw JSON in its Unknown variant)", v, aType))
}

// notOneOf refuses a union value of a kind the member does not take there
// (a queue's sink is a webhook only): want names the kinds it takes.
func notOneOf(v any, p, key, label, want string) error {
	if t := reflect.TypeOf(v); t != nil {
		return memberError(p, key, label, "is a "+t.Name()+"; it must be a "+want)
	}
	return memberError(p, key, label, "is nil; it must be a "+want)
}
