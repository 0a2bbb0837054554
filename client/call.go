package client

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
)

// The operations' IDs, as APIError.Operation and TransportError.Operation
// give them: the spec's operationId.
const (
	OperationCreate     = "customer-sessions:create"
	OperationIntrospect = "customer_portal:customer-session:introspect"
)

// Short names inside the package.
const (
	opCreate     = OperationCreate
	opIntrospect = OperationIntrospect
)

// operation describes one API endpoint to the shared call pipeline; T is
// the generated model a success decodes into.
type operation[T any] struct {
	// id is the OpenAPI operationId, used in errors and logs.
	id string
	// token is the bearer token to send, already checked.
	token string
	// build makes the request with the generated builder.
	build func(serverURL string) (*http.Request, error)
	// complete reports a decoded success that lacks a required field: JSON
	// such as {} or null decodes without error into an empty model.
	complete func(*T) error
	// redact removes secrets a server echoed into a decoded success, in
	// the fields that are not secrets by nature.
	redact func(*T, redactor)
}

// exchange is what the attempts of one call share.
type exchange struct {
	opID   string
	req    *http.Request // every attempt sends a clone
	doer   HTTPDoer
	do     MiddlewareNext // the doer wrapped in middleware; nil without any
	p      RetryPolicy
	red    redactor // for what the server sends back
	logger *slog.Logger
	gate   gate
}

// call runs op: it sets the headers, sends with retries, classifies the
// response by status and decodes a success into a new T. Input has been
// validated by the caller, so a failure here is an *APIError, a
// *TransportError or a context error wrapped with the last failure.
func call[T any](ctx context.Context, s *settings, op operation[T]) (*T, error) {
	req, err := op.build(s.serverURL)
	if err != nil {
		// The builders fail only on a server URL or body New and the
		// input checks have already accepted; nothing was sent.
		return nil, invalid("request", "cannot be built: %v", err)
	}
	h := req.Header
	h.Set("Authorization", "Bearer "+op.token)
	h.Set("Accept", "application/json")
	h.Set("User-Agent", s.userAgent)
	h.Set("Polar-Version", s.apiVersion)
	for _, kv := range s.headers {
		h.Set(kv.key, kv.value)
	}

	if s.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}
	x := &exchange{
		opID:   op.id,
		req:    req,
		doer:   s.httpClient,
		p:      s.retry.withDefaults(),
		red:    newRedactor(op.token),
		logger: s.logger,
	}
	if len(s.middleware) > 0 {
		x.do = chain(s.httpClient, s.middleware)
	}
	x.gate = gate{x: x, limiter: s.limiter, serverURL: s.serverURL, token: op.token}
	if !s.noCooldown {
		x.gate.cooldowns = s.cooldowns
	}
	body, status, attempts, err := x.send(ctx)
	if err != nil {
		return nil, err
	}
	out := new(T)
	err = json.Unmarshal(body, out)
	if err == nil {
		err = op.complete(out)
	}
	if err != nil {
		return nil, &APIError{Operation: op.id, StatusCode: status, Attempts: attempts,
			Err: x.red.err(fmt.Errorf("decoding response: %w", err))}
	}
	op.redact(out, x.red)
	return out, nil
}
