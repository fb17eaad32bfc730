package sdk

import (
	"context"
	"iter"
)

// This file is the queue-item layer over the generic long-running handle
// (longrunning.go): an item appended to a queue is an
// Operation[QueueItemResult] on its run ID, which AppendAndWait drives to
// its end. The operations themselves are generated (services.gen.go).

var queueItemKind = &lroKind[QueueItemResult]{
	result: opQueueItemsResult,
	decode: decodeQueueItemResult,
	status: func(r QueueItemResult) string { return string(r.Status()) },
	final: func(id string, r QueueItemResult) (bool, error) {
		switch r := r.(type) {
		case QueueItemCompleted:
			return true, nil
		case QueueItemFailed:
			return false, &OperationFailedError{OperationID: id, Code: peekString(r.Error, "code"), Message: peekString(r.Error, "message"),
				StatusCode: int(r.StatusCode), Details: r.Error}
		case QueueItemResultUnknown:
			return false, &UnknownStatusError{OperationID: id, Status: string(r.Status()), Raw: r.Raw}
		}
		return false, nil // queued or pending: not yet
	},
}

// Operation returns a handle on the item itemRunID of the queue queueID of
// projectName, for instance one another process appended. Nothing is sent
// until it is used: Poll reads its state once, Wait until its run has
// finished (a QueueItemCompleted, or an *OperationFailedError for a failed
// item, whose Details hold the item's error object).
func (s ProjectQueuesItemsService) Operation(projectName, queueID, itemRunID string) *Operation[QueueItemResult] {
	return ProjectQueuesItemsOperation(s.client, projectName, queueID, itemRunID)
}

// ProjectQueuesItemsOperation is the standalone form of
// client.Project.Queues.Items.Operation.
func ProjectQueuesItemsOperation(c *Client, projectName, queueID, itemRunID string) *Operation[QueueItemResult] {
	return newOperation(c, queueItemKind, false, projectName, queueID, itemRunID)
}

// AppendAndWait appends an item to a queue (project.queues.items.append),
// polls its result until its run has finished (queued and pending are both
// "not yet"), and returns the completed item. A failed item returns an
// *OperationFailedError with its status code and error object (Details;
// Code and Message are its "code" and "message"). Any error after the
// append is wrapped in an *OperationError holding the item's run ID and its
// queue, so that it can be picked up later (Operation). The append is sent again only where
// the server cannot have acted on it. Its errors name the wait
// project.queues.items.appendAndWait. opts are those of waits and of every
// call (see Options in the package documentation); they apply to every call
// the wait makes.
func (s ProjectQueuesItemsService) AppendAndWait(ctx context.Context, projectName, queueID string, item QueueItemAppendRequest, opts ...Option) (QueueItemCompleted, error) {
	return ProjectQueuesItemsAppendAndWait(ctx, s.client, projectName, queueID, item, opts...)
}

// ProjectQueuesItemsAppendAndWait is the standalone form of
// client.Project.Queues.Items.AppendAndWait.
func ProjectQueuesItemsAppendAndWait(ctx context.Context, c *Client, projectName, queueID string, item QueueItemAppendRequest, opts ...Option) (QueueItemCompleted, error) {
	return one(appendItems(ctx, c, "project.queues.items.appendAndWait", projectName, queueID, []QueueItemAppendRequest{item}, opts))
}

// AppendAndWaitAll is AppendAndWait for many items at once: it appends each
// item to the queue and waits on them all in one batch (see WaitAll for how
// it schedules), yielding each item's Outcome as its run ends. items must
// not change until the loop ends.
func (s ProjectQueuesItemsService) AppendAndWaitAll(ctx context.Context, projectName, queueID string, items []QueueItemAppendRequest, opts ...Option) iter.Seq[Outcome[QueueItemCompleted]] {
	return ProjectQueuesItemsAppendAndWaitAll(ctx, s.client, projectName, queueID, items, opts...)
}

// ProjectQueuesItemsAppendAndWaitAll is the standalone form of
// client.Project.Queues.Items.AppendAndWaitAll.
func ProjectQueuesItemsAppendAndWaitAll(ctx context.Context, c *Client, projectName, queueID string, items []QueueItemAppendRequest, opts ...Option) iter.Seq[Outcome[QueueItemCompleted]] {
	return appendItems(ctx, c, "project.queues.items.appendAndWaitAll", projectName, queueID, items, opts)
}

// appendItems appends each item to the queue and waits on them in one
// batch, the wait name.
func appendItems(ctx context.Context, c *Client, name, projectName, queueID string, items []QueueItemAppendRequest, opts []Option) iter.Seq[Outcome[QueueItemCompleted]] {
	return startAndWaitAllFor[QueueItemCompleted](ctx, c, name, opQueueItemsAppend, OperationError{ProjectName: projectName, QueueID: queueID}, opts, len(items),
		func(ctx context.Context, i int, callOpts []Option) (*Operation[QueueItemResult], error) {
			added, err := ProjectQueuesItemsAppend(ctx, c, projectName, queueID, items[i], callOpts...)
			if err != nil {
				return nil, err
			}
			return newOperation(c, queueItemKind, true, projectName, queueID, added.RunID), nil
		})
}

// DecodeResult decodes the item's result (its API's return value) into v,
// as json.Unmarshal does. An item without a result is an error.
func (r QueueItemCompleted) DecodeResult(v any) error { return decodeResult(r.Result, v) }
