// Command intuned-fake serves the fake Intuned API of package
// sdk/intunedtest as a process of its own, on a loopback port, for trying
// the SDK (or any other client of the API) without an account:
//
//	go run ./cmd/intuned-fake -addr 127.0.0.1:8080 -scripts cmd/intuned-fake/scripts.example.json
//
// It prints its base URL, API key and workspace ID, and how to point the
// SDK at it; logs each request, and each delivery to a webhook sink with
// its outcome (log/slog, on standard error: a sink's scheme and host, never its path or query,
// no header); and stops
// cleanly on SIGINT or SIGTERM, letting calls in progress finish. Its
// scripts (how auth-session operations, API runs and file extractions go)
// come from a JSON file, whose format -h prints (as does the package
// documentation of sdk/intunedtest), shown in scripts.example.json. Run it
// with -h for its flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "intuned-fake:", err)
		os.Exit(2)
	}
}
