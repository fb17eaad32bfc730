package sdk

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzUnionDecodersAgree: the one-pass decoder of every union with a
// discriminator (its wire struct) and its precise per-variant decoder never
// disagree: the same value, or the same error. The one-pass decoder leaves
// to the precise one whatever does not fit; this checks that what it does
// not leave, it decodes alike. The pairs are generated (unions_gen_test.go).
func FuzzUnionDecodersAgree(f *testing.F) {
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
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, u := range unionDecoders {
			onePass, err1 := u.onePass(body, "x")
			precise, err2 := u.precise(body, "x")
			if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
				t.Fatalf("%s: one pass: %v; precise: %v", u.name, err1, err2)
			}
			if !reflect.DeepEqual(onePass, precise) {
				t.Fatalf("%s: one pass %#v, precise %#v", u.name, onePass, precise)
			}
		}
	})
}
