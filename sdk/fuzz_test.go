package sdk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/intuned/intuned-go/sdk"
)

// The fuzz targets drive the public API through an in-memory transport, so
// each input costs no network. Seeds come from ../testdata/fuzz/<corpus>/;
// crashers the engine finds are written to testdata/fuzz/<Target>/ and then
// run by plain go test as regressions.

// seeds returns the files of a seed corpus.
func seeds(f *testing.F, corpus string) map[string][]byte {
	f.Helper()
	dir := filepath.Join("..", "testdata", "fuzz", corpus)
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		f.Fatalf("seed corpus %s: %v", dir, err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// canned answers every request with one response and records the request.
type canned struct {
	status      int
	contentType string
	body        []byte
	sent        *http.Request
	sentBody    []byte
}

func (c *canned) RoundTrip(r *http.Request) (*http.Response, error) {
	c.sent = r
	if r.Body != nil {
		c.sentBody, _ = io.ReadAll(r.Body)
		r.Body.Close()
	}
	h := http.Header{}
	if c.contentType != "" {
		h.Set("Content-Type", c.contentType)
	}
	return &http.Response{StatusCode: c.status, Header: h, Body: io.NopCloser(bytes.NewReader(c.body)), ContentLength: -1, Request: r}, nil
}

const fuzzServer = "https://fuzz.example/base"

func fuzzClient(t *testing.T, rt http.RoundTripper) *sdk.Client {
	c, err := sdk.New(sdk.WithAPIKey(testKey), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(fuzzServer),
		sdk.WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// statusOf maps a fuzzed number onto a status code, favouring the ones the
// SDK treats specially.
func statusOf(n uint16) int {
	special := []int{200, 201, 202, 400, 401, 404, 429, 500, 502, 503}
	if int(n) < len(special)*64 {
		return special[int(n)%len(special)]
	}
	return 100 + int(n)%500
}

// checkError fails unless err is one of the SDK's error types, fit for the
// status, with a usable text.
func checkError(t *testing.T, err error, status, success int) {
	t.Helper()
	var (
		ii *sdk.APIErrorInvalidInput
		ua *sdk.APIErrorUnauthorized
		se *sdk.SDKError
		ve *sdk.ResponseValidationError
	)
	switch {
	case errors.As(err, &ii):
		if status != 400 {
			t.Fatalf("*APIErrorInvalidInput for status %d", status)
		}
	case errors.As(err, &ua):
		if status != 401 {
			t.Fatalf("*APIErrorUnauthorized for status %d", status)
		}
	case errors.As(err, &se):
		if se.Code != status || status == success || len(se.Body) > sdk.MaxErrorBodySize {
			t.Fatalf("*SDKError %d (body %d bytes) for status %d", se.Code, len(se.Body), status)
		}
	case errors.As(err, &ve):
		if status != success || len(ve.Body) > sdk.MaxErrorBodySize {
			t.Fatalf("*ResponseValidationError for status %d", status)
		}
	default:
		t.Fatalf("error of unexpected type %T: %v", err, err)
	}
	if msg := err.Error(); msg == "" || strings.Contains(msg, testKey) || !strings.HasPrefix(msg, "intuned: project.") && !strings.HasPrefix(msg, "intuned: files.") {
		t.Fatalf("bad error text %q", msg)
	}
}

func addResponseSeeds(f *testing.F) {
	for _, body := range seeds(f, "responses") {
		for _, n := range []uint16{0, 1, 2, 3, 4, 5, 7} { // 200, 201, 202, 400, 401, 404, 500
			f.Add(n, "application/json", body)
		}
		f.Add(uint16(0), "text/plain", body)
		f.Add(uint16(0), "application/problem+json; charset=utf-8", body)
		f.Add(uint16(0), "", body)
	}
}

func FuzzResultResponse(f *testing.F) {
	addResponseSeeds(f)
	f.Fuzz(func(t *testing.T, n uint16, contentType string, body []byte) {
		status := statusOf(n)
		c := fuzzClient(t, &canned{status: status, contentType: contentType, body: body})
		res, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
		if err != nil {
			checkError(t, err, status, 200)
			return
		}
		if status != 200 {
			t.Fatalf("status %d decoded as a result", status)
		}
		switch r := res.(type) {
		case sdk.AuthSessionOperationPending, sdk.AuthSessionOperationDone, sdk.AuthSessionOperationFailed:
		case sdk.AuthSessionOperationRequestedMoreInfo:
			switch d := r.Details.(type) {
			case sdk.InfoRequestDetailsOTP:
			case sdk.InfoRequestDetailsMultipleChoice:
				if d.Choices == nil {
					t.Fatal("multiple choice without choices")
				}
			case sdk.InfoRequestDetailsUnknown:
				switch d.RequestType() {
				case sdk.InfoRequestTypeOTP, sdk.InfoRequestTypeMultipleChoice:
					t.Fatalf("known request type %q decoded as unknown", d.RequestType())
				}
			default:
				t.Fatalf("details of unexpected type %T", r.Details)
			}
		case sdk.AuthSessionOperationResultUnknown:
			switch r.Status() {
			case sdk.AuthSessionOperationStatusPending, sdk.AuthSessionOperationStatusDone, sdk.AuthSessionOperationStatusFailed, sdk.AuthSessionOperationStatusRequestedMoreInfo:
				t.Fatalf("known status %q decoded as unknown", r.Status())
			}
			if !bytes.Equal(r.Raw, body) {
				t.Fatal("unknown result does not keep the raw body")
			}
		default:
			t.Fatalf("result of unexpected type %T", res)
		}
	})
}

func FuzzStartResponse(f *testing.F) {
	addResponseSeeds(f)
	f.Fuzz(func(t *testing.T, n uint16, contentType string, body []byte) {
		status := statusOf(n)
		c := fuzzClient(t, &canned{status: status, contentType: contentType, body: body})
		res, err := c.Project.AuthSessions.Update.Start(context.Background(), "p", sdk.AuthSessionUpdateRequest{ID: "s"})
		if err != nil {
			checkError(t, err, status, 201)
			return
		}
		// A status this SDK version does not know is kept, never an error.
		if status != 201 || res.OperationID == "" {
			t.Fatalf("status %d decoded as %+v", status, res)
		}
	})
}

func FuzzResumeResponse(f *testing.F) {
	addResponseSeeds(f)
	f.Fuzz(func(t *testing.T, n uint16, contentType string, body []byte) {
		status := statusOf(n)
		c := fuzzClient(t, &canned{status: status, contentType: contentType, body: body})
		res, err := c.Project.AuthSessions.Update.Resume(context.Background(), "p", "o", sdk.AuthSessionOperationResumeRequest{Input: "1", InfoRequestID: "i"})
		if err != nil {
			checkError(t, err, status, 202)
			return
		}
		// A status this SDK version does not know is kept, never an error.
		if status != 202 {
			t.Fatalf("status %d decoded as %+v", status, res)
		}
	})
}

// FuzzErrorResponse feeds error bodies: the two the API defines (400, 401)
// and the generic one of every other status.
func FuzzErrorResponse(f *testing.F) {
	for _, body := range seeds(f, "responses") {
		for sel := byte(0); sel < 6; sel++ {
			f.Add(sel, "application/json", body)
		}
		f.Add(byte(0), "text/html", body)
	}
	f.Fuzz(func(t *testing.T, sel byte, contentType string, body []byte) {
		status := []int{400, 401, 404, 500, 502, 418}[int(sel)%6]
		c := fuzzClient(t, &canned{status: status, contentType: contentType, body: body})
		_, err := c.Project.AuthSessions.Update.Result(context.Background(), "p", "o")
		if err == nil {
			t.Fatalf("status %d gave no error", status)
		}
		checkError(t, err, status, 200)
		var ii *sdk.APIErrorInvalidInput
		if errors.As(err, &ii) {
			// Only a JSON object body (after a UTF-8 byte-order mark, if
			// any) becomes the API's error type.
			var m map[string]any
			if json.Unmarshal(bytes.TrimPrefix(body, []byte("\ufeff")), &m) != nil || m == nil {
				t.Fatalf("non-object body %q became *APIErrorInvalidInput", body)
			}
		}
	})
}

// canonical decodes JSON keeping numbers exact, for comparisons.
func canonical(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("trailing data")
	}
	return v, nil
}

// FuzzParameters: parameters arrive exactly as given, or the call is refused
// before sending; an object or array built from decoded JSON round-trips.
func FuzzParameters(f *testing.F) {
	for _, b := range seeds(f, "parameters") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		rt := &canned{status: 201, contentType: "application/json", body: []byte(startOK)}
		c := fuzzClient(t, rt)
		_, err := c.Project.AuthSessions.Update.Start(context.Background(), "p", sdk.AuthSessionUpdateRequest{ID: "s", Parameters: sdk.ParametersRaw(raw)})
		trimmed := bytes.TrimSpace(raw)
		want, werr := canonical(trimmed)
		_, isObject := want.(map[string]any)
		_, isArray := want.([]any)
		acceptable := werr == nil && (isObject || isArray) && utf8.Valid(trimmed) && json.Valid(trimmed)
		if err != nil {
			if !errors.Is(err, sdk.ErrInvalidArgument) || rt.sent != nil {
				t.Fatalf("err = %v (sent %v)", err, rt.sent != nil)
			}
			if acceptable {
				t.Fatalf("refused valid parameters %q: %v", raw, err)
			}
			return
		}
		if !acceptable {
			t.Fatalf("sent unacceptable parameters %q", raw)
		}
		var sent struct {
			Parameters sdk.RawJSON `json:"parameters"`
		}
		if err := json.Unmarshal(rt.sentBody, &sent); err != nil {
			t.Fatalf("sent body %q: %v", rt.sentBody, err)
		}
		got, err := canonical(sent.Parameters)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("sent parameters %s, want %s", sent.Parameters, trimmed)
		}

		// The same value as ParametersObject or ParametersArray.
		var decoded any
		json.Unmarshal(trimmed, &decoded)
		var p sdk.Parameters
		switch v := decoded.(type) {
		case map[string]any:
			p = sdk.ParametersObject(v)
		case []any:
			p = sdk.ParametersArray(v)
		default:
			return
		}
		rt.sent = nil
		if _, err := c.Project.AuthSessions.Update.Start(context.Background(), "p", sdk.AuthSessionUpdateRequest{ID: "s", Parameters: p}); err != nil {
			if !errors.Is(err, sdk.ErrInvalidArgument) || rt.sent != nil {
				t.Fatalf("typed parameters: err = %v", err)
			}
			return // decoded JSON may nest deeper than the SDK sends
		}
		json.Unmarshal(rt.sentBody, &sent)
		var round any
		json.Unmarshal(sent.Parameters, &round)
		if !reflect.DeepEqual(round, decoded) {
			t.Fatalf("typed parameters sent as %s, want %s", sent.Parameters, trimmed)
		}
	})
}

