package sdk

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Default bounds of the HTTP client every Client uses unless WithHTTPClient
// gives another. With the per-attempt deadline of transport.go, no call can
// hang for ever, even with no context deadline. The client itself sets no
// timeout (no http.Client.Timeout, no ResponseHeaderTimeout), so that a
// caller's deadline, longer or shorter, is the one that counts.
const (
	defaultDialTimeout           = 30 * time.Second
	defaultTLSHandshakeTimeout   = 10 * time.Second
	defaultMaxResponseHeaderSize = 256 << 10
)

// DefaultMaxConnsPerHost is how many connections the default HTTP client
// (the one every Client uses unless WithHTTPClient gives another) opens to
// the API at most, however many goroutines call it: a call beyond them
// queues for a connection instead of dialling, and its attempt's deadline
// counts that wait. Every Client on the default HTTP client shares the
// bound (and the connections). 64
// keeps a loopback or LAN link busy and a far one well used (64 calls of
// 100 ms each make 640 calls a second), without a burst of TLS handshakes or
// a wall of 429s from one process. It also bounds idle connections: Go's
// default of 2 idle per host makes concurrent callers open thousands. For
// another bound, pass WithHTTPClient a client whose http.Transport sets
// MaxConnsPerHost (and MaxIdleConnsPerHost) as you need; a client given is
// used as it is.
const DefaultMaxConnsPerHost = 64

// defaultHTTPClient is shared by every Client built without WithHTTPClient,
// so that they share one connection pool.
var defaultHTTPClient = guardRedirects(&http.Client{Transport: newDefaultTransport()})

func newDefaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: defaultDialTimeout, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = defaultTLSHandshakeTimeout
	t.MaxResponseHeaderBytes = defaultMaxResponseHeaderSize
	t.MaxConnsPerHost = DefaultMaxConnsPerHost
	t.MaxIdleConnsPerHost = DefaultMaxConnsPerHost
	t.MaxIdleConns = 2 * DefaultMaxConnsPerHost
	return t
}

// guardRedirects returns a shallow copy of hc (sharing its transport, jar
// and timeout) whose redirect policy never lets the API key leave: net/http
// forwards custom headers such as x-api-key on every redirect, to any host.
// A redirect to another origin (scheme, host and port), including https to
// http, is not followed: the 3xx answer is returned as an *SDKError with its
// Location header. Redirects within the origin follow hc's own policy.
func guardRedirects(hc *http.Client) *http.Client {
	c := *hc
	own := hc.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !sameOrigin(req.URL, via[0].URL) {
			return http.ErrUseLastResponse
		}
		if own != nil {
			return own(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &c
}

func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && a.Host == b.Host
}

// isLoopback reports whether host (no port) is a loopback name or address,
// where plain http does not cross a network.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CloseIdleConnections closes the idle connections of the client's HTTP
// client (shared by every Client that uses the default one), for instance
// at shutdown. Connections in use are not touched.
func (c *Client) CloseIdleConnections() {
	if c != nil {
		c.cfg.httpClient.CloseIdleConnections()
	}
}
