package intunedtest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// Test code that updates auth sessions against the fake: script the
// operation, hand the code under test a client, then inspect the requests.
func ExampleNewServer() {
	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("my-project", "my-auth-session"))
	defer srv.Close()
	srv.Script("my-auth-session", intunedtest.Pending(1), intunedtest.OTP("Enter the code", "123456"), intunedtest.Done(""))

	client := srv.Client() // pointed at the fake, with its key and workspace
	id, err := client.Project.AuthSessions.Update.StartAndWait(context.Background(), "my-project",
		sdk.AuthSessionUpdateRequest{ID: "my-auth-session"},
		func(ctx context.Context, req sdk.InfoRequest) (string, error) {
			return "123456", nil
		},
		sdk.WithPolling(sdk.PollConfig{InitialDelay: 5 * time.Millisecond}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("ready:", id)
	for _, r := range srv.Requests() {
		fmt.Println(r.Operation)
	}
	// Output:
	// ready: my-auth-session
	// updateAuthSessionStart
	// updateAuthSessionResult
	// updateAuthSessionResult
	// updateAuthSessionResume
	// updateAuthSessionResult
}

// Script an API's runs, then run it as the code under test would: start it,
// and poll its result until it ends.
func ExampleServer_ScriptAPI() {
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptAPI("scrape-product", intunedtest.Running(2), intunedtest.Completed(200, map[string]any{"title": "Mug"}))

	ctx := context.Background()
	client := srv.Client()
	run, err := client.Project.Run.Start(ctx, "my-project", sdk.RunRequest{API: "scrape-product", Parameters: sdk.ParametersObject{"url": "https://shop.example.com/p/1"}})
	if err != nil {
		log.Fatal(err)
	}
	for {
		res, err := client.Project.Run.Result(ctx, "my-project", run.RunID)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Status())
		if done, ok := res.(sdk.RunCompleted); ok {
			fmt.Println(done.StatusCode, string(done.Result))
			break
		}
	}
	// Output:
	// pending
	// pending
	// completed
	// 200 {"title":"Mug"}
}

// Script what extracting a file finds, then extract it as the code under
// test would: start the extraction and wait for it to finish. The file is
// named by its URL (or, for a file sent in the request, its base64 data).
func ExampleServer_ScriptFile() {
	srv := intunedtest.NewServer()
	defer srv.Close()
	srv.ScriptFile("https://example.com/invoice.pdf",
		intunedtest.Extracting(2),
		intunedtest.ExtractedMarkdown("# Invoice\n\nTotal: 12.50"),
		intunedtest.ExtractedTables(sdk.ExtractedTable{PageNumber: 1, Content: [][]string{{"Item", "Price"}, {"Mug", "12.50"}}}),
	)
	srv.ScriptFile(sdk.FromBytes([]byte("%PDF-1.7 blank")).Data, intunedtest.ExtractionFailed("unreadable_file", "The PDF is blank"))

	ctx := context.Background()
	client := srv.Client()
	poll := sdk.WithPolling(sdk.PollConfig{InitialDelay: 5 * time.Millisecond})
	invoice := sdk.ExtractionRequest{File: sdk.PDF(sdk.FromURL("https://example.com/invoice.pdf"))}
	md, err := client.Files.ExtractMarkdown.StartAndWait(ctx, invoice, poll)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", md.Result)
	tables, err := client.Files.ExtractTables.StartAndWait(ctx, invoice, poll)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tables.Result[0].Content)

	blank := sdk.ExtractionRequest{File: sdk.PDF(sdk.FromBytes([]byte("%PDF-1.7 blank")))}
	_, err = client.Files.ExtractMarkdown.StartAndWait(ctx, blank, poll)
	var failed *sdk.OperationFailedError
	if errors.As(err, &failed) {
		fmt.Println(failed.Code+":", failed.Message)
	}
	// Output:
	// "# Invoice\n\nTotal: 12.50"
	// [[Item Price] [Mug 12.50]]
	// unreadable_file: The PDF is blank
}

// Unit-test a webhook receiver without a fake server: make the payloads a
// sink receives, one of them twice as Intuned may send it, and serve each
// request to the handler. The receiver stores each result once, by run ID.
func ExampleNewSinkRequest() {
	stored := map[string]string{} // by run ID
	receiver := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer my-sink-secret" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		res, err := sdk.ParseSinkResult(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if job, ok := res.(sdk.SinkResultProjectJob); ok {
			stored[job.APIInfo.RunID] = job.APIInfo.Name + " " + string(job.APIInfo.Result.Status())
		}
		w.WriteHeader(http.StatusNoContent)
	})

	secret := http.Header{"Authorization": {"Bearer my-sink-secret"}}
	mug := intunedtest.NewSinkResultProjectJob("scrape-product", sdk.SinkAPICompleted{StatusCode: 200, Result: sdk.RawJSON(`{"title":"Mug"}`)})
	list := intunedtest.NewSinkResultProjectJob("scrape-list", sdk.SinkAPIFailed{StatusCode: 500, Error: "api_error", Message: "The page did not load"})
	for _, req := range []*http.Request{
		intunedtest.NewSinkRequest("/hooks/intuned", mug, secret),
		intunedtest.NewSinkRequest("/hooks/intuned", list, secret),
		intunedtest.NewSinkRequest("/hooks/intuned", mug, secret), // the same result, again
		intunedtest.NewSinkRequest("/hooks/intuned", mug, nil),    // without the secret
	} {
		rec := httptest.NewRecorder()
		receiver.ServeHTTP(rec, req)
		fmt.Println(rec.Code)
	}
	fmt.Println(len(stored), "results:", stored[mug.APIInfo.RunID], "and", stored[list.APIInfo.RunID])
	// Output:
	// 204
	// 204
	// 204
	// 401
	// 2 results: scrape-product completed and scrape-list failed
}
