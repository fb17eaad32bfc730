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

// Run an API and wait for its result, as a long-running operation. The
// fake stands in for the API: scrape-product is pending twice, then returns
// a product.
func ExampleProjectRunService_StartAndWait() {
	api := exampleAPI()
	defer api.Close()
	api.ScriptAPI("scrape-product", intunedtest.Running(2), intunedtest.Completed(200, map[string]any{"title": "Mug", "price": 12.5}))
	client := exampleClient(api.URL)

	done, err := client.Project.Run.StartAndWait(context.Background(), "my-project", sdk.RunRequest{
		API:        "scrape-product",
		Parameters: sdk.ParametersObject{"url": "https://shop.example.com/p/1"},
	}, sdk.WithPolling(sdk.PollConfig{InitialDelay: 10 * time.Millisecond}))
	var failed *sdk.OperationFailedError
	if errors.As(err, &failed) {
		log.Fatalf("run %s failed: %s: %s (status %d)", failed.OperationID, failed.Code, failed.Message, failed.StatusCode)
	} else if err != nil {
		log.Fatal(err)
	}
	var product struct {
		Title string
		Price float64
	}
	if err := done.DecodeResult(&product); err != nil {
		log.Fatal(err)
	}
	fmt.Println(done.StatusCode, product.Title, product.Price)
	// Output: 200 Mug 12.5
}

// Sync answers when the run has finished: a RunCompleted or a RunFailed.
func ExampleProjectRunService_Sync() {
	api := exampleAPI()
	defer api.Close()
	api.ScriptAPI("scrape-product", intunedtest.Running(1), intunedtest.Failed(502, "api_error", "The page did not load"))
	client := exampleClient(api.URL)

	res, err := client.Project.Run.Sync(context.Background(), "my-project", sdk.RunRequest{
		API:        "scrape-product",
		Parameters: sdk.ParametersArray{"https://shop.example.com/p/1"},
	})
	if err != nil {
		log.Fatal(err)
	}
	switch r := res.(type) {
	case sdk.RunCompleted:
		fmt.Println("result:", string(r.Result))
	case sdk.RunFailed:
		fmt.Println("failed:", r.StatusCode, r.Error, r.Message)
	}
	// Output: failed: 502 api_error The page did not load
}

// A job: create it, trigger a run now, list its runs, pause it, delete it.
func ExampleProjectJobsService_Create() {
	api := exampleAPI()
	defer api.Close()
	client := exampleClient(api.URL)
	ctx := context.Background()

	_, err := client.Project.Jobs.Create(ctx, "my-project", sdk.JobCreateRequest{
		ID:      "nightly-prices",
		Payload: []sdk.JobPayload{{APIName: "scrape-product", Parameters: sdk.ParametersObject{"url": "https://shop.example.com/p/1"}}},
		Configuration: sdk.JobCreateConfiguration{
			MaxConcurrentRequests: sdk.Ptr[int](5),
			Retry:                 &sdk.JobCreateRetry{MaximumAttempts: 3, MaximumInterval: sdk.Ptr(sdk.DurationOf(10 * time.Minute))},
		},
		Schedule: &sdk.JobSchedule{
			Intervals: []sdk.JobInterval{{Every: sdk.DurationOf(time.Hour)}},
			Calendars: []sdk.Calendar{{
				Hour:      sdk.CalendarRange{Start: sdk.CalendarNumber(9), End: sdk.CalendarNumber(17), Step: sdk.Ptr[int](2)},
				DayOfWeek: sdk.CalendarText("MON-FRI"),
			}},
		},
		Sink: sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: "https://hooks.example.com/intuned", Headers: map[string]string{"Authorization": "Bearer secret"}}),
	})
	if err != nil {
		log.Fatal(err)
	}
	job, err := client.Project.Jobs.One(ctx, "my-project", "nightly-prices")
	if err != nil {
		log.Fatal(err)
	}
	// The API answers a job's retry intervals in milliseconds.
	fmt.Println(*job.State.Status, job.Configuration.Retry.MaximumInterval.Duration())

	if _, err := client.Project.Jobs.Trigger(ctx, "my-project", "nightly-prices"); err != nil {
		log.Fatal(err)
	}
	for polls := 1; ; polls++ {
		runs, err := client.Project.Jobs.Runs.All(ctx, "my-project", "nightly-prices")
		if err != nil {
			log.Fatal(err)
		}
		if runs[0].Status != sdk.JobRunStatusPending {
			fmt.Println(runs[0].Type, runs[0].Status, runs[0].Summary.SuccessCount, "of", runs[0].Summary.APIsCount)
			break
		}
		if polls == 100 {
			log.Fatal("the job run is still pending")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := client.Project.Jobs.Pause(ctx, "my-project", "nightly-prices"); err != nil {
		log.Fatal(err)
	}
	job, _ = client.Project.Jobs.One(ctx, "my-project", "nightly-prices")
	fmt.Println(*job.State.Status, *job.State.Reason)
	if err := client.Project.Jobs.Delete(ctx, "my-project", "nightly-prices"); err != nil {
		log.Fatal(err)
	}
	// Output:
	// ACTIVE 10m0s
	// MANUAL COMPLETED 1 of 1
	// PAUSED Paused by the API
}

// A queue feeds items to an API at the rate its limits allow;
// AppendAndWait adds one and waits for its result.
func ExampleProjectQueuesItemsService_AppendAndWait() {
	api := exampleAPI()
	defer api.Close()
	api.ScriptAPI("scrape-product", intunedtest.Queued(1), intunedtest.Running(1), intunedtest.Completed(200, "Mug"))
	client := exampleClient(api.URL)
	ctx := context.Background()

	_, err := client.Project.Queues.Create(ctx, "my-project", sdk.QueueCreateRequest{
		ID: sdk.Ptr("product-pages"),
		Configuration: &sdk.QueueConfiguration{
			RateLimits: []sdk.RateLimit{{Limit: 10, Duration: sdk.DurationOf(time.Minute)}},
			RandomWait: sdk.RandomWaitDurations{Min: "1s", Max: "5s"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	done, err := client.Project.Queues.Items.AppendAndWait(ctx, "my-project", "product-pages",
		sdk.QueueItemAppendRequest{APIName: "scrape-product", Parameters: sdk.ParametersObject{"url": "https://shop.example.com/p/1"}},
		sdk.WithPolling(sdk.PollConfig{InitialDelay: 10 * time.Millisecond}))
	if err != nil {
		log.Fatal(err)
	}
	var title string
	if err := done.DecodeResult(&title); err != nil {
		log.Fatal(err)
	}
	fmt.Println(done.Status(), title)

	rep, err := client.Project.Queues.RepeatItems.Append(ctx, "my-project", "product-pages",
		sdk.QueueRepeatItemRequest{APIName: "scrape-product", Repeat: sdk.DurationOf(time.Hour)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Status)
	// Output:
	// completed Mug
	// repeatable item created
}

// DurationOf writes a time.Duration exactly, in the largest unit that
// divides it: never "1m30s", which the API's format does not have.
func ExampleDurationOf() {
	fmt.Println(sdk.DurationOf(90*time.Second), sdk.DurationOf(48*time.Hour), sdk.DurationOf(1500*time.Microsecond))
	d, err := sdk.Duration("1.5h").Duration()
	fmt.Println(d, err)
	// Output:
	// 90s 2d 1.5ms
	// 1h30m0s <nil>
}
