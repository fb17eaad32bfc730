//go:build unix

package sdk_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// BenchmarkBulk measures the bulk calls (AppendAndWaitAll,
// Create.StartAndWaitAll) beside the naive way (one goroutine per operation
// calling AppendAndWait, Create.StartAndWait), on 10,000 operations each
// (-bulk.ops), with the SDK's default HTTP client and one poll schedule for
// both (-bulk.initial, -bulk.multiplier, -bulk.max; the SDK's defaults),
// against the fake API (intunedtest) in another process: this test binary
// run again with INTUNED_BENCH_FAKE set (TestMain). Run it with -benchtime
// 1x and -count 1 (`make bench-bulk` runs it again for more runs: with
// -count, each sub-benchmark repeats on the same fake, and the CPU ratios
// take the last baselines); each iteration does all the operations, and
// reports, per sub-benchmark items/bulk, items/journal (bulk with a
// FileJournal), items/naive, creates/bulk, creates/journal, creates/naive:
//
//   - conns-peak, conns-opened, conns-closed, conns-stale: the most TCP
//     connections the fake had open at once (http.Server.ConnState in the
//     fake), those it accepted and saw closed during the batch, and those
//     still open from earlier when it began; client-dials: the dials the
//     client made (httptrace);
//   - heap-B/op, stack-B/op, goroutines, waiting: the client's live heap
//     (HeapAlloc after runtime.GC) and stacks (StackInuse) above what they
//     were once the inputs were built, per operation, the goroutines, and
//     the operations not yet ended, when the last operation had started
//     (its WaitEventKindStarted event);
//   - polls/op, polls-max/op, polls-want/op, polls-fake/op: WaitEventKindPolled
//     events per operation, mean and most, against what the fake's script
//     needs, and the result calls the fake received per operation;
//   - lag-p50/int, lag-p99/int, lag-max/int, lag-max-ms: how late each poll
//     reached the fake against when it was due (the event before it, plus
//     the Delay that event announced), as a fraction of that interval, and
//     the most in milliseconds; lag-steady-…: the same for the polls due
//     after the last start;
//   - handoff-max-ms, handoff-max/int: from the poll that reached the fake
//     and found the operation done to the caller holding its outcome;
//   - cpu-us/call: the client process's user+system CPU (getrusage) over
//     the batch per call the fake received (starts and polls); cpu-ratio:
//     its ratio to the same for sequential single Result calls
//     (BenchmarkBulk/result, run first); cpu-ratio-direct: to the same
//     calls made directly by 64 goroutines (BenchmarkBulk/direct/<kind>);
//     fake-cpu-us/call: the fake's;
//   - calls/s, peak-calls/s (the busiest 100 ms), batch-s, all-started-s,
//     and other-cores: the cores other processes of the machine kept busy
//     meanwhile (/proc/stat), which these loopback figures are sensitive
//     to.
func BenchmarkBulk(b *testing.B) {
	fake := startBenchFake(b)
	ctx := context.Background()
	c := bulkBenchClient(b, fake)
	if _, err := c.Project.Queues.Create(ctx, benchProject, sdk.QueueCreateRequest{ID: sdk.Ptr(benchQueue)}); err != nil {
		b.Fatal(err)
	}
	var resultCPU float64 // per call, from BenchmarkBulk/result
	b.Run("result", func(b *testing.B) {
		resultCPU = benchResultCPU(b, fake)
	})
	for _, kind := range []string{"items", "creates"} {
		var directCPU float64 // per call, from BenchmarkBulk/direct/<kind>
		b.Run("direct/"+kind, func(b *testing.B) {
			directCPU = benchDirect(b, fake, kind)
		})
		for _, way := range []string{"bulk", "journal", "naive"} {
			b.Run(kind+"/"+way, func(b *testing.B) {
				var m bulkMetrics
				for range b.N {
					m = runBulk(b, fake, kind, way)
				}
				m.report(b, resultCPU, directCPU)
			})
		}
	}
}

