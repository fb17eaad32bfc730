package sdk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/intuned/intuned-go/internal/testdiff"
	"github.com/intuned/intuned-go/sdk"
	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// The tests of this file hold the SDK to what encoding/json does not give:
// member names matched byte for byte (after escapes), the discriminator a
// variant was sent with, unions without a discriminator that never decode
// into their Unknown variant, integers in any whole-valued JSON form, a
// byte-order mark skipped, nullable request members sent as absent, null or
// a value, and extraction models refused before sending.

// exactSwitch is a loopback server whose answer the test sets before each
// call, so that a sweep of many answers uses one server.
type exactSwitch struct {
	*server
	mu     sync.Mutex
	status int
	body   string
}

func newExactSwitch(t *testing.T) *exactSwitch {
	t.Helper()
	sw := &exactSwitch{}
	sw.server = newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		sw.mu.Lock()
		status, body := sw.status, sw.body
		sw.mu.Unlock()
		reply(status, body)(w, r, n)
	})
	return sw
}

// call makes op's call answered with status and body.
func (sw *exactSwitch) call(t *testing.T, c *sdk.Client, op operationCall, status int, body string) (any, error) {
	t.Helper()
	sw.mu.Lock()
	sw.status, sw.body = status, body
	sw.mu.Unlock()
	return op.call(context.Background(), c)
}

// exactKeepRaw names the members whose values the SDK keeps as received (a
// run's result and parameters, a queue's metadata, a failed item's error
// object, a webhook's headers): members added inside them are kept too, so
// the sweep does not add any there.
var exactKeepRaw = map[string]bool{"result": true, "parameters": true, "metadata": true, "error": true, "headers": true}

// exactVariants returns names, as JSON string literals, that differ from
// name only in case or by Unicode simple folding (which encoding/json
// ignores): the first letter's case flipped (as itself and as a \u escape),
// all upper case, all lower case, and a Kelvin sign (U+212A) for a k or a
// long s (U+017F) for an s, as UTF-8 and as a \u escape.
func exactVariants(name string) []string {
	var out []string
	quote := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	if r := []rune(name); len(r) > 0 && unicode.IsLetter(r[0]) {
		if unicode.IsUpper(r[0]) {
			r[0] = unicode.ToLower(r[0])
		} else {
			r[0] = unicode.ToUpper(r[0])
		}
		out = append(out, quote(string(r)), fmt.Sprintf(`"\u%04x%s`, r[0], quote(string(r[1:]))[1:]))
	}
	if u := strings.ToUpper(name); u != name {
		out = append(out, quote(u))
	}
	if l := strings.ToLower(name); l != name {
		out = append(out, quote(l))
	}
	for _, f := range []struct {
		letters string
		fold    rune
	}{{"kK", '\u212a'}, {"sS", '\u017f'}} {
		if i := strings.IndexAny(name, f.letters); i >= 0 {
			out = append(out, quote(name[:i]+string(f.fold)+name[i+1:]),
				fmt.Sprintf(`"%s\u%04x%s"`, name[:i], f.fold, name[i+1:]))
		}
	}
	return out
}

// exactOtherType returns a JSON value of another type than v.
func exactOtherType(v sdk.RawJSON) string {
	switch v[0] {
	case '"':
		return `12345`
	case '{':
		return `["EVIL"]`
	case '[':
		return `{"EVIL":1}`
	}
	return `"EVIL"` // a number, a boolean or null
}

// exactMutate returns the JSON value raw with, in each object at any depth
// (except inside the values the SDK keeps as received), a member for each
// of exactVariants of each member's name, holding a value of another JSON
// type: before the object's members (first) or after them.
func exactMutate(t *testing.T, raw sdk.RawJSON, first bool) string {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	tok, err := d.Token()
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	switch tok {
	case json.Delim('{'):
		type kv struct {
			k string
			v sdk.RawJSON
		}
		var kvs []kv
		names := map[string]bool{}
		for d.More() {
			k, err := d.Token()
			if err != nil {
				t.Fatal(err)
			}
			var v sdk.RawJSON
			if err := d.Decode(&v); err != nil {
				t.Fatal(err)
			}
			kvs = append(kvs, kv{k.(string), v})
			names[k.(string)] = true
		}
		var members, added []string
		for _, m := range kvs {
			v := string(m.v)
			if !exactKeepRaw[m.k] {
				v = exactMutate(t, m.v, first)
			}
			k, _ := json.Marshal(m.k)
			members = append(members, string(k)+":"+v)
			for _, lit := range exactVariants(m.k) {
				var n string
				if err := json.Unmarshal([]byte(lit), &n); err != nil {
					t.Fatalf("variant %s: %v", lit, err)
				}
				if !names[n] {
					added = append(added, lit+":"+exactOtherType(m.v))
				}
			}
		}
		if first {
			members = append(added, members...)
		} else {
			members = append(members, added...)
		}
		return "{" + strings.Join(members, ",") + "}"
	case json.Delim('['):
		var elems []string
		for d.More() {
			var v sdk.RawJSON
			if err := d.Decode(&v); err != nil {
				t.Fatal(err)
			}
			elems = append(elems, exactMutate(t, v, first))
		}
		return "[" + strings.Join(elems, ",") + "]"
	}
	return string(raw)
}

