package sdk

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Environment variables read by New before any option is applied.
const (
	EnvAPIKey      = "INTUNED_API_KEY"
	EnvWorkspaceID = "INTUNED_WORKSPACE_ID"
)

// An Option configures a Client or a single call: given to New, it sets
// the client's default for every call; given to a call (after the call's
// arguments), it overrides that default for that call only. Most options
// apply to every call; those of waits (WithPolling, WithProgress,
// WithMaxInFlight, WithInfoHandler, WithInfoRequestAsks) only to waits, and
// a call that does not wait refuses them. See Options in the package
// documentation.
type Option interface {
	apply(*config) error
}

// option is an Option of every call: a function that changes a
// configuration.
type option func(*config) error

func (o option) apply(c *config) error { return o(c) }

// APIKeyFunc supplies the API key for one call. It is called before every
// call (not before every retry), so it can rotate keys. It must not return
// an empty key.
type APIKeyFunc func(ctx context.Context) (string, error)

// config is the resolved configuration of a client or of one call. A call
// starts from a copy of its client's config.
type config struct {
	apiKey      secret // nil: none
	apiKeyFunc  APIKeyFunc
	workspaceID string
	serverURL   string // absolute, without a trailing slash or query
	serverQuery string // the server URL's query, kept on every request
	httpClient  *http.Client
	retry       RetryConfig
	retryCodes  statusCodes // nil: DefaultRetryStatusCodes
	timeout     time.Duration
	callTimeout bool         // timeout was set for the call itself, not client-wide
	logger      *slog.Logger // nil: no logging
	plainHTTP   bool         // http:// allowed to hosts other than loopback
	header      http.Header  // extra headers; copied before a call changes it
	keys        *keyRing     // the keys apiKeyFunc supplied, shared by the client's calls
	wait        waitConfig   // the settings of waits: the client's defaults, a wait's own over them
}

// secret holds the API key inside a closure: fmt prints a func as an
// address whatever the verb or depth, so no %v, %+v, %#v or %s of a Client,
// a config or a struct holding one can show the key.
type secret func() string

func newSecret(key string) secret { return func() string { return key } }

func defaultConfig() config {
	cfg := config{
		workspaceID: os.Getenv(EnvWorkspaceID),
		serverURL:   DefaultServerURL,
		httpClient:  defaultHTTPClient,
		keys:        &keyRing{},
	}
	if key := os.Getenv(EnvAPIKey); key != "" {
		cfg.apiKey = newSecret(key)
	}
	return cfg
}

// apply applies opts in order, stopping at the first error.
func (c *config) apply(opts []Option) error {
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.apply(c); err != nil {
			return err
		}
	}
	return nil
}

// validate reports the first missing or malformed client-wide setting.
func (c *config) validate() error {
	if c.apiKey == nil && c.apiKeyFunc == nil {
		return &ArgumentError{Name: "API key", Problem: "is missing: pass sdk.WithAPIKey or set " + EnvAPIKey}
	}
	if c.workspaceID == "" {
		return &ArgumentError{Name: "workspace ID", Problem: "is missing: pass sdk.WithWorkspaceID or set " + EnvWorkspaceID}
	}
	if err := checkPathValue("workspace ID", c.workspaceID); err != nil {
		return err
	}
	if u, _ := url.Parse(c.serverURL); u.Scheme == "http" && !c.plainHTTP && !isLoopback(u.Hostname()) {
		return &ArgumentError{Name: "server URL", Problem: fmt.Sprintf("%q uses plain http to a host other than loopback, which would send the API key in clear; use https, or pass sdk.WithInsecurePlainHTTP()", c.serverURL)}
	}
	return nil
}

// unsetTimeout marks, while a call's options apply, that none has set the
// timeout (WithTimeout refuses negative values).
const unsetTimeout = -1

