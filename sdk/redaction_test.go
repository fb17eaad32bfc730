package sdk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

// redactionKeys are the API keys the redaction tests send: one as the API's
// keys look, and one with the characters that JSON and Go quoting escape.
var redactionKeys = []string{"sk-live-6b1d0c5e9f2a4c87", `sk-"live"\key<&>0042`}

// keyForms are the texts that give key away, in lower case: the key, and the
// forms it takes escaped in a JSON string, a Go quoted string (%q, %+q) or a
// URL.
// Texts are searched without regard to case, since net/http canonicalizes
// a header name holding the key.
func keyForms(key string) []string {
	forms := []string{key}
	for _, html := range []bool{true, false} {
		var b bytes.Buffer
		e := json.NewEncoder(&b)
		e.SetEscapeHTML(html)
		e.Encode(key)
		s := strings.TrimSpace(b.String())
		forms = append(forms, s[1:len(s)-1])
	}
	for _, q := range []string{strconv.Quote(key), strconv.QuoteToASCII(key)} {
		forms = append(forms, q[1:len(q)-1])
	}
	forms = append(forms, url.PathEscape(key), url.QueryEscape(key))
	for i := range forms {
		forms[i] = strings.ToLower(forms[i])
	}
	return forms
}

// leaked returns the form of a key that text holds, "" if none.
func leaked(text string, forms []string) string {
	text = strings.ToLower(text)
	for _, f := range forms {
		if strings.Contains(text, f) {
			return f
		}
	}
	return ""
}

// logLeak returns the form of a key that a JSON log holds, in its text or
// in any of its records' values (decoded), "" if none.
func logLeak(logs string, forms []string) string {
	if f := leaked(logs, forms); f != "" {
		return f
	}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var record map[string]any
		if err := json.Unmarshal([]byte(line), &record); err != nil {
			return "(a record that is not JSON: " + line + ")"
		}
		found := ""
		walkExported(reflect.ValueOf(record), 0, func(s string) {
			if f := leaked(s, forms); f != "" {
				found = f
			}
		})
		if found != "" {
			return found
		}
	}
	return ""
}

// jsonText is s as a JSON string literal.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// isToken reports whether s can be a header name.
func isToken(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			return false
		}
	}
	return s != ""
}

// echo answers with status and body, after headers that echo key: in
// X-Echo, in a header's name (when the key can be one) and as a parameter of
// the content type (none if contentType is empty).
func echo(w http.ResponseWriter, key string, status int, contentType, body string) {
	h := w.Header()
	h.Set("X-Echo", "key="+key)
	h.Add("X-Echo", key)
	if isToken(key) {
		h.Set("X-Echo-"+key, "1")
	}
	if contentType != "" {
		h.Set("Content-Type", contentType+"; echo="+key)
	} else {
		h["Content-Type"] = nil
	}
	w.WriteHeader(status)
	w.Write([]byte(body))
}

// exportedErrorTypes are targets of errors.As for every exported error type
// of the SDK.
func exportedErrorTypes() []any {
	return []any{new(*sdk.SDKError), new(*sdk.APIErrorInvalidInput), new(*sdk.APIErrorUnauthorized),
		new(*sdk.ResponseValidationError), new(*sdk.DecodeError), new(*sdk.TransportError),
		new(*sdk.OperationFailedError), new(*sdk.UnknownStatusError), new(*sdk.OperationError), new(*sdk.ArgumentError)}
}

// errorTexts returns every text err gives: its Error, each formatting verb,
// for err and every error in its chain (errors.Unwrap, and errors.As to each
// exported type), and every string, byte slice, map key and value reachable
// through their exported fields.
func errorTexts(err error) []string {
	var texts []string
	one := func(e error) {
		texts = append(texts, e.Error())
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			texts = append(texts, fmt.Sprintf(verb, e))
		}
		walkExported(reflect.ValueOf(e), 0, func(s string) { texts = append(texts, s) })
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		one(e)
	}
	for _, target := range exportedErrorTypes() {
		if errors.As(err, target) {
			one(reflect.ValueOf(target).Elem().Interface().(error))
		}
	}
	return texts
}

