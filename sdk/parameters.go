package sdk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Parameters are the input of what a call runs: the API of a run, a job's
// payload or a queue item, or the auth-session logic of a create or update
// (credentials and the like). They are a JSON object or a JSON array, sent
// as given. Use
// ParametersObject, ParametersArray or ParametersRaw:
//
//	Parameters: sdk.ParametersObject{"username": "me", "password": pw}
//	Parameters: sdk.ParametersArray{"me", pw}
type Parameters interface {
	// MarshalJSON encodes the parameters as a JSON object or array.
	MarshalJSON() ([]byte, error)
	isParameters()
}

// ParametersObject is Parameters sent as a JSON object. A nil map is sent
// as {}.
type ParametersObject map[string]any

// ParametersArray is Parameters sent as a JSON array. A nil slice is sent
// as [].
type ParametersArray []any

// ParametersRaw is Parameters already encoded: it must hold one JSON object
// or array, which is sent as it is. It prints (%v, %s) as its JSON text.
type ParametersRaw json.RawMessage

// String returns the JSON text.
func (p ParametersRaw) String() string { return string(p) }

func (ParametersObject) isParameters() {}
func (ParametersArray) isParameters()  {}
func (ParametersRaw) isParameters()    {}

// MarshalJSON encodes p as a JSON object. Keys and strings must be UTF-8.
func (p ParametersObject) MarshalJSON() ([]byte, error) {
	if p == nil {
		return []byte("{}"), nil
	}
	return marshalParameters(map[string]any(p))
}

// MarshalJSON encodes p as a JSON array. Strings must be UTF-8.
func (p ParametersArray) MarshalJSON() ([]byte, error) {
	if p == nil {
		return []byte("[]"), nil
	}
	return marshalParameters([]any(p))
}

// MarshalJSON returns p after checking that it is one JSON object or array,
// in UTF-8.
func (p ParametersRaw) MarshalJSON() ([]byte, error) {
	t := bytes.TrimSpace(p)
	if len(t) == 0 || t[0] != '{' && t[0] != '[' || !json.Valid(t) {
		return nil, fmt.Errorf("raw parameters are not one JSON object or array")
	}
	if !utf8.Valid(t) {
		return nil, fmt.Errorf("raw parameters are not valid UTF-8")
	}
	return t, nil
}

// marshalParameters encodes parameters, once checkJSONText has passed
// them, saying what they hold that JSON cannot encode (a func, a channel, a
// NaN).
func marshalParameters(v any) ([]byte, error) {
	if err := checkJSONText(v, 0); err != nil {
		return nil, fmt.Errorf("parameters %w", err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("parameters hold a value JSON cannot encode: %w", err)
	}
	return b, nil
}

// decodeParameters decodes parameters found in an answer: an object or an
// array, kept exactly as received (ParametersRaw), so that no number loses
// precision.
func decodeParameters(data []byte, p string) (Parameters, error) {
	kind, err := jsonKind(data, p)
	if err != nil {
		return nil, err
	}
	if kind != "object" && kind != "array" {
		return nil, &DecodeError{Path: p, Problem: "is a JSON " + kind + ", not an object or an array"}
	}
	return ParametersRaw(cloneRaw(bytes.TrimSpace(data))), nil
}

// unwrapMarshalError drops encoding/json's "json: error calling MarshalJSON
// for type ..." prefix when our own MarshalJSON failed.
func unwrapMarshalError(err error) error {
	var me *json.MarshalerError
	if errors.As(err, &me) {
		return me.Unwrap()
	}
	return err
}
