package sdk

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// This file converts between time.Duration and the two ways the API writes
// durations, both generated from openapi.yaml: Duration, a string such as
// "30s", and Milliseconds, a number. Which one you write is the type of the
// member: a Duration member takes a Duration only (a job's retry intervals,
// a rate limit), a union member takes either (Every, RandomWait); answers
// hold what the API wrote (a job's retry intervals come back as
// Milliseconds).

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
	sign, abs := "", uint64(d)
	if d < 0 {
		sign, abs = "-", uint64(-(d+1))+1 // -d, without overflow for the smallest Duration
	}
	for _, u := range durationUnits {
		if abs%uint64(u.size) == 0 {
			return Duration(sign + strconv.FormatUint(abs/uint64(u.size), 10) + u.suffix)
		}
	}
	// Whole milliseconds, then the nanoseconds as six decimals, all in
	// integers: exact over the whole range.
	ms, ns := abs/uint64(time.Millisecond), abs%uint64(time.Millisecond)
	frac := strings.TrimRight(fmt.Sprintf("%06d", ns), "0")
	return Duration(sign + strconv.FormatUint(ms, 10) + "." + frac + "ms")
}

// Duration converts d into a time.Duration. It fails for text that is not a
// number followed by one of the units ms, s, m, h and d (the spec's pattern),
// and for a duration beyond time.Duration's range (about 292 years).
func (d Duration) Duration() (time.Duration, error) {
	s := string(d)
	if !patternDuration.MatchString(s) {
		return 0, fmt.Errorf("intuned: %q is not a duration the API writes (a number and one unit: ms, s, m, h or d)", s)
	}
	unit := strings.TrimLeft(s, "0123456789.") // the pattern matched: a number, then the unit
	for _, u := range durationUnits {
		if u.suffix != unit {
			continue
		}
		if v, ok := scale(strings.TrimSuffix(s, unit), uint64(u.size)); ok {
			return time.Duration(v), nil
		}
	}
	return 0, fmt.Errorf("intuned: duration %q is out of range", s)
}

// scale returns the decimal number num (digits, and maybe a fraction)
// times size, rounded to the nearest integer, computed in integers so that
// it is exact; ok is false beyond time.Duration's range.
func scale(num string, size uint64) (v uint64, ok bool) {
	whole, frac, _ := strings.Cut(num, ".")
	w, err := strconv.ParseUint(whole, 10, 64)
	if err != nil || w > math.MaxInt64/size {
		return 0, false
	}
	// The fraction is rem/den; 19 digits are more than a nanosecond needs.
	rem, den := uint64(0), uint64(1)
	for i := 0; i < len(frac) && i < 19; i++ {
		rem, den = rem*10+uint64(frac[i]-'0'), den*10
	}
	hi, lo := bits.Mul64(rem, size) // rem*size < den*size: the quotient fits
	q, r := bits.Div64(hi, lo, den)
	if r >= den-r { // round half up
		q++
	}
	v = w*size + q
	return v, v <= math.MaxInt64 && v >= w*size
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

// checkMinDuration refuses a Duration shorter than least (the spec's
// x-sdk-min-duration: a repeat item's period is at least 10 minutes). A
// Duration that does not parse is left to its own check.
func checkMinDuration(d Duration, p, key, label string, least time.Duration) error {
	if v, err := d.Duration(); err == nil && v < least {
		return memberError(p, key, label, fmt.Sprintf("is %s; the API takes at least %s", d, DurationOf(least)))
	}
	return nil
}
