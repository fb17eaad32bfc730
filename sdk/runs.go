package sdk

import (
	"context"
	"iter"
)

// This file is the run layer over the generic long-running handle
// (longrunning.go): a run started with project.run.start is an
// Operation[RunResult], which StartAndWait drives to its end. The
// operations themselves are generated (services.gen.go).

var runKind = &lroKind[RunResult]{
	result: opRunResult,
	decode: decodeRunResult,
	status: func(r RunResult) string { return string(r.Status()) },
	final: func(id string, r RunResult) (bool, error) {
		switch r := r.(type) {
		case RunCompleted:
			return true, nil
		case RunFailed:
			return false, &OperationFailedError{OperationID: id, Code: r.Error, Message: r.Message, StatusCode: int(r.StatusCode)}
		case RunResultUnknown:
			return false, &UnknownStatusError{OperationID: id, Status: string(r.Status()), Raw: r.Raw}
		}
		return false, nil // pending
	},
}

// Operation returns a handle on the run runID of projectName, for instance
// one another process started. Nothing is sent until it is used: Poll reads
// its state once, Wait until it has finished (a RunCompleted, or an
// *OperationFailedError for a failed run).
func (s ProjectRunService) Operation(projectName, runID string) *Operation[RunResult] {
	return ProjectRunOperation(s.client, projectName, runID)
}

// ProjectRunOperation is the standalone form of client.Project.Run.Operation.
func ProjectRunOperation(c *Client, projectName, runID string) *Operation[RunResult] {
	return newOperation(c, runKind, false, projectName, runID)
}

// StartAndWait runs an API of the project as a long-running operation: it
// starts the run (project.run.start), polls its result until it has
// finished, and returns the completed run. A failed run returns an
// *OperationFailedError with the run's error code, message and status code.
// Any error after the start is wrapped in an *OperationError holding the run
// ID, so that the run can be picked up later (Operation). The start is sent
// again only where the server cannot have acted on it. Its errors name the
// wait project.run.startAndWait. opts are those of waits and of every call
// (see Options in the package documentation); they apply to every call the
// wait makes.
func (s ProjectRunService) StartAndWait(ctx context.Context, projectName string, req RunRequest, opts ...Option) (RunCompleted, error) {
	return ProjectRunStartAndWait(ctx, s.client, projectName, req, opts...)
}

// ProjectRunStartAndWait is the standalone form of
// client.Project.Run.StartAndWait.
func ProjectRunStartAndWait(ctx context.Context, c *Client, projectName string, req RunRequest, opts ...Option) (RunCompleted, error) {
	return one(startRuns(ctx, c, "project.run.startAndWait", projectName, []RunRequest{req}, opts))
}

// StartAndWaitAll is StartAndWait for many runs at once: it starts a run of
// each request and waits on them all in one batch (see WaitAll for how it
// schedules), yielding each run's Outcome as it ends. reqs must not change
// until the loop ends.
//
//	for o := range client.Project.Run.StartAndWaitAll(ctx, "my-project", reqs) {
//		if o.Err != nil { … reqs[o.Index] failed … }
//	}
func (s ProjectRunService) StartAndWaitAll(ctx context.Context, projectName string, reqs []RunRequest, opts ...Option) iter.Seq[Outcome[RunCompleted]] {
	return ProjectRunStartAndWaitAll(ctx, s.client, projectName, reqs, opts...)
}

// ProjectRunStartAndWaitAll is the standalone form of
// client.Project.Run.StartAndWaitAll.
func ProjectRunStartAndWaitAll(ctx context.Context, c *Client, projectName string, reqs []RunRequest, opts ...Option) iter.Seq[Outcome[RunCompleted]] {
	return startRuns(ctx, c, "project.run.startAndWaitAll", projectName, reqs, opts)
}

// startRuns starts a run of each request and waits on them in one batch,
// the wait name.
func startRuns(ctx context.Context, c *Client, name, projectName string, reqs []RunRequest, opts []Option) iter.Seq[Outcome[RunCompleted]] {
	return startAndWaitAllFor[RunCompleted](ctx, c, name, opRunStart, OperationError{ProjectName: projectName}, opts, len(reqs),
		func(ctx context.Context, i int, callOpts []Option) (*Operation[RunResult], error) {
			started, err := ProjectRunStart(ctx, c, projectName, reqs[i], callOpts...)
			if err != nil {
				return nil, err
			}
			return newOperation(c, runKind, true, projectName, started.RunID), nil
		})
}

// DecodeResult decodes the run's result (the API's return value) into v, as
// json.Unmarshal does. A run without a result is an error.
func (r RunCompleted) DecodeResult(v any) error { return decodeResult(r.Result, v) }
