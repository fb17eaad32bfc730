// Command update-auth-session updates an Intuned auth session from start to
// finish, printing each step: started, pending, more info requested,
// answered, done.
//
// With no configuration it runs against an embedded fake Intuned API (from
// package intunedtest) that asks for a one-time code once; the program
// answers it itself, first with a wrong code, to show how a rejected answer
// is asked for again:
//
//	go run ./examples/update-auth-session
//
// With INTUNED_API_KEY and INTUNED_WORKSPACE_ID set it talks to the real
// service, and asks you for the code or choice on the terminal:
//
//	INTUNED_API_KEY=... INTUNED_WORKSPACE_ID=... go run ./examples/update-auth-session \
//		-project my-project -auth-session my-auth-session -params '{"username":"me","password":"..."}'
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// The code the embedded fake asks for, and the wrong one the program tries
// first.
const (
	fakeOTP   = "123456"
	wrongCode = "000000"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

const usage = `Usage: update-auth-session [flags]

Updates an Intuned auth session, answering the target site's one-time code or
choice, and prints each step.

With neither %[1]s nor %[2]s set, it runs
against an embedded fake Intuned API: no account needed. With both set, it
talks to the Intuned API (-project and -auth-session are then required) and
asks for answers on the terminal.

Environment:
  %[1]s       the API key of the Intuned API
  %[2]s  the workspace ID

Flags:
`

// run is the whole program; it returns the exit code: 0 done, 1 failed, 2
// bad usage.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("update-auth-session", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, usage, sdk.EnvAPIKey, sdk.EnvWorkspaceID)
		fs.PrintDefaults()
	}
	project := fs.String("project", "", "project name (default \"my-project\" against the fake)")
	authSession := fs.String("auth-session", "", "ID of the auth session to update (default \"my-auth-session\" against the fake)")
	params := fs.String("params", "", "parameters for the project's auth-session logic: a JSON object or array")
	proxy := fs.String("proxy", "", "proxy URL, http://user:pass@host:port (optional)")
	serverURL := fs.String("server-url", "", "Intuned API base URL (default "+sdk.DefaultServerURL+"); needs "+sdk.EnvAPIKey+" and "+sdk.EnvWorkspaceID)
	fake := fs.Bool("fake", false, "use the embedded fake API even when "+sdk.EnvAPIKey+" is set")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usageError := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "error: "+format+"\n", a...)
		fmt.Fprintln(stderr, "Run with -h for help.")
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "error: "+format+"\n", a...)
		return 1
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q: every setting is a flag", fs.Arg(0))
	}

	key, workspace := getenv(sdk.EnvAPIKey), getenv(sdk.EnvWorkspaceID)
	useFake := *fake || key == "" && workspace == ""
	if !useFake && (key == "" || workspace == "") {
		return usageError("set both %s and %s to use the Intuned API, or neither to use the embedded fake", sdk.EnvAPIKey, sdk.EnvWorkspaceID)
	}
	if useFake && *serverURL != "" {
		return usageError("-server-url is for the Intuned API: set %s and %s too (the embedded fake has its own URL)", sdk.EnvAPIKey, sdk.EnvWorkspaceID)
	}

	req := sdk.AuthSessionUpdateRequest{ID: *authSession}
	if *proxy != "" {
		req.Proxy = proxy
	}
	if *params != "" {
		trimmed := strings.TrimSpace(*params)
		if !json.Valid([]byte(trimmed)) || trimmed[0] != '{' && trimmed[0] != '[' {
			return usageError("-params must be a JSON object or array, such as '{\"username\":\"me\"}'")
		}
		req.Parameters = sdk.ParametersRaw(trimmed)
	}

	var client *sdk.Client
	var answer sdk.InfoRequestHandler
	polling := sdk.PollConfig{} // the SDK's defaults against the real service
	if useFake {
		if *project == "" {
			*project = "my-project"
		}
		if *authSession == "" {
			*authSession = "my-auth-session"
		}
		req.ID = *authSession
		srv := intunedtest.NewServer(intunedtest.WithAuthSessions(*project, *authSession))
		defer srv.Close()
		srv.Script(*authSession, intunedtest.Pending(2), intunedtest.OTP("Enter the 6-digit code we sent to your phone", fakeOTP), intunedtest.Pending(1), intunedtest.Done(""))
		client = srv.Client()
		answer = answerTheFake(stdout)
		polling = sdk.PollConfig{InitialDelay: 150 * time.Millisecond, MaxDelay: 300 * time.Millisecond}
		fmt.Fprintf(stdout, "Using the embedded fake Intuned API at %s (set %s and %s to use the real one).\n", srv.URL, sdk.EnvAPIKey, sdk.EnvWorkspaceID)
	} else {
		if *project == "" || *authSession == "" {
			return usageError("-project and -auth-session are required against the Intuned API")
		}
		in, err := terminal(stdin)
		if err != nil {
			return fail("%v: the update may ask for a code, and this program reads it from standard input", err)
		}
		opts := []sdk.Option{sdk.WithAPIKey(key), sdk.WithWorkspaceID(workspace)}
		if *serverURL != "" {
			opts = append(opts, sdk.WithServerURL(*serverURL))
		}
		if client, err = sdk.New(opts...); err != nil {
			return usageError("%v", err)
		}
		answer = askOnTerminal(in, stdout)
		fmt.Fprintf(stdout, "Using the Intuned API, workspace %s.\n", workspace)
	}

	begin := time.Now()
	stamp := func() string { return fmt.Sprintf("[%5.2fs]", time.Since(begin).Seconds()) }
	operationID := ""
	progress := func(e sdk.WaitEvent) {
		switch e.Kind {
		case sdk.WaitEventKindStarted:
			operationID = e.OperationID
			fmt.Fprintf(stdout, "%s started: operation %s\n", stamp(), e.OperationID)
		case sdk.WaitEventKindPolled:
			switch r := e.State.(type) {
			case sdk.AuthSessionOperationPending:
				fmt.Fprintf(stdout, "%s pending (poll %d)\n", stamp(), e.Polls)
			case sdk.AuthSessionOperationRequestedMoreInfo:
				fmt.Fprintf(stdout, "%s %s requested: %s\n", stamp(), describe(r.Details), r.Message())
			case sdk.AuthSessionOperationDone:
				fmt.Fprintf(stdout, "%s done (poll %d)\n", stamp(), e.Polls)
			}
		case sdk.WaitEventKindAnswered:
			fmt.Fprintf(stdout, "%s answered\n", stamp())
		case sdk.WaitEventKindRetrying:
			fmt.Fprintf(stdout, "%s call failed, trying again in %v: %v\n", stamp(), e.Delay, e.Err)
		}
	}

	fmt.Fprintf(stdout, "Updating auth session %q of project %q...\n", req.ID, *project)
	id, err := client.Project.AuthSessions.Update.StartAndWait(ctx, *project, req, answer,
		sdk.WithPolling(polling), sdk.WithProgress(progress))
	if err != nil {
		code := fail("%s", explain(err))
		if operationID != "" {
			fmt.Fprintf(stderr, "The update was started as operation %s; it may still be running.\n", operationID)
		}
		return code
	}
	fmt.Fprintf(stdout, "%s auth session %s is ready (%d ms)\n", stamp(), id, time.Since(begin).Milliseconds())
	return 0
}

