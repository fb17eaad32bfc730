package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// idCase is a request body with an ID (or a period) the service does not
// take, as a call of the SDK and as JSON.
type idCase struct {
	name   string
	call   func(context.Context, *sdk.Client) error
	path   string // where the fake serves it, after the workspace
	body   string // the same body, as JSON
	member string // the JSON member at fault
	label  string // how the SDK's error names it
}

// idCases are the bodies whose IDs the contract constrains: a job's and a
// queue's ID are slugs (the contract; the reference client: "Has to be a
// valid URL slug"), a created auth session's ID is letters, digits and
// hyphens, and a repeat item repeats every 10 minutes at least.
func idCases() []idCase {
	job := func(id string) idCase {
		return idCase{
			name: "job ID " + id,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Jobs.Create(ctx, "p", sdk.JobCreateRequest{ID: id, Payload: []sdk.JobPayload{{APIName: "a"}}})
				return err
			},
			path:   "/projects/p/jobs",
			body:   `{"id":` + quote(id) + `,"payload":[{"apiName":"a"}],"configuration":{"runMode":"Order-Irrelevant"}}`,
			member: "id", label: "job ID",
		}
	}
	queue := func(id string) idCase {
		return idCase{
			name: "queue ID " + id,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Queues.Create(ctx, "p", sdk.QueueCreateRequest{ID: sdk.Ptr(id)})
				return err
			},
			path:   "/projects/p/queues",
			body:   `{"id":` + quote(id) + `,"configuration":null}`,
			member: "id", label: "queue ID",
		}
	}
	return []idCase{
		job("Nightly Prices/v2"), job("a/b"), job("nightly.prices"), job("prix-été"), job("a b"),
		queue("Product Pages"), queue("a/b"), queue("product%2Fpages"), queue("q?x=1"),
		{
			name: "auth session ID with a space",
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.AuthSessions.Create.Start(ctx, "p", sdk.AuthSessionCreateRequest{ID: sdk.Ptr("my session")})
				return err
			},
			path:   "/projects/p/auth-sessions/create",
			body:   `{"id":"my session"}`,
			member: "id", label: "auth session ID",
		},
		{
			name: "repeat of 5 minutes",
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Queues.RepeatItems.Append(ctx, "p", "q", sdk.QueueRepeatItemRequest{APIName: "a", Repeat: sdk.DurationOf(5 * time.Minute)})
				return err
			},
			path:   "/projects/p/queues/q/repeatItems",
			body:   `{"apiName":"a","repeat":"5m"}`,
			member: "repeat", label: "repeat",
		},
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// An ID that is not a slug is refused before anything is sent, with an
// error naming the member.
func TestNonSlugIDsAreRefusedBeforeSending(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	defer c.CloseIdleConnections()
	for _, tc := range idCases() {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(context.Background(), c)
			var ae *sdk.ArgumentError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v (%T), want an *sdk.ArgumentError", err, err)
			}
			if ae.Path != tc.member || !strings.HasPrefix(ae.Error(), "intuned: "+tc.label+" ") {
				t.Errorf("err = %q (path %q), want one naming %s (path %q)", err, ae.Path, tc.label, tc.member)
			}
		})
	}
	if reqs := srv.Requests(); len(reqs) != 0 {
		t.Errorf("the fake received %d requests, the first %s %s; want none", len(reqs), reqs[0].Method, reqs[0].Path)
	}
}

// The fake refuses the same bodies, sent by a client other than the SDK,
// with the API's 400: an ApiErrorInvalidInput whose details name the
// member.
func TestFakeRefusesNonSlugIDs(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	// The queue exists, so that only the body can be wrong.
	if status, body := exactFake(t, srv, "/projects/p/queues", `{"id":"q","configuration":null}`); status != http.StatusCreated {
		t.Fatalf("creating the queue: %d %s", status, body)
	}
	for _, tc := range idCases() {
		t.Run(tc.name, func(t *testing.T) {
			status, body := exactFake(t, srv, tc.path, tc.body)
			if status != http.StatusBadRequest {
				t.Fatalf("status %d (%s), want 400", status, body)
			}
			var answer struct {
				Message *string `json:"message"`
				Details []struct {
					Message string `json:"message"`
					Path    []any  `json:"path"`
				} `json:"details"`
			}
			if err := json.Unmarshal([]byte(body), &answer); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if answer.Message == nil || len(answer.Details) != 1 || len(answer.Details[0].Path) != 1 || answer.Details[0].Path[0] != tc.member {
				t.Errorf("body %s, want a message and one detail whose path is [%q]", body, tc.member)
			}
		})
	}
	// Slugs pass both: capitals, digits, hyphens and underscores.
	c := srv.Client()
	defer c.CloseIdleConnections()
	_, err := c.Project.Jobs.Create(context.Background(), "p", sdk.JobCreateRequest{ID: "nightly-prices_2", Payload: []sdk.JobPayload{{APIName: "a"}}})
	if err != nil {
		t.Errorf("a slug with a hyphen, a digit and an underscore: %v", err)
	}
	if _, err := c.Project.Queues.Create(context.Background(), "p", sdk.QueueCreateRequest{ID: sdk.Ptr("Product-Pages_2")}); err != nil {
		t.Errorf("a slug with capitals: %v", err)
	}
}

// Path parameters are not slugs: the contract sends any ID as one
// percent-encoded segment ("a/b" as "a%2Fb"), so a job ID read back from the
// service, whatever it holds, can be named. Only what no path segment can
// be (empty, "." and "..") is refused.
func TestPathIDsAreNotSlugs(t *testing.T) {
	noLeaks(t)
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	defer c.CloseIdleConnections()
	_, err := c.Project.Jobs.One(context.Background(), "p", "a/b")
	var nf *sdk.SDKError
	if !errors.As(err, &nf) || nf.StatusCode() != http.StatusNotFound {
		t.Fatalf("err = %v, want the fake's 404", err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || !strings.HasSuffix(reqs[0].Path, "/jobs/a%2Fb") {
		t.Errorf("requests %+v, want one for /jobs/a%%2Fb", reqs)
	}
}
