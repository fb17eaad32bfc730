package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

// exampleAPI stands in for the Intuned API in the examples: an update asks
// for an OTP once, then is done.
func exampleAPI() *httptest.Server {
	var mu sync.Mutex
	resumed := false
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Header.Get("X-Api-Key") != "<YOUR_API_KEY_HERE>":
			w.WriteHeader(401)
			io.WriteString(w, `{"message":"Unauthorized"}`)
		case strings.HasSuffix(r.URL.Path, "/auth-sessions/update"):
			w.WriteHeader(201)
			io.WriteString(w, `{"status":"started","operationId":"aaaabbbCCCCdddd"}`)
		case strings.HasSuffix(r.URL.Path, "/resume"):
			resumed = true
			w.WriteHeader(202)
			io.WriteString(w, `{"status":"resumed"}`)
		case resumed:
			io.WriteString(w, `{"status":"done","authSessionId":"my-auth-session"}`)
		default:
			io.WriteString(w, `{"status":"requested_more_info","id":"99999999-9999-9999-9999-999999999999",`+
				`"details":{"requestType":"otp","action":"request_more_info","messageToUser":"Enter the code we texted you"}}`)
		}
	}))
}

func exampleClient(serverURL string) *sdk.Client {
	client, err := sdk.New(
		sdk.WithAPIKey("<YOUR_API_KEY_HERE>"),
		sdk.WithWorkspaceID("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
		sdk.WithServerURL(serverURL), // leave out to use the real API
	)
	if err != nil {
		log.Fatal(err)
	}
	return client
}

// Start, poll, answer the OTP, and poll until done.
func Example() {
	api := exampleAPI()
	defer api.Close()
	client := exampleClient(api.URL)
	ctx := context.Background()

	op, err := client.Project.AuthSessions.Update.Start(ctx, "my-project", sdk.UpdateAuthSessionRequest{
		ID:         "my-auth-session",
		Parameters: sdk.ParametersObject{"key": "<value>"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("started", op.OperationID)

	for {
		res, err := client.Project.AuthSessions.Update.Result(ctx, "my-project", op.OperationID)
		if err != nil {
			log.Fatal(err)
		}
		switch r := res.(type) {
		case sdk.AuthSessionCreateResultPending:
			time.Sleep(time.Second)
		case sdk.AuthSessionCreateResultRequestedMoreInfo:
			fmt.Println("asked:", r.Details.MessageToUser)
			_, err := client.Project.AuthSessions.Update.Resume(ctx, "my-project", op.OperationID,
				sdk.AuthSessionCreateResume{Input: "123456", InfoRequestID: r.ID})
			if err != nil {
				log.Fatal(err)
			}
		case sdk.AuthSessionCreateResultDone:
			fmt.Println("done:", r.AuthSessionID)
			return
		case sdk.AuthSessionCreateResultFailed:
			log.Fatalf("failed: %s: %s", r.Error, r.Message)
		default:
			log.Fatalf("unexpected status %q", res.OperationStatus())
		}
	}
	// Output:
	// started aaaabbbCCCCdddd
	// asked: Enter the code we texted you
	// done: my-auth-session
}

func ExampleProjectAuthSessionsUpdateService_Start() {
	api := exampleAPI()
	defer api.Close()
	client := exampleClient(api.URL)

	result, err := client.Project.AuthSessions.Update.Start(context.Background(), "my-project", sdk.UpdateAuthSessionRequest{
		ID:         "my-auth-session",
		Parameters: sdk.ParametersObject{"key": "<value>"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", result)
	// Output: {Status:started OperationID:aaaabbbCCCCdddd}
}

// The standalone form takes the client as an argument and runs the same code.
func ExampleProjectAuthSessionsUpdateStart() {
	api := exampleAPI()
	defer api.Close()
	client := exampleClient(api.URL)

	result, err := sdk.ProjectAuthSessionsUpdateStart(context.Background(), client, "my-project", sdk.UpdateAuthSessionRequest{
		ID:         "my-auth-session",
		Parameters: sdk.ParametersArray{"<value>"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(result.Status, result.OperationID)
	// Output: started aaaabbbCCCCdddd
}

func ExampleProjectAuthSessionsUpdateService_Result() {
	api := exampleAPI()
	defer api.Close()
	client := exampleClient(api.URL)

	res, err := client.Project.AuthSessions.Update.Result(context.Background(), "my-project", "aaaabbbCCCCdddd")
	if err != nil {
		log.Fatal(err)
	}
	if r, ok := res.(sdk.AuthSessionCreateResultRequestedMoreInfo); ok {
		fmt.Println(res.OperationStatus(), r.ID, r.Details.RequestType, r.Details.MessageToUser)
	}
	// Output: requested_more_info 99999999-9999-9999-9999-999999999999 otp Enter the code we texted you
}

func ExampleProjectAuthSessionsUpdateService_Resume() {
	api := exampleAPI()
	defer api.Close()
	client := exampleClient(api.URL)

	result, err := client.Project.AuthSessions.Update.Resume(context.Background(), "my-project", "aaaabbbCCCCdddd", sdk.AuthSessionCreateResume{
		Input:         "123456",
		InfoRequestID: "99999999-9999-9999-9999-999999999999",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(result.Status)
	// Output: resumed
}

// Errors are typed; errors.As picks out the one you handle.
func ExampleAPIErrorUnauthorized() {
	api := exampleAPI()
	defer api.Close()
	client, _ := sdk.New(sdk.WithAPIKey("wrong-key"), sdk.WithWorkspaceID("w"), sdk.WithServerURL(api.URL))

	_, err := client.Project.AuthSessions.Update.Result(context.Background(), "my-project", "aaaabbbCCCCdddd")
	var unauthorized *sdk.APIErrorUnauthorized
	if errors.As(err, &unauthorized) {
		fmt.Println("check the API key:", unauthorized.Message)
	}
	fmt.Println(err)
	// Output:
	// check the API key: Unauthorized
	// intuned: unauthorized (HTTP 401): Unauthorized
}

// Retries are off unless configured, for the client or for one call.
func ExampleWithRetryConfig() {
	client, err := sdk.New(
		sdk.WithAPIKey("<YOUR_API_KEY_HERE>"),
		sdk.WithWorkspaceID("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
		sdk.WithRetryConfig(sdk.RetryConfig{
			Strategy: sdk.RetryBackoff,
			Backoff: sdk.BackoffConfig{
				InitialInterval: 500 * time.Millisecond,
				MaxInterval:     time.Minute,
				Exponent:        1.5,
				MaxElapsedTime:  5 * time.Minute,
			},
			RetryConnectionErrors: true,
		}),
		sdk.WithRetryStatusCodes("429", "5XX"),
	)
	fmt.Println(client != nil, err)
	// Output: true <nil>
}
