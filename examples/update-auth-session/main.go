// Command update-auth-session updates an Intuned auth session from start to
// finish, printing each step: started, pending, more info requested,
// answered, done.
//
// With no configuration it runs against an embedded fake Intuned API (from
// package intunedtest) that asks for a one-time code once, and answers it
// itself:
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

// fakeOTP is the code the embedded fake asks for and the program answers.
const fakeOTP = "123456"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole program; it returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("update-auth-session", flag.ContinueOnError)
	fs.SetOutput(stderr)
	project := fs.String("project", "", "project name (default \"my-project\" against the fake)")
	authSession := fs.String("auth-session", "", "ID of the auth session to update (default \"my-auth-session\" against the fake)")
	params := fs.String("params", "", "parameters for the project's auth-session logic: a JSON object or array")
	proxy := fs.String("proxy", "", "proxy URL, http://user:pass@host:port (optional)")
	serverURL := fs.String("server-url", "", "Intuned API base URL (default "+sdk.DefaultServerURL+")")
	fake := fs.Bool("fake", false, "use the embedded fake API even when INTUNED_API_KEY is set")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "error: "+format+"\n", a...)
		return 1
	}

	key, workspace := getenv(sdk.EnvAPIKey), getenv(sdk.EnvWorkspaceID)
	useFake := *fake || key == "" && workspace == ""
	if !useFake && (key == "" || workspace == "") {
		return fail("set both %s and %s to use the Intuned API, or neither to use the embedded fake", sdk.EnvAPIKey, sdk.EnvWorkspaceID)
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
		srv := intunedtest.NewServer(intunedtest.WithAuthSessions(*project, *authSession))
		defer srv.Close()
		srv.Script(*authSession, intunedtest.Pending(2), intunedtest.OTP("Enter the 6-digit code we sent to your phone", fakeOTP), intunedtest.Pending(1), intunedtest.Done(""))
		client = srv.Client()
		answer = func(ctx context.Context, req sdk.AuthSessionCreateResultRequestedMoreInfo) (string, error) {
			fmt.Fprintf(stdout, "  (fake API: answering with %s)\n", fakeOTP)
			return fakeOTP, nil
		}
		polling = sdk.PollConfig{InitialDelay: 150 * time.Millisecond, MaxDelay: 300 * time.Millisecond}
		fmt.Fprintf(stdout, "Using the embedded fake Intuned API at %s (set %s and %s to use the real one).\n", srv.URL, sdk.EnvAPIKey, sdk.EnvWorkspaceID)
	} else {
		if *project == "" || *authSession == "" {
			return fail("-project and -auth-session are required against the Intuned API")
		}
		opts := []sdk.Option{sdk.WithAPIKey(key), sdk.WithWorkspaceID(workspace)}
		if *serverURL != "" {
			opts = append(opts, sdk.WithServerURL(*serverURL))
		}
		var err error
		if client, err = sdk.New(opts...); err != nil {
			return fail("%v", err)
		}
		answer = askOnTerminal(stdin, stdout)
		fmt.Fprintf(stdout, "Using the Intuned API, workspace %s.\n", workspace)
	}

	req := sdk.UpdateAuthSessionRequest{ID: *authSession, Proxy: *proxy}
	if *params != "" {
		trimmed := strings.TrimSpace(*params)
		if !json.Valid([]byte(trimmed)) || trimmed[0] != '{' && trimmed[0] != '[' {
			return fail("-params must be a JSON object or array, such as '{\"username\":\"me\"}'")
		}
		req.Parameters = sdk.RawParameters(trimmed)
	}

	begin := time.Now()
	stamp := func() string { return fmt.Sprintf("[%5.2fs]", time.Since(begin).Seconds()) }
	progress := func(e sdk.WaitEvent) {
		switch e.Kind {
		case sdk.WaitStarted:
			fmt.Fprintf(stdout, "%s started: operation %s\n", stamp(), e.OperationID)
		case sdk.WaitPolled:
			switch r := e.Result.(type) {
			case sdk.AuthSessionCreateResultPending:
				fmt.Fprintf(stdout, "%s pending (poll %d)\n", stamp(), e.Polls)
			case sdk.AuthSessionCreateResultRequestedMoreInfo:
				fmt.Fprintf(stdout, "%s %s requested: %s\n", stamp(), describe(r.Details), r.Details.MessageToUser)
			case sdk.AuthSessionCreateResultDone:
				fmt.Fprintf(stdout, "%s done (poll %d)\n", stamp(), e.Polls)
			}
		case sdk.WaitAnswered:
			fmt.Fprintf(stdout, "%s answered\n", stamp())
		case sdk.WaitRetrying:
			fmt.Fprintf(stdout, "%s poll failed, retrying in %v: %v\n", stamp(), e.Delay, e.Err)
		}
	}

	fmt.Fprintf(stdout, "Updating auth session %q of project %q...\n", *authSession, *project)
	id, err := client.Project.AuthSessions.Update.StartAndWait(ctx, *project, req, answer,
		sdk.WithPolling(polling), sdk.WithProgress(progress))
	if err != nil {
		return fail("%s", explain(err))
	}
	fmt.Fprintf(stdout, "%s auth session %s is ready (%d ms)\n", stamp(), id, time.Since(begin).Milliseconds())
	return 0
}

func describe(d sdk.InfoRequestDetails) string {
	switch d.RequestType {
	case sdk.InfoRequestOTP:
		return "OTP"
	case sdk.InfoRequestMultipleChoice:
		return "choice"
	}
	return string(d.RequestType)
}

// askOnTerminal reads the answer to an info request from the user.
func askOnTerminal(stdin io.Reader, stdout io.Writer) sdk.InfoRequestHandler {
	in := bufio.NewReader(stdin)
	return func(ctx context.Context, req sdk.AuthSessionCreateResultRequestedMoreInfo) (string, error) {
		d := req.Details
		if d.RequestType == sdk.InfoRequestMultipleChoice {
			for i, c := range d.Choices {
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
		if d.RequestType == sdk.InfoRequestMultipleChoice {
			if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(d.Choices) {
				return d.Choices[n-1], nil
			}
		}
		return line, nil
	}
}

// explain turns an SDK error into advice.
func explain(err error) string {
	var (
		unauthorized *sdk.APIErrorUnauthorized
		invalid      *sdk.APIErrorInvalidInput
		failed       *sdk.OperationFailedError
		apiErr       *sdk.SDKError
		opErr        *sdk.OperationError
	)
	msg := err.Error()
	switch {
	case errors.As(err, &unauthorized):
		msg = "the API key was refused (" + unauthorized.Message + "): check " + sdk.EnvAPIKey + " and " + sdk.EnvWorkspaceID
	case errors.As(err, &invalid):
		details, _ := json.Marshal(invalid.Details)
		msg = "the API found the request invalid: " + invalid.Message + " " + string(details)
	case errors.As(err, &failed):
		msg = "the update failed: " + failed.Code + ": " + failed.Message
	case errors.As(err, &apiErr) && apiErr.Code == 404:
		msg = "not found (HTTP 404): check the project name and auth session ID"
	case errors.Is(err, context.Canceled):
		msg = "interrupted"
	}
	if errors.As(err, &opErr) {
		msg += " (operation " + opErr.OperationID + ": pick it up with client.Project.AuthSessions.Update.Operation)"
	}
	return msg
}
