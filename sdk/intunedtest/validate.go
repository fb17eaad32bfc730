package intunedtest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	intuned "github.com/intuned/intuned-go"
	"github.com/intuned/intuned-go/gen"
)

// spec is openapi.yaml, loaded once.
var spec = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(intuned.OpenAPISpec)
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(context.Background())
})

// operationIDs maps each route pattern of the generated server ("POST
// /{workspaceId}/...") to its operationId in the spec.
var operationIDs = func() map[string]string {
	doc, err := spec()
	if err != nil {
		panic("intunedtest: openapi.yaml: " + err.Error()) // caught by the module's own tests
	}
	m := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			m[method+" "+path] = op.OperationID
		}
	}
	return m
}()

// validate checks each request against its operation in the spec: path
// parameters, content type and body. A request that does not match gets the
// 400 the API sends, with the problems as details.
func (s *Server) validate(next http.Handler) http.Handler {
	doc, _ := spec()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method, path, _ := strings.Cut(r.Pattern, " ")
		item := doc.Paths.Value(path)
		op := item.GetOperation(method)
		params := map[string]string{}
		for _, p := range append(item.Parameters, op.Parameters...) {
			if p.Value.In == openapi3.ParameterInPath {
				params[p.Value.Name] = r.PathValue(p.Value.Name)
			}
		}
		err := openapi3filter.ValidateRequest(r.Context(), &openapi3filter.RequestValidationInput{
			Request:    r,
			PathParams: params,
			Route:      &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op},
			Options:    &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		})
		if err != nil {
			writeInvalid(w, "Invalid input", validationDetails(err))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// validationDetails lists the problems of a failed validation, each with
// the JSON path it concerns where known.
func validationDetails(err error) []map[string]any {
	var out []map[string]any
	var walk func(error)
	walk = func(err error) {
		var me openapi3.MultiError
		if errors.As(err, &me) {
			for _, e := range me {
				walk(e)
			}
			return
		}
		d := map[string]any{"message": err.Error()}
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			d["message"] = se.Reason
			d["path"] = se.JSONPointer()
		}
		var re *openapi3filter.RequestError
		if errors.As(err, &re) && re.Parameter != nil {
			d["path"] = []string{re.Parameter.Name}
		}
		out = append(out, d)
	}
	walk(err)
	return out
}

func writeInvalid(w http.ResponseWriter, message string, details any) {
	writeJSON(w, http.StatusBadRequest, gen.APIErrorInvalidInput{Message: &message, Details: details})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func ptr[T any](v T) *T { return &v }
