package intunedtest_test

import (
	"strings"
	"testing"

	"github.com/intuned/intuned-go/sdk/intunedtest"
)

// A fault for a name that is no operation would never be met: InjectFault
// says so at once rather than let the test pass without it.
func TestInjectFaultRefusesAnUnknownOperation(t *testing.T) {
	srv := intunedtest.NewServer()
	defer srv.Close()
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), `"UpdateStart" is no operation`) {
			t.Errorf("InjectFault(\"UpdateStart\") recovered %v, want a panic naming it", r)
		}
	}()
	srv.InjectFault(intunedtest.ProjectRunStart, 1, intunedtest.Fault{Status: 503}) // a real one is fine
	srv.InjectFault("UpdateStart", 1, intunedtest.Fault{Status: 500})
}