// walkExported calls visit with every string reachable from v through
// exported fields, pointers, interfaces, slices and maps (keys and values),
// and with the Error and %#v of every error among them.
func walkExported(v reflect.Value, depth int, visit func(string)) {
	if !v.IsValid() || depth > 32 {
		return
	}
	if v.CanInterface() && v.Kind() != reflect.String {
		if e, ok := v.Interface().(error); ok && (v.Kind() != reflect.Pointer || !v.IsNil()) {
			visit(e.Error())
			visit(fmt.Sprintf("%#v", e))
		}
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkExported(v.Elem(), depth+1, visit)
		}
	case reflect.String:
		visit(v.String())
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 && v.Kind() == reflect.Slice {
			visit(string(v.Bytes()))
			return
		}
		for i := 0; i < v.Len(); i++ {
			walkExported(v.Index(i), depth+1, visit)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			walkExported(it.Key(), depth+1, visit)
			walkExported(it.Value(), depth+1, visit)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkExported(v.Field(i), depth+1, visit)
			}
		}
	}
}

// checkNoKey fails t if any text of err (errorTexts) gives a key away.
func checkNoKey(t *testing.T, err error, forms []string) {
	t.Helper()
	for _, text := range errorTexts(err) {
		if f := leaked(text, forms); f != "" {
			t.Errorf("the key (as %q) leaked into %q", f, text)
			return
		}
	}
}

// redactionClass is one kind of answer, echoing the key everywhere it can.
type redactionClass struct {
	name string
	// always: every operation fails; else one whose success has no body
	// (204), which reads nothing, succeeds.
	always bool
	// want are the error types the call may fail with (errors.As targets).
	want   []any
	answer func(w http.ResponseWriter, r *http.Request, op operationCall, key string)
}

// redactionClasses returns the classes, with errors.As targets of their
// own: call it once per goroutine.
func redactionClasses() []redactionClass {
	var (
		asSDKError     = new(*sdk.SDKError)
		asInvalidInput = new(*sdk.APIErrorInvalidInput)
		asUnauthorized = new(*sdk.APIErrorUnauthorized)
		asValidation   = new(*sdk.ResponseValidationError)
		asTransport    = new(*sdk.TransportError)
	)
	jsonBody := func(key string) string {
		k := jsonText(key)
		return `{"message":"bad key ` + k[1:len(k)-1] + `","details":[{"got":` + k + `}],"extra":{"echo":` + k + `},` + k + `:1}`
	}
	return []redactionClass{
		{"success, body does not match", false, []any{asValidation}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			k := jsonText(key)
			echo(w, key, op.success, "application/json", `[`+k+`,{"message":`+k+`,"details":[`+k+`]}]`)
		}},
		{"success, malformed JSON", false, []any{asValidation}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			k := jsonText(key)
			echo(w, key, op.success, "application/json", `{"message":`+k+`,"details":[`+k+`],"extra":{`+k+`:`+k+`}`)
		}},
		{"success, not JSON", false, []any{asValidation}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			echo(w, key, op.success, "text/plain", "the key is "+key)
		}},
		{"undocumented 2xx", true, []any{asSDKError}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			other := http.StatusOK
			if op.success == http.StatusOK {
				other = http.StatusAccepted
			}
			echo(w, key, other, "application/json", jsonBody(key))
		}},
		{"302 to another origin", true, []any{asSDKError, asTransport}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			w.Header().Set("Location", "https://elsewhere.invalid/echo?key="+key)
			echo(w, key, http.StatusFound, "text/plain", "moved: "+key)
		}},
		{"300 without Location", true, []any{asSDKError}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			echo(w, key, http.StatusMultipleChoices, "application/json", jsonBody(key))
		}},
		{"400 JSON", true, []any{asInvalidInput}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			echo(w, key, http.StatusBadRequest, "application/json", jsonBody(key))
		}},
		{"401 JSON", true, []any{asUnauthorized}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			echo(w, key, http.StatusUnauthorized, "application/json", jsonBody(key))
		}},
		{"400 not JSON", true, []any{asSDKError}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			echo(w, key, http.StatusBadRequest, "text/plain", "bad key "+key)
		}},
		{"401 not JSON", true, []any{asSDKError}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			echo(w, key, http.StatusUnauthorized, "text/html", "<html><body><p>Unknown key</p><p>"+key+"</p></body></html>")
		}},
		{"404", true, []any{asSDKError}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			echo(w, key, http.StatusNotFound, "application/json", jsonBody(key))
		}},
		{"429", true, []any{asSDKError}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			w.Header().Set("Retry-After", "0")
			echo(w, key, http.StatusTooManyRequests, "application/json", jsonBody(key))
		}},
		{"500", true, []any{asSDKError}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			echo(w, key, http.StatusInternalServerError, "text/plain", "upstream said "+key)
		}},
		{"malformed status line", true, []any{asTransport}, func(w http.ResponseWriter, r *http.Request, op operationCall, key string) {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			buf.WriteString("HTTP/1.1 2" + key + " OK\r\nX-Echo: " + key + "\r\n\r\n")
			buf.Flush()
		}},
	}
}

