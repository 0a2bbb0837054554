package polartest

import (
	"context"
	"errors"
	"unicode/utf8"

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
// The caller has been authenticated by Server.authenticate. The body is
// the one readBody read, as FastAPI reads it; the generated binding of it
// is not used.
func (o operations) CustomerSessionsCreate(ctx context.Context, _ gen.CustomerSessionsCreateRequestObject) (gen.CustomerSessionsCreateResponseObject, error) {
	body := bodyOf(ctx)
	if !body.json && !utf8.Valid(body.raw) {
		// A body not read as JSON is echoed in the 422 as text, which
		// FastAPI's jsonable_encoder decodes as UTF-8: this fails.
		return unhandled{reason: "the body is not UTF-8"}, nil
	}
	in, errs := validateCreate(body)
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

	customer, err := cust.session(s.orgID)
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
		Token:             rules.NewSecret(sess.token),
		ExpiresAt:         sess.expiresAt,
		ReturnURL:         sess.returnURL,
		CustomerPortalURL: rules.NewSecret(s.portalURL(sess)),
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
