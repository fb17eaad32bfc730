package sdk

import (
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzFastResultMatchesStrict: the fast decoder (plain strings) never
// disagrees with the strict one (pointers): same result, or both an error.
func FuzzFastResultMatchesStrict(f *testing.F) {
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
		r := response{status: 200, header: http.Header{}, body: body}
		fast, ferr := decodeResult(r)
		strict, serr := decodeResultStrict(r)
		if (ferr == nil) != (serr == nil) {
			t.Fatalf("fast error %v, strict error %v", ferr, serr)
		}
		if !reflect.DeepEqual(fast, strict) {
			t.Fatalf("fast %#v, strict %#v", fast, strict)
		}
	})
}
