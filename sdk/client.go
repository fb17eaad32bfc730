package sdk

import "fmt"

// Version is this SDK's version, sent in the User-Agent header.
const Version = "0.2.0"

// New returns a client configured by opts, applied in order over the
// defaults: the API key from INTUNED_API_KEY, the workspace from
// INTUNED_WORKSPACE_ID, DefaultServerURL, retries off. They are the
// client's defaults, every call's and every wait's, which a call's own
// options override (see Options in the package documentation). It fails,
// without sending anything, when the API key or workspace ID is missing or
// an option is invalid.
func New(opts ...Option) (*Client, error) {
	c := &Client{cfg: defaultConfig()}
	for _, o := range opts {
		if w, ok := o.(waitOption); ok && w.scope == startWait {
			return nil, &ArgumentError{Name: "option sdk." + w.name, Problem: "names one wait's batch: give it to that wait, not to New"}
		}
	}
	if err := c.cfg.apply(opts); err != nil {
		return nil, err
	}
	if err := c.cfg.validate(); err != nil {
		return nil, err
	}
	c.initServices()
	return c, nil
}

// Format prints the client's workspace and server, never its API key, for
// every verb (%v, %+v, %#v, %s).
func (c Client) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "sdk.Client{workspace: %q, server: %q}", c.cfg.workspaceID, c.cfg.serverURL)
}
