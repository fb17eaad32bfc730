package sdk_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// Survive a restart: a batch of queue items recorded in a FileJournal is
// run once, stopped halfway (as a deploy would stop it), and run again
// with the same journal and batch name. The second run starts only what
// the first had not, waits on what it had started, and reads again the
// results of what had ended: four items, four starts at the API.
func ExampleWithJournal() {
	api := exampleAPI()
	defer api.Close()
	api.ScriptAPI("price", intunedtest.Queued(1), intunedtest.Completed(200, 12.5))
	client := exampleClient(api.URL)
	ctx := context.Background()
	if _, err := client.Project.Queues.Create(ctx, "my-project", sdk.QueueCreateRequest{ID: sdk.Ptr("prices")}); err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "journal")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	items := []sdk.QueueItemAppendRequest{
		{APIName: "price", Parameters: sdk.ParametersObject{"sku": "a-1"}},
		{APIName: "price", Parameters: sdk.ParametersObject{"sku": "b-2"}},
		{APIName: "price", Parameters: sdk.ParametersObject{"sku": "c-3"}},
		{APIName: "price", Parameters: sdk.ParametersObject{"sku": "d-4"}},
	}

	// run appends the items with the journal, and stops after stopAfter
	// results (0: none).
	run := func(stopAfter int) int {
		journal, err := sdk.OpenFileJournal(filepath.Join(dir, "prices.journal"))
		if err != nil {
			log.Fatal(err)
		}
		defer journal.Close()
		done := 0
		for o := range client.Project.Queues.Items.AppendAndWaitAll(ctx, "my-project", "prices", items,
			sdk.WithJournal(journal, "prices-2026-12-06"), sdk.WithMaxInFlight(2),
			sdk.WithPolling(sdk.PollConfig{InitialDelay: 10 * time.Millisecond})) {
			if o.Err != nil {
				log.Printf("item %d: %v", o.Index, o.Err) // an *sdk.AmbiguousStartError, say
				continue
			}
			if done++; done == stopAfter {
				break // the process stops here: a deploy, a crash
			}
		}
		return done
	}
	fmt.Println("first run, stopped after:", run(2))
	fmt.Println("second run, done:", run(0))
	starts := 0
	for _, n := range api.StartCounts(intunedtest.ProjectQueuesItemsAppend) {
		starts += n
	}
	fmt.Println("items started at the API:", starts)
	// Output:
	// first run, stopped after: 2
	// second run, done: 4
	// items started at the API: 4
}