const (
	benchFakeEnv = "INTUNED_BENCH_FAKE" // TestMain serves the fake when set (main_test.go)
	benchProject = "bench"
	benchQueue   = "bench-queue"
	benchAPI     = "bench-api"
	// for the direct calls: items that stay queued or pending, a create
	// that stays pending
	benchQueuedAPI      = "bench-queued"
	benchPendingAPI     = "bench-pending"
	benchPendingSession = "bench-pending-session"
	benchCalls          = 10000 // sequential Result calls of the CPU baseline
)

// The batch's size and poll schedule, the same for both ways (make
// bench-bulk BULKFLAGS='-bulk.ops=1000 -bulk.initial=250ms').
var (
	benchOpsFlag = flag.Int("bulk.ops", 10000, "BenchmarkBulk: operations per batch")
	benchInitial = flag.Duration("bulk.initial", time.Second, "BenchmarkBulk: PollConfig.InitialDelay")
	benchMult    = flag.Float64("bulk.multiplier", 1.5, "BenchmarkBulk: PollConfig.Multiplier")
	benchMax     = flag.Duration("bulk.max", 10*time.Second, "BenchmarkBulk: PollConfig.MaxDelay")
	benchHeap    = flag.String("bulk.heapprofile", "", "BenchmarkBulk: write the heap profile at the peak, when every operation has started, to `prefix`-<kind>-<way>.pprof")
)

// The fake's scripts, and the polls each operation needs: an item is
// queued, then pending, then completed (3 result calls); a create is
// pending twice, then done (3 result calls).
var (
	benchItemScript   = []intunedtest.RunStep{intunedtest.Queued(1), intunedtest.Running(1), intunedtest.Completed(200, map[string]any{"ok": true})}
	benchCreateScript = []intunedtest.Step{intunedtest.Pending(2), intunedtest.Done("")}
)

const benchPollsWanted = 3

// --- the fake, in a process of its own ---

// serveFake serves the fake API for BenchmarkBulk until standard input
// closes or a SIGTERM or SIGINT comes; TestMain calls it in the process the
// benchmark starts. It prints "<api URL> <control URL>" on standard output.
// The control server (a listener of its own, so its connections are not
// counted) answers GET /stats, GET /polls and POST /reset.
func init() { serveBenchFake = serveFake }

func serveFake() int {
	fake := intunedtest.NewUnstartedServer(intunedtest.WithAPIKey(testKey), intunedtest.WithWorkspaceID(testWorkspace), intunedtest.WithoutRecording())
	fake.ScriptAPI(benchAPI, benchItemScript...)
	fake.ScriptAPI(benchQueuedAPI, intunedtest.Queued(math.MaxInt))
	fake.ScriptAPI(benchPendingAPI, intunedtest.Running(math.MaxInt))
	fake.DefaultScript(benchCreateScript...)
	fake.Script(benchPendingSession, intunedtest.Pending(math.MaxInt))
	api, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fake.URL = "http://" + api.Addr().String()
	st := &fakeStats{}
	st.reset()
	inner := fake.Handler()
	apiServer := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			at := time.Now().UnixNano()
			op := fake.Operation(r)
			st.request(op, r.URL.Path, at)
			inner.ServeHTTP(w, r)
		}),
		ConnState: st.connState,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		json.NewEncoder(w).Encode(st.snapshot())
	})
	mux.HandleFunc("GET /polls", func(w http.ResponseWriter, _ *http.Request) {
		st.mu.Lock()
		defer st.mu.Unlock()
		json.NewEncoder(w).Encode(st.polls)
	})
	mux.HandleFunc("POST /reset", func(w http.ResponseWriter, _ *http.Request) {
		st.reset()
		w.WriteHeader(http.StatusNoContent)
	})
	ctlServer := &http.Server{Handler: mux}
	go apiServer.Serve(api)
	go ctlServer.Serve(ctl)
	fmt.Printf("%s http://%s\n", fake.URL, ctl.Addr())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	stdin := make(chan struct{})
	go func() {
		io.Copy(io.Discard, os.Stdin)
		close(stdin)
	}()
	select {
	case <-stop:
	case <-stdin:
	}
	apiServer.Close()
	ctlServer.Close()
	return 0
}

