package intunedtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/intuned/intuned-go/sdk"
)

// This file delivers payloads to webhook sinks: in the background, a few at
// a time, each retried, all of it owned by the Server and stopped by Close.
// What is delivered, and when, is sinks.go's.

// SinkDelivery is a payload the server sent, or tried to send, to a webhook
// sink, once its last attempt has ended.
type SinkDelivery struct {
	// URL is the sink's URL.
	URL string
	// Header holds the headers sent: the sink's, and Content-Type:
	// application/json.
	Header http.Header
	// Body is the payload as sent, the JSON of Result.
	Body []byte
	// Result is the payload: an sdk.JobSinkResult or an sdk.QueueSinkResult.
	Result sdk.SinkResult
	// Attempts is how many times the payload was sent (WithSinkRetry).
	Attempts int
	// StatusCode is the status of the last attempt's answer; 0 if it got
	// none.
	StatusCode int
	// Err is why the last attempt failed (no answer, or an answer other
	// than a 2xx, whose status and first bytes it gives); nil when the
	// payload was delivered.
	Err error
}

// The defaults of deliveries (WithSinkRetry, WithSinkHTTPClient).
const (
	defaultSinkAttempts = 3
	defaultSinkBackoff  = 100 * time.Millisecond
	sinkAttemptTimeout  = 10 * time.Second
	// maxSinkWorkers bounds the deliveries made at once.
	maxSinkWorkers = 4
)

// errClosed ends the deliveries still to make when the server is closed.
var errClosed = errors.New("intunedtest: the server was closed before the payload was delivered")

// WithSinkRetry sets how the server sends each payload to a webhook sink:
// at most attempts times (3 otherwise), until the sink answers with a 2xx,
// waiting backoff before the second attempt (100 ms otherwise) and twice as
// long before each later one. An attempt gets no answer, or an answer
// other than a 2xx (a redirect included), when it fails. attempts below 1
// count as 1.
func WithSinkRetry(attempts int, backoff time.Duration) Option {
	return func(s *Server) { s.sinks.attempts, s.sinks.backoff = max(attempts, 1), backoff }
}

// WithSinkHTTPClient sets the client the server sends payloads to webhook
// sinks with. The default client connects to loopback addresses only, so
// that a test never sends a payload off the machine (a sink elsewhere is a
// failed delivery), follows no redirect, and gives each attempt 10 seconds.
// Give another client to deliver elsewhere, or to an https sink
// (httptest.NewTLSServer's Client()). A client given is the caller's: Close
// leaves its idle connections alone. nil keeps the default.
func WithSinkHTTPClient(c *http.Client) Option {
	return func(s *Server) {
		if c != nil {
			s.sinks.client, s.sinks.ownClient = c, false
		}
	}
}

// SinkDeliveries returns the deliveries to webhook sinks that have ended
// (delivered, or failed at their last attempt), in the order the server
// made their payloads. A server made WithoutRecording keeps none.
func (s *Server) SinkDeliveries() []SinkDelivery {
	d := s.sinks
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []SinkDelivery
	for _, dv := range d.all {
		if dv.ended {
			out = append(out, dv.SinkDelivery)
		}
	}
	return out
}

// WaitSinkDeliveries waits until n deliveries to webhook sinks have ended,
// and returns SinkDeliveries; if ctx ends first, it returns those that have
// ended, and ctx's error.
func (s *Server) WaitSinkDeliveries(ctx context.Context, n int) ([]SinkDelivery, error) {
	d := s.sinks
	for {
		d.mu.Lock()
		ended, changed := d.ended, d.changed
		d.mu.Unlock()
		if ended >= n {
			return s.SinkDeliveries(), nil
		}
		select {
		case <-ctx.Done():
			return s.SinkDeliveries(), ctx.Err()
		case <-changed:
		}
	}
}

// deliverer sends payloads to webhook sinks: a queue of them, and up to
// maxSinkWorkers goroutines that exist while it is not empty.
type deliverer struct {
	client    *http.Client
	ownClient bool // the default client, whose idle connections close closes
	attempts  int
	backoff   time.Duration
	keep      bool // keep the deliveries that ended (not WithoutRecording)

	ctx    context.Context // cancelled by close
	cancel context.CancelFunc
	wg     sync.WaitGroup // the workers

	mu      sync.Mutex
	queue   []*delivery // made, not yet sent
	workers int
	closed  bool
	all     []*delivery // in the order made, if kept
	ended   int
	changed chan struct{} // closed, and replaced, when a delivery ends
}

// delivery is a SinkDelivery in the making.
type delivery struct {
	SinkDelivery
	ended bool
}

