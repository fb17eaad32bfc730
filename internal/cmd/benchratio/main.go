// Command benchratio reads `go test -bench -benchmem` output on standard
// input, passes it through, and then prints a Markdown table that sets each
// …/sdk benchmark beside its …/raw baseline from the same run: the median of
// each over the repetitions (-count), and the median of the per-repetition
// ratios. `make bench` pipes the benchmarks through it.
//
// For BenchmarkBulk (`make bench-bulk`), it prints instead one table per
// repetition, each from one run: every target, naive way beside bulk call,
// for queue items and auth-session creates.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// result is a benchmark's metrics by unit: the median over its runs
// (go test -count), which shrugs off the odd noisy run.
type result map[string]float64

var procSuffix = regexp.MustCompile(`-\d+$`)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	runs := map[string][]result{}
	var order []string
	var failed bool
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(out, line)
		failed = failed || strings.HasPrefix(line, "FAIL") || strings.HasPrefix(line, "--- FAIL")
		name, r, ok := parse(line)
		if !ok {
			continue
		}
		if _, seen := runs[name]; !seen {
			order = append(order, name)
		}
		runs[name] = append(runs[name], r)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	results := map[string]result{}
	for name, rs := range runs {
		results[name] = median(rs)
	}
	table(out, order, results, runs)
	bulkTables(out, runs)
	if failed {
		return errors.New("a benchmark failed (FAIL above)")
	}
	return nil
}

// bulkColumns are the sub-benchmarks of BenchmarkBulk, as table columns.
var bulkColumns = []string{"Bulk/items/naive", "Bulk/items/bulk", "Bulk/items/journal", "Bulk/creates/naive", "Bulk/creates/bulk", "Bulk/creates/journal"}

// bulkRows are the rows of a BenchmarkBulk table: a label, the format of
// a cell and the metrics it formats ("n/a" if one is missing).
var bulkRows = []struct {
	label, format string
	units         []string
}{
	{"TCP connections to the API: peak (opened; client dials)", "%.0f (%.0f; %.0f)", []string{"conns-peak", "conns-opened", "client-dials"}},
	{"client heap per operation, all started", "%.0f B", []string{"heap-B/op"}},
	{"client stack per operation, all started", "%.0f B", []string{"stack-B/op"}},
	{"goroutines (operations still waiting)", "%.0f (%.0f)", []string{"goroutines", "waiting"}},
	{"polls per operation: mean, max (schedule)", "%.2f, %.0f (%.0f)", []string{"polls/op", "polls-max/op", "polls-want/op"}},
	{"poll lag ÷ interval: p50, p99, max", "%.2f, %.2f, %.2f", []string{"lag-p50/int", "lag-p99/int", "lag-max/int"}},
	{"poll lag, max", "%.0f ms", []string{"lag-max-ms"}},
	{"poll lag ÷ interval, polls due after the last start: p99, max", "%.2f, %.2f", []string{"lag-steady-p99/int", "lag-steady-max/int"}},
	{"result to caller after the poll that saw it done, max", "%.0f ms (%.2f interval)", []string{"handoff-max-ms", "handoff-max/int"}},
	{"client CPU per call (starts + polls)", "%.1f µs", []string{"cpu-us/call"}},
	{"… ÷ a single Result call's (sequential)", "%.2fx", []string{"cpu-ratio"}},
	{"… ÷ the same calls made directly by 64 goroutines", "%.2fx", []string{"cpu-ratio-direct"}},
	{"the fake's CPU per call", "%.1f µs", []string{"fake-cpu-us/call"}},
	{"calls/s: mean, busiest 100 ms", "%.0f, %.0f", []string{"calls/s", "peak-calls/s"}},
	{"batch wall time; all started after", "%.1f s; %.2f s", []string{"batch-s", "all-started-s"}},
	{"other processes' load", "%.2f cores", []string{"other-cores"}},
	{"errors", "%.0f", []string{"errors"}},
}

func bulkCell(r result, format string, units []string) string {
	var vs []any
	for _, u := range units {
		v, ok := r[u]
		if !ok {
			return "n/a"
		}
		vs = append(vs, v)
	}
	return fmt.Sprintf(format, vs...)
}

