package client

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeBaseURL(t *testing.T) {
	ok := []struct{ in, want string }{
		{"https://api.polar.sh", "https://api.polar.sh/"},
		{"https://api.polar.sh/", "https://api.polar.sh/"},
		{"https://api.polar.sh/v1", "https://api.polar.sh/"},
		{"https://api.polar.sh/v1/", "https://api.polar.sh/"},
		{"https://gateway.example.com/polar", "https://gateway.example.com/polar/"},
		{"https://gateway.example.com/polar/v1/", "https://gateway.example.com/polar/"},
		{"https://gateway.example.com/v1api", "https://gateway.example.com/v1api/"},
		{"https://sandbox-api.polar.sh:8443", "https://sandbox-api.polar.sh:8443/"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/"},
		{"http://localhost:9/prefix", "http://localhost:9/prefix/"},
		{"http://[::1]:8080/", "http://[::1]:8080/"},
		{"http://127.9.9.9", "http://127.9.9.9/"},
		{"https://gw.example.com/a%2Fb/v1", "https://gw.example.com/a%2Fb/"},
		{"https://gw.example.com/a%20b", "https://gw.example.com/a%20b/"},
	}
	for _, tt := range ok {
		got, err := normalizeBaseURL(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}

	bad := []struct{ in, problem string }{
		{"", "absolute http(s) URL"},
		{"api.polar.sh", "absolute http(s) URL"},
		{"/v1", "absolute http(s) URL"},
		{"ftp://api.polar.sh", `scheme "ftp"`},
		{"https:api.polar.sh", "with a host"},
		{"https://", "with a host"},
		{"https://:443", "with a host"},
		{"https://user:pass@api.polar.sh", "user info"},
		{"https://api.polar.sh?x=1", "query"},
		{"https://api.polar.sh/?", "query"},
		{"https://api.polar.sh/#frag", "fragment"},
		{"https://api.polar.sh#", "fragment"},
		{"http://api.polar.sh", "loopback"},
		{"http://10.0.0.1:8080", "loopback"},
		{"http://localhost.evil.com", "loopback"},
		{"https://api.polar.sh/\x7f", "does not parse"},
	}
	for _, tt := range bad {
		_, err := normalizeBaseURL(tt.in)
		require.Error(t, err, tt.in)
		assert.True(t, errors.Is(err, ErrInvalidRequest), tt.in)
		assert.Contains(t, err.Error(), tt.problem, tt.in)
		assert.True(t, strings.HasPrefix(err.Error(), "polar: invalid request: server URL: "), err.Error())
		if strings.Contains(tt.in, "pass") {
			assert.NotContains(t, err.Error(), "pass@", "credentials must not be echoed")
		}
	}
}

func FuzzNormalizeBaseURL(f *testing.F) {
	for _, s := range []string{"https://api.polar.sh", "https://api.polar.sh/v1/", "http://127.0.0.1:8080/p",
		"https://u:p@h", "https://h/?q", "https://h/#f", "http://example.com", "https://h/v1/v1", "https://h/%2F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := normalizeBaseURL(raw)
		if err != nil {
			if !errors.Is(err, ErrInvalidRequest) {
				t.Fatalf("want ErrInvalidRequest, got %v", err)
			}
			return
		}
		u, err := url.Parse(got)
		if err != nil || !strings.HasSuffix(u.Path, "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil ||
			(u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			t.Fatalf("%q → %q", raw, got)
		}
		again, err := normalizeBaseURL(got)
		if err != nil {
			t.Fatalf("%q → %q, which is refused: %v", raw, got, err)
		}
		// Only one trailing /v1 is dropped: "/v1/v1" is a gateway prefix "/v1".
		if again != got && !strings.HasSuffix(got, "/v1/") {
			t.Fatalf("not idempotent: %q → %q → %q", raw, got, again)
		}
	})
}
