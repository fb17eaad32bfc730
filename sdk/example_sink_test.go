package sdk_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// A job sends each result to its webhook sink; NewSinkHandler receives
// them, checking the sink's secret. Here the fake API (intunedtest) sends
// them, as Intuned does, to a handler on a loopback server.
func ExampleNewSinkHandler() {
	api := exampleAPI()
	defer api.Close()
	api.ScriptAPI("scrape-product", intunedtest.Completed(200, map[string]any{"title": "Mug"}))

	// The receiving side: in your service, http.Handle("/hooks/intuned", handler).
	results := make(chan sdk.SinkResultProjectJob, 1)
	handler, err := sdk.NewSinkHandler(func(ctx context.Context, d sdk.SinkDelivery) error {
		if job, ok := d.Result.(sdk.SinkResultProjectJob); ok {
			results <- job // store it, or queue the work: return quickly
		}
		return nil
	}, sdk.WithSinkSecret("Authorization", "Bearer my-sink-secret"))
	if err != nil {
		log.Fatal(err) // a secret no request can carry, say
	}
	sink := httptest.NewServer(handler)
	defer sink.Close()

	// The sending side: a job whose sink is that handler.
	client := exampleClient(api.URL)
	ctx := context.Background()
	_, err = client.Project.Jobs.Create(ctx, "my-project", sdk.JobCreateRequest{
		ID:      "nightly-prices",
		Payload: []sdk.JobPayload{{APIName: "scrape-product"}},
		Sink:    sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: sink.URL, Headers: map[string]string{"Authorization": "Bearer my-sink-secret"}}),
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Project.Jobs.Trigger(ctx, "my-project", "nightly-prices"); err != nil {
		log.Fatal(err)
	}

	select {
	case job := <-results:
		done := job.APIInfo.Result.(sdk.SinkAPICompleted) // or sdk.SinkAPIFailed
		var product struct{ Title string }
		if err := done.DecodeResult(&product); err != nil {
			log.Fatal(err)
		}
		fmt.Println(job.ProjectJob.ID, job.APIInfo.Name, done.StatusCode, product.Title)
	case <-time.After(10 * time.Second):
		log.Fatal("no result")
	}
	// Output: nightly-prices scrape-product 200 Mug
}
