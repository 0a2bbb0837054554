package polartest

import (
	"strconv"
	"strings"

	"github.com/polarsessions/polarsessions-go/rules"
)

// storedReturnURL is a return_url as Polar stores and returns it: str() of
// pydantic's HttpUrl (polar/customer_session/service.py), the WHATWG URL
// standard's serialization of what its parser read, so "https://Example.COM"
// is stored as "https://example.com/". A URL Polar refuses comes back as it
// is.
func storedReturnURL(s string) string {
	u, ok := rules.SplitReturnURL(s)
	if !ok {
		return s
	}
	var b strings.Builder
	b.WriteString(u.Scheme + "://")
	if user, password, _ := strings.Cut(u.Userinfo, ":"); user != "" || password != "" {
		b.WriteString(rules.PercentEncode(user, userinfoSet))
		if password != "" {
			b.WriteString(":" + rules.PercentEncode(password, userinfoSet))
		}
		b.WriteByte('@')
	}
	b.WriteString(u.Host)
	if port, err := strconv.Atoi(u.Port); err == nil && !(port == 80 && u.Scheme == "http" || port == 443 && u.Scheme == "https") {
		b.WriteString(":" + strconv.Itoa(port))
	}
	b.WriteString(normalizePath(u.Path))
	if u.HasQuery {
		b.WriteString("?" + rules.PercentEncode(u.Query, specialQuerySet))
	}
	if u.HasFragment {
		b.WriteString("#" + rules.PercentEncode(u.Fragment, fragmentSet))
	}
	return b.String()
}

// normalizePath is a special URL's path as the standard keeps it: "\" read
// as "/", "." and ".." segments (also spelled with %2e) resolved, each
// segment percent-encoded by the path set, and an empty path made "/".
func normalizePath(path string) string {
	if path != "" {
		path = path[1:] // the "/" or "\" that ended the authority
	}
	segments := strings.Split(strings.ReplaceAll(path, `\`, "/"), "/")
	out := make([]string, 0, len(segments))
	for i, seg := range segments {
		last := i == len(segments)-1
		switch strings.ReplaceAll(strings.ToLower(seg), "%2e", ".") {
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		case ".":
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, rules.PercentEncode(seg, pathSet))
		}
	}
	return "/" + strings.Join(out, "/")
}

// The standard's percent-encode sets (url/src/parser.rs), beyond the C0
// control set that each includes.
const (
	fragmentSet     = " \"<>`"
	pathSet         = fragmentSet + "#?{}"
	userinfoSet     = pathSet + `/:;=@[\]^|`
	specialQuerySet = " \"#<>'"
)
