package sdk

import (
	"bytes"
	"encoding/json"
	"strings"
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
//
// Whether a text is JSON at all is encoding/json's json.Valid, which
// jsonKind asks first; the code below only cuts up text it has accepted.

// member is a member a decoder looks for: its name as the API spells it,
// and where to put its raw JSON value (left nil when absent).
type member struct {
	name string
	raw  *json.RawMessage
}

// bom is the UTF-8 byte-order mark some servers put before a JSON body.
const bom = "\xef\xbb\xbf"

// trimBOM drops a UTF-8 byte-order mark before a JSON body.
func trimBOM(body []byte) []byte { return bytes.TrimPrefix(body, []byte(bom)) }

// decodeMembers reads the JSON object data, found at the JSON path p, and
// sets the raw value of each member of want that it has. Anything but one
// well-formed JSON object is a *DecodeError.
func decodeMembers(data []byte, p string, want []member) error {
	if err := expectKind(data, p, "object", "an object", "is null, not an object"); err != nil {
		return err
	}
	eachMember(data, func(name, value []byte) {
		for _, m := range want {
			if nameIs(name, m.name) {
				*m.raw = value
				break
			}
		}
	})
	return nil
}

// decodeElements reads the JSON array data, found at the JSON path p, and
// returns the raw value of each element.
func decodeElements(data []byte, p string) ([]json.RawMessage, error) {
	if err := expectKind(data, p, "array", "an array", "is null"); err != nil {
		return nil, err
	}
	var out []json.RawMessage
	eachMember(data, func(_, value []byte) { out = append(out, value) })
	return out, nil
}

// jsonKind names the kind of the JSON value data holds (object, array,
// string, number, boolean, null), or says that it is malformed.
func jsonKind(data []byte, p string) (string, error) {
	if !json.Valid(data) {
		return "", malformed(p)
	}
	switch data[skipSpace(data, 0)] {
	case '{':
		return "object", nil
	case '[':
		return "array", nil
	case '"':
		return "string", nil
	case 't', 'f':
		return "boolean", nil
	case 'n':
		return "null", nil
	}
	return "number", nil
}

// expectKind checks that data, found at p, is well-formed JSON of the kind
// want ("object"). Otherwise it is a *DecodeError: malformed JSON; a null,
// with the problem null when it is not ""; or "is a JSON <kind>, not
// <what>".
func expectKind(data []byte, p, want, what, null string) error {
	kind, err := jsonKind(data, p)
	switch {
	case err != nil:
		return err
	case kind == want:
		return nil
	case kind == "null" && null != "":
		return &DecodeError{Path: p, Problem: null}
	}
	return &DecodeError{Path: p, Problem: "is a JSON " + kind + ", not " + what}
}

func malformed(p string) error { return &DecodeError{Path: p, Problem: "is malformed JSON"} }

// eachMember calls f with the name (between its quotes, escapes not
// decoded; nil in an array) and the value of each member of the JSON object
// or array data, which json.Valid has accepted.
func eachMember(data []byte, f func(name, value []byte)) {
	i := skipSpace(data, 0)
	object := data[i] == '{'
	i = skipSpace(data, i+1)
	if data[i] == '}' || data[i] == ']' {
		return // empty
	}
	for {
		var name []byte
		if object {
			end := skipValue(data, i)
			name = data[i+1 : end-1]
			i = skipSpace(data, skipSpace(data, end)+1) // past the colon
		}
		end := skipValue(data, i)
		f(name, data[i:end])
		if i = skipSpace(data, end); data[i] != ',' {
			return // at the closing bracket
		}
		i = skipSpace(data, i+1)
	}
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON's white space.
func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	return i
}

// skipValue returns the index just past the well-formed JSON value that
// starts at data[i].
func skipValue(data []byte, i int) int {
	switch data[i] {
	case '"':
		for i++; data[i] != '"'; i++ {
			if data[i] == '\\' {
				i++ // the escaped byte, which may be a quote
			}
		}
		return i + 1
	case '{', '[':
		for depth := 0; ; i++ {
			switch data[i] {
			case '"':
				i = skipValue(data, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
	}
	for i < len(data) && strings.IndexByte(",]} \t\r\n", data[i]) < 0 { // a number, true, false or null
		i++
	}
	return i
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
