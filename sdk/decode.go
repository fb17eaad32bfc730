package sdk

//lint:file-ignore U1000 The generated code calls these helpers for the schema shapes it meets; openapi.yaml need not use them all yet. internal/cmd/gensdk tests every one of them on testdata/shapes.yaml.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file is the runtime of the generated decoders (models.gen.go): each
// model's decoder reads the raw JSON of the members it knows, by their exact
// names (decodeMembers, jsonscan.go), then checks every member and decodes
// it with its own decoder, passing down the JSON path so that an error
// names exactly what does not match (result[2].content is missing).

// A decoder decodes a T found at the JSON path p.
type decoder[T any] func(data []byte, p string) (T, error)

// DecodeError reports JSON that does not match the API's schema: malformed
// JSON, a required member that is missing or null, a member of the wrong JSON
// type. The UnmarshalJSON methods of the models return it; the operations
// wrap it in a *ResponseValidationError.
type DecodeError struct {
	// Path is the JSON path of what does not match, such as
	// details.choices or [2].status; empty for the whole value.
	Path string
	// Problem says what is wrong, such as "is missing".
	Problem string
	// Err is the underlying error, if any: a date-time's or a number's
	// parse error, or the first variant's error of a union none matches.
	Err error
}

// Error names the JSON path and the problem.
func (e *DecodeError) Error() string {
	what := e.Path
	if what == "" {
		what = "the value"
	}
	return what + " " + e.Problem
}

// Unwrap returns the underlying error, if any.
func (e *DecodeError) Unwrap() error { return e.Err }

// field is the path of member key of the object at p (p itself when key
// is empty).
func field(p, key string) string {
	if key == "" {
		return p
	}
	if p == "" {
		return key
	}
	return p + "." + key
}

// index is the path of element i of the array at p.
func index(p string, i int) string { return p + "[" + strconv.Itoa(i) + "]" }

// missing reports a required member that is absent or null: one message
// for both, as the API's own errors have it.
func missing(p, key string) error {
	return &DecodeError{Path: field(p, key), Problem: "is missing or null"}
}

// present reports whether a member was sent with a value: there, and not
// null (the marker of a union's variant, see x-sdk-markers).
func present(raw json.RawMessage) bool { return raw != nil && !isNull(raw) }

// isNull reports whether raw is the JSON literal null.
func isNull(raw []byte) bool {
	return len(raw) == 4 && string(raw) == "null"
}

// decodeString decodes a JSON string: a string without escapes as it is,
// any other as encoding/json decodes it.
func decodeString(data []byte, p string) (string, error) {
	if n := len(data); n >= 2 && data[0] == '"' && data[n-1] == '"' && plainString(data[1:n-1]) {
		return string(data[1 : n-1]), nil
	}
	var v string
	err := expectKind(data, p, "string", "a string", "is null")
	if err == nil {
		err = json.Unmarshal(data, &v)
	}
	return v, err
}

// decodeNonEmptyString decodes a string that the spec says may not be
// empty (minLength).
func decodeNonEmptyString(data []byte, p string) (string, error) {
	v, err := decodeString(data, p)
	if err == nil && v == "" {
		return v, &DecodeError{Path: p, Problem: "is empty"}
	}
	return v, err
}

func decodeBool(data []byte, p string) (bool, error) {
	switch string(data) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	var v bool
	err := expectKind(data, p, "boolean", "a boolean", "is null")
	if err == nil {
		err = json.Unmarshal(data, &v)
	}
	return v, err
}

// decodeInt decodes an integer written in any JSON form whose value is a
// whole number (200, 200.0, 2e2, 2.00E+2): JSON has one number type, and
// the reference client reads them all alike. A fraction, or a value beyond
// an int, is a *DecodeError.
func decodeInt(data []byte, p string) (int, error) {
	if err := expectKind(data, p, "number", "an integer", "is null"); err != nil {
		return 0, err
	}
	if v, err := strconv.ParseInt(string(data), 10, strconv.IntSize); err == nil {
		return int(v), nil
	}
	digits, ok := integerDigits(data)
	if !ok {
		return 0, &DecodeError{Path: p, Problem: "is " + string(data) + ", not an integer"}
	}
	v, err := strconv.ParseInt(digits, 10, strconv.IntSize)
	if err != nil {
		return 0, &DecodeError{Path: p, Problem: "is " + string(data) + ", beyond the range of an integer (Go's int)"}
	}
	return int(v), nil
}

