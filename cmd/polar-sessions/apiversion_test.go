package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
)

// --api-version pins the Polar-Version both commands send; without it the
// client's default goes out. A value not of Polar's form is a usage error,
// before any request.
func TestAPIVersionFlag(t *testing.T) {
	t.Parallel()
	f := newFake(t)

	r := f.run(t, "create", "--external-customer-id", externalID)
	require.Equal(t, exitOK, r.code, r.stderr)
	r = f.run(t, "--api-version", "2026-04", "create", "--external-customer-id", externalID)
	require.Equal(t, exitOK, r.code, r.stderr)
	r = f.run(t, "introspect", "--api-version", "2027-01", "--token", f.srv.CreateSession(f.cust.ID, ""))
	require.Equal(t, exitOK, r.code, r.stderr)

	reqs := f.srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, client.DefaultAPIVersion, reqs[0].Header.Get("Polar-Version"))
	assert.Equal(t, "2026-04", reqs[1].Header.Get("Polar-Version"))
	assert.Equal(t, "2027-01", reqs[2].Header.Get("Polar-Version"))

	r = f.run(t, "--api-version", "latest", "create", "--external-customer-id", externalID)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--api-version")
	assert.Contains(t, r.stderr, "is not a Polar API version, YYYY-MM")
	assert.Len(t, f.srv.Requests(), 3, "nothing sent")
}