// Valid success bodies beyond the one allOperations holds for each
// operation: every variant of a union, lists that are not empty, the
// optional members set.
var exactBodies = func() map[string][]string {
	authResults := []string{`{"status":"pending"}`, `{"status":"done","authSessionId":"s-1"}`, moreInfoBody,
		`{"status":"requested_more_info","id":"i2","details":{"requestType":"multiple_choice","action":"request_more_info","messageToUser":"Where?","choices":["email","sms"]}}`,
		`{"status":"failed","error":"login_failed","message":"Wrong password"}`}
	runFailed := `{"status":"failed","runId":"run-1234","statusCode":500,"error":"api_error","message":"The page did not load"}`
	scheduled := `{"intervals":[{"every":"1h"},{"every":90000}],"calendars":[` +
		`{"hour":9,"minute":0,"dayOfWeek":"MON-FRI","comment":"weekday mornings"},` +
		`{"hour":{"start":9,"end":17,"step":2},"dayOfMonth":[{"start":1,"end":7}],"month":{"start":"JANUARY"}}]}`
	jobFull := jobJSON(map[string]string{"schedule": scheduled, "authSession": `{"id":"my-auth-session"}`,
		"sink":       `{"type":"webhook","url":"https://hooks.example.com/intuned","headers":{"Authorization":"Bearer secret"},"skipOnFail":true}`,
		"created_at": `"2024-09-09T08:00:00Z"`, "state": `{"status":"ACTIVE","reason":"r"}`,
		"configuration": `{"runMode":"Order-Irrelevant","maxConcurrentRequests":2,"retry":{"maximumAttempts":3,"backoffCoefficient":1,"initialInterval":1000,"maximumInterval":600000}}`})
	jobRun := `{"id":"jobrun-1","projectId":"p-1","jobId":"nightly-prices","start_time":"2024-09-09T08:00:00.000Z","status":"COMPLETED","type":"SCHEDULED",` +
		`"workspace_id":"w-1","summary":{"apis_count":2,"success_count":1,"failures_count":1,"pending_count":0}}`
	queueExample := `{"id":"product-pages","name":"Product pages","configuration":{"runMode":"Default","rateLimits":[{"limit":10,"duration":"1m"}],"randomWait":{"min":1000,"max":5000}},"sink":null,"authSession":null,"metadata":null}`
	queueFull := `{"id":"q","configuration":{"runMode":"Default","retry":{"maximumAttempts":3},"schedule":{"pause":"0 18 * * *","resume":"0 8 * * *"},"randomWait":{"min":"1s","max":"5s"}},` +
		`"sink":{"type":"webhook","url":"https://hooks.example.com/intuned","skipOnFail":true},"authSession":{"id":"my-auth-session"},"metadata":{"team":"pricing","n":1}}`
	repeat := `{"apiName":"scrape-product","parameters":{"url":"https://shop.example.com/p/1"},"repeat":"1h","id":"repeat-1","lastRunId":"item-run-7","retry":{"maximumAttempts":2}}`
	items := []string{itemQueuedOK, `{"status":"pending","runId":"item-run-1"}`,
		`{"status":"completed","runId":"item-run-1","statusCode":200,"result":{"title":"Mug"}}`,
		`{"status":"failed","runId":"item-run-1","statusCode":500,"error":{"code":"api_error","message":"m"}}`}
	fileFailed := `{"operationId":"extract-1234","status":"failed","error":"unreadable_file","message":"The file is not a PDF"}`
	return map[string][]string{
		"project.authSessions.update.result": authResults,
		"project.authSessions.create.result": authResults,
		"project.authSessions.all":           {`[{"id":"s","status":"READY"},{"id":"t","status":"PENDING"}]`},
		"project.authSessions.one":           {`{"id":"s","status":"READY"}`},
		"project.run.sync":                   {runCompletedOK, runFailed},
		"project.run.result":                 {runPendingOK, runCompletedOK, runFailed},
		"project.jobs.all":                   {"[" + jobExample + "," + jobFull + "]"},
		"project.jobs.one":                   {jobExample, jobFull},
		"project.jobs.runs.all":              {"[" + jobRun + "]"},
		"project.queues.all":                 {"[" + queueExample + "," + queueFull + "]"},
		"project.queues.one":                 {queueExample, queueFull},
		"project.queues.items.result":        items,
		"project.queues.repeatItems.all":     {"[" + repeat + "]"},
		"project.queues.repeatItems.one":     {repeat},
		"files.extractMarkdown.sync":         {markdownDoneOK, fileFailed},
		"files.extractMarkdown.result":       {extractionPendingOK, markdownDoneOK, fileFailed},
		"files.extractTables.sync":           {tablesDoneOK, fileFailed},
		"files.extractTables.result":         {extractionPendingOK, tablesDoneOK, fileFailed},
		"files.extractStructuredData.sync":   {structuredDoneOK, fileFailed},
		"files.extractStructuredData.result": {extractionPendingOK, structuredDoneOK, fileFailed},
	}
}()

// The webhook payloads of sink_test.go, and how they decode.
var exactSinkBodies = []string{jobPayload, jobPayloadMinimal, queuePayloadFailed, queuePayload}

// exactSinkServer serves a NewSinkHandler with the secret, whose callback
// records what it is given; post sends it a payload as the sender does (with
// the secret) and returns the answer's status and body.
func exactSinkServer(t *testing.T) (calls *sinkCalls, post func(body string) (int, string)) {
	t.Helper()
	calls = &sinkCalls{}
	srv := httptest.NewServer(handlerOf(t, calls.fn, sdk.WithSinkLogger(nil), sdk.WithSinkSecret(sinkSecretHeader, sinkSecret)))
	t.Cleanup(srv.Close)
	client := srv.Client()
	t.Cleanup(client.CloseIdleConnections)
	return calls, func(body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/hooks/intuned", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(sinkSecretHeader, sinkSecret)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
}

// exactLast returns the last result calls holds.
func exactLast(t *testing.T, calls *sinkCalls) sdk.SinkResult {
	t.Helper()
	calls.mu.Lock()
	defer calls.mu.Unlock()
	if len(calls.results) == 0 {
		t.Fatal("the callback was not called")
	}
	return calls.results[len(calls.results)-1]
}

// exactValidation checks that err is a *ResponseValidationError at path
// whose message mentions mention.
func exactValidation(t *testing.T, err error, path, mention string) {
	t.Helper()
	var ve *sdk.ResponseValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v (%T), want a *ResponseValidationError at %q", err, err, path)
	}
	if ve.Path != path {
		t.Errorf("Path = %q, want %q (err: %v)", ve.Path, path, err)
	}
	if !strings.Contains(err.Error(), mention) {
		t.Errorf("Error() = %q, want it to mention %q", err, mention)
	}
}

// exactReplace replaces old, which must be in s, with new once.
func exactReplace(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%s is not in %s", old, s)
	}
	return strings.Replace(s, old, new, 1)
}

