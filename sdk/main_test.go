package sdk_test

import (
	"os"
	"testing"

	"github.com/intuned/intuned-go/internal/leakcheck"
)

// serveBenchFake, set by bulk_bench_test.go where it builds, serves the fake
// API of BenchmarkBulk in a process of its own: the test binary run again
// with INTUNED_BENCH_FAKE set.
var serveBenchFake func() int

// TestMain fails the package if any goroutine outlives the tests; or, run
// as BenchmarkBulk's fake, serves the fake instead of running tests; or,
// run as TestJournalSurvivesKill's child, drives its batch.
func TestMain(m *testing.M) {
	if serveBenchFake != nil && os.Getenv("INTUNED_BENCH_FAKE") != "" {
		os.Exit(serveBenchFake())
	}
	if os.Getenv("INTUNED_JOURNAL_CHILD") != "" {
		os.Exit(journalChild())
	}
	leakcheck.VerifyTestMain(m)
}
