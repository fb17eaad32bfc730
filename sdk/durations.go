package sdk

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// This file converts between time.Duration and the two ways the API writes
// durations, both generated from openapi.yaml: Duration, a string such as
// "30s" (in requests, and in the answers that echo them), and Milliseconds,
// a number (a job's retry intervals, as the API answers them).

// day is the API's "d" unit.
const day = 24 * time.Hour

// durationUnits are the API's units, largest first.
var durationUnits = []struct {
	suffix string
	size   time.Duration
}{
	{"d", day}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}, {"ms", time.Millisecond},
}

// DurationOf converts d exactly into the API's duration format: a whole
// number of the largest unit that divides it (90*time.Second is "90s",
// 36*time.Hour is "36h", 48*time.Hour is "2d"), never a compound such as
// "1m30s", which the format does not have. A duration finer than a
// millisecond is written in milliseconds with a fraction ("1.5ms"). Zero is
// "0s". A negative duration gives a Duration that a request refuses before
// it is sent.
func DurationOf(d time.Duration) Duration {
	if d == 0 {
		return "0s"
	}
	sign, abs := "", d
	if d < 0 {
		sign, abs = "-", -d // -MinInt64 stays negative: caught by the check below anyway
	}
	for _, u := range durationUnits {
		if abs%u.size == 0 {
			return Duration(sign + strconv.FormatInt(int64(abs/u.size), 10) + u.suffix)
		}
	}
	ms := strconv.FormatFloat(float64(abs)/float64(time.Millisecond), 'f', -1, 64)
	return Duration(sign + ms + "ms")
}

// Duration converts d into a time.Duration. It fails for text that is not a
// number followed by one of the units ms, s, m, h and d (the spec's pattern),
// and for a duration beyond time.Duration's range (about 292 years).
func (d Duration) Duration() (time.Duration, error) {
	s := string(d)
	if !patternDuration.MatchString(s) {
		return 0, fmt.Errorf("intuned: %q is not a duration the API writes (a number and one unit: ms, s, m, h or d)", s)
	}
	for _, u := range parseUnits {
		num, ok := strings.CutSuffix(s, u.suffix)
		if !ok {
			continue
		}
		if whole, err := strconv.ParseInt(num, 10, 64); err == nil {
			if whole > math.MaxInt64/int64(u.size) {
				break
			}
			return time.Duration(whole) * u.size, nil // exact, without rounding
		}
		f, err := strconv.ParseFloat(num, 64)
		if v := math.Round(f * float64(u.size)); err == nil && v < math.MaxInt64 {
			return time.Duration(v), nil
		}
		break
	}
	return 0, fmt.Errorf("intuned: duration %q is out of range", s)
}

// parseUnits are the units in the order a suffix is tried: "ms" before "m"
// and "s".
var parseUnits = []struct {
	suffix string
	size   time.Duration
}{
	{"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}, {"d", day},
}

// MillisecondsOf converts d into Milliseconds, with the fraction of a
// millisecond it may have.
func MillisecondsOf(d time.Duration) Milliseconds {
	return Milliseconds(float64(d) / float64(time.Millisecond))
}

// Duration converts m into a time.Duration, to the nearest nanosecond,
// saturating at time.Duration's range.
func (m Milliseconds) Duration() time.Duration {
	v := math.Round(float64(m) * float64(time.Millisecond))
	switch {
	case v >= math.MaxInt64:
		return math.MaxInt64
	case v <= math.MinInt64:
		return math.MinInt64
	case math.IsNaN(v):
		return 0
	}
	return time.Duration(v)
}
