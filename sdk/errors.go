package sdk

import (
	"crypto/tls"
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
//   - *SDKError: any other answer than the documented success (404, other
//     4xx, 5xx, an undocumented 2xx, or a 400 or 401 whose body is not JSON).
//   - *ResponseValidationError: the documented success status with a body
//     that does not match the API (malformed JSON, a missing member, a wrong
//     content type); Path names the JSON path of what does not match.
//   - *TransportError: no answer at all (a connection failure, a timeout, a
//     cancelled context, an answer cut off); it wraps its cause, so
//     errors.Is(err, context.DeadlineExceeded) works.
//
// Waits add *OperationFailedError, *UnknownStatusError and, around any error
// after an operation has started, *OperationError. No error carries the API
// key, in its text or in any of its fields, whatever the server echoes back
// (a body, a header, a content type, an operation's ID): it is replaced by
// "[redacted]". The values a call returns on success are left as the server
// sent them.

// ErrInvalidArgument is matched (errors.Is) by every *ArgumentError.
var ErrInvalidArgument = errors.New("intuned: invalid argument")

// maxErrorBodyText bounds how much of a response body an Error() text shows.
const maxErrorBodyText = 512

// ArgumentError reports bad input or configuration, before any request.
type ArgumentError struct {
	Name    string // what was wrong: "project name", "API key", ...
	Problem string // why, in words
	// Path is the JSON path of the member of a request body at fault (such
	// as id or sink.url); empty for anything else.
	Path string
}

// Error says what was wrong and why.
func (e *ArgumentError) Error() string { return "intuned: " + e.Name + " " + e.Problem }

// Is reports whether target is ErrInvalidArgument.
func (e *ArgumentError) Is(target error) bool { return target == ErrInvalidArgument }

// APIErrorInvalidInput is the API's answer to a request it found invalid
// (HTTP 400 with a JSON body).
type APIErrorInvalidInput struct {
	// Operation is the reference client's name of the call.
	Operation string
	// Message is the API's description, empty when the body has none.
	Message string
	// Details is the body's "details" member, decoded as JSON (nil if absent).
	Details any
	// AdditionalProperties holds every other top-level member of the body.
	AdditionalProperties map[string]any
	// Header holds the response headers.
	Header http.Header
}

// Error names the operation and gives the API's message.
func (e *APIErrorInvalidInput) Error() string {
	return apiErrorText(e.Operation, "invalid input", http.StatusBadRequest, e.Message)
}

// StatusCode returns 400.
func (e *APIErrorInvalidInput) StatusCode() int { return http.StatusBadRequest }

// APIErrorUnauthorized is the API's answer to a missing or wrong API key
// (HTTP 401 with a JSON body).
type APIErrorUnauthorized struct {
	// Operation is the reference client's name of the call.
	Operation string
	// Message is the API's description, empty when the body has none.
	Message string
	// AdditionalProperties holds every other top-level member of the body.
	AdditionalProperties map[string]any
	// Header holds the response headers.
	Header http.Header
}

func (e *APIErrorUnauthorized) Error() string {
	return apiErrorText(e.Operation, "unauthorized", http.StatusUnauthorized, e.Message)
}

// StatusCode returns 401.
func (e *APIErrorUnauthorized) StatusCode() int { return http.StatusUnauthorized }

func apiErrorText(op, kind string, status int, msg string) string {
	s := "intuned: "
	if op != "" {
		s += op + ": "
	}
	s += fmt.Sprintf("%s (HTTP %d)", kind, status)
	if msg != "" {
		s += ": " + condense(msg)
	}
	return s
}

// SDKError is any other answer than the operation's documented success: a
// 404, another 4xx, a 5xx, a 2xx other than the documented one, or a 400 or
// 401 whose body is not the API's JSON error body.
type SDKError struct {
	// Operation is the reference client's name of the call, such as
	// project.authSessions.update.start.
	Operation string
	// Code is the HTTP status code.
	Code int
	// Expected is the operation's documented success status.
	Expected int
	// ContentType is the response's Content-Type header.
	ContentType string
	// Body is the response body as text, at most MaxErrorBodySize bytes.
	Body string
	// BodyTruncated reports that the body was longer than Body holds.
	BodyTruncated bool
	// Header holds the response headers.
	Header http.Header
}

// Error names the operation and the status, and shows the body condensed:
// on one line, without HTML tags, cut after a few hundred bytes (Body keeps
// it whole).
func (e *SDKError) Error() string {
	var b strings.Builder
	b.WriteString("intuned: ")
	if e.Operation != "" {
		b.WriteString(e.Operation + ": ")
	}
	if e.Code >= 200 && e.Code < 300 {
		fmt.Fprintf(&b, "unexpected success status HTTP %d", e.Code)
		if e.Expected != 0 {
			fmt.Fprintf(&b, " (the API documents %d)", e.Expected)
		}
	} else {
		fmt.Fprintf(&b, "API error: HTTP %d", e.Code)
	}
	if e.ContentType != "" {
		fmt.Fprintf(&b, " (%s)", e.ContentType)
	}
	if body := condense(e.Body); body != "" {
		b.WriteString(": ")
		b.WriteString(body)
	}
	return b.String()
}

// StatusCode returns the HTTP status code.
func (e *SDKError) StatusCode() int { return e.Code }

// ResponseValidationError reports the documented success status with a body
// that does not match the API: malformed or truncated JSON, an empty body, a
// content type other than JSON, a required member missing or null, a member
// of the wrong JSON type. (Unknown enum values and unknown union variants
// are kept, never an error.) ParseSinkResult reports a webhook sink's
// payload that does not match the API with it too, with Code 0.
type ResponseValidationError struct {
	// Operation is the reference client's name of the call, or "webhook
	// sink" for a sink's payload.
	Operation string
	// Path is the JSON path of what does not match, such as
	// details.choices or [2].status; empty when the whole body is at fault.
	Path string
	// Code is the HTTP status code (a success); 0 for a sink's payload.
	Code int
	// ContentType is the response's Content-Type header.
	ContentType string
	// Body is the response body as text, at most MaxErrorBodySize bytes.
	Body string
	// Reason says what does not match.
	Reason string
	// Err is the underlying error: a *DecodeError for a body that does not
	// match the schema.
	Err error
}

// newValidationError builds the *ResponseValidationError of a body that
// does not match the spec, keeping at most MaxErrorBodySize bytes of it; err
// says why (a *DecodeError names the JSON path).
func newValidationError(op string, status int, contentType string, body []byte, err error) *ResponseValidationError {
	if len(body) > MaxErrorBodySize {
		body = body[:MaxErrorBodySize]
	}
	e := &ResponseValidationError{Operation: op, Code: status, ContentType: contentType, Body: string(body), Reason: err.Error(), Err: err}
	var de *DecodeError
	if errors.As(err, &de) {
		e.Path = de.Path
	}
	return e
}

// Error names the operation, the status and what does not match.
func (e *ResponseValidationError) Error() string {
	op := ""
	if e.Operation != "" {
		op = e.Operation + ": "
	}
	if e.Code == 0 { // not an answer: a webhook sink's payload (ParseSinkResult)
		return fmt.Sprintf("intuned: %spayload does not match the API: %s", op, e.Reason)
	}
	return fmt.Sprintf("intuned: %sresponse (HTTP %d) does not match the API: %s", op, e.Code, e.Reason)
}

// Unwrap returns the decoding error, if any.
func (e *ResponseValidationError) Unwrap() error { return e.Err }

// StatusCode returns the HTTP status code.
func (e *ResponseValidationError) StatusCode() int { return e.Code }

// condense shortens a body for an error text: HTML tags dropped (what is
// between them kept), white space folded onto one line (fold), and cut
// after maxErrorBodyText bytes on a UTF-8 boundary.
func condense(s string) string {
	s = fold(s)
	if len(s) <= maxErrorBodyText {
		return s
	}
	cut := maxErrorBodyText
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// fold drops the HTML tags of s, if it is HTML, and folds its white space
// onto one line.
func fold(s string) string {
	if strings.HasPrefix(strings.TrimSpace(s), "<") {
		var b strings.Builder
		in := false
		for _, r := range s {
			switch {
			case r == '<':
				in = true
				b.WriteByte(' ')
			case r == '>':
				in = false
			case !in:
				b.WriteRune(r)
			}
		}
		s = b.String()
	}
	return strings.Join(strings.Fields(s), " ")
}

// TransportError reports a call that got no HTTP answer: the connection
// failed, the attempt timed out (errors.Is(err, context.DeadlineExceeded)),
// the context was cancelled (errors.Is(err, context.Canceled)), or the
// answer broke off. It wraps the cause.
type TransportError struct {
	// Operation is the reference client's name of the call, such as
	// project.authSessions.update.start.
	Operation string
	// RequestSent reports that the request was written, in whole or in
	// part, before the failure: the server may have acted on it. When false,
	// the request never left (the connection was never established), and
	// sending it again cannot act twice.
	RequestSent bool
	// Err is the cause.
	Err error
}

// Error names the operation and gives the cause.
func (e *TransportError) Error() string { return "intuned: " + e.Operation + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *TransportError) Unwrap() error { return e.Err }

// certificate reports a server certificate that does not verify, which no
// retry will fix.
func (e *TransportError) certificate() bool {
	var certErr *tls.CertificateVerificationError
	return errors.As(e.Err, &certErr)
}

// OperationFailedError reports a long-running operation that ended in
// failure: an auth-session create or update, a run, a queue item, a file
// extraction.
type OperationFailedError struct {
	// OperationID is the ID of the operation (a run's or a queue item's run
	// ID).
	OperationID string
	// Code is the API's error code: the result's "error" member, or for a
	// queue item the "code" member of its error object, if it has one.
	Code string
	// Message is the API's description, for people: the result's "message",
	// or for a queue item its error object's "message", if it has one.
	Message string
	// StatusCode is the HTTP status code of a failed run or queue item; 0
	// for an auth-session operation or a file extraction, which have none.
	StatusCode int
	// Details is a failed queue item's error object, whole, as received;
	// nil for the others, whose failure is Code and Message.
	Details RawJSON
}

// Error names the operation and gives the API's code, message and status
// code.
func (e *OperationFailedError) Error() string {
	msg := fmt.Sprintf("intuned: operation %s failed: %s: %s", e.OperationID, e.Code, e.Message)
	if e.Code == "" && e.Message == "" && len(e.Details) > 0 {
		msg = fmt.Sprintf("intuned: operation %s failed: %s", e.OperationID, condense(string(e.Details)))
	}
	if e.StatusCode != 0 {
		msg += fmt.Sprintf(" (status code %d)", e.StatusCode)
	}
	return msg
}

// UnknownStatusError reports a state whose status this SDK version does not
// know; a wait stops rather than poll for ever.
type UnknownStatusError struct {
	// OperationID is the ID of the operation.
	OperationID string
	// Status is the status as the API spelled it.
	Status string
	// Raw is the state as received.
	Raw RawJSON
}

// Error names the operation and the status.
func (e *UnknownStatusError) Error() string {
	return fmt.Sprintf("intuned: operation %s has status %q, which this SDK version does not know", e.OperationID, e.Status)
}

// OperationError wraps an error that ended a wait on an operation (a
// StartAndWait after the operation had started, an Operation.Wait, a bulk
// wait's outcome), so that the caller can still pick the operation up by its
// ID. Its text names the wait and the operation, as a call's error names the
// call: "intuned: project.run.startAndWait: operation <ID>: context deadline
// exceeded".
type OperationError struct {
	// Wait names the wait, after the reference client's names of the calls:
	// project.run.startAndWait, project.queues.items.appendAndWaitAll,
	// files.extractTables.wait (Operation.Wait), project.run.waitAll
	// (WaitAll).
	Wait string
	// ProjectName is the operation's project, if it has one (file
	// extractions have none).
	ProjectName string
	// QueueID is the queue of a queue item, empty for other operations:
	// with ProjectName and OperationID it rebuilds the item's handle
	// (client.Project.Queues.Items.Operation).
	QueueID string
	// OperationID is the ID of the operation, to pick it up by.
	OperationID string
	// Err is the error that ended the wait.
	Err error
}

// Error names the wait and the operation, then gives Err's text (less its
// "intuned: ").
func (e *OperationError) Error() string {
	var b strings.Builder
	b.WriteString("intuned: ")
	if e.Wait != "" {
		b.WriteString(e.Wait + ": ")
	}
	msg := "<nil>"
	if e.Err != nil {
		msg = strings.TrimPrefix(e.Err.Error(), "intuned: ")
	}
	// An *OperationFailedError, an *UnknownStatusError and the error of an
	// info request handler start with the operation already.
	if op := "operation " + e.OperationID; !strings.HasPrefix(msg, op+" ") && !strings.HasPrefix(msg, op+":") {
		b.WriteString(op + ": ")
	}
	b.WriteString(msg)
	return b.String()
}

// Unwrap returns the error that ended the wait.
func (e *OperationError) Unwrap() error { return e.Err }
