package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// exampleAPI stands in for the Intuned API in the examples: the fake of
// package intunedtest, with the seed's key and workspace, where an update of
// my-auth-session asks for an OTP once, then is done.
func exampleAPI() *intunedtest.Server {
	srv := intunedtest.NewServer(
		intunedtest.WithAPIKey("<YOUR_API_KEY_HERE>"),
		intunedtest.WithWorkspaceID("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
		intunedtest.WithAuthSessions("my-project", "my-auth-session"),
	)
	srv.Script("my-auth-session", intunedtest.OTP("Enter the code we texted you", "123456"), intunedtest.Done(""))
	return srv
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

	op, err := client.Project.AuthSessions.Update.Start(ctx, "my-project", sdk.AuthSessionUpdateRequest{
		ID:         "my-auth-session",
		Parameters: sdk.ParametersObject{"key": "<value>"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("started")

	for {
		res, err := client.Project.AuthSessions.Update.Result(ctx, "my-project", op.OperationID)
		if err != nil {
			log.Fatal(err)
		}
		switch r := res.(type) {
		case sdk.AuthSessionOperationPending:
			time.Sleep(time.Second)
		case sdk.AuthSessionOperationRequestedMoreInfo:
			fmt.Println("asked:", r.Message())
			_, err := client.Project.AuthSessions.Update.Resume(ctx, "my-project", op.OperationID,
				sdk.AuthSessionOperationResumeRequest{Input: "123456", InfoRequestID: r.ID})
			if err != nil {
				log.Fatal(err)
			}
		case sdk.AuthSessionOperationDone:
			fmt.Println("done:", r.AuthSessionID)
			return
		case sdk.AuthSessionOperationFailed:
			log.Fatalf("failed: %s: %s", r.Error, r.Message)
		default:
			log.Fatalf("unexpected status %q", res.Status())
		}
	}
	// Output:
	// started
	// asked: Enter the code we texted you
	// done: my-auth-session
}

func ExampleProjectAuthSessionsUpdateService_Start() {
	api := exampleAPI()
	defer api.Close()
	client := exampleClient(api.URL)

	result, err := client.Project.AuthSessions.Update.Start(context.Background(), "my-project", sdk.AuthSessionUpdateRequest{
		ID:         "my-auth-session",
		Parameters: sdk.ParametersObject{"key": "<value>"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(result.Status, result.OperationID != "")
	// Output: started true
}

// The standalone form takes the client as an argument and runs the same code.
func ExampleProjectAuthSessionsUpdateStart() {
	api := exampleAPI()
	defer api.Close()
	client := exampleClient(api.URL)

	result, err := sdk.ProjectAuthSessionsUpdateStart(context.Background(), client, "my-project", sdk.AuthSessionUpdateRequest{
		ID:         "my-auth-session",
		Parameters: sdk.ParametersArray{"<value>"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(result.Status, result.OperationID != "")
	// Output: started true
}

func ExampleProjectAuthSessionsUpdateService_Result() {
	api := exampleAPI()
	defer api.Close()
	client := exampleClient(api.URL)
	operationID := api.AddOperation("my-project", "my-auth-session", intunedtest.OTP("Enter the code we texted you", "123456"))

	res, err := client.Project.AuthSessions.Update.Result(context.Background(), "my-project", operationID)
	if err != nil {
		log.Fatal(err)
	}
	if r, ok := res.(sdk.AuthSessionOperationRequestedMoreInfo); ok {
		fmt.Println(res.Status(), r.Details.RequestType(), r.Message())
	}
	// Output: requested_more_info otp Enter the code we texted you
}

func ExampleProjectAuthSessionsUpdateService_Resume() {
	api := exampleAPI()
	defer api.Close()
	client := exampleClient(api.URL)
	ctx := context.Background()
	operationID := api.AddOperation("my-project", "my-auth-session", intunedtest.OTP("Enter the code we texted you", "123456"))
	res, err := client.Project.AuthSessions.Update.Result(ctx, "my-project", operationID)
	if err != nil {
		log.Fatal(err)
	}
	infoRequest := res.(sdk.AuthSessionOperationRequestedMoreInfo)

	result, err := client.Project.AuthSessions.Update.Resume(ctx, "my-project", operationID, sdk.AuthSessionOperationResumeRequest{
		Input:         "123456",
		InfoRequestID: infoRequest.ID,
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
	client, _ := sdk.New(sdk.WithAPIKey("wrong-key"), sdk.WithWorkspaceID("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"), sdk.WithServerURL(api.URL))

	_, err := client.Project.AuthSessions.Update.Result(context.Background(), "my-project", "aaaabbbCCCCdddd")
	var unauthorized *sdk.APIErrorUnauthorized
	if errors.As(err, &unauthorized) {
		fmt.Println("check the API key:", unauthorized.Message)
	}
	// Output: check the API key: Unauthorized: the API key is missing or not valid for this workspace
}

// Retries are off unless configured, for the client or for one call.
func ExampleWithRetryConfig() {
	client, err := sdk.New(
		sdk.WithAPIKey("<YOUR_API_KEY_HERE>"),
		sdk.WithWorkspaceID("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
		sdk.WithRetryConfig(sdk.RetryConfig{
			Strategy: sdk.RetryStrategyBackoff,
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
