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
		if unescaped(k) {
			// No encoding escapes it: its one form is itself (the common
			// case, built without allocating the others to find that out).
			if !slices.Contains(r.forms, k) {
				r.forms = append(r.forms, k)
			}
			continue
		}
		q, qa := strconv.Quote(k), strconv.QuoteToASCII(k)
		js, jsPlain := jsonForm(k, true), jsonForm(k, false)
		// JSON may escape "/" too ("\/", as PHP does by default).
		for _, form := range []string{k, js, jsPlain, strings.ReplaceAll(js, "/", `\/`), strings.ReplaceAll(jsPlain, "/", `\/`), q[1 : len(q)-1], qa[1 : len(qa)-1], url.PathEscape(k), url.QueryEscape(k)} {
			if !slices.Contains(r.forms, form) {
				r.forms = append(r.forms, form)
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
		if strings.Contains(s, f) {
			s = strings.ReplaceAll(s, f, redacted)
		}
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
	if r.unfoldable(s) {
		return s
	}
	if f := fold(s); r.in(f) {
		return r.str(f)
	}
	return s
}

// unfoldable reports whether condensing s (fold) cannot join a key: s is
// not HTML, whose markup fold drops, and no key holds white space, whose
// runs fold shortens.
func (r redactor) unfoldable(s string) bool {
	if strings.HasPrefix(strings.TrimSpace(s), "<") {
		return false
	}
	for _, k := range r.names {
		if strings.ContainsAny(k, " \t\r\n\v\f") {
			return false
		}
	}
	return true
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

// name returns a header name with every key replaced, whatever its case.
func (r redactor) name(k string) string {
	for _, key := range r.names {
		k = replaceFold(k, key)
	}
	return k
}

// replaceFold replaces every sub in s, without regard to case.
func replaceFold(s, sub string) string {
	var b strings.Builder
	from := 0
	for i := 0; i+len(sub) <= len(s); {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			b.WriteString(s[from:i])
			b.WriteString(redacted)
			i += len(sub)
			from = i
			continue
		}
		i++
	}
	if from == 0 {
		return s
	}
	b.WriteString(s[from:])
	return b.String()
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
	if len(r.forms) == 0 {
		return false
	}
	for k, vs := range h {
		if r.name(k) != k {
			return true
		}
		for _, v := range vs {
			if r.in(v) {
				return true
			}
		}
	}
	return false
}

func (r redactor) anyValue(v any) (any, bool) {
	switch x := v.(type) {
	case string:
		if s := r.str(x); s != x {
			return s, true
		}
		return v, false
	case []any:
		var out []any
		for i, e := range x {
			if e2, changed := r.anyValue(e); changed {
				if out == nil {
					out = slices.Clone(x)
				}
				out[i] = e2
			}
		}
		if out == nil {
			return v, false
		}
		return out, true
	case map[string]any:
		m, changed := r.anyMap(x)
		return m, changed
	}
	return v, false // numbers, booleans, null
}

func (r redactor) anyMap(m map[string]any) (map[string]any, bool) {
	changed := false
	for k, e := range m {
		_, c := r.anyValue(e)
		if c || r.in(k) {
			changed = true
			break
		}
	}
	if !changed {
		return m, false
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		e, _ = r.anyValue(e)
		out[r.str(k)] = e
	}
	return out, true
}

// error returns err with every key replaced in each of its fields, and in
// the errors it wraps: err itself when it holds none, else a copy. An error
// of the SDK's is copied with its fields redacted; any other error (of
// net/http, encoding/json, a RoundTripper or a handler of the caller's)
// whose text holds a key is replaced by its text, redacted, which still
// answers errors.Is as the original did (for context.DeadlineExceeded, say)
// but no longer unwraps to it.
func (r redactor) error(err error) error {
	if err == nil || len(r.forms) == 0 {
		return err
	}
	s := scrub{r: r}
	var out error
	switch e := err.(type) {
	case *SDKError:
		c := *e
		c.ContentType = s.str(e.ContentType)
		body := e.Body
		if e.BodyTruncated {
			body = r.cutTail(body)
		}
		c.Body = s.text(body)
		s.changed = s.changed || len(body) != len(e.Body)
		c.Header = s.header(e.Header)
		out = &c
	case *APIErrorInvalidInput:
		c := *e
		c.Message = s.text(e.Message)
		c.Details = s.value(e.Details)
		c.AdditionalProperties = s.anyMap(e.AdditionalProperties)
		c.Header = s.header(e.Header)
		out = &c
	case *APIErrorUnauthorized:
		c := *e
		c.Message = s.text(e.Message)
		c.AdditionalProperties = s.anyMap(e.AdditionalProperties)
		c.Header = s.header(e.Header)
		out = &c
	case *ResponseValidationError:
		c := *e
		c.Operation = s.str(e.Operation)
		c.Path = s.str(e.Path)
		c.ContentType = s.str(e.ContentType)
		c.Body = s.str(e.Body)
		c.Reason = s.str(e.Reason)
		c.Err = s.error(e.Err)
		out = &c
	case *DecodeError:
		c := *e
		c.Path = s.str(e.Path)
		c.Problem = s.str(e.Problem)
		c.Err = s.error(e.Err)
		out = &c
	case *TransportError:
		c := *e
		c.Err = s.error(e.Err)
		out = &c
	case *OperationFailedError:
		c := *e
		c.OperationID = s.str(e.OperationID)
		c.Code = s.str(e.Code)
		c.Message = s.str(e.Message)
		c.Details = s.raw(e.Details)
		if c.Code == "" && c.Message == "" && len(c.Details) > 0 {
			// Error shows Details condensed.
			if d := r.text(string(c.Details)); d != string(c.Details) {
				c.Details, s.changed = RawJSON(d), true
			}
		}
		out = &c
	case *UnknownStatusError:
		c := *e
		c.OperationID = s.str(e.OperationID)
		c.Status = s.str(e.Status)
		c.Raw = s.raw(e.Raw)
		out = &c
	case *OperationError:
		c := *e
		c.ProjectName = s.str(e.ProjectName)
		c.QueueID = s.str(e.QueueID)
		c.OperationID = s.str(e.OperationID)
		c.Err = s.error(e.Err)
		out = &c
	case *ArgumentError:
		c := *e
		c.Name = s.str(e.Name)
		c.Problem = s.str(e.Problem)
		c.Path = s.str(e.Path)
		out = &c
	case *redactedError:
		if !r.in(e.msg) {
			return err
		}
		return &redactedError{msg: r.str(e.msg), is: e.is}
	default:
		msg := err.Error()
		if !r.in(msg) {
			return err
		}
		return &redactedError{msg: r.str(msg), is: func(target error) bool { return errors.Is(err, target) }}
	}
	if !s.changed {
		return err
	}
	return out
}

// scrub redacts the fields of one error and notes whether any changed.
type scrub struct {
	r       redactor
	changed bool
}

func (s *scrub) note(changed bool) { s.changed = s.changed || changed }

func (s *scrub) str(v string) string {
	out := s.r.str(v)
	s.note(out != v)
	return out
}

func (s *scrub) text(v string) string {
	out := s.r.text(v)
	s.note(out != v)
	return out
}

func (s *scrub) raw(v RawJSON) RawJSON {
	out := s.r.bytes(v)
	s.note(!bytes.Equal(out, v))
	return out
}

func (s *scrub) header(h http.Header) http.Header {
	if !s.r.inHeader(h) {
		return h
	}
	s.changed = true
	return s.r.header(h)
}

func (s *scrub) value(v any) any {
	out, changed := s.r.anyValue(v)
	s.note(changed)
	return out
}

func (s *scrub) anyMap(m map[string]any) map[string]any {
	out, changed := s.r.anyMap(m)
	s.note(changed)
	return out
}

func (s *scrub) error(err error) error {
	out := s.r.error(err)
	s.note(out != err)
	return out
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
