package polartest

// refusal is why the fake's core refuses a customer, a member or a delete:
// the field at fault, by its key in a seed file ("id", "external_id",
// "email", "type", "role", "metadata", "customer_id"), and what is wrong.
// AddCustomer, AddMember and DeleteMember panic with it; Load and the
// control API return it, the field's path and the kind's status added.
type refusal struct {
	kind  refusalKind
	field string
	msg   string
}

// refusalKind classifies a refusal, for the control API's status codes.
type refusalKind int

const (
	// refusedValue is a value Polar would refuse: 422.
	refusedValue refusalKind = iota
	// refusedClash is a value another customer or member holds, or a
	// delete Polar refuses: 409.
	refusedClash
	// refusedUnknown names a customer or member the server does not hold: 404.
	refusedUnknown
	// refusedSyntax is input that is not what the format says: invalid
	// JSON, an unknown key, a value of the wrong JSON type: 400.
	refusedSyntax
)

func (r *refusal) Error() string { return r.field + ": " + r.msg }

// in returns the refusal with its field under path: "customers[1]." +
// "email". An empty path leaves it as it is.
func (r *refusal) in(path string) *refusal {
	if path == "" {
		return r
	}
	out := *r
	out.field = path + "." + r.field
	return &out
}

func refuseValue(field, format string) *refusal {
	return &refusal{kind: refusedValue, field: field, msg: format}
}

func refuseClash(field, msg string) *refusal {
	return &refusal{kind: refusedClash, field: field, msg: msg}
}