// callConfig returns the client's configuration with opts applied.
func (c *Client) callConfig(ctx context.Context, opts []Option) (config, error) {
	if c == nil {
		return config{}, &ArgumentError{Name: "client", Problem: "is nil: build one with sdk.New"}
	}
	if ctx == nil {
		return config{}, &ArgumentError{Name: "context", Problem: "is nil"}
	}
	if len(opts) == 0 {
		return c.cfg, nil // validated by New
	}
	cfg := c.cfg
	cfg.header = cfg.header.Clone()
	cfg.timeout = unsetTimeout // tells a WithTimeout of the call from the client's
	if err := cfg.apply(opts); err != nil {
		return config{}, err
	}
	cfg.callTimeout = cfg.timeout != unsetTimeout
	if !cfg.callTimeout {
		cfg.timeout = c.cfg.timeout
	}
	return cfg, cfg.validate()
}

// resolveAPIKey returns the key for one call.
func (c *config) resolveAPIKey(ctx context.Context) (string, error) {
	if c.apiKeyFunc == nil {
		return c.apiKey(), nil
	}
	key, err := c.apiKeyFunc(ctx)
	if err != nil {
		return "", fmt.Errorf("intuned: API key function: %w", err)
	}
	if key == "" {
		return "", &ArgumentError{Name: "API key", Problem: "is empty: the API key function returned no key"}
	}
	if err := checkHeaderValue(key); err != nil {
		return "", &ArgumentError{Name: "API key", Problem: "from the API key function " + err.Error()}
	}
	c.keys.remember(key) // for the errors a wait builds after its calls (redact.go)
	return key, nil
}

// WithAPIKey sets the API key sent as the x-api-key header. It overrides
// INTUNED_API_KEY and any earlier WithAPIKeyFunc.
// It applies to every call: see Options in the package documentation.
func WithAPIKey(key string) Option {
	return option(func(c *config) error {
		if key == "" {
			return &ArgumentError{Name: "API key", Problem: "is empty"}
		}
		if err := checkHeaderValue(key); err != nil {
			return &ArgumentError{Name: "API key", Problem: err.Error()}
		}
		c.apiKey, c.apiKeyFunc = newSecret(key), nil
		return nil
	})
}

// WithAPIKeyFunc makes every call ask fn for its API key, for keys kept in a
// secret store or rotated while the client lives. It overrides
// INTUNED_API_KEY and any earlier WithAPIKey.
// It applies to every call: see Options in the package documentation.
func WithAPIKeyFunc(fn APIKeyFunc) Option {
	return option(func(c *config) error {
		if fn == nil {
			return &ArgumentError{Name: "API key function", Problem: "is nil"}
		}
		c.apiKey, c.apiKeyFunc = nil, fn
		return nil
	})
}

// WithWorkspaceID sets the workspace every path starts with. It overrides
// INTUNED_WORKSPACE_ID.
// It applies to every call: see Options in the package documentation.
func WithWorkspaceID(id string) Option {
	return option(func(c *config) error {
		if err := checkPathValue("workspace ID", id); err != nil {
			return err
		}
		c.workspaceID = id
		return nil
	})
}

// WithServerURL points the client at another server, such as a fake one in
// tests. The URL must be absolute (http or https, with a host); every
// operation's path is appended to its path, with or without a trailing
// slash, and its query, if any, is kept on every request, as the reference
// client does.
// Plain http is refused for hosts other than loopback unless
// WithInsecurePlainHTTP is given too.
// It applies to every call: see Options in the package documentation.
func WithServerURL(serverURL string) Option {
	return option(func(c *config) error {
		u, err := url.Parse(serverURL)
		if err != nil {
			return &ArgumentError{Name: "server URL", Problem: "does not parse: " + err.Error()}
		}
		if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			return &ArgumentError{Name: "server URL", Problem: fmt.Sprintf("%q is not an absolute http or https URL", serverURL)}
		}
		if u.User != nil {
			return &ArgumentError{Name: "server URL", Problem: "must not carry user info: the API key is the only credential"}
		}
		if u.Fragment != "" {
			return &ArgumentError{Name: "server URL", Problem: "must not carry a fragment"}
		}
		c.serverQuery = u.RawQuery
		u.RawQuery, u.ForceQuery = "", false
		c.serverURL = strings.TrimRight(u.String(), "/")
		return nil
	})
}