func describe(d sdk.InfoRequestDetails) string {
	switch d.(type) {
	case sdk.InfoRequestDetailsOTP:
		return "OTP"
	case sdk.InfoRequestDetailsMultipleChoice:
		return "choice"
	}
	return string(d.RequestType())
}

// answerTheFake answers the embedded fake's code request: a wrong code
// first, which the fake rejects, then the right one.
func answerTheFake(stdout io.Writer) sdk.InfoRequestHandler {
	return func(ctx context.Context, req sdk.InfoRequest) (string, error) {
		if req.Ask == 1 {
			fmt.Fprintf(stdout, "  (answering with %s, a wrong code, to show a rejected answer)\n", wrongCode)
			return wrongCode, nil
		}
		fmt.Fprintf(stdout, "  rejected: %s\n", rejection(req.Rejected))
		fmt.Fprintf(stdout, "  (answering with %s)\n", fakeOTP)
		return fakeOTP, nil
	}
}

// terminal checks, before anything is sent, that answers can be read from
// stdin: not closed, not empty.
func terminal(stdin io.Reader) (*bufio.Reader, error) {
	if f, ok := stdin.(*os.File); ok {
		fi, err := f.Stat()
		if err != nil {
			return nil, fmt.Errorf("standard input is closed")
		}
		if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
			return nil, fmt.Errorf("standard input is %s", os.DevNull)
		}
		if fi.Mode().IsRegular() && fi.Size() == 0 {
			return nil, fmt.Errorf("standard input is an empty file")
		}
		return bufio.NewReader(f), nil // a terminal or a pipe: it may answer later
	}
	in := bufio.NewReader(stdin)
	if _, err := in.Peek(1); err != nil {
		return nil, fmt.Errorf("nothing to read on standard input")
	}
	return in, nil
}

