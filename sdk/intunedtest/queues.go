package intunedtest

import (
	"net/http"

	"github.com/intuned/intuned-go/sdk"
)

// queue is a queue of a project, as it was created, with its items (by run
// ID) and repeat items (by ID). Repeat items are replaced, never changed in
// place: answers hold copies that are encoded after the lock is released.
type queue struct {
	v      sdk.Queue
	items  map[string]*apiRun
	repeat map[string]sdk.QueueRepeatItem
}

// queueLocked finds a queue of a project.
func (s *Server) queueLocked(project, id string) (*queue, error) {
	q, found := s.queues[project][id]
	if !found {
		return nil, notFound("queue %q not found in project %q", id, project)
	}
	return q, nil
}

// queueOfLocked finds the queue a request names.
func (s *Server) queueOfLocked(r *http.Request) (*queue, error) {
	return s.queueLocked(r.PathValue("projectName"), r.PathValue("queueId"))
}

func (s *Server) projectQueuesCreate(r *http.Request, body []byte) answer {
	var req sdk.QueueCreateRequest
	if bad, valid := decodeBody(r, body, &req); !valid {
		return bad
	}
	project := r.PathValue("projectName")
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.ID == nil {
		req.ID = sdk.Ptr(s.newIDLocked())
	}
	id := *req.ID
	if _, exists := s.queues[project][id]; exists {
		return conflict("queue %q already exists in project %q", id, project)
	}
	if s.queues[project] == nil {
		s.queues[project] = map[string]*queue{}
	}
	s.queues[project][id] = &queue{v: sdk.Queue(req), items: map[string]*apiRun{}, repeat: map[string]sdk.QueueRepeatItem{}}
	return ok(sdk.QueueCreated{ID: sdk.Ptr(id)})
}

func (s *Server) projectQueuesAll(r *http.Request, _ []byte) answer {
	project := r.PathValue("projectName")
	s.mu.Lock()
	defer s.mu.Unlock()
	return ok(byID(s.queues[project], func(_ string, q *queue) sdk.Queue { return q.v }))
}

func (s *Server) projectQueuesOne(r *http.Request, _ []byte) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, err := s.queueOfLocked(r)
	if err != nil {
		return errorAnswer(err)
	}
	return ok(q.v)
}

func (s *Server) projectQueuesDelete(r *http.Request, _ []byte) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.queueOfLocked(r); err != nil {
		return errorAnswer(err)
	}
	// Its items and repeat items go with it.
	delete(s.queues[r.PathValue("projectName")], r.PathValue("queueId"))
	return answer{} // 204, no body
}

func (s *Server) projectQueuesItemsAppend(r *http.Request, body []byte) answer {
	var req sdk.QueueItemAppendRequest
	if bad, valid := decodeBody(r, body, &req); !valid {
		return bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q, err := s.queueOfLocked(r)
	if err != nil {
		return errorAnswer(err)
	}
	run := s.newRunLocked(APIRun{Project: r.PathValue("projectName"), API: req.APIName, Parameters: req.Parameters, Queue: r.PathValue("queueId")})
	q.items[run.id] = run
	s.itemToSinkLocked(r.PathValue("projectName"), q, run)
	return ok(sdk.QueueItemAppended{RunID: run.id, Status: "queued"})
}

// itemLocked finds the queue item a request names.
func (s *Server) itemLocked(r *http.Request) (*queue, *apiRun, error) {
	q, err := s.queueOfLocked(r)
	if err != nil {
		return nil, nil, err
	}
	id := r.PathValue("itemRunId")
	run, found := q.items[id]
	if !found {
		return nil, nil, notFound("item %q not found in queue %q", id, r.PathValue("queueId"))
	}
	return q, run, nil
}

func (s *Server) projectQueuesItemsResult(r *http.Request, _ []byte) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, run, err := s.itemLocked(r)
	if err != nil {
		return errorAnswer(err)
	}
	return ok(itemAnswer(run.id, run.next(lookItem)))
}

