package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// config is what the flags set.
type config struct {
	addr        string
	apiKey      string
	workspaceID string
	scripts     string
	shutdown    time.Duration

	// deliveries to webhook sinks
	sinkRedeliver      int
	sinkShuffle        int
	sinkShuffleSeed    int64
	sinkAttemptTimeout time.Duration
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("intuned-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "`host:port` to listen on; an empty host is 127.0.0.1, port 0 picks a free one (\":0\")")
	fs.StringVar(&cfg.apiKey, "api-key", intunedtest.DefaultAPIKey, "the API `key` the fake accepts")
	fs.StringVar(&cfg.workspaceID, "workspace", intunedtest.DefaultWorkspaceID, "the workspace `ID` the fake serves")
	fs.StringVar(&cfg.scripts, "scripts", "", "a JSON `file` of scripts and starting auth sessions (its format below; an example in scripts.example.json)")
	fs.DurationVar(&cfg.shutdown, "shutdown-timeout", 10*time.Second, "how long calls in progress may take to finish on SIGINT or SIGTERM")
	fs.IntVar(&cfg.sinkRedeliver, "sink-redeliver", 0, "send each payload to a webhook sink `n` more times, identical, to test that the receiver is idempotent")
	fs.IntVar(&cfg.sinkShuffle, "sink-shuffle", 0, "send payloads to webhook sinks out of order: hold them until `n` are due (or a job run has made all of its), then send them\none at a time, shuffled (0: as they are made; a queue's results wait for n to be due, and those held when the fake stops\nare not sent)")
	fs.Int64Var(&cfg.sinkShuffleSeed, "sink-shuffle-seed", 1, "the `seed` of -sink-shuffle: the same seed and calls give the same order")
	fs.DurationVar(&cfg.sinkAttemptTimeout, "sink-attempt-timeout", 10*time.Second, "how long each attempt to send a payload to a webhook sink may take (0: no limit)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: intuned-fake [flags]\n\nServes a fake Intuned API (package sdk/intunedtest) until SIGINT or SIGTERM.\n"+
			"A job or queue with a webhook sink makes it POST each API run's result to the sink's URL, on loopback only,\n"+
			"each tried up to 3 times; every delivery is logged (the sink's scheme and host, never its path, query or a header).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) { // -h, not a mistake: the scripts file's format too
			fmt.Fprintf(fs.Output(), "\n%s", scriptsFormat)
		}
		return cfg, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return cfg, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if cfg.apiKey == "" || cfg.workspaceID == "" {
		return cfg, errors.New("-api-key and -workspace must not be empty")
	}
	if cfg.sinkRedeliver < 0 || cfg.sinkShuffle < 0 || cfg.sinkAttemptTimeout < 0 {
		return cfg, errors.New("-sink-redeliver, -sink-shuffle and -sink-attempt-timeout must not be negative")
	}
	return cfg, nil
}

// run serves the fake until ctx is done, then shuts it down. ready, if not
// nil, is called with the base URL once the fake listens.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(baseURL string)) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	opts := []intunedtest.Option{
		intunedtest.WithAPIKey(cfg.apiKey),
		intunedtest.WithWorkspaceID(cfg.workspaceID),
		intunedtest.WithoutRecording(), // nobody reads them: keep memory flat
	}
	if cfg.scripts != "" {
		scripted, err := loadScripts(cfg.scripts)
		if err != nil {
			return err
		}
		opts = append(opts, scripted...)
	}
	addr := cfg.addr
	if host, _, err := net.SplitHostPort(addr); err == nil && host == "" {
		addr = "127.0.0.1" + addr // loopback unless told otherwise
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	opts = append(opts,
		intunedtest.WithSinkRedelivery(cfg.sinkRedeliver),
		intunedtest.WithSinkAttemptTimeout(cfg.sinkAttemptTimeout),
		intunedtest.WithSinkDeliveryHook(func(d intunedtest.SinkDelivery) { logDelivery(logger, d) }))
	if cfg.sinkShuffle > 0 {
		opts = append(opts, intunedtest.WithSinkShuffle(cfg.sinkShuffleSeed, cfg.sinkShuffle))
	}
	fake := intunedtest.NewUnstartedServer(opts...)
	defer fake.Close() // after the server: stops deliveries to webhook sinks
	fake.URL = "http://" + ln.Addr().String()
	hs := &http.Server{
		Handler:           logRequests(logger, fake),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	printBanner(stdout, fake)
	if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		logger.Warn("listening beyond loopback: the SDK refuses plain http to other hosts unless given sdk.WithInsecurePlainHTTP()", "addr", ln.Addr().String())
	}

	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	if ready != nil {
		ready(fake.URL)
	}
	select {
	case err := <-served: // Serve failed on its own
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", cfg.shutdown)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdown)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	<-served // http.ErrServerClosed
	logger.Info("stopped")
	return nil
}

// printBanner says where the fake is and how to use it.
func printBanner(w io.Writer, fake *intunedtest.Server) {
	fmt.Fprintf(w, `Fake Intuned API listening on %[1]s
  base URL      %[1]s
  API key       %[2]s
  workspace ID  %[3]s

Point the SDK at it: the API key and workspace from the environment,
  export %[4]s=%[5]s
  export %[6]s=%[7]s
and the server URL as an option (the SDK reads no variable for it):
  client, err := sdk.New(sdk.WithServerURL(%[8]q))

Stop it with Ctrl-C (SIGINT) or SIGTERM.
`, fake.URL, fake.APIKey, fake.WorkspaceID,
		sdk.EnvAPIKey, shellQuote(fake.APIKey), sdk.EnvWorkspaceID, shellQuote(fake.WorkspaceID), fake.URL)
}

// shellQuote quotes s for a POSIX shell, if it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// logRequests logs each request the fake serves: its operation, method,
// path, status and duration.
func logRequests(logger *slog.Logger, fake *intunedtest.Server) http.Handler {
	h := fake.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		begin := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		attrs := []slog.Attr{
			slog.String("operation", fake.Operation(r)),
			slog.String("method", r.Method),
			slog.String("path", r.URL.RequestURI()),
		}
		switch {
		case sw.status == 0:
			attrs = append(attrs, slog.Int("status", http.StatusOK))
		default:
			attrs = append(attrs, slog.Int("status", sw.status))
		}
		attrs = append(attrs, slog.Duration("duration", time.Since(begin)))
		logger.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// logDelivery logs a delivery to a webhook sink as it ends: at Info when
// the sink took it, at Warn when it failed. It logs the sink's URL without
// its user info, query or fragment (users put tokens there), and no header.
func logDelivery(logger *slog.Logger, d intunedtest.SinkDelivery) {
	attrs := []slog.Attr{slog.String("url", sinkURL(d.URL))}
	var info sdk.SinkAPIInfo
	switch r := d.Result.(type) {
	case sdk.SinkResultProjectJob:
		info = r.APIInfo
		attrs = append(attrs, slog.String("job", r.ProjectJob.ID))
	case sdk.SinkResultProjectQueue:
		info = r.APIInfo
		attrs = append(attrs, slog.String("queue", r.ProjectQueue.ID))
	}
	attrs = append(attrs,
		slog.String("api", info.Name),
		slog.String("run_id", info.RunID),
		slog.Int("copy", d.Copy),
		slog.Int("attempts", d.Attempts),
		slog.Int("status", d.StatusCode))
	if d.Err == nil {
		logger.LogAttrs(context.Background(), slog.LevelInfo, "sink delivery", attrs...)
		return
	}
	attrs = append(attrs, slog.String("error", sinkError(d.Err, d.URL)))
	logger.LogAttrs(context.Background(), slog.LevelWarn, "sink delivery failed", attrs...)
}

// sinkURL is a sink's URL as it may be logged: its scheme and host. Not
// its path, where users put tokens too (sdk.NewSinkHandler logs no path
// either), nor its query.
func sinkURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(not a URL)"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
}

// sinkError is a delivery's error as it may be logged: the error of the
// client names the URL it was given, which it may not.
func sinkError(err error, raw string) string {
	msg := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		safe := *ue
		safe.URL = sinkURL(ue.URL)
		msg = strings.ReplaceAll(msg, ue.Error(), safe.Error())
	}
	if raw != "" {
		msg = strings.ReplaceAll(msg, raw, sinkURL(raw))
	}
	return msg
}

// statusWriter notes the status a handler writes.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
