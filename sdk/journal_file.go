package sdk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// FileJournal is a Journal kept in a local file, one JSON record a line,
// appended to and never rewritten, so that a person can read it (and tail
// it). A sending or started record is written and synced to the disk before
// Record returns; the records made meanwhile by other goroutines (a batch's
// starts made at the same time) share that write and that sync (a group
// commit), so that a batch of thousands of starts does not wait for
// thousands of syncs one after another. Ended records wait in memory for
// the next sync, a few kilobytes' worth, or Close. One process at a time
// may use a file.
type FileJournal struct {
	path string

	mu       sync.Mutex // guards f, err, pending, records, claims and recorded
	f        *os.File
	err      error  // a write or sync failed: the journal is done for
	pending  []byte // the records not yet written
	records  []JournalRecord
	claims   map[[2]string]int // the highest Send of each key's sending records
	recorded int               // records recorded

	syncMu sync.Mutex // one write of pending records at a time
	synced int        // records written and synced
}

// OpenFileJournal opens the journal in the file at path, creating it if it
// does not exist. A torn last record (a line cut short by a crash while it
// was written) is dropped; any other line that is not a record is an error
// naming the file and the line.
func OpenFileJournal(path string) (*FileJournal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("intuned: journal: %w", err)
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("intuned: journal %s: not a regular file", path)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("intuned: journal %s: %w", path, err)
	}
	j := &FileJournal{path: path, f: f, claims: map[[2]string]int{}}
	good := 0 // bytes up to the end of the last whole record
	for line := 1; good < len(data); line++ {
		end := bytes.IndexByte(data[good:], '\n')
		if end < 0 { // torn: the crash came before its newline
			break
		}
		var r JournalRecord
		if err := json.Unmarshal(data[good:good+end], &r); err != nil || r.Batch == "" || r.Key == "" || r.Event == "" {
			f.Close()
			return nil, fmt.Errorf("intuned: journal %s line %d: not a journal record: %.80q", path, line, data[good:good+end])
		}
		j.add(r)
		good += end + 1
	}
	if good < len(data) {
		if err := f.Truncate(int64(good)); err != nil {
			f.Close()
			return nil, fmt.Errorf("intuned: journal %s: dropping a torn last record: %w", path, err)
		}
	}
	if _, err := f.Seek(int64(good), io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("intuned: journal %s: %w", path, err)
	}
	j.recorded, j.synced = len(j.records), len(j.records)
	if len(data) == 0 {
		// A new file: its directory entry must outlive a crash too.
		if err := syncDir(filepath.Dir(path)); err != nil {
			f.Close()
			return nil, fmt.Errorf("intuned: journal %s: %w", path, err)
		}
	}
	return j, nil
}

// Load returns the records of batch.
func (j *FileJournal) Load(_ context.Context, batch string) ([]JournalRecord, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return nil, j.err
	}
	var out []JournalRecord
	for _, r := range j.records {
		if r.Batch == batch {
			out = append(out, r)
		}
	}
	return out, nil
}

// Record appends r, and syncs the file before it returns unless r is an
// ended record.
func (j *FileJournal) Record(_ context.Context, r JournalRecord) error {
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	j.mu.Lock()
	if j.f == nil {
		j.mu.Unlock()
		return fmt.Errorf("journal %s is closed", j.path)
	}
	if j.err != nil {
		j.mu.Unlock()
		return j.err
	}
	if prev, ok := j.claims[[2]string{r.Batch, r.Key}]; ok && r.Event == JournalEventSending && prev >= r.Send {
		j.mu.Unlock()
		return ErrJournalKeyTaken
	}
	j.pending = append(append(j.pending, line...), '\n')
	j.add(r)
	j.recorded++
	n, held := j.recorded, len(j.pending)
	j.mu.Unlock()
	if r.Event == JournalEventEnded && held < 1<<14 {
		return nil
	}
	return j.sync(n)
}

// syncDir syncs a directory, so that a file created in it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}

// add keeps r, and the claim of a sending record.
func (j *FileJournal) add(r JournalRecord) {
	j.records = append(j.records, r)
	if r.Event == JournalEventSending {
		j.claims[[2]string{r.Batch, r.Key}] = max(j.claims[[2]string{r.Batch, r.Key}], r.Send)
	}
}

// sync writes and syncs the first n records, and those recorded since. A
// caller whose records a sync already covered returns at once: while one
// sync runs, the records made meanwhile wait for the next, which writes
// and syncs them all at once.
func (j *FileJournal) sync(n int) error {
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	if j.synced >= n {
		return nil
	}
	j.mu.Lock()
	upTo, f, data := j.recorded, j.f, j.pending
	j.pending = nil
	j.mu.Unlock()
	if f == nil {
		return fmt.Errorf("journal %s is closed", j.path)
	}
	if j.err != nil {
		return j.err
	}
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		// The records taken are lost, and the file may end in a torn one:
		// every later Record fails, as none of them could be trusted.
		err = fmt.Errorf("journal %s: %w", j.path, err)
		j.mu.Lock()
		j.err = err
		j.mu.Unlock()
		return err
	}
	j.synced = upTo
	return nil
}

// Close writes the records still in memory, syncs and closes the file.
func (j *FileJournal) Close() error {
	j.mu.Lock()
	n, closed := j.recorded, j.f == nil
	j.mu.Unlock()
	if closed {
		return nil
	}
	err := j.sync(n)
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return err
	}
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	j.f = nil
	return err
}
