package intunedtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

func appendItem(t *testing.T, c *sdk.Client, queueID, api string, params sdk.Parameters) string {
	t.Helper()
	added, err := c.Project.Queues.Items.Append(context.Background(), project, queueID, sdk.QueueItemAppendRequest{APIName: api, Parameters: params})
	if err != nil {
		t.Fatal(err)
	}
	if added.Status != "queued" || added.RunID == "" {
		t.Fatalf("append: %+v", added)
	}
	return added.RunID
}

func itemResult(t *testing.T, c *sdk.Client, queueID, runID string) sdk.QueueItemResult {
	t.Helper()
	res, err := c.Project.Queues.Items.Result(context.Background(), project, queueID, runID)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestQueueLifecycle(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	queues := c.Project.Queues

	// Create, with an ID and without; a repeat is a 409.
	in := sdk.QueueCreateRequest{
		ID:            sdk.Ptr("product-pages"),
		Name:          sdk.Ptr("Product pages"),
		Configuration: &sdk.QueueConfiguration{Retry: &sdk.RunRetry{MaximumAttempts: 2}, RateLimits: []sdk.RateLimit{{Limit: 10, Duration: "1m"}}},
		Metadata:      sdk.NullableOf(map[string]any{"team": "pricing"}),
	}
	created, err := queues.Create(ctx, project, in)
	if err != nil || created.ID == nil || *created.ID != "product-pages" {
		t.Fatalf("create: %+v, %v", created, err)
	}
	_, err = queues.Create(ctx, project, in)
	wantStatus(t, "create again", err, 409)
	picked, err := queues.Create(ctx, project, sdk.QueueCreateRequest{})
	if err != nil || picked.ID == nil || *picked.ID == "" {
		t.Fatalf("create without an ID: %+v, %v", picked, err)
	}

	// The queue as sent: configuration null when it was.
	base := "/" + srv.WorkspaceID + "/projects/" + project + "/queues/"
	if code, body := sendRaw(t, srv, "GET", base+*picked.ID, "", ""); code != 200 || body != `{"id":"`+*picked.ID+`","configuration":null}`+"\n" {
		t.Errorf("one without configuration: %d %s", code, body)
	}
	want := `{"id":"product-pages","name":"Product pages","configuration":{"runMode":"Default","retry":{"maximumAttempts":2},"rateLimits":[{"limit":10,"duration":"1m"}]},"metadata":{"team":"pricing"}}` + "\n"
	if code, body := sendRaw(t, srv, "GET", base+"product-pages", "", ""); code != 200 || body != want {
		t.Errorf("one:\n got %d %s\nwant 200 %s", code, body, want)
	}
	list, err := queues.All(ctx, project)
	if err != nil || len(list) != 2 || *list[0].ID != *picked.ID || *list[1].ID != "product-pages" || list[1].Configuration.RunMode != "Default" {
		t.Fatalf("all: %+v, %v", list, err)
	}

	// Items walk their API's script, queued state included.
	id := appendItem(t, c, "product-pages", "scrape-product", sdk.ParametersObject{"url": "u"})
	if q, ok := itemResult(t, c, "product-pages", id).(sdk.QueueItemQueued); !ok || q.RunID != id {
		t.Fatalf("first look: %#v, want queued", q)
	}
	if p, ok := itemResult(t, c, "product-pages", id).(sdk.QueueItemPending); !ok || p.RunID != id {
		t.Fatalf("second look: %#v, want pending", p)
	}
	for i := 0; i < 2; i++ {
		done, ok := itemResult(t, c, "product-pages", id).(sdk.QueueItemCompleted)
		if !ok || done.RunID != id || done.StatusCode != 200 || string(done.Result) != `{"api":"scrape-product","parameters":{"url":"u"}}` {
			t.Fatalf("look %d: %#v", i+3, done)
		}
	}
	// Without parameters, the default result says null.
	noParams := appendItem(t, c, "product-pages", "bare", nil)
	itemResult(t, c, "product-pages", noParams)
	itemResult(t, c, "product-pages", noParams)
	if done := itemResult(t, c, "product-pages", noParams).(sdk.QueueItemCompleted); string(done.Result) != `{"api":"bare","parameters":null}` {
		t.Errorf("no parameters: %s", done.Result)
	}

	srv.ScriptAPI("failing", intunedtest.Queued(2), intunedtest.Running(1), intunedtest.Failed(500, "api_error", "boom"))
	failing := appendItem(t, c, "product-pages", "failing", sdk.ParametersArray{})
	for i, want := range []sdk.QueueItemStatus{sdk.QueueItemStatusQueued, sdk.QueueItemStatusQueued, sdk.QueueItemStatusPending} {
		if got := itemResult(t, c, "product-pages", failing).Status(); got != want {
			t.Errorf("look %d: %s, want %s", i+1, got, want)
		}
	}
	f, ok := itemResult(t, c, "product-pages", failing).(sdk.QueueItemFailed)
	if !ok || f.StatusCode != 500 || string(f.Error) != `{"code":"api_error","message":"boom"}` {
		t.Errorf("failed: %#v (error %s)", f, f.Error)
	}

	// Delete an item: then 404.
	if err := queues.Items.Delete(ctx, project, "product-pages", id); err != nil {
		t.Fatal(err)
	}
	_, err = queues.Items.Result(ctx, project, "product-pages", id)
	wantStatus(t, "result after delete", err, 404)
	wantStatus(t, "delete after delete", queues.Items.Delete(ctx, project, "product-pages", id), 404)
	// Other items stay.
	if _, err := queues.Items.Result(ctx, project, "product-pages", failing); err != nil {
		t.Errorf("another item after a delete: %v", err)
	}

	// Delete the queue: then 404, its items and repeat items with it.
	if _, err := queues.RepeatItems.Append(ctx, project, "product-pages", sdk.QueueRepeatItemRequest{APIName: "a", Repeat: "1h"}); err != nil {
		t.Fatal(err)
	}
	if err := queues.Delete(ctx, project, "product-pages"); err != nil {
		t.Fatal(err)
	}
	_, err = queues.One(ctx, project, "product-pages")
	wantStatus(t, "one after delete", err, 404)
	_, err = queues.Items.Result(ctx, project, "product-pages", failing)
	wantStatus(t, "an item after its queue's delete", err, 404)
	_, err = queues.RepeatItems.All(ctx, project, "product-pages")
	wantStatus(t, "repeat items after the queue's delete", err, 404)
	wantStatus(t, "delete after delete", queues.Delete(ctx, project, "product-pages"), 404)
	// Made again, the queue is empty.
	if _, err := queues.Create(ctx, project, sdk.QueueCreateRequest{ID: sdk.Ptr("product-pages")}); err != nil {
		t.Fatal(err)
	}
	if items, err := queues.RepeatItems.All(ctx, project, "product-pages"); err != nil || len(items) != 0 {
		t.Errorf("repeat items of a new queue: %+v, %v", items, err)
	}
	_, err = queues.Items.Result(ctx, project, "product-pages", failing)
	wantStatus(t, "an old item in a new queue", err, 404)
}

// The item scripts' other steps: FailedWith, RawResult, Completed without a
// result.
func TestQueueItemScripts(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	if _, err := c.Project.Queues.Create(context.Background(), project, sdk.QueueCreateRequest{ID: sdk.Ptr("q")}); err != nil {
		t.Fatal(err)
	}
	srv.ScriptAPI("custom", intunedtest.FailedWith(429, map[string]any{"code": "rate_limited", "retryAfter": 30}))
	srv.ScriptAPI("raw", intunedtest.RawResult(`{"status":"throttled","runId":"r"}`), intunedtest.Completed(200, nil))
	srv.ScriptAPI("malformed", intunedtest.FailedWith(500, "not an object"))

	f := itemResult(t, c, "q", appendItem(t, c, "q", "custom", nil)).(sdk.QueueItemFailed)
	if f.StatusCode != 429 || string(f.Error) != `{"code":"rate_limited","retryAfter":30}` {
		t.Errorf("FailedWith: %#v (error %s)", f, f.Error)
	}
	raw := appendItem(t, c, "q", "raw", nil)
	if u, ok := itemResult(t, c, "q", raw).(sdk.QueueItemResultUnknown); !ok || u.Status() != "throttled" {
		t.Errorf("raw: %#v", u)
	}
	if done, ok := itemResult(t, c, "q", raw).(sdk.QueueItemCompleted); !ok || done.Result != nil {
		t.Errorf("completed without a result: %#v", done)
	}
	// An error that is not an object is sent as scripted, and the SDK
	// refuses it.
	_, err := c.Project.Queues.Items.Result(context.Background(), project, "q", appendItem(t, c, "q", "malformed", nil))
	var rve *sdk.ResponseValidationError
	if !errors.As(err, &rve) {
		t.Errorf("error that is not an object: err = %v, want a *ResponseValidationError", err)
	}
}

func TestQueueErrors(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	queues := c.Project.Queues
	if code, body := sendRaw(t, srv, "GET", "/"+srv.WorkspaceID+"/projects/p/queues", "", ""); code != 200 || body != "[]\n" {
		t.Errorf("all of none: %d %q", code, body)
	}
	if _, err := queues.Create(ctx, project, sdk.QueueCreateRequest{ID: sdk.Ptr("q")}); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"one":    func() error { _, err := queues.One(ctx, project, "none"); return err },
		"delete": func() error { return queues.Delete(ctx, project, "none") },
		"append": func() error {
			_, err := queues.Items.Append(ctx, project, "none", sdk.QueueItemAppendRequest{APIName: "a"})
			return err
		},
		"result":              func() error { _, err := queues.Items.Result(ctx, project, "none", "r"); return err },
		"delete item":         func() error { return queues.Items.Delete(ctx, project, "none", "r") },
		"unknown item":        func() error { _, err := queues.Items.Result(ctx, project, "q", "r"); return err },
		"delete unknown item": func() error { return queues.Items.Delete(ctx, project, "q", "r") },
		"repeat items":        func() error { _, err := queues.RepeatItems.All(ctx, project, "none"); return err },
		"append repeat item": func() error {
			_, err := queues.RepeatItems.Append(ctx, project, "none", sdk.QueueRepeatItemRequest{APIName: "a", Repeat: "1h"})
			return err
		},
		"unknown repeat item": func() error { _, err := queues.RepeatItems.One(ctx, project, "q", "i"); return err },
		"update unknown": func() error {
			_, err := queues.RepeatItems.Update(ctx, project, "q", "i", sdk.QueueRepeatItemRequest{APIName: "a", Repeat: "1h"})
			return err
		},
		"delete unknown":    func() error { return queues.RepeatItems.Delete(ctx, project, "q", "i") },
		"another project's": func() error { _, err := queues.One(ctx, "other", "q"); return err },
		"in another project's": func() error {
			_, err := queues.Items.Append(ctx, "other", "q", sdk.QueueItemAppendRequest{APIName: "a"})
			return err
		},
	} {
		wantStatus(t, name, call(), 404)
	}
	// Bodies the spec refuses.
	base := "/" + srv.WorkspaceID + "/projects/" + project + "/queues"
	refused := []struct{ path, body, where string }{
		{"", `{}`, `"path":["configuration"]`},
		{"", `{"id":"","configuration":null}`, `"path":["id"]`},
		{"", `{"configuration":{}}`, `"path":["configuration","runMode"]`},
		{"", `{"configuration":null,"sink":{"type":"webhook"}}`, `"path":["sink","url"]`},
		{"/q/items", `{"parameters":{}}`, `"path":["apiName"]`},
		{"/q/items", `{"apiName":"a","retry":{}}`, `"path":["retry","maximumAttempts"]`},
		{"/q/repeatItems", `{"apiName":"a"}`, `"path":["repeat"]`},
	}
	for _, tt := range refused {
		if code, got := postRaw(t, srv, base+tt.path, "application/json", tt.body); code != 400 || !strings.Contains(got, tt.where) {
			t.Errorf("POST %s %s: %d %s; want 400 at %s", tt.path, tt.body, code, got, tt.where)
		}
	}
	// Nullable members may be null.
	if code, got := postRaw(t, srv, base, "application/json", `{"id":"n","configuration":null,"sink":null,"authSession":null,"metadata":null}`); code != 201 || got != `{"id":"n"}`+"\n" {
		t.Errorf("null members: %d %s", code, got)
	}
	if code, got := postRaw(t, srv, base+"/q/items", "application/json", `{"apiName":"a"}`); code != 201 || !strings.Contains(got, `"status":"queued"`) {
		t.Errorf("append on the wire: %d %s", code, got)
	}
}

