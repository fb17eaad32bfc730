package testdiff

import (
	"encoding/json"
	"strings"
	"testing"
)

type request struct {
	Method string
	Body   json.RawMessage
	Tags   map[string]json.RawMessage
	Next   *request
	secret json.RawMessage
}

func TestEqualIsEmpty(t *testing.T) {
	a := request{Method: "GET", Body: json.RawMessage(`{"a":1}`), Next: &request{Method: "PUT"}}
	b := request{Method: "GET", Body: json.RawMessage(`{"a":1}`), Next: &request{Method: "PUT"}}
	for _, c := range [][2]any{{a, b}, {&a, &b}, {nil, nil}, {[]int{1}, []int{1}}} {
		if d := Diff(c[0], c[1]); d != "" {
			t.Errorf("Diff(%v, %v) = %q, want \"\"", c[0], c[1], d)
		}
	}
}

func TestRawMessagesAsStringsAndJSONDiff(t *testing.T) {
	want := &request{Method: "POST", Body: json.RawMessage(`{"a":1,"b":"x"}`), Tags: map[string]json.RawMessage{"k": json.RawMessage(`true`)}}
	got := &request{Method: "POST", Body: json.RawMessage(`{"a":2,"b":"x"}`), Tags: map[string]json.RawMessage{"k": json.RawMessage(`true`)}}
	d := Diff(want, got)
	for _, s := range []string{
		"want: &testdiff.request{Method:\"POST\", Body:json.RawMessage(`{\"a\":1,\"b\":\"x\"}`), Tags:map[string]json.RawMessage{\"k\":json.RawMessage(`true`)}, Next:(*testdiff.request)(nil), secret:json.RawMessage(nil)}\n",
		"got:  &testdiff.request{Method:\"POST\", Body:json.RawMessage(`{\"a\":2,\"b\":\"x\"}`),",
		"JSON (-want +got):\n  {\n    \"Method\": \"POST\",\n    \"Body\": {\n-     \"a\": 1,\n+     \"a\": 2,\n      \"b\": \"x\"\n    },\n",
	} {
		if !strings.Contains(d, s) {
			t.Errorf("Diff lacks %q; it is:\n%s", s, d)
		}
	}
}

func TestTopLevelRawMessage(t *testing.T) {
	d := Diff(json.RawMessage(`[1]`), json.RawMessage(`[2]`))
	want := "want: json.RawMessage(`[1]`)\ngot:  json.RawMessage(`[2]`)\nJSON (-want +got):\n  [\n-   1\n+   2\n  ]\n"
	if d != want {
		t.Errorf("Diff =\n%s\nwant\n%s", d, want)
	}
}

func TestWhatJSONDoesNotShow(t *testing.T) {
	d := Diff(request{secret: json.RawMessage(`1`)}, request{secret: json.RawMessage(`2`)})
	if !strings.Contains(d, "secret:json.RawMessage(`1`)") || !strings.Contains(d, "equal as JSON") {
		t.Errorf("Diff lacks the unexported field or the note:\n%s", d)
	}
	d = Diff(struct{ C chan int }{}, struct{ C chan int }{make(chan int)})
	if !strings.Contains(d, "want: struct { C chan int }{C:(chan int)(nil)}") || strings.Contains(d, "JSON") {
		t.Errorf("for values JSON cannot encode, want the values alone:\n%s", d)
	}
	d = Diff(1, int64(1))
	if d != "want: 1\ngot:  1\n(equal as JSON: they differ in what JSON leaves out, such as types, unexported fields, nil against empty)\n" {
		t.Errorf("Diff(1, int64(1)) = %q", d)
	}
}

func TestCycleEnds(t *testing.T) {
	a, b := &request{Method: "a"}, &request{Method: "b"}
	a.Next, b.Next = a, b
	if d := Diff(a, b); !strings.Contains(d, `Method:"a"`) || !strings.Contains(d, `Method:"b"`) {
		t.Errorf("Diff of cyclic values:\n%s", d)
	}
}

func TestLineDiff(t *testing.T) {
	got := lineDiff([]string{"a", "b", "c", "d"}, []string{"a", "x", "c", "d", "e"})
	if want := "  a\n- b\n+ x\n  c\n  d\n+ e\n"; got != want {
		t.Errorf("lineDiff =\n%s\nwant\n%s", got, want)
	}
}
