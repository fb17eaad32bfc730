package sdk

import "testing"

// A key is found in every form a server may echo it in: as sent, escaped in
// JSON (with "/" escaped too, as PHP writes it), quoted, URL-escaped.
func TestRedactorForms(t *testing.T) {
	r := newRedactor(`key/with"odd<chars>`)
	for _, echoed := range []string{
		`key/with"odd<chars>`,
		`key/with\"odd\u003cchars\u003e`,
		`key/with\"odd<chars>`,
		`key\/with\"odd<chars>`,
		`key\/with\"odd\u003cchars\u003e`,
		`key%2Fwith%22odd%3Cchars%3E`,
	} {
		if got := r.str("before " + echoed + " after"); got != "before "+redacted+" after" {
			t.Errorf("%s: %s", echoed, got)
		}
	}
}