// fakeStats counts what the fake's API listener sees.
type fakeStats struct {
	mu       sync.Mutex
	open     int
	peak     int
	accepted int
	closed   map[string]int              // connections closed since the reset, by their state before
	states   map[net.Conn]http.ConnState // of the open connections
	requests map[string]int              // by operation
	polls    map[string][]int64          // arrival times (Unix ns) of result calls, by operation ID
	since    time.Time                   // the last reset
	timeline map[int64]int               // requests by 100 ms since then
}

// benchStats is fakeStats as GET /stats answers it.
type benchStats struct {
	Open     int            `json:"open"`
	Peak     int            `json:"peak"`
	Accepted int            `json:"accepted"`
	Requests map[string]int `json:"requests"`
	CPU      time.Duration  `json:"cpu"`     // the fake process's user+system CPU so far
	Busiest  int            `json:"busiest"` // the most requests in 100 ms since the reset
	Closed   map[string]int `json:"closed"`  // connections closed since the reset, by their state before
}

func (s *fakeStats) connState(c net.Conn, state http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch state {
	case http.StateNew:
		s.open++
		s.accepted++
		s.peak = max(s.peak, s.open)
	case http.StateClosed, http.StateHijacked:
		s.open--
		s.closed[s.states[c].String()]++
		delete(s.states, c)
		return
	}
	s.states[c] = state
}

func (s *fakeStats) request(op, path string, at int64) {
	var id string
	switch op {
	case intunedtest.ProjectQueuesItemsResult: // …/items/{itemRunId}
		id = path[strings.LastIndexByte(path, '/')+1:]
	case intunedtest.ProjectAuthSessionsCreateResult: // …/create/{operationId}/result
		rest := strings.TrimSuffix(path, "/result")
		id = rest[strings.LastIndexByte(rest, '/')+1:]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[op]++
	s.timeline[(at-s.since.UnixNano())/int64(100*time.Millisecond)]++
	if id != "" {
		s.polls[id] = append(s.polls[id], at)
	}
}

func (s *fakeStats) snapshot() benchStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	busiest := 0
	for _, n := range s.timeline {
		busiest = max(busiest, n)
	}
	return benchStats{Open: s.open, Peak: s.peak, Accepted: s.accepted, Requests: maps.Clone(s.requests), CPU: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), Busiest: busiest, Closed: maps.Clone(s.closed)}
}

// reset forgets the requests; the peak starts again from the connections
// open now.
func (s *fakeStats) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.peak = s.open
	s.accepted = 0
	s.requests = map[string]int{}
	s.polls = map[string][]int64{}
	s.since = time.Now()
	s.timeline = map[int64]int{}
	s.closed = map[string]int{}
	if s.states == nil {
		s.states = map[net.Conn]http.ConnState{}
	}
}

// benchFake is the fake's process, as the benchmark sees it.
type benchFake struct {
	api, ctl      string
	hc            *http.Client // for the control server, not the SDK's
	pendingCreate string       // the operation of benchPendingSession, once created
}

// startBenchFake runs this test binary again as the fake, and stops it when
// b ends.
func startBenchFake(b *testing.B) *benchFake {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), benchFakeEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close() // the fake exits when its standard input closes
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("the fake did not say where it listens: %v", err)
	}
	urls := strings.Fields(line)
	if len(urls) != 2 {
		b.Fatalf("the fake said %q", line)
	}
	f := &benchFake{api: urls[0], ctl: urls[1], hc: &http.Client{Transport: &http.Transport{}}}
	b.Cleanup(f.hc.CloseIdleConnections)
	return f
}

func (f *benchFake) get(b *testing.B, path string, v any) {
	b.Helper()
	resp, err := f.hc.Get(f.ctl + path)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		b.Fatal(err)
	}
}

func (f *benchFake) stats(b *testing.B) benchStats {
	var s benchStats
	f.get(b, "/stats", &s)
	return s
}

// reset waits (a little) for the client's earlier connections to close,
// then resets the fake's counts. It returns the connections still open.
func (f *benchFake) reset(b *testing.B, c *sdk.Client) int {
	b.Helper()
	c.CloseIdleConnections()
	open := f.stats(b).Open
	for deadline := time.Now().Add(2 * time.Second); open > 0 && time.Now().Before(deadline); open = f.stats(b).Open {
		time.Sleep(10 * time.Millisecond)
		c.CloseIdleConnections()
	}
	resp, err := f.hc.Post(f.ctl+"/reset", "", nil)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	return open
}

