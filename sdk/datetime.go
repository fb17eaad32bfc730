package sdk

import (
	"errors"
	"time"
)

// errDateTime is the error of parseDateTime; decodeTime wraps it in a
// *DecodeError that quotes the value.
var errDateTime = errors.New("intuned: not an RFC 3339 date-time as the API writes them (YYYY-MM-DDTHH:MM[:SS[.digits]] then Z, ±HH:MM or ±HHMM)")

// parseDateTime parses a date-time as the reference client accepts it (zod's
// z.string().datetime({offset: true})):
//
//	YYYY-MM-DD "T" HH:MM [":" SS ["." digits]] ("Z" | ("+"|"-") HH [":"] MM)
//
// with a real date of the Gregorian calendar, hours 00–23, minutes and
// seconds 00–59 (no leap second), an uppercase T and Z, ASCII digits and
// nothing around. Missing seconds are :00. The fraction may have any number
// of digits: the first nine (nanoseconds) are kept and any further ones are
// dropped, not rounded. The offset's hours must be 00–23 and its minutes
// 00–59, where JavaScript's Date gives an Invalid Date beyond.
//
// The offset is kept as time.Parse keeps it: Z is time.UTC; a numeric
// offset is time.Local when Local has that offset at that instant, else a
// time.FixedZone of that offset with no name. So for every string that
// time.Parse(time.RFC3339Nano, s) accepts too, the result is the same.
func parseDateTime(s string) (time.Time, error) {
	y, mo, d, h, mi := digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2), digits(s, 11, 2), digits(s, 14, 2)
	if y < 0 || !hasByte(s, 4, '-') || mo < 1 || mo > 12 || !hasByte(s, 7, '-') || d < 1 || d > daysIn(y, mo) ||
		!hasByte(s, 10, 'T') || h < 0 || h > 23 || !hasByte(s, 13, ':') || mi < 0 || mi > 59 {
		return time.Time{}, errDateTime
	}
	i, sec, ns := 16, 0, 0
	if hasByte(s, i, ':') {
		if sec = digits(s, i+1, 2); sec < 0 || sec > 59 {
			return time.Time{}, errDateTime
		}
		if i += 3; hasByte(s, i, '.') {
			n := 0 // fraction digits
			for i++; i < len(s) && '0' <= s[i] && s[i] <= '9'; i, n = i+1, n+1 {
				if n < 9 {
					ns = ns*10 + int(s[i]-'0')
				}
			}
			if n == 0 {
				return time.Time{}, errDateTime
			}
			for ; n < 9; n++ {
				ns *= 10
			}
		}
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC)
	if s[i:] == "Z" {
		return t, nil
	}
	oh, om := -1, -1
	if rest := s[i:]; len(rest) == 6 && rest[3] == ':' {
		oh, om = digits(rest, 1, 2), digits(rest, 4, 2)
	} else if len(rest) == 5 {
		oh, om = digits(rest, 1, 2), digits(rest, 3, 2)
	}
	if (!hasByte(s, i, '+') && !hasByte(s, i, '-')) || oh < 0 || oh > 23 || om < 0 || om > 59 {
		return time.Time{}, errDateTime
	}
	off := (oh*60 + om) * 60
	if s[i] == '-' {
		off = -off
	}
	t = t.Add(-time.Duration(off) * time.Second)
	if _, local := t.In(time.Local).Zone(); local == off {
		return t.In(time.Local), nil
	}
	return t.In(time.FixedZone("", off)), nil
}

// digits returns the n-digit decimal number at s[i:], or -1 if s has not n
// ASCII digits there.
func digits(s string, i, n int) int {
	if i+n > len(s) {
		return -1
	}
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		if c < '0' || c > '9' {
			return -1
		}
		v = v*10 + int(c-'0')
	}
	return v
}

// hasByte reports whether s has the byte c at i.
func hasByte(s string, i int, c byte) bool { return i < len(s) && s[i] == c }

// daysIn returns the number of days of month m (1–12) of year y.
func daysIn(y, m int) int {
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 29
	}
	return [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
}
