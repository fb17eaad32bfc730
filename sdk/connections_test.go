package sdk_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/intuned/intuned-go/sdk"
)

// With no configuration, the client never opens more than
// DefaultMaxConnsPerHost connections to the API, however many goroutines
// call it: calls beyond them queue for a connection. (Go's default
// transport would open thousands.)
func TestConcurrentCallsShareABoundedPool(t *testing.T) {
	s, conns := countingServer(t, `{"status":"pending"}`)
	c, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(s.URL))
	if err != nil {
		t.Fatal(err)
	}
	noLeaks(t, c)
	_, err = hammer(4*sdk.DefaultMaxConnsPerHost, 3000, func(int) error {
		_, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The most connections open at once. (Every one accepted is nearly
	// always as many, since the pool keeps as many idle as it may open; on
	// a loaded machine the transport may close one and dial again, which is
	// within the bound.)
	if n := conns.peak.Load(); n > sdk.DefaultMaxConnsPerHost {
		t.Errorf("%d goroutines had %d connections open at once, want at most %d", 4*sdk.DefaultMaxConnsPerHost, n, sdk.DefaultMaxConnsPerHost)
	}
	t.Logf("%d goroutines, 3000 calls, %d connections at most at once, %d in all", 4*sdk.DefaultMaxConnsPerHost, conns.peak.Load(), conns.Load())
}

// A bulk wait on many operations keeps within the same bound.
func TestBulkWaitSharesTheBoundedPool(t *testing.T) {
	s, conns := countingServer(t, `{"status":"completed","runId":"r","statusCode":200}`)
	c, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(s.URL))
	if err != nil {
		t.Fatal(err)
	}
	noLeaks(t, c)
	ops := make([]*sdk.Operation[sdk.RunResult], 1000)
	for i := range ops {
		ops[i] = c.Project.Run.Operation("p", "r")
	}
	for o := range sdk.WaitAll(context.Background(), ops, sdk.WithMaxInFlight(500)) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
	}
	if n := conns.peak.Load(); n > sdk.DefaultMaxConnsPerHost {
		t.Errorf("1000 operations, 500 calls at once: %d connections open at once, want at most %d", n, sdk.DefaultMaxConnsPerHost)
	}
}

// A user's *http.Client is used as given: its transport's limits hold.
func TestUserHTTPClientIsUsedAsGiven(t *testing.T) {
	s, conns := countingServer(t, `{"status":"pending"}`)
	hc := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 3, MaxIdleConnsPerHost: 3}}
	c, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(s.URL), sdk.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	noLeaks(t, c)
	_, err = hammer(16, 500, func(int) error {
		_, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := conns.peak.Load(); n > 3 {
		t.Errorf("the user's transport allows 3 connections; %d were open at once", n)
	}
}
