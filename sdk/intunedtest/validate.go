package intunedtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/intuned/intuned-go/sdk"
)

// A request body is checked as the API checks it, with the SDK's model of
// the operation's request, generated from the same openapi.yaml: its
// UnmarshalJSON refuses a body that is not a JSON object, a required member
// that is missing and a member of the wrong JSON type, naming the JSON path
// of the problem. The few constraints of the spec those decoders leave to
// the sender are checked by the models' generated Validate (specChecks),
// and null members here (noNulls).

// invalidInput is the API's 400 body. Details is null when the request
// itself is well formed (a rejected answer).
type invalidInput struct {
	Details []detail `json:"details"`
	Message string   `json:"message"`
}

// detail is one problem of a request: what, and where in the body (the
// path of members and array indexes; empty for the whole body).
type detail struct {
	Message string `json:"message"`
	Path    []any  `json:"path"`
}

func invalid(message string, details ...detail) answer {
	return answer{http.StatusBadRequest, invalidInput{Details: details, Message: message}}
}

// decodeBody decodes the body of a request into v, a pointer to the SDK's
// model of the operation's request, and checks it. ok is false when it does
// not match the spec; bad is then the 400 to send.
func decodeBody(r *http.Request, body []byte, v requestModel) (bad answer, ok bool) {
	var nullable []string
	if rt := routeOf(r); rt != nil {
		nullable = rt.nullable
	}
	if err := checkBody(r.Header.Get("Content-Type"), body, v, nullable); err != nil {
		return invalid("Invalid input", detail{Message: err.Problem, Path: jsonPath(err.Path)}), false
	}
	return answer{}, true
}

// requestModel is a pointer to the SDK's model of a request body.
type requestModel interface{ Validate() error }

func checkBody(contentType string, body []byte, v requestModel, nullable []string) *sdk.DecodeError {
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt != "application/json" {
		if contentType == "" {
			return &sdk.DecodeError{Problem: "has no Content-Type; the API takes application/json"}
		}
		return &sdk.DecodeError{Problem: fmt.Sprintf("is %s; the API takes application/json", contentType)}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return &sdk.DecodeError{Problem: "is empty; the operation requires one"}
	}
	if err := json.Unmarshal(body, v); err != nil {
		var de *sdk.DecodeError
		if errors.As(err, &de) {
			return de
		}
		return &sdk.DecodeError{Problem: "is malformed JSON (" + err.Error() + ")"}
	}
	if err := noNulls(body, members(v), nullable); err != nil {
		return err
	}
	return specChecks(v)
}

// noNulls refuses a member of the model (known) that is null, unless the
// spec says it may be (nullable, from routes.gen.go): the generated
// decoders take null for absent. A member the model does not have, a name
// that differs from one in case included, is ignored, null or not.
func noNulls(body []byte, known, nullable []string) *sdk.DecodeError {
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return nil // not an object: the model's decoder said so already
	}
	var keys []string
	for k, raw := range members {
		if string(raw) == "null" && slices.Contains(known, k) && !slices.Contains(nullable, k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	return &sdk.DecodeError{Path: slices.Min(keys), Problem: "is null"}
}

// specChecks runs the checks of openapi.yaml that the generated decoders
// leave to the sender (minLength, pattern): the request model's own
// Validate, which the SDK runs before sending, generated from the same spec.
func specChecks(v requestModel) *sdk.DecodeError {
	var ae *sdk.ArgumentError
	if err := v.Validate(); errors.As(err, &ae) {
		return &sdk.DecodeError{Path: ae.Path, Problem: ae.Problem}
	}
	return nil
}

// jsonPath splits a DecodeError's path (details.choices, [2].status) into
// the API's path segments: member names, and array indexes as numbers.
func jsonPath(p string) []any {
	out := []any{}
	for _, part := range strings.Split(p, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			out = append(out, name)
		}
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			if n, err := strconv.Atoi(idx); err == nil {
				out = append(out, n)
			} else {
				out = append(out, idx)
			}
			_, rest, _ = strings.Cut(after, "[")
		}
	}
	return out
}

// members lists the JSON names of the members of a request model (a
// pointer to a struct of the SDK), from its fields' tags.
func members(v requestModel) []string {
	t := reflect.TypeOf(v).Elem()
	var out []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}
