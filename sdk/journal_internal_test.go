package sdk

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// A FileJournal whose write fails fails every record after, as none of
// them could be trusted: no later sending record is reported durable.
func TestFileJournalFailsForGood(t *testing.T) {
	j, err := OpenFileJournal(filepath.Join(t.TempDir(), "journal"))
	if err != nil {
		t.Fatal(err)
	}
	j.f.Close() // every write fails from now on
	ctx := context.Background()
	for i, ev := range []JournalEvent{JournalEventSending, JournalEventSending, JournalEventEnded, JournalEventStarted} {
		err := j.Record(ctx, JournalRecord{Batch: "b", Key: "k", Event: ev, Send: i + 1})
		if err == nil || !strings.Contains(err.Error(), "file already closed") {
			t.Errorf("record %d (%s): err = %v, want the failed write's", i, ev, err)
		}
	}
	if _, err := j.Load(ctx, "b"); err == nil {
		t.Error("Load after a failed write: no error")
	}
	// A device (which reads forever, as /dev/zero does) is no journal.
	if _, err := OpenFileJournal("/dev/null"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a device: %v", err)
	}
}
