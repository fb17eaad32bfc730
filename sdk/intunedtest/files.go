package intunedtest

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/intuned/intuned-go/sdk"
)

// A FileStep is one stage of a scripted file extraction. Each result call
// shows the current step and moves on as the step says; a sync call walks
// the whole script at once. An ExtractedMarkdown, ExtractedTables,
// ExtractedData or ExtractionFailed step ends the extraction: every later
// result call shows it again.
//
// A file's script serves the three kinds of extraction, so that one script
// can say what each finds in the file: a completion of another kind than
// the extraction's (ExtractedTables in a markdown extraction) is skipped.
// After the last step, an extraction completes with its default result
// (see DefaultFileScript).
//
// These are neither the Steps of auth-session operations nor the RunSteps of
// API runs: a FileStep scripts a file, by its source (ScriptFile).
type FileStep struct {
	kind    fileStepKind
	of      extraction           // fileCompleted: the kind of extraction it completes
	n       int                  // fileExtracting: how many result calls
	md      string               // fileCompleted of markdown: the markdown
	tables  []sdk.ExtractedTable // fileCompleted of tables: never nil, nor any table's content
	data    json.RawMessage      // fileCompleted of structured data: nil for no "result" member
	code    string               // fileFailed: the error code
	message string               // fileFailed: the message
	raw     string               // fileRaw: the body sent as is
}

type fileStepKind int

const (
	fileExtracting fileStepKind = iota + 1
	fileCompleted
	fileFailed
	fileRaw
)

// extraction is a kind of file extraction.
type extraction int

const (
	extractMarkdown extraction = iota + 1
	extractTables
	extractData
)

func (k extraction) String() string {
	switch k {
	case extractMarkdown:
		return "markdown extraction"
	case extractTables:
		return "table extraction"
	}
	return "structured-data extraction"
}

// Extracting answers "pending" to the next n result calls.
func Extracting(n int) FileStep { return FileStep{kind: fileExtracting, n: n} }

// ExtractedMarkdown ends a markdown extraction with markdown as its result.
// Table and structured-data extractions skip it.
func ExtractedMarkdown(markdown string) FileStep {
	return FileStep{kind: fileCompleted, of: extractMarkdown, md: markdown}
}

// ExtractedTables ends a table extraction with tables as its result (none:
// an empty array). A nil Content is sent as an empty array, as is a nil row;
// a nil Title is sent as null. Markdown and structured-data extractions skip
// it. To send what an ExtractedTable cannot hold (a null cell), use
// RawExtraction.
func ExtractedTables(tables ...sdk.ExtractedTable) FileStep {
	out := make([]sdk.ExtractedTable, len(tables))
	for i, t := range tables {
		content := make([][]string, len(t.Content))
		for j, row := range t.Content {
			content[j] = append([]string{}, row...)
		}
		out[i] = sdk.ExtractedTable{PageNumber: t.PageNumber, Content: content}
		if t.Title != nil {
			out[i].Title = sdk.Ptr(*t.Title)
		}
	}
	return FileStep{kind: fileCompleted, of: extractTables, tables: out}
}

// ExtractedData ends a structured-data extraction with data as its result:
// data encoded as JSON (a json.RawMessage is sent as it is, compacted), or
// no "result" member if it is nil. Markdown and table extractions skip it.
// It panics if data does not encode.
func ExtractedData(data any) FileStep {
	return FileStep{kind: fileCompleted, of: extractData, data: encodeStep("ExtractedData", data)}
}

// ExtractionFailed ends the extraction, of any kind, with status "failed",
// an error code and a message.
func ExtractionFailed(code, message string) FileStep {
	return FileStep{kind: fileFailed, code: code, message: message}
}

// RawExtraction answers the next result call with body, sent as it is (a
// status the SDK does not know, a malformed answer, a null table cell), then
// moves on. A sync call that reaches it answers it.
func RawExtraction(body string) FileStep { return FileStep{kind: fileRaw, raw: body} }

// ScriptFile sets the steps of the extractions of a file that start from now
// on: markdown, tables and structured data, started with a start or a sync
// call. source names the file as the request does: the URL of a FileSourceURL,
// or the data of a FileSourceBase64, exactly as sent (with a source at hand,
// src.Data; with the file's bytes, ScriptFileBytes). An extraction copies
// its file's script when it starts.
func (s *Server) ScriptFile(source string, steps ...FileStep) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fileScripts.set(source, steps)
}

