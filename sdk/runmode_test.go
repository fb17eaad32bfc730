package sdk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/intuned/intuned-go/sdk"
)

// A run mode this version does not list is sent as given, not refused: only
// a union's member has an Unknown variant to send a newer value as. And a
// queue read back with a mode of the API's own converts to a
// QueueCreateRequest that sends it again.
func TestRunModesAreSentAsGiven(t *testing.T) {
	s := newServer(t, reply(201, `{"id":"x"}`))
	c := newClient(t, s)
	ctx := context.Background()
	job := sdk.JobCreateRequest{ID: "j", Payload: []sdk.JobPayload{{APIName: "a"}},
		Configuration: sdk.JobCreateConfiguration{RunMode: "Sequential"}}
	if _, err := c.Project.Jobs.Create(ctx, "p", job); err != nil {
		t.Fatalf("job with a newer run mode: %v", err)
	}
	var q sdk.Queue
	if err := q.UnmarshalJSON([]byte(`{"id":"q","configuration":{"runMode":"Priority"}}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.Queues.Create(ctx, "p", sdk.QueueCreateRequest(q)); err != nil {
		t.Fatalf("queue read back, created again: %v", err)
	}
	reqs := s.requests()
	if len(reqs) != 2 || !strings.Contains(string(reqs[0].Body), `"runMode":"Sequential"`) || !strings.Contains(string(reqs[1].Body), `"runMode":"Priority"`) {
		t.Fatalf("sent %+v, want each run mode as given", reqs)
	}
}
