package sdk_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/intuned/intuned-go/sdk"
)

// TestModelsPrintAsJSON: %v and %+v of a model print its JSON, so that a
// pointer member shows its value and a union variant no internal field.
func TestModelsPrintAsJSON(t *testing.T) {
	job := sdk.Job{ID: "nightly", Configuration: sdk.JobConfiguration{RunMode: sdk.JobRunModeOrderIrrelevant, MaxConcurrentRequests: sdk.Ptr(2)},
		Sink: sdk.NullableOf[sdk.Sink](sdk.SinkS3{Bucket: "b", Region: "r", AccessKeyID: "AKIA", SecretAccessKey: "TOPSECRET"})}
	for _, tt := range []struct {
		v       any
		want    []string
		notWant []string
	}{
		{sdk.QueueCreated{ID: sdk.Ptr("pages")}, []string{`{"id":"pages"}`}, []string{"0x"}},
		{sdk.RunCompleted{StatusCode: 200, Result: sdk.RawJSON(`{"a":1}`)}, []string{`"status":"completed"`, `"result":{"a":1}`}, []string{"disc", "123 34"}},
		{job, []string{`"maxConcurrentRequests":2`, `"sink":{"type":"s3"`}, []string{"0x"}},
	} {
		for _, verb := range []string{"%v", "%+v", "%s"} {
			got := fmt.Sprintf(verb, tt.v)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s of %T = %s, want %s in it", verb, tt.v, got, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("%s of %T = %s, want no %s in it", verb, tt.v, got, w)
				}
			}
		}
	}
}

// Parameters kept as received print as their JSON text too.
func TestParametersRawPrintsAsJSON(t *testing.T) {
	p := sdk.ParametersRaw(`{"url":"u"}`)
	if got := fmt.Sprintf("%v %+v", p, sdk.JobPayload{APIName: "a", Parameters: p}); got != `{"url":"u"} {"apiName":"a","parameters":{"url":"u"}}` {
		t.Errorf("printed %s", got)
	}
}
