// Command benchratio reads `go test -bench -benchmem` output on standard
// input, passes it through, and then prints a Markdown table that sets each
// …/sdk benchmark beside its …/raw baseline from the same run: the median of
// each over the repetitions (-count), and the median of the per-repetition
// ratios. `make bench` pipes the benchmarks through it.
package main

import (
	"bufio"
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
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(out, line)
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
	return nil
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
