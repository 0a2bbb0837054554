package polartest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/polarsessions/polarsessions-go/gen"
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

	// maxURLLength is pydantic's HttpUrl limit, the spec's maxLength.
	maxURLLength = 2083
)

// problem is one validation error before it gets its location and input.
type problem struct {
	typ string
	msg string
	ctx map[string]any
}

func missing() *problem { return &problem{typ: "missing", msg: "Field required"} }

// check validates one member's value and returns it normalized.
type check func(value any) (string, *problem)

// createInput is a valid create body: the customer, by ID or external ID,
// and the return URL. Member fields are accepted and ignored, as Polar does
// for an organization without the member model.
type createInput struct {
	idField   string // fieldCustomerID or fieldExternalCustomerID
	id        string
	returnURL *string
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
		p := &problem{typ: "model_attributes_type", msg: "Input should be a valid dictionary or object to extract fields from"}
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
	field(fieldMemberID, false, checkUUID4)
	field(fieldExternalMemberID, false, checkString)
	in.returnURL = field(fieldReturnURL, false, checkHTTPURL)

	for _, name := range slices.Sorted(maps.Keys(obj)) {
		switch name {
		case v.idField, fieldMemberID, fieldExternalMemberID, fieldReturnURL:
			continue
		}
		p := &problem{typ: "extra_forbidden", msg: "Extra inputs are not permitted"}
		errs = append(errs, validationError(p, obj[name], "body", v.title, name))
	}
	return in, errs
}

// validationError places a problem; loc parts are strings or ints.
func validationError(p *problem, input any, loc ...any) gen.ValidationError {
	items := make([]gen.ValidationError_Loc_Item, len(loc))
	for i, part := range loc {
		switch part := part.(type) {
		case string:
			_ = items[i].FromValidationErrorLoc0(part)
		case int:
			_ = items[i].FromValidationErrorLoc1(part)
		}
	}
	e := gen.ValidationError{Loc: items, Msg: p.msg, Type: p.typ, Input: input}
	if p.ctx != nil {
		e.Ctx = &p.ctx
	}
	return e
}

func checkString(value any) (string, *problem) {
	s, ok := value.(string)
	if !ok {
		return "", &problem{typ: "string_type", msg: "Input should be a valid string"}
	}
	return s, nil
}

func checkUUID4(value any) (string, *problem) {
	s, ok := value.(string)
	if !ok {
		return "", &problem{typ: "uuid_type", msg: "UUID input should be a string, bytes or UUID object"}
	}
	return parseUUID4(s)
}

// parseUUID4 accepts what pydantic's UUID4 accepts (hyphenated or simple,
// any case, optional urn:uuid: prefix) and returns the canonical form.
func parseUUID4(s string) (string, *problem) {
	s = strings.TrimPrefix(s, "urn:uuid:")
	if reason := uuidSyntax(s); reason != "" {
		return "", &problem{typ: "uuid_parsing", msg: "Input should be a valid UUID, " + reason, ctx: map[string]any{"error": reason}}
	}
	hex := strings.ToLower(strings.ReplaceAll(s, "-", ""))
	if hex[12] != '4' {
		return "", &problem{typ: "uuid_version", msg: "UUID version 4 expected", ctx: map[string]any{"expected_version": 4}}
	}
	return hex[:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:], nil
}

// uuidSyntax says why s is not a UUID, in the words of the Rust uuid crate
// behind pydantic, or returns "".
func uuidSyntax(s string) string {
	for i, r := range s {
		if r != '-' && !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return fmt.Sprintf("invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `%c` at %d", r, i+1)
		}
	}
	groups := strings.Split(s, "-")
	if len(groups) == 1 {
		if len(s) != 32 {
			return fmt.Sprintf("invalid length: expected length 32 for simple format, found %d", len(s))
		}
		return ""
	}
	if len(groups) != 5 {
		return fmt.Sprintf("invalid group count: expected 5, found %d", len(groups))
	}
	for i, want := range []int{8, 4, 4, 4, 12} {
		if len(groups[i]) != want {
			return fmt.Sprintf("invalid group length in group %d: expected %d, found %d", i+1, want, len(groups[i]))
		}
	}
	return ""
}

// checkHTTPURL is pydantic's HttpUrl, the type behind the spec's return_url:
// absolute, http or https, with a host, at most 2083 characters. The URL is
// returned as given; pydantic would normalize it (adding a "/" path to a
// bare host), which the fake does not imitate.
func checkHTTPURL(value any) (string, *problem) {
	s, ok := value.(string)
	if !ok {
		return "", &problem{typ: "url_type", msg: "URL input should be a string or URL"}
	}
	u, err := url.Parse(s)
	var reason string
	switch {
	case s == "":
		reason = "input is empty"
	case err != nil && strings.Contains(err.Error(), "port"):
		reason = "invalid port number"
	case err != nil:
		reason = "invalid domain character"
	case u.Scheme == "":
		reason = "relative URL without a base"
	case u.Scheme != "http" && u.Scheme != "https":
		return "", &problem{typ: "url_scheme", msg: "URL scheme should be 'http' or 'https'",
			ctx: map[string]any{"expected_schemes": "'http' or 'https'"}}
	case u.Host == "":
		reason = "empty host"
	case utf8.RuneCountInString(s) > maxURLLength:
		return "", &problem{typ: "url_too_long", msg: fmt.Sprintf("URL should have at most %d characters", maxURLLength),
			ctx: map[string]any{"max_length": maxURLLength}}
	}
	if reason != "" {
		return "", &problem{typ: "url_parsing", msg: "Input should be a valid URL, " + reason, ctx: map[string]any{"error": reason}}
	}
	return s, nil
}
