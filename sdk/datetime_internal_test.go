package sdk

import (
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// acceptedDateTimes are date-times parseDateTime accepts, with what they
// are: the time in RFC 3339 (as time.Time writes it), the offset in seconds
// and the nanoseconds.
var acceptedDateTimes = []struct {
	in   string
	text string
	off  int
	ns   int
}{
	{"2024-09-01T12:00:00Z", "2024-09-01T12:00:00Z", 0, 0},
	{"2024-09-01T12:00:00.000Z", "2024-09-01T12:00:00Z", 0, 0},
	{"2024-09-01T12:00Z", "2024-09-01T12:00:00Z", 0, 0},
	{"2024-09-01T12:00:00+02:00", "2024-09-01T12:00:00+02:00", 7200, 0},
	{"2024-09-01T12:00:00+0200", "2024-09-01T12:00:00+02:00", 7200, 0},
	{"2024-09-01T12:00+02:00", "2024-09-01T12:00:00+02:00", 7200, 0},
	{"2024-09-01T12:00+0200", "2024-09-01T12:00:00+02:00", 7200, 0},
	{"2024-09-01T12:00:00-05:30", "2024-09-01T12:00:00-05:30", -19800, 0},
	{"2024-09-01T12:00:00-0530", "2024-09-01T12:00:00-05:30", -19800, 0},
	{"2024-09-01T12:00:00+00:00", "2024-09-01T12:00:00Z", 0, 0},
	{"2024-09-01T12:00:00-00:00", "2024-09-01T12:00:00Z", 0, 0},
	{"2024-09-01T12:00:00+0000", "2024-09-01T12:00:00Z", 0, 0},
	{"2024-09-01T12:00:00+23:59", "2024-09-01T12:00:00+23:59", 86340, 0},
	{"2024-09-01T12:00:00-2359", "2024-09-01T12:00:00-23:59", -86340, 0},
	{"2024-09-01T12:00:00.5Z", "2024-09-01T12:00:00.5Z", 0, 500000000},
	{"2024-09-01T12:00:00.05+01:00", "2024-09-01T12:00:00.05+01:00", 3600, 50000000},
	{"2024-09-01T12:00:00.123Z", "2024-09-01T12:00:00.123Z", 0, 123000000},
	{"2024-09-01T12:00:00.1234567-07:00", "2024-09-01T12:00:00.1234567-07:00", -25200, 123456700},
	{"2024-09-01T12:00:00.123456789+0200", "2024-09-01T12:00:00.123456789+02:00", 7200, 123456789},
	{"2024-09-01T12:00:00.000000001Z", "2024-09-01T12:00:00.000000001Z", 0, 1},
	// Beyond nine digits: truncated, not rounded.
	{"2024-09-01T12:00:00.1234567899Z", "2024-09-01T12:00:00.123456789Z", 0, 123456789},
	{"2024-09-01T12:00:00.9999999999999999999999+02:00", "2024-09-01T12:00:00.999999999+02:00", 7200, 999999999},
	{"2024-09-01T12:00:00.0000000009Z", "2024-09-01T12:00:00Z", 0, 0},
	{"2024-09-01T00:00:00Z", "2024-09-01T00:00:00Z", 0, 0},
	{"2024-09-01T23:59:59Z", "2024-09-01T23:59:59Z", 0, 0},
	{"2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z", 0, 0},
	{"2000-02-29T12:00:00Z", "2000-02-29T12:00:00Z", 0, 0},
	{"1600-02-29T12:00:00Z", "1600-02-29T12:00:00Z", 0, 0},
	{"0000-02-29T12:00:00Z", "0000-02-29T12:00:00Z", 0, 0},
	{"2023-02-28T12:00:00Z", "2023-02-28T12:00:00Z", 0, 0},
	{"2024-04-30T12:00:00Z", "2024-04-30T12:00:00Z", 0, 0},
	{"2024-01-31T12:00:00Z", "2024-01-31T12:00:00Z", 0, 0},
	{"2024-12-31T23:59:59.999999999Z", "2024-12-31T23:59:59.999999999Z", 0, 999999999},
	{"0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z", 0, 0},
	{"9999-12-31T23:59:59+23:59", "9999-12-31T23:59:59+23:59", 86340, 0},
	{"0000-01-01T00:00:00-23:59", "0000-01-01T00:00:00-23:59", -86340, 0},
}

// refusedDateTimes are strings parseDateTime refuses.
var refusedDateTimes = []string{
	"",
	"2024-09-01",
	"2024-09-01T",
	"2024-09-01T12",
	"2024-09-01T12Z",
	"2024-09-01t12:00:00Z",            // lowercase t
	"2024-09-01T12:00:00z",            // lowercase z
	"2024-09-01 12:00:00Z",            // space
	"2024-09-01_12:00:00Z",            // another separator
	"2024-09-01T12:00:00",             // no offset
	"2024-09-01T12:00",                // no offset
	"2024-09-01T12:00:00.123",         // no offset
	"2024-09-01T12:00:00+02",          // offset hours alone
	"2024-09-01T12:00:00-05",          // offset hours alone
	"2024-09-01T12:00:00+2:00",        // one hour digit
	"2024-09-01T12:00:00+02:0",        // one minute digit
	"2024-09-01T12:00:00+020",         // three digits
	"2024-09-01T12:00:00+02:000",      // three minute digits
	"2024-09-01T12:00:00+02000",       // five digits
	"2024-09-01T12:00:00+02:00:00",    // offset seconds
	"2024-09-01T12:00:00+02-00",       // other separator
	"2024-09-01T12:00:00+24:00",       // offset hours beyond 23
	"2024-09-01T12:00:00-2400",        // offset hours beyond 23
	"2024-09-01T12:00:00+99:99",       // offset beyond
	"2024-09-01T12:00:00+23:60",       // offset minutes beyond 59
	"2024-09-01T12:00:00+0060",        // offset minutes beyond 59
	"2024-09-01T12:00:00+-02:00",      // two signs
	"2024-09-01T12:00:00\u221202:00",  // a Unicode minus
	"2024-09-01T12:00:00Z+02:00",      // both
	"2024-09-01T12:00:00+02:00Z",      // both
	"2024-09-01T12:00:00ZZ",           // twice
	"2024-09-01T12:00:00 Z",           // a space before the offset
	"2024-09-01T24:00:00Z",            // hour 24
	"2024-09-01T24:00Z",               // hour 24
	"2024-09-01T23:60:00Z",            // minute 60
	"2024-09-01T23:60Z",               // minute 60
	"2024-09-01T23:59:60Z",            // leap second
	"2024-09-01T12:00:61Z",            // second 61
	"2024-09-01T1:00:00Z",             // one hour digit (time.Parse takes it)
	"2024-09-01T12:0:00Z",             // one minute digit
	"2024-09-01T12:00:0Z",             // one second digit
	"2024-09-01T12:00:000Z",           // three second digits
	"2024-09-01T12:00:00.Z",           // empty fraction
	"2024-09-01T12:00:00.+02:00",      // empty fraction
	"2024-09-01T12:00:00,5Z",          // a comma (time.Parse takes it)
	"2024-09-01T12:00.5Z",             // a fraction without seconds
	"2024-09-01T12:00:Z",              // a colon without seconds
	"2024-09-01T12:00:00.5.5Z",        // two fractions
	"2024-09-01T12:00:00.5e3Z",        // an exponent
	"2023-02-29T12:00:00Z",            // Feb 29 of a common year
	"1900-02-29T12:00:00Z",            // Feb 29 of a century, not divisible by 400
	"2100-02-29T12:00:00Z",            // Feb 29 of a century, not divisible by 400
	"2024-02-30T12:00:00Z",            // Feb 30
	"2024-04-31T12:00:00Z",            // day 31 in April
	"2024-06-31T12:00:00Z",            // day 31 in June
	"2024-09-31T12:00:00Z",            // day 31 in September
	"2024-11-31T12:00:00Z",            // day 31 in November
	"2024-01-32T12:00:00Z",            // day 32
	"2024-01-00T12:00:00Z",            // day 00
	"2024-13-01T12:00:00Z",            // month 13
	"2024-00-01T12:00:00Z",            // month 00
	"2024-9-01T12:00:00Z",             // one month digit
	"2024-09-1T12:00:00Z",             // one day digit
	"20240901T120000Z",                // basic format
	"2024-09-01T120000Z",              // basic time
	"02024-09-01T12:00:00Z",           // five-digit year
	"12024-09-01T12:00:00Z",           // five-digit year
	"+002024-09-01T12:00:00Z",         // expanded year
	"-2024-09-01T12:00:00Z",           // negative year
	"24-09-01T12:00:00Z",              // two-digit year
	"2024/09/01T12:00:00Z",            // slashes
	"2024-09-01T12:00:00Zjunk",        // trailing junk
	"2024-09-01T12:00:00+02:00junk",   // trailing junk
	"2024-09-01T12:00:00+0200 ",       // trailing space
	"2024-09-01T12:00:00Z\n",          // trailing newline
	"2024-09-01T12:00:00Z\x00",        // trailing NUL
	" 2024-09-01T12:00:00Z",           // leading space
	"\ufeff2024-09-01T12:00:00Z",      // leading BOM
	"\"2024-09-01T12:00:00Z\"",        // quoted
	"٢٠٢٤-09-01T12:00:00Z",            // Arabic-Indic digits
	"２０２４-09-01T12:00:00Z",            // fullwidth digits
	"2024-09-01T12:00:0٠Z",            // an Arabic-Indic second digit
	"2024-09-01T12:00:00.１Z",          // a fullwidth fraction digit
	"2024-09-01T12:00:00+0２:00",       // a fullwidth offset digit
	"2024-09-01T12:00:00 +02:00",      // a space before the offset
	"Sun, 01 Sep 2024 12:00:00 +0200", // RFC 1123
	"1725192000",                      // a Unix time
	"tomorrow",
}

func TestParseDateTime(t *testing.T) {
	for _, c := range acceptedDateTimes {
		got, err := parseDateTime(c.in)
		if err != nil {
			t.Errorf("parseDateTime(%q): %v", c.in, err)
			continue
		}
		_, off := got.Zone()
		if text := got.Format(time.RFC3339Nano); text != c.text || off != c.off || got.Nanosecond() != c.ns {
			t.Errorf("parseDateTime(%q) = %s (offset %d, %d ns), want %s (offset %d, %d ns)", c.in, text, off, got.Nanosecond(), c.text, c.off, c.ns)
		}
		checkAsTimeParse(t, c.in, got)
		checkMarshals(t, c.in, got)
	}
	for _, in := range refusedDateTimes {
		if got, err := parseDateTime(in); err != errDateTime || !got.IsZero() {
			t.Errorf("parseDateTime(%q) = %v, %v; want the zero time, errDateTime", in, got, err)
		}
	}
}

// checkAsTimeParse checks that got, what parseDateTime made of s, is what
// time.Parse(time.RFC3339Nano) makes of s, if it accepts s.
func checkAsTimeParse(t *testing.T, s string, got time.Time) {
	t.Helper()
	old, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return
	}
	if !reflect.DeepEqual(got, old) || got.String() != old.String() || !got.Equal(old) {
		t.Errorf("%q: parseDateTime gives %v, time.Parse %v", s, got, old)
	}
}

