package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const redactorToken = "polar_oat_TESTaccessTOKEN0123456789abcdefghijklmnopq"

func TestRedactor(t *testing.T) {
	r := redactor{token: redactorToken}
	tests := []struct{ in, want string }{
		{"token polar_oat_abcDEF123_-x end", "token polar_oat_[redacted] end"},
		{"polar_cst_Q2xW9eR7tY5uI3oP1aS8dF6gH4jK2lZ0xC9vB7nM5qW", "polar_cst_[redacted]"},
		{"see https://polar.sh/acme/portal?customer_session_token=polar_cst_x&email=a%40b.c now", "see [redacted URL] now"},
		{`"http://localhost/portal?customer_session_token=abc"`, `"[redacted URL]"`},
		{"nothing secret: customer 992fae2a", "nothing secret: customer 992fae2a"},
		{"polar_oat_ alone", "polar_oat_ alone"},
		// The call's own secret, without its prefix, in any case.
		{"echo TESTaccessTOKEN0123456789abcdefghijklmnopq!", "echo [redacted]!"},
		{"echo testaccesstoken0123456789ABCDEFGHIJKLMNOPQ", "echo [redacted]"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, r.str(tt.in), tt.in)
	}
}

func TestRedactorHeaders(t *testing.T) {
	r := redactor{token: redactorToken}
	h := r.header(http.Header{"Polar_oat_testaccesstoken0123456789abcdefghijklmnopq": {"x"}, "X-Echo": {redactorToken},
		"X-Escaped": {`polar_oat_\u0054ESTaccessTOKEN0123456789abcdefghijklmnopq`}})
	assert.Equal(t, http.Header{"Polar_oat_[redacted]": {"x"}, "X-Echo": {"polar_oat_[redacted]"}, "X-Escaped": {"polar_oat_[redacted]"}}, h)
	assert.Nil(t, r.header(nil))
}

// A redacted error keeps errors.Is and a net.Error view, and nothing else
// of the original.
func TestRedactedErrors(t *testing.T) {
	r := redactor{token: redactorToken}
	orig := &url.Error{Op: "Post", URL: "https://h/?t=" + redactorToken, Err: context.DeadlineExceeded}
	err := r.err(orig)
	assert.Equal(t, `Post "https://h/?t=polar_oat_[redacted]": context deadline exceeded`, err.Error())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var urlErr *url.Error
	assert.False(t, errors.As(err, &urlErr), "the original, which holds the token, is out of reach")
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout())
	assert.NotContains(t, ne.Error(), "TESTaccess")
	assert.NotContains(t, fmt.Sprintf("%#v", err), "TESTaccess")
	b, jerr := json.Marshal(err)
	require.NoError(t, jerr)
	assert.NotContains(t, string(b), "TESTaccess")
	assert.NoError(t, r.err(nil))
}

func TestAttemptTimeoutIsNotTheCallersDeadline(t *testing.T) {
	var err error = &attemptTimeoutError{after: 5 * time.Second}
	assert.False(t, errors.Is(err, context.DeadlineExceeded))
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout())
	assert.Equal(t, "attempt timed out after 5s", err.Error())
}
