package sdk_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

// Checks made before sending that span the request models: any JSON must
// be UTF-8, base64 must be unbroken, lists and durations meet the spec's
// least.
func TestRequestChecksBeforeSending(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(500, `{}`))
	c := newClient(t, s)
	ctx := context.Background()
	for _, tt := range []struct {
		name, path, problem string
		call                func() error
	}{
		{"queue metadata not UTF-8", "metadata", "UTF-8", func() error {
			_, err := c.Project.Queues.Create(ctx, "p", sdk.QueueCreateRequest{Metadata: sdk.NullableOf(map[string]any{"team": "pricing \xff"})})
			return err
		}},
		{"base64 with a line break", "file.source.data", "line break at byte 4", func() error {
			_, err := c.Files.ExtractMarkdown.Sync(ctx, sdk.ExtractionRequest{File: sdk.Image(sdk.FileSourceBase64{Data: "aGVs\r\nbG8="})})
			return err
		}},
		{"empty page list", "file.pages", "has 0 items; the least is 1", func() error {
			_, err := c.Files.ExtractTables.Start(ctx, sdk.ExtractionRequest{File: sdk.FilePDF{Source: sdk.FromURL("https://example.com/a.pdf"), Pages: []int{}}})
			return err
		}},
		{"repeat under 10 minutes", "repeat", "is 9m; the API takes at least 10m", func() error {
			_, err := c.Project.Queues.RepeatItems.Append(ctx, "p", "q", sdk.QueueRepeatItemRequest{APIName: "a", Repeat: sdk.DurationOf(9 * time.Minute)})
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ae *sdk.ArgumentError
			if !errors.As(err, &ae) || ae.Path != tt.path || !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("err = %v, want an *ArgumentError at %s saying %q", err, tt.path, tt.problem)
			}
		})
	}
	if s.count() != 0 {
		t.Errorf("%d requests sent, want none", s.count())
	}
	if _, err := c.Project.Queues.RepeatItems.Append(ctx, "p", "q", sdk.QueueRepeatItemRequest{APIName: "a", Repeat: "10m"}); err == nil || s.count() != 1 {
		t.Errorf("a 10-minute repeat: err = %v after %d requests, want the server's 500", err, s.count())
	}
}

func TestFromReaderWithTheLargestBound(t *testing.T) {
	src, err := sdk.FromReader(strings.NewReader("abc"), math.MaxInt64)
	if err != nil || src.Data != "YWJj" {
		t.Errorf("FromReader(abc, MaxInt64) = %+v, %v", src, err)
	}
}

// A client-wide WithTimeout does not cut short the calls that hold the
// connection while they work (run.sync, the file syncs); a timeout given
// to the call itself does, and the client-wide one bounds the other calls.
func TestClientTimeoutAndSyncCalls(t *testing.T) {
	noLeaks(t)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		time.Sleep(150 * time.Millisecond)
		if strings.HasSuffix(r.URL.Path, "/start") {
			reply(201, `{"status":"pending","runId":"r"}`)(w, r, n)
			return
		}
		reply(200, `{"status":"completed","runId":"r","statusCode":200}`)(w, r, n)
	})
	c := newClient(t, s, sdk.WithTimeout(50*time.Millisecond))
	ctx := context.Background()
	if _, err := c.Project.Run.Sync(ctx, "p", okRun); err != nil {
		t.Errorf("Sync with a client-wide 50ms timeout: %v, want the answer", err)
	}
	if _, err := c.Project.Run.Sync(ctx, "p", okRun, sdk.WithTimeout(50*time.Millisecond)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Sync with a 50ms timeout of its own: %v, want a deadline", err)
	}
	if _, err := c.Project.Run.Start(ctx, "p", okRun); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Start with a client-wide 50ms timeout: %v, want a deadline", err)
	}
}

// The error of an AppendAndWait names the item's queue too, which its
// handle needs.
func TestAppendAndWaitErrorNamesTheQueue(t *testing.T) {
	noLeaks(t)
	s := newServer(t, sequence(reply(201, `{"runId":"item-1","status":"queued"}`), reply(404, `{}`)))
	_, err := newClient(t, s).Project.Queues.Items.AppendAndWait(context.Background(), "p", "q-1", sdk.QueueItemAppendRequest{APIName: "a"}, quick)
	var oe *sdk.OperationError
	if !errors.As(err, &oe) || oe.QueueID != "q-1" || oe.OperationID != "item-1" || oe.ProjectName != "p" {
		t.Fatalf("err = %#v", err)
	}
}
