package sdk_test

import (
	"context"
	"fmt"
	"log"
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