// checkMarshals checks that got, what parseDateTime made of s, marshals to
// JSON (RFC 3339) and back to the same instant with the same offset.
func checkMarshals(t *testing.T, s string, got time.Time) {
	t.Helper()
	b, err := json.Marshal(got)
	if err != nil {
		t.Errorf("%q: json.Marshal(%v): %v", s, got, err)
		return
	}
	text, err := strconv.Unquote(string(b))
	if err != nil {
		t.Errorf("%q: json.Marshal gives %s: %v", s, b, err)
		return
	}
	back, err := parseDateTime(text)
	_, off1 := got.Zone()
	_, off2 := back.Zone()
	if err != nil || !back.Equal(got) || off1 != off2 {
		t.Errorf("%q: marshals to %s, which parses to %v, %v; want %v", s, b, back, err, got)
	}
}

// TestParseDateTimeZone: Z is time.UTC; an offset that time.Local has at
// that instant is time.Local, another a nameless time.FixedZone, as with
// time.Parse. Whatever the machine's zone.
func TestParseDateTimeZone(t *testing.T) {
	utc, err := parseDateTime("2024-09-01T12:00:00Z")
	if err != nil || utc.Location() != time.UTC {
		t.Errorf("Z: %v (%v), %v; want time.UTC", utc, utc.Location(), err)
	}
	instant := time.Date(2024, 9, 1, 12, 0, 0, 0, time.UTC)
	local := instant.In(time.Local).Format("2006-01-02T15:04:05-07:00")
	got, err := parseDateTime(local)
	if err != nil || got.Location() != time.Local || !got.Equal(instant) {
		t.Errorf("%s (the local offset): %v (%v), %v; want time.Local", local, got, got.Location(), err)
	}
	checkAsTimeParse(t, local, got)
	_, lo := instant.In(time.Local).Zone()
	other := lo + 3600
	if other > 23*3600 {
		other = lo - 3600
	}
	s := instant.In(time.FixedZone("", other)).Format("2006-01-02T15:04:05-07:00")
	got, err = parseDateTime(s)
	if name, off := got.Zone(); err != nil || got.Location() == time.Local || name != "" || off != other || !got.Equal(instant) {
		t.Errorf("%s (not the local offset): %v (%v), %v; want a nameless fixed zone of %d s", s, got, got.Location(), err, other)
	}
	checkAsTimeParse(t, s, got)
}

