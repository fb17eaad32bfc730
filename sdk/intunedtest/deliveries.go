package intunedtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
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
	// Result is the payload: an sdk.SinkResultProjectJob or an sdk.SinkResultProjectQueue.
	Result sdk.SinkResult
	// Copy is which copy of its payload this is, in the order the server
	// made them: 0, or up to n with WithSinkRedelivery(n). The copies of a
	// payload have the same URL, Header, Body and Result; each is sent, and
	// retried, on its own.
	Copy int
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

// The defaults of deliveries (WithSinkRetry, WithSinkAttemptTimeout).
const (
	defaultSinkAttempts       = 3
	defaultSinkBackoff        = 100 * time.Millisecond
	defaultSinkAttemptTimeout = 10 * time.Second
	// maxSinkWorkers bounds the deliveries made at once (one at a time
	// with WithSinkShuffle).
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
// failed delivery), and follows no redirect. Give another client to deliver
// elsewhere, or to an https sink (httptest.NewTLSServer's Client()). Each
// attempt has the deadline of WithSinkAttemptTimeout with either client (a
// client's own Timeout applies too). A client given is the caller's: Close
// leaves its idle connections alone. nil keeps the default.
func WithSinkHTTPClient(c *http.Client) Option {
	return func(s *Server) {
		if c != nil {
			s.sinks.client, s.sinks.ownClient = c, false
		}
	}
}

// WithSinkAttemptTimeout sets how long each attempt to send a payload to a
// webhook sink may take, answer included: 10 seconds otherwise. It is a
// deadline on the attempt's context, so it applies to the default client
// and to one given WithSinkHTTPClient alike. An attempt that runs out of
// time fails with an error that errors.Is context.DeadlineExceeded, and is
// retried as any other (WithSinkRetry). d of 0 or less sets no deadline:
// an attempt then lasts until the sink answers, or Close.
func WithSinkAttemptTimeout(d time.Duration) Option {
	return func(s *Server) { s.sinks.timeout = max(d, 0) }
}

// WithSinkRedelivery makes the server deliver each payload n+1 times in
// all, as the service may (a result can arrive more than once), to test
// that a receiver stores a result once however often it comes: the copies
// are identical, byte for byte, headers included, and each is sent and
// retried on its own, whether the others were taken or not. Each is a
// SinkDelivery of its own, its Copy telling which. The copies of a payload
// are made together, and sent in that order unless WithSinkShuffle
// reorders them; with several deliveries at once (up to 4), they may
// reach the sink at the same time. n below 1 sends each payload once.
func WithSinkRedelivery(n int) Option {
	return func(s *Server) { s.sinks.copies = max(n, 0) + 1 }
}

// WithSinkShuffle makes the server deliver payloads to webhook sinks out of
// order, a later run's result before an earlier one's, and in the same
// order whenever a test makes the same calls with the same seed. The server
// holds the deliveries it makes (each copy of WithSinkRedelivery is one),
// and sends those held in an order shuffled by a PCG generator seeded with
// seed, one delivery at a time (retries included), so that the sink
// receives them in exactly that order. It sends those held when:
//   - batch deliveries are held;
//   - a job run has made all of its payloads (with batch at least the
//     deliveries of a run, each run is shuffled whole);
//   - WaitSinkDeliveries(ctx, n) needs them: n deliveries have been made,
//     and fewer than n are not held. A test that waits for the results it
//     caused never waits for a batch to fill.
//
// Close fails the deliveries still held, without an attempt. batch below 2
// reorders nothing. To shuffle a queue's results, append several items,
// then wait for them (or append batch items); a job's, trigger a job of
// several APIs. SinkDeliveries still lists deliveries in the order made.
func WithSinkShuffle(seed int64, batch int) Option {
	return func(s *Server) {
		s.sinks.rng, s.sinks.batch = rand.NewPCG(uint64(seed), 0), max(batch, 1)
	}
}

// WithSinkDeliveryHook makes the server call f with each delivery to a
// webhook sink as it ends (delivered, failed at its last attempt, or ended
// by Close), as SinkDeliveries would list it, even WithoutRecording: to log
// deliveries, as cmd/intuned-fake does, or to count them. f is called from
// the server's goroutines, several at once, without the server's locks
// held (it may call the server's methods): for a delivery that was
// attempted, before WaitSinkDeliveries counts it as ended; for one ended
// without an attempt, before Close returns (for those held or queued) or
// before the request that made it is answered (a closed server's). The
// last hook given counts; nil sets none.
func WithSinkDeliveryHook(f func(SinkDelivery)) Option {
	return func(s *Server) { s.sinks.hook = f }
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
// ended, and ctx's error. With WithSinkShuffle, it sends the deliveries held
// as soon as it needs them.
func (s *Server) WaitSinkDeliveries(ctx context.Context, n int) ([]SinkDelivery, error) {
	d := s.sinks
	for {
		d.mu.Lock()
		if len(d.held) > 0 && d.made >= n && d.made-len(d.held) < n {
			d.releaseLocked()
		}
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
// maxSinkWorkers goroutines that exist while it is not empty. With
// WithSinkShuffle, deliveries are held before they are queued.
type deliverer struct {
	// Set by the options, before the first delivery.
	client    *http.Client
	ownClient bool // the default client, whose idle connections close closes
	attempts  int
	backoff   time.Duration
	timeout   time.Duration // of each attempt; 0 for none
	copies    int           // of each payload (WithSinkRedelivery)
	rng       *rand.PCG     // nil unless WithSinkShuffle; used under mu
	batch     int           // deliveries held before they are sent, shuffled
	hook      func(SinkDelivery)
	keep      bool // keep the deliveries that ended (not WithoutRecording)

	ctx    context.Context // cancelled by close
	cancel context.CancelFunc
	wg     sync.WaitGroup // the workers

	mu         sync.Mutex
	held       []*delivery // made, held to be shuffled (WithSinkShuffle)
	queue      []*delivery // to send, in order
	made       int         // deliveries made, whatever became of them
	workers    int
	closed     bool
	all        []*delivery // in the order made, if kept
	ended      int
	unreported []*delivery   // ended without an attempt, not yet passed to hook
	changed    chan struct{} // closed, and replaced, when a delivery is made or ends
}

// delivery is a SinkDelivery in the making.
type delivery struct {
	SinkDelivery
	ended bool
}

func newDeliverer() *deliverer {
	ctx, cancel := context.WithCancel(context.Background())
	return &deliverer{client: loopbackClient(), ownClient: true, attempts: defaultSinkAttempts, backoff: defaultSinkBackoff, timeout: defaultSinkAttemptTimeout,
		copies: 1, keep: true, ctx: ctx, cancel: cancel, changed: make(chan struct{})}
}

// loopbackClient is the default client of deliveries: it connects to
// loopback addresses only (a loopback IP, or localhost if it resolves to
// one: no other name is even looked up), and follows no redirect.
func loopbackClient() *http.Client {
	refuse := func(address string) error {
		return fmt.Errorf("intunedtest: %s is not a loopback address, where the fake delivers to sinks (WithSinkHTTPClient delivers elsewhere)", address)
	}
	dialer := &net.Dialer{Control: func(_, address string, _ syscall.RawConn) error {
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

// encodePayload is the body of a payload, as the server sends it.
func encodePayload(result sdk.SinkResult) ([]byte, error) { return json.Marshal(result) }

// send makes the deliveries of payloads to a sink: each result, encoded as
// JSON, POSTed to hook's URL with its headers, as many times as
// WithSinkRedelivery says. They are queued, or held (WithSinkShuffle); a
// job run's last sends the deliveries held.
func (d *deliverer) send(hook sdk.SinkWebhook, results []sdk.SinkResult, jobRunEnd bool) {
	header := http.Header{}
	for k, v := range hook.Headers {
		header.Set(k, v)
	}
	header.Set("Content-Type", "application/json")
	type made struct {
		dv  *delivery
		err error
	}
	var all []made
	for _, result := range results {
		body, err := encodePayload(result)
		for c := range d.copies {
			all = append(all, made{&delivery{SinkDelivery: SinkDelivery{URL: hook.URL, Header: header.Clone(), Body: bytes.Clone(body), Result: result, Copy: c}}, err})
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, m := range all {
		d.made++
		if d.keep {
			d.all = append(d.all, m.dv)
		}
		switch {
		case m.err != nil:
			d.endUnreportedLocked(m.dv, m.err)
		case d.closed:
			d.endUnreportedLocked(m.dv, errClosed)
		case d.rng != nil:
			d.held = append(d.held, m.dv)
			if len(d.held) >= d.batch {
				d.releaseLocked()
			}
		default:
			d.queue = append(d.queue, m.dv)
		}
	}
	if jobRunEnd && d.rng != nil {
		// The end of a job run releases what is held of its own payloads,
		// not those of other runs or queues, which wait for their batch.
		var mine, others []*delivery
		for _, dv := range d.held {
			if slices.ContainsFunc(all, func(m made) bool { return m.dv == dv }) {
				mine = append(mine, dv)
			} else {
				others = append(others, dv)
			}
		}
		d.held = others
		d.queue = append(d.queue, d.shuffleLocked(mine)...)
	}
	d.startWorkersLocked()
	d.signalLocked() // a waiter may need those held
}

// releaseLocked queues the deliveries held, shuffled.
func (d *deliverer) releaseLocked() {
	d.queue = append(d.queue, d.shuffleLocked(d.held)...)
	d.held = nil
	d.startWorkersLocked()
}

// shuffleLocked shuffles h in place, and returns it.
func (d *deliverer) shuffleLocked(h []*delivery) []*delivery {
	for i := len(h) - 1; i > 0; i-- { // Fisher-Yates, on PCG's own output alone: the same for a seed in every Go release
		j := int(d.rng.Uint64() % uint64(i+1))
		h[i], h[j] = h[j], h[i]
	}
	return h
}

// startWorkersLocked starts workers for the deliveries queued, up to
// maxSinkWorkers at once, or one when they are shuffled (so that they
// arrive in the order shuffled).
func (d *deliverer) startWorkersLocked() {
	most := maxSinkWorkers
	if d.rng != nil {
		most = 1
	}
	for n := min(len(d.queue), most-d.workers); n > 0; n-- {
		d.workers++
		d.wg.Add(1)
		go d.work()
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
		if d.hook != nil { // before the delivery counts as ended
			ended := dv.SinkDelivery
			ended.Attempts, ended.StatusCode, ended.Err = attempts, status, err
			d.hook(ended)
		}
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
	ctx, cancel := d.ctx, context.CancelFunc(func() {})
	if d.timeout > 0 {
		ctx, cancel = context.WithTimeout(d.ctx, d.timeout)
	}
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
	d.signalLocked()
}

// endUnreportedLocked ends a delivery without an attempt, under a lock of
// the server's maybe: report passes it to the hook later.
func (d *deliverer) endUnreportedLocked(dv *delivery, err error) {
	d.endLocked(dv, 0, 0, err)
	if d.hook != nil {
		d.unreported = append(d.unreported, dv)
	}
}

// signalLocked wakes the waiters.
func (d *deliverer) signalLocked() {
	close(d.changed)
	d.changed = make(chan struct{})
}

// report passes the deliveries ended without an attempt to the hook,
// outside any lock: the server calls it after each request, close at the
// end. (A worker passes those it ends itself.)
func (d *deliverer) report() {
	if d.hook == nil {
		return
	}
	d.mu.Lock()
	ended := d.unreported
	d.unreported = nil
	d.mu.Unlock()
	for _, dv := range ended {
		d.hook(dv.SinkDelivery)
	}
}

// close stops the deliveries: those under way end at once, failed, and
// those held or to come fail without an attempt. It returns once no
// goroutine of the deliverer is left, and the hook has been told.
func (d *deliverer) close() {
	d.mu.Lock()
	d.closed = true
	for _, dv := range d.held {
		d.endUnreportedLocked(dv, errClosed)
	}
	d.held = nil
	d.mu.Unlock()
	d.cancel()
	d.wg.Wait()
	if d.ownClient {
		d.client.CloseIdleConnections()
	}
	d.report()
}
