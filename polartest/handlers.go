package polartest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/rules"
)

// operations implements the generated strict server interface. It is
// unexported so the handlers do not become methods of Server.
type operations struct{ s *Server }

var _ gen.StrictServerInterface = operations{}

// CustomerSessionsCreate validates the body, finds the customer and starts a
// session: a member session for one of its members with the member model, a
// customer session without it, as Polar's customer_session service does.
// The caller has been authenticated by Server.authenticate.
func (o operations) CustomerSessionsCreate(_ context.Context, req gen.CustomerSessionsCreateRequestObject) (gen.CustomerSessionsCreateResponseObject, error) {
	raw, err := req.Body.MarshalJSON()
	if err != nil {
		return nil, err
	}
	in, errs := validateCreate(raw)
	if errs != nil {
		return validationFailed(requestValidationError, errs), nil
	}
	s := o.s
	s.mu.Lock()
	id := in.id
	if in.idField == fieldExternalCustomerID {
		id = s.externalIDs[in.id]
	}
	cust, known := s.customers[id]
	var member Member
	var refusal *memberRefusal
	if known && s.cfg.memberModel {
		member, refusal = s.memberFor(cust, in.memberID, in.externalMemberID)
	}
	s.mu.Unlock()
	switch {
	case !known:
		p := &problem{Type: "value_error", Msg: rules.MsgCustomerNotFound}
		return validationFailed(polarRequestValidationError,
			[]gen.ValidationError{validationError(p, in.id, "body", in.idField)}), nil
	case refusal != nil:
		return refusal.response(), nil
	}

	customer, err := cust.wire(s.orgID)
	if err != nil {
		return nil, err
	}
	var sess session
	if s.cfg.memberModel {
		sess = s.newMemberSession(member, in.returnURL)
	} else {
		sess = s.newCustomerSession(cust, in.returnURL)
	}
	return gen.CustomerSessionsCreate201JSONResponse{
		ID:                sess.id,
		CreatedAt:         sess.createdAt,
		ModifiedAt:        nil,
		Token:             sess.token,
		ExpiresAt:         sess.expiresAt,
		ReturnURL:         sess.returnURL,
		CustomerPortalURL: s.portalURL(sess),
		CustomerID:        cust.ID,
		Customer:          customer,
	}, nil
}

// CustomerPortalCustomerSessionIntrospect describes the session that
// Server.authenticate found for the bearer token.
func (operations) CustomerPortalCustomerSessionIntrospect(ctx context.Context, _ gen.CustomerPortalCustomerSessionIntrospectRequestObject) (gen.CustomerPortalCustomerSessionIntrospectResponseObject, error) {
	sess, ok := ctx.Value(sessionKey{}).(session)
	if !ok {
		return nil, errors.New("polartest: introspect reached without an authenticated session")
	}
	return gen.CustomerPortalCustomerSessionIntrospect200JSONResponse{
		ExpiresAt: sess.expiresAt,
		ReturnURL: sess.returnURL,
	}, nil
}

// undecodableBody answers a create body that is not JSON, as FastAPI does
// before any dependency runs: 422 json_invalid. An empty body is different:
// FastAPI takes it as absent, resolves auth first, then reports it missing.
func (s *Server) undecodableBody(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, io.EOF) {
		if refusal, refused := authorizeOrganization(identityOf(r)); refused {
			_ = refusal.write(w)
			return
		}
		_ = validationFailed(requestValidationError,
			[]gen.ValidationError{validationError(missing(), nil, "body")}).write(w)
		return
	}
	pos := max(r.ContentLength, 0) // where an unexpected EOF happens
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		pos = max(syntax.Offset-1, 0) // the offending byte, not the bytes read
	}
	reason := errors.Unwrap(err)
	if reason == nil {
		reason = err
	}
	p := &problem{Type: "json_invalid", Msg: "JSON decode error", Ctx: map[string]any{"error": reason.Error()}}
	_ = validationFailed(requestValidationError,
		[]gen.ValidationError{validationError(p, map[string]any{}, "body", int(pos))}).write(w)
}
