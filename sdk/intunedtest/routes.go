package intunedtest

import (
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
)

// route is one operation of openapi.yaml (routes.gen.go lists them all).
// Its path is literals[0] {params[0]} literals[1] {params[1]} …
// literals[len(params)], where each parameter is exactly one path segment;
// the first parameter is the workspace ID.
type route struct {
	id       string // the operationId, as Request.Operation and InjectFault name it
	name     string // the reference client's name, such as project.authSessions.update.start
	method   string
	literals []string
	params   []string
	success  int      // the documented success status
	nullable []string // the members of the request body that may be null
	starts   bool     // it starts a long-running operation (StartCounts)
	// serve is the Server's method that serves it (operations, in
	// routes.gen.go).
	serve func(operations, *http.Request, []byte) answer
}

// match reports the path values of an escaped path if it is the route's
// path: each value is one non-empty segment, percent-decoded.
func (rt *route) match(escaped string) (map[string]string, bool) {
	rest, ok := strings.CutPrefix(escaped, rt.literals[0])
	if !ok {
		return nil, false
	}
	values := make(map[string]string, len(rt.params))
	for i, name := range rt.params {
		next := rt.literals[i+1]
		end := len(rest)
		if next != "" {
			if end = strings.Index(rest, next); end < 0 {
				return nil, false
			}
		}
		seg := rest[:end]
		if seg == "" || strings.Contains(seg, "/") {
			return nil, false
		}
		v, err := url.PathUnescape(seg)
		if err != nil {
			return nil, false
		}
		values[name] = v
		rest = rest[end+len(next):]
	}
	return values, rest == ""
}

// routing is where a request goes: a route with its path values, a
// redirect to the cleaned path, or nowhere (404, or 405 with allow).
type routing struct {
	route    *route
	values   map[string]string
	redirect string   // the cleaned escaped path, if the request's is not clean
	allow    []string // the methods of the routes whose path matches, if none has the request's method
}

// findRoute routes r as net/http.ServeMux does: a path that is not clean
// (empty or dot segments) is redirected to its cleaned form (the route is
// still reported, for the record); among the routes whose path matches, one
// with the request's method (GET serves HEAD too) is chosen, the one with
// the fewest parameters if several match.
func findRoute(r *http.Request) routing {
	escaped := cleanPath(r.URL.EscapedPath())
	var best routing
	if escaped != r.URL.EscapedPath() {
		best.redirect = escaped
	}
	var methods []string
	for _, rt := range routes {
		values, ok := rt.match(escaped)
		if !ok {
			continue
		}
		methods = append(methods, rt.method)
		if rt.method != r.Method && !(rt.method == http.MethodGet && r.Method == http.MethodHead) {
			continue
		}
		if best.route == nil || len(rt.params) < len(best.route.params) {
			best.route, best.values = rt, values
		}
	}
	if best.route == nil && methods != nil {
		if slices.Contains(methods, http.MethodGet) {
			methods = append(methods, http.MethodHead)
		}
		slices.Sort(methods)
		best.allow = slices.Compact(methods)
	}
	return best
}

// cleanPath is net/http's: path.Clean, keeping a trailing slash.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		if len(p) == len(np)+1 && strings.HasPrefix(p, np) {
			return p
		}
		np += "/"
	}
	return np
}