// exactFake POSTs body as JSON to path of the fake, with its API key, as a
// client other than the SDK would.
func exactFake(t *testing.T, srv *intunedtest.Server, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/"+srv.WorkspaceID+path, strings.NewReader(body))
	req.Header.Set("X-Api-Key", srv.APIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A member whose name differs from a known one only in case, or by Unicode
// folding, is an unknown member, ignored: in every answer, in webhook
// payloads, and in the requests the fake checks.
func TestMemberNamesMatchExactly(t *testing.T) {
	noLeaks(t)

	t.Run("every answer ignores case variants of its members", func(t *testing.T) {
		sw := newExactSwitch(t)
		c := newClient(t, sw.server)
		done := map[string]bool{}
		var noBody []string
		for _, op := range allOperations {
			if done[op.name] {
				continue
			}
			done[op.name] = true
			if op.body == "" {
				noBody = append(noBody, op.name)
				continue
			}
			bodies := exactBodies[op.name]
			if bodies == nil {
				bodies = []string{op.body}
			}
			for i, body := range bodies {
				want, err := sw.call(t, c, op, op.success, body)
				if err != nil {
					t.Fatalf("%s: the body %s: %v", op.name, body, err)
				}
				for _, first := range []bool{false, true} {
					mutated := exactMutate(t, sdk.RawJSON(body), first)
					got, err := sw.call(t, c, op, op.success, mutated)
					if err != nil {
						t.Errorf("%s #%d (variants first: %v): %v\nbody: %s", op.name, i, first, err, mutated)
						continue
					}
					if diff := testdiff.Diff(want, got); diff != "" || !reflect.DeepEqual(want, got) {
						t.Errorf("%s #%d (variants first: %v): decoded differently (-want +got):\n%s\nbody: %s", op.name, i, first, diff, mutated)
					}
				}
			}
		}
		// The operations that answer 204 No Content have no body to sweep.
		if want := "project.authSessions.delete project.jobs.delete project.queues.delete project.queues.items.delete project.queues.repeatItems.delete"; strings.Join(noBody, " ") != want {
			t.Errorf("operations without a body: %v, want %s", noBody, want)
		}
		t.Logf("skipped (204 No Content, no body): %s", strings.Join(noBody, ", "))
	})

	t.Run("every webhook payload ignores case variants of its members", func(t *testing.T) {
		for _, body := range exactSinkBodies {
			want, err := sdk.ParseSinkResult([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			for _, first := range []bool{false, true} {
				mutated := exactMutate(t, sdk.RawJSON(body), first)
				got, err := sdk.ParseSinkResult([]byte(mutated))
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("%s: got %#v, %v\nwant %#v", mutated, got, err, want)
				}
			}
		}
	})

	// A nested member, a marker, the repeated name, escapes, and the
	// Unicode folds of encoding/json, one by one.
	job := func(t *testing.T, old, new string) string { return exactReplace(t, jobPayload, old, new) }
	jobWant, err := sdk.ParseSinkResult([]byte(jobPayload))
	if err != nil {
		t.Fatal(err)
	}
	queueWant, err := sdk.ParseSinkResult([]byte(queuePayload))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("webhook payloads", func(t *testing.T) {
		same := []struct{ name, old, new string }{
			{"RunId after runId", `"runId":"run-1"`, `"runId":"run-1","RunId":"run-EVIL"`},
			{"RunId before runId", `"runId":"run-1"`, `"RunId":"run-EVIL","runId":"run-1"`},
			{"RUNID, runid, RunID and runID", `"runId":"run-1"`, `"runId":"run-1","RUNID":"a","runid":"b","RunID":"c","runID":"d"`},
			{"ID in projectJobRun", `"projectJobRun":{"id":"jr-1"}`, `"projectJobRun":{"id":"jr-1","ID":"jr-EVIL"}`},
			{"Id before id in projectJob", `"projectJob":{"id":"nightly"}`, `"projectJob":{"Id":"EVIL","id":"nightly"}`},
			{"ApiInfo after apiInfo", `"workspaceId":"ws-1"`, `"workspaceId":"ws-1","ApiInfo":{"name":"EVIL"}`},
			{"Status in a result", `"status":"completed",`, `"status":"completed","Status":"failed","STATUS":1,`},
			{"a Kelvin sign in workspaceId", `"workspaceId":"ws-1"`, `"workspaceId":"ws-1","wor\u212aspaceId":"ws-EVIL","wor` + "\u212a" + `spaceId":"ws-EVIL"`},
			{"a long s in status", `"status":"completed",`, `"status":"completed","\u017ftatus":"failed","` + "\u017f" + `tatus":"failed",`},
			{"a case variant of the other marker", `"projectJob":`, `"ProjectQueue":{"id":"EVIL"},"PROJECTQUEUE":{"id":"EVIL"},"projectJob":`},
			{"the name escaped is the name", `"runId":"run-1"`, `"\u0072unId":"run-1"`},
			{"the name fully escaped is the name", `"runId":"run-1"`, `"\u0072\u0075\u006e\u0049\u0064":"run-1"`},
			{"the last of a repeated name wins", `"runId":"run-1"`, `"runId":"run-0","runId":"run-1"`},
			{"the marker escaped is the marker", `"projectJob":`, `"pro\u006aectJob":`},
		}
		for _, tt := range same {
			body := job(t, tt.old, tt.new)
			got, err := sdk.ParseSinkResult([]byte(body))
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			if !reflect.DeepEqual(got, jobWant) {
				t.Errorf("%s: got %#v\nwant %#v", tt.name, got, jobWant)
			}
			if r, ok := got.(sdk.SinkResultProjectJob); !ok || r.APIInfo.RunID != "run-1" || r.ProjectJobRun.ID != "jr-1" {
				t.Errorf("%s: run ID %q, job run ID %q", tt.name, r.APIInfo.RunID, r.ProjectJobRun.ID)
			}
		}
		refused := []struct{ name, old, new, path, mention string }{
			{"RUNID without runId", `"runId":"run-1"`, `"RUNID":"run-1"`, "apiInfo.runId", "missing"},
			{"RunId without runId", `"runId":"run-1"`, `"RunId":"run-1"`, "apiInfo.runId", "missing"},
			{"ApiInfo for apiInfo", `"apiInfo":`, `"ApiInfo":`, "apiInfo", "missing"},
			{"Status for status", `"status":"completed",`, `"Status":"completed",`, "apiInfo.result.status", "missing"},
			{"a long s for the s of status, escaped", `"status":"completed",`, `"\u017ftatus":"completed",`, "apiInfo.result.status", "missing"},
			{"a long s for the s of status", `"status":"completed",`, `"` + "\u017f" + `tatus":"completed",`, "apiInfo.result.status", "missing"},
			{"a Kelvin sign for the k of workspaceId, escaped", `"workspaceId":`, `"wor\u212aspaceId":`, "workspaceId", "missing"},
			{"a Kelvin sign for the k of workspaceId", `"workspaceId":`, `"wor` + "\u212a" + `spaceId":`, "workspaceId", "missing"},
			{"ID for id in projectJobRun", `"projectJobRun":{"id":"jr-1"}`, `"projectJobRun":{"ID":"jr-1"}`, "projectJobRun.id", "missing"},
			{"WorkspaceId for workspaceId", `"workspaceId":`, `"WorkspaceId":`, "workspaceId", "missing"},
		}
		for _, tt := range refused {
			body := job(t, tt.old, tt.new)
			res, err := sdk.ParseSinkResult([]byte(body))
			if res != nil {
				t.Errorf("%s: got %#v", tt.name, res)
			}
			t.Run(tt.name, func(t *testing.T) { exactValidation(t, err, tt.path, tt.mention) })
		}
		// A marker in another case is not the marker: the payload is of a
		// kind this SDK does not know.
		for _, body := range []string{
			job(t, `"projectJob":`, `"projectjob":`),
			job(t, `"projectJob":`, `"ProjectJob":`),
			job(t, `"projectJob":`, `"PROJECTJOB":{"id":"x"},"pro\u006aectjob":`),
			exactReplace(t, queuePayload, `"projectQueue":`, `"PROJECTQUEUE":`),
			exactReplace(t, queuePayload, `"projectQueue":`, `"projectqueue":`),
		} {
			got, err := sdk.ParseSinkResult([]byte(body))
			if u, ok := got.(sdk.SinkResultUnknown); err != nil || !ok || string(u.Raw) != body {
				t.Errorf("%.120s: got %#v, %v; want a SinkResultUnknown", body, got, err)
			}
		}
		// And a case variant of the job marker in a queue payload is not a
		// second marker.
		body := exactReplace(t, queuePayload, `"projectQueue":`, `"ProjectJob":{"id":"x"},"projectQueue":`)
		if got, err := sdk.ParseSinkResult([]byte(body)); err != nil || !reflect.DeepEqual(got, queueWant) {
			t.Errorf("ProjectJob in a queue payload: got %#v, %v", got, err)
		}
	})

	t.Run("the sink handler", func(t *testing.T) {
		calls, post := exactSinkServer(t)
		if code, msg := post(job(t, `"runId":"run-1"`, `"runId":"run-1","RunId":"run-EVIL"`)); code != http.StatusNoContent {
			t.Fatalf("RunId: %d %s, want 204", code, msg)
		}
		if r, ok := exactLast(t, calls).(sdk.SinkResultProjectJob); !ok || r.APIInfo.RunID != "run-1" {
			t.Errorf("the callback saw %#v, want run-1", r)
		}
		if code, msg := post(job(t, `"runId":"run-1"`, `"RUNID":"run-1"`)); code != http.StatusBadRequest || !strings.Contains(msg, "apiInfo.runId") {
			t.Errorf("RUNID without runId: %d %s, want 400 naming apiInfo.runId", code, msg)
		}
		// Every member but the marker in another case: nothing the payload
		// needs is there.
		variants := `{"ApiInfo":{"Name":"scrape-product","RunId":"run-1","Result":{"Status":"completed","StatusCode":200}},"WorkspaceId":"ws-1",` +
			`"Project":{"Id":"p-1","Name":"my-project"},"projectJob":{"ID":"nightly"},"ProjectJobRun":{"ID":"jr-1"}}`
		n := calls.count()
		if code, msg := post(variants); code != http.StatusBadRequest || !strings.Contains(msg, "apiInfo") {
			t.Errorf("case variants only: %d %s, want 400 naming apiInfo", code, msg)
		}
		if calls.count() != n {
			t.Error("the callback was called with a payload refused")
		}
		// The marker in another case too: a payload of a kind this SDK
		// does not know, which the handler passes on as it is.
		unknown := strings.Replace(variants, `"projectJob"`, `"ProjectJob"`, 1)
		if code, msg := post(unknown); code != http.StatusNoContent {
			t.Fatalf("case variants and marker: %d %s, want 204", code, msg)
		}
		if u, ok := exactLast(t, calls).(sdk.SinkResultUnknown); !ok || string(u.Raw) != unknown {
			t.Errorf("the callback saw %#v, want a SinkResultUnknown", exactLast(t, calls))
		}
	})

	t.Run("an answer", func(t *testing.T) {
		sw := newExactSwitch(t)
		c := newClient(t, sw.server)
		one := opNamed(t, "project.authSessions.one")
		right := sdk.AuthSession{ID: "right", Status: sdk.AuthSessionStatusReady}
		for _, body := range []string{
			`{"id":"right","ID":"EVIL","status":"READY"}`,
			`{"ID":"EVIL","id":"right","status":"READY"}`,
			`{"id":"right","Id":7,"iD":null,"status":"READY","Status":"PENDING","STATUS":false}`,
			`{"\u0069d":"right","status":"READY"}`,
			`{"\u0069\u0064":"right","\u0073tatus":"READY"}`,
			`{"id":"first","id":"right","status":"READY"}`,
			`{"id":"right","status":"PENDING","status":"READY"}`,
			`{"id":"right","status":"READY","\u017ftatus":"PENDING","` + "\u017f" + `tatus":"PENDING"}`,
		} {
			got, err := sw.call(t, c, one, 200, body)
			if err != nil || got != right {
				t.Errorf("%s: %#v, %v; want %#v", body, got, err, right)
			}
		}
		for _, tt := range []struct{ body, path string }{
			{`{"ID":"right","status":"READY"}`, "id"},
			{`{"Id":"right","iD":"right","status":"READY"}`, "id"},
			{`{"id":"right","Status":"READY"}`, "status"},
			{`{"id":"right","\u017ftatus":"READY"}`, "status"},
			{`{"id":"right","` + "\u017f" + `tatus":"READY"}`, "status"},
			{`{"id":"right","STATUS":"READY"}`, "status"},
		} {
			got, err := sw.call(t, c, one, 200, tt.body)
			if got != (sdk.AuthSession{}) {
				t.Errorf("%s: got %#v", tt.body, got)
			}
			t.Run(tt.body, func(t *testing.T) { exactValidation(t, err, tt.path, "missing") })
		}
		// A marker of a union with a discriminator in another case is not
		// the discriminator: the variant is told by "status" alone.
		got, err := sw.call(t, c, opNamed(t, "project.run.result"), 200, `{"Status":"completed","status":"pending","runId":"run-1","StatusCode":200}`)
		if err != nil || got != sdk.RunResult(sdk.RunPending{RunID: "run-1"}) {
			t.Errorf("Status completed, status pending: %#v, %v", got, err)
		}
	})

	t.Run("the fake's request checks", func(t *testing.T) {
		srv := intunedtest.NewServer(intunedtest.WithAuthSessions("p", "a", "b"))
		defer srv.Close()
		type detail struct {
			Message string `json:"message"`
			Path    []any  `json:"path"`
		}
		var answer struct {
			Message string   `json:"message"`
			Details []detail `json:"details"`
		}
		code, body := exactFake(t, srv, "/projects/p/auth-sessions/update", `{"ID":"a"}`)
		if err := json.Unmarshal([]byte(body), &answer); err != nil || code != 400 || len(answer.Details) != 1 ||
			!reflect.DeepEqual(answer.Details[0].Path, []any{"id"}) || !strings.Contains(answer.Details[0].Message, "missing") {
			t.Errorf(`{"ID":"a"}: %d %s; want 400 with id missing`, code, body)
		}
		for _, tt := range []struct{ body, id string }{
			{`{"id":"a","Id":"b"}`, "a"},
			{`{"Id":"b","id":"a","ID":"b"}`, "a"},
			{`{"id":"b","i\u0064":"a"}`, "a"},
			// A member the model does not have is ignored, null or not.
			{`{"id":"a","ID":null}`, "a"},
			{`{"id":"a","extra":null,"Proxy":null}`, "a"},
		} {
			code, body := exactFake(t, srv, "/projects/p/auth-sessions/update", tt.body)
			var started struct {
				OperationID string `json:"operationId"`
			}
			if err := json.Unmarshal([]byte(body), &started); err != nil || code != 201 || started.OperationID == "" {
				t.Errorf("%s: %d %s; want 201", tt.body, code, body)
				continue
			}
			// The default script is pending once, then done with the
			// session updated.
			c := srv.Client()
			var done sdk.AuthSessionOperationResult
			for range 2 {
				var err error
				if done, err = c.Project.AuthSessions.Update.Result(context.Background(), "p", started.OperationID); err != nil {
					t.Fatal(err)
				}
			}
			if d, ok := done.(sdk.AuthSessionOperationDone); !ok || d.AuthSessionID != tt.id {
				t.Errorf("%s: the update ended with %#v, want done with %s", tt.body, done, tt.id)
			}
			c.CloseIdleConnections()
		}
	})
}

// A variant decoded on its own keeps the discriminator it was sent; one
// reached through its union is the variant a literal in code is.
func TestStatusesAreKeptAsSent(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	sw := newExactSwitch(t)
	c := newClient(t, sw.server)
	answer := func(status int, body string) {
		sw.mu.Lock()
		sw.status, sw.body = status, body
		sw.mu.Unlock()
	}

	answer(201, `{"status":"started","runId":"run-1"}`)
	run, err := c.Project.Run.Start(ctx, "p", okRun)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status() != "started" || run.RunID != "run-1" {
		t.Errorf("Run.Start: Status() %q, RunID %q; want started, run-1", run.Status(), run.RunID)
	}
	if b, err := json.Marshal(run); err != nil || string(b) != `{"status":"started","runId":"run-1"}` {
		t.Errorf("json.Marshal = %s, %v; want the status started", b, err)
	}
	answer(201, `{"status":"pending","runId":"run-1"}`)
	if run, err := c.Project.Run.Start(ctx, "p", okRun); err != nil || run != (sdk.RunPending{RunID: "run-1"}) || run.Status() != sdk.RunStatusPending {
		t.Errorf("Run.Start, pending: %#v, %v", run, err)
	}

	starts := map[string]func() (sdk.ExtractionPending, error){
		"markdown":   func() (sdk.ExtractionPending, error) { return c.Files.ExtractMarkdown.Start(ctx, okFile) },
		"tables":     func() (sdk.ExtractionPending, error) { return c.Files.ExtractTables.Start(ctx, okFile) },
		"structured": func() (sdk.ExtractionPending, error) { return c.Files.ExtractStructuredData.Start(ctx, okSchema) },
	}
	for kind, start := range starts {
		for _, status := range []string{"completed", "queued", "failed"} {
			answer(201, `{"operationId":"op-1","status":"`+status+`"}`)
			got, err := start()
			if err != nil || got.OperationID != "op-1" || string(got.Status()) != status {
				t.Errorf("%s start answered %s: %#v (Status() %q), %v", kind, status, got, got.Status(), err)
				continue
			}
			if b, err := json.Marshal(got); err != nil || !strings.Contains(string(b), `"status":"`+status+`"`) {
				t.Errorf("%s start answered %s: json.Marshal = %s, %v", kind, status, b, err)
			}
		}
		answer(201, `{"operationId":"op-1","status":"pending"}`)
		if got, err := start(); err != nil || got != (sdk.ExtractionPending{OperationID: "op-1"}) {
			t.Errorf("%s start, pending: %#v, %v", kind, got, err)
		}
	}

	// Through a union, the variant equals a literal.
	answer(200, `{"status":"pending","runId":"run-1"}`)
	res, err := c.Project.Run.Result(ctx, "p", "run-1")
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := res.(sdk.RunPending); !ok || p != (sdk.RunPending{RunID: "run-1"}) || res != sdk.RunResult(sdk.RunPending{RunID: "run-1"}) {
		t.Errorf("Run.Result = %#v, want == sdk.RunPending{RunID: \"run-1\"}", res)
	}
	if b, err := json.Marshal(res); err != nil || string(b) != `{"status":"pending","runId":"run-1"}` {
		t.Errorf("json.Marshal = %s, %v", b, err)
	}
	answer(200, `{"operationId":"op-1","status":"pending"}`)
	md, err := c.Files.ExtractMarkdown.Result(ctx, "op-1")
	if err != nil || md != sdk.MarkdownExtractionResult(sdk.ExtractionPending{OperationID: "op-1"}) {
		t.Errorf("ExtractMarkdown.Result = %#v, %v", md, err)
	}
	tables, err := c.Files.ExtractTables.Result(ctx, "op-1")
	if err != nil || tables != sdk.TableExtractionResult(sdk.ExtractionPending{OperationID: "op-1"}) {
		t.Errorf("ExtractTables.Result = %#v, %v", tables, err)
	}
	data, err := c.Files.ExtractStructuredData.Result(ctx, "op-1")
	if err != nil || data != sdk.StructuredDataExtractionResult(sdk.ExtractionPending{OperationID: "op-1"}) {
		t.Errorf("ExtractStructuredData.Result = %#v, %v", data, err)
	}
	answer(200, `{"status":"queued","runId":"item-1"}`)
	item, err := c.Project.Queues.Items.Result(ctx, "p", "q", "item-1")
	if err != nil || item != sdk.QueueItemResult(sdk.QueueItemQueued{RunID: "item-1"}) {
		t.Errorf("Queues.Items.Result = %#v, %v", item, err)
	}
	answer(200, `{"status":"pending"}`)
	auth, err := c.Project.AuthSessions.Update.Result(ctx, "p", "op")
	if err != nil || auth != sdk.AuthSessionOperationResult(sdk.AuthSessionOperationPending{}) {
		t.Errorf("AuthSessions.Update.Result = %#v, %v", auth, err)
	}
}

// A union without a discriminator (RandomWait, Every, CalendarValue,
// CalendarBound) never decodes into its Unknown variant: what none of its
// variants accepts is a *ResponseValidationError naming it.
func TestMalformedUnionMembersAreErrors(t *testing.T) {
	noLeaks(t)
	sw := newExactSwitch(t)
	c := newClient(t, sw.server)
	queue := func(wait string) string { return `{"configuration":{"runMode":"Default","randomWait":` + wait + `}}` }
	job := func(schedule string) string { return jobJSON(map[string]string{"schedule": schedule}) }
	tests := []struct {
		name, op, body, path string
	}{
		{"randomWait max a duration, min milliseconds", "project.queues.one", queue(`{"min":1000,"max":"5s"}`), "configuration.randomWait"},
		{"randomWait min a duration, max milliseconds", "project.queues.one", queue(`{"min":"1s","max":5000}`), "configuration.randomWait"},
		{"randomWait without max", "project.queues.one", queue(`{"min":1000}`), "configuration.randomWait"},
		{"randomWait without min", "project.queues.one", queue(`{"max":"5s"}`), "configuration.randomWait"},
		{"randomWait empty", "project.queues.one", queue(`{}`), "configuration.randomWait"},
		{"randomWait booleans", "project.queues.one", queue(`{"min":true,"max":false}`), "configuration.randomWait"},
		{"randomWait max null", "project.queues.one", queue(`{"min":"1s","max":null}`), "configuration.randomWait"},
		{"randomWait members in another case", "project.queues.one", queue(`{"Min":1000,"MAX":5000}`), "configuration.randomWait"},
		{"randomWait an array", "project.queues.one", queue(`[1000,5000]`), "configuration.randomWait"},
		{"randomWait a number", "project.queues.one", queue(`1000`), "configuration.randomWait"},
		{"randomWait in a list", "project.queues.all", `[{"configuration":null},` + queue(`{"min":1000}`) + `]`, "[1].configuration.randomWait"},
		{"every true", "project.jobs.one", job(`{"intervals":[{"every":true}]}`), "schedule.intervals[0].every"},
		{"every an object", "project.jobs.one", job(`{"intervals":[{"every":"1h"},{"every":{"ms":1}}]}`), "schedule.intervals[1].every"},
		{"every an array", "project.jobs.one", job(`{"intervals":[{"every":[3600000]}]}`), "schedule.intervals[0].every"},
		{"every in a list", "project.jobs.all", "[" + job(`{"intervals":[{"every":false}]}`) + "]", "[0].schedule.intervals[0].every"},
		{"calendar value a boolean", "project.jobs.one", job(`{"calendars":[{"hour":true}]}`), "schedule.calendars[0].hour"},
		{"calendar value null inside a list of ranges", "project.jobs.one", job(`{"calendars":[{"hour":[null]}]}`), "schedule.calendars[0].hour[0]"},
		{"calendar bound a boolean", "project.jobs.one", job(`{"calendars":[{"hour":{"start":false}}]}`), "schedule.calendars[0].hour.start"},
		{"calendar bound an object", "project.jobs.one", job(`{"calendars":[{"minute":[{"start":1,"end":{"n":5}}]}]}`), "schedule.calendars[0].minute[0].end"},
		{"calendar bound an array", "project.jobs.one", job(`{"calendars":[{"month":{"start":["JANUARY"]}}]}`), "schedule.calendars[0].month.start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sw.call(t, c, opNamed(t, tt.op), 200, tt.body)
			exactValidation(t, err, tt.path, tt.path)
			if s := fmt.Sprintf("%#v", got); strings.Contains(s, "Unknown") {
				t.Errorf("got %s, an Unknown variant", s)
			}
			if !reflect.ValueOf(got).IsZero() {
				t.Errorf("got %#v with the error, want the zero value", got)
			}
		})
	}
	// The variants each accepts are still told apart.
	got, err := sw.call(t, c, opNamed(t, "project.queues.one"), 200, queue(`{"min":"1s","max":"5s"}`))
	if q, _ := got.(sdk.Queue); err != nil || q.Configuration == nil || q.Configuration.RandomWait != sdk.RandomWait(sdk.RandomWaitDurations{Min: "1s", Max: "5s"}) {
		t.Errorf("durations: %#v, %v", got, err)
	}
	got, err = sw.call(t, c, opNamed(t, "project.queues.one"), 200, queue(`{"min":1000,"max":5000.5}`))
	if q, _ := got.(sdk.Queue); err != nil || q.Configuration == nil || q.Configuration.RandomWait != sdk.RandomWait(sdk.RandomWaitMilliseconds{Min: 1000, Max: 5000.5}) {
		t.Errorf("milliseconds: %#v, %v", got, err)
	}
}

// An integer member accepts any whole-valued JSON number, and refuses a
// fraction or a value beyond an int with an error naming it.
func TestIntegersInAnyJSONForm(t *testing.T) {
	noLeaks(t)
	sw := newExactSwitch(t)
	c := newClient(t, sw.server)
	whole := []struct {
		form string
		want int
	}{
		{"200", 200}, {"200.0", 200}, {"2e2", 200}, {"2E2", 200}, {"2.00E+2", 200}, {"20e1", 200},
		{"2000e-1", 200}, {"0.2e3", 200}, {"200.000e0", 200}, {"-0", 0}, {"-0.0", 0}, {"0e-400", 0}, {"-2e2", -200},
		{"9223372036854775807", 9223372036854775807}, {"9.223372036854775807e18", 9223372036854775807},
		{"-9223372036854775808", -9223372036854775808},
	}
	refused := []struct{ form, mention string }{
		{"200.5", "not an integer"}, {"2e-1", "not an integer"}, {"2.001e2", "not an integer"}, {"1e-400", "not an integer"},
		{"1e19", "beyond the range"}, {"9223372036854775808", "beyond the range"}, {"-9223372036854775809", "beyond the range"},
		{"1e400", "beyond the range"},
	}
	type place struct {
		name, op, path string
		body           func(form string) string
		read           func(got any) int
	}
	places := []place{
		{"run result statusCode", "project.run.result", "statusCode",
			func(f string) string { return `{"status":"completed","runId":"r","statusCode":` + f + `}` },
			func(got any) int { return got.(sdk.RunCompleted).StatusCode }},
		{"run sync failed statusCode", "project.run.sync", "statusCode",
			func(f string) string {
				return `{"status":"failed","runId":"r","statusCode":` + f + `,"error":"e","message":"m"}`
			},
			func(got any) int { return got.(sdk.RunFailed).StatusCode }},
		{"queue item statusCode", "project.queues.items.result", "statusCode",
			func(f string) string { return `{"status":"completed","runId":"r","statusCode":` + f + `}` },
			func(got any) int { return got.(sdk.QueueItemCompleted).StatusCode }},
		{"job run apis_count", "project.jobs.runs.all", "[0].summary.apis_count",
			func(f string) string {
				return `[{"id":"r","projectId":"p","jobId":"j","start_time":"2024-09-09T08:00:00Z","status":"PENDING","type":"MANUAL","workspace_id":"w",` +
					`"summary":{"apis_count":` + f + `,"success_count":0,"failures_count":0}}]`
			},
			func(got any) int { return got.([]sdk.JobRun)[0].Summary.APIsCount }},
		{"job run pending_count", "project.jobs.runs.all", "[0].summary.pending_count",
			func(f string) string {
				return `[{"id":"r","projectId":"p","jobId":"j","start_time":"2024-09-09T08:00:00Z","status":"PENDING","type":"MANUAL","workspace_id":"w",` +
					`"summary":{"apis_count":0,"success_count":0,"failures_count":0,"pending_count":` + f + `}}]`
			},
			func(got any) int { return *got.([]sdk.JobRun)[0].Summary.PendingCount }},
		{"job retry maximumAttempts", "project.jobs.one", "configuration.retry.maximumAttempts",
			func(f string) string {
				return jobJSON(map[string]string{"configuration": `{"runMode":"Order-Irrelevant","retry":{"maximumAttempts":` + f + `}}`})
			},
			func(got any) int { return got.(sdk.Job).Configuration.Retry.MaximumAttempts }},
	}
	for _, pl := range places {
		t.Run(pl.name, func(t *testing.T) {
			op := opNamed(t, pl.op)
			for _, w := range whole {
				got, err := sw.call(t, c, op, op.success, pl.body(w.form))
				if err != nil {
					t.Errorf("%s: %v", w.form, err)
					continue
				}
				if v := pl.read(got); v != w.want {
					t.Errorf("%s = %d, want %d", w.form, v, w.want)
				}
			}
			for _, r := range refused {
				_, err := sw.call(t, c, op, op.success, pl.body(r.form))
				t.Run(r.form, func(t *testing.T) { exactValidation(t, err, pl.path, r.mention) })
			}
		})
	}
	// A summary in every form at once.
	runs := `[{"id":"r","projectId":"p","jobId":"j","start_time":"2024-09-09T08:00:00Z","status":"PENDING","type":"MANUAL","workspace_id":"w",` +
		`"summary":{"apis_count":2.0,"success_count":1e0,"failures_count":10E-1,"pending_count":-0}}]`
	got, err := sw.call(t, c, opNamed(t, "project.jobs.runs.all"), 200, runs)
	if rs, _ := got.([]sdk.JobRun); err != nil || len(rs) != 1 || rs[0].Summary == nil ||
		*rs[0].Summary != (sdk.JobRunSummary{APIsCount: 2, SuccessCount: 1, FailuresCount: 1, PendingCount: rs[0].Summary.PendingCount}) ||
		rs[0].Summary.PendingCount == nil || *rs[0].Summary.PendingCount != 0 {
		t.Errorf("summary: %#v, %v", got, err)
	}

	t.Run("webhook payload", func(t *testing.T) {
		calls, post := exactSinkServer(t)
		for _, w := range []string{"200", "200.0", "2e2", "2.00E+2", "20000e-2"} {
			body := exactReplace(t, jobPayload, `"statusCode":200`, `"statusCode":`+w)
			res, err := sdk.ParseSinkResult([]byte(body))
			if r, ok := res.(sdk.SinkResultProjectJob); err != nil || !ok || r.APIInfo.Result.(sdk.SinkAPICompleted).StatusCode != 200 {
				t.Errorf("ParseSinkResult, %s: %#v, %v", w, res, err)
			}
			if code, msg := post(body); code < 200 || code > 299 {
				t.Errorf("the handler answered %s with %d %s, want 2xx", w, code, msg)
				continue
			}
			if r, ok := exactLast(t, calls).(sdk.SinkResultProjectJob); !ok || r.APIInfo.Result.(sdk.SinkAPICompleted).StatusCode != 200 {
				t.Errorf("the callback saw %#v for %s", exactLast(t, calls), w)
			}
		}
		for _, r := range refused {
			body := exactReplace(t, jobPayload, `"statusCode":200`, `"statusCode":`+r.form)
			res, err := sdk.ParseSinkResult([]byte(body))
			if res != nil {
				t.Errorf("%s: %#v", r.form, res)
			}
			t.Run(r.form, func(t *testing.T) { exactValidation(t, err, "apiInfo.result.statusCode", r.mention) })
			n := calls.count()
			if code, msg := post(body); code != http.StatusBadRequest || !strings.Contains(msg, "apiInfo.result.statusCode") {
				t.Errorf("the handler answered %s with %d %s, want 400 naming apiInfo.result.statusCode", r.form, code, msg)
			}
			if calls.count() != n {
				t.Errorf("%s: the callback was called", r.form)
			}
		}
	})
}

// A UTF-8 byte-order mark before an answer, an error body or a webhook
// payload is skipped.
func TestByteOrderMarkIsSkipped(t *testing.T) {
	noLeaks(t)
	const bom = "\xef\xbb\xbf"
	sw := newExactSwitch(t)
	c := newClient(t, sw.server)
	for _, tt := range []struct{ op, body string }{
		{"project.run.result", runCompletedOK},
		{"project.jobs.one", jobExample},
		{"project.authSessions.all", `[{"id":"s","status":"READY"}]`},
		{"files.extractTables.result", tablesDoneOK},
		{"project.authSessions.create.result", moreInfoBody},
	} {
		op := opNamed(t, tt.op)
		want, err := sw.call(t, c, op, op.success, tt.body)
		if err != nil {
			t.Fatal(err)
		}
		got, err := sw.call(t, c, op, op.success, bom+tt.body)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s with a BOM: %#v, %v; want %#v", tt.op, got, err, want)
		}
	}

	op := opNamed(t, "project.run.start")
	_, err := sw.call(t, c, op, 400, bom+`{"message":"Invalid input","details":[{"message":"Required","path":["api"]}],"requestId":"r-1"}`)
	var invalid *sdk.APIErrorInvalidInput
	if !errors.As(err, &invalid) || invalid.Message != "Invalid input" || invalid.Details == nil || invalid.AdditionalProperties["requestId"] != "r-1" {
		t.Errorf("400 with a BOM: %v (%T), want an *APIErrorInvalidInput with its message, details and requestId", err, err)
	}
	_, err = sw.call(t, c, op, 401, bom+`{"message":"Unauthorized"}`)
	var unauthorized *sdk.APIErrorUnauthorized
	if !errors.As(err, &unauthorized) || unauthorized.Message != "Unauthorized" {
		t.Errorf("401 with a BOM: %v (%T), want an *APIErrorUnauthorized", err, err)
	}

	calls, post := exactSinkServer(t)
	for _, body := range exactSinkBodies {
		want, err := sdk.ParseSinkResult([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		got, err := sdk.ParseSinkResult([]byte(bom + body))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseSinkResult with a BOM: %#v, %v", got, err)
		}
		if code, msg := post(bom + body); code != http.StatusNoContent {
			t.Errorf("the handler answered a payload with a BOM with %d %s, want 204", code, msg)
			continue
		}
		if got := exactLast(t, calls); !reflect.DeepEqual(got, want) {
			t.Errorf("the callback saw %#v, want %#v", got, want)
		}
	}
	// One mark is skipped, not any text before the JSON.
	if _, err := sdk.ParseSinkResult([]byte(bom + bom + jobPayload)); err == nil {
		t.Error("two byte-order marks were skipped")
	}
}

// Optional, nullable request members are sent absent, null or with their
// value, as the caller says, and answers keep absent and null apart.
func TestNullableMembersOnTheWire(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	sw := newExactSwitch(t)
	c := newClient(t, sw.server)
	sent := func() string {
		t.Helper()
		reqs := sw.requests()
		return string(reqs[len(reqs)-1].Body)
	}

	answer := func(status int, body string) {
		sw.mu.Lock()
		sw.status, sw.body = status, body
		sw.mu.Unlock()
	}
	answer(201, jobCreatedOK)
	const jobHead = `{"id":"nightly-prices","payload":[{"apiName":"scrape-product"}],"configuration":{"runMode":"Order-Irrelevant"}`
	for _, tt := range []struct {
		name string
		sink sdk.Nullable[sdk.Sink]
		want string
	}{
		{"absent", sdk.Nullable[sdk.Sink]{}, jobHead + `}`},
		{"null", sdk.Null[sdk.Sink](), jobHead + `,"sink":null}`},
		{"a webhook", sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: "https://hooks.example.com/intuned"}),
			jobHead + `,"sink":{"type":"webhook","url":"https://hooks.example.com/intuned","skipOnFail":false}}`},
	} {
		job := okJob
		job.Sink = tt.sink
		if _, err := c.Project.Jobs.Create(ctx, "p", job); err != nil {
			t.Fatalf("jobs.create, sink %s: %v", tt.name, err)
		}
		if got := sent(); got != tt.want {
			t.Errorf("jobs.create, sink %s: sent %s\nwant %s", tt.name, got, tt.want)
		}
	}

	answer(201, queueCreatedOK)
	const queueHead = `{"id":"q","configuration":null`
	sink := `{"type":"webhook","url":"https://hooks.example.com/intuned","skipOnFail":false}`
	for _, tt := range []struct {
		name string
		edit func(q *sdk.QueueCreateRequest)
		want string
	}{
		{"all absent", func(q *sdk.QueueCreateRequest) {}, queueHead + `}`},
		{"sink null", func(q *sdk.QueueCreateRequest) { q.Sink = sdk.Null[sdk.Sink]() }, queueHead + `,"sink":null}`},
		{"sink a value", func(q *sdk.QueueCreateRequest) {
			q.Sink = sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: "https://hooks.example.com/intuned"})
		}, queueHead + `,"sink":` + sink + `}`},
		{"auth session null", func(q *sdk.QueueCreateRequest) { q.AuthSession = sdk.Null[sdk.AuthSessionRef]() }, queueHead + `,"authSession":null}`},
		{"auth session a value", func(q *sdk.QueueCreateRequest) { q.AuthSession = sdk.NullableOf(sdk.AuthSessionRef{ID: "s"}) }, queueHead + `,"authSession":{"id":"s"}}`},
		{"metadata null", func(q *sdk.QueueCreateRequest) { q.Metadata = sdk.Null[map[string]any]() }, queueHead + `,"metadata":null}`},
		{"metadata a value", func(q *sdk.QueueCreateRequest) { q.Metadata = sdk.NullableOf(map[string]any{"team": "pricing"}) }, queueHead + `,"metadata":{"team":"pricing"}}`},
		{"metadata an empty map", func(q *sdk.QueueCreateRequest) { q.Metadata = sdk.NullableOf(map[string]any{}) }, queueHead + `,"metadata":{}}`},
		{"all null", func(q *sdk.QueueCreateRequest) {
			q.Sink, q.AuthSession, q.Metadata = sdk.Null[sdk.Sink](), sdk.Null[sdk.AuthSessionRef](), sdk.Null[map[string]any]()
		}, queueHead + `,"sink":null,"authSession":null,"metadata":null}`},
		{"all values", func(q *sdk.QueueCreateRequest) {
			q.Sink = sdk.NullableOf[sdk.Sink](sdk.SinkWebhook{URL: "https://hooks.example.com/intuned"})
			q.AuthSession, q.Metadata = sdk.NullableOf(sdk.AuthSessionRef{ID: "s"}), sdk.NullableOf(map[string]any{"n": 1})
		}, queueHead + `,"sink":` + sink + `,"authSession":{"id":"s"},"metadata":{"n":1}}`},
	} {
		q := sdk.QueueCreateRequest{ID: sdk.Ptr("q")}
		tt.edit(&q)
		if _, err := c.Project.Queues.Create(ctx, "p", q); err != nil {
			t.Fatalf("queues.create, %s: %v", tt.name, err)
		}
		if got := sent(); got != tt.want {
			t.Errorf("queues.create, %s: sent %s\nwant %s", tt.name, got, tt.want)
		}
	}

	// Answers keep absent and null apart.
	one := opNamed(t, "project.queues.one")
	got, err := sw.call(t, c, one, 200, `{"configuration":null,"sink":null,"authSession":null,"metadata":null}`)
	if q, _ := got.(sdk.Queue); err != nil || !q.Sink.IsNull() || !q.AuthSession.IsNull() || !q.Metadata.IsNull() || q.Sink.IsZero() || q.AuthSession.IsZero() || q.Metadata.IsZero() {
		t.Errorf("null members: %#v, %v; want each IsNull()", got, err)
	}
	got, err = sw.call(t, c, one, 200, `{"configuration":null}`)
	if q, _ := got.(sdk.Queue); err != nil || !q.Sink.IsZero() || !q.AuthSession.IsZero() || !q.Metadata.IsZero() || q.Sink.IsNull() || q.AuthSession.IsNull() || q.Metadata.IsNull() {
		t.Errorf("absent members: %#v, %v; want each IsZero()", got, err)
	}
	got, err = sw.call(t, c, opNamed(t, "project.jobs.one"), 200, jobJSON(map[string]string{"sink": "null"}))
	if j, _ := got.(sdk.Job); err != nil || !j.Sink.IsNull() || j.Sink.IsZero() {
		t.Errorf("job sink null: %#v, %v; want IsNull()", got, err)
	}
	got, err = sw.call(t, c, opNamed(t, "project.jobs.one"), 200, jobJSON(nil))
	if j, _ := got.(sdk.Job); err != nil || !j.Sink.IsZero() || j.Sink.IsNull() {
		t.Errorf("job sink absent: %#v, %v; want IsZero()", got, err)
	}

	t.Run("against the fake", func(t *testing.T) {
		srv := intunedtest.NewServer()
		defer srv.Close()
		fc := srv.Client()
		defer fc.CloseIdleConnections()
		nulls := sdk.QueueCreateRequest{ID: sdk.Ptr("nulls"), Sink: sdk.Null[sdk.Sink](), AuthSession: sdk.Null[sdk.AuthSessionRef](), Metadata: sdk.Null[map[string]any]()}
		if _, err := fc.Project.Queues.Create(ctx, "p", nulls); err != nil {
			t.Fatalf("a queue with null sink, auth session and metadata: %v", err)
		}
		back, err := fc.Project.Queues.One(ctx, "p", "nulls")
		if err != nil || !back.Sink.IsNull() || !back.AuthSession.IsNull() || !back.Metadata.IsNull() {
			t.Errorf("read back as %#v, %v; want each member null", back, err)
		}
		if _, err := fc.Project.Queues.Create(ctx, "p", sdk.QueueCreateRequest{ID: sdk.Ptr("absent")}); err != nil {
			t.Fatal(err)
		}
		back, err = fc.Project.Queues.One(ctx, "p", "absent")
		if err != nil || !back.Sink.IsZero() || !back.AuthSession.IsZero() || !back.Metadata.IsZero() {
			t.Errorf("read back as %#v, %v; want each member absent", back, err)
		}
		if _, err := fc.Project.Jobs.Create(ctx, "p", sdk.JobCreateRequest{ID: "j", Payload: okJob.Payload, Sink: sdk.Null[sdk.Sink]()}); err != nil {
			t.Fatalf("a job with a null sink: %v", err)
		}
		if j, err := fc.Project.Jobs.One(ctx, "p", "j"); err != nil || !j.Sink.IsNull() {
			t.Errorf("job read back as %#v, %v; want a null sink", j, err)
		}
	})
}

