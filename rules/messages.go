package rules

// Messages of Polar's customer-session service (polar/customer_session/
// service.py), sent as the msg of a 422 "value_error" when a create request
// is well formed but names something Polar cannot use. The client and the
// portal package match on them; polartest sends them.
const (
	// MsgCustomerNotFound: no customer of the organization has the
	// customer_id or external_customer_id given (loc: that field).
	MsgCustomerNotFound = "Customer does not exist."
	// MsgMemberNotFound: with the member model, no member of that
	// customer has the member_id or external_member_id given (loc: that
	// field).
	MsgMemberNotFound = "Member does not exist for this customer."
	// MsgMemberRequired: with the member model, a team customer was given
	// without member_id or external_member_id (loc: member_id).
	MsgMemberRequired = "member_id is required for team customers."
)
