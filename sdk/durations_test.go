package sdk_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

// DurationOf writes a whole number of the largest unit that divides the
// duration, and Duration reads it back exactly.
func TestDurationOf(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want sdk.Duration
	}{
		{0, "0s"},
		{time.Nanosecond, "0.000001ms"},
		{1500 * time.Nanosecond, "0.0015ms"},
		{1500 * time.Microsecond, "1.5ms"},
		{time.Millisecond, "1ms"},
		{500 * time.Millisecond, "500ms"},
		{1001 * time.Millisecond, "1001ms"},
		{time.Second, "1s"},
		{30 * time.Second, "30s"},
		{61 * time.Second, "61s"},
		{90 * time.Second, "90s"}, // never "1m30s": the format has no compounds
		{time.Minute, "1m"},
		{10 * time.Minute, "10m"},
		{90 * time.Minute, "90m"},
		{time.Hour, "1h"},
		{23 * time.Hour, "23h"},
		{24 * time.Hour, "1d"},
		{36 * time.Hour, "36h"},
		{48 * time.Hour, "2d"},
		{time.Hour + time.Nanosecond, "3600000.000001ms"},
		{106751 * 24 * time.Hour, "106751d"},
	}
	for _, tt := range tests {
		got := sdk.DurationOf(tt.d)
		if got != tt.want {
			t.Errorf("DurationOf(%v) = %q, want %q", tt.d, got, tt.want)
		}
		if back, err := got.Duration(); err != nil || back != tt.d {
			t.Errorf("%q.Duration() = %v, %v; want %v", got, back, err, tt.d)
		}
		if err := (sdk.QueueRepeatItemRequest{APIName: "a", Repeat: got}).Validate(); (err != nil) != (tt.d < 10*time.Minute) {
			t.Errorf("DurationOf(%v) = %q as a repeat: %v; the least the API takes is 10m", tt.d, got, err)
		}
	}
}

// A negative duration has no form in the API: DurationOf writes it with a
// sign, which the pattern, Validate and Duration all refuse.
func TestDurationOfNegative(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want sdk.Duration
	}{
		{-time.Second, "-1s"},
		{-90 * time.Second, "-90s"},
		{-24 * time.Hour, "-1d"},
		{-1500 * time.Microsecond, "-1.5ms"},
		{-time.Nanosecond, "-0.000001ms"},
	}
	for _, tt := range tests {
		got := sdk.DurationOf(tt.d)
		if got != tt.want {
			t.Errorf("DurationOf(%v) = %q, want %q", tt.d, got, tt.want)
		}
		if _, err := got.Duration(); err == nil {
			t.Errorf("%q.Duration() accepted a negative duration", got)
		}
	}
	for _, d := range []time.Duration{-time.Second, -time.Nanosecond, math.MinInt64} {
		if err := (sdk.QueueRepeatItemRequest{APIName: "a", Repeat: sdk.DurationOf(d)}).Validate(); err == nil {
			t.Errorf("DurationOf(%v) = %q passes Validate", d, sdk.DurationOf(d))
		}
	}
}

// DurationOf's doc promises an exact conversion, also for durations that are
// not whole milliseconds.
func TestDurationOfIsExactForLongDurations(t *testing.T) {
	for _, d := range []time.Duration{200*24*time.Hour + time.Nanosecond, 110*24*time.Hour + time.Microsecond, math.MaxInt64} {
		got := sdk.DurationOf(d)
		if back, err := got.Duration(); err != nil || back != d {
			t.Errorf("DurationOf(%d) = %q, which reads back as %d, %v", d, got, back, err)
		}
	}
}

