package polartest

import (
	"encoding/json"
	"slices"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/rules"
)

// The create body is validated as Polar's request model validates it, and
// its errors read as pydantic's: the same types, messages and locations.
// The model (polar/customer_session/schemas.py) is the union of two:
// CustomerSessionCustomerIDCreate and
// CustomerSessionCustomerExternalIDCreate, each with the optional
// member_id, external_member_id and return_url of their base model before
// its own customer_id or external_customer_id (which it also reads as
// customer_external_id). Neither forbids extra members (Polar's base
// Schema, polar/kit/schemas.py, leaves pydantic's default: ignore them).
// FastAPI validates the union in pydantic's smart mode; when neither model
// fits, pydantic reports each one's errors under its name, in field order.

const (
	fieldCustomerID         = "customer_id"
	fieldExternalCustomerID = "external_customer_id"
	fieldMemberID           = "member_id"
	fieldExternalMemberID   = "external_member_id"
	fieldReturnURL          = "return_url"
)

// problem is one validation error before it gets its location and input:
// pydantic's type, message and context.
type problem = rules.Violation

func missing() *problem { return &problem{Type: "missing", Msg: "Field required"} }

// check validates one member's value and returns it normalized.
type check func(value any) (string, *problem)

// createInput is a valid create body: the customer, by ID or external ID,
// the member, and the return URL; an optional field absent or null is nil.
// The member fields are used only with the member model; without it, Polar
// accepts and ignores them.
type createInput struct {
	idField          string // fieldCustomerID or fieldExternalCustomerID
	id               string
	memberID         *string // canonical
	externalMemberID *string
	returnURL        *string // as Polar stores it
}

// field is a field of a model: the keys it is read from (the first one
// present, as pydantic reads a validation alias's choices; the first is
// the field's name), whether it is required, and its type's check. lax
// marks the types whose match pydantic-core rates Lax: a UUID from a
// string, a coercion in the Python mode FastAPI validates in
// (src/validators/uuid.rs), and any URL (src/validators/url.rs, so that a
// str wins over a URL in a union). A string is an exact match.
type field struct {
	keys     []string
	required bool
	check    check
	lax      bool
}

// createModel is one model of the union, its fields in pydantic's order.
type createModel struct {
	title  string
	fields []field // member_id, external_member_id, return_url, the customer's
}

func createModels() []createModel {
	base := []field{
		{keys: []string{fieldMemberID}, check: checkUUID4, lax: true},
		{keys: []string{fieldExternalMemberID}, check: checkString},
		{keys: []string{fieldReturnURL}, check: checkHTTPURL, lax: true},
	}
	return []createModel{
		{"CustomerSessionCustomerIDCreate", append(slices.Clip(base),
			field{keys: []string{fieldCustomerID}, required: true, check: checkUUID4, lax: true})},
		{"CustomerSessionCustomerExternalIDCreate", append(slices.Clip(base),
			field{keys: []string{fieldExternalCustomerID, "customer_external_id"}, required: true, check: checkString})},
	}
}

// pydantic-core's Exactness (src/validators/validation_state.rs), in its
// order: a match is at most as exact as its least exact part.
const (
	lax = iota
	strict
)

// validateCreate validates a create body as read by readBody.
func validateCreate(body requestBody) (createInput, []gen.ValidationError) {
	value := any(string(body.raw)) // not JSON: fits no model, and shows as text
	switch {
	case len(body.raw) == 0 || body.json && body.value == nil:
		// FastAPI reports an absent or null body itself
		// (fastapi/dependencies/utils.py, _validate_value_with_model_field).
		return createInput{}, []gen.ValidationError{validationError(missing(), nil, "body")}
	case body.json:
		value = body.value
	}
	// Smart mode (pydantic-core, src/validators/union.rs, validate_smart)
	// keeps the model that sets more fields and, between two that set as
	// many, replaces the first only with one strictly more exact. Both
	// models validate only when both customer IDs are given and valid, and
	// then they set as many fields; the customer-ID model is Lax (its UUID),
	// the external-ID one Strict (a model is never Exact,
	// src/validators/model.rs) unless member_id or return_url is given, not
	// null, which makes it Lax too. So the external ID wins unless one of
	// those is given.
	var best createInput
	bestFields, bestExactness := -1, lax
	var errs []gen.ValidationError
	for _, m := range createModels() {
		in, fields, exactness, merrs := m.validate(value)
		switch {
		case merrs != nil:
			errs = append(errs, merrs...)
		case fields > bestFields || fields == bestFields && exactness > bestExactness:
			best, bestFields, bestExactness = in, fields, exactness
		}
	}
	if bestFields < 0 {
		return createInput{}, errs
	}
	return best, nil
}

