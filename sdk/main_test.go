package sdk_test

import (
	"testing"

	"github.com/intuned/intuned-go/internal/leakcheck"
)

// TestMain fails the package if any goroutine outlives the tests.
func TestMain(m *testing.M) {
	leakcheck.VerifyTestMain(m)
}
