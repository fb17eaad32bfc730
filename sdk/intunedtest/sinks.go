package intunedtest

import "github.com/intuned/intuned-go/sdk"

// This file is what the fake sends to webhook sinks, and when: as the
// service does, one payload per API run that a job or a queue with a
// webhook sink finishes (deliveries.go sends them). A user with a sink does
// not poll, so a run with a sink does not wait for looks: it is walked to
// its end at once (apiRun.finish), and later looks show how it ended.

// webhookOf returns a job's webhook sink, or nil: an Amazon S3 sink (the
// fake writes to no bucket), an unknown one, or none.
func webhookOf(sink sdk.Nullable[sdk.Sink]) *sdk.SinkWebhook {
	v, _ := sink.Get()
	if hook, ok := v.(sdk.SinkWebhook); ok {
		return &hook
	}
	return nil
}

// runToSinkLocked walks a run to its end and returns its result for hook,
// or nil if the run failed and the sink skips failures; wrap makes the
// payload of the job or queue from the run's apiInfo.
func runToSinkLocked(run *apiRun, hook sdk.SinkWebhook, wrap func(sdk.SinkAPIInfo) sdk.SinkResult) sdk.SinkResult {
	st := run.finish()
	if st.kind == runFailed && hook.SkipOnFail != nil && *hook.SkipOnFail {
		return nil
	}
	var result sdk.SinkAPIResult = sdk.SinkAPICompleted{StatusCode: st.statusCode, Result: sdk.RawJSON(st.result)}
	if st.kind == runFailed {
		result = sdk.SinkAPIFailed{StatusCode: st.statusCode, Error: st.code, Message: st.message}
	}
	return wrap(sdk.SinkAPIInfo{Name: run.api, Parameters: run.params, RunID: run.id, Result: result})
}

// jobRunToSinkLocked finishes the API runs of a job run whose job has a
// webhook sink, sending each result to it, in the order of the job's
// payload, all at once.
func (s *Server) jobRunToSinkLocked(project string, j *job, jr *jobRun) {
	hook := webhookOf(j.v.Sink)
	if hook == nil {
		return
	}
	var results []sdk.SinkResult
	for _, a := range jr.apis {
		res := runToSinkLocked(a, *hook, func(info sdk.SinkAPIInfo) sdk.SinkResult {
			return sdk.SinkResultProjectJob{
				APIInfo:       info,
				WorkspaceID:   s.WorkspaceID,
				Project:       sdk.SinkProject{ID: ProjectID(project), Name: project},
				AuthSession:   j.v.AuthSession,
				ProjectJob:    sdk.SinkProjectJob{ID: j.v.ID},
				ProjectJobRun: sdk.SinkProjectJobRun{ID: jr.v.ID},
			}
		})
		if res != nil {
			results = append(results, res)
		}
	}
	s.sinks.send(*hook, results, true)
}

// itemToSinkLocked finishes an item of a queue with a webhook sink, sending
// its result to it.
func (s *Server) itemToSinkLocked(project string, q *queue, run *apiRun) {
	sink, _ := q.v.Sink.Get()
	hook, ok := sink.(sdk.SinkWebhook) // the only sink a queue takes
	if !ok {
		return
	}
	var session *sdk.AuthSessionRef
	if a, ok := q.v.AuthSession.Get(); ok {
		session = &a
	}
	res := runToSinkLocked(run, hook, func(info sdk.SinkAPIInfo) sdk.SinkResult {
		return sdk.SinkResultProjectQueue{
			APIInfo:      info,
			WorkspaceID:  s.WorkspaceID,
			Project:      sdk.SinkProject{ID: ProjectID(project), Name: project},
			AuthSession:  session,
			ProjectQueue: sdk.SinkProjectQueue{ID: *q.v.ID},
		}
	})
	if res != nil {
		s.sinks.send(hook, []sdk.SinkResult{res}, false)
	}
}
