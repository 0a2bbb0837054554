package rules

// Messages of Polar's customer-session service (polar/customer_session/
// service.py), sent as the msg of a 422 "value_error" when a create request
// is well formed but names something Polar cannot use.
const (
	// MsgCustomerNotFound: no customer of the organization has the
	// customer_id or external_customer_id given.
	MsgCustomerNotFound = "Customer does not exist."
)
