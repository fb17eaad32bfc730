package sdk

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"
)

// maxPathValueLen bounds one path value. Real names and IDs are far shorter;
// the bound keeps a runaway value from producing a huge request line.
const maxPathValueLen = 1024

// checkPathValue rejects a path value that is empty, a dot segment (which URL
// resolution would collapse, changing the route), longer than
// maxPathValueLen, not UTF-8, or holding control characters. Everything else
// travels percent-encoded as a single segment.
func checkPathValue(name, v string) error {
	switch {
	case v == "":
		return &ArgumentError{Name: name, Problem: "is empty"}
	case v == "." || v == "..":
		return &ArgumentError{Name: name, Problem: fmt.Sprintf("%q is a dot segment, which cannot be sent as a path value", v)}
	case len(v) > maxPathValueLen:
		return &ArgumentError{Name: name, Problem: fmt.Sprintf("is %d bytes long; the limit is %d", len(v), maxPathValueLen)}
	case !utf8.ValidString(v):
		return &ArgumentError{Name: name, Problem: "is not valid UTF-8"}
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return &ArgumentError{Name: name, Problem: fmt.Sprintf("contains the control character %U", r)}
		}
	}
	return nil
}

// checkPathValues checks path values given as name, value pairs, in order.
func checkPathValues(nameValues ...string) error {
	for i := 0; i+1 < len(nameValues); i += 2 {
		if err := checkPathValue(nameValues[i], nameValues[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// checkHeaderValue rejects what net/http would refuse to send (or would let
// split a header): CR, LF, NUL and other control characters except tab.
func checkHeaderValue(v string) error {
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < 0x20 && b != '\t' || b == 0x7f {
			return errors.New("contains a control character")
		}
	}
	return nil
}

// checkHeaderName accepts RFC 9110 tokens only.
func checkHeaderName(k string) error {
	if k == "" {
		return errors.New("is empty")
	}
	for i := 0; i < len(k); i++ {
		b := k[i]
		if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' {
			continue
		}
		switch b {
		case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
			continue
		}
		return errors.New("is not a valid header name")
	}
	return nil
}

// checkContext rejects a nil context, which would otherwise panic deep in
// net/http.
func checkContext(ctx context.Context) error {
	if ctx == nil {
		return &ArgumentError{Name: "context", Problem: "is nil"}
	}
	return nil
}

// checkText rejects a string that is not UTF-8: encoding/json would quietly
// replace its bad bytes with U+FFFD and send something else.
func checkText(name, v string) error {
	if !utf8.ValidString(v) {
		return &ArgumentError{Name: name, Problem: "is not valid UTF-8"}
	}
	return nil
}

// maxParameterDepth bounds how deeply parameters may nest (encoding/json
// itself stops at 10000 when decoding).
const maxParameterDepth = 1000

// checkJSONText walks the values encoding/json would encode from maps,
// slices and strings, and rejects keys or strings that are not UTF-8, and
// nesting deeper than maxParameterDepth (including cycles, which would
// otherwise loop until encoding/json gives up).
func checkJSONText(v any, depth int) error {
	if depth > maxParameterDepth {
		return fmt.Errorf("nest deeper than %d levels", maxParameterDepth)
	}
	switch t := v.(type) {
	case string:
		if !utf8.ValidString(t) {
			return fmt.Errorf("hold a string that is not valid UTF-8")
		}
	case map[string]any:
		for k, e := range t {
			if !utf8.ValidString(k) {
				return fmt.Errorf("hold a key that is not valid UTF-8")
			}
			if err := checkJSONText(e, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range t {
			if err := checkJSONText(e, depth+1); err != nil {
				return err
			}
		}
	case []string:
		for _, e := range t {
			if !utf8.ValidString(e) {
				return fmt.Errorf("hold a string that is not valid UTF-8")
			}
		}
	case map[string]string:
		for k, e := range t {
			if !utf8.ValidString(k) || !utf8.ValidString(e) {
				return fmt.Errorf("hold a string that is not valid UTF-8")
			}
		}
	case ParametersObject:
		return checkJSONText(map[string]any(t), depth)
	case ParametersArray:
		return checkJSONText([]any(t), depth)
	}
	return nil
}