// bulkBenchClient is an SDK client on the default HTTP client, as both
// ways use it.
func bulkBenchClient(b *testing.B, f *benchFake) *sdk.Client {
	c, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(f.api))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.CloseIdleConnections)
	return c
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchResultCPU makes benchCalls sequential Result calls on one completed
// item and reports the CPU per call; it returns it in microseconds.
func benchResultCPU(b *testing.B, f *benchFake) float64 {
	ctx := context.Background()
	c := bulkBenchClient(b, f)
	done, err := c.Project.Queues.Items.AppendAndWait(ctx, benchProject, benchQueue, sdk.QueueItemAppendRequest{APIName: benchAPI}, sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Millisecond}))
	if err != nil {
		b.Fatal(err)
	}
	var perCall float64
	for range b.N {
		f.reset(b, c)
		other := otherLoad(b, f)
		fakeCPU := f.stats(b).CPU
		begin, cpu := time.Now(), cpuTime(b)
		for range benchCalls {
			if _, err := c.Project.Queues.Items.Result(ctx, benchProject, benchQueue, done.RunID); err != nil {
				b.Fatal(err)
			}
		}
		used, wall := cpuTime(b)-cpu, time.Since(begin)
		st := f.stats(b)
		calls := st.Requests[intunedtest.ProjectQueuesItemsResult]
		if calls != benchCalls {
			b.Fatalf("the fake saw %d result calls, want %d", calls, benchCalls)
		}
		perCall = float64(used.Microseconds()) / float64(calls)
		b.ReportMetric(perCall, "cpu-us/call")
		b.ReportMetric(float64(wall.Microseconds())/float64(calls), "wall-us/call")
		b.ReportMetric(float64((st.CPU-fakeCPU).Microseconds())/float64(calls), "fake-cpu-us/call")
		b.ReportMetric(other(), "other-cores")
	}
	return perCall
}

// machineBusy is the CPU time every process of the machine has used so
// far (Linux: /proc/stat, in USER_HZ ticks of 10 ms), to tell how much
// other processes took during a measurement; false where there is no
// /proc/stat.
func machineBusy() (time.Duration, bool) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 8 || f[0] != "cpu" {
		return 0, false
	}
	var ticks int64
	for i, v := range f[1:8] { // user nice system idle iowait irq softirq
		if i == 3 || i == 4 {
			continue // idle, iowait
		}
		var n int64
		fmt.Sscan(v, &n)
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, true
}

// otherLoad measures, between its call and the call of the function it
// returns, the cores other processes than the client and the fake kept
// busy on average (0 where it cannot tell).
func otherLoad(b *testing.B, f *benchFake) func() float64 {
	busy0, ok := machineBusy()
	client0, fake0, begin := cpuTime(b), f.stats(b).CPU, time.Now()
	return func() float64 {
		busy1, ok1 := machineBusy()
		if !ok || !ok1 {
			return 0
		}
		client, fake := cpuTime(b)-client0, f.stats(b).CPU-fake0
		return max(0, (busy1-busy0-client-fake).Seconds()/time.Since(begin).Seconds())
	}
}

