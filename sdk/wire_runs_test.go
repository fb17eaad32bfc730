package sdk_test

import (
	"context"
	"testing"

	"github.com/intuned/intuned-go/sdk"
)

// wireCase is one call whose request is compared with
// testdata/golden/<golden>.json. The server answers it with status and
// body.
type wireCase struct {
	golden string
	status int
	body   string
	call   func(ctx context.Context, c *sdk.Client) error
	// exact, if set, is the request body byte for byte: the golden files
	// compare bodies with sorted keys, this checks that keys travel in the
	// model's field order.
	exact string
}

// checkWire runs each case against its own server and compares the one
// request it sends with its golden file. A request with a body says it is
// JSON; a request without one has no Content-Type.
func checkWire(t *testing.T, cases []wireCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.golden, func(t *testing.T) {
			s := newServer(t, reply(tt.status, tt.body))
			if tt.body == "" {
				s = newServer(t, raw(tt.status, "", ""))
			}
			if err := tt.call(context.Background(), newClient(t, s)); err != nil {
				t.Fatal(err)
			}
			reqs := s.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			ct := r.Header.Values("Content-Type")
			if len(r.Body) == 0 && len(ct) != 0 {
				t.Errorf("a request without a body has Content-Type %q", ct)
			}
			if len(r.Body) != 0 && (len(ct) != 1 || ct[0] != "application/json") {
				t.Errorf("a request with a body has Content-Type %q, want application/json", ct)
			}
			if tt.exact != "" && string(r.Body) != tt.exact {
				t.Errorf("body =\n%s\nwant\n%s", r.Body, tt.exact)
			}
			checkGolden(t, tt.golden, r)
		})
	}
}

func TestWireRuns(t *testing.T) {
	noLeaks(t)
	full := sdk.RunRequest{
		API:         "scrape-product",
		Parameters:  sdk.ParametersObject{"url": "https://shop.example.com/p/1"},
		Retry:       &sdk.RunRetry{MaximumAttempts: 3},
		AuthSession: &sdk.AuthSessionRef{ID: "my-auth-session"},
		Proxy:       sdk.Ptr("http://user:pass@proxy.example.com:8080"),
	}
	fullJSON := `{"api":"scrape-product","parameters":{"url":"https://shop.example.com/p/1"},"retry":{"maximumAttempts":3},"authSession":{"id":"my-auth-session"},"proxy":"http://user:pass@proxy.example.com:8080"}`
	checkWire(t, []wireCase{
		{golden: "run_sync_full", status: 200, body: runCompletedOK, exact: fullJSON,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Run.Sync(ctx, "my-project", full)
				return err
			}},
		{golden: "run_sync_minimal", status: 200, body: runCompletedOK, exact: `{"api":"scrape-product","parameters":{}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Run.Sync(ctx, "my-project", sdk.RunRequest{API: "scrape-product", Parameters: sdk.ParametersObject{}})
				return err
			}},
		{golden: "run_sync_array", status: 200, body: `{"status":"failed","runId":"run-1234","statusCode":500,"error":"api_error","message":"The page did not load"}`,
			exact: `{"api":"scrape-product","parameters":[1,"two",{"three":3}]}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.ProjectRunSync(ctx, c, "my-project", sdk.RunRequest{API: "scrape-product", Parameters: sdk.ParametersArray{1, "two", map[string]any{"three": 3}}})
				return err
			}},
		// A nil ParametersObject is still parameters: it travels as {}.
		{golden: "run_sync_nil_object", status: 200, body: runCompletedOK, exact: `{"api":"scrape-product","parameters":{}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Run.Sync(ctx, "my-project", sdk.RunRequest{API: "scrape-product", Parameters: sdk.ParametersObject(nil)})
				return err
			}},
		{golden: "run_start_full", status: 201, body: runPendingOK, exact: fullJSON,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Run.Start(ctx, "my-project", full)
				return err
			}},
		{golden: "run_start_minimal", status: 201, body: runPendingOK,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.ProjectRunStart(ctx, c, "my-project", sdk.RunRequest{API: "scrape-product", Parameters: sdk.ParametersRaw(`{"big":12345678901234567890}`)})
				return err
			}},
		{golden: "run_result", status: 200, body: runPendingOK,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Project.Run.Result(ctx, "my-project", "run-1234")
				return err
			}},
	})
}
