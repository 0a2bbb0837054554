package portal

import (
	"encoding/json"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/polarsessions/polarsessions-go/rules"
)

// link is a session as the handler hands it out.
type link struct {
	url       rules.Secret // customer_portal_url: it embeds the session token
	expiresAt time.Time    // Polar's expires_at
	createdAt time.Time    // Polar's created_at, zero if absent
}

// errorCodes are the "error" values of JSON error bodies: short, generic and
// stable, so that scripts may branch on them.
var errorCodes = map[int]string{
	http.StatusUnauthorized:        "unauthorized",
	http.StatusNotFound:            "not_found",
	http.StatusMethodNotAllowed:    "method_not_allowed",
	http.StatusInternalServerError: "internal_error",
	http.StatusBadGateway:          "bad_gateway",
	http.StatusServiceUnavailable:  "unavailable",
	http.StatusGatewayTimeout:      "gateway_timeout",
}

// secureHeaders go on every answer: the success carries a bearer credential
// (the portal URL), and no answer may be cached, shared or leak through a
// Referer.
func secureHeaders(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept")
}

// writeLink sends the visitor to the portal: 303 See Other, so that a POST
// becomes a GET, or the JSON {"url", "expires_at"}. The redirect has no body:
// the URL is in Location only.
func writeLink(w http.ResponseWriter, asJSON bool, l link) {
	h := w.Header()
	secureHeaders(h)
	if !asJSON {
		h.Set("Location", l.url.Reveal())
		w.WriteHeader(http.StatusSeeOther)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		URL       string `json:"url"`
		ExpiresAt string `json:"expires_at"`
	}{l.url.Reveal(), l.expiresAt.UTC().Format(time.RFC3339)})
}

// writeError answers a failure with a body that says only what the status
// says: never Polar's words, never a token.
func writeError(w http.ResponseWriter, asJSON bool, o outcome) {
	h := w.Header()
	secureHeaders(h)
	if o.cause == "rate_limited" {
		h.Set("Retry-After", strconv.Itoa(retryAfterSeconds(o.retryAfter)))
	}
	if asJSON {
		writeJSON(w, o.status, struct {
			Error string `json:"error"`
		}{errorCodes[o.status]})
		return
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(o.status)
	_, _ = w.Write([]byte(http.StatusText(o.status) + "\n"))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // "&" stays "&" in the URL; nosniff and the type keep it JSON
	_ = enc.Encode(v)
}

// retryAfterSeconds is Retry-After in whole seconds, rounded up, at least 1:
// "0" would invite an immediate retry into the same rate limit.
func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// wantsJSON reports whether the request names application/json in Accept
// with a non-zero quality. Wildcards do not count: a browser's navigation
// (text/html, …, */*) gets the redirect, a fetch that asks for JSON gets
// JSON.
func wantsJSON(h http.Header) bool {
	for _, value := range h.Values("Accept") {
		for _, part := range strings.Split(value, ",") {
			mediaType, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil || mediaType != "application/json" {
				continue
			}
			if q, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(q, 64); err != nil || f <= 0 {
					continue
				}
			}
			return true
		}
	}
	return false
}
