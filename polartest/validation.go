package polartest

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/rules"
)

// The create body is validated as Polar's pydantic models validate it, and
// its errors read as pydantic's: the same types, messages and locations.
// The body is the union of two models that forbid extra members; when
// neither fits, pydantic reports each model's errors under the model's name.

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
	returnURL        *string
}

type createVariant struct {
	title   string
	idField string
	idCheck check
}

func createVariants() []createVariant {
	return []createVariant{
		{"CustomerSessionCustomerIDCreate", fieldCustomerID, checkUUID4},
		{"CustomerSessionCustomerExternalIDCreate", fieldExternalCustomerID, checkString},
	}
}

// validateCreate validates a create body, which the generated handler has
// already parsed as JSON.
func validateCreate(raw []byte) (createInput, []gen.ValidationError) {
	var body any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // so that inputs echo numbers as sent
	if err := dec.Decode(&body); err != nil || body == nil {
		return createInput{}, []gen.ValidationError{validationError(missing(), nil, "body")}
	}
	var errs []gen.ValidationError
	for _, v := range createVariants() {
		in, verrs := v.validate(body)
		if len(verrs) == 0 {
			return in, nil
		}
		errs = append(errs, verrs...)
	}
	return createInput{}, errs
}

func (v createVariant) validate(body any) (createInput, []gen.ValidationError) {
	obj, ok := body.(map[string]any)
	if !ok {
		p := &problem{Type: "model_attributes_type", Msg: "Input should be a valid dictionary or object to extract fields from"}
		return createInput{}, []gen.ValidationError{validationError(p, body, "body", v.title)}
	}
	var errs []gen.ValidationError
	field := func(name string, required bool, c check) *string {
		value, present := obj[name]
		switch {
		case !present && required:
			errs = append(errs, validationError(missing(), obj, "body", v.title, name))
		case !present, value == nil && !required:
		default:
			normalized, p := c(value)
			if p == nil {
				return &normalized
			}
			errs = append(errs, validationError(p, value, "body", v.title, name))
		}
		return nil
	}

	in := createInput{idField: v.idField}
	if id := field(v.idField, true, v.idCheck); id != nil {
		in.id = *id
	}
	in.memberID = field(fieldMemberID, false, checkUUID4)
	in.externalMemberID = field(fieldExternalMemberID, false, checkString)
	in.returnURL = field(fieldReturnURL, false, checkHTTPURL)

	for _, name := range slices.Sorted(maps.Keys(obj)) {
		switch name {
		case v.idField, fieldMemberID, fieldExternalMemberID, fieldReturnURL:
			continue
		}
		p := &problem{Type: "extra_forbidden", Msg: "Extra inputs are not permitted"}
		errs = append(errs, validationError(p, obj[name], "body", v.title, name))
	}
	return in, errs
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

func checkString(value any) (string, *problem) {
	s, ok := value.(string)
	if !ok {
		return "", &problem{Type: "string_type", Msg: "Input should be a valid string"}
	}
	return s, nil
}

func checkUUID4(value any) (string, *problem) {
	s, ok := value.(string)
	if !ok {
		return "", &problem{Type: "uuid_type", Msg: "UUID input should be a string, bytes or UUID object"}
	}
	return rules.ParseUUID4(s)
}

// checkHTTPURL is pydantic's HttpUrl with the spec's maxLength, the type
// behind return_url, by the rules the client applies too. A valid URL is
// returned percent-encoded where it was not a valid URI, as pydantic
// normalizes it; pydantic's other normalizations (such as a "/" path added
// to a bare host) are not imitated.
func checkHTTPURL(value any) (string, *problem) {
	s, ok := value.(string)
	if !ok {
		return "", &problem{Type: "url_type", Msg: "URL input should be a string or URL"}
	}
	if p := rules.CheckReturnURL(s); p != nil {
		return "", p
	}
	return rules.EncodeReturnURL(s), nil
}