// integerDigits returns the JSON number tok (well formed) as the decimal
// digits of an integer, with its sign, if its value is a whole number. The
// exponent is applied exactly, digit by digit: no float rounds it.
func integerDigits(tok []byte) (string, bool) {
	neg := tok[0] == '-'
	if neg {
		tok = tok[1:]
	}
	mant, exp := tok, 0
	if i := bytes.IndexAny(tok, "eE"); i >= 0 {
		mant = tok[:i]
		e, err := strconv.Atoi(string(tok[i+1:]))
		switch {
		case err == nil:
			exp = max(min(e, 1<<30), -1<<30) // beyond every digit either way (an answer is far shorter), and no overflow below, even on 32 bits
		case tok[i+1] == '-':
			exp = -1 << 30 // beyond every digit: a fraction, unless all zeros
		default:
			exp = 1 << 30 // beyond every int
		}
	}
	intPart, frac, _ := bytes.Cut(mant, []byte("."))
	digits := strings.TrimLeft(string(intPart)+string(frac), "0")
	if digits == "" {
		return "0", true
	}
	point := len(digits) - len(frac) + exp // digits before the decimal point
	switch {
	case point < len(digits):
		if point < 0 || strings.Trim(digits[point:], "0") != "" {
			return "", false
		}
		digits = digits[:point]
	case point > 19:
		digits = strings.Repeat("9", 20) // beyond every int64, which ParseInt says
	default:
		digits += strings.Repeat("0", point-len(digits))
	}
	if neg {
		digits = "-" + digits
	}
	return digits, true
}

func decodeFloat(data []byte, p string) (float64, error) {
	if err := expectKind(data, p, "number", "a number", "is null"); err != nil {
		return 0, err
	}
	v, err := strconv.ParseFloat(string(data), 64)
	if err != nil {
		return 0, &DecodeError{Path: p, Problem: "is " + string(data) + ", beyond the range of a number (float64)", Err: err}
	}
	return v, nil
}

// decodeStringAs decodes a string into a named string type (an enum), whose
// unknown values are kept.
func decodeStringAs[T ~string](data []byte, p string) (T, error) {
	s, err := decodeString(data, p)
	return T(s), err
}

// decodeTime decodes a date-time in the forms the reference client accepts
// (parseDateTime), keeping its offset and its fractional digits up to the
// nanosecond.
func decodeTime(data []byte, p string) (time.Time, error) {
	s, err := decodeString(data, p)
	if err != nil {
		return time.Time{}, err
	}
	t, err := parseDateTime(s)
	if err != nil {
		return time.Time{}, &DecodeError{Path: p, Problem: fmt.Sprintf("is %q, not an RFC 3339 date-time", s), Err: err}
	}
	return t, nil
}

// decodeRaw keeps any JSON value as received.
func decodeRaw(data []byte, p string) (RawJSON, error) {
	if !json.Valid(data) {
		return nil, malformed(p)
	}
	return cloneRaw(data), nil
}

// decodeDiscriminator reads the discriminator member key of the union
// found at the JSON path p: a string, which must be there.
func decodeDiscriminator(data []byte, p, key string) (string, error) {
	var raw json.RawMessage
	if err := decodeMembers(data, p, []member{{key, &raw}}); err != nil {
		return "", err
	}
	var v string
	return v, decodeRequired(&v, raw, p, key, decodeString)
}

// decodeDisc decodes the discriminator member key of a union's variant
// (raw), which must be there, a string. The variant's own value (want) is
// not stored; another one is, in *dst, when the variant is decoded on its
// own (the answer of run.start is a RunPending): the server's value is kept
// rather than failing the call, as the API's other unknown values are, and
// the variant's method returns it.
func decodeDisc(dst *string, raw json.RawMessage, p, key, want string) error {
	var v string
	if err := decodeRequired(&v, raw, p, key, decodeString); err != nil {
		return err
	}
	if v != want {
		*dst = v
	}
	return nil
}

// noVariant reports a value of a union without a discriminator that none
// of its variants of that JSON kind accepts: errs are theirs, in order.
func noVariant(p string, names []string, errs []error) error {
	var b strings.Builder
	for i, err := range errs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString("as " + names[i] + ", " + err.Error())
	}
	return &DecodeError{Path: p, Problem: "matches none of its forms (" + b.String() + ")", Err: errs[0]}
}