// validate validates body against the model. On success it also returns
// what the smart union compares: how many of the model's fields the body
// sets (null ones included, extra members not), and how exact the match is.
func (m createModel) validate(body any) (in createInput, fieldsSet, exactness int, errs []gen.ValidationError) {
	obj, ok := body.(map[string]any)
	if !ok {
		p := &problem{Type: "model_attributes_type", Msg: "Input should be a valid dictionary or object to extract fields from"}
		return in, 0, 0, []gen.ValidationError{validationError(p, body, "body", m.title)}
	}
	exactness = strict
	values := make([]*string, len(m.fields))
	for i, f := range m.fields {
		key, value, present := "", any(nil), false
		for _, k := range f.keys {
			if value, present = obj[k]; present {
				key = k
				break
			}
		}
		switch {
		case !present && f.required:
			errs = append(errs, validationError(missing(), obj, "body", m.title, f.keys[0]))
		case !present:
		case value == nil && !f.required:
			fieldsSet++
		default:
			fieldsSet++
			normalized, p := f.check(value)
			if p != nil {
				errs = append(errs, validationError(p, value, "body", m.title, key))
				continue
			}
			values[i] = &normalized
			if f.lax {
				exactness = lax
			}
		}
	}
	if errs != nil {
		return in, 0, 0, errs
	}
	last := len(m.fields) - 1
	return createInput{
		idField: m.fields[last].keys[0], id: *values[last],
		memberID: values[0], externalMemberID: values[1], returnURL: values[2],
	}, fieldsSet, exactness, nil
}

// validationError places a problem; loc parts are strings or ints. A nil
// input is sent as null: pydantic always reports the input.
func validationError(p *problem, input any, loc ...any) gen.ValidationError {
	if input == nil {
		input = json.RawMessage("null")
	}
	items := make([]gen.ValidationError_Loc_Item, len(loc))
	for i, part := range loc {
		switch part := part.(type) {
		case string:
			_ = items[i].FromValidationErrorLoc0(part)
		case int:
			_ = items[i].FromValidationErrorLoc1(part)
		}
	}
	e := gen.ValidationError{Loc: items, Msg: p.Msg, Type: p.Type, Input: input}
	if p.Ctx != nil {
		e.Ctx = &p.Ctx
	}
	return e
}

// checkString is pydantic's str, then Polar's refusal of NUL characters,
// which runs on every field once its type is validated
// (polar/kit/schemas.py, Schema._reject_nul_characters).
func checkString(value any) (string, *problem) {
	s, ok := value.(string)
	if !ok {
		return "", &problem{Type: "string_type", Msg: "Input should be a valid string"}
	}
	if p := rules.CheckText(s); p != nil {
		return "", p
	}
	return s, nil
}

// checkHTTPURL is pydantic's HttpUrl with the spec's maxLength, the type
// behind return_url, by the rules the client applies too; a valid URL is
// returned as Polar stores it.
func checkHTTPURL(value any) (string, *problem) {
	s, ok := value.(string)
	if !ok {
		return "", &problem{Type: "url_type", Msg: "URL input should be a string or URL"}
	}
	if p := rules.CheckReturnURL(s); p != nil {
		return "", p
	}
	return storedReturnURL(s), nil
}