func TestDecodeTimeError(t *testing.T) {
	_, err := decodeTime([]byte(`"2024-09-01T12:00:00+02"`), "created_at")
	var de *DecodeError
	if !errors.As(err, &de) || de.Path != "created_at" || de.Problem != `is "2024-09-01T12:00:00+02", not an RFC 3339 date-time` || !errors.Is(err, errDateTime) {
		t.Fatalf("decodeTime: %#v", err)
	}
	if got := err.Error(); got != `created_at is "2024-09-01T12:00:00+02", not an RFC 3339 date-time` {
		t.Errorf("Error() = %q", got)
	}
	got, err := decodeTime([]byte(`"2024-09-01T12:00:00+0200"`), "created_at")
	if err != nil || got.Format(time.RFC3339) != "2024-09-01T12:00:00+02:00" {
		t.Errorf("decodeTime: %v, %v", got, err)
	}
}

// zodDateTime is the grammar of zod 3's z.string().datetime({offset: true})
// (3.23 and later), its regular expression with the date left to
// validDate. zodDate is zod's own regular expression of the date, with the
// calendar in it, which validDate must agree with.
var (
	zodDateTime = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})T((?:[01]\d|2[0-3]):[0-5]\d)(?::([0-5]\d)(\.\d+)?)?(Z|([+-])(\d{2}):?(\d{2}))$`)
	zodDate     = regexp.MustCompile(`^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))$`)
)

// validDate reports whether year-month-day is a date of the (proleptic)
// Gregorian calendar, by Go's calendar.
func validDate(year, month, day string) bool {
	y, _ := strconv.Atoi(year)
	m, _ := strconv.Atoi(month)
	d, _ := strconv.Atoi(day)
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return m >= 1 && m <= 12 && t.Year() == y && t.Month() == time.Month(m) && t.Day() == d
}

// oracleDateTime parses s by the regular expression of zod's grammar and Go's
// calendar: ok is whether s is in the grammar (with an offset of at most
// 23:59) and want what parseDateTime must make of it, which is what
// time.Parse makes of s written out in full (seconds, and a colon in the
// offset).
func oracleDateTime(t *testing.T, s string) (want time.Time, ok bool) {
	m := zodDateTime.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	date := m[1] + "-" + m[2] + "-" + m[3]
	if valid := validDate(m[1], m[2], m[3]); valid != zodDate.MatchString(date) {
		t.Fatalf("%s: Go's calendar says %v, zod's regular expression the opposite", date, valid)
	} else if !valid {
		return time.Time{}, false
	}
	sec, zone := m[5], m[7]
	if sec == "" {
		sec = "00"
	}
	if zone != "Z" {
		if oh, _ := strconv.Atoi(m[9]); oh > 23 {
			return time.Time{}, false
		}
		if om, _ := strconv.Atoi(m[10]); om > 59 {
			return time.Time{}, false
		}
		zone = m[8] + m[9] + ":" + m[10]
	}
	full := date + "T" + m[4] + ":" + sec + m[6] + zone
	want, err := time.Parse(time.RFC3339Nano, full)
	if err != nil {
		t.Fatalf("%q in full, %q: time.Parse: %v", s, full, err)
	}
	return want, true
}

// FuzzParseDateTime: parseDateTime accepts exactly what the regular
// expression of zod's grammar and Go's calendar accept, and makes of it
// what time.Parse makes of it written out in full, and of any string
// time.Parse(time.RFC3339Nano) accepts too, what time.Parse makes of it;
// what it makes marshals to JSON and back.
func FuzzParseDateTime(f *testing.F) {
	for _, c := range acceptedDateTimes {
		f.Add(c.in)
	}
	for _, s := range refusedDateTimes {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseDateTime(s)
		want, ok := oracleDateTime(t, s)
		if !ok {
			if err != errDateTime || !got.IsZero() {
				t.Fatalf("parseDateTime(%q) = %v, %v; want errDateTime", s, got, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("parseDateTime(%q): %v; want %v", s, err, want)
		}
		if !reflect.DeepEqual(got, want) || got.String() != want.String() {
			t.Fatalf("parseDateTime(%q) = %v; want %v", s, got, want)
		}
		checkAsTimeParse(t, s, got)
		checkMarshals(t, s, got)
	})
}
