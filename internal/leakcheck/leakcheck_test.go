package leakcheck

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"runtime/trace"
	"strings"
	"syscall"
	"testing"
	"time"
)

// within shortens the time goroutines get to exit, so failing checks are quick.
func within(d time.Duration) Option { return func(c *config) { c.wait = d } }

// blockOn is what the leaked goroutines run: it waits on ch.
func blockOn(ch chan struct{}) { <-ch }

// TestMain checks this package's own tests for leaks; run as a child of
// TestVerifyTestMain, it first leaks a goroutine, or not, as asked.
func TestMain(m *testing.M) {
	switch os.Getenv("LEAKCHECK_CHILD") {
	case "leak":
		go blockOn(make(chan struct{}))
		VerifyTestMain(m, within(200*time.Millisecond))
	case "clean":
		VerifyTestMain(m, within(200*time.Millisecond))
	}
	VerifyTestMain(m)
}

func TestCleanStateIsNotFlagged(t *testing.T) {
	if err := Find(nil, within(0)); err != nil {
		t.Fatalf("Find(nil) = %v, want nil", err)
	}
	// In a subtest the parent's goroutine waits in t.Run: it is standard too.
	t.Run("sub", func(t *testing.T) {
		Check(t, nil, within(0))
	})
}

func TestSignalAndTraceAreNotFlagged(t *testing.T) {
	ignore := Snapshot()
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1) // starts os/signal's goroutine, for good
	defer signal.Stop(c)
	if err := trace.Start(io.Discard); err != nil {
		t.Fatal(err)
	}
	defer trace.Stop()
	if err := Find(ignore, within(0)); err != nil {
		t.Errorf("Find = %v, want nil", err)
	}
}

func TestParallelTestsAreNotFlagged(t *testing.T) {
	for i := range 3 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			Check(t, nil, within(0))
		})
	}
}

func TestLeakIsFound(t *testing.T) {
	ignore := Snapshot()
	ch := make(chan struct{})
	go blockOn(ch)
	err := Find(ignore, within(100*time.Millisecond))
	if err == nil || !strings.Contains(err.Error(), "leakcheck.blockOn") || !strings.Contains(err.Error(), "[chan receive") {
		t.Errorf("Find = %v, want the stack of blockOn, blocked in chan receive", err)
	}
	var tb fakeTB
	Check(&tb, ignore, within(0))
	if len(tb.errors) != 1 || !strings.Contains(tb.errors[0], "leakcheck.blockOn") {
		t.Errorf("Check reported %q, want one error naming blockOn", tb.errors)
	}
	if err := Find(ignore, IgnoreFunction("github.com/intuned/intuned-go/internal/leakcheck.blockOn"), within(0)); err != nil {
		t.Errorf("with IgnoreFunction(blockOn): %v", err)
	}
	close(ch)
	// blockOn exits now, but perhaps not at once: Find waits for it.
	if err := Find(ignore); err != nil {
		t.Errorf("after the goroutine ended: %v", err)
	}
}

func TestSnapshotIgnoresWhatRanBefore(t *testing.T) {
	ch := make(chan struct{})
	defer close(ch)
	go blockOn(ch)
	time.Sleep(10 * time.Millisecond) // let it start, though Snapshot lists it either way
	if err := Find(Snapshot(), within(0)); err != nil {
		t.Errorf("Find(Snapshot()) = %v, want nil", err)
	}
}

func TestGoroutineEndingSoonIsNotFlagged(t *testing.T) {
	ignore := Snapshot()
	go time.Sleep(200 * time.Millisecond)
	if err := Find(ignore); err != nil {
		t.Errorf("a goroutine that ends within the retry time: %v", err)
	}
}

func TestHTTPConnsAreFlaggedUnlessIgnored(t *testing.T) {
	ignore := Snapshot()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	tr := &http.Transport{}
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	server := IgnoreFunction("net/http.(*Server).Serve") // the listener and its connections
	server2 := IgnoreFunction("net/http.(*conn).serve")
	if err := Find(ignore, server, server2, within(100*time.Millisecond)); err == nil || !strings.Contains(err.Error(), "persistConn") {
		t.Errorf("with an idle keep-alive connection, Find = %v, want its loops reported", err)
	}
	if err := Find(ignore, server, server2, IgnoreHTTPConns(), within(0)); err != nil {
		t.Errorf("with IgnoreHTTPConns: %v", err)
	}
	tr.CloseIdleConnections()
	srv.Close()
	if err := Find(ignore); err != nil {
		t.Errorf("after closing: %v", err)
	}
}

// TestVerifyTestMain runs this test binary again, with and without a leaked
// goroutine.
func TestVerifyTestMain(t *testing.T) {
	for _, child := range []string{"leak", "clean"} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "LEAKCHECK_CHILD="+child)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		switch {
		case child == "clean" && err != nil:
			t.Errorf("without a leak: %v\n%s", err, out)
		case child == "leak" && (!errors.As(err, &exit) || exit.ExitCode() != 1):
			t.Errorf("with a leak: err = %v, want exit status 1\n%s", err, out)
		case child == "leak" && (!strings.Contains(string(out), "leakcheck: goroutines outlived the tests: found 1 unexpected goroutine(s)") ||
			!strings.Contains(string(out), "leakcheck.blockOn")):
			t.Errorf("with a leak, the report lacks the count or the stack:\n%s", out)
		}
	}
}

// fakeTB records what Check reports.
type fakeTB struct {
	testing.TB
	errors []string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
