package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"slices"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// Append many items to a queue and handle each result as it arrives. One
// scheduler in this goroutine polls every item; the loop body runs once per
// item, in the order the items finish. The fake stands in for the API:
// each item is queued, then runs, then completes with the product's price
// (the page of the second one does not load).
func ExampleProjectQueuesItemsService_AppendAndWaitAll() {
	api := exampleAPI()
	defer api.Close()
	api.ScriptAPI("price", intunedtest.Queued(1), intunedtest.Running(1), intunedtest.Completed(200, 12.5))
	api.ScriptAPI("price-broken", intunedtest.Queued(1), intunedtest.Failed(502, "api_error", "The page did not load"))
	client := exampleClient(api.URL)
	ctx := context.Background()
	queue, err := client.Project.Queues.Create(ctx, "my-project", sdk.QueueCreateRequest{})
	if err != nil {
		log.Fatal(err)
	}

	items := []sdk.QueueItemAppendRequest{{APIName: "price"}, {APIName: "price-broken"}, {APIName: "price"}}
	prices := make([]string, len(items))
	for o := range client.Project.Queues.Items.AppendAndWaitAll(ctx, "my-project", *queue.ID, items,
		sdk.WithPolling(sdk.PollConfig{InitialDelay: 10 * time.Millisecond})) {
		if o.Err != nil {
			// o.OperationID, when set, picks the item up later, as a
			// cancelled context leaves it:
			// client.Project.Queues.Items.Operation("my-project", *queue.ID, o.OperationID)
			prices[o.Index] = "failed"
			continue
		}
		var price float64
		if err := o.Value.DecodeResult(&price); err != nil {
			log.Fatal(err)
		}
		prices[o.Index] = fmt.Sprint(price)
	}
	fmt.Println(prices)
	// Output: [12.5 failed 12.5]
}

// Refresh every account's auth session in one call, each with a one-time
// code of its own. The updates run at once and one handler answers them
// all, so it looks each code up by the account whose update asks:
// req.AuthSessionID, the ID in the request (req.Index, its position in
// reqs, would do as well; a create without an ID has only that). The
// handler may run for several accounts at once, never twice at once for
// one. The fake texts each account its own code and takes no other; dave's
// codes go nowhere the handler can read, so his refresh fails, alone.
func ExampleProjectAuthSessionsUpdateService_StartAndWaitAll_perAccountCodes() {
	accounts := []string{"carol", "alice", "dave", "bob"}
	api := intunedtest.NewServer(
		intunedtest.WithAPIKey("<YOUR_API_KEY_HERE>"),
		intunedtest.WithWorkspaceID("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
		intunedtest.WithAuthSessions("my-project", accounts...),
	)
	defer api.Close()
	texted := map[string]string{"alice": "314159", "bob": "271828", "carol": "161803", "dave": "141421"}
	for _, account := range accounts {
		api.Script(account, intunedtest.OTP("Enter the code we texted you", texted[account]), intunedtest.Done(""))
	}
	client := exampleClient(api.URL)
	ctx := context.Background()

	// Where each account's code arrives: stand-ins for an SMS gateway or a
	// mailbox, read by the handler.
	errNoSource := errors.New("no code source")
	inbox := func(code string) func(context.Context) (string, error) {
		return func(context.Context) (string, error) { return code, nil }
	}
	codeSources := map[string]func(context.Context) (string, error){
		"alice": inbox("314159"),
		"bob":   inbox("271828"),
		"carol": inbox("161803"),
	}
	answer := func(ctx context.Context, req sdk.InfoRequest) (string, error) {
		source, ok := codeSources[req.AuthSessionID]
		if !ok {
			return "", fmt.Errorf("auth session %s: %w", req.AuthSessionID, errNoSource)
		}
		return source(ctx)
	}

	reqs := make([]sdk.AuthSessionUpdateRequest, len(accounts))
	for i, account := range accounts {
		reqs[i] = sdk.AuthSessionUpdateRequest{ID: account, Parameters: sdk.ParametersObject{"username": account}}
	}
	var summary []string
	for o := range client.Project.AuthSessions.Update.StartAndWaitAll(ctx, "my-project", reqs, answer,
		sdk.WithPolling(sdk.PollConfig{InitialDelay: 10 * time.Millisecond})) {
		switch {
		case errors.Is(o.Err, errNoSource):
			summary = append(summary, reqs[o.Index].ID+": no code source")
		case o.Err != nil:
			summary = append(summary, reqs[o.Index].ID+": failed: "+o.Err.Error())
		default:
			summary = append(summary, o.Value+": ready")
		}
	}
	slices.Sort(summary) // outcomes come in the order the updates end
	for _, line := range summary {
		fmt.Println(line)
	}
	// Output:
	// alice: ready
	// bob: ready
	// carol: ready
	// dave: no code source
}