// benchDirect makes the calls a batch of kind makes, without waiting: per
// operation one start and three result calls (on operations that show the
// states the batch's polls see: an item queued, one pending, one completed;
// a create pending, twice, and one done), from 64 goroutines, as many as
// the bulk calls have in flight. It reports the CPU per call and returns it
// in microseconds: what the batches' calls cost without the scheduler.
func benchDirect(b *testing.B, f *benchFake, kind string) float64 {
	ctx := context.Background()
	c := bulkBenchClient(b, f)
	n := *benchOpsFlag
	var start, result func(i int) error
	switch kind {
	case "items":
		var ids [3]string
		for i, api := range []string{benchQueuedAPI, benchPendingAPI} {
			added, err := c.Project.Queues.Items.Append(ctx, benchProject, benchQueue, sdk.QueueItemAppendRequest{APIName: api})
			if err != nil {
				b.Fatal(err)
			}
			ids[i] = added.RunID
		}
		done, err := c.Project.Queues.Items.AppendAndWait(ctx, benchProject, benchQueue, sdk.QueueItemAppendRequest{APIName: benchAPI}, sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Millisecond}))
		if err != nil {
			b.Fatal(err)
		}
		ids[2] = done.RunID
		start = func(i int) error {
			_, err := c.Project.Queues.Items.Append(ctx, benchProject, benchQueue, sdk.QueueItemAppendRequest{APIName: benchAPI, Parameters: sdk.ParametersObject{"n": i}})
			return err
		}
		result = func(i int) error {
			_, err := c.Project.Queues.Items.Result(ctx, benchProject, benchQueue, ids[i%3])
			return err
		}
	case "creates":
		if f.pendingCreate == "" { // the fake has one such session
			pending, err := c.Project.AuthSessions.Create.Start(ctx, benchProject, sdk.AuthSessionCreateRequest{ID: sdk.Ptr(benchPendingSession)})
			if err != nil {
				b.Fatal(err)
			}
			f.pendingCreate = pending.OperationID
		}
		done, err := c.Project.AuthSessions.Create.Start(ctx, benchProject, sdk.AuthSessionCreateRequest{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			r, err := c.Project.AuthSessions.Create.Result(ctx, benchProject, done.OperationID)
			if err != nil {
				b.Fatal(err)
			}
			if _, ok := r.(sdk.AuthSessionOperationDone); ok {
				break
			}
		}
		ids := [3]string{f.pendingCreate, f.pendingCreate, done.OperationID}
		start = func(i int) error {
			_, err := c.Project.AuthSessions.Create.Start(ctx, benchProject, sdk.AuthSessionCreateRequest{Parameters: sdk.ParametersObject{"username": fmt.Sprintf("user-%d@example.com", i)}})
			return err
		}
		result = func(i int) error {
			_, err := c.Project.AuthSessions.Create.Result(ctx, benchProject, ids[i%3])
			return err
		}
	}
	var perCall float64
	for range b.N {
		f.reset(b, c)
		other := otherLoad(b, f)
		fakeCPU := f.stats(b).CPU
		begin, cpu := time.Now(), cpuTime(b)
		_, err := hammer(sdk.DefaultMaxInFlight, 4*n, func(k int) error {
			if k%4 == 0 {
				return start(k / 4)
			}
			return result(k)
		})
		used, wall := cpuTime(b)-cpu, time.Since(begin)
		if err != nil {
			b.Fatal(err)
		}
		st := f.stats(b)
		var calls int
		for _, v := range st.Requests {
			calls += v
		}
		if calls != 4*n {
			b.Fatalf("the fake saw %d calls, want %d", calls, 4*n)
		}
		perCall = float64(used.Microseconds()) / float64(calls)
		b.ReportMetric(perCall, "cpu-us/call")
		b.ReportMetric(float64(calls)/wall.Seconds(), "calls/s")
		b.ReportMetric(float64(st.Busiest)*10, "peak-calls/s")
		b.ReportMetric(float64((st.CPU-fakeCPU).Microseconds())/float64(calls), "fake-cpu-us/call")
		b.ReportMetric(float64(st.Peak), "conns-peak")
		b.ReportMetric(other(), "other-cores")
		c.CloseIdleConnections()
	}
	return perCall
}

// --- one batch ---

// waitRecord is a WaitEvent as the benchmark keeps it.
type waitRecord struct {
	at    int64 // Unix ns
	id    string
	kind  sdk.WaitEventKind
	delay time.Duration
}

// bulkMetrics is what one batch measured.
type bulkMetrics struct {
	wall                     time.Duration
	conns, accepted          int
	calls, errors            int
	heap, stack              float64 // per operation
	goroutines, waiting      int     // when the last operation started
	startedAfter             time.Duration
	pollsMean                float64
	pollsMax                 int
	lagP50, lagP99, lagMax   float64 // fractions of the interval
	lagMaxMs                 float64
	handoffMaxMs, handoffMax float64 // ms, fraction of the interval
	cpuPerCall               float64 // µs
	unmatched                int     // operations whose polls the fake saw differently
	firstErr                 error
	resultCalls, startCalls  int
	pollsFake                float64 // result calls per operation, as the fake counted them
	fakeCPUPerCall           float64 // µs, the fake's
	// the lag of the polls due after the last start, when only polls
	// compete for the calls in flight
	steadyP99, steadyMax float64
	steadyPolls          int
	otherCores           float64 // other processes' load during the batch
	busiest              int     // the most calls the fake received in 100 ms
	closed               int     // connections closed during the batch
	stale                int     // connections open when the batch began
	dials                int     // connections the client dialled
}

