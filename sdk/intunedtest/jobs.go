package intunedtest

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

// The stored models (sdk.Job, sdk.JobRun) are answered by value and encoded
// after the lock is released, so they are never changed in place: a change
// replaces a member (a new pointer, a new slice), never what one points to.

// job is a job of a project, with its runs, oldest first.
type job struct {
	v    sdk.Job
	runs []*jobRun
}

// jobRun is a run of a job: one API run per entry of the job's payload.
type jobRun struct {
	v    sdk.JobRun
	apis []*apiRun
}

// ProjectID returns the ID the fake gives a project (sdk.Job.ProjectID,
// sdk.JobRun.ProjectID): a UUID derived from its name, the same in every
// Server.
func ProjectID(projectName string) string {
	h := sha256.Sum256([]byte("intunedtest project " + projectName))
	h[6] = h[6]&0x0f | 0x40 // version 4
	h[8] = h[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// jobLocked finds a job of a project.
func (s *Server) jobLocked(project, id string) (*job, error) {
	j, found := s.jobs[project][id]
	if !found {
		return nil, notFound("job %q not found in project %q", id, project)
	}
	return j, nil
}

func (s *Server) projectJobsCreate(r *http.Request, body []byte) answer {
	var req sdk.JobCreateRequest
	if bad, valid := decodeBody(r, body, &req); !valid {
		return bad
	}
	conf, bad, valid := jobConfiguration(req.Configuration)
	if !valid {
		return bad
	}
	project := r.PathValue("projectName")
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, exists := s.jobs[project][req.ID]; exists {
		return conflict("job %q already exists in project %q", req.ID, project)
	}
	now := s.clock()
	if s.jobs[project] == nil {
		s.jobs[project] = map[string]*job{}
	}
	s.jobs[project][req.ID] = &job{v: sdk.Job{
		ID:            req.ID,
		Payload:       req.Payload,
		Configuration: conf,
		Schedule:      req.Schedule,
		Sink:          req.Sink,
		AuthSession:   req.AuthSession,
		State:         sdk.JobState{Status: sdk.Ptr(sdk.JobStatusActive)},
		ProjectID:     ProjectID(project),
		CreatedAt:     &now,
		NextRunTime:   nextRunTime(req.Schedule, now),
	}}
	return ok(sdk.JobCreated{ID: sdk.Ptr(req.ID), Message: sdk.Ptr("created")})
}

// jobConfiguration is a job's configuration as the service answers it: its
// retry intervals in milliseconds, with the service's defaults (backoff
// coefficient 1, initial interval 1000 ms).
func jobConfiguration(c sdk.JobCreateConfiguration) (sdk.JobConfiguration, answer, bool) {
	out := sdk.JobConfiguration{RunMode: c.RunMode, MaxConcurrentRequests: c.MaxConcurrentRequests}
	if c.Retry == nil {
		return out, answer{}, true
	}
	retry := &sdk.JobRetry{
		MaximumAttempts:    c.Retry.MaximumAttempts,
		BackoffCoefficient: c.Retry.BackoffCoefficient,
		InitialInterval:    sdk.Ptr(sdk.Milliseconds(1000)),
	}
	if retry.BackoffCoefficient == nil {
		retry.BackoffCoefficient = sdk.Ptr(1.0)
	}
	for _, iv := range []struct {
		name string
		in   *sdk.Duration
		out  **sdk.Milliseconds
	}{
		{"initialInterval", c.Retry.InitialInterval, &retry.InitialInterval},
		{"maximumInterval", c.Retry.MaximumInterval, &retry.MaximumInterval},
	} {
		if iv.in == nil {
			continue
		}
		d, err := iv.in.Duration()
		if err != nil {
			return out, invalid("Invalid input", detail{Message: err.Error(), Path: []any{"configuration", "retry", iv.name}}), false
		}
		*iv.out = sdk.Ptr(sdk.MillisecondsOf(d))
	}
	out.Retry = retry
	return out, answer{}, true
}

// nextRunTime is when a job scheduled by sch runs next, seen at now: after
// the first of its intervals; nil without one (the fake does not work out
// calendars).
func nextRunTime(sch *sdk.JobSchedule, now time.Time) *time.Time {
	if sch == nil || len(sch.Intervals) == 0 {
		return nil
	}
	var d time.Duration
	switch every := sch.Intervals[0].Every.(type) {
	case sdk.Duration:
		var err error
		if d, err = every.Duration(); err != nil {
			return nil
		}
	case sdk.Milliseconds:
		d = every.Duration()
	default:
		return nil
	}
	next := now.Add(d)
	return &next
}

func (s *Server) projectJobsAll(r *http.Request, _ []byte) answer {
	project := r.PathValue("projectName")
	s.mu.Lock()
	defer s.mu.Unlock()
	return ok(byID(s.jobs[project], func(_ string, j *job) sdk.Job { return j.v }))
}

func (s *Server) projectJobsOne(r *http.Request, _ []byte) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := s.jobLocked(r.PathValue("projectName"), r.PathValue("jobId"))
	if err != nil {
		return errorAnswer(err)
	}
	return ok(j.v)
}

func (s *Server) projectJobsDelete(r *http.Request, _ []byte) answer {
	project, id := r.PathValue("projectName"), r.PathValue("jobId")
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.jobLocked(project, id); err != nil {
		return errorAnswer(err)
	}
	delete(s.jobs[project], id) // its runs go with it
	return answer{}             // 204, no body
}

// pausedByAPI is the reason of a job paused by project.jobs.pause.
const pausedByAPI = "Paused by the API"

// projectJobsPause pauses a job: it is not scheduled to run (next_run_time null)
// until resumed. Its runs go on.
func (s *Server) projectJobsPause(r *http.Request, _ []byte) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := s.jobLocked(r.PathValue("projectName"), r.PathValue("jobId"))
	if err != nil {
		return errorAnswer(err)
	}
	j.v.State = sdk.JobState{Status: sdk.Ptr(sdk.JobStatusPaused), Reason: sdk.Ptr(pausedByAPI)}
	j.v.NextRunTime = nil
	return ok(sdk.JobPaused{ID: sdk.Ptr(j.v.ID), Message: sdk.Ptr("Paused")})
}