// No error of any operation, whatever the answer, holds the API key in its
// text, any formatting of it, any error of its chain or any exported field,
// even when the server echoes the key in its headers (their values and
// names), its content type and its body; nor does any debug log record.
func TestRedactionOfEveryOperationAndStatus(t *testing.T) {
	noLeaks(t)
	// Retries on, quick and bounded, so that retried answers are logged.
	retry := sdk.RetryConfig{Strategy: sdk.RetryStrategyBackoff, RetryConnectionErrors: true,
		Backoff: sdk.BackoffConfig{InitialInterval: time.Millisecond, MaxInterval: time.Millisecond, MaxElapsedTime: 5 * time.Millisecond}}
	var retried atomic.Int32 // logs with a retry record
	t.Run("operations", func(t *testing.T) {
		for _, op := range allOperations {
			t.Run(op.label(), func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				classes := redactionClasses()
				var mu sync.Mutex
				var class redactionClass
				s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
					mu.Lock()
					c := class
					mu.Unlock()
					c.answer(w, r, op, r.Header.Get("X-Api-Key"))
				})
				for _, key := range redactionKeys {
					forms := keyForms(key)
					var logs bytes.Buffer
					logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
					c, err := sdk.New(sdk.WithAPIKey(key), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(s.URL),
						sdk.WithRetryConfig(retry), sdk.WithLogger(logger))
					if err != nil {
						t.Fatal(err)
					}
					for _, cl := range classes {
						mu.Lock()
						class = cl
						mu.Unlock()
						_, err := op.call(ctx, c)
						if err == nil {
							if cl.always || op.success != http.StatusNoContent {
								t.Errorf("%s: no error", cl.name)
							}
							continue
						}
						matched := false
						for _, target := range cl.want {
							matched = matched || errors.As(err, target)
						}
						if !matched {
							t.Errorf("%s: err = %v (%T), not of the expected type", cl.name, err, err)
						}
						for _, text := range errorTexts(err) {
							if f := leaked(text, forms); f != "" {
								t.Errorf("%s: the key (as %q) leaked into %q", cl.name, f, text)
								break
							}
						}
					}
					if f := logLeak(logs.String(), forms); f != "" {
						t.Errorf("the key leaked (as %q) into the log:\n%s", f, &logs)
					}
					if strings.Contains(logs.String(), "intuned: retrying") {
						retried.Add(1)
					}
				}
			})
		}
	})
	if retried.Load() == 0 {
		t.Errorf("no call was retried: the retry records went untested")
	}
}

