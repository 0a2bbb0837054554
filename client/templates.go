package client

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/polarsessions/polarsessions-go/gen"
)

// templates are the two requests as the generated builders make them for
// the client's server URL, built once in New. The builders parse the server
// URL and resolve the path on every call, a tenth of a call's CPU in the
// benchmarks; a call that keeps the client's server URL clones a template
// instead. A call with its own WithServerURL uses the builders directly.
type templates struct {
	serverURL  string
	create     *http.Request // without a body
	introspect *http.Request
}

func newTemplates(serverURL string) (templates, error) {
	create, err := gen.NewCustomerSessionsCreateRequestWithBody(serverURL, "application/json", nil)
	if err != nil {
		return templates{}, err
	}
	introspect, err := gen.NewCustomerPortalCustomerSessionIntrospectRequest(serverURL)
	if err != nil {
		return templates{}, err
	}
	return templates{serverURL: serverURL, create: create, introspect: introspect}, nil
}

// createRequest is the create request for serverURL with body raw.
func (t templates) createRequest(serverURL string, raw []byte) (*http.Request, error) {
	if serverURL != t.serverURL {
		return gen.NewCustomerSessionsCreateRequestWithBody(serverURL, "application/json", bytes.NewReader(raw))
	}
	r := t.create.Clone(context.Background())
	// What http.NewRequest does for a *bytes.Reader body: a known length,
	// and a way to replay it for retries and redirects.
	r.ContentLength = int64(len(raw))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }
	r.Body, _ = r.GetBody()
	return r, nil
}

// introspectRequest is the introspect request for serverURL.
func (t templates) introspectRequest(serverURL string) (*http.Request, error) {
	if serverURL != t.serverURL {
		return gen.NewCustomerPortalCustomerSessionIntrospectRequest(serverURL)
	}
	return t.introspect.Clone(context.Background()), nil
}
