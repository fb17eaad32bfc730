package sdk_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// Extract the tables of pages 1 and 2 of a PDF the service downloads. The
// fake stands in for the API: the extraction is pending once, then finds a
// table without a title.
func ExampleFilesExtractTablesService_StartAndWait() {
	api := exampleAPI()
	defer api.Close()
	api.ScriptFile("https://example.com/invoice.pdf", intunedtest.Extracting(1),
		intunedtest.ExtractedTables(sdk.ExtractedTable{PageNumber: 2, Content: [][]string{{"Item", "Price"}, {"Mug", "12.50"}}}))
	client := exampleClient(api.URL)

	file := sdk.PDF(sdk.FromURL("https://example.com/invoice.pdf"), 1, 2)
	tables, err := client.Files.ExtractTables.StartAndWait(context.Background(), sdk.ExtractionRequest{File: file},
		sdk.WithPolling(sdk.PollConfig{InitialDelay: 10 * time.Millisecond}))
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tables.Result {
		fmt.Println("page", t.PageNumber, "untitled:", t.Title == nil, t.Content)
	}
	// Output: page 2 untitled: true [[Item Price] [Mug 12.50]]
}

// Extract data matching a JSON Schema from an image sent in the request,
// and decode it into a type of your own.
func ExampleFilesExtractStructuredDataService_StartAndWait() {
	api := exampleAPI()
	defer api.Close()
	png := []byte("\x89PNG\r\n\x1a\n...")
	api.ScriptFile(sdk.FromBytes(png).Data, intunedtest.ExtractedData(map[string]any{"total": 12.5, "currency": "EUR"}))
	client := exampleClient(api.URL)

	file, err := sdk.DetectFile(png) // an image, from its bytes
	if err != nil {
		log.Fatal(err)
	}
	data, err := client.Files.ExtractStructuredData.StartAndWait(context.Background(), sdk.StructuredDataExtractionRequest{
		File: file,
		DataSchema: map[string]any{
			"type":       "object",
			"properties": map[string]any{"total": map[string]any{"type": "number"}, "currency": map[string]any{"type": "string"}},
		},
		Strategy: sdk.StrategyImage{Model: sdk.ImageModelGPT4o},
		Prompt:   sdk.Ptr("The total is at the bottom right."),
	}, sdk.WithPolling(sdk.PollConfig{InitialDelay: 10 * time.Millisecond}))
	if err != nil {
		log.Fatal(err)
	}
	var receipt struct {
		Total    float64
		Currency string
	}
	if err := data.DecodeResult(&receipt); err != nil {
		log.Fatal(err)
	}
	fmt.Println(receipt.Total, receipt.Currency)
	// Output: 12.5 EUR
}

// Sync answers when the extraction has finished, with the markdown or the
// failure.
func ExampleFilesExtractMarkdownService_Sync() {
	api := exampleAPI()
	defer api.Close()
	api.ScriptFile("https://example.com/scan.png", intunedtest.ExtractionFailed("unreadable_file", "The image is blank"))
	client := exampleClient(api.URL)

	res, err := client.Files.ExtractMarkdown.Sync(context.Background(), sdk.ExtractionRequest{File: sdk.Image(sdk.FromURL("https://example.com/scan.png"))})
	if err != nil {
		log.Fatal(err)
	}
	switch r := res.(type) {
	case sdk.MarkdownExtractionCompleted:
		fmt.Println(r.Result)
	case sdk.ExtractionFailed:
		fmt.Println("failed:", r.Error, r.Message)
	}
	// Output: failed: unreadable_file The image is blank
}

// A file read from disk or a reader is bounded: what is over the limit is
// refused before anything is sent.
func ExampleFromReader() {
	_, err := sdk.FromReader(bytes.NewReader(make([]byte, 2048)), 1024)
	fmt.Println(errors.Is(err, sdk.ErrInvalidArgument), err)
	// Output: true intuned: file is larger than 1024 bytes, the limit
}