// askOnTerminal reads the answer to an info request from the user.
func askOnTerminal(in *bufio.Reader, stdout io.Writer) sdk.InfoRequestHandler {
	return func(ctx context.Context, req sdk.InfoRequest) (string, error) {
		if req.Rejected != nil {
			fmt.Fprintf(stdout, "Not accepted: %s. Try again.\n", rejection(req.Rejected))
		}
		choices := req.Choices()
		if len(choices) > 0 {
			for i, c := range choices {
				fmt.Fprintf(stdout, "  %d) %s\n", i+1, c)
			}
			fmt.Fprint(stdout, "Your choice (number or text): ")
		} else {
			fmt.Fprint(stdout, "Your answer: ")
		}
		line, err := in.ReadString('\n')
		if err != nil && line == "" {
			return "", fmt.Errorf("no answer on standard input: %w", err)
		}
		line = strings.TrimSpace(line)
		if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(choices) {
			return choices[n-1], nil
		}
		return line, nil
	}
}

// rejection says why the API rejected an answer.
func rejection(err error) string {
	var invalid *sdk.APIErrorInvalidInput
	if errors.As(err, &invalid) && invalid.Message != "" {
		return invalid.Message
	}
	return err.Error()
}

// explain turns an SDK error into a sentence for the person at the
// terminal.
func explain(err error) string {
	var (
		unauthorized *sdk.APIErrorUnauthorized
		invalid      *sdk.APIErrorInvalidInput
		failed       *sdk.OperationFailedError
		apiErr       *sdk.SDKError
		opErr        *sdk.OperationError
	)
	if errors.As(err, &opErr) {
		err = opErr.Err // the operation ID is said once, by the caller
	}
	switch {
	case errors.As(err, &unauthorized):
		return "the API key was refused (" + unauthorized.Message + "): check " + sdk.EnvAPIKey + " and " + sdk.EnvWorkspaceID
	case errors.As(err, &invalid):
		msg := "the API found the request invalid"
		if invalid.Message != "" {
			msg += ": " + invalid.Message
		}
		if invalid.Details != nil {
			details, _ := json.Marshal(invalid.Details)
			msg += " " + string(details)
		}
		return msg
	case errors.As(err, &failed):
		return "the update failed: " + failed.Code + ": " + failed.Message
	case errors.As(err, &apiErr) && apiErr.Code == 404:
		return "not found (HTTP 404): check the project name and auth session ID"
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.Is(err, context.DeadlineExceeded):
		return "the Intuned API did not answer in time: " + err.Error()
	}
	return err.Error()
}
