//go:build unix

package main

import (
	"context"
	"io"
	"os/signal"
	"syscall"
	"testing"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// SIGTERM stops the fake as main wires it.
func TestStopOnSignal(t *testing.T) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	url, done := start(t, ctx, io.Discard, io.Discard)
	c, err := sdk.New(sdk.WithServerURL(url), sdk.WithAPIKey(intunedtest.DefaultAPIKey), sdk.WithWorkspaceID(intunedtest.DefaultWorkspaceID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project.Queues.All(context.Background(), "p"); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	stopped(t, done)
}
