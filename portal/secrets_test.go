package portal_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/portal"
	"github.com/polarsessions/polarsessions-go/rules"
)

// A server that echoes a token or a portal URL in its errors gets neither
// into an answer or a log line, and Polar's words stay out of the answers.
func TestNoTokenOrPolarTextInAnswers(t *testing.T) {
	const (
		secret    = "EchoedSecret0123456789abcdefghijklmnopqrstuvw"
		token     = rules.PrefixMemberSession + secret
		portalURL = portalPrefix + token + "&email=jane%40example.com"
		polarText = "shard 7 is down"
	)
	echo := func(status int) polartest.Fault {
		return polartest.Status(status).WithBody(fmt.Appendf(nil,
			`{"error": "Oops", "detail": "%s; token %s; see %s"}`, polarText, token, portalURL))
	}
	faults := map[string]polartest.Fault{
		"500":       echo(http.StatusInternalServerError),
		"401":       echo(http.StatusUnauthorized),
		"429":       echo(http.StatusTooManyRequests).WithHeader("Retry-After", "30"),
		"400":       echo(http.StatusBadRequest),
		"422 echo":  validation422("external_customer_id", polarText+" "+token+" "+portalURL, token),
		"422 known": validation422("external_customer_id", rules.MsgCustomerNotFound, token),
		"422 team":  validation422("member_id", rules.MsgMemberRequired, portalURL),
	}
	for _, reuse := range []bool{false, true} {
		cfg := portal.Config{}
		if reuse {
			cfg.Reuse = portalReuse
		}
		e := setup(t, cfg)
		for name, fault := range faults {
			for _, accept := range []string{"", "application/json"} {
				e.srv.Script(polartest.RouteCreate, fault)
				a := e.visit(t, http.MethodGet, hdrUser, "usr_1337", "Accept", accept)
				assert.GreaterOrEqual(t, a.status, 400, name)
				for _, leak := range []string{secret, "polar.sh", "customer_session_token", polarText, "Oops", "does not exist", "team"} {
					assert.NotContains(t, a.body, leak, "%s, Accept %q", name, accept)
					for k, v := range a.header {
						assert.NotContains(t, strings.Join(v, " "), leak, "%s: header %s", name, k)
					}
				}
			}
		}
		logs := e.logs.String()
		assert.NotContains(t, logs, secret)
		assert.NotContains(t, logs, "customer_session_token")
		require.Len(t, e.failureLines(t), 2*len(faults), "each failure logged once")
	}
}

// A successful visit's token is in Location or the JSON body, and in no log
// line, even at debug level.
func TestNoTokenInLogsOnSuccess(t *testing.T) {
	for _, reuse := range []bool{false, true} {
		cfg := portal.Config{}
		if reuse {
			cfg.Reuse = portalReuse
		}
		e := setup(t, cfg)
		e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337", Email: "jane@example.com"})
		a := e.visit(t, http.MethodGet, hdrUser, "usr_1337")
		require.Equal(t, http.StatusSeeOther, a.status)
		tok := sessionToken(t, a.location())
		e.visit(t, http.MethodGet, hdrUser, "usr_1337", "Accept", "application/json")

		logs := e.logs.String()
		require.NotEmpty(t, logs, "success is logged at debug level")
		assert.NotContains(t, logs, tok)
		assert.NotContains(t, logs, "customer_session_token")
		assert.NotContains(t, logs, "jane@example.com")
	}
}

// A client middleware that panics with the bare secret of the access token
// (no prefix) costs the visit a 500, and the one log line says so without
// the secret: the client made the panic a typed error, redacted.
func TestPanickingMiddlewareLogsNoSecret(t *testing.T) {
	var secret string
	e := setup(t, portal.Config{}, withClient(client.WithMiddleware(func(r *http.Request, _ client.MiddlewareNext) (*http.Response, error) {
		panic("middleware saw " + secret)
	})))
	secret = strings.TrimPrefix(e.srv.AccessToken(), rules.PrefixOrganizationToken)
	e.srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})

	a := e.visit(t, http.MethodGet, hdrUser, "usr_1337")
	assert.Equal(t, http.StatusInternalServerError, a.status)
	lines := e.failureLines(t)
	require.Len(t, lines, 1)
	assert.Equal(t, "panic", lines[0]["cause"])
	assert.Contains(t, lines[0]["err"], "panic: middleware saw [redacted]")
	assert.NotContains(t, e.logs.String(), secret)
	assert.NotContains(t, a.body, secret)
}