// bulkTables prints a table of the BenchmarkBulk targets for each
// repetition.
func bulkTables(out io.Writer, runs map[string][]result) {
	reps := len(runs[bulkColumns[0]])
	for i := 0; i < reps; i++ {
		fmt.Fprintf(out, "\nBenchmarkBulk, run %d of %d", i+1, reps)
		if base := runs["Bulk/result"]; i < len(base) {
			fmt.Fprintf(out, " (a single Result call: %.1f µs client CPU, %.1f µs wall, %.1f µs fake CPU; other load %.2f cores)",
				base[i]["cpu-us/call"], base[i]["wall-us/call"], base[i]["fake-cpu-us/call"], base[i]["other-cores"])
		}
		fmt.Fprintln(out)
		for _, kind := range []string{"items", "creates"} {
			if d := runs["Bulk/direct/"+kind]; i < len(d) {
				fmt.Fprintf(out, "The calls of a batch of %s made directly by 64 goroutines: %.1f µs client CPU and %.1f µs fake CPU per call, %.0f calls/s (busiest 100 ms: %.0f/s); other load %.2f cores\n",
					kind, d[i]["cpu-us/call"], d[i]["fake-cpu-us/call"], d[i]["calls/s"], d[i]["peak-calls/s"], d[i]["other-cores"])
			}
		}
		fmt.Fprintln(out)
		fmt.Fprintln(out, "| target | items, naive | items, bulk | items, bulk + FileJournal | creates, naive | creates, bulk | creates, bulk + FileJournal |")
		fmt.Fprintln(out, "|---|---:|---:|---:|---:|---:|---:|")
		for _, row := range bulkRows {
			fmt.Fprintf(out, "| %s |", row.label)
			for _, col := range bulkColumns {
				cell := "n/a"
				if rs := runs[col]; i < len(rs) {
					cell = bulkCell(rs[i], row.format, row.units)
				}
				fmt.Fprintf(out, " %s |", cell)
			}
			fmt.Fprintln(out)
		}
	}
}

// pairedRatio is the median over repetitions of sdk/raw for one unit: each
// repetition ran the pair back to back, so drift of the machine between
// repetitions cancels out.
func pairedRatio(sdk, raw []result, unit string) string {
	n := min(len(sdk), len(raw))
	var rs []float64
	for i := 0; i < n; i++ {
		if raw[i][unit] != 0 {
			rs = append(rs, sdk[i][unit]/raw[i][unit])
		}
	}
	if len(rs) == 0 {
		return "n/a"
	}
	sort.Float64s(rs)
	m := rs[len(rs)/2]
	if len(rs)%2 == 0 {
		m = (rs[len(rs)/2-1] + rs[len(rs)/2]) / 2
	}
	return fmt.Sprintf("%.2fx", m)
}

func median(rs []result) result {
	m := result{}
	for unit := range rs[0] {
		var vs []float64
		for _, r := range rs {
			vs = append(vs, r[unit])
		}
		sort.Float64s(vs)
		if n := len(vs); n%2 == 1 {
			m[unit] = vs[n/2]
		} else {
			m[unit] = (vs[n/2-1] + vs[n/2]) / 2
		}
	}
	return m
}

// parse reads "BenchmarkX/y/sdk-2  100  1234 ns/op  56 B/op  7 allocs/op".
func parse(line string) (string, result, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
		return "", nil, false
	}
	r := result{}
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return "", nil, false
		}
		r[f[i+1]] = v
	}
	return strings.TrimPrefix(procSuffix.ReplaceAllString(f[0], ""), "Benchmark"), r, true
}

func table(out io.Writer, order []string, results map[string]result, runs map[string][]result) {
	var pairs []string
	for _, name := range order {
		if base, ok := strings.CutSuffix(name, "/sdk"); ok {
			if _, ok := results[base+"/raw"]; ok {
				pairs = append(pairs, base)
			}
		}
	}
	if len(pairs) == 0 {
		return
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| benchmark | SDK ns/op | raw ns/op | time ratio | SDK B/op | raw B/op | SDK allocs/op | raw allocs/op | allocs ratio |")
	fmt.Fprintln(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, p := range pairs {
		s, r := results[p+"/sdk"], results[p+"/raw"]
		if _, ok := s["calls/s"]; ok {
			continue // throughput benchmarks get their own table
		}
		fmt.Fprintf(out, "| %s | %.0f | %.0f | %s | %.0f | %.0f | %.0f | %.0f | %s |\n", p,
			s["ns/op"], r["ns/op"], pairedRatio(runs[p+"/sdk"], runs[p+"/raw"], "ns/op"),
			s["B/op"], r["B/op"], s["allocs/op"], r["allocs/op"], pairedRatio(runs[p+"/sdk"], runs[p+"/raw"], "allocs/op"))
	}
	var printed bool
	for _, p := range pairs {
		s, r := results[p+"/sdk"], results[p+"/raw"]
		if _, ok := s["calls/s"]; !ok {
			continue
		}
		if !printed {
			fmt.Fprintln(out)
			fmt.Fprintln(out, "| benchmark | client | calls/s | throughput vs raw | TCP connections |")
			fmt.Fprintln(out, "|---|---|---:|---:|---:|")
			printed = true
		}
		for _, variant := range []string{"sdk", "raw", "raw-default-client"} {
			v, ok := results[p+"/"+variant]
			if !ok {
				continue
			}
			fmt.Fprintf(out, "| %s | %s | %.0f | %s | %.0f |\n", p, variant, v["calls/s"], ratio(v["calls/s"], r["calls/s"]), v["conns"])
		}
	}
}

func ratio(a, b float64) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2fx", a/b)
}
