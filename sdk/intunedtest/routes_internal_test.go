package intunedtest

import "testing"

// Every route of the spec has a handler, and every handler a route: a
// mismatch after regenerating routes.gen.go fails here.
func TestEveryRouteHasAHandler(t *testing.T) {
	seen := map[string]bool{}
	for _, rt := range routes {
		if handlers[rt.id] == nil {
			t.Errorf("no handler for operation %s (%s)", rt.id, rt.name)
		}
		seen[rt.id] = true
	}
	for id := range handlers {
		if !seen[id] {
			t.Errorf("no route for operation %s", id)
		}
	}
}