// FuzzPathValues: a request always hits the route it was built for, each
// value travelling as exactly one segment, or the call is refused before
// sending.
func FuzzPathValues(f *testing.F) {
	for name, b := range seeds(f, "paths") {
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		if len(lines) != 3 {
			f.Fatalf("paths/%s: want 3 lines", name)
		}
		var v [3]string
		for i, l := range lines {
			s, err := strconv.Unquote(l)
			if err != nil {
				f.Fatalf("paths/%s line %d: %v", name, i+1, err)
			}
			v[i] = s
		}
		f.Add(v[0], v[1], v[2])
	}
	base, _ := url.Parse(fuzzServer)
	f.Fuzz(func(t *testing.T, workspace, project, operation string) {
		rt := &canned{status: 200, contentType: "application/json", body: []byte(`{"status":"pending"}`)}
		c := fuzzClient(t, rt)
		_, err := c.Project.AuthSessions.Update.Result(context.Background(), project, operation, sdk.WithWorkspaceID(workspace))
		if err != nil {
			if !errors.Is(err, sdk.ErrInvalidArgument) || rt.sent != nil {
				t.Fatalf("err = %v (sent %v)", err, rt.sent != nil)
			}
			return
		}
		u := rt.sent.URL
		if u.Scheme != base.Scheme || u.Host != base.Host || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			t.Fatalf("request went to %s", u)
		}
		target := u.RequestURI() // what travels in the request line
		segs := strings.Split(target, "/")
		want := []string{"", "base", workspace, "projects", project, "auth-sessions", "update", operation, "result"}
		if len(segs) != len(want) {
			t.Fatalf("%s has %d segments, want %d", target, len(segs), len(want))
		}
		for i, w := range want {
			got, err := url.PathUnescape(segs[i])
			if err != nil || got != w {
				t.Fatalf("%s: segment %d is %q, want %q", target, i, segs[i], w)
			}
		}
	})
}

