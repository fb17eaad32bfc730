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
// *APIErrorUnauthorized; anything else is an *SDKError. key, the API key the
// call sent, is redacted wherever the server echoed it (redact.go), for
// every status.
func (r *response) apiError(op *operation, key string) error {
	ct := r.header.Get("Content-Type")
	red := newRedactor(key)
	if body := trimBOM(r.body); !r.truncated && isJSON(ct) && jsonObject(body) {
		switch r.status {
		case http.StatusBadRequest:
			if msg, details, rest, ok := decodeErrorBody(body, "details"); ok {
				return red.error(&APIErrorInvalidInput{Operation: op.name, Message: msg, Details: details, AdditionalProperties: rest, Header: r.header})
			}
		case http.StatusUnauthorized:
			if msg, _, rest, ok := decodeErrorBody(body, ""); ok {
				return red.error(&APIErrorUnauthorized{Operation: op.name, Message: msg, AdditionalProperties: rest, Header: r.header})
			}
		}
	}
	body, truncated := r.body, r.truncated
	if len(body) > MaxErrorBodySize { // a 2xx read under the success bound
		body, truncated = body[:MaxErrorBodySize], true
	}
	return red.error(&SDKError{Operation: op.name, Code: r.status, Expected: op.success, ContentType: ct, Body: string(body), BodyTruncated: truncated, Header: r.header})
}

// checkJSON checks that a success answer is whole and JSON; key is redacted
// from the error, as apiError does.
func (r *response) checkJSON(op *operation, key string) error {
	if r.truncated {
		return r.invalid(op, key, fmt.Errorf("the body is larger than %d bytes", MaxResponseBodySize))
	}
	if ct := r.header.Get("Content-Type"); !isJSON(ct) {
		return r.invalid(op, key, fmt.Errorf("the content type %q is not JSON", ct))
	}
	return nil
}

// invalid builds the *ResponseValidationError of a success answer whose body
// does not match the spec; err says why (a *DecodeError names the JSON
// path). key is redacted from the error, as apiError does: in a copy of the
// body (r.body, the success's, is not changed), before the error's share of
// it is cut, so that no piece of a key is left at the cut.
func (r *response) invalid(op *operation, key string, err error) error {
	red := newRedactor(key)
	return red.error(newValidationError(op.name, r.status, r.header.Get("Content-Type"), red.bytes(r.body), err))
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
