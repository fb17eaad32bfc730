package sdk_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

const moreInfoBody = `{"status":"requested_more_info","id":"i1","details":{"requestType":"otp","action":"request_more_info","messageToUser":"Code?"}}`

// Resume answers an info request at most once, even from goroutines racing
// to answer it: one POST, and every other call refused before sending.
func TestResumeAnswersOnceUnderConcurrency(t *testing.T) {
	noLeaks(t)
	release := make(chan struct{})
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		<-release // hold the first resume until every goroutine has tried
		reply(202, `{"status":"resumed"}`)(w, r, n)
	})
	op := newClient(t, s).Project.AuthSessions.Update.Operation("p", "o")
	info := sdk.AuthSessionOperationRequestedMoreInfo{ID: "i1", Details: sdk.InfoRequestDetailsOTP{}}
	const n = 8
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- op.Resume(context.Background(), info, "123") }()
	}
	// Let the losers fail first, then the winner's answer through.
	deadline := time.Now().Add(2 * time.Second)
	for len(errs) < n-1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	close(errs)
	ok, refused := 0, 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, sdk.ErrInvalidArgument):
			refused++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 || refused != n-1 || s.count() != 1 {
		t.Errorf("%d answered, %d refused, %d requests; want 1, %d, 1", ok, refused, s.count(), n-1)
	}
	if err := op.Resume(context.Background(), info, "123"); !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), "already been answered") {
		t.Errorf("after the answer: %v", err)
	}
}

// A rejected answer frees the info request for another answer.
func TestResumeAfterARejection(t *testing.T) {
	noLeaks(t)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			reply(400, `{"message":"wrong code"}`)(w, r, n)
			return
		}
		reply(202, `{"status":"resumed"}`)(w, r, n)
	})
	op := newClient(t, s).Project.AuthSessions.Update.Operation("p", "o")
	info := sdk.AuthSessionOperationRequestedMoreInfo{ID: "i1", Details: sdk.InfoRequestDetailsOTP{}}
	var invalid *sdk.APIErrorInvalidInput
	if err := op.Resume(context.Background(), info, "000"); !errors.As(err, &invalid) {
		t.Fatalf("first answer: %v", err)
	}
	if err := op.Resume(context.Background(), info, "123"); err != nil {
		t.Fatalf("second answer: %v", err)
	}
}

// The generic handle's Wait (the embedded Operation's, which cannot answer)
// returns an info request instead of polling for ever, and Poll reports the
// server's Retry-After.
func TestGenericWaitAndPoll(t *testing.T) {
	noLeaks(t)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "7")
		if n == 1 {
			reply(200, `{"status":"pending"}`)(w, r, n)
			return
		}
		reply(200, moreInfoBody)(w, r, n)
	})
	op := newClient(t, s).Project.AuthSessions.Update.Operation("p", "o")
	state, retryAfter, err := op.Poll(context.Background())
	if err != nil || state.Status() != sdk.AuthSessionOperationStatusPending || retryAfter != 7*time.Second {
		t.Fatalf("Poll = %v, %v, %v; want pending, 7s", state, retryAfter, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var generic *sdk.Operation[sdk.AuthSessionOperationResult] = op.Operation
	res, err := generic.Wait(ctx, sdk.WithPolling(sdk.PollConfig{InitialDelay: time.Millisecond}))
	if _, ok := res.(sdk.AuthSessionOperationRequestedMoreInfo); err != nil || !ok {
		t.Fatalf("Wait = %#v, %v; want the info request", res, err)
	}
}

// StartAndWait takes its handler as an argument; WithInfoHandler among its
// options would be a second, conflicting one, and is refused before sending.
func TestStartAndWaitRefusesWithInfoHandler(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(201, `{"status":"started","operationId":"o"}`))
	h := func(context.Context, sdk.InfoRequest) (string, error) { return "1", nil }
	_, err := newClient(t, s).Project.AuthSessions.Update.StartAndWait(context.Background(), "p", updateReq("s"), h, sdk.WithInfoHandler(h))
	if !errors.Is(err, sdk.ErrInvalidArgument) || s.count() != 0 {
		t.Errorf("err = %v after %d requests; want an *ArgumentError before sending", err, s.count())
	}
}

// When the context ends while a retry waits, the error says whether an
// earlier attempt reached the server, and what it got: a caller must not
// take the call for unsent.
func TestRetryWaitCutOffSaysTheRequestWasSent(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(502, `bad gateway`))
	c := newClient(t, s, sdk.WithRetryConfig(sdk.RetryConfig{Strategy: sdk.RetryStrategyBackoff, RetryNonIdempotent: true,
		Backoff: sdk.BackoffConfig{InitialInterval: time.Minute}}))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Project.AuthSessions.Update.Start(ctx, "p", updateReq("s"))
	var te *sdk.TransportError
	if !errors.As(err, &te) || !te.RequestSent || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "502") {
		t.Fatalf("err = %#v (%v); want a *TransportError, RequestSent, the deadline, and the 502", err, err)
	}
}
