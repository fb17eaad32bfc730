package intunedtest

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/intuned/intuned-go/sdk"
)

// This file makes the payloads of webhook sinks without a server, for the
// unit tests of a receiver.

// The project, job and queue of the payloads NewSinkResultProjectJob and
// NewSinkResultProjectQueue make.
const (
	payloadProject = "my-project"
	payloadJob     = "my-job"
	payloadQueue   = "my-queue"
)

// NewSinkResultProjectJob returns the payload a job's webhook sink receives for a
// run of apiName that ended in result (an sdk.SinkAPICompleted or an
// sdk.SinkAPIFailed), for a receiver's unit tests: workspace
// DefaultWorkspaceID, project "my-project" (its ID is
// ProjectID("my-project")), job "my-job", no auth session, no parameters,
// and a run ID and a job run ID that no other call returns (random UUIDs),
// as for a new run. Set the fields you need; send the same value twice for
// a result delivered twice.
func NewSinkResultProjectJob(apiName string, result sdk.SinkAPIResult) sdk.SinkResultProjectJob {
	return sdk.SinkResultProjectJob{
		APIInfo:       sdk.SinkAPIInfo{Name: apiName, RunID: randomID(), Result: result},
		WorkspaceID:   DefaultWorkspaceID,
		Project:       sdk.SinkProject{ID: ProjectID(payloadProject), Name: payloadProject},
		ProjectJob:    sdk.SinkProjectJob{ID: payloadJob},
		ProjectJobRun: sdk.SinkProjectJobRun{ID: randomID()},
	}
}

// NewSinkResultProjectQueue returns the payload a queue's webhook sink receives
// for an item, a run of apiName that ended in result (an
// sdk.SinkAPICompleted or an sdk.SinkAPIFailed), for a receiver's unit
// tests: workspace DefaultWorkspaceID, project "my-project" (its ID is
// ProjectID("my-project")), queue "my-queue", no auth session, no
// parameters, and a run ID that no other call returns (a random UUID), as
// for a new item. Set the fields you need; send the same value twice for a
// result delivered twice.
func NewSinkResultProjectQueue(apiName string, result sdk.SinkAPIResult) sdk.SinkResultProjectQueue {
	return sdk.SinkResultProjectQueue{
		APIInfo:      sdk.SinkAPIInfo{Name: apiName, RunID: randomID(), Result: result},
		WorkspaceID:  DefaultWorkspaceID,
		Project:      sdk.SinkProject{ID: ProjectID(payloadProject), Name: payloadProject},
		ProjectQueue: sdk.SinkProjectQueue{ID: payloadQueue},
	}
}

// NewSinkRequest returns the request a webhook sink receives for result, as
// the Server sends it, for a receiver's unit tests without a server: a POST
// whose body is result's JSON, byte for byte as the Server sends it, with
// header's fields (the sink's headers: its secret) and Content-Type:
// application/json. As with httptest.NewRequest, which makes it, it is an
// incoming request to target (a path such as "/hooks/intuned", or an
// absolute URL), for any http.Handler's ServeHTTP with an
// httptest.ResponseRecorder. It panics if result does not encode (a Result
// that is not JSON), as httptest.NewRequest panics on what it cannot use.
func NewSinkRequest(target string, result sdk.SinkResult, header http.Header) *http.Request {
	body, err := encodePayload(result)
	if err != nil {
		panic("intunedtest: NewSinkRequest: " + err.Error())
	}
	req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

// randomID returns a random UUID (version 4).
func randomID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
