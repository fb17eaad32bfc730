package sdk_test

import (
	"context"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

func TestWireQueues(t *testing.T) {
	noLeaks(t)
	create := func(q sdk.QueueCreateRequest) func(ctx context.Context, c *sdk.Client) error {
		return func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.Create(ctx, "my-project", q)
			return err
		}
	}
	// The example "full" of openapi.yaml.
	full := sdk.QueueCreateRequest{
		ID:   sdk.Ptr("product-pages"),
		Name: sdk.Ptr("Product pages"),
		Configuration: &sdk.QueueConfiguration{
			RunMode:    "Default",
			Retry:      &sdk.RunRetry{MaximumAttempts: 3},
			RateLimits: []sdk.RateLimit{{Limit: 10, Duration: "1m"}},
			Schedule:   &sdk.QueueSchedule{Pause: "0 18 * * *", Resume: "0 8 * * *"},
			RandomWait: sdk.RandomWaitDurations{Min: "1s", Max: "5s"},
		},
		Sink:        sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: "https://hooks.example.com/intuned", SkipOnFail: sdk.Ptr(true)}),
		AuthSession: sdk.NullableOf(sdk.AuthSessionRef{ID: "my-auth-session"}),
		Metadata:    sdk.NullableOf(map[string]any{"team": "pricing", "owners": []any{"ana", "bo"}, "level": 2}),
	}
	fullJSON := `{"id":"product-pages","name":"Product pages",` +
		`"configuration":{"runMode":"Default","retry":{"maximumAttempts":3},"rateLimits":[{"limit":10,"duration":"1m"}],"schedule":{"pause":"0 18 * * *","resume":"0 8 * * *"},"randomWait":{"min":"1s","max":"5s"}},` +
		`"sink":{"type":"webhook","url":"https://hooks.example.com/intuned","skipOnFail":true},` +
		`"authSession":{"id":"my-auth-session"},` +
		`"metadata":{"level":2,"owners":["ana","bo"],"team":"pricing"}}`
	item := sdk.QueueItemAppendRequest{APIName: "scrape-product", Parameters: sdk.ParametersObject{"url": "https://shop.example.com/p/1"}, Retry: &sdk.RunRetry{MaximumAttempts: 2}}
	repeat := sdk.QueueRepeatItemRequest{APIName: "scrape-product", Parameters: sdk.ParametersArray{1, 2}, Retry: &sdk.RunRetry{MaximumAttempts: 2}, Repeat: "1h"}
	repeatJSON := `{"apiName":"scrape-product","parameters":[1,2],"retry":{"maximumAttempts":2},"repeat":"1h"}`

	checkWire(t, []wireCase{
		{golden: "queues_all", status: 200, body: emptyListOK, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.All(ctx, "my-project")
			return err
		}},
		{golden: "queues_one", status: 200, body: queueOK, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.One(ctx, "my-project", "product-pages")
			return err
		}},
		{golden: "queues_delete", status: 204, call: func(ctx context.Context, c *sdk.Client) error {
			return c.Project.Queues.Delete(ctx, "my-project", "product-pages")
		}},

		// queues.create. configuration is required but nullable: a nil
		// Configuration travels as "configuration": null.
		{golden: "queues_create_minimal", status: 201, body: queueCreatedOK, exact: `{"configuration":null}`, call: create(sdk.QueueCreateRequest{})},
		{golden: "queues_create_full", status: 201, body: queueCreatedOK, exact: fullJSON, call: create(full)},
		// runMode "Default" is written when left empty; the sink's
		// skipOnFail: false likewise.
		{golden: "queues_create_defaults", status: 201, body: queueCreatedOK,
			exact: `{"id":"product-pages","configuration":{"runMode":"Default"},"sink":{"type":"webhook","url":"https://hooks.example.com/intuned","skipOnFail":false},"metadata":{}}`,
			call: create(sdk.QueueCreateRequest{ID: sdk.Ptr("product-pages"), Configuration: &sdk.QueueConfiguration{},
				Sink: sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: "https://hooks.example.com/intuned"}), Metadata: sdk.NullableOf(map[string]any{})})},
		{golden: "queues_create_random_wait_milliseconds", status: 201, body: queueCreatedOK,
			exact: `{"configuration":{"runMode":"Default","randomWait":{"min":1000,"max":5000.5}}}`,
			call:  create(sdk.QueueCreateRequest{Configuration: &sdk.QueueConfiguration{RandomWait: sdk.RandomWaitMilliseconds{Min: 1000, Max: sdk.MillisecondsOf(5000500 * time.Microsecond)}}})},
		{golden: "queues_create_random_wait_durations", status: 201, body: queueCreatedOK,
			exact: `{"configuration":{"runMode":"Default","rateLimits":[{"limit":1,"duration":"90s"},{"limit":100,"duration":"1d"}],"randomWait":{"min":"1s","max":"90s"}}}`,
			call: create(sdk.QueueCreateRequest{Configuration: &sdk.QueueConfiguration{
				RateLimits: []sdk.RateLimit{{Limit: 1, Duration: sdk.DurationOf(90 * time.Second)}, {Limit: 100, Duration: sdk.DurationOf(24 * time.Hour)}},
				RandomWait: sdk.RandomWaitDurations{Min: sdk.DurationOf(time.Second), Max: sdk.DurationOf(90 * time.Second)},
			}})},

		// Items.
		{golden: "queues_items_append_full", status: 201, body: itemAddedOK,
			exact: `{"apiName":"scrape-product","parameters":{"url":"https://shop.example.com/p/1"},"retry":{"maximumAttempts":2}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Queues.Items.Append(ctx, "my-project", "product-pages", item)
				return err
			}},
		{golden: "queues_items_append_minimal", status: 201, body: itemAddedOK, exact: `{"apiName":"scrape-product"}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.ProjectQueuesItemsAppend(ctx, c, "my-project", "product-pages", sdk.QueueItemAppendRequest{APIName: "scrape-product"})
				return err
			}},
		{golden: "queues_items_append_array", status: 201, body: itemAddedOK, exact: `{"apiName":"scrape-product","parameters":["a",{"b":true}]}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Queues.Items.Append(ctx, "my-project", "product-pages", sdk.QueueItemAppendRequest{APIName: "scrape-product", Parameters: sdk.ParametersArray{"a", map[string]any{"b": true}}})
				return err
			}},
		{golden: "queues_items_result", status: 200, body: itemQueuedOK, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.Items.Result(ctx, "my-project", "product-pages", "item-run-1")
			return err
		}},
		{golden: "queues_items_delete", status: 204, call: func(ctx context.Context, c *sdk.Client) error {
			return c.Project.Queues.Items.Delete(ctx, "my-project", "product-pages", "item-run-1")
		}},

		// Repeat items: the same body on append (POST) and update (PUT).
		{golden: "queues_repeat_items_all", status: 200, body: emptyListOK, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.RepeatItems.All(ctx, "my-project", "product-pages")
			return err
		}},
		{golden: "queues_repeat_items_append_full", status: 201, body: repeatAddedOK, exact: repeatJSON,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Queues.RepeatItems.Append(ctx, "my-project", "product-pages", repeat)
				return err
			}},
		{golden: "queues_repeat_items_append_minimal", status: 201, body: repeatAddedOK, exact: `{"apiName":"scrape-product","repeat":"10m"}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Queues.RepeatItems.Append(ctx, "my-project", "product-pages", sdk.QueueRepeatItemRequest{APIName: "scrape-product", Repeat: sdk.DurationOf(10 * time.Minute)})
				return err
			}},
		{golden: "queues_repeat_items_one", status: 200, body: repeatItemOK, call: func(ctx context.Context, c *sdk.Client) error {
			_, err := c.Project.Queues.RepeatItems.One(ctx, "my-project", "product-pages", "repeat-1")
			return err
		}},
		{golden: "queues_repeat_items_update", status: 200, body: repeatUpdatedOK, exact: repeatJSON,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Queues.RepeatItems.Update(ctx, "my-project", "product-pages", "repeat-1", repeat)
				return err
			}},
		{golden: "queues_repeat_items_update_minimal", status: 200, body: repeatUpdatedOK, exact: `{"apiName":"scrape-product","repeat":"1d"}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.ProjectQueuesRepeatItemsUpdate(ctx, c, "my-project", "product-pages", "repeat-1", sdk.QueueRepeatItemRequest{APIName: "scrape-product", Repeat: sdk.DurationOf(24 * time.Hour)})
				return err
			}},
		{golden: "queues_repeat_items_delete", status: 204, call: func(ctx context.Context, c *sdk.Client) error {
			return c.Project.Queues.RepeatItems.Delete(ctx, "my-project", "product-pages", "repeat-1")
		}},
	})
}
