package client_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/internal/fixtures"
)

const fixtureToken = "polar_cst_Q2xW9eR7tY5uI3oP1aS8dF6gH4jK2lZ0xC9vB7nM5qW"

// TestNoSecretsInErrorsOrLogs runs failing and succeeding calls with a debug
// logger and checks that no token, portal URL or email reaches an error
// string or a log line, even when the server echoes them back.
func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	echo := `{"error":"invalid_token","detail":"bad token ` + testAccessToken + ` see https://polar.sh/acme/portal?customer_session_token=` +
		fixtureToken + `&email=jane%40example.com"}`
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, sequence(
		status(503, echo),
		status(401, echo),
		func(w http.ResponseWriter, _ *http.Request) { respond(w, 201, fixtures.CustomerSessionIndividual()) },
	))
	ts.Mux.HandleFunc("GET "+introspectPath, status(422,
		`{"error":"PolarRequestValidationError","detail":[{"loc":["header","`+testSessionToken+`"],"msg":"bad `+testSessionToken+`","type":"x","input":"`+testSessionToken+`"}]}`))

	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, ts, client.WithLogger(logger))
	ctx := context.Background()

	var outputs []string
	_, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.ErrorIs(t, err, client.ErrUnauthorized)
	outputs = append(outputs, err.Error(), fmt.Sprintf("%v %+v", err, err))
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	outputs = append(outputs, apiErr.Code, apiErr.Detail) // what code logs by hand is redacted too
	assert.Contains(t, err.Error(), "polar_oat_[redacted]", "the kind of token stays visible")
	assert.Contains(t, err.Error(), "[redacted URL]")

	s, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.NoError(t, err)
	require.Equal(t, fixtureToken, s.Token)
	logger.Info("created", "session", s)
	outputs = append(outputs, fmt.Sprint(s), fmt.Sprintf("%v|%+v|%#v|%s", s, s, s, s), fmt.Sprintf("%v|%+v|%#v", *s, *s, *s))

	_, err = c.CustomerPortal.CustomerSession.Introspect(ctx, testSessionToken)
	var vErr *client.ValidationError
	require.ErrorAs(t, err, &vErr)
	outputs = append(outputs, err.Error(), vErr.Errors[0].Msg, vErr.Errors[0].Field())

	_, err = c.CustomerPortal.CustomerSession.Introspect(ctx, "polar_oat_"+testSessionToken[10:])
	require.ErrorIs(t, err, client.ErrInvalidRequest)
	outputs = append(outputs, err.Error())

	outputs = append(outputs, logs.String())
	require.Contains(t, logs.String(), "polar: retrying", "the log must have been written")
	require.Contains(t, logs.String(), "level=DEBUG msg=\"polar: request\"")
	for _, out := range outputs {
		for _, secret := range []string{testAccessToken, testSessionToken, fixtureToken, "TESTsessionTOKEN", "customer_session_token", "jane%40example.com", "jane@example.com"} {
			assert.NotContains(t, out, secret)
		}
	}
	assert.Contains(t, fmt.Sprint(s), "Token: [redacted]")
	assert.True(t, strings.Contains(logs.String(), "session.id=5f0c3b4e-8a7d-4f1e-9c2b-1a2b3c4d5e6f"), logs.String())
}

func TestNoLoggingByDefault(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })

	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST "+createPath, sequence(status(503, ""), createdOK))
	c := newClient(t, ts)
	_, err := c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: testCustomerID})
	require.NoError(t, err)
	assert.Empty(t, logs.String(), "the library must not log through slog's default logger")
}
