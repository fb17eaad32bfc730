// Package leakcheck finds goroutines that outlive a test. It does, with the
// standard library alone, what the sdk's tests used go.uber.org/goleak for,
// so that no test-only module ends up in the go.sum of the sdk's users.
package leakcheck

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Set is a set of goroutine IDs, as Snapshot records them.
type Set map[uint64]bool

// Option changes which goroutines Find, Check and VerifyTestMain leave out.
type Option func(*config)

type config struct {
	funcs []string      // a goroutine with one of these in its stack is left out
	wait  time.Duration // how long goroutines get to exit before they are reported
}

// standard are the goroutines any test binary may have: the testing
// package's (the main goroutine and every test's own goroutine, waiting or
// running), os/signal's and runtime/trace's. They include goleak's defaults
// (runtime.Stack never lists the runtime's own goroutines, whatever
// GOTRACEBACK says).
var standard = []string{
	"testing.tRunner", "testing.(*T).Run", "testing.(*T).Parallel", "testing.(*M).Run",
	"testing.runTests", "testing.RunTests", "testing.runFuzzing", "testing.runFuzzTests",
	"testing.(*M).startAlarm", "os/signal.signal_recv", "os/signal.loop",
	"runtime.ensureSigM", "runtime.ReadTrace", "runtime/trace", // the package, all of it
}

// IgnoreFunction leaves out goroutines that have fn, a fully qualified name
// such as "net/http.(*Server).Serve", or a closure of fn, in their stack. A
// package path such as "net/http" stands for all of the package's functions.
func IgnoreFunction(fn string) Option {
	return func(c *config) { c.funcs = append(c.funcs, fn) }
}

// IgnoreHTTPConns leaves out the read and write loops of net/http client
// connections. By default they are reported, as goleak does: the test should
// end idle keep-alive connections with CloseIdleConnections.
func IgnoreHTTPConns() Option {
	return func(c *config) {
		c.funcs = append(c.funcs, "net/http.(*persistConn).readLoop", "net/http.(*persistConn).writeLoop")
	}
}

// Snapshot returns the IDs of the goroutines running now. Passed to Find or
// Check, it stands for goleak.IgnoreCurrent().
func Snapshot() Set {
	s := Set{}
	for _, g := range stacks() {
		s[g.id] = true
	}
	return s
}

// Find returns nil as soon as every goroutine is the caller's, a standard
// one, or in ignore (which may be nil). Otherwise it retries for about 5
// seconds, then returns an error with the stacks of the other goroutines.
func Find(ignore Set, opts ...Option) error {
	c := config{funcs: slices.Clone(standard), wait: 5 * time.Second}
	for _, o := range opts {
		o(&c)
	}
	deadline := time.Now().Add(c.wait)
	for pause := time.Microsecond; ; pause = min(2*pause, 100*time.Millisecond) {
		var leaked []string
		for _, g := range stacks()[1:] { // the first is the caller's
			if !ignore[g.id] && !g.standard(c.funcs) {
				leaked = append(leaked, g.text)
			}
		}
		if len(leaked) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("found %d unexpected goroutine(s):\n\n%s", len(leaked), strings.Join(leaked, "\n\n"))
		}
		time.Sleep(pause)
	}
}

// Check reports what Find returns through t.Errorf. Call it from a t.Cleanup
// with a Snapshot taken when the test started.
func Check(t testing.TB, ignore Set, opts ...Option) {
	t.Helper()
	if err := Find(ignore, opts...); err != nil {
		t.Errorf("goroutines outlived the test: %v", err)
	}
}

// VerifyTestMain runs the tests and exits with their status; but if they
// passed and Find reports goroutines, it writes their stacks to stderr and
// exits with status 1. Call it from TestMain.
func VerifyTestMain(m *testing.M, opts ...Option) {
	code := m.Run()
	if code == 0 {
		if err := Find(nil, opts...); err != nil {
			fmt.Fprintf(os.Stderr, "leakcheck: goroutines outlived the tests: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// goroutine is one block of runtime.Stack's output, such as
//
//	goroutine 7 [chan receive, 2 minutes]:
//	main.f(0xc000012345, ...)
//		/src/main.go:12 +0x1d
//	created by main.main in goroutine 1
//		/src/main.go:5 +0x25
type goroutine struct {
	id    uint64
	funcs []string // "main.f", innermost first
	text  string
}

func (g goroutine) standard(funcs []string) bool {
	for _, f := range g.funcs {
		for _, fn := range funcs {
			if f == fn || strings.HasPrefix(f, fn+".") {
				return true
			}
		}
	}
	return false
}

// stacks parses runtime.Stack(buf, true), which lists the caller first.
func stacks() []goroutine {
	buf := make([]byte, 64<<10)
	n := runtime.Stack(buf, true)
	for ; n == len(buf); n = runtime.Stack(buf, true) {
		buf = make([]byte, 2*len(buf))
	}
	var out []goroutine
	for _, block := range strings.Split(strings.TrimSpace(string(buf[:n])), "\n\n") {
		lines := strings.Split(block, "\n")
		head := strings.Fields(lines[0]) // goroutine 7 [chan receive]:
		if len(head) < 3 || head[0] != "goroutine" {
			continue
		}
		g := goroutine{text: block}
		g.id, _ = strconv.ParseUint(head[1], 10, 64)
		for _, l := range lines[1:] {
			if i := strings.LastIndex(l, "("); i > 0 && l[0] != '\t' && !strings.HasPrefix(l, "created by ") {
				g.funcs = append(g.funcs, l[:i])
			}
		}
		out = append(out, g)
	}
	return out
}
