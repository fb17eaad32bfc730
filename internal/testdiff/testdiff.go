// Package testdiff shows how two values differ, for test failures. It
// stands in for github.com/google/go-cmp with the standard library alone, so
// that no test-only module ends up in the go.sum of the sdk's users.
package testdiff

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Diff returns "" when reflect.DeepEqual(want, got). Otherwise it returns
// both values as Go syntax (%#v, with json.RawMessage values shown as
// strings) and, when both marshal to JSON, a line diff of their indented
// JSON, lines only in want marked "-" and lines only in got "+".
func Diff(want, got any) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "want: %s\ngot:  %s\n", format(reflect.ValueOf(want), 0), format(reflect.ValueOf(got), 0))
	wj, werr := json.MarshalIndent(want, "", "  ")
	gj, gerr := json.MarshalIndent(got, "", "  ")
	switch {
	case werr != nil || gerr != nil:
	case string(wj) == string(gj):
		b.WriteString("(equal as JSON: they differ in what JSON leaves out, such as types, unexported fields, nil against empty)\n")
	default:
		b.WriteString("JSON (-want +got):\n" + lineDiff(strings.Split(string(wj), "\n"), strings.Split(string(gj), "\n")))
	}
	return b.String()
}

// format is %#v, with json.RawMessage values as strings down to a depth of 8.
func format(v reflect.Value, depth int) string {
	if !v.IsValid() {
		return "nil"
	}
	if v.Type() == reflect.TypeFor[json.RawMessage]() && !v.IsNil() {
		return fmt.Sprintf("json.RawMessage(%#q)", v.Bytes())
	}
	var parts []string
	switch k := v.Kind(); {
	case depth > 8 || (k == reflect.Pointer || k == reflect.Interface || k == reflect.Map || k == reflect.Slice) && v.IsNil():
	case k == reflect.Interface:
		return format(v.Elem(), depth+1)
	case k == reflect.Pointer && v.Elem().Kind() == reflect.Struct:
		return "&" + format(v.Elem(), depth+1)
	case k == reflect.Struct:
		for i := range v.NumField() {
			parts = append(parts, v.Type().Field(i).Name+":"+format(v.Field(i), depth+1))
		}
	case (k == reflect.Slice || k == reflect.Array) && v.Type().Elem().Kind() != reflect.Uint8:
		for i := range v.Len() {
			parts = append(parts, format(v.Index(i), depth+1))
		}
	case k == reflect.Map:
		for it := v.MapRange(); it.Next(); {
			parts = append(parts, fmt.Sprintf("%#v:%s", it.Key(), format(it.Value(), depth+1)))
		}
		sort.Strings(parts)
	}
	if parts == nil {
		return fmt.Sprintf("%#v", v)
	}
	return v.Type().String() + "{" + strings.Join(parts, ", ") + "}"
}

// lineDiff prints a and b line by line: the lines of a longest common
// subsequence marked "  ", the others "- " (only in a) or "+ " (only in b).
func lineDiff(a, b []string) string {
	n := make([][]int, len(a)+1) // n[i][j]: the length of one for a[i:] and b[j:]
	for i := range n {
		n[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if n[i][j] = max(n[i+1][j], n[i][j+1]); a[i] == b[j] {
				n[i][j] = n[i+1][j+1] + 1
			}
		}
	}
	var out strings.Builder
	for i, j := 0, 0; i < len(a) || j < len(b); {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out.WriteString("  " + a[i] + "\n")
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || n[i+1][j] >= n[i][j+1]):
			out.WriteString("- " + a[i] + "\n")
			i++
		default:
			out.WriteString("+ " + b[j] + "\n")
			j++
		}
	}
	return out.String()
}