// projectJobsResume makes a job active again, scheduled from now.
func (s *Server) projectJobsResume(r *http.Request, _ []byte) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := s.jobLocked(r.PathValue("projectName"), r.PathValue("jobId"))
	if err != nil {
		return errorAnswer(err)
	}
	j.v.State = sdk.JobState{Status: sdk.Ptr(sdk.JobStatusActive)}
	j.v.NextRunTime = nextRunTime(j.v.Schedule, s.clock())
	return ok(sdk.JobResumed{ID: sdk.Ptr(j.v.ID), Message: sdk.Ptr("Resumed")})
}

// projectJobsTrigger starts a MANUAL run of a job: one scripted API run per entry
// of its payload. With a webhook sink, the runs end at once, their results
// sent to the sink (sinks.go).
func (s *Server) projectJobsTrigger(r *http.Request, _ []byte) answer {
	project := r.PathValue("projectName")
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := s.jobLocked(project, r.PathValue("jobId"))
	if err != nil {
		return errorAnswer(err)
	}
	now := s.clock()
	jr := &jobRun{v: sdk.JobRun{
		ID:          s.newIDLocked(),
		ProjectID:   j.v.ProjectID,
		JobID:       j.v.ID,
		StartTime:   now,
		Status:      sdk.JobRunStatusPending,
		Type:        sdk.JobRunTypeManual,
		WorkspaceID: s.WorkspaceID,
	}}
	for _, p := range j.v.Payload {
		jr.apis = append(jr.apis, s.newRunLocked(APIRun{Project: project, API: p.APIName, Parameters: p.Parameters, Job: j.v.ID}))
	}
	s.jobRunToSinkLocked(project, j, jr)
	jr.summarize()
	j.runs = append(j.runs, jr)
	j.v.LastRunTime = &now
	return ok(sdk.JobTriggered{ID: sdk.Ptr(j.v.ID), Message: sdk.Ptr("Triggered")})
}

// look moves each API of a PENDING run on by one look, and the run to
// COMPLETED when they all completed, or FAILED when they all ended and any
// failed.
func (jr *jobRun) look() {
	if jr.v.Status != sdk.JobRunStatusPending {
		return
	}
	for _, a := range jr.apis {
		if a.ended == running {
			a.ended = a.next(lookPoll).ends()
		}
	}
	jr.summarize()
}

// summarize sets the run's summary, and its status once every API ended.
func (jr *jobRun) summarize() {
	var sum sdk.JobRunSummary
	var pending int
	for _, a := range jr.apis {
		switch a.ended {
		case succeeded:
			sum.SuccessCount++
		case failed:
			sum.FailuresCount++
		default:
			pending++
		}
	}
	sum.APIsCount = len(jr.apis)
	sum.PendingCount = &pending
	jr.v.Summary = &sum
	if pending == 0 && jr.v.Status == sdk.JobRunStatusPending {
		jr.v.Status = sdk.JobRunStatusCompleted
		if sum.FailuresCount > 0 {
			jr.v.Status = sdk.JobRunStatusFailed
		}
	}
}

// projectJobsRunsAll lists the runs of a job, oldest first, after moving each
// PENDING one on by one look (see RunStep).
func (s *Server) projectJobsRunsAll(r *http.Request, _ []byte) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := s.jobLocked(r.PathValue("projectName"), r.PathValue("jobId"))
	if err != nil {
		return errorAnswer(err)
	}
	out := make([]sdk.JobRun, 0, len(j.runs))
	for _, jr := range j.runs {
		jr.look()
		out = append(out, jr.v)
	}
	return ok(out)
}

func (s *Server) projectJobsRunsTerminate(r *http.Request, _ []byte) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := s.jobLocked(r.PathValue("projectName"), r.PathValue("jobId"))
	if err != nil {
		return errorAnswer(err)
	}
	id := r.PathValue("runId")
	for _, jr := range j.runs {
		if jr.v.ID != id {
			continue
		}
		if jr.v.Status != sdk.JobRunStatusPending {
			return invalid(fmt.Sprintf("job run %q is %s: only a PENDING run can be terminated", id, jr.v.Status))
		}
		jr.v.Status = sdk.JobRunStatusTerminated
		return ok(sdk.JobRunTerminated{Message: sdk.Ptr("Job run terminated")})
	}
	return errorAnswer(notFound("run %q of job %q not found", id, j.v.ID))
}
