package main

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// A completed step without statusCode completes with 200; a failed
// one fails with 500.
func TestRunStepDefaultStatusCodes(t *testing.T) {
	if got, want := (stepSpec{Step: "completed"}).runStep(), intunedtest.Completed(200, json.RawMessage(nil)); !reflect.DeepEqual(got, want) {
		t.Errorf("completed: %+v, want %+v", got, want)
	}
	if got, want := (stepSpec{Step: "failed", Code: "c", Message: "m"}).runStep(), intunedtest.Failed(500, "c", "m"); !reflect.DeepEqual(got, want) {
		t.Errorf("failed: %+v, want %+v", got, want)
	}
}

// shellQuote's output is one shell word that says s.
func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"abc-123":   "abc-123",
		"":          "''",
		"a b":       "'a b'",
		"it's":      `'it'\''s'`,
		"$(rm -rf)": "'$(rm -rf)'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
