package sdk

import (
	"context"
	"encoding/json"
	"iter"
)

// This file is the file-extraction layer over the generic long-running
// handle (longrunning.go): an extraction started with a start call is an
// Operation on its result call, which StartAndWait drives to its end. The
// operations themselves are generated (services.gen.go).

var (
	markdownExtractionKind       = extractionKind(opExtractMarkdownResult, decodeMarkdownExtractionResult)
	tableExtractionKind          = extractionKind(opExtractTablesResult, decodeTableExtractionResult)
	structuredDataExtractionKind = extractionKind(opExtractStructuredDataResult, decodeStructuredDataExtractionResult)
)

// extractionKind is the kind of the extractions whose states are a T: done
// when completed; a failure is an *OperationFailedError, a status this SDK
// does not know an *UnknownStatusError.
func extractionKind[T interface{ Status() ExtractionStatus }](result *operation, decode decoder[T]) *lroKind[T] {
	return &lroKind[T]{
		result: result,
		decode: decode,
		status: func(r T) string { return string(r.Status()) },
		final: func(id string, r T) (bool, error) {
			switch r.Status() {
			case ExtractionStatusPending:
				return false, nil
			case ExtractionStatusCompleted:
				return true, nil
			case ExtractionStatusFailed:
				f, _ := any(r).(ExtractionFailed)
				return false, &OperationFailedError{OperationID: id, Code: f.Error, Message: f.Message}
			}
			raw, _ := json.Marshal(r) // an Unknown variant: its raw JSON
			return false, &UnknownStatusError{OperationID: id, Status: string(r.Status()), Raw: raw}
		},
	}
}

// startExtractions starts an extraction of each request with start (sent
// as startOp) and waits on them in one batch until each is done: a D, the
// completed state of the kind k. verb names the wait after the kind's
// service: startAndWait, startAndWaitAll.
func startExtractions[D any, T interface{ Status() ExtractionStatus }, R any](ctx context.Context, c *Client, verb string, startOp *operation, k *lroKind[T],
	start func(context.Context, *Client, R, ...Option) (ExtractionPending, error), reqs []R, opts []Option) iter.Seq[Outcome[D]] {
	return startAndWaitAllFor[D](ctx, c, k.waitName(verb), startOp, OperationError{}, opts, len(reqs), func(ctx context.Context, i int, callOpts []Option) (*Operation[T], error) {
		started, err := start(ctx, c, reqs[i], callOpts...)
		if err != nil {
			return nil, err
		}
		return newOperation(c, k, true, started.OperationID), nil
	})
}

// Operation returns a handle on the markdown extraction operationID, for
// instance one another process started. Nothing is sent until it is used.
func (s FilesExtractMarkdownService) Operation(operationID string) *Operation[MarkdownExtractionResult] {
	return FilesExtractMarkdownOperation(s.client, operationID)
}

// FilesExtractMarkdownOperation is the standalone form of
// client.Files.ExtractMarkdown.Operation.
func FilesExtractMarkdownOperation(c *Client, operationID string) *Operation[MarkdownExtractionResult] {
	return newOperation(c, markdownExtractionKind, false, operationID)
}

// StartAndWait extracts a file's text as markdown as a long-running
// operation: it starts the extraction, polls its result until it has
// finished, and returns it (Result is the markdown). A failed extraction
// returns an *OperationFailedError; any error after the start is wrapped in
// an *OperationError holding the extraction's ID, to pick it up later
// (Operation). The start is sent again only where the server cannot have
// acted on it. Its errors name the wait files.extractMarkdown.startAndWait.
// opts are those of waits and of every call (see Options in the package
// documentation); they apply to every call the wait makes.
func (s FilesExtractMarkdownService) StartAndWait(ctx context.Context, req ExtractionRequest, opts ...Option) (MarkdownExtractionCompleted, error) {
	return FilesExtractMarkdownStartAndWait(ctx, s.client, req, opts...)
}

// FilesExtractMarkdownStartAndWait is the standalone form of
// client.Files.ExtractMarkdown.StartAndWait.
func FilesExtractMarkdownStartAndWait(ctx context.Context, c *Client, req ExtractionRequest, opts ...Option) (MarkdownExtractionCompleted, error) {
	return one(startExtractions[MarkdownExtractionCompleted](ctx, c, "startAndWait", opExtractMarkdownStart, markdownExtractionKind, FilesExtractMarkdownStart, []ExtractionRequest{req}, opts))
}

// StartAndWaitAll is StartAndWait for many files at once: it starts an
// extraction of each request and waits on them all in one batch (see
// WaitAll for how it schedules), yielding each one's Outcome as it ends.
// reqs must not change until the loop ends.
func (s FilesExtractMarkdownService) StartAndWaitAll(ctx context.Context, reqs []ExtractionRequest, opts ...Option) iter.Seq[Outcome[MarkdownExtractionCompleted]] {
	return FilesExtractMarkdownStartAndWaitAll(ctx, s.client, reqs, opts...)
}

// FilesExtractMarkdownStartAndWaitAll is the standalone form of
// client.Files.ExtractMarkdown.StartAndWaitAll.
func FilesExtractMarkdownStartAndWaitAll(ctx context.Context, c *Client, reqs []ExtractionRequest, opts ...Option) iter.Seq[Outcome[MarkdownExtractionCompleted]] {
	return startExtractions[MarkdownExtractionCompleted](ctx, c, "startAndWaitAll", opExtractMarkdownStart, markdownExtractionKind, FilesExtractMarkdownStart, reqs, opts)
}

