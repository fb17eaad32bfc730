package sdk

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzUnionDecodersAgree: the one-pass decoder of a union (its wire
// struct) and the precise per-variant one never disagree: the same value,
// or both an error. The one-pass decoder leaves to the precise one whatever
// does not fit; this checks that what it does not leave, it decodes alike.
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
		onePass, err1 := decodeAuthSessionCreateResult(body, "")
		precise, err2 := decodeAuthSessionCreateResultVariant(body, "")
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("one pass: %v; precise: %v", err1, err2)
		}
		if !reflect.DeepEqual(onePass, precise) {
			t.Fatalf("one pass %#v, precise %#v", onePass, precise)
		}
		d1, err1 := decodeInfoRequestDetails(body, "")
		d2, err2 := decodeInfoRequestDetailsVariant(body, "")
		if (err1 == nil) != (err2 == nil) || !reflect.DeepEqual(d1, d2) {
			t.Fatalf("details: one pass %#v (%v), precise %#v (%v)", d1, err1, d2, err2)
		}
	})
}
