package client

import (
	"net"
	"net/url"
	"strings"
)

// normalizeBaseURL checks a server URL and returns it in the form the
// generated request builders resolve paths against: scheme, host and an
// optional path prefix, ending in "/". A trailing "/v1" (as Polar's docs
// write the base URL) is dropped because every operation path starts with
// /v1, so paths never become /v1/v1/….
func normalizeBaseURL(raw string) (string, error) {
	const field = "server URL"
	u, err := url.Parse(raw)
	if err != nil {
		return "", invalid(field, "does not parse as a URL")
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return "", invalid(field, "must be an absolute http(s) URL, got scheme %q", u.Scheme)
	case u.Opaque != "" || u.Hostname() == "":
		return "", invalid(field, "must be an absolute http(s) URL with a host")
	case u.User != nil:
		// Credentials in a URL end up in logs and error strings.
		return "", invalid(field, "must not contain user info: credentials in a URL end up in logs; pass the token separately")
	case u.RawQuery != "" || u.ForceQuery:
		return "", invalid(field, "must not contain a query")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "", invalid(field, "must not contain a fragment")
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		// A bearer token over plain HTTP travels in clear.
		return "", invalid(field, "http:// is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); use https")
	}
	// Work on the escaped path, so that an escaped "/" (%2F) in a gateway
	// prefix stays escaped.
	path := strings.TrimRight(u.EscapedPath(), "/")
	path = strings.TrimSuffix(path, "/v1")
	path = strings.TrimRight(path, "/") + "/"
	if u.Path, err = url.PathUnescape(path); err != nil {
		return "", invalid(field, "has a malformed path")
	}
	u.RawPath = path
	return u.String(), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