// decodeRawObject keeps a JSON object as received (a failed queue item's
// error), refusing any other JSON value.
func decodeRawObject(data []byte, p string) (RawJSON, error) {
	if err := expectKind(data, p, "object", "an object", ""); err != nil {
		return nil, err
	}
	return cloneRaw(data), nil
}

// decodeAnyObject keeps a JSON object as received, as a RawJSON in
// an any (a request member the caller may also give as a Go value).
func decodeAnyObject(data []byte, p string) (any, error) {
	raw, err := decodeRawObject(data, p)
	if err != nil {
		return nil, err
	}
	return raw, nil
}

// decodeAnyMap decodes an object of any members.
func decodeAnyMap(data []byte, p string) (map[string]any, error) {
	var m map[string]any
	err := expectKind(data, p, "object", "an object", "is null, not an object")
	if err == nil {
		err = json.Unmarshal(data, &m)
	}
	return m, err
}

// cloneRaw copies raw JSON out of the response buffer.
func cloneRaw(raw []byte) RawJSON {
	if raw == nil {
		return nil
	}
	return append(RawJSON(nil), raw...)
}

// marshalRaw returns raw JSON for an Unknown variant's MarshalJSON.
func marshalRaw(raw []byte) ([]byte, error) {
	if len(raw) == 0 {
		return []byte("null"), nil
	}
	return raw, nil
}

// decodeList decodes a JSON array, each element with elem.
func decodeList[T any](data []byte, p string, elem decoder[T]) ([]T, error) {
	raws, err := decodeElements(data, p)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(raws))
	for i, raw := range raws {
		v, err := elem(raw, index(p, i))
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// decodeSimpleList decodes a JSON array of a simple type (strings,
// numbers, booleans). A null element is kept as the zero value, not an
// error: a list with a hole is still worth having (the contract's stance on
// table cells).
func decodeSimpleList[T any](data []byte, p string, elem decoder[T]) ([]T, error) {
	return decodeList(data, p, func(raw []byte, p string) (T, error) {
		var zero T
		if isNull(raw) {
			return zero, nil
		}
		return elem(raw, p)
	})
}

// decodeMap decodes a JSON object of values, each with elem.
func decodeMap[T any](data []byte, p string, elem decoder[T]) (map[string]T, error) {
	var raws map[string]json.RawMessage
	if err := expectKind(data, p, "object", "an object", "is null"); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, err
	}
	out := make(map[string]T, len(raws))
	for k, raw := range raws {
		v, err := elem(raw, field(p, k))
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// decodeRequired decodes a required member that may not be null.
func decodeRequired[T any](dst *T, raw json.RawMessage, p, key string, dec decoder[T]) error {
	if raw == nil || isNull(raw) {
		return missing(p, key)
	}
	v, err := dec(raw, field(p, key))
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// decodeOptional decodes an optional member of a type whose zero value
// stands for absence; null counts as absence. (A required member that may
// be null is decoded as optional once the generated code has checked that
// it is there.)
func decodeOptional[T any](dst *T, raw json.RawMessage, p, key string, dec decoder[T]) error {
	if raw == nil || isNull(raw) {
		return nil
	}
	return decodeRequired(dst, raw, p, key, dec)
}

// decodeOptionalPtr decodes an optional member into a pointer, nil when
// absent or null.
func decodeOptionalPtr[T any](dst **T, raw json.RawMessage, p, key string, dec decoder[T]) error {
	if raw == nil || isNull(raw) {
		return nil
	}
	var v T
	if err := decodeRequired(&v, raw, p, key, dec); err != nil {
		return err
	}
	*dst = &v
	return nil
}

// peekString returns the string member key of the JSON object raw, or "".
func peekString(raw []byte, key string) string {
	var v json.RawMessage
	if decodeMembers(raw, "", []member{{key, &v}}) != nil || v == nil {
		return ""
	}
	s, _ := decodeString(v, "")
	return s
}

// decodeNullable decodes an optional member that may be null into a
// Nullable: absent, null, or a value.
func decodeNullable[T any](dst *Nullable[T], raw json.RawMessage, p, key string, dec decoder[T]) error {
	switch {
	case raw == nil:
		*dst = Nullable[T]{}
	case isNull(raw):
		*dst = Null[T]()
	default:
		var v T
		if err := decodeRequired(&v, raw, p, key, dec); err != nil {
			return err
		}
		*dst = NullableOf(v)
	}
	return nil
}
