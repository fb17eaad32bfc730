package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/intuned/intuned-go/sdk"
)

// project.queues.create is idempotent only when the queue names its ID
// (x-idempotent-when: id): with one it is retried on every retried status;
// without one only where the server cannot have acted (429, 503).
func TestRetryOfQueuesCreateDependsOnTheID(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	for _, tt := range []struct {
		queue   sdk.QueueCreateRequest
		code    int
		retried bool
	}{
		{sdk.QueueCreateRequest{ID: sdk.Ptr("product-pages")}, 500, true},
		{sdk.QueueCreateRequest{ID: sdk.Ptr("product-pages")}, 502, true},
		{sdk.QueueCreateRequest{ID: sdk.Ptr("product-pages")}, 504, true},
		{sdk.QueueCreateRequest{ID: sdk.Ptr("product-pages"), Configuration: &sdk.QueueConfiguration{}}, 503, true},
		{sdk.QueueCreateRequest{}, 500, false},
		{sdk.QueueCreateRequest{}, 502, false},
		{sdk.QueueCreateRequest{}, 504, false},
		{sdk.QueueCreateRequest{Name: sdk.Ptr("Product pages")}, 500, false},
		{sdk.QueueCreateRequest{}, 429, true},
		{sdk.QueueCreateRequest{}, 503, true},
	} {
		t.Run(fmt.Sprintf("ID %v/%d", tt.queue.ID != nil, tt.code), func(t *testing.T) {
			s := newServer(t, failingThen(1, tt.code, "", reply(201, queueCreatedOK)))
			_, err := newClient(t, s, sdk.WithRetryConfig(fast)).Project.Queues.Create(ctx, "p", tt.queue)
			reqs := s.requests()
			if !tt.retried {
				wantStatus(t, err, tt.code)
				if len(reqs) != 1 {
					t.Errorf("%d requests, want 1: the server may have created a queue", len(reqs))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(reqs) != 2 || string(reqs[1].Body) != string(reqs[0].Body) {
				t.Errorf("requests: %+v, want the same body twice", reqs)
			}
		})
	}
}

// A connection lost after the request was written may have started
// something: with RetryConnectionErrors, an operation that is not
// idempotent is not sent again (it reports RequestSent); an idempotent one
// is.
func TestRetryOfEveryOperationAfterALostConnection(t *testing.T) {
	noLeaks(t)
	cfg := fast
	cfg.RetryConnectionErrors = true
	for _, op := range allOperations {
		t.Run(op.label(), func(t *testing.T) {
			t.Parallel()
			then := reply(op.success, op.body)
			if op.success == 204 {
				then = raw(204, "", "")
			}
			s := newServer(t, dropping(1, then))
			_, err := op.call(context.Background(), newClient(t, s, sdk.WithRetryConfig(cfg)))
			if notIdempotent[op.label()] {
				var te *sdk.TransportError
				if !errors.As(err, &te) || !te.RequestSent || te.Operation != op.name {
					t.Fatalf("err = %#v, want a *TransportError after the request was sent", err)
				}
				if s.count() != 1 {
					t.Errorf("%d requests, want 1", s.count())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.count() != 2 {
				t.Errorf("%d requests, want 2", s.count())
			}
		})
	}
}
