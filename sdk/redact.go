package sdk

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// This file keeps the API key out of everything that leaves the SDK as an
// error or a log record, whatever a server echoes back: in a body, a header
// (its value or its name), a content type, an operation's ID or status. The
// errors are redacted where they are built from an answer (answer.go, call.go)
// and where a wait hands them over (bulk.go); the values a call returns on
// success are never touched: they are the caller's data, as the server sent
// them.

// minRedactedKey is the shortest API key searched for: shorter strings would
// match ordinary text.
const minRedactedKey = 8

// minRedactedFragment is the shortest start of a key that is cut from the end
// of a body that was itself cut (at MaxErrorBodySize), where a key the server
// echoed may have been cut in two.
const minRedactedFragment = 4

const redacted = "[redacted]"

// A redactor replaces API keys in what leaves the SDK as an error or a log
// record. The zero value redacts nothing.
type redactor struct {
	// forms are the texts replaced: each key, and the forms a key takes
	// escaped in a JSON string, a Go quoted string (%q, %+q) or a URL (a
	// path segment, a query value), longest first.
	forms []string
	// names are the keys as a header name can hold them: matched without
	// regard to case, since net/http canonicalizes names.
	names []string
}

// newRedactor returns a redactor of keys; keys shorter than minRedactedKey
// are left alone.
func newRedactor(keys ...string) redactor {
	var r redactor
	for _, k := range keys {
		if len(k) < minRedactedKey || slices.Contains(r.names, k) {
			continue
		}
		r.names = append(r.names, k)
		forms := []string{k}
		if !unescaped(k) { // else no encoding changes it: the common case, built without the others
			q, qa := strconv.Quote(k), strconv.QuoteToASCII(k)
			js, jsPlain := jsonForm(k, true), jsonForm(k, false)
			// JSON may escape "/" too ("\/", as PHP does by default).
			forms = append(forms, js, jsPlain, strings.ReplaceAll(js, "/", `\/`), strings.ReplaceAll(jsPlain, "/", `\/`),
				q[1:len(q)-1], qa[1:len(qa)-1], url.PathEscape(k), url.QueryEscape(k))
		}
		for _, f := range forms {
			if !slices.Contains(r.forms, f) {
				r.forms = append(r.forms, f)
			}
		}
	}
	// Longest first, so that a form holding a shorter one is replaced whole.
	slices.SortStableFunc(r.forms, func(a, b string) int { return len(b) - len(a) })
	return r
}

// unescaped reports whether k is the same in every form newRedactor
// replaces: letters, digits and "-._~", which neither JSON, Go quoting nor
// URL escaping changes.
func unescaped(k string) bool {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// jsonForm is k as it appears inside a JSON string, with or without the
// HTML escapes of encoding/json.
func jsonForm(k string, escapeHTML bool) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(escapeHTML)
	if e.Encode(k) != nil {
		return k
	}
	s := strings.TrimSuffix(b.String(), "\n")
	return s[1 : len(s)-1]
}