// runBulk starts and waits on benchOps operations of kind, in one bulk call
// or one goroutine per operation.
func runBulk(b *testing.B, f *benchFake, kind, way string) bulkMetrics {
	bulk := way != "naive"
	b.StopTimer()
	// The dials the client makes (net/http/httptrace, whose hooks the
	// SDK's own trace of each attempt adds to).
	var dials atomic.Int64
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		ConnectStart: func(string, string) { dials.Add(1) },
	})
	c := bulkBenchClient(b, f)
	n := *benchOpsFlag

	// The inputs, and everything the measurement writes, before the
	// baseline.
	var items []sdk.QueueItemAppendRequest
	var reqs []sdk.AuthSessionCreateRequest
	switch kind {
	case "items":
		items = make([]sdk.QueueItemAppendRequest, n)
		for i := range items {
			items[i] = sdk.QueueItemAppendRequest{APIName: benchAPI, Parameters: sdk.ParametersObject{"n": i}}
		}
	case "creates":
		reqs = make([]sdk.AuthSessionCreateRequest, n)
		for i := range reqs {
			reqs[i] = sdk.AuthSessionCreateRequest{Parameters: sdk.ParametersObject{"username": fmt.Sprintf("user-%d@example.com", i)}}
		}
	}
	handler := func(context.Context, sdk.InfoRequest) (string, error) {
		return "", errors.New("the benchmark's script asks for nothing")
	}
	var (
		logMu    sync.Mutex
		log      = make([]waitRecord, 0, n*(benchPollsWanted+3))
		received = make([]int64, n)
		ids      = make([]string, n)
		errs     = make([]error, n)
		started  atomic.Int64
		ended    atomic.Int64
		sampled  = make(chan struct{})
		m        bulkMetrics
		begin    time.Time
	)
	// sample measures the heap and stacks once every operation has started,
	// in a goroutine of its own so that the collection holds up no wait.
	var base runtime.MemStats
	sample := func() {
		m.startedAfter = time.Since(begin)
		m.waiting = n - int(ended.Load())
		var gcs runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&gcs)
		m.heap = float64(int64(gcs.HeapAlloc)-int64(base.HeapAlloc)) / float64(n)
		m.stack = float64(int64(gcs.StackInuse)-int64(base.StackInuse)) / float64(n)
		m.goroutines = runtime.NumGoroutine()
		if *benchHeap != "" {
			writeHeapProfile(b, fmt.Sprintf("%s-%s-%s.pprof", *benchHeap, kind, way))
		}
		close(sampled)
	}
	record := func(e sdk.WaitEvent) {
		at := time.Now().UnixNano()
		logMu.Lock()
		log = append(log, waitRecord{at: at, id: e.OperationID, kind: e.Kind, delay: e.Delay})
		logMu.Unlock()
		if e.Kind == sdk.WaitEventKindStarted && started.Add(1) == int64(n) {
			go sample()
		}
	}
	m.stale = f.reset(b, c)
	other := otherLoad(b, f)
	fakeCPU := f.stats(b).CPU
	runtime.GC()
	runtime.ReadMemStats(&base)
	opts := []sdk.Option{sdk.WithPolling(sdk.PollConfig{InitialDelay: *benchInitial, Multiplier: *benchMult, MaxDelay: *benchMax})}
	if way == "journal" {
		// A FileJournal on the test's disk: its syncs are part of the cost.
		j, err := sdk.OpenFileJournal(filepath.Join(b.TempDir(), "journal"))
		if err != nil {
			b.Fatal(err)
		}
		defer j.Close()
		opts = append(opts, sdk.WithJournal(j, "bench"))
	}

	b.StartTimer()
	cpu := cpuTime(b)
	begin = time.Now()
	if bulk {
		progress := sdk.WithProgress(record)
		outcome := func(index int, id string, err error) {
			received[index] = time.Now().UnixNano()
			ids[index], errs[index] = id, err
			ended.Add(1)
		}
		switch kind {
		case "items":
			for o := range c.Project.Queues.Items.AppendAndWaitAll(ctx, benchProject, benchQueue, items, append(opts, progress)...) {
				outcome(o.Index, o.OperationID, o.Err)
			}
		case "creates":
			for o := range c.Project.AuthSessions.Create.StartAndWaitAll(ctx, benchProject, reqs, handler, append(opts, progress)...) {
				outcome(o.Index, o.OperationID, o.Err)
			}
		}
	} else {
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				progress := sdk.WithProgress(func(e sdk.WaitEvent) {
					if e.Kind == sdk.WaitEventKindStarted {
						ids[i] = e.OperationID
					}
					record(e)
				})
				var err error
				switch kind {
				case "items":
					_, err = c.Project.Queues.Items.AppendAndWait(ctx, benchProject, benchQueue, items[i], append(opts, progress)...)
				case "creates":
					_, err = c.Project.AuthSessions.Create.StartAndWait(ctx, benchProject, reqs[i], handler, progress, opts[0])
				}
				received[i] = time.Now().UnixNano()
				errs[i] = err
				ended.Add(1)
			})
		}
		wg.Wait()
	}
	m.wall = time.Since(begin)
	m.cpuPerCall = float64(cpuTime(b) - cpu)
	b.StopTimer()
	select {
	case <-sampled:
	case <-time.After(10 * time.Second):
		b.Fatal("not every operation started")
	}

	// What the fake saw.
	m.otherCores = other()
	st := f.stats(b)
	var polls map[string][]int64
	f.get(b, "/polls", &polls)
	m.conns, m.accepted, m.busiest = st.Peak, st.Accepted, st.Busiest
	m.dials = int(dials.Load())
	for state, k := range st.Closed {
		m.closed += k
		b.Logf("%d connections closed during the batch, %s before", k, state)
	}
	for _, v := range st.Requests {
		m.calls += v
	}
	m.cpuPerCall = m.cpuPerCall / 1e3 / float64(m.calls)
	m.fakeCPUPerCall = float64(st.CPU-fakeCPU) / 1e3 / float64(m.calls)
	switch kind {
	case "items":
		m.startCalls, m.resultCalls = st.Requests[intunedtest.ProjectQueuesItemsAppend], st.Requests[intunedtest.ProjectQueuesItemsResult]
	case "creates":
		m.startCalls, m.resultCalls = st.Requests[intunedtest.ProjectAuthSessionsCreateStart], st.Requests[intunedtest.ProjectAuthSessionsCreateResult]
	}
	m.pollsFake = float64(m.resultCalls) / float64(n)
	for _, err := range errs {
		if err != nil {
			m.errors++
			if m.firstErr == nil {
				m.firstErr = err
			}
		}
	}
	if m.errors > 0 {
		b.Errorf("%d operations failed; the first: %v", m.errors, m.firstErr)
	}

	// Polls, lags and handoffs, operation by operation.
	byID := make(map[string][]waitRecord, n)
	for _, r := range log {
		byID[r.id] = append(byID[r.id], r)
	}
	var lastStart int64
	for _, r := range log {
		if r.kind == sdk.WaitEventKindStarted {
			lastStart = max(lastStart, r.at)
		}
	}
	var lags, lagsMs, steady []float64
	var pollSum int
	for i, id := range ids {
		recs := byID[id]
		var pollEvents int
		for _, r := range recs {
			if r.kind == sdk.WaitEventKindPolled {
				pollEvents++
			}
		}
		pollSum += pollEvents
		m.pollsMax = max(m.pollsMax, pollEvents)
		arrivals := polls[id]
		slices.Sort(arrivals)
		// recs: WaitEventKindStarted, then one WaitEventKindPolled per poll; each poll's
		// due time is the event before it plus the Delay it announced.
		if len(recs) != len(arrivals)+1 || recs[0].kind != sdk.WaitEventKindStarted || pollEvents != len(arrivals) {
			m.unmatched++
			continue
		}
		for j, at := range arrivals {
			prev := recs[j]
			due := prev.at + int64(prev.delay)
			lag := float64(at - due)
			lags = append(lags, lag/float64(prev.delay))
			if due > lastStart {
				steady = append(steady, lag/float64(prev.delay))
			}
			lagsMs = append(lagsMs, lag/1e6)
		}
		last := recs[len(recs)-2] // the event before the final poll
		handoff := float64(received[i] - arrivals[len(arrivals)-1])
		m.handoffMaxMs = max(m.handoffMaxMs, handoff/1e6)
		m.handoffMax = max(m.handoffMax, handoff/float64(last.delay))
	}
	m.pollsMean = float64(pollSum) / float64(n)
	if m.unmatched > 0 {
		b.Logf("%d operations: the fake's result calls do not match their events", m.unmatched)
	}
	if len(lags) > 0 {
		slices.Sort(lags)
		slices.Sort(lagsMs)
		m.lagP50, m.lagP99, m.lagMax = quantile(lags, 0.5), quantile(lags, 0.99), lags[len(lags)-1]
		m.lagMaxMs = lagsMs[len(lagsMs)-1]
	}
	if m.steadyPolls = len(steady); len(steady) > 0 {
		slices.Sort(steady)
		m.steadyP99, m.steadyMax = quantile(steady, 0.99), steady[len(steady)-1]
	}
	c.CloseIdleConnections()
	return m
}