// A strategy's model that the spec does not list is refused before
// anything is sent; a newer one goes in a StrategyUnknown, sent as given.
func TestUnlistedModelsAreRefusedBeforeSending(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	sw := newExactSwitch(t)
	c := newClient(t, sw.server)
	sw.mu.Lock()
	sw.status, sw.body = 200, structuredDoneOK
	sw.mu.Unlock()
	req := func(s sdk.Strategy) sdk.StructuredDataExtractionRequest {
		return sdk.StructuredDataExtractionRequest{File: okSchema.File, DataSchema: map[string]any{"type": "object"}, Strategy: s}
	}
	for _, tt := range []struct {
		strategy sdk.Strategy
		model    string
	}{
		{sdk.StrategyMarkdown{Model: "gpt-4o-mini"}, "gpt-4o-mini"},
		{sdk.StrategyImage{Model: "gpt-3.5-turbo-0125"}, "gpt-3.5-turbo-0125"},
		{sdk.StrategyImage{Model: sdk.ImageModel(sdk.TextModelGPT3Dot5Turbo)}, string(sdk.TextModelGPT3Dot5Turbo)},
		{sdk.StrategyMarkdown{Model: "GPT-4O"}, "GPT-4O"},
	} {
		_, err := c.Files.ExtractStructuredData.Sync(ctx, req(tt.strategy))
		checkArgumentError(t, err, "strategy.model", `"`+tt.model+`"`)
		_, err = c.Files.ExtractStructuredData.Start(ctx, req(tt.strategy))
		checkArgumentError(t, err, "strategy.model", `"`+tt.model+`"`)
		if _, err := sdk.FilesExtractStructuredDataSync(ctx, c, req(tt.strategy)); err == nil {
			t.Errorf("%s: the standalone function sent it", tt.model)
		}
		if err := req(tt.strategy).Validate(); err == nil {
			t.Errorf("%s: Validate() = nil", tt.model)
		}
	}
	if n := sw.count(); n != 0 {
		t.Fatalf("%d requests sent, want none", n)
	}

	for _, tt := range []struct {
		strategy sdk.Strategy
		want     string
	}{
		{sdk.StrategyMarkdown{Model: sdk.TextModelGPT35Turbo0125}, `{"type":"MARKDOWN","model":"gpt-3.5-turbo-0125"}`},
		{sdk.StrategyMarkdown{Model: sdk.TextModelGPT4o}, `{"type":"MARKDOWN","model":"gpt-4o"}`},
		{sdk.StrategyImage{Model: sdk.ImageModelGPT4o}, `{"type":"IMAGE","model":"gpt-4o"}`},
		{sdk.StrategyImage{Model: sdk.ImageModelClaude35Sonnet20240620}, `{"type":"IMAGE","model":"claude-3-5-sonnet-20240620"}`},
		{sdk.StrategyUnknown{Raw: sdk.RawJSON(`{"type":"IMAGE","model":"gpt-5"}`)}, `{"type":"IMAGE","model":"gpt-5"}`},
		{sdk.StrategyUnknown{Raw: sdk.RawJSON(`{"type":"MARKDOWN","model":"gpt-4o-mini"}`)}, `{"type":"MARKDOWN","model":"gpt-4o-mini"}`},
	} {
		n := sw.count()
		if _, err := c.Files.ExtractStructuredData.Sync(ctx, req(tt.strategy)); err != nil {
			t.Errorf("%s: %v", tt.want, err)
			continue
		}
		reqs := sw.requests()
		if len(reqs) != n+1 {
			t.Fatalf("%s: %d requests, want 1", tt.want, len(reqs)-n)
		}
		var body struct {
			Strategy sdk.RawJSON `json:"strategy"`
		}
		if err := json.Unmarshal(reqs[n].Body, &body); err != nil || string(body.Strategy) != tt.want {
			t.Errorf("sent strategy %s (%v), want %s", body.Strategy, err, tt.want)
		}
	}
}

// A Nullable in a struct of the caller's own round-trips through
// encoding/json: absent stays absent, null stays null, a value a value.
func TestNullableInYourOwnStruct(t *testing.T) {
	type mine struct {
		A sdk.Nullable[string] `json:"a,omitzero"`
		B sdk.Nullable[string] `json:"b,omitzero"`
		C sdk.Nullable[string] `json:"c,omitzero"`
	}
	var m mine
	if err := json.Unmarshal([]byte(`{"b":null,"c":"x"}`), &m); err != nil {
		t.Fatal(err)
	}
	if c, ok := m.C.Get(); !m.A.IsZero() || !m.B.IsNull() || !ok || c != "x" {
		t.Errorf("decoded %v %v %v", m.A, m.B, m.C)
	}
	if b, err := json.Marshal(m); err != nil || string(b) != `{"b":null,"c":"x"}` {
		t.Errorf("encoded %s, %v", b, err)
	}
	if err := json.Unmarshal([]byte(`{"c":5}`), &m); err == nil {
		t.Errorf("a number for a Nullable[string] decoded")
	}
}
