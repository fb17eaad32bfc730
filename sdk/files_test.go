package sdk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/intuned/intuned-go/internal/testdiff"
	"github.com/intuned/intuned-go/sdk"
)

func TestFromURLAndFromBytes(t *testing.T) {
	if got := sdk.FromURL("https://example.com/a b.pdf"); got != (sdk.FileSourceURL{Data: "https://example.com/a b.pdf"}) {
		t.Errorf("FromURL = %#v", got)
	}
	// Standard base64: + and /, with padding.
	for _, tt := range []struct {
		in   []byte
		want string
	}{
		{[]byte{0xfb, 0xff, 0xbf}, "+/+/"},
		{[]byte{0xfb, 0xff}, "+/8="},
		{[]byte("%PDF-"), "JVBERi0="},
		{pngBytes, b64(pngBytes)},
	} {
		if got := sdk.FromBytes(tt.in); got != (sdk.FileSourceBase64{Data: tt.want}) {
			t.Errorf("FromBytes(%q) = %#v, want %q", tt.in, got, tt.want)
		}
	}
	if got := sdk.FromBytes(nil); got.Data != "" {
		t.Errorf("FromBytes(nil) = %#v", got)
	}
	if got := sdk.Image(sdk.FromURL("u")); got != (sdk.FileImage{Source: sdk.FileSourceURL{Data: "u"}}) {
		t.Errorf("Image = %#v", got)
	}
	if d := testdiff.Diff(sdk.FilePDF{Source: sdk.FileSourceURL{Data: "u"}, Pages: []int{4, 2}}, sdk.PDF(sdk.FromURL("u"), 4, 2)); d != "" {
		t.Errorf("PDF with pages:\n%s", d)
	}
	if p := sdk.PDF(sdk.FromURL("u")); p.Pages != nil {
		t.Errorf("PDF without pages has Pages %#v, want nil (all pages: the key is left out)", p.Pages)
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// failingReader gives some bytes, then an error.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestFromReader(t *testing.T) {
	content := []byte("0123456789")
	for _, tt := range []struct {
		name string
		size int
		max  int64
		ok   bool
	}{
		{"under the bound", 9, 10, true},
		{"at the bound", 10, 10, true},
		{"over the bound", 11, 10, false},
		{"far over the bound", 10, 1, false},
		{"empty", 0, 10, true},
		{"default bound", 10, 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := bytes.Repeat([]byte("x"), tt.size)
			if tt.size <= len(content) {
				in = content[:tt.size]
			}
			r := &countingReader{r: bytes.NewReader(in)}
			got, err := sdk.FromReader(r, tt.max)
			if tt.ok {
				if err != nil || got != sdk.FromBytes(in) {
					t.Fatalf("FromReader = %#v, %v; want FromBytes of the %d bytes", got, err, tt.size)
				}
				return
			}
			checkArgumentError(t, err, "", fmt.Sprintf("larger than %d bytes, the limit", tt.max))
			if got != (sdk.FileSourceBase64{}) {
				t.Errorf("FromReader returned %#v with its error", got)
			}
			if r.n > tt.max+1 {
				t.Errorf("read %d bytes, want at most %d: reading stops one byte past the bound", r.n, tt.max+1)
			}
		})
	}

	t.Run("default bound is DefaultMaxFileSize", func(t *testing.T) {
		if sdk.DefaultMaxFileSize != 20<<20 {
			t.Errorf("DefaultMaxFileSize = %d, want 20 MiB", sdk.DefaultMaxFileSize)
		}
		r := &countingReader{r: zeros{}}
		_, err := sdk.FromReader(r, 0)
		checkArgumentError(t, err, "", fmt.Sprintf("larger than %d bytes", sdk.DefaultMaxFileSize))
		if r.n != sdk.DefaultMaxFileSize+1 {
			t.Errorf("read %d bytes of an endless reader, want %d", r.n, sdk.DefaultMaxFileSize+1)
		}
	})

	t.Run("negative bound", func(t *testing.T) {
		r := &countingReader{r: bytes.NewReader(content)}
		_, err := sdk.FromReader(r, -1)
		checkArgumentError(t, err, "", "maximum file size is negative")
		if r.n != 0 {
			t.Errorf("read %d bytes before refusing the bound", r.n)
		}
	})

	t.Run("nil reader", func(t *testing.T) {
		_, err := sdk.FromReader(nil, 0)
		checkArgumentError(t, err, "", "nil")
	})

	t.Run("reader error is wrapped", func(t *testing.T) {
		boom := errors.New("disk on fire")
		_, err := sdk.FromReader(&failingReader{data: []byte("partial"), err: boom}, 0)
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want it to wrap the reader's error", err)
		}
		if errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("err = %v is an argument error; the reader failed", err)
		}
		if !strings.Contains(err.Error(), "disk on fire") {
			t.Errorf("Error() = %q", err)
		}
	})
}

