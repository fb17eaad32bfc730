package sdk

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Ptr returns a pointer to v, for the optional members of request models,
// which are pointers (see the package doc):
//
//	sdk.AuthSessionCreateRequest{ID: sdk.Ptr("my-auth-session")}
func Ptr[T any](v T) *T { return &v }

// Nullable is a member that the API lets a request leave out or send as
// null, and that an answer may leave out or hold as null: the optional,
// nullable members (a queue's sink, auth session and metadata; a job's
// sink). It tells the three apart, in both directions:
//
//   - the zero value is absent: the member is not sent (omitzero), and an
//     answer without it decodes to the zero value;
//   - Null[T]() is the JSON null, sent as null and decoded from null;
//   - NullableOf(v) is the value v.
//
// Every other member follows the package's one rule (see the package doc):
// an optional member is a pointer or another type whose nil is absence, and
// a required, nullable one (QueueCreateRequest.Configuration) is one whose
// nil is null.
type Nullable[T any] struct {
	value T
	state nullableState
}

type nullableState uint8

const (
	nullableAbsent nullableState = iota
	nullableNull
	nullableValue
)

// NullableOf returns a Nullable that holds v. For a member of an interface
// type, name the type: sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{…}). A
// v that encodes as null (a nil interface, pointer or map) is sent as null;
// write Null for that.
func NullableOf[T any](v T) Nullable[T] { return Nullable[T]{value: v, state: nullableValue} }

// Null returns a Nullable that is the JSON null.
func Null[T any]() Nullable[T] { return Nullable[T]{state: nullableNull} }

// Get returns the value, and whether there is one (not absent, not null).
func (n Nullable[T]) Get() (T, bool) { return n.value, n.state == nullableValue }

// IsNull reports whether n is the JSON null.
func (n Nullable[T]) IsNull() bool { return n.state == nullableNull }

// IsZero reports whether n is absent, so that encoding/json's omitzero
// leaves it out.
func (n Nullable[T]) IsZero() bool { return n.state == nullableAbsent }

// MarshalJSON encodes the value, or null when n is null or absent (absent
// members are left out of request bodies before this is called).
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if n.state != nullableValue {
		return []byte("null"), nil
	}
	return json.Marshal(n.value)
}

// UnmarshalJSON decodes null into Null, and any other JSON value into a
// value, as encoding/json decodes a T (for a Nullable in a struct of your
// own; the SDK's models decode theirs with their own checks). A member
// that is absent leaves the Nullable as it was: zero, absent.
func (n *Nullable[T]) UnmarshalJSON(data []byte) error {
	if isNull(bytes.TrimSpace(data)) {
		*n = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*n = NullableOf(v)
	return nil
}

// String shows the value as %v does, or says "null" or "absent".
func (n Nullable[T]) String() string {
	switch n.state {
	case nullableNull:
		return "null"
	case nullableAbsent:
		return "absent"
	}
	return fmt.Sprint(n.value)
}

// RawJSON is a JSON value kept exactly as the server sent it: a run's
// result, an unknown variant, a failure's error object. It is a []byte
// underneath, so json.Unmarshal(r.Result, &v) reads it as it is; printed
// with %v, %+v or %s it shows as its JSON text, not as bytes; and it
// encodes as itself (nil as null).
type RawJSON []byte

// String returns the JSON text.
func (r RawJSON) String() string { return string(r) }

// MarshalJSON returns r itself, or null when r is nil.
func (r RawJSON) MarshalJSON() ([]byte, error) {
	if r == nil {
		return []byte("null"), nil
	}
	return r, nil
}

// UnmarshalJSON keeps a copy of data.
func (r *RawJSON) UnmarshalJSON(data []byte) error {
	*r = append((*r)[:0], data...)
	return nil
}

// jsonText is v as JSON text, for the String method of every model: what
// %v and %+v print.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%T(%v)", v, err)
	}
	return string(b)
}