func newDeliverer() *deliverer {
	ctx, cancel := context.WithCancel(context.Background())
	return &deliverer{client: loopbackClient(), ownClient: true, attempts: defaultSinkAttempts, backoff: defaultSinkBackoff, keep: true, ctx: ctx, cancel: cancel, changed: make(chan struct{})}
}

// loopbackClient is the default client of deliveries: it connects to
// loopback addresses only (a loopback IP, or localhost if it resolves to
// one: no other name is even looked up), and follows no redirect.
func loopbackClient() *http.Client {
	refuse := func(address string) error {
		return fmt.Errorf("intunedtest: %s is not a loopback address, where the fake delivers to sinks (WithSinkHTTPClient delivers elsewhere)", address)
	}
	dialer := &net.Dialer{Timeout: sinkAttemptTimeout, Control: func(_, address string, _ syscall.RawConn) error {
		if !loopbackAddr(address, false) { // as resolved
			return refuse(address)
		}
		return nil
	}}
	dial := func(ctx context.Context, network, address string) (net.Conn, error) {
		if !loopbackAddr(address, true) {
			return nil, refuse(address)
		}
		return dialer.DialContext(ctx, network, address)
	}
	return &http.Client{
		Transport:     &http.Transport{DialContext: dial, MaxIdleConnsPerHost: maxSinkWorkers},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// loopbackAddr reports whether host:port is at a loopback IP, or, if
// names are allowed, at localhost.
func loopbackAddr(address string, names bool) bool {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return false
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	return names && strings.EqualFold(host, "localhost")
}

// send queues a payload for a sink: result, encoded as JSON, POSTed to
// hook's URL with its headers.
func (d *deliverer) send(hook sdk.WebhookSink, result sdk.SinkResult) {
	dv := &delivery{SinkDelivery: SinkDelivery{URL: hook.URL, Header: http.Header{}, Result: result}}
	for k, v := range hook.Headers {
		dv.Header.Set(k, v)
	}
	dv.Header.Set("Content-Type", "application/json")
	body, err := json.Marshal(result)
	dv.Body = body
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.keep {
		d.all = append(d.all, dv)
	}
	switch {
	case err != nil:
		d.endLocked(dv, 0, 0, err)
	case d.closed:
		d.endLocked(dv, 0, 0, errClosed)
	default:
		d.queue = append(d.queue, dv)
		if d.workers < maxSinkWorkers {
			d.workers++
			d.wg.Add(1)
			go d.work()
		}
	}
}

// work delivers the queued payloads until there are none.
func (d *deliverer) work() {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		if len(d.queue) == 0 {
			d.workers--
			d.mu.Unlock()
			return
		}
		dv := d.queue[0]
		d.queue = slices.Delete(d.queue, 0, 1)
		d.mu.Unlock()
		attempts, status, err := d.deliver(dv)
		d.mu.Lock()
		d.endLocked(dv, attempts, status, err)
		d.mu.Unlock()
	}
}

// deliver sends a payload until the sink takes it, the attempts run out, or
// the server is closed.
func (d *deliverer) deliver(dv *delivery) (attempts, status int, err error) {
	wait := d.backoff
	for attempts < d.attempts {
		if attempts > 0 {
			t := time.NewTimer(wait)
			select {
			case <-d.ctx.Done():
				t.Stop()
			case <-t.C:
			}
			wait *= 2
		}
		if d.ctx.Err() != nil {
			return attempts, status, errClosed
		}
		attempts++
		if status, err = d.post(dv); err == nil {
			return attempts, status, nil
		}
	}
	return attempts, status, err
}

// post makes one attempt: the status of the answer, and an error unless it
// is a 2xx.
func (d *deliverer) post(dv *delivery) (int, error) {
	ctx, cancel := context.WithTimeout(d.ctx, sinkAttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, dv.URL, bytes.NewReader(dv.Body))
	if err != nil {
		return 0, err
	}
	req.Header = dv.Header.Clone()
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	start, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // so that the connection serves again
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("intunedtest: the sink answered %d: %s", resp.StatusCode, strings.TrimSpace(string(start)))
	}
	return resp.StatusCode, nil
}

// endLocked records how a delivery ended, and wakes the waiters.
func (d *deliverer) endLocked(dv *delivery, attempts, status int, err error) {
	dv.Attempts, dv.StatusCode, dv.Err, dv.ended = attempts, status, err, true
	d.ended++
	close(d.changed)
	d.changed = make(chan struct{})
}

// close stops the deliveries: those under way end at once, failed, and
// those to come fail without an attempt. It returns once no goroutine of
// the deliverer is left.
func (d *deliverer) close() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.cancel()
	d.wg.Wait()
	if d.ownClient {
		d.client.CloseIdleConnections()
	}
}
