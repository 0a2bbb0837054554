package client

import "regexp"

// secretPattern finds what must never reach an error string or a log line,
// even when a server echoes it back: Polar tokens (polar_<kind>_<secret>) and
// URLs carrying a session token, such as a customer portal URL, which also
// holds the customer's email.
var secretPattern = regexp.MustCompile(`https?://[^\s"'<>]*customer_session_token[^\s"'<>]*|(polar_[a-z]{2,4}_)[A-Za-z0-9_\-]+`)

// redact replaces secrets in s, keeping a token's kind prefix so a message
// still says which kind of token was involved.
func redact(s string) string {
	return secretPattern.ReplaceAllStringFunc(s, func(m string) string {
		if m[0] == 'h' {
			return "[redacted URL]"
		}
		sub := secretPattern.FindStringSubmatch(m)
		return sub[1] + "[redacted]"
	})
}
