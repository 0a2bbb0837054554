package rules

// Messages of Polar's customer-session service (polar/customer_session/
// service.py: _get_customer, _get_member_by_id, _get_member_by_external_id,
// _resolve_member), sent as the msg of a 422 "value_error" in a
// PolarRequestValidationError when a create request is well formed but
// names something Polar cannot use. The client and the portal package match
// on them; polartest sends them.
const (
	// MsgCustomerNotFound: no customer of the organization has the
	// customer_id or external_customer_id given (loc: that field; input:
	// the ID).
	MsgCustomerNotFound = "Customer does not exist."
	// MsgMemberNotFound: with the member model, no member of that
	// customer has the member_id or external_member_id given (loc: that
	// field; input: the ID). member_id is looked up first when both are
	// given.
	MsgMemberNotFound = "Member does not exist for this customer."
	// MsgMemberRequired: with the member model, a team customer was given
	// without member_id or external_member_id (loc: member_id; input:
	// null).
	MsgMemberRequired = "member_id is required for team customers."
)
