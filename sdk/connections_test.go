package sdk_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/intuned/intuned-go/sdk"
)

// With no configuration, 64 goroutines sharing a client open no more
// connections than there are goroutines: the default transport keeps enough
// idle connections per host (Go's default of 2 would open thousands).
func TestConcurrentCallsReuseConnections(t *testing.T) {
	s, conns := countingServer(t, `{"status":"pending"}`)
	c, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(s.URL))
	if err != nil {
		t.Fatal(err)
	}
	noLeaks(t, c)
	_, err = hammer(concurrentGoroutines, 3000, func() error {
		_, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Typically exactly 64. A few more appear under load (and -race): after
	// a body's EOF, net/http returns the connection to the pool from another
	// goroutine, so a quick next call can find none idle and dial. The idle
	// pool (128 per host) keeps those, so the count stays near the
	// goroutines; Go's default transport would open thousands.
	if n := conns.Load(); n > 2*concurrentGoroutines {
		t.Errorf("%d goroutines opened %d connections", concurrentGoroutines, n)
	}
	t.Logf("%d goroutines, 3000 calls, %d connections", concurrentGoroutines, conns.Load())
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
	_, err = hammer(16, 500, func() error {
		_, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := conns.Load(); n > 3 {
		t.Errorf("the user's transport allows 3 connections; %d were opened", n)
	}
}
