package sdk

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// FuzzJSONScan: the code that cuts up the JSON the generated decoders
// read finds each element of an array as encoding/json does, and each
// member of an object by its exact name, the last of a repeated name
// winning, as a map decoded by encoding/json (which matches map keys
// exactly) has it; strings and numbers decode as encoding/json decodes
// them.
func FuzzJSONScan(f *testing.F) {
	dir := filepath.Join("..", "testdata", "fuzz", "responses")
	entries, err := os.ReadDir(dir)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "status")
	}
	for _, s := range []string{`{"a":1,"A":2,"a":3}`, `{"\u0061":1}`, `{"wor\u212aspaceId":"x"}`, `[1,2e2,-0.5]`, `{"a":[{"b":{}}],}`, `"\ud800"`, "{\"a\":\"\xff\"}", `01`, `1.`, `-`, `{"a" 1}`, `"é\n"`, `"é\u0041\"x"`, "\"\xff\\t\"", "\f{}", `1e9223372036854775807`, `{"a":1e400}`, `{"a":[-1E+999, 0.5e-999]}`} {
		f.Add([]byte(s), "a")
	}
	f.Fuzz(func(t *testing.T, body []byte, name string) {
		// An array's elements are encoding/json's, text for text.
		var elems []json.RawMessage
		if json.Unmarshal(body, &elems) == nil && elems != nil {
			got, err := decodeElements(body, "")
			if err != nil || len(got) != len(elems) {
				t.Fatalf("decodeElements(%q) = %q, %v; encoding/json: %q", body, got, err, elems)
			}
			for i := range got {
				if !bytes.Equal(got[i], elems[i]) {
					t.Fatalf("decodeElements(%q)[%d] = %q; encoding/json: %q", body, i, got[i], elems[i])
				}
			}
		}
		// Strings and numbers decode as encoding/json decodes them (an
		// integer: when it is a whole number within int64).
		null := bytes.Equal(bytes.TrimSpace(body), []byte("null")) // encoding/json leaves the value alone
		var str string
		if json.Unmarshal(body, &str) == nil && !null {
			if got, err := decodeString(body, ""); err != nil || got != str {
				t.Fatalf("decodeString(%q) = %q, %v; encoding/json: %q", body, got, err, str)
			}
		}
		var f float64
		if json.Unmarshal(body, &f) == nil && !null {
			got, err := decodeInt(bytes.TrimSpace(body), "")
			if err == nil && float64(got) != f {
				t.Fatalf("decodeInt(%q) = %d; encoding/json: %v", body, got, f)
			}
			if err != nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
				t.Fatalf("decodeInt(%q): %v; encoding/json: %v, a whole number", body, err, f)
			}
		}
		var m map[string]json.RawMessage
		mapErr := json.Unmarshal(body, &m)
		var raw json.RawMessage
		err := decodeMembers(body, "", []member{{name, &raw}})
		if (err == nil) != (mapErr == nil && m != nil) {
			t.Fatalf("decodeMembers(%q): %v; encoding/json into a map: %v", body, err, mapErr)
		}
		if err != nil {
			return
		}
		want, found := m[name]
		if found != (raw != nil) || found && !jsonEqual(t, want, raw) {
			t.Fatalf("decodeMembers(%q) found %q = %q; encoding/json: %v %q", body, name, raw, found, want)
		}
	})
}

// jsonEqual reports whether two JSON values are the same text but for
// white space: both are cut from one document, so nothing else may differ
// (a value is not decoded, which would refuse a number beyond a float64,
// 1e400).
func jsonEqual(t *testing.T, a, b []byte) bool {
	var x, y bytes.Buffer
	if err := json.Compact(&x, a); err != nil {
		t.Fatal(err)
	}
	if err := json.Compact(&y, b); err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(x.Bytes(), y.Bytes())
}