// A success answer that holds the key is the caller's data: it is returned
// as the server sent it, whatever its headers hold.
func TestRedactionLeavesSuccessesAlone(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	for _, key := range redactionKeys {
		k := jsonText(key)
		result := `{"token":` + k + `,"note":"the key is ` + k[1:len(k)-1] + `","` + k[1:len(k)-1] + `":[` + k + `]}`
		completed := `{"status":"completed","runId":"run-1234","statusCode":200,"result":` + result + `}`
		failed := `{"status":"failed","error":` + k + `,"message":` + k + `}`
		s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			body := completed
			if strings.Contains(r.URL.Path, "/auth-session") {
				body = failed
			}
			echo(w, key, 200, "application/json", body)
		})
		c, err := sdk.New(sdk.WithAPIKey(key), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(s.URL))
		if err != nil {
			t.Fatal(err)
		}
		for name, get := range map[string]func() (any, error){
			"result": func() (any, error) { return c.Project.Run.Result(ctx, "p", "run-1234") },
			"sync":   func() (any, error) { return c.Project.Run.Sync(ctx, "p", okRun) },
			"wait":   func() (any, error) { return c.Project.Run.Operation("p", "run-1234").Wait(ctx, quick) },
		} {
			got, err := get()
			done, ok := got.(sdk.RunCompleted)
			if err != nil || !ok || string(done.Result) != result {
				t.Errorf("%s: got %#v, %v; want the result as sent: %s", name, got, err, result)
			}
			var v map[string]any
			if err := done.DecodeResult(&v); err != nil || v["token"] != key || v[key] == nil {
				t.Errorf("%s: decoded %v, %v", name, v, err)
			}
		}
		got, err := c.Project.AuthSessions.Update.Result(ctx, "p", "o")
		if f, _ := got.(sdk.AuthSessionOperationFailed); err != nil || f.Error != key || f.Message != key {
			t.Errorf("auth session result: got %#v, %v; want the key in Error and Message", got, err)
		}
		c.CloseIdleConnections()
	}
}

