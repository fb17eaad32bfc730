package sdk_test

import (
	"context"
	"testing"
)

// Whatever the server answers, every operation returns its result or one of
// the SDK's error types, fit for the status: never a panic, never a success
// for another status than the documented one. Seeds are each operation's
// valid answer and the response corpus; half the fuzzed answers keep the
// operation's success status, so that the decoders see most of the inputs.
func FuzzEveryOperationAnswer(f *testing.F) {
	for i, op := range allOperations {
		f.Add(uint16(i), uint16(0), "application/json", []byte(op.body))
	}
	i := 0
	for _, body := range seeds(f, "responses") { // each body for one operation, in turn
		f.Add(uint16(i), uint16(i), "application/json", body)
		i++
	}
	f.Fuzz(func(t *testing.T, which, n uint16, contentType string, body []byte) {
		op := allOperations[int(which)%len(allOperations)]
		status := op.success
		if n%2 == 1 {
			status = statusOf(n / 2)
		}
		c := fuzzClient(t, &canned{status: status, contentType: contentType, body: body})
		_, err := op.call(context.Background(), c)
		if err != nil {
			checkError(t, err, status, op.success)
			return
		}
		if status != op.success {
			t.Fatalf("%s: status %d accepted, want %d", op.label(), status, op.success)
		}
	})
}
