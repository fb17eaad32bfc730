package sdk_test

import (
	"context"
	"testing"
	"time"
)

// TestDateTimesOfTheReferenceClient: the date-times the reference client
// accepts and time.Parse did not (an offset without a colon, no seconds, more
// than nine fraction digits) decode, in Jobs.One and in every job of
// Jobs.All, keeping the offset and the digits up to the nanosecond.
func TestDateTimesOfTheReferenceClient(t *testing.T) {
	noLeaks(t)
	job := jobJSON(map[string]string{
		"created_at":    `"2024-09-01T12:00:00+0200"`,
		"next_run_time": `"2024-09-01T12:00+02:00"`,
		"last_run_time": `"2024-09-01T09:30:15.1234567-0530"`,
	})
	check := func(t *testing.T, created, next, last *time.Time) {
		t.Helper()
		for _, c := range []struct {
			name   string
			t      *time.Time
			text   string
			offset int
			nanos  int
		}{
			{"created_at", created, "2024-09-01T12:00:00+02:00", 2 * 3600, 0},
			{"next_run_time", next, "2024-09-01T12:00:00+02:00", 2 * 3600, 0},
			{"last_run_time", last, "2024-09-01T09:30:15.1234567-05:30", -(5*3600 + 30*60), 123456700},
		} {
			if c.t == nil {
				t.Errorf("%s: nil", c.name)
				continue
			}
			_, off := c.t.Zone()
			if got := c.t.Format(time.RFC3339Nano); got != c.text || off != c.offset || c.t.Nanosecond() != c.nanos {
				t.Errorf("%s = %s (offset %d, %d ns), want %s (offset %d, %d ns)", c.name, got, off, c.t.Nanosecond(), c.text, c.offset, c.nanos)
			}
		}
		if want := time.Date(2024, 9, 1, 10, 0, 0, 0, time.UTC); created != nil && !created.Equal(want) {
			t.Errorf("created_at = %v, want the instant %v", created, want)
		}
		if want := time.Date(2024, 9, 1, 15, 0, 15, 123456700, time.UTC); last != nil && !last.Equal(want) {
			t.Errorf("last_run_time = %v, want the instant %v", last, want)
		}
	}

	t.Run("one", func(t *testing.T) {
		s := newServer(t, reply(200, job))
		j, err := newClient(t, s).Project.Jobs.One(context.Background(), "p", "j")
		if err != nil {
			t.Fatal(err)
		}
		check(t, j.CreatedAt, j.NextRunTime, j.LastRunTime)
	})
	t.Run("all", func(t *testing.T) {
		s := newServer(t, reply(200, "["+jobJSON(nil)+","+job+"]"))
		jobs, err := newClient(t, s).Project.Jobs.All(context.Background(), "p")
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != 2 {
			t.Fatalf("%d jobs, want 2", len(jobs))
		}
		check(t, jobs[1].CreatedAt, jobs[1].NextRunTime, jobs[1].LastRunTime)
	})
}