func TestDurationParse(t *testing.T) {
	tests := []struct {
		s    sdk.Duration
		want time.Duration
	}{
		{"0s", 0},
		{"0ms", 0},
		{"5ms", 5 * time.Millisecond},
		{"1.5ms", 1500 * time.Microsecond},
		{"0.000001ms", time.Nanosecond},
		{"1.0000005ms", 1000001 * time.Nanosecond}, // to the nearest nanosecond
		{"30s", 30 * time.Second},
		{"90s", 90 * time.Second},
		{"0.5s", 500 * time.Millisecond},
		{"5m", 5 * time.Minute},
		{"1h", time.Hour},
		{"1.5h", 90 * time.Minute},
		{"1d", 24 * time.Hour},
		{"0.5d", 12 * time.Hour},
		{"7d", 7 * 24 * time.Hour},
		{"05m", 5 * time.Minute},
		{"106751d", 106751 * 24 * time.Hour},
		{"2562047h", 2562047 * time.Hour},
		{"9223372036854ms", 9223372036854 * time.Millisecond},
	}
	for _, tt := range tests {
		if got, err := tt.s.Duration(); err != nil || got != tt.want {
			t.Errorf("%q.Duration() = %v, %v; want %v", tt.s, got, err, tt.want)
		}
	}
	invalid := []sdk.Duration{
		"", "5", "1m30s", "5 m", " 5s", "5s ", "-5s", "+5s", "5S", "5sec", "5us", "5ns", "1e3s", ".5s", "5.s", "1,5s", "s", "∞s", "5mm",
	}
	for _, s := range invalid {
		if got, err := s.Duration(); err == nil || !strings.Contains(err.Error(), "not a duration") {
			t.Errorf("%q.Duration() = %v, %v; want an error", s, got, err)
		}
	}
	// Beyond time.Duration's range (about 292 years).
	overflow := []sdk.Duration{"106752d", "2562048h", "9223372036855ms", "9223372036.854775808s", "99999999999999999999ms", "1000000000000000000000000d", "106751.99999d"}
	for _, s := range overflow {
		if got, err := s.Duration(); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("%q.Duration() = %v, %v; want an out-of-range error", s, got, err)
		}
	}
}

func TestMilliseconds(t *testing.T) {
	of := []struct {
		d    time.Duration
		want sdk.Milliseconds
	}{
		{0, 0},
		{time.Millisecond, 1},
		{time.Second, 1000},
		{10 * time.Minute, 600000},
		{1500 * time.Microsecond, 1.5},
		{time.Nanosecond, 0.000001},
		{-2 * time.Millisecond, -2},
	}
	for _, tt := range of {
		if got := sdk.MillisecondsOf(tt.d); got != tt.want {
			t.Errorf("MillisecondsOf(%v) = %v, want %v", tt.d, got, tt.want)
		}
		if back := sdk.MillisecondsOf(tt.d).Duration(); back != tt.d {
			t.Errorf("MillisecondsOf(%v).Duration() = %v", tt.d, back)
		}
	}
	to := []struct {
		m    sdk.Milliseconds
		want time.Duration
	}{
		{1000, time.Second},
		{600000, 10 * time.Minute},
		{1.5, 1500 * time.Microsecond},
		{1500.5, 1500500 * time.Microsecond},
		{0.0004, 400 * time.Nanosecond},
		{0.0000004, 0}, // to the nearest nanosecond
		{0.0000016, 2 * time.Nanosecond},
		{-250, -250 * time.Millisecond},
		// Saturation at time.Duration's range.
		{9.3e12, math.MaxInt64},
		{1e300, math.MaxInt64},
		{sdk.Milliseconds(math.Inf(1)), math.MaxInt64},
		{-9.3e12, math.MinInt64},
		{-1e300, math.MinInt64},
		{sdk.Milliseconds(math.Inf(-1)), math.MinInt64},
		{sdk.Milliseconds(math.NaN()), 0},
	}
	for _, tt := range to {
		if got := tt.m.Duration(); got != tt.want {
			t.Errorf("Milliseconds(%v).Duration() = %v, want %v", tt.m, got, tt.want)
		}
	}
}

// A fraction longer than 19 digits is read to the nanosecond, not
// overflowed.
func TestDurationParseLongFraction(t *testing.T) {
	for s, want := range map[sdk.Duration]time.Duration{
		"0.50000000000000000000s":     500 * time.Millisecond,
		"1.99999999999999999999999ms": 2 * time.Millisecond,
		"0.000000000000000000000000d": 0,
	} {
		if got, err := s.Duration(); err != nil || got != want {
			t.Errorf("%q.Duration() = %v, %v; want %v", s, got, err, want)
		}
	}
}
