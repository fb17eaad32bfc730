package sdk

import (
	"net/http"
	"testing"
)

// The default HTTP client bounds every phase of a request, so that a call
// made with no deadline and no timeout still ends.
func TestDefaultHTTPClientIsBounded(t *testing.T) {
	hc := defaultHTTPClient
	tr := hc.Transport.(*http.Transport)
	if hc.Timeout <= 0 || tr.ResponseHeaderTimeout <= 0 || tr.TLSHandshakeTimeout <= 0 || tr.MaxResponseHeaderBytes <= 0 || tr.IdleConnTimeout <= 0 {
		t.Errorf("unbounded: timeout %v, header timeout %v, TLS %v, header bytes %d, idle %v",
			hc.Timeout, tr.ResponseHeaderTimeout, tr.TLSHandshakeTimeout, tr.MaxResponseHeaderBytes, tr.IdleConnTimeout)
	}
	if tr.DialContext == nil || tr.MaxIdleConnsPerHost < 64 {
		t.Errorf("dialer %v, idle connections per host %d", tr.DialContext != nil, tr.MaxIdleConnsPerHost)
	}
	if hc.CheckRedirect == nil {
		t.Error("the default client follows redirects to any host")
	}
}
