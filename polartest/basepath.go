package polartest

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ParseBasePath returns prefix as WithBasePath mounts it, with one leading
// slash and none trailing ("gw/polar/" is "/gw/polar"; "" and "/" are ""),
// or an error saying why WithBasePath refuses it: a prefix must be usable
// as it is in a URL, so each of its segments holds letters, digits and
// -._~!$&'()*+,;=:@ only (no space, ?, #, % or {}), and is neither empty
// nor . or ..; and it must not be /_polartest or under it, where
// WithControlAPI's routes are, which would hide the API. polar-sessions
// fake checks its --base-path with it.
func ParseBasePath(prefix string) (string, error) {
	trimmed := strings.Trim(prefix, "/")
	if trimmed == "" {
		return "", nil
	}
	for _, seg := range strings.Split(trimmed, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", fmt.Errorf("base path %q: a segment is empty, \".\" or \"..\"", prefix)
		}
		if i := strings.IndexFunc(seg, func(r rune) bool { return !isPathChar(r) }); i >= 0 {
			r, _ := utf8.DecodeRuneInString(seg[i:])
			return "", fmt.Errorf("base path %q: %q cannot stand in a URL's path as it is; use letters, digits and -._~!$&'()*+,;=:@", prefix, r)
		}
	}
	clean := "/" + trimmed
	if isControlPath(clean) {
		return "", errors.New("base path " + clean + " is the control API's, " + controlPrefix + ", where WithControlAPI's routes would hide it")
	}
	return clean, nil
}

// isPathChar reports whether r stands for itself in a URL's path segment:
// RFC 3986's unreserved characters, sub-delims, ":" and "@".
func isPathChar(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-._~!$&'()*+,;=:@", r)
}
