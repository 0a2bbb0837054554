package rules

// Messages of Polar's customer-session service (polar/customer_session/
// service.py), the msg of a 422 value_error (PolarRequestValidationError)
// for a create that names something Polar cannot use; loc is the field,
// input the ID. The client's sentinels match them; polartest sends them.
const (
	MsgCustomerNotFound = "Customer does not exist."                  // no such customer ID or external ID
	MsgMemberNotFound   = "Member does not exist for this customer."  // no such member of that customer
	MsgMemberRequired   = "member_id is required for team customers." // a team customer without a member (input null)
)
