package sdk

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Every error an operation returns is one of these, possibly wrapped, or a
// transport error that wraps its cause (so errors.Is(err,
// context.DeadlineExceeded) and errors.Is(err, context.Canceled) work):
//
//   - *ArgumentError: bad input or configuration, found before any request
//     was sent; errors.Is(err, ErrInvalidArgument) reports it too.
//   - *APIErrorInvalidInput: the API answered 400 with its JSON error body.
//   - *APIErrorUnauthorized: the API answered 401 with its JSON error body.
//   - *SDKError: any other non-success answer (404, other 4xx, 5xx, or a 400
//     or 401 whose body is not JSON).
//   - *ResponseValidationError: a success status whose body does not match
//     the API (malformed JSON, a missing field, a wrong content type).
//
// No error text ever contains the API key.

// ErrInvalidArgument is matched (errors.Is) by every *ArgumentError.
var ErrInvalidArgument = errors.New("intuned: invalid argument")

// maxErrorBodyText bounds how much of a response body an Error() text shows.
const maxErrorBodyText = 512

// ArgumentError reports bad input or configuration, before any request.
type ArgumentError struct {
	Name    string // what was wrong: "project name", "API key", ...
	Problem string // why, in words
}

func (e *ArgumentError) Error() string { return "intuned: " + e.Name + " " + e.Problem }

// Is reports whether target is ErrInvalidArgument.
func (e *ArgumentError) Is(target error) bool { return target == ErrInvalidArgument }

// APIErrorInvalidInput is the API's answer to a request it found invalid
// (HTTP 400 with a JSON body).
type APIErrorInvalidInput struct {
	// Message is the API's description, empty when the body has none.
	Message string
	// Details is the body's "details" member, decoded as JSON (nil if absent).
	Details any
	// AdditionalProperties holds every other top-level member of the body.
	AdditionalProperties map[string]any
	// Header holds the response headers.
	Header http.Header
}

func (e *APIErrorInvalidInput) Error() string {
	return apiErrorText("invalid input", http.StatusBadRequest, e.Message)
}

// StatusCode returns 400.
func (e *APIErrorInvalidInput) StatusCode() int { return http.StatusBadRequest }

// APIErrorUnauthorized is the API's answer to a missing or wrong API key
// (HTTP 401 with a JSON body).
type APIErrorUnauthorized struct {
	// Message is the API's description, empty when the body has none.
	Message string
	// AdditionalProperties holds every other top-level member of the body.
	AdditionalProperties map[string]any
	// Header holds the response headers.
	Header http.Header
}

func (e *APIErrorUnauthorized) Error() string {
	return apiErrorText("unauthorized", http.StatusUnauthorized, e.Message)
}

// StatusCode returns 401.
func (e *APIErrorUnauthorized) StatusCode() int { return http.StatusUnauthorized }

func apiErrorText(kind string, status int, msg string) string {
	if msg == "" {
		return fmt.Sprintf("intuned: %s (HTTP %d)", kind, status)
	}
	return fmt.Sprintf("intuned: %s (HTTP %d): %s", kind, status, msg)
}

// SDKError is any other non-success answer: 404, another 4xx, a 5xx, or a
// 400 or 401 whose body is not the API's JSON error body.
type SDKError struct {
	// Code is the HTTP status code.
	Code int
	// ContentType is the response's Content-Type header.
	ContentType string
	// Body is the response body as text, at most MaxErrorBodySize bytes.
	Body string
	// BodyTruncated reports that the body was longer than Body holds.
	BodyTruncated bool
	// Header holds the response headers.
	Header http.Header
}

func (e *SDKError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "intuned: API error: HTTP %d", e.Code)
	if e.ContentType != "" {
		fmt.Fprintf(&b, " (%s)", e.ContentType)
	}
	if body := strings.TrimSpace(e.Body); body != "" {
		b.WriteString(": ")
		b.WriteString(snippet(body))
	}
	return b.String()
}

// StatusCode returns the HTTP status code.
func (e *SDKError) StatusCode() int { return e.Code }

// ResponseValidationError reports a success status whose body does not
// match the API: malformed or truncated JSON, an empty body, a content type
// other than JSON, a missing required field or an unknown enum value.
type ResponseValidationError struct {
	// Code is the HTTP status code (a success).
	Code int
	// ContentType is the response's Content-Type header.
	ContentType string
	// Body is the response body as text, at most MaxErrorBodySize bytes.
	Body string
	// Reason says what does not match.
	Reason string
	// Err is the underlying decoding error, if any.
	Err error
}

func (e *ResponseValidationError) Error() string {
	msg := fmt.Sprintf("intuned: response (HTTP %d) does not match the API: %s", e.Code, e.Reason)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the decoding error, if any.
func (e *ResponseValidationError) Unwrap() error { return e.Err }

// StatusCode returns the HTTP status code.
func (e *ResponseValidationError) StatusCode() int { return e.Code }

// snippet shortens s for an error text, on a UTF-8 boundary.
func snippet(s string) string {
	if len(s) <= maxErrorBodyText {
		return s
	}
	cut := maxErrorBodyText
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
