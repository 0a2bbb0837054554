package polartest

import (
	"fmt"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/rules"
)

// memberRefusal is why no member could be found for a session: a 422 on
// one field, or, when internal, the error Polar does not handle when
// creating an owner breaks a unique index.
type memberRefusal struct {
	field    string
	msg      string
	input    any
	internal bool
}

// response is the refusal as Polar answers it.
func (r *memberRefusal) response() gen.CustomerSessionsCreateResponseObject {
	if r.internal {
		return unhandled{reason: r.msg}
	}
	p := &problem{Type: "value_error", Msg: r.msg}
	return validationFailed(polarRequestValidationError,
		[]gen.ValidationError{validationError(p, r.input, "body", r.field)})
}

// memberFor picks the member a session of cust is for, as Polar's
// _resolve_member does (polar/customer_session/service.py): the member
// given by ID, else by external ID, each only among the customer's members;
// with neither, a team is refused and an individual gets its owner, which
// is created on first use (polar/member/service.py, create_owner_member).
// memberID is canonical; nil means absent or null. s.mu is held, so the
// owner is created once however many requests race for it.
func (s *Server) memberFor(cust Customer, memberID, externalMemberID *string) (Member, *memberRefusal) {
	switch {
	case memberID != nil:
		if m, ok := s.findMember(cust.ID, func(m Member) bool { return m.ID == *memberID }); ok {
			return m, nil
		}
		return Member{}, &memberRefusal{field: fieldMemberID, msg: rules.MsgMemberNotFound, input: *memberID}
	case externalMemberID != nil:
		// A member without an external ID has none (null in Polar), so ""
		// names nobody.
		if m, ok := s.findMember(cust.ID, func(m Member) bool { return m.ExternalID != "" && m.ExternalID == *externalMemberID }); ok {
			return m, nil
		}
		return Member{}, &memberRefusal{field: fieldExternalMemberID, msg: rules.MsgMemberNotFound, input: *externalMemberID}
	case cust.Type == CustomerTeam:
		// The input is the absent member_id: null.
		return Member{}, &memberRefusal{field: fieldMemberID, msg: rules.MsgMemberRequired, input: nil}
	}
	if owner, ok := s.findMember(cust.ID, func(m Member) bool { return m.Role == RoleOwner }); ok {
		return owner, nil
	}
	// Polar's create_owner_member once took over a member with the
	// customer's email instead of creating the owner; since 984aff8c4b
	// (2026-04-22) it creates the owner, and such a member breaks the
	// unique index on email.
	owner := ownerOf(cust)
	if clash := s.memberClash(owner); clash != nil {
		// Polar's insert fails on the unique index and, finding no owner
		// either, re-raises: an unhandled error.
		return Member{}, &memberRefusal{internal: true,
			msg: fmt.Sprintf("creating the owner of customer %s: %s", cust.ID, clash.msg)}
	}
	s.storeMember(owner)
	return owner, nil
}