// writeFile writes b to a new file in a temporary directory.
func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// sparseFile makes a file of size bytes without writing them.
func sparseFile(t *testing.T, size int64) string {
	t.Helper()
	p := writeFile(t, "big.pdf", nil)
	if err := os.Truncate(p, size); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFromPath(t *testing.T) {
	t.Run("small file", func(t *testing.T) {
		p := writeFile(t, "invoice.pdf", pdfBytes)
		got, err := sdk.FromPath(p, 0)
		if err != nil || got != sdk.FromBytes(pdfBytes) {
			t.Fatalf("FromPath = %#v, %v", got, err)
		}
		// At the bound.
		if got, err := sdk.FromPath(p, int64(len(pdfBytes))); err != nil || got != sdk.FromBytes(pdfBytes) {
			t.Errorf("FromPath at the bound = %#v, %v", got, err)
		}
	})
	t.Run("empty file", func(t *testing.T) {
		got, err := sdk.FromPath(writeFile(t, "empty", nil), 0)
		if err != nil || got.Data != "" {
			t.Errorf("FromPath = %#v, %v", got, err)
		}
	})
	t.Run("over the default bound, refused before reading", func(t *testing.T) {
		p := sparseFile(t, sdk.DefaultMaxFileSize+1)
		_, err := sdk.FromPath(p, 0)
		// Only the size found before reading is named; reading would say
		// "larger than".
		checkArgumentError(t, err, "", fmt.Sprintf("is %d bytes; the limit is %d", sdk.DefaultMaxFileSize+1, sdk.DefaultMaxFileSize))
		if !strings.Contains(err.Error(), p) {
			t.Errorf("Error() = %q, want it to name the file", err)
		}
	})
	t.Run("over an explicit bound", func(t *testing.T) {
		p := writeFile(t, "invoice.pdf", pdfBytes)
		_, err := sdk.FromPath(p, 10)
		checkArgumentError(t, err, "", fmt.Sprintf("is %d bytes; the limit is 10", len(pdfBytes)))
	})
	t.Run("a huge sparse file", func(t *testing.T) {
		p := sparseFile(t, 1<<40)
		_, err := sdk.FromPath(p, 1<<20)
		checkArgumentError(t, err, "", fmt.Sprintf("is %d bytes; the limit is %d", int64(1)<<40, 1<<20))
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := sdk.FromPath(filepath.Join(t.TempDir(), "nope.pdf"), 0)
		if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("err = %v, want one wrapping fs.ErrNotExist", err)
		}
		var pe *fs.PathError
		if !errors.As(err, &pe) {
			t.Errorf("err = %v (%T), want it to keep the *fs.PathError", err, err)
		}
	})
	t.Run("a directory", func(t *testing.T) {
		if _, err := sdk.FromPath(t.TempDir(), 0); err == nil {
			t.Error("FromPath of a directory succeeded")
		}
	})
	t.Run("negative bound", func(t *testing.T) {
		_, err := sdk.FromPath(writeFile(t, "a.pdf", pdfBytes), -5)
		checkArgumentError(t, err, "", "maximum file size is negative")
	})
}

