package sdk_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/intuned/intuned-go/sdk"
)

// TestResultsPrintAsJSON: a result printed with %v, %+v or %s shows its JSON
// text, not its bytes, and RawJSON still reads and writes as JSON.
func TestResultsPrintAsJSON(t *testing.T) {
	r := sdk.RunCompleted{StatusCode: 200, Result: sdk.RawJSON(`{"a":1}`)}
	for _, verb := range []string{"%v", "%+v"} {
		if got := fmt.Sprintf(verb, r); !strings.Contains(got, `{"a":1}`) || strings.Contains(got, "123 34") {
			t.Errorf("%s of a result = %s, want its JSON text", verb, got)
		}
	}
	if got := fmt.Sprintf("%s %v", r.Result, r.Result); got != `{"a":1} {"a":1}` {
		t.Errorf("%%s %%v of RawJSON = %s", got)
	}
	var v struct{ A int }
	if err := json.Unmarshal(r.Result, &v); err != nil || v.A != 1 {
		t.Errorf("json.Unmarshal(Result) = %+v, %v", v, err)
	}
	b, err := json.Marshal(struct {
		R sdk.RawJSON
		N sdk.RawJSON
	}{R: r.Result})
	if err != nil || string(b) != `{"R":{"a":1},"N":null}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	var back struct{ R sdk.RawJSON }
	if err := json.Unmarshal([]byte(`{"R":[1, 2]}`), &back); err != nil || back.R.String() != `[1, 2]` {
		t.Errorf("Unmarshal = %s, %v", back.R, err)
	}
}