// ScriptFileBytes sets the steps of the extractions of the file whose bytes
// are contents, sent in the request, that start from now on: however the
// code under test read it (sdk.FromBytes, FromReader, FromPath, DetectFile,
// DetectFileAt), with no base64 to work out. For a file on disk, pass what
// os.ReadFile returns. It is ScriptFile of the file's base64 data.
func (s *Server) ScriptFileBytes(contents []byte, steps ...FileStep) {
	s.ScriptFile(sdk.FromBytes(contents).Data, steps...)
}

// DefaultFileScript sets the steps of the extractions whose file has no
// script of its own. It is Extracting(1) until set. After its last step an
// extraction completes with the default result of its kind:
//
//   - markdown: "# " + the file's source (its URL or base64 data) + "\n";
//   - tables: one table, [{"pageNumber": 1, "title": null, "content": [["cell"]]}];
//   - structured data: {"schema": <the dataSchema of the request>}.
func (s *Server) DefaultFileScript(steps ...FileStep) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fileScripts.setDefault(steps)
}

// fileExtraction is the state of one scripted extraction.
type fileExtraction struct {
	id     string
	kind   extraction
	steps  []FileStep
	final  FileStep // shown after the last step
	pos    int      // current step
	polled int      // result calls of the current Extracting step
}

func (e *fileExtraction) advance() {
	e.pos++
	e.polled = 0
}

// next returns the step the look (lookPoll or lookSync) shows, and moves
// the extraction on: for a sync look, to the first step that ends it, or a
// RawExtraction.
func (e *fileExtraction) next(how look) FileStep {
	for e.pos < len(e.steps) {
		st := e.steps[e.pos]
		switch {
		case st.kind == fileExtracting && how != lookSync && e.polled < st.n:
			e.polled++
		case st.kind == fileExtracting, st.kind == fileCompleted && st.of != e.kind:
			e.advance()
			continue
		case st.kind == fileRaw:
			e.advance()
		}
		return st
	}
	return e.final
}

// answer is what a result (or sync) call answers for the extraction showing
// st: an sdk model of the kind's result, or a rawResult.
func (e *fileExtraction) answer(st FileStep) any {
	switch st.kind {
	case fileCompleted:
		switch e.kind {
		case extractMarkdown:
			return sdk.MarkdownExtractionCompleted{OperationID: e.id, Result: st.md}
		case extractTables:
			return sdk.TableExtractionCompleted{OperationID: e.id, Result: st.tables}
		}
		return sdk.StructuredDataExtractionCompleted{OperationID: e.id, Result: sdk.RawJSON(st.data)}
	case fileFailed:
		return sdk.ExtractionFailed{OperationID: e.id, Error: st.code, Message: st.message}
	case fileRaw:
		return rawResult(st.raw)
	}
	return sdk.ExtractionPending{OperationID: e.id}
}

// defaultExtraction is the step that ends an extraction of kind k after its
// last step.
func defaultExtraction(k extraction, source string, dataSchema any) FileStep {
	switch k {
	case extractMarkdown:
		return ExtractedMarkdown("# " + source + "\n")
	case extractTables:
		return ExtractedTables(sdk.ExtractedTable{PageNumber: 1, Content: [][]string{{"cell"}}})
	}
	schema, err := json.Marshal(dataSchema) // a decoded json.RawMessage: always encodes
	if err != nil {
		schema = json.RawMessage("null")
	}
	return FileStep{kind: fileCompleted, of: extractData, data: fmt.Appendf(nil, `{"schema":%s}`, schema)}
}

// decodeExtraction decodes and checks the body of a start or sync call of
// an extraction of kind k, and returns its file's source and the step that
// ends it after its script.
func decodeExtraction(k extraction, r *http.Request, body []byte) (source string, final FileStep, bad answer, ok bool) {
	var file sdk.File
	var schema any
	if k == extractData {
		var req sdk.StructuredDataExtractionRequest
		if bad, valid := decodeBody(r, body, &req); !valid {
			return "", FileStep{}, bad, false
		}
		if _, unknown := req.Strategy.(sdk.StrategyUnknown); unknown {
			return "", FileStep{}, invalid("Invalid input", detail{
				Message: fmt.Sprintf("is %q; the API takes %q or %q", req.Strategy.Type(), sdk.StrategyTypeMarkdown, sdk.StrategyTypeImage),
				Path:    []any{"strategy", "type"},
			}), false
		}
		file, schema = req.File, req.DataSchema
	} else {
		var req sdk.ExtractionRequest
		if bad, valid := decodeBody(r, body, &req); !valid {
			return "", FileStep{}, bad, false
		}
		file = req.File
	}
	source, problem, where := fileSource(file)
	if problem != "" {
		return "", FileStep{}, invalid("Invalid input", detail{Message: problem, Path: where}), false
	}
	return source, defaultExtraction(k, source, schema), answer{}, true
}

