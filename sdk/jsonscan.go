package sdk

import (
	"encoding/json"
	"unicode/utf8"
)

// This file reads JSON objects member by member, matching member names
// byte for byte (after JSON escapes are decoded), as the API and the
// reference client do. encoding/json matches a struct's members without
// regard to case (with Unicode folding: "\u212a" is a K), so it would read
// {"RunId":"x"} as runId: the generated decoders never hand it an object.
// A member whose name differs from a known one in any way, case included,
// is an unknown member and is ignored like any other. Of members given
// twice, the last counts, as in JavaScript's JSON.parse.

// maxDepth bounds the nesting of a JSON value, as encoding/json does.
const maxDepth = 10000

// member is a member a decoder looks for: its name as the API spells it,
// and where to put its raw JSON value (left nil when absent).
type member struct {
	name string
	raw  *json.RawMessage
}

// bom is the UTF-8 byte-order mark some servers put before a JSON body.
const bom = "\xef\xbb\xbf"

// trimBOM drops a UTF-8 byte-order mark before a JSON body.
func trimBOM(body []byte) []byte {
	if len(body) >= len(bom) && string(body[:len(bom)]) == bom {
		return body[len(bom):]
	}
	return body
}

// decodeMembers reads the JSON object data, found at the JSON path p, and
// sets the raw value of each member of want that it has. Anything but one
// well-formed JSON object is a *DecodeError.
func decodeMembers(data []byte, p string, want []member) error {
	s, err := opening(data, p, '{', "is null, not an object", "an object")
	if err != nil {
		return err
	}
	ok := s.container('}', 1, func(name, value []byte) {
		for _, m := range want {
			if nameIs(name, m.name) {
				*m.raw = value
				break
			}
		}
	})
	if !ok {
		return malformed(p)
	}
	return s.end(p)
}

// decodeElements reads the JSON array data, found at the JSON path p, and
// returns the raw value of each element.
func decodeElements(data []byte, p string) ([]json.RawMessage, error) {
	s, err := opening(data, p, '[', "is null", "an array")
	if err != nil {
		return nil, err
	}
	var out []json.RawMessage
	if !s.container(']', 1, func(_, value []byte) { out = append(out, value) }) {
		return nil, malformed(p)
	}
	return out, s.end(p)
}

// opening returns a scanner at the bracket open that starts data, or the
// *DecodeError of a value of another kind (null: problem; else: not what).
func opening(data []byte, p string, open byte, null, what string) (scanner, error) {
	s := scanner{data: data}
	s.space()
	if s.peek() == open {
		return s, nil
	}
	kind, err := jsonKind(data, p)
	switch {
	case err != nil:
		return s, err
	case kind == "null":
		return s, &DecodeError{Path: p, Problem: null}
	}
	return s, &DecodeError{Path: p, Problem: "is a JSON " + kind + ", not " + what}
}

// nameIs reports whether the raw JSON string contents name (between its
// quotes) is want once its escapes are decoded.
func nameIs(name []byte, want string) bool {
	if plainString(name) {
		return string(name) == want
	}
	var s string
	if json.Unmarshal(append(append([]byte{'"'}, name...), '"'), &s) != nil {
		return false
	}
	return s == want
}

// plainString reports whether the contents of a JSON string (between its
// quotes) are exactly its value: no escapes, no control characters, valid
// UTF-8.
func plainString(b []byte) bool {
	ascii := true
	for _, c := range b {
		switch {
		case c < 0x20 || c == '\\' || c == '"':
			return false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return ascii || utf8.Valid(b)
}

func malformed(p string) error { return &DecodeError{Path: p, Problem: "is malformed JSON"} }

// scanner walks one JSON text, checking its syntax as it goes (RFC 8259,
// as encoding/json reads it).
type scanner struct {
	data []byte
	i    int
}

func (s *scanner) peek() byte {
	if s.i < len(s.data) {
		return s.data[s.i]
	}
	return 0
}

func (s *scanner) space() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// end checks that nothing but white space follows the value.
func (s *scanner) end(p string) error {
	s.space()
	if s.i != len(s.data) {
		return malformed(p)
	}
	return nil
}

// value skips one JSON value at depth, reporting whether it is well formed.
func (s *scanner) value(depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch c := s.peek(); {
	case c == '"':
		return s.string()
	case c == '{':
		return s.container('}', depth, nil)
	case c == '[':
		return s.container(']', depth, nil)
	case c == '-' || c >= '0' && c <= '9':
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return false
}

// container skips an object ('}') or an array (']'), from its opening
// bracket to close, and calls each, if not nil, with every member's name
// (between its quotes, escapes undecoded; nil in an array) and raw value.
func (s *scanner) container(close byte, depth int, each func(name, value []byte)) bool {
	s.i++
	s.space()
	if s.peek() == close {
		s.i++
		return true
	}
	for {
		s.space()
		var name []byte
		if close == '}' {
			start := s.i
			if !s.string() {
				return false
			}
			name = s.data[start+1 : s.i-1]
			s.space()
			if s.peek() != ':' {
				return false
			}
			s.i++
			s.space()
		}
		start := s.i
		if !s.value(depth + 1) {
			return false
		}
		if each != nil {
			each(name, s.data[start:s.i])
		}
		s.space()
		switch s.peek() {
		case ',':
			s.i++
		case close:
			s.i++
			return true
		default:
			return false
		}
	}
}

func (s *scanner) literal(lit string) bool {
	if len(s.data)-s.i < len(lit) || string(s.data[s.i:s.i+len(lit)]) != lit {
		return false
	}
	s.i += len(lit)
	return true
}

// string skips a JSON string, quotes included.
func (s *scanner) string() bool {
	if s.peek() != '"' {
		return false
	}
	s.i++
	for s.i < len(s.data) {
		c := s.data[s.i]
		switch {
		case c == '"':
			s.i++
			return true
		case c < 0x20:
			return false
		case c == '\\':
			s.i++
			switch s.peek() {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i++
			case 'u':
				s.i++
				for range 4 {
					if !isHex(s.peek()) {
						return false
					}
					s.i++
				}
			default:
				return false
			}
		default:
			s.i++
		}
	}
	return false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// number skips a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() bool {
	if s.peek() == '-' {
		s.i++
	}
	switch c := s.peek(); {
	case c == '0':
		s.i++
	case c >= '1' && c <= '9':
		s.digits()
	default:
		return false
	}
	if s.peek() == '.' {
		s.i++
		if !s.digits() {
			return false
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.i++
		if c := s.peek(); c == '+' || c == '-' {
			s.i++
		}
		if !s.digits() {
			return false
		}
	}
	return true
}

// digits skips one or more digits, reporting whether there was one.
func (s *scanner) digits() bool {
	start := s.i
	for s.i < len(s.data) && s.data[s.i] >= '0' && s.data[s.i] <= '9' {
		s.i++
	}
	return s.i > start
}

// validJSON reports whether data is one well-formed JSON value (with white
// space around it).
func validJSON(data []byte) bool {
	s := scanner{data: data}
	s.space()
	if !s.value(1) {
		return false
	}
	s.space()
	return s.i == len(s.data)
}