func TestDetectFile(t *testing.T) {
	pdf := func(b []byte, pages ...int) sdk.File { return sdk.FilePDF{Source: sdk.FromBytes(b), Pages: pages} }
	image := func(b []byte) sdk.File { return sdk.FileImage{Source: sdk.FromBytes(b)} }
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	webp := []byte("RIFF\x1a\x00\x00\x00WEBPVP8 ")
	for _, tt := range []struct {
		name  string
		b     []byte
		pages []int
		want  sdk.File
	}{
		{"PDF", pdfBytes, nil, pdf(pdfBytes)},
		{"PDF with pages", pdfBytes, []int{2, 5}, pdf(pdfBytes, 2, 5)},
		{"PDF magic only", []byte("%PDF-"), nil, pdf([]byte("%PDF-"))},
		{"PNG", pngBytes, nil, image(pngBytes)},
		{"JPEG", jpegBytes, nil, image(jpegBytes)},
		{"GIF", gif, nil, image(gif)},
		{"WebP", webp, nil, image(webp)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sdk.DetectFile(tt.b, tt.pages...)
			if err != nil {
				t.Fatal(err)
			}
			if d := testdiff.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
	for _, tt := range []struct {
		name    string
		b       []byte
		pages   []int
		mention string
	}{
		{"text", []byte("Invoice\nTotal: 12.50\n"), nil, "neither a PDF nor an image (its bytes look like text/plain"},
		{"HTML", []byte("<!DOCTYPE html><html></html>"), nil, "text/html"},
		{"empty", nil, nil, "neither a PDF nor an image"},
		{"PDF magic too late", []byte(" %PDF-1.7"), nil, "neither a PDF nor an image"},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00"), nil, "application/zip"},
		{"pages on a PNG", pngBytes, []int{1}, "pages are for a PDF; the file is an image"},
		{"pages on a JPEG", jpegBytes, []int{1, 2}, "pages are for a PDF"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sdk.DetectFile(tt.b, tt.pages...)
			checkArgumentError(t, err, "", tt.mention)
			if got != nil {
				t.Errorf("DetectFile returned %#v with its error", got)
			}
		})
	}
	// Pages are checked when the request is sent, not by DetectFile: a
	// page 0 is refused then, before anything is sent.
	f, err := sdk.DetectFile(pdfBytes, 0)
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(t, reply(500, `{}`))
	_, err = newClient(t, s).Files.ExtractMarkdown.Sync(context.Background(), sdk.ExtractionRequest{File: f})
	checkArgumentError(t, err, "file.pages[0]", "holds 0 at [0]; the least is 1")
	if s.count() != 0 {
		t.Errorf("%d requests were sent", s.count())
	}
}

func TestDetectFileAt(t *testing.T) {
	got, err := sdk.DetectFileAt(writeFile(t, "scan", pdfBytes), 0, 3)
	if d := testdiff.Diff(sdk.File(sdk.FilePDF{Source: sdk.FromBytes(pdfBytes), Pages: []int{3}}), got); err != nil || d != "" {
		t.Errorf("PDF: %v\n%s", err, d)
	}
	got, err = sdk.DetectFileAt(writeFile(t, "photo.pdf", jpegBytes), 0) // the bytes decide, not the name
	if d := testdiff.Diff(sdk.File(sdk.FileImage{Source: sdk.FromBytes(jpegBytes)}), got); err != nil || d != "" {
		t.Errorf("JPEG: %v\n%s", err, d)
	}
	_, err = sdk.DetectFileAt(writeFile(t, "notes.txt", []byte("hello")), 0)
	checkArgumentError(t, err, "", "neither a PDF nor an image")
	_, err = sdk.DetectFileAt(writeFile(t, "a.png", pngBytes), 0, 1)
	checkArgumentError(t, err, "", "pages are for a PDF")
	_, err = sdk.DetectFileAt(sparseFile(t, sdk.DefaultMaxFileSize+1), 0)
	checkArgumentError(t, err, "", fmt.Sprintf("is %d bytes; the limit is %d", sdk.DefaultMaxFileSize+1, sdk.DefaultMaxFileSize))
	_, err = sdk.DetectFileAt(writeFile(t, "a.pdf", pdfBytes), 4)
	checkArgumentError(t, err, "", fmt.Sprintf("is %d bytes; the limit is 4", len(pdfBytes)))
	_, err = sdk.DetectFileAt(writeFile(t, "a.pdf", pdfBytes), -1)
	checkArgumentError(t, err, "", "negative")
	if _, err = sdk.DetectFileAt(filepath.Join(t.TempDir(), "missing"), 0); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}

// Bad input to a file operation is refused with an *ArgumentError naming
// the member, before anything is sent; the request model's Validate says
// the same.
func TestFileArgumentsAreChecked(t *testing.T) {
	noLeaks(t)
	var (
		nilPDF      *sdk.FilePDF
		nilImage    *sdk.FileImage
		nilURL      *sdk.FileSourceURL
		nilBase64   *sdk.FileSourceBase64
		nilMarkdown *sdk.StrategyMarkdown
		nilImageSt  *sdk.StrategyImage
		nilSchema   *invoiceSchema
	)
	url := sdk.FromURL("https://example.com/invoice.pdf")
	schema := map[string]any{"type": "object"}

	// Bad files, for every operation with a body.
	files := []struct {
		name, path, mention string
		file                sdk.File
	}{
		{"nil file", "file", "file is missing", nil},
		{"image without source", "file.source", "file.source is missing", sdk.FileImage{}},
		{"PDF without source", "file.source", "file.source is missing", sdk.FilePDF{Pages: []int{1}}},
		{"empty URL", "file.source.data", "file URL is empty", sdk.PDF(sdk.FromURL(""))},
		{"empty URL of an image", "file.source.data", "file URL is empty", sdk.Image(sdk.FileSourceURL{})},
		{"empty base64 data", "file.source.data", "file data is empty", sdk.Image(sdk.FileSourceBase64{})},
		{"empty file", "file.source.data", "file data is empty", sdk.PDF(sdk.FromBytes(nil))},
		{"URL not UTF-8", "file.source.data", "UTF-8", sdk.PDF(sdk.FromURL("https://example.com/\xff"))},
		{"page 0", "file.pages[0]", "PDF pages holds 0 at [0]; the least is 1", sdk.PDF(url, 0)},
		{"negative page", "file.pages[1]", "holds -2 at [1]; the least is 1", sdk.PDF(url, 1, -2)},
		{"typed nil *FilePDF", "file", "nil *sdk.FilePDF", nilPDF},
		{"typed nil *FileImage", "file", "nil *sdk.FileImage", nilImage},
		{"typed nil *FileSourceURL", "file.source", "nil *sdk.FileSourceURL", sdk.PDF(nilURL)},
		{"typed nil *FileSourceBase64", "file.source", "nil *sdk.FileSourceBase64", sdk.Image(nilBase64)},
	}
	var cases []argumentCase
	for _, f := range files {
		req := sdk.ExtractionRequest{File: f.file}
		sreq := sdk.StructuredDataExtractionRequest{File: f.file, DataSchema: schema}
		for _, op := range []struct {
			name  string
			model validator
			call  func(ctx context.Context, c *sdk.Client) error
		}{
			{"markdown sync", req, func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractMarkdown.Sync(ctx, req)
				return err
			}},
			{"markdown start", req, func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.FilesExtractMarkdownStart(ctx, c, req)
				return err
			}},
			{"markdown start and wait", req, func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractMarkdown.StartAndWait(ctx, req)
				return err
			}},
			{"tables sync", req, func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.FilesExtractTablesSync(ctx, c, req)
				return err
			}},
			{"tables start", req, func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractTables.Start(ctx, req)
				return err
			}},
			{"structured data sync", sreq, func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractStructuredData.Sync(ctx, sreq)
				return err
			}},
			{"structured data start", sreq, func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.FilesExtractStructuredDataStart(ctx, c, sreq)
				return err
			}},
		} {
			cases = append(cases, argumentCase{name: op.name + "/" + f.name, model: op.model, call: op.call, path: f.path, mention: f.mention})
		}
	}

	// Bad structured-data requests.
	structured := func(name, path, mention string, f func(r *sdk.StructuredDataExtractionRequest)) []argumentCase {
		req := sdk.StructuredDataExtractionRequest{File: sdk.PDF(url), DataSchema: schema}
		f(&req)
		return []argumentCase{
			{name: "sync/" + name, model: req, path: path, mention: mention, call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractStructuredData.Sync(ctx, req)
				return err
			}},
			{name: "start/" + name, model: req, path: path, mention: mention, call: func(ctx context.Context, c *sdk.Client) error {
				_, err := c.Files.ExtractStructuredData.Start(ctx, req)
				return err
			}},
			{name: "start and wait/" + name, model: req, path: path, mention: mention, call: func(ctx context.Context, c *sdk.Client) error {
				_, err := sdk.FilesExtractStructuredDataStartAndWait(ctx, c, req)
				return err
			}},
		}
	}
	for _, sc := range [][]argumentCase{
		structured("nil data schema", "dataSchema", "data schema is missing", func(r *sdk.StructuredDataExtractionRequest) { r.DataSchema = nil }),
		structured("data schema a string", "dataSchema", "data schema is a JSON string, not an object", func(r *sdk.StructuredDataExtractionRequest) { r.DataSchema = "object" }),
		structured("data schema an array", "dataSchema", "is a JSON array, not an object", func(r *sdk.StructuredDataExtractionRequest) { r.DataSchema = []any{schema} }),
		structured("data schema a number", "dataSchema", "is a JSON number, not an object", func(r *sdk.StructuredDataExtractionRequest) { r.DataSchema = 42 }),
		structured("data schema raw null", "dataSchema", "is a JSON null, not an object", func(r *sdk.StructuredDataExtractionRequest) { r.DataSchema = sdk.RawJSON("null") }),
		structured("data schema raw string", "dataSchema", "is a JSON string, not an object", func(r *sdk.StructuredDataExtractionRequest) { r.DataSchema = sdk.RawJSON(`"object"`) }),
		structured("data schema raw array", "dataSchema", "is a JSON array, not an object", func(r *sdk.StructuredDataExtractionRequest) { r.DataSchema = sdk.RawJSON(`[{"type":"object"}]`) }),
		structured("data schema raw malformed", "dataSchema", "cannot be encoded", func(r *sdk.StructuredDataExtractionRequest) { r.DataSchema = sdk.RawJSON(`{"type":`) }),
		structured("data schema raw empty", "dataSchema", "cannot be encoded", func(r *sdk.StructuredDataExtractionRequest) { r.DataSchema = sdk.RawJSON{} }),
		structured("data schema not encodable", "dataSchema", "cannot be encoded", func(r *sdk.StructuredDataExtractionRequest) {
			r.DataSchema = map[string]any{"f": func() {}}
		}),
		structured("data schema a cycle", "dataSchema", "nest deeper than", func(r *sdk.StructuredDataExtractionRequest) {
			m := map[string]any{"type": "object"}
			m["properties"] = m
			r.DataSchema = m
		}),
		// A nil map or pointer encodes to null: no schema.
		structured("data schema a nil map", "dataSchema", "is a JSON null, not an object", func(r *sdk.StructuredDataExtractionRequest) { r.DataSchema = map[string]any(nil) }),
		structured("data schema a nil pointer", "dataSchema", "is a JSON null, not an object", func(r *sdk.StructuredDataExtractionRequest) { r.DataSchema = nilSchema }),
		structured("empty text model", "strategy.model", "strategy.model is empty", func(r *sdk.StructuredDataExtractionRequest) { r.Strategy = sdk.StrategyMarkdown{} }),
		structured("empty image model", "strategy.model", "strategy.model is empty", func(r *sdk.StructuredDataExtractionRequest) { r.Strategy = sdk.StrategyImage{} }),
		structured("model not UTF-8", "strategy.model", "UTF-8", func(r *sdk.StructuredDataExtractionRequest) { r.Strategy = sdk.StrategyImage{Model: "gpt-4o\xff"} }),
		structured("typed nil *StrategyMarkdown", "strategy", "nil *sdk.StrategyMarkdown", func(r *sdk.StructuredDataExtractionRequest) { r.Strategy = nilMarkdown }),
		structured("typed nil *StrategyImage", "strategy", "nil *sdk.StrategyImage", func(r *sdk.StructuredDataExtractionRequest) { r.Strategy = nilImageSt }),
		structured("prompt not UTF-8", "prompt", "UTF-8", func(r *sdk.StructuredDataExtractionRequest) { r.Prompt = sdk.Ptr("total\xff") }),
		structured("file and schema both bad: the file first", "file", "file is missing", func(r *sdk.StructuredDataExtractionRequest) {
			r.File, r.DataSchema = nil, nil
		}),
	} {
		cases = append(cases, sc...)
	}

	// Empty and dot operation IDs of the result calls.
	result := func(name, id, mention string, call func(ctx context.Context, c *sdk.Client, id string) error) argumentCase {
		return argumentCase{name: name, mention: mention, call: func(ctx context.Context, c *sdk.Client) error { return call(ctx, c, id) }}
	}
	markdownResult := func(ctx context.Context, c *sdk.Client, id string) error {
		_, err := c.Files.ExtractMarkdown.Result(ctx, id)
		return err
	}
	tablesResult := func(ctx context.Context, c *sdk.Client, id string) error {
		_, err := sdk.FilesExtractTablesResult(ctx, c, id)
		return err
	}
	structuredResult := func(ctx context.Context, c *sdk.Client, id string) error {
		_, err := c.Files.ExtractStructuredData.Result(ctx, id)
		return err
	}
	cases = append(cases,
		result("markdown result empty ID", "", "extraction ID is empty", markdownResult),
		result("tables result empty ID", "", "extraction ID is empty", tablesResult),
		result("structured data result empty ID", "", "extraction ID is empty", structuredResult),
		result("markdown result dot-dot ID", "..", "dot segment", markdownResult),
		result("tables result dot ID", ".", "dot segment", tablesResult),
		result("structured data result ID with a control character", "a\nb", "control character", structuredResult),
		result("markdown operation empty ID", "", "extraction ID is empty", func(ctx context.Context, c *sdk.Client, id string) error {
			_, err := c.Files.ExtractMarkdown.Operation(id).Wait(ctx)
			return err
		}),
		result("tables operation empty ID", "", "extraction ID is empty", func(ctx context.Context, c *sdk.Client, id string) error {
			_, _, err := sdk.FilesExtractTablesOperation(c, id).Poll(ctx)
			return err
		}),
		result("structured data operation empty ID", "", "extraction ID is empty", func(ctx context.Context, c *sdk.Client, id string) error {
			_, err := c.Files.ExtractStructuredData.Operation(id).Wait(ctx)
			return err
		}),
	)
	checkArguments(t, cases)
}