// Operation returns a handle on the table extraction operationID, for
// instance one another process started. Nothing is sent until it is used.
func (s FilesExtractTablesService) Operation(operationID string) *Operation[TableExtractionResult] {
	return FilesExtractTablesOperation(s.client, operationID)
}

// FilesExtractTablesOperation is the standalone form of
// client.Files.ExtractTables.Operation.
func FilesExtractTablesOperation(c *Client, operationID string) *Operation[TableExtractionResult] {
	return newOperation(c, tableExtractionKind, false, operationID)
}

// StartAndWait extracts a file's tables as a long-running operation, as
// FilesExtractMarkdownService.StartAndWait extracts markdown, and returns
// them (Result, page by page).
func (s FilesExtractTablesService) StartAndWait(ctx context.Context, req ExtractionRequest, opts ...Option) (TableExtractionCompleted, error) {
	return FilesExtractTablesStartAndWait(ctx, s.client, req, opts...)
}

// FilesExtractTablesStartAndWait is the standalone form of
// client.Files.ExtractTables.StartAndWait.
func FilesExtractTablesStartAndWait(ctx context.Context, c *Client, req ExtractionRequest, opts ...Option) (TableExtractionCompleted, error) {
	return one(startExtractions[TableExtractionCompleted](ctx, c, "startAndWait", opExtractTablesStart, tableExtractionKind, FilesExtractTablesStart, []ExtractionRequest{req}, opts))
}

// StartAndWaitAll is StartAndWait for many files at once: it starts an
// extraction of each request and waits on them all in one batch (see
// WaitAll for how it schedules), yielding each one's Outcome as it ends.
// reqs must not change until the loop ends.
func (s FilesExtractTablesService) StartAndWaitAll(ctx context.Context, reqs []ExtractionRequest, opts ...Option) iter.Seq[Outcome[TableExtractionCompleted]] {
	return FilesExtractTablesStartAndWaitAll(ctx, s.client, reqs, opts...)
}

// FilesExtractTablesStartAndWaitAll is the standalone form of
// client.Files.ExtractTables.StartAndWaitAll.
func FilesExtractTablesStartAndWaitAll(ctx context.Context, c *Client, reqs []ExtractionRequest, opts ...Option) iter.Seq[Outcome[TableExtractionCompleted]] {
	return startExtractions[TableExtractionCompleted](ctx, c, "startAndWaitAll", opExtractTablesStart, tableExtractionKind, FilesExtractTablesStart, reqs, opts)
}

// Operation returns a handle on the structured-data extraction
// operationID, for instance one another process started. Nothing is sent
// until it is used.
func (s FilesExtractStructuredDataService) Operation(operationID string) *Operation[StructuredDataExtractionResult] {
	return FilesExtractStructuredDataOperation(s.client, operationID)
}

// FilesExtractStructuredDataOperation is the standalone form of
// client.Files.ExtractStructuredData.Operation.
func FilesExtractStructuredDataOperation(c *Client, operationID string) *Operation[StructuredDataExtractionResult] {
	return newOperation(c, structuredDataExtractionKind, false, operationID)
}

// StartAndWait extracts structured data from a file as a long-running
// operation, as FilesExtractMarkdownService.StartAndWait extracts markdown,
// and returns it (DecodeResult decodes the data into a type of yours).
func (s FilesExtractStructuredDataService) StartAndWait(ctx context.Context, req StructuredDataExtractionRequest, opts ...Option) (StructuredDataExtractionCompleted, error) {
	return FilesExtractStructuredDataStartAndWait(ctx, s.client, req, opts...)
}

// FilesExtractStructuredDataStartAndWait is the standalone form of
// client.Files.ExtractStructuredData.StartAndWait.
func FilesExtractStructuredDataStartAndWait(ctx context.Context, c *Client, req StructuredDataExtractionRequest, opts ...Option) (StructuredDataExtractionCompleted, error) {
	return one(startExtractions[StructuredDataExtractionCompleted](ctx, c, "startAndWait", opExtractStructuredDataStart, structuredDataExtractionKind, FilesExtractStructuredDataStart, []StructuredDataExtractionRequest{req}, opts))
}

// StartAndWaitAll is StartAndWait for many files at once: it starts an
// extraction of each request and waits on them all in one batch (see
// WaitAll for how it schedules), yielding each one's Outcome as it ends.
// reqs must not change until the loop ends.
func (s FilesExtractStructuredDataService) StartAndWaitAll(ctx context.Context, reqs []StructuredDataExtractionRequest, opts ...Option) iter.Seq[Outcome[StructuredDataExtractionCompleted]] {
	return FilesExtractStructuredDataStartAndWaitAll(ctx, s.client, reqs, opts...)
}

// FilesExtractStructuredDataStartAndWaitAll is the standalone form of
// client.Files.ExtractStructuredData.StartAndWaitAll.
func FilesExtractStructuredDataStartAndWaitAll(ctx context.Context, c *Client, reqs []StructuredDataExtractionRequest, opts ...Option) iter.Seq[Outcome[StructuredDataExtractionCompleted]] {
	return startExtractions[StructuredDataExtractionCompleted](ctx, c, "startAndWaitAll", opExtractStructuredDataStart, structuredDataExtractionKind, FilesExtractStructuredDataStart, reqs, opts)
}

// DecodeResult decodes the data found (the extraction's result) into v, as
// json.Unmarshal does. An extraction without a result is an error.
func (r StructuredDataExtractionCompleted) DecodeResult(v any) error {
	return decodeResult(r.Result, v)
}