// WithInsecurePlainHTTP allows a plain http server URL to a host other than
// loopback, which sends the API key unencrypted. Only for trusted networks.
// It applies to every call: see Options in the package documentation.
func WithInsecurePlainHTTP() Option {
	return option(func(c *config) error {
		c.plainHTTP = true
		return nil
	})
}

// WithHTTPClient makes the client send its requests through hc: its
// transport, timeout, cookie jar and redirect policy, with one safeguard
// added: a redirect to another origin is never followed, so the API key
// cannot leave for another host or travel over plain http. Without this
// option every Client shares one HTTP client tuned for many concurrent calls
// to one host, with bounds on every phase of a request.
// It applies to every call: see Options in the package documentation.
func WithHTTPClient(hc *http.Client) Option {
	return option(func(c *config) error {
		if hc == nil {
			return &ArgumentError{Name: "HTTP client", Problem: "is nil"}
		}
		c.httpClient = guardRedirects(hc)
		return nil
	})
}

// WithRetryConfig sets how failed attempts are retried. Retries are off
// unless this option turns them on.
// It applies to every call: see Options in the package documentation.
func WithRetryConfig(rc RetryConfig) Option {
	return option(func(c *config) error {
		if err := rc.validate(); err != nil {
			return err
		}
		c.retry = rc
		return nil
	})
}

// WithRetryStatusCodes replaces the status codes that are retried when
// retries are on (DefaultRetryStatusCodes otherwise). Each code is three
// digits ("503") or a class ("5XX").
// It applies to every call: see Options in the package documentation.
func WithRetryStatusCodes(codes ...string) Option {
	return option(func(c *config) error {
		parsed, err := parseStatusCodes(codes)
		if err != nil {
			return err
		}
		c.retryCodes = parsed
		return nil
	})
}

// WithTimeout bounds each attempt of a call: sending the request and reading
// the whole response. Zero means the default: the context's deadline if it
// has one, else DefaultAttemptTimeout (the calls that hold the connection
// while they work, project.run.sync and the file syncs, have 10 minutes
// instead). Given to New, it does not shorten those calls below their own
// bound; given to such a call, it does. The context bounds the whole call,
// retries included. An attempt that runs out of time fails with an error
// that matches context.DeadlineExceeded (never context.Canceled).
// It applies to every call: see Options in the package documentation.
func WithTimeout(d time.Duration) Option {
	return option(func(c *config) error {
		if d < 0 {
			return &ArgumentError{Name: "timeout", Problem: "is negative"}
		}
		c.timeout = d
		return nil
	})
}

// WithLogger sends debug records of each attempt (operation, method, path,
// attempt, status, duration) to l. Nothing secret is logged: no header, no
// body. A nil logger turns logging off.
// It applies to every call: see Options in the package documentation.
func WithLogger(l *slog.Logger) Option {
	return option(func(c *config) error {
		c.logger = l
		return nil
	})
}

// WithHeader adds a header to every request it applies to. The headers the
// SDK owns (x-api-key, Accept, Content-Type, User-Agent, Host) cannot be set
// this way.
// It applies to every call: see Options in the package documentation.
func WithHeader(key, value string) Option {
	return option(func(c *config) error {
		canon := http.CanonicalHeaderKey(key)
		if err := checkHeaderName(canon); err != nil {
			return &ArgumentError{Name: "header " + fmt.Sprintf("%q", key), Problem: err.Error()}
		}
		switch canon {
		case "X-Api-Key", "Accept", "Content-Type", "User-Agent", "Host", "Content-Length":
			return &ArgumentError{Name: "header " + canon, Problem: "is set by the SDK and cannot be overridden"}
		}
		if err := checkHeaderValue(value); err != nil {
			return &ArgumentError{Name: "header " + canon, Problem: err.Error()}
		}
		if c.header == nil {
			c.header = make(http.Header)
		}
		c.header[canon] = append(c.header[canon], value)
		return nil
	})
}