// Text in a data schema must be UTF-8, as in parameters (whose maps and raw
// JSON are checked: ParametersObject, ParametersRaw): encoding/json would
// quietly send U+FFFD instead of the bad bytes of a map, and a raw message
// would travel as it is, making a request body that is not UTF-8.
func TestDataSchemaTextIsUTF8(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(200, structuredDoneOK))
	c := newClient(t, s)
	for name, schema := range map[string]any{
		"map value":   map[string]any{"type": "object", "description": "Total \xff"},
		"map key":     map[string]any{"type": "object", "properties": map[string]any{"t\xffl": map[string]any{}}},
		"raw message": sdk.RawJSON("{\"description\":\"Total \xff\"}"),
	} {
		t.Run(name, func(t *testing.T) {
			req := sdk.StructuredDataExtractionRequest{File: sdk.PDF(sdk.FromURL("https://example.com/a.pdf")), DataSchema: schema}
			before := s.count()
			_, err := c.Files.ExtractStructuredData.Sync(context.Background(), req)
			if s.count() != before {
				t.Errorf("sent %q: a data schema with text that is not UTF-8 must be refused", s.requests()[before].Body)
			}
			checkArgumentError(t, err, "dataSchema", "UTF-8")
		})
	}
}

// A variant this SDK version does not know is sent as its raw JSON, so that
// a caller can use a kind of file the API added since (forward
// compatibility); the rest of the body is still checked.
func TestUnknownFileVariantsAreSentAsGiven(t *testing.T) {
	noLeaks(t)
	s := newServer(t, reply(200, structuredDoneOK))
	c := newClient(t, s)
	req := sdk.StructuredDataExtractionRequest{
		File:       sdk.FileUnknown{Raw: sdk.RawJSON(`{"type":"docx","source":{"type":"url","data":"https://example.com/a.docx"}}`)},
		DataSchema: map[string]any{},
		Strategy:   sdk.StrategyUnknown{Raw: sdk.RawJSON(`{"type":"HYBRID","model":"gpt-5"}`)},
	}
	if _, err := c.Files.ExtractStructuredData.Sync(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	want := `{"file":{"type":"docx","source":{"type":"url","data":"https://example.com/a.docx"}},"dataSchema":{},"strategy":{"type":"HYBRID","model":"gpt-5"}}`
	if got := string(s.requests()[0].Body); got != want {
		t.Errorf("body = %s\nwant   %s", got, want)
	}
	// A model this SDK version does not list is refused in an
	// StrategyImage or a StrategyMarkdown, as the reference refuses it,
	// and sent as given in a StrategyUnknown.
	for _, strategy := range []sdk.Strategy{sdk.StrategyImage{Model: "gpt-5"}, sdk.StrategyMarkdown{Model: "gpt-5"}} {
		_, err := c.Files.ExtractStructuredData.Sync(context.Background(), sdk.StructuredDataExtractionRequest{File: okFile.File, DataSchema: map[string]any{}, Strategy: strategy})
		checkArgumentError(t, err, "strategy.model", `is "gpt-5", not a`)
	}
	req = sdk.StructuredDataExtractionRequest{File: okFile.File, DataSchema: map[string]any{}, Strategy: sdk.StrategyUnknown{Raw: sdk.RawJSON(`{"type":"IMAGE","model":"gpt-5"}`)}}
	if _, err := c.Files.ExtractStructuredData.Sync(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if got, want := string(s.requests()[1].Body), `"strategy":{"type":"IMAGE","model":"gpt-5"}}`; !strings.HasSuffix(got, want) {
		t.Errorf("body = %s, want it to end with %s", got, want)
	}
	_, err := c.Files.ExtractStructuredData.Sync(context.Background(), sdk.StructuredDataExtractionRequest{File: req.File})
	checkArgumentError(t, err, "dataSchema", "data schema is missing")
	if s.count() != 2 {
		t.Errorf("%d requests, want 2", s.count())
	}
}

// An unknown variant without its raw JSON stands for nothing: as a
// required member it is as missing as nil, and should be refused before
// sending, like a nil file or source.
func TestEmptyUnknownFileVariantsAreRefused(t *testing.T) {
	noLeaks(t)
	for _, tt := range []struct {
		name, path string
		file       sdk.File
	}{
		{"FileUnknown without Raw", "file", sdk.FileUnknown{}},
		{"FileSourceUnknown without Raw", "file.source", sdk.PDF(sdk.FileSourceUnknown{})},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, reply(200, markdownDoneOK))
			_, err := newClient(t, s).Files.ExtractMarkdown.Sync(context.Background(), sdk.ExtractionRequest{File: tt.file})
			if s.count() != 0 {
				t.Errorf("%#v is sent as %s (err %v); want an *ArgumentError at %s, nothing sent", tt.file, s.requests()[0].Body, err, tt.path)
			}
			checkArgumentError(t, err, tt.path, "missing")
		})
	}
}

// PDF with an empty (non-nil) page list means all pages: no "pages"
// member, not an empty list that the request's minItems check refuses.
func TestPDFWithAnEmptyPageListMeansAllPages(t *testing.T) {
	none := []int{}
	f := sdk.PDF(sdk.FromURL("https://example.com/a.pdf"), none...)
	if f.Pages != nil {
		t.Errorf("PDF(src, []int{}...).Pages = %#v, want nil", f.Pages)
	}
	b, err := json.Marshal(f)
	if err != nil || strings.Contains(string(b), "pages") {
		t.Errorf("PDF(src, []int{}...) encodes as %s (%v), want no pages member", b, err)
	}
	if d, err := sdk.DetectFile(pdfBytes, none...); err != nil || d.(sdk.FilePDF).Pages != nil {
		t.Errorf("DetectFile(pdf, []int{}...) = %#v, %v; want a PDF without pages", d, err)
	}
}