// fileSource returns the source of a decoded file (its URL, or its base64
// data), or what the service refuses in it that the SDK's decoders keep: a
// type of file or of source the spec does not have. (Base64 data is checked
// by the model's Validate, which decodeBody runs.)
func fileSource(file sdk.File) (source, problem string, where []any) {
	var src sdk.FileSource
	switch f := file.(type) {
	case sdk.FileImage:
		src = f.Source
	case sdk.FilePDF:
		src = f.Source
	default:
		return "", fmt.Sprintf("is %q; the API takes %q or %q", file.Type(), sdk.FileTypeImage, sdk.FileTypePDF), []any{"file", "type"}
	}
	switch s := src.(type) {
	case sdk.FileSourceURL:
		return s.Data, "", nil
	case sdk.FileSourceBase64: // its data checked by the model's Validate (decodeBody)
		return s.Data, "", nil
	}
	return "", fmt.Sprintf("is %q; the API takes %q or %q", src.Type(), sdk.FileSourceTypeURL, sdk.FileSourceTypeBase64), []any{"file", "source", "type"}
}

// The three kinds of extraction share their handlers, each told its kind.
func (s *Server) filesExtractMarkdownSync(r *http.Request, b []byte) answer {
	return s.extractionSync(extractMarkdown, r, b)
}
func (s *Server) filesExtractMarkdownStart(r *http.Request, b []byte) answer {
	return s.extractionStart(extractMarkdown, r, b)
}
func (s *Server) filesExtractMarkdownResult(r *http.Request, b []byte) answer {
	return s.extractionResult(extractMarkdown, r, b)
}
func (s *Server) filesExtractTablesSync(r *http.Request, b []byte) answer {
	return s.extractionSync(extractTables, r, b)
}
func (s *Server) filesExtractTablesStart(r *http.Request, b []byte) answer {
	return s.extractionStart(extractTables, r, b)
}
func (s *Server) filesExtractTablesResult(r *http.Request, b []byte) answer {
	return s.extractionResult(extractTables, r, b)
}
func (s *Server) filesExtractStructuredDataSync(r *http.Request, b []byte) answer {
	return s.extractionSync(extractData, r, b)
}
func (s *Server) filesExtractStructuredDataStart(r *http.Request, b []byte) answer {
	return s.extractionStart(extractData, r, b)
}
func (s *Server) filesExtractStructuredDataResult(r *http.Request, b []byte) answer {
	return s.extractionResult(extractData, r, b)
}

// startExtraction checks the body of a start or sync call, starts its
// extraction with its file's script, and answers with what then returns,
// all under the lock.
func (s *Server) startExtraction(k extraction, r *http.Request, body []byte, then func(*fileExtraction) any) answer {
	source, final, bad, valid := decodeExtraction(k, r, body)
	if !valid {
		return bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := &fileExtraction{id: s.newIDLocked(), kind: k, steps: s.fileScripts.of(source), final: final}
	s.extractions[e.id] = e
	return ok(then(e))
}

func (s *Server) extractionStart(k extraction, r *http.Request, body []byte) answer {
	return s.startExtraction(k, r, body, func(e *fileExtraction) any { return sdk.ExtractionPending{OperationID: e.id} })
}

func (s *Server) extractionSync(k extraction, r *http.Request, body []byte) answer {
	return s.startExtraction(k, r, body, func(e *fileExtraction) any { return e.answer(e.next(lookSync)) })
}

// extractionResult serves a result call: an extraction of another kind is
// as unknown as a missing one.
func (s *Server) extractionResult(k extraction, r *http.Request, _ []byte) answer {
	id := r.PathValue("operationId")
	s.mu.Lock()
	defer s.mu.Unlock()
	e, found := s.extractions[id]
	if !found || e.kind != k {
		return errorAnswer(notFound("%s %q not found", k, id))
	}
	return ok(e.answer(e.next(lookPoll)))
}