// itemAnswer is what project.queues.items.result answers for an item
// showing st: an sdk.QueueItemResult, or a rawResult.
func itemAnswer(runID string, st RunStep) any {
	switch st.kind {
	case runQueued:
		return sdk.QueueItemQueued{RunID: runID}
	case runCompleted:
		return sdk.QueueItemCompleted{RunID: runID, StatusCode: st.statusCode, Result: sdk.RawJSON(st.result)}
	case runFailed:
		return sdk.QueueItemFailed{RunID: runID, StatusCode: st.statusCode, Error: sdk.RawJSON(st.errObject)}
	case runRaw:
		return rawResult(st.raw)
	}
	return sdk.QueueItemPending{RunID: runID}
}

func (s *Server) projectQueuesItemsDelete(r *http.Request, _ []byte) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, run, err := s.itemLocked(r)
	if err != nil {
		return errorAnswer(err)
	}
	delete(q.items, run.id)
	return answer{} // 204, no body
}

// repeatInput decodes and checks the body of repeatItems.append or
// .update. The model's Validate checks the repeat's pattern and its
// 10-minute minimum (x-sdk-min-duration); what it leaves is a repeat too
// long for a time.Duration.
func repeatInput(r *http.Request, body []byte) (sdk.QueueRepeatItemRequest, answer, bool) {
	var req sdk.QueueRepeatItemRequest
	if bad, valid := decodeBody(r, body, &req); !valid {
		return req, bad, false
	}
	if _, err := req.Repeat.Duration(); err != nil {
		return req, invalid("Invalid input", detail{Message: err.Error(), Path: []any{"repeat"}}), false
	}
	return req, answer{}, true
}

func (s *Server) projectQueuesRepeatItemsAppend(r *http.Request, body []byte) answer {
	req, bad, valid := repeatInput(r, body)
	if !valid {
		return bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q, err := s.queueOfLocked(r)
	if err != nil {
		return errorAnswer(err)
	}
	id := s.newIDLocked()
	q.repeat[id] = sdk.QueueRepeatItem{APIName: req.APIName, Parameters: req.Parameters, Retry: req.Retry, Repeat: req.Repeat, ID: id}
	return ok(sdk.QueueRepeatItemAppended{ID: id, Status: "repeatable item created"})
}

func (s *Server) projectQueuesRepeatItemsAll(r *http.Request, _ []byte) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, err := s.queueOfLocked(r)
	if err != nil {
		return errorAnswer(err)
	}
	return ok(byID(q.repeat, func(_ string, item sdk.QueueRepeatItem) sdk.QueueRepeatItem { return item }))
}

// repeatItemLocked finds the repeat item a request names.
func (s *Server) repeatItemLocked(r *http.Request) (*queue, sdk.QueueRepeatItem, error) {
	q, err := s.queueOfLocked(r)
	if err != nil {
		return nil, sdk.QueueRepeatItem{}, err
	}
	id := r.PathValue("itemId")
	item, found := q.repeat[id]
	if !found {
		return nil, item, notFound("repeat item %q not found in queue %q", id, r.PathValue("queueId"))
	}
	return q, item, nil
}

func (s *Server) projectQueuesRepeatItemsOne(r *http.Request, _ []byte) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, item, err := s.repeatItemLocked(r)
	if err != nil {
		return errorAnswer(err)
	}
	return ok(item)
}

// projectQueuesRepeatItemsUpdate replaces what a repeat item runs and how often; its ID
// and last run stay.
func (s *Server) projectQueuesRepeatItemsUpdate(r *http.Request, body []byte) answer {
	req, bad, valid := repeatInput(r, body)
	if !valid {
		return bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q, item, err := s.repeatItemLocked(r)
	if err != nil {
		return errorAnswer(err)
	}
	q.repeat[item.ID] = sdk.QueueRepeatItem{APIName: req.APIName, Parameters: req.Parameters, Retry: req.Retry, Repeat: req.Repeat, ID: item.ID, LastRunID: item.LastRunID}
	return ok(sdk.QueueRepeatItemUpdated{Message: sdk.Ptr("repeatable item updated")})
}

func (s *Server) projectQueuesRepeatItemsDelete(r *http.Request, _ []byte) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, item, err := s.repeatItemLocked(r)
	if err != nil {
		return errorAnswer(err)
	}
	delete(q.repeat, item.ID)
	return answer{} // 204, no body
}
