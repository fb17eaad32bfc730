package intunedtest_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// Test code that updates auth sessions against the fake: script the
// operation, hand the code under test a client, then inspect the requests.
func ExampleNewServer() {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("my-project", "my-auth-session"))
	defer srv.Close()
	srv.Script("my-auth-session", intunedtest.Pending(1), intunedtest.OTP("Enter the code", "123456"), intunedtest.Done(""))

	client := srv.Client() // pointed at the fake, with its key and workspace
	id, err := client.Project.AuthSessions.Update.StartAndWait(context.Background(), "my-project",
		sdk.UpdateAuthSessionRequest{ID: "my-auth-session"},
		func(ctx context.Context, req sdk.InfoRequest) (string, error) {
			return "123456", nil
		},
		sdk.WithPolling(sdk.PollConfig{InitialDelay: 5 * time.Millisecond}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("ready:", id)
	for _, r := range srv.Requests() {
		fmt.Println(r.Operation)
	}
	// Output:
	// ready: my-auth-session
	// updateAuthSessionStart
	// updateAuthSessionResult
	// updateAuthSessionResult
	// updateAuthSessionResume
	// updateAuthSessionResult
}