func TestRepeatItems(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	ri := c.Project.Queues.RepeatItems
	if _, err := c.Project.Queues.Create(ctx, project, sdk.QueueCreateRequest{ID: sdk.Ptr("q")}); err != nil {
		t.Fatal(err)
	}
	added, err := ri.Append(ctx, project, "q", sdk.QueueRepeatItemRequest{APIName: "daily", Parameters: sdk.ParametersObject{"a": 1}, Retry: &sdk.RunRetry{MaximumAttempts: 2}, Repeat: "1d"})
	if err != nil || added.ID == "" || added.Status != "repeatable item created" {
		t.Fatalf("append: %+v, %v", added, err)
	}
	second, err := ri.Append(ctx, project, "q", sdk.QueueRepeatItemRequest{APIName: "tenminutes", Repeat: "600s"})
	if err != nil {
		t.Fatalf("append, exactly 10 minutes: %v", err)
	}
	list, err := ri.All(ctx, project, "q")
	if err != nil || len(list) != 2 || list[0].ID != added.ID || list[1].ID != second.ID {
		t.Fatalf("all: %+v, %v", list, err)
	}
	one, err := ri.One(ctx, project, "q", added.ID)
	if err != nil || one.APIName != "daily" || one.Repeat != "1d" || one.Retry == nil || one.Retry.MaximumAttempts != 2 || one.LastRunID != nil {
		t.Fatalf("one: %+v, %v", one, err)
	}
	if b, _ := json.Marshal(one.Parameters); string(b) != `{"a":1}` {
		t.Errorf("parameters %s", b)
	}
	updated, err := ri.Update(ctx, project, "q", added.ID, sdk.QueueRepeatItemRequest{APIName: "hourly", Repeat: "1h"})
	if err != nil || updated.Message == nil || *updated.Message != "repeatable item updated" {
		t.Fatalf("update: %+v, %v", updated, err)
	}
	one, _ = ri.One(ctx, project, "q", added.ID)
	if one.ID != added.ID || one.APIName != "hourly" || one.Repeat != "1h" || one.Parameters != nil || one.Retry != nil {
		t.Errorf("after update: %+v", one)
	}
	code, body := sendRaw(t, srv, "GET", "/"+srv.WorkspaceID+"/projects/"+project+"/queues/q/repeatItems/"+added.ID, "", "")
	if want := `{"apiName":"hourly","repeat":"1h","id":"` + added.ID + `"}` + "\n"; code != 200 || body != want {
		t.Errorf("one on the wire: %d %s, want %s", code, body, want)
	}

	// The 10-minute rule, on append and update: the SDK refuses to send a
	// shorter repeat, and the fake refuses one sent anyway.
	for _, repeat := range []sdk.Duration{"9m", "599s", "5000ms", "0s"} {
		_, err := ri.Append(ctx, project, "q", sdk.QueueRepeatItemRequest{APIName: "a", Repeat: repeat})
		var ae *sdk.ArgumentError
		if !errors.As(err, &ae) || ae.Path != "repeat" {
			t.Errorf("append every %s: %v, want an *ArgumentError at repeat", repeat, err)
		}
		for _, method := range []string{"POST", "PUT"} {
			path := "/" + srv.WorkspaceID + "/projects/" + project + "/queues/q/repeatItems"
			if method == "PUT" {
				path += "/" + added.ID
			}
			code, body := sendRaw(t, srv, method, path, "application/json", `{"apiName":"a","repeat":"`+string(repeat)+`"}`)
			if code != 400 || !strings.Contains(body, `"path":["repeat"]`) {
				t.Errorf("%s every %s: %d %s, want a 400 at repeat", method, repeat, code, body)
			}
		}
	}
	// A repeat the SDK would refuse to send, sent anyway.
	for _, body := range []string{`{"apiName":"a","repeat":"soon"}`, `{"apiName":"a","repeat":"1w"}`, `{"apiName":"a","repeat":"99999999999d"}`} {
		code, got := postRaw(t, srv, "/"+srv.WorkspaceID+"/projects/"+project+"/queues/q/repeatItems", "application/json", body)
		if code != 400 || !strings.Contains(got, `"path":["repeat"]`) {
			t.Errorf("%s: %d %s", body, code, got)
		}
	}
	if one, _ := ri.One(ctx, project, "q", added.ID); one.APIName != "hourly" {
		t.Errorf("a refused update changed the item: %+v", one)
	}

	if err := ri.Delete(ctx, project, "q", added.ID); err != nil {
		t.Fatal(err)
	}
	_, err = ri.One(ctx, project, "q", added.ID)
	wantStatus(t, "one after delete", err, 404)
	wantStatus(t, "delete after delete", ri.Delete(ctx, project, "q", added.ID), 404)
	if list, _ := ri.All(ctx, project, "q"); len(list) != 1 || list[0].ID != second.ID {
		t.Errorf("all after delete: %+v", list)
	}
}
