package sdk_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// The crash test's child: this test binary run again with
// INTUNED_JOURNAL_CHILD set (TestMain) appends INTUNED_JOURNAL_ITEMS items
// with the journal INTUNED_JOURNAL_FILE to the fake at INTUNED_JOURNAL_URL,
// and prints each outcome as a line: its index, then "done <run ID>",
// "ambiguous" or "error <text>".
func journalChild() int {
	n, _ := strconv.Atoi(os.Getenv("INTUNED_JOURNAL_ITEMS"))
	inFlight, _ := strconv.Atoi(os.Getenv("INTUNED_JOURNAL_IN_FLIGHT"))
	c, err := sdk.New(sdk.WithServerURL(os.Getenv("INTUNED_JOURNAL_URL")), sdk.WithAPIKey(intunedtest.DefaultAPIKey),
		sdk.WithWorkspaceID(intunedtest.DefaultWorkspaceID), sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	j, err := sdk.OpenFileJournal(os.Getenv("INTUNED_JOURNAL_FILE"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer j.Close()
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for o := range c.Project.Queues.Items.AppendAndWaitAll(context.Background(), "p", "q", journalItems(n), sdk.WithJournal(j, "crash"), sdk.WithMaxInFlight(inFlight)) {
		var amb *sdk.AmbiguousStartError
		switch {
		case o.Err == nil:
			fmt.Fprintf(out, "%d done %s\n", o.Index, o.OperationID)
		case errors.As(o.Err, &amb):
			fmt.Fprintf(out, "%d ambiguous\n", o.Index)
		default:
			fmt.Fprintf(out, "%d error %s\n", o.Index, strings.ReplaceAll(o.Err.Error(), "\n", " "))
		}
	}
	return 0
}

// A batch survives kill -9: a child process drives 160 queue items with a
// journal against the fake, which runs in this process and holds each
// start a moment before and after acting on it (so that kills land
// between sending a start and recording its answer too), and is killed
// (SIGKILL) at random moments, one to three times; a last run with the same
// journal finishes the batch. Every item has one outcome, done or
// ambiguous; the fake started none twice, and ambiguous ones are at most
// the starts in flight at the kills.
func TestJournalSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	const n, inFlight, trials = 160, 8, 4
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("seed %d", seed)
	var total struct{ kills, sending, started, ended, unsent, ambiguous, starts int }
	for trial := range trials {
		srv := intunedtest.NewUnstartedServer()
		var calls atomic.Int64 // the requests the fake has received: the kills land by them
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			if srv.Operation(r) != intunedtest.ProjectQueuesItemsAppend {
				srv.Handler().ServeHTTP(w, r)
				return
			}
			time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, r)
			time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond) // acted, not yet answered
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		}))
		srv.URL = hs.URL
		srv.ScriptAPI("item", intunedtest.Queued(1), intunedtest.Running(3), intunedtest.Completed(200, "ok"))
		if _, err := srv.Client().Project.Queues.Create(context.Background(), "p", sdk.QueueCreateRequest{ID: sdk.Ptr("q")}); err != nil {
			t.Fatal(err)
		}
		journal := filepath.Join(t.TempDir(), "journal")
		child := func() *exec.Cmd {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "INTUNED_JOURNAL_CHILD=1", "INTUNED_JOURNAL_URL="+hs.URL, "INTUNED_JOURNAL_FILE="+journal,
				fmt.Sprintf("INTUNED_JOURNAL_ITEMS=%d", n), fmt.Sprintf("INTUNED_JOURNAL_IN_FLIGHT=%d", inFlight))
			return cmd
		}

		kills := 1 + trial%3
		mayBeAmbiguous := map[string]bool{}
		for k := range kills {
			cmd := child()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// The run dies at a random call of the batch (a start or a
			// poll: an item makes five), the first run anywhere in it,
			// the later ones, with less left to do, sooner.
			exited := make(chan struct{})
			go func() { cmd.Wait(); close(exited) }()
			killAt := calls.Load() + 1 + rng.Int64N(int64(5*n/(k+1)))
			for calls.Load() < killAt {
				select {
				case <-exited:
				case <-time.After(200 * time.Microsecond):
					continue
				}
				break
			}
			cmd.Process.Kill() // SIGKILL
			<-exited
			// Where the kill landed, as the journal tells it.
			j, err := sdk.OpenFileJournal(journal)
			if err != nil {
				t.Fatalf("trial %d kill %d: %v", trial, k, err)
			}
			recs, _ := j.Load(context.Background(), "crash")
			j.Close()
			last := map[string]sdk.JournalEvent{}
			for _, r := range recs {
				last[r.Key] = r.Event
			}
			var at struct{ sending, started, ended int }
			for key, ev := range last {
				switch ev {
				case sdk.JournalEventSending:
					at.sending++
					mayBeAmbiguous[key] = true
				case sdk.JournalEventStarted:
					at.started++
				case sdk.JournalEventEnded:
					at.ended++
				}
			}
			t.Logf("trial %d kill %d: %d starts sent and unanswered, %d started, %d ended, %d not sent", trial, k, at.sending, at.started, at.ended, n-len(last))
			total.kills++
			total.sending += at.sending
			total.started += at.started
			total.ended += at.ended
			total.unsent += n - len(last)
		}

		cmd := child()
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("trial %d: the last run: %v\n%s", trial, err, stderr.String())
		}
		outcomes := map[int]string{}
		for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
			idx, rest, _ := strings.Cut(line, " ")
			i, err := strconv.Atoi(idx)
			if err != nil || outcomes[i] != "" {
				t.Fatalf("trial %d: outcome line %q: a bad or second outcome", trial, line)
			}
			outcomes[i] = rest
		}
		counts := srv.StartCounts(intunedtest.ProjectQueuesItemsAppend)
		ambiguous := 0
		for i := range n {
			started := counts[fmt.Sprintf(`{"apiName":"item","parameters":{"n":%d}}`, i)]
			total.starts += started
			switch o := outcomes[i]; {
			case o == "":
				t.Errorf("trial %d: item %d has no outcome", trial, i)
			case strings.HasPrefix(o, "done "):
				if started != 1 {
					t.Errorf("trial %d: item %d done, started %d times", trial, i, started)
				}
			case o == "ambiguous":
				ambiguous++
				if started > 1 || !mayBeAmbiguous[strconv.Itoa(i)] {
					t.Errorf("trial %d: item %d ambiguous, started %d times, in flight at a kill: %v", trial, i, started, mayBeAmbiguous[strconv.Itoa(i)])
				}
			default:
				t.Errorf("trial %d: item %d: %s", trial, i, o)
			}
		}
		if ambiguous > inFlight*kills {
			t.Errorf("trial %d: %d ambiguous, more than the %d starts that can be in flight at %d kills", trial, ambiguous, inFlight*kills, kills)
		}
		total.ambiguous += ambiguous
		hs.Close()
		srv.Close()
	}
	t.Logf("%d trials, %d kills: at the kills, %d starts were sent and unanswered, %d operations started and not ended, %d ended, %d not sent; "+
		"in the end %d items ambiguous, %d starts at the fake for %d items",
		trials, total.kills, total.sending, total.started, total.ended, total.unsent, total.ambiguous, total.starts, trials*n)
}