// in reports whether s holds a key.
func (r redactor) in(s string) bool {
	for _, f := range r.forms {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

// str returns s with every key replaced.
func (r redactor) str(s string) string {
	for _, f := range r.forms {
		s = strings.ReplaceAll(s, f, redacted)
	}
	return s
}

// bytes returns b with every key replaced: b itself when it holds none,
// else a copy (b may be the caller's).
func (r redactor) bytes(b []byte) []byte {
	for _, f := range r.forms {
		if bytes.Contains(b, []byte(f)) {
			b = bytes.ReplaceAll(b, []byte(f), []byte(redacted))
		}
	}
	return b
}

// text returns s with every key replaced, as str does, for a text an
// Error method shows condensed (condense): if condensing would join pieces
// of s back into a key (white space folded, a stray '>' dropped), the
// condensed text, redacted, replaces s.
func (r redactor) text(s string) string {
	s = r.str(s)
	if f := fold(s); r.in(f) {
		return r.str(f)
	}
	return s
}

// cutTail drops from the end of s, a body that was cut short, a start of a
// key (at least minRedactedFragment bytes) that the cut left behind.
func (r redactor) cutTail(s string) string {
	for _, f := range r.forms {
		for n := min(len(f)-1, len(s)); n >= minRedactedFragment; n-- {
			if strings.HasSuffix(s, f[:n]) {
				return s[:len(s)-n]
			}
		}
	}
	return s
}

// name returns a header name with every key replaced, whatever its case
// (net/http canonicalizes names).
func (r redactor) name(k string) string {
	for _, key := range r.names {
		for i := 0; i+len(key) <= len(k); i++ {
			if strings.EqualFold(k[i:i+len(key)], key) {
				k = k[:i] + redacted + k[i+len(key):]
				i += len(redacted) - 1
			}
		}
	}
	return k
}

// header returns h with every key replaced in its names and values: h
// itself when it holds none, else a copy, so that a map the caller may also
// hold (through the *http.Response its RoundTripper saw) is never changed.
func (r redactor) header(h http.Header) http.Header {
	if !r.inHeader(h) {
		return h
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		k = r.name(k)
		for _, v := range vs {
			out[k] = append(out[k], r.str(v))
		}
	}
	return out
}

func (r redactor) inHeader(h http.Header) bool {
	for k, vs := range h {
		if r.name(k) != k || slices.ContainsFunc(vs, r.in) {
			return true
		}
	}
	return false
}

// value returns v, a value decoded from JSON, with every key replaced in
// its strings and its objects' member names: v itself when it holds none,
// else a copy.
func (r redactor) value(v any) any {
	switch x := v.(type) {
	case string:
		return r.str(x)
	case []any:
		if !r.inValue(x) {
			return v
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = r.value(e)
		}
		return out
	case map[string]any:
		return r.object(x)
	}
	return v // numbers, booleans, null
}

func (r redactor) object(m map[string]any) map[string]any {
	if !r.inValue(m) {
		return m
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		out[r.str(k)] = r.value(e)
	}
	return out
}

// inValue reports whether v, a value decoded from JSON, holds a key.
func (r redactor) inValue(v any) bool {
	switch x := v.(type) {
	case string:
		return r.in(x)
	case []any:
		return slices.ContainsFunc(x, r.inValue)
	case map[string]any:
		for k, e := range x {
			if r.in(k) || r.inValue(e) {
				return true
			}
		}
	}
	return false
}

// error returns err with every key replaced in each of its fields, and in
// the errors it wraps. An error of the SDK's is copied with its fields
// redacted; any other error (of net/http, encoding/json, a RoundTripper or a
// handler of the caller's) whose text holds a key is replaced by its text,
// redacted, which still answers errors.Is as the original did (for
// context.DeadlineExceeded, say) but no longer unwraps to it; any other is
// returned as it is.
func (r redactor) error(err error) error {
	if err == nil || len(r.forms) == 0 {
		return err
	}
	switch e := err.(type) {
	case *SDKError:
		c := *e
		c.ContentType = r.str(e.ContentType)
		if e.BodyTruncated {
			c.Body = r.cutTail(c.Body)
		}
		c.Body = r.text(c.Body)
		c.Header = r.header(e.Header)
		return &c
	case *APIErrorInvalidInput:
		c := *e
		c.Message = r.text(e.Message)
		c.Details = r.value(e.Details)
		c.AdditionalProperties = r.object(e.AdditionalProperties)
		c.Header = r.header(e.Header)
		return &c
	case *APIErrorUnauthorized:
		c := *e
		c.Message = r.text(e.Message)
		c.AdditionalProperties = r.object(e.AdditionalProperties)
		c.Header = r.header(e.Header)
		return &c
	case *ResponseValidationError:
		c := *e
		c.Operation, c.Path, c.ContentType = r.str(e.Operation), r.str(e.Path), r.str(e.ContentType)
		c.Body, c.Reason = r.str(e.Body), r.str(e.Reason)
		c.Err = r.error(e.Err)
		return &c
	case *DecodeError:
		c := *e
		c.Path, c.Problem = r.str(e.Path), r.str(e.Problem)
		c.Err = r.error(e.Err)
		return &c
	case *TransportError:
		c := *e
		c.Err = r.error(e.Err)
		return &c
	case *OperationFailedError:
		c := *e
		c.OperationID, c.Code, c.Message = r.str(e.OperationID), r.str(e.Code), r.str(e.Message)
		c.Details = r.bytes(e.Details)
		if c.Code == "" && c.Message == "" && len(c.Details) > 0 { // Error shows Details condensed
			c.Details = RawJSON(r.text(string(c.Details)))
		}
		return &c
	case *UnknownStatusError:
		c := *e
		c.OperationID, c.Status = r.str(e.OperationID), r.str(e.Status)
		c.Raw = r.bytes(e.Raw)
		return &c
	case *OperationError:
		c := *e
		c.ProjectName, c.QueueID, c.OperationID = r.str(e.ProjectName), r.str(e.QueueID), r.str(e.OperationID)
		c.Err = r.error(e.Err)
		return &c
	case *ArgumentError:
		c := *e
		c.Name, c.Problem, c.Path = r.str(e.Name), r.str(e.Problem), r.str(e.Path)
		return &c
	}
	if msg := err.Error(); r.in(msg) {
		return &redactedError{msg: r.str(msg), is: func(target error) bool { return errors.Is(err, target) }}
	}
	return err
}

// redactedError stands for an error whose text held an API key: its text,
// redacted. It answers errors.Is as the error did, through a function, so
// that the original, key and all, can be reached by no formatting verb and
// no unwrapping.
type redactedError struct {
	msg string
	is  func(error) bool
}

func (e *redactedError) Error() string { return e.msg }

// Is reports whether the original error matched target.
func (e *redactedError) Is(target error) bool { return e.is(target) }

// keyRing remembers the last keys a client's APIKeyFunc supplied, so that a
// wait can redact the errors and log records it builds after its calls
// (from an operation's ID or state) of every key those calls sent. A static
// key (WithAPIKey, INTUNED_API_KEY) is known from the configuration itself.
type keyRing struct {
	mu   sync.Mutex
	keys []string // the most recent last
}

// maxRememberedKeys bounds a keyRing: a function that rotates keys often
// keeps the last few.
const maxRememberedKeys = 8

// remember adds key, once.
func (kr *keyRing) remember(key string) {
	if kr == nil || len(key) < minRedactedKey {
		return
	}
	kr.mu.Lock()
	defer kr.mu.Unlock()
	if n := len(kr.keys); n > 0 && kr.keys[n-1] == key {
		return
	}
	if i := slices.Index(kr.keys, key); i >= 0 {
		kr.keys = slices.Delete(kr.keys, i, i+1)
	} else if len(kr.keys) == maxRememberedKeys {
		kr.keys = slices.Delete(kr.keys, 0, 1)
	}
	kr.keys = append(kr.keys, key)
}

func (kr *keyRing) all() []string {
	if kr == nil {
		return nil
	}
	kr.mu.Lock()
	defer kr.mu.Unlock()
	return slices.Clone(kr.keys)
}

// redactor redacts the key the request sends.
func (req *request) redactor() redactor {
	if len(req.key) == 0 {
		return redactor{}
	}
	return newRedactor(req.key[0])
}

// redactor redacts every key the calls of this configuration may send: its
// static key, and those its client's APIKeyFunc has supplied.
func (c *config) redactor() redactor {
	keys := c.keys.all()
	if c.apiKey != nil {
		keys = append(keys, c.apiKey())
	}
	return newRedactor(keys...)
}

// redactor redacts every key the client's calls may send.
func (c *Client) redactor() redactor {
	if c == nil {
		return redactor{}
	}
	return c.cfg.redactor()
}