func writeHeapProfile(b *testing.B, name string) {
	f, err := os.Create(name)
	if err != nil {
		b.Error(err)
		return
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Error(err)
	}
}

// quantile of sorted values (nearest rank).
func quantile(sorted []float64, q float64) float64 {
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func (m bulkMetrics) report(b *testing.B, resultCPU, directCPU float64) {
	b.ReportMetric(m.wall.Seconds(), "batch-s")
	b.ReportMetric(float64(m.conns), "conns-peak")
	b.ReportMetric(float64(m.accepted), "conns-opened")
	b.ReportMetric(float64(m.closed), "conns-closed")
	b.ReportMetric(float64(m.stale), "conns-stale")
	b.ReportMetric(float64(m.dials), "client-dials")
	b.ReportMetric(m.heap, "heap-B/op")
	b.ReportMetric(m.stack, "stack-B/op")
	b.ReportMetric(float64(m.goroutines), "goroutines")
	b.ReportMetric(float64(m.waiting), "waiting")
	b.ReportMetric(m.startedAfter.Seconds(), "all-started-s")
	b.ReportMetric(m.pollsMean, "polls/op")
	b.ReportMetric(float64(m.pollsMax), "polls-max/op")
	b.ReportMetric(benchPollsWanted, "polls-want/op")
	b.ReportMetric(m.pollsFake, "polls-fake/op")
	b.ReportMetric(float64(m.startCalls)/float64(*benchOpsFlag), "starts/op")
	b.ReportMetric(m.lagP50, "lag-p50/int")
	b.ReportMetric(m.lagP99, "lag-p99/int")
	b.ReportMetric(m.lagMax, "lag-max/int")
	b.ReportMetric(m.lagMaxMs, "lag-max-ms")
	b.ReportMetric(m.handoffMaxMs, "handoff-max-ms")
	b.ReportMetric(m.handoffMax, "handoff-max/int")
	b.ReportMetric(m.steadyP99, "lag-steady-p99/int")
	b.ReportMetric(m.steadyMax, "lag-steady-max/int")
	b.ReportMetric(float64(m.steadyPolls), "steady-polls")
	b.ReportMetric(float64(m.calls), "calls")
	b.ReportMetric(float64(m.calls)/m.wall.Seconds(), "calls/s")
	b.ReportMetric(float64(m.busiest)*10, "peak-calls/s")
	b.ReportMetric(m.fakeCPUPerCall, "fake-cpu-us/call")
	b.ReportMetric(m.otherCores, "other-cores")
	b.ReportMetric(m.cpuPerCall, "cpu-us/call")
	if resultCPU > 0 {
		b.ReportMetric(m.cpuPerCall/resultCPU, "cpu-ratio")
	}
	if directCPU > 0 {
		b.ReportMetric(m.cpuPerCall/directCPU, "cpu-ratio-direct")
	}
	b.ReportMetric(float64(m.errors), "errors")
	b.ReportMetric(float64(m.unmatched), "unmatched")
}