// The errors a wait builds from a polled state or an operation's ID
// (*OperationFailedError, *UnknownStatusError, *OperationError, the info
// request handler's error, a second Resume's *ArgumentError) and its debug
// log records hold no key either, for a static key and for the keys of an
// APIKeyFunc.
func TestRedactionOfWaits(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	for _, key := range redactionKeys {
		for _, source := range []string{"WithAPIKey", "WithAPIKeyFunc"} {
			t.Run(source+"/"+key, func(t *testing.T) {
				forms := keyForms(key)
				k := jsonText(key)
				var mu sync.Mutex
				answers := map[string]string{} // by "METHOD path suffix"
				answer := func(route, body string) {
					mu.Lock()
					answers[route] = body
					mu.Unlock()
				}
				s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
					mu.Lock()
					defer mu.Unlock()
					for route, body := range answers {
						method, suffix, _ := strings.Cut(route, " ")
						if r.Method == method && strings.HasSuffix(r.URL.Path, suffix) {
							status := 200
							if method == http.MethodPost && !strings.HasSuffix(suffix, "/resume") {
								status = 201
							}
							if strings.HasSuffix(suffix, "/resume") {
								status = 202
							}
							echo(w, key, status, "application/json", body)
							return
						}
					}
					echo(w, key, 404, "text/plain", "no route for "+r.URL.Path)
				})
				var logs bytes.Buffer
				logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				keyOpt := sdk.WithAPIKey(key)
				if source == "WithAPIKeyFunc" {
					keyOpt = sdk.WithAPIKeyFunc(func(context.Context) (string, error) { return key, nil })
				}
				c, err := sdk.New(keyOpt, sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(s.URL), sdk.WithLogger(logger))
				if err != nil {
					t.Fatal(err)
				}
				check := func(name string, err error, want any) {
					t.Helper()
					if err == nil || !errors.As(err, want) {
						t.Errorf("%s: err = %v (%T)", name, err, err)
					}
					for _, text := range errorTexts(err) {
						if f := leaked(text, forms); f != "" {
							t.Errorf("%s: the key (as %q) leaked into %q", name, f, text)
							break
						}
					}
				}
				// The server names the operations after the key.
				id := key
				answer("POST /run/start", `{"status":"pending","runId":`+k+`}`)
				answer("GET /run/"+id+"/result", `{"status":"failed","runId":`+k+`,"statusCode":500,"error":`+k+`,"message":`+k+`}`)
				_, err = c.Project.Run.StartAndWait(ctx, "p", okRun, quick)
				check("run failed", err, new(*sdk.OperationFailedError))
				var oe *sdk.OperationError
				if !errors.As(err, &oe) || oe.OperationID == "" {
					t.Errorf("run failed: err = %#v, want an *OperationError with the (redacted) ID", err)
				}

				answer("GET /run/"+id+"/result", `{"status":`+k+`,"runId":`+k+`}`)
				_, err = c.Project.Run.StartAndWait(ctx, "p", okRun, quick)
				check("unknown status", err, new(*sdk.UnknownStatusError))

				answer("POST /queues/q/items", `{"runId":`+k+`,"status":"queued"}`)
				answer("GET /queues/q/items/"+id, `{"status":"failed","runId":`+k+`,"statusCode":500,"error":{"code":`+k+`,"message":`+k+`,"extra":[`+k+`]}}`)
				_, err = c.Project.Queues.Items.AppendAndWait(ctx, "p", "q", okItem, quick)
				check("queue item failed", err, new(*sdk.OperationFailedError))
				answer("GET /queues/q/items/"+id, `{"status":"failed","runId":`+k+`,"statusCode":500,"error":{"extra":[`+k+`]}}`)
				_, err = c.Project.Queues.Items.AppendAndWait(ctx, "p", "q", okItem, quick)
				check("queue item failed, details only", err, new(*sdk.OperationFailedError))

				answer("POST /markdown/start", `{"operationId":`+k+`,"status":"pending"}`)
				answer("GET /markdown/"+id+"/result", `{"operationId":`+k+`,"status":"failed","error":`+k+`,"message":`+k+`}`)
				_, err = c.Files.ExtractMarkdown.StartAndWait(ctx, okFile, quick)
				check("extraction failed", err, new(*sdk.OperationFailedError))

				answer("POST /auth-sessions/update", `{"status":"started","operationId":`+k+`}`)
				answer("GET /update/"+id+"/result", `{"status":"failed","error":`+k+`,"message":`+k+`}`)
				_, err = c.Project.AuthSessions.Update.StartAndWait(ctx, "p", sdk.AuthSessionUpdateRequest{ID: "s"},
					func(context.Context, sdk.InfoRequest) (string, error) { return "1", nil }, quick)
				check("auth session failed", err, new(*sdk.OperationFailedError))

				otp := `{"status":"requested_more_info","id":` + k + `,"details":{"requestType":"otp","action":"request_more_info","messageToUser":` + k + `}}`
				answer("GET /update/"+id+"/result", otp)
				_, err = c.Project.AuthSessions.Update.StartAndWait(ctx, "p", sdk.AuthSessionUpdateRequest{ID: "s"},
					func(context.Context, sdk.InfoRequest) (string, error) { return "", context.Canceled }, quick)
				check("info request handler failed", err, new(*sdk.OperationError))
				if !errors.Is(err, context.Canceled) {
					t.Errorf("the handler's error no longer matches: %v", err)
				}

				op := c.Project.AuthSessions.Update.Operation("p", key)
				state, err := op.Wait(ctx, quick)
				info, ok := state.(sdk.AuthSessionOperationRequestedMoreInfo)
				if err != nil || !ok || info.ID != key || info.Message() != key {
					t.Fatalf("the info request was changed: %#v, %v", state, err)
				}
				answer("POST /update/"+id+"/resume", `{"status":"resumed"}`)
				if err := op.Resume(ctx, info, "1"); err != nil {
					t.Fatal(err)
				}
				check("second resume", op.Resume(ctx, info, "1"), new(*sdk.ArgumentError))

				mu.Lock()
				delete(answers, "GET /run/"+id+"/result") // a 404
				mu.Unlock()
				_, err = c.Project.Run.Operation("p", key).Wait(ctx, quick)
				check("poll answered 404", err, new(*sdk.SDKError))

				if f := logLeak(logs.String(), forms); f != "" || !strings.Contains(logs.String(), "intuned: wait") {
					t.Errorf("the key leaked (as %q) into the log, or it lacks the waits:\n%s", f, &logs)
				}
				c.CloseIdleConnections()
			})
		}
	}
}