// FuzzAuthSessionResponses feeds the decoders of all, one, recorder.start
// and delete.
func FuzzAuthSessionResponses(f *testing.F) {
	for _, body := range seeds(f, "responses") {
		f.Add(byte(0), uint16(0), "application/json", body)
	}
	for i, body := range []string{`[{"id":"a","status":"READY"}]`, `[]`, `[null]`, `{"id":"a","status":"PENDING"}`, `{"recorder_url":"u"}`, ``} {
		for sel := byte(0); sel < 4; sel++ {
			f.Add(sel, uint16(i), "application/json", []byte(body))
		}
	}
	f.Fuzz(func(t *testing.T, sel byte, n uint16, contentType string, body []byte) {
		status := statusOf(n)
		c := fuzzClient(t, &canned{status: status, contentType: contentType, body: body})
		ctx := context.Background()
		var err error
		var success int
		switch sel % 4 {
		case 0:
			success = 200
			var list []sdk.AuthSession
			if list, err = c.Project.AuthSessions.All(ctx, "p"); err == nil && list == nil {
				t.Fatal("nil list without error")
			}
		case 1:
			success = 200
			_, err = c.Project.AuthSessions.One(ctx, "p", "s")
		case 2:
			success = 201
			_, err = c.Project.AuthSessions.Recorder.Start(ctx, "p", sdk.AuthSessionRecorderRequest{})
		default:
			success = 204
			err = c.Project.AuthSessions.Delete(ctx, "p", "s")
		}
		if err != nil {
			checkError(t, err, status, success)
			return
		}
		if status != success {
			t.Fatalf("status %d accepted, want %d", status, success)
		}
	})
}
