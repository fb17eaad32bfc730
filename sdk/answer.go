package sdk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// This file turns an HTTP answer that is not the operation's documented
// success into the matching error, and checks a success before it is
// decoded.

// apiError turns a non-success answer of op into its error type: a 400 or
// 401 with the API's JSON error body is an *APIErrorInvalidInput or
// *APIErrorUnauthorized; anything else is an *SDKError.
func (r *response) apiError(op *operation) error {
	ct := r.header.Get("Content-Type")
	if body := trimBOM(r.body); !r.truncated && isJSON(ct) && jsonObject(body) {
		switch r.status {
		case http.StatusBadRequest:
			if msg, details, rest, ok := decodeErrorBody(body, "details"); ok {
				return &APIErrorInvalidInput{Operation: op.name, Message: msg, Details: details, AdditionalProperties: rest, Header: r.header}
			}
		case http.StatusUnauthorized:
			if msg, _, rest, ok := decodeErrorBody(body, ""); ok {
				return &APIErrorUnauthorized{Operation: op.name, Message: msg, AdditionalProperties: rest, Header: r.header}
			}
		}
	}
	body, truncated := r.body, r.truncated
	if len(body) > MaxErrorBodySize { // a 2xx read under the success bound
		body, truncated = body[:MaxErrorBodySize], true
	}
	return &SDKError{Operation: op.name, Code: r.status, Expected: op.success, ContentType: ct, Body: string(body), BodyTruncated: truncated, Header: r.header}
}

// checkJSON checks that a success answer is whole and JSON.
func (r *response) checkJSON(op *operation) error {
	if r.truncated {
		return r.invalid(op, fmt.Errorf("the body is larger than %d bytes", MaxResponseBodySize))
	}
	if ct := r.header.Get("Content-Type"); !isJSON(ct) {
		return r.invalid(op, fmt.Errorf("the content type %q is not JSON", ct))
	}
	return nil
}

// invalid builds the *ResponseValidationError of a success answer whose body
// does not match the spec; err says why (a *DecodeError names the JSON
// path).
func (r *response) invalid(op *operation, err error) error {
	return newValidationError(op.name, r.status, r.header.Get("Content-Type"), r.body, err)
}

// isJSON reports whether a Content-Type names JSON (application/json or a
// +json type), whatever its parameters.
func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	return strings.EqualFold(mt, "application/json") ||
		len(mt) > len("+json") && strings.EqualFold(mt[len(mt)-len("+json"):], "+json")
}

// jsonObject reports whether b, past leading white space, starts an object.
func jsonObject(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// decodeErrorBody decodes an API error body (ApiErrorInvalidInput or
// ApiErrorUnauthorized) in one pass: its message (which must be a string if
// present), the member named field (if any), and every other member. ok is
// false when the body is not such an object.
func decodeErrorBody(body []byte, field string) (msg string, value any, rest map[string]any, ok bool) {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil || m == nil {
		return "", nil, nil, false
	}
	if v, found := m["message"]; found {
		if msg, ok = v.(string); !ok {
			return "", nil, nil, false
		}
		delete(m, "message")
	}
	if field != "" {
		value = m[field]
		delete(m, field)
	}
	if len(m) > 0 {
		rest = m
	}
	return msg, value, rest, true
}

// minRedactedKey is the shortest API key searched for in answers: shorter
// strings would match ordinary text.
const minRedactedKey = 8

const redacted = "[redacted]"

// redact replaces the API key wherever a server echoed it (the body, and the
// headers of an error answer), so that no error can carry it.
func (r *response) redact(key string) {
	if len(key) < minRedactedKey {
		return
	}
	if bytes.Contains(r.body, []byte(key)) {
		r.body = bytes.ReplaceAll(r.body, []byte(key), []byte(redacted))
	}
	if r.status >= 200 && r.status < 300 {
		return
	}
	for k, vs := range r.header {
		for i, v := range vs {
			if strings.Contains(v, key) {
				r.header[k][i] = strings.ReplaceAll(v, key, redacted)
			}
		}
	}
}