// The key is in no printed value of a client or an option, and in no
// *ArgumentError about it.
func TestRedactionOfTheKeyItself(t *testing.T) {
	for _, key := range redactionKeys {
		forms := keyForms(key)
		c, err := sdk.New(sdk.WithAPIKey(key), sdk.WithWorkspaceID(testWorkspace))
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, v := range []any{c, *c, c.Project, sdk.WithAPIKey(key), sdk.WithAPIKeyFunc(func(context.Context) (string, error) { return key, nil })} {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
				texts = append(texts, fmt.Sprintf(verb, v))
			}
		}
		_, err = sdk.New(sdk.WithAPIKey(key+"\n"), sdk.WithWorkspaceID(testWorkspace))
		if !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("a key with a newline: err = %v", err)
		}
		texts = append(texts, errorTexts(err)...)
		_, err = c.Project.Jobs.All(context.Background(), "p", sdk.WithAPIKeyFunc(func(context.Context) (string, error) { return key + "\x00", nil }))
		if !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("a key function's key with a NUL: err = %v", err)
		}
		texts = append(texts, errorTexts(err)...)
		for _, text := range texts {
			if f := leaked(text, forms); f != "" {
				t.Errorf("the key (as %q) leaked into %q", f, text)
			}
		}
	}
}

// A key that a body's cut (at MaxErrorBodySize) leaves in two, or that an
// error text's condensing would join back together (a stray '>' of an HTML
// body is dropped), leaves no piece behind.
func TestRedactionOfAKeyCutOrJoined(t *testing.T) {
	noLeaks(t)
	key := redactionKeys[0]
	forms := keyForms(key)
	pad := strings.Repeat("x", sdk.MaxErrorBodySize-6)
	for _, tt := range []struct {
		name   string
		status int
		ct     string
		body   string
	}{
		{"500 cut in the key", 500, "text/plain", pad + key},
		{"undocumented 2xx cut in the key", 202, "application/json", pad + key + strings.Repeat("y", 100)},
		{"HTML with a stray >", 500, "text/html", "<p>the key: " + key[:6] + ">" + key[6:] + "</p>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { echo(w, key, tt.status, tt.ct, tt.body) })
			c, err := sdk.New(sdk.WithAPIKey(key), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(s.URL))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Project.Jobs.All(context.Background(), "p")
			var se *sdk.SDKError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want an *SDKError", err)
			}
			if len(se.Body) > sdk.MaxErrorBodySize || se.BodyTruncated != (len(tt.body) > sdk.MaxErrorBodySize) {
				t.Errorf("Body holds %d bytes, BodyTruncated %v", len(se.Body), se.BodyTruncated)
			}
			if strings.HasSuffix(se.Body, key[:4]) || strings.HasSuffix(se.Body, key[:6]) {
				t.Errorf("the body ends with a piece of the key: …%s", se.Body[max(0, len(se.Body)-20):])
			}
			checkNoKey(t, err, forms)
			c.CloseIdleConnections()
		})
	}
}

// A key that an answer holds in a header's name alone, in any case, is
// redacted too.
func TestRedactionOfAKeyInAHeaderNameAlone(t *testing.T) {
	noLeaks(t)
	key := redactionKeys[0]
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header()["x-echo-"+strings.ToUpper(key)] = []string{"1"}
		w.WriteHeader(http.StatusInternalServerError)
	})
	c, err := sdk.New(sdk.WithAPIKey(key), sdk.WithWorkspaceID(testWorkspace), sdk.WithServerURL(s.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	_, err = c.Project.Jobs.All(context.Background(), "p")
	var se *sdk.SDKError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want an *SDKError", err)
	}
	if len(se.Header) < 2 {
		t.Errorf("Header = %v, want the answer's headers, the echo's name redacted", se.Header)
	}
	checkNoKey(t, err, keyForms(key))
}
