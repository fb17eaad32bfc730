package sdk_test

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/intuned/intuned-go/sdk"
)

// Small files, by their magic bytes.
var (
	pdfBytes  = []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
	pngBytes  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	jpegBytes = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
)

// b64 is b in standard base64, as FromBytes sends it.
func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// invoiceSchema is a JSON Schema as a caller's own Go type.
type invoiceSchema struct {
	Type       string                    `json:"type"`
	Properties map[string]schemaProperty `json:"properties"`
	Required   []string                  `json:"required,omitempty"`
}

type schemaProperty struct {
	Type        string `json:"type"`
	Description string `json:"description,omitempty"`
}

// The request of every file operation: the method, the raw path under the
// workspace (no project), the headers and the body, keys in the models'
// order: file (type, source (type, data), pages), dataSchema, strategy
// (type, model), prompt.
func TestWireFiles(t *testing.T) {
	noLeaks(t)
	const (
		pdfURL = "https://example.com/invoice.pdf"
		pngURL = "https://example.com/receipt.png"
	)
	pdfURLFile := `{"type":"pdf","source":{"type":"url","data":"` + pdfURL + `"}}`
	checkWire(t, []wireCase{
		// Markdown: every file and source, pages or not.
		{golden: "files_markdown_sync_image_url", status: 200, body: markdownDoneOK,
			exact: `{"file":{"type":"image","source":{"type":"url","data":"` + pngURL + `"}}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractMarkdown.Sync(ctx, sdk.ExtractionRequest{File: sdk.Image(sdk.FromURL(pngURL))})
				return err
			}},
		{golden: "files_markdown_sync_image_base64", status: 200, body: markdownDoneOK,
			exact: `{"file":{"type":"image","source":{"type":"base64","data":"` + b64(pngBytes) + `"}}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.FilesExtractMarkdownSync(ctx, c, sdk.ExtractionRequest{File: sdk.Image(sdk.FromBytes(pngBytes))})
				return err
			}},
		{golden: "files_markdown_sync_pdf_url", status: 200, body: markdownDoneOK,
			exact: `{"file":` + pdfURLFile + `}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractMarkdown.Sync(ctx, sdk.ExtractionRequest{File: sdk.PDF(sdk.FromURL(pdfURL))})
				return err
			}},
		{golden: "files_markdown_sync_pdf_url_pages", status: 200, body: markdownDoneOK,
			exact: `{"file":{"type":"pdf","source":{"type":"url","data":"` + pdfURL + `"},"pages":[1,3,12]}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractMarkdown.Sync(ctx, sdk.ExtractionRequest{File: sdk.PDF(sdk.FromURL(pdfURL), 1, 3, 12)})
				return err
			}},
		{golden: "files_markdown_start_pdf_base64", status: 201, body: extractionPendingOK,
			exact: `{"file":{"type":"pdf","source":{"type":"base64","data":"` + b64(pdfBytes) + `"}}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractMarkdown.Start(ctx, sdk.ExtractionRequest{File: sdk.PDF(sdk.FromBytes(pdfBytes))})
				return err
			}},
		// The generated types, built by hand, send the same as the builders.
		{golden: "files_markdown_start_pdf_base64_pages", status: 201, body: extractionPendingOK,
			exact: `{"file":{"type":"pdf","source":{"type":"base64","data":"` + b64(pdfBytes) + `"},"pages":[2]}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.FilesExtractMarkdownStart(ctx, c, sdk.ExtractionRequest{File: sdk.FilePDF{Source: sdk.FileSourceBase64{Data: b64(pdfBytes)}, Pages: []int{2}}})
				return err
			}},
		{golden: "files_markdown_result", status: 200, body: markdownDoneOK,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractMarkdown.Result(ctx, "extract-1234")
				return err
			}},
		// An operation ID that needs escaping travels as one segment.
		{golden: "files_markdown_result_escaped", status: 200, body: extractionPendingOK,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.FilesExtractMarkdownResult(ctx, c, "extract 1/2?é#")
				return err
			}},

		// Tables.
		{golden: "files_tables_sync_image_base64", status: 200, body: tablesDoneOK,
			exact: `{"file":{"type":"image","source":{"type":"base64","data":"` + b64(jpegBytes) + `"}}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractTables.Sync(ctx, sdk.ExtractionRequest{File: sdk.Image(sdk.FromBytes(jpegBytes))})
				return err
			}},
		{golden: "files_tables_sync_pdf_url_pages", status: 200, body: tablesDoneOK,
			exact: `{"file":{"type":"pdf","source":{"type":"url","data":"` + pdfURL + `"},"pages":[1]}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.FilesExtractTablesSync(ctx, c, sdk.ExtractionRequest{File: sdk.PDF(sdk.FromURL(pdfURL), 1)})
				return err
			}},
		{golden: "files_tables_start_image_url", status: 201, body: extractionPendingOK,
			exact: `{"file":{"type":"image","source":{"type":"url","data":"` + pngURL + `"}}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractTables.Start(ctx, sdk.ExtractionRequest{File: sdk.FileImage{Source: sdk.FileSourceURL{Data: pngURL}}})
				return err
			}},
		{golden: "files_tables_start_pdf_base64", status: 201, body: extractionPendingOK,
			exact: `{"file":{"type":"pdf","source":{"type":"base64","data":"` + b64(pdfBytes) + `"},"pages":[3,1]}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.FilesExtractTablesStart(ctx, c, sdk.ExtractionRequest{File: sdk.PDF(sdk.FromBytes(pdfBytes), 3, 1)})
				return err
			}},
		{golden: "files_tables_result_escaped", status: 200, body: tablesDoneOK,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractTables.Result(ctx, "a/b c%2F")
				return err
			}},

		// Structured data: the data schema as a map (its keys sorted, as
		// encoding/json writes a map), no strategy, no prompt.
		{golden: "files_structured_sync_map", status: 200, body: structuredDoneOK,
			exact: `{"file":` + pdfURLFile + `,"dataSchema":{"properties":{"total":{"type":"number"}},"required":["total"],"type":"object"}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractStructuredData.Sync(ctx, sdk.StructuredDataExtractionRequest{
					File: sdk.PDF(sdk.FromURL(pdfURL)),
					DataSchema: map[string]any{"type": "object", "required": []any{"total"},
						"properties": map[string]any{"total": map[string]any{"type": "number"}}},
				})
				return err
			}},
		// As raw JSON: kept as written, its keys in their order and its
		// numbers exactly, only compacted.
		{golden: "files_structured_sync_raw", status: 200, body: structuredDoneOK,
			exact: `{"file":` + pdfURLFile + `,"dataSchema":{"type":"object","properties":{"total":{"type":"number","maximum":12345678901234567890,"multipleOf":0.01}},"z":1,"a":[]}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractStructuredData.Sync(ctx, sdk.StructuredDataExtractionRequest{
					File: sdk.PDF(sdk.FromURL(pdfURL)),
					DataSchema: sdk.RawJSON(`{ "type" : "object",
						"properties": { "total": { "type": "number", "maximum": 12345678901234567890, "multipleOf": 0.01 } },
						"z": 1, "a": [ ] }`),
				})
				return err
			}},
		// As a struct of the caller's own type, with a strategy reading the
		// markdown with a text model, and a prompt.
		{golden: "files_structured_sync_struct_markdown_strategy", status: 200, body: structuredDoneOK,
			exact: `{"file":{"type":"image","source":{"type":"url","data":"` + pngURL + `"}},` +
				`"dataSchema":{"type":"object","properties":{"total":{"type":"number","description":"The amount due"}},"required":["total"]},` +
				`"strategy":{"type":"MARKDOWN","model":"gpt-3.5-turbo-0125"},"prompt":"The total is at the bottom right."}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.FilesExtractStructuredDataSync(ctx, c, sdk.StructuredDataExtractionRequest{
					File: sdk.Image(sdk.FromURL(pngURL)),
					DataSchema: invoiceSchema{Type: "object", Required: []string{"total"},
						Properties: map[string]schemaProperty{"total": {Type: "number", Description: "The amount due"}}},
					Strategy: sdk.StrategyMarkdown{Model: sdk.TextModelGPT35Turbo0125},
					Prompt:   sdk.Ptr("The total is at the bottom right."),
				})
				return err
			}},
		// A pointer to the caller's struct, and an image strategy.
		{golden: "files_structured_start_image_strategy", status: 201, body: extractionPendingOK,
			exact: `{"file":{"type":"image","source":{"type":"base64","data":"` + b64(pngBytes) + `"}},` +
				`"dataSchema":{"type":"object","properties":{"total":{"type":"number"}}},` +
				`"strategy":{"type":"IMAGE","model":"claude-3-5-sonnet-20240620"}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractStructuredData.Start(ctx, sdk.StructuredDataExtractionRequest{
					File:       sdk.Image(sdk.FromBytes(pngBytes)),
					DataSchema: &invoiceSchema{Type: "object", Properties: map[string]schemaProperty{"total": {Type: "number"}}},
					Strategy:   sdk.StrategyImage{Model: sdk.ImageModelClaude35Sonnet20240620},
				})
				return err
			}},
		// A PDF's pages, a prompt without a strategy, and an empty schema.
		{golden: "files_structured_start_pdf_pages_prompt", status: 201, body: extractionPendingOK,
			exact: `{"file":{"type":"pdf","source":{"type":"base64","data":"` + b64(pdfBytes) + `"},"pages":[1,2]},"dataSchema":{},"prompt":"Only the first table."}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.FilesExtractStructuredDataStart(ctx, c, sdk.StructuredDataExtractionRequest{
					File:       sdk.PDF(sdk.FromBytes(pdfBytes), 1, 2),
					DataSchema: map[string]any{},
					Prompt:     sdk.Ptr("Only the first table."),
				})
				return err
			}},
		// Every text model and image model name travels as spelled in the
		// contract; two of the odd ones here.
		{golden: "files_structured_start_markdown_strategy", status: 201, body: extractionPendingOK,
			exact: `{"file":` + pdfURLFile + `,"dataSchema":{"type":"object"},"strategy":{"type":"MARKDOWN","model":"claude-3.5-sonnet"}}`,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractStructuredData.Start(ctx, sdk.StructuredDataExtractionRequest{
					File:       sdk.PDF(sdk.FromURL(pdfURL)),
					DataSchema: sdk.RawJSON(`{"type":"object"}`),
					Strategy:   sdk.StrategyMarkdown{Model: sdk.TextModelClaude3Dot5Sonnet},
				})
				return err
			}},
		{golden: "files_structured_result_escaped", status: 200, body: structuredDoneOK,
			call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractStructuredData.Result(ctx, "op/1 ü")
				return err
			}},
	})
}

// The model names are the contract's, one by one.
func TestModelNames(t *testing.T) {
	image := map[sdk.ImageModel]string{
		sdk.ImageModelClaude3Haiku: "claude-3-haiku", sdk.ImageModelClaude3Haiku20240307: "claude-3-haiku-20240307",
		sdk.ImageModelClaude3Opus: "claude-3-opus", sdk.ImageModelClaude3Opus20240229: "claude-3-opus-20240229",
		sdk.ImageModelClaude3Sonnet: "claude-3-sonnet", sdk.ImageModelClaude3Sonnet20240229: "claude-3-sonnet-20240229",
		sdk.ImageModelClaude3Dot5Sonnet: "claude-3.5-sonnet", sdk.ImageModelClaude35Sonnet20240620: "claude-3-5-sonnet-20240620",
		sdk.ImageModelGPT4Turbo: "gpt4-turbo", sdk.ImageModelGPT4Turbo20240409: "gpt-4-turbo-2024-04-09",
		sdk.ImageModelGPT4o: "gpt-4o", sdk.ImageModelGPT4o20240513: "gpt-4o-2024-05-13",
	}
	text := map[sdk.TextModel]string{
		sdk.TextModelClaude3Haiku: "claude-3-haiku", sdk.TextModelClaude3Haiku20240307: "claude-3-haiku-20240307",
		sdk.TextModelClaude3Opus: "claude-3-opus", sdk.TextModelClaude3Opus20240229: "claude-3-opus-20240229",
		sdk.TextModelClaude3Sonnet: "claude-3-sonnet", sdk.TextModelClaude3Sonnet20240229: "claude-3-sonnet-20240229",
		sdk.TextModelClaude3Dot5Sonnet: "claude-3.5-sonnet", sdk.TextModelClaude35Sonnet20240620: "claude-3-5-sonnet-20240620",
		sdk.TextModelGPT4Turbo: "gpt4-turbo", sdk.TextModelGPT4Turbo20240409: "gpt-4-turbo-2024-04-09",
		sdk.TextModelGPT4o: "gpt-4o", sdk.TextModelGPT4o20240513: "gpt-4o-2024-05-13",
		sdk.TextModelGPT3Dot5Turbo: "gpt3.5-turbo", sdk.TextModelGPT35Turbo0125: "gpt-3.5-turbo-0125",
	}
	for m, want := range image {
		if string(m) != want {
			t.Errorf("image model %q, want %q", m, want)
		}
	}
	for m, want := range text {
		if string(m) != want {
			t.Errorf("text model %q, want %q", m, want)
		}
	}
}
