package intunedtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// The fake's clients poll fast by default: three extractions one after the
// other, each pending once, take milliseconds, not the seconds of the
// SDK's own polling (6 s). A wait's own WithPolling, or one given to
// NewClient, still wins.
func TestClientPollsFast(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	// started reports the delay before the first poll of a StartAndWait: its
	// polling's InitialDelay.
	started := func(c *sdk.Client, opts ...sdk.Option) time.Duration {
		t.Helper()
		var delay time.Duration
		progress := sdk.WithProgress(func(e sdk.WaitEvent) {
			switch {
			case e.Kind == sdk.WaitEventKindStarted:
				delay = e.Delay
			case e.Delay > 5*time.Millisecond:
				t.Errorf("%v event: next poll in %v", e.Kind, e.Delay)
			}
		})
		if _, err := c.Files.ExtractMarkdown.StartAndWait(ctx, pdfAt(invoiceURL), append([]sdk.Option{progress}, opts...)...); err != nil {
			t.Fatal(err)
		}
		return delay
	}

	c := srv.Client()
	begin := time.Now()
	for range 3 {
		if d := started(c); d != time.Millisecond {
			t.Errorf("Client: first poll after %v, want 1ms", d)
		}
	}
	elapsed := time.Since(begin)
	t.Logf("three extractions with StartAndWait: %v", elapsed)
	if elapsed > 3*time.Second {
		t.Errorf("three extractions took %v", elapsed)
	}

	slow := sdk.WithPolling(sdk.PollConfig{InitialDelay: 6 * time.Millisecond, MaxDelay: 6 * time.Millisecond})
	var d time.Duration
	progress := sdk.WithProgress(func(e sdk.WaitEvent) {
		if e.Kind == sdk.WaitEventKindStarted {
			d = e.Delay
		}
	})
	if _, err := c.Files.ExtractMarkdown.StartAndWait(ctx, pdfAt(invoiceURL), slow, progress); err != nil || d != 6*time.Millisecond {
		t.Errorf("a wait's own WithPolling: first poll after %v (%v), want 6ms", d, err)
	}
	d = 0
	own, err := srv.NewClient(slow)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := own.Files.ExtractMarkdown.StartAndWait(ctx, pdfAt(invoiceURL), progress); err != nil || d != 6*time.Millisecond {
		t.Errorf("NewClient(WithPolling): first poll after %v (%v), want 6ms", d, err)
	}
}
