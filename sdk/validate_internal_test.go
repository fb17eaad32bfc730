package sdk

import (
	"encoding/json"
	"testing"
)

// checkRawObject (which no generated code calls yet) refuses what is
// not a JSON object, null included, and a missing required member.
func TestCheckRawObject(t *testing.T) {
	for _, tt := range []struct {
		raw      json.RawMessage
		required bool
		ok       bool
	}{
		{nil, false, true},
		{nil, true, false},
		{json.RawMessage(`{}`), false, true},
		{json.RawMessage(`{"a":1}`), true, true},
		{json.RawMessage(`null`), false, false},
		{json.RawMessage(`null`), true, false},
		{json.RawMessage(`[]`), false, false},
		{json.RawMessage("{\"a\":\"\xff\"}"), false, false},
	} {
		err := checkRawObject(tt.raw, "", "m", "", tt.required)
		if (err == nil) != tt.ok {
			t.Errorf("checkRawObject(%q, required %v) = %v, want ok %v", tt.raw, tt.required, err, tt.ok)
		}
	}
}

// Every request union's Unknown variant refuses to be sent empty
// (only FileUnknown and FileSourceUnknown are checked today).
func TestEmptyUnknownVariantsOfEveryRequestUnion(t *testing.T) {
	for _, u := range []requestBody{EveryUnknown{}, CalendarValueUnknown{}, CalendarBoundUnknown{}, SinkUnknown{},
		RandomWaitUnknown{}, FileUnknown{}, FileSourceUnknown{}, StrategyUnknown{}} {
		if err := u.validate("x"); err == nil {
			t.Errorf("%T{}.validate = nil, want an *ArgumentError", u)
		}
	}
}
