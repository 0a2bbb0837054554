package polartest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ParseSeed reads a seed file of polar-sessions fake, JSON of this form,
// where every key is optional but what Polar requires, and a key not
// listed is an error, so that a typo is not ignored:
//
//	{"customers": [{"id": "…", "external_id": "…", "email": "…",
//	  "type": "individual" | "team", "name": "…",
//	  "members": [{"id": "…", "external_id": "…", "email": "…", "name": "…",
//	    "role": "owner" | "billing_manager" | "member"}]}]}
//
// null is the same as a key left out. A *SeedError names what is wrong,
// "customers[1].members[0].emial: unknown key; …"; the values themselves
// are checked by Load.
func ParseSeed(data []byte) (Seed, error) {
	d := jsonDecoder{root: "seed"}
	seed, r := d.seed(data)
	if r != nil {
		return Seed{}, &SeedError{Field: r.field, Problem: r.msg}
	}
	return seed, nil
}

// The keys of a seed file's entries, in the order its errors list them.
var (
	seedKeys         = []string{"customers"}
	seedCustomerKeys = []string{"id", "external_id", "email", "type", "name", "members"}
	seedMemberKeys   = []string{"id", "external_id", "email", "name", "role"}
)

// jsonDecoder decodes the JSON of seed files and control requests strictly,
// naming each refused value by its path ("customers[1].email"); root names
// the whole document in errors about it.
type jsonDecoder struct{ root string }

func (d jsonDecoder) seed(data []byte) (Seed, *refusal) {
	obj, r := d.object(data, "", seedKeys)
	if r != nil {
		return Seed{}, r
	}
	var seed Seed
	entries, r := d.array(obj["customers"], "customers")
	for i, raw := range entries {
		if r != nil {
			break
		}
		var sc SeedCustomer
		sc, r = d.customer(raw, fmt.Sprintf("customers[%d]", i))
		seed.Customers = append(seed.Customers, sc)
	}
	return seed, r
}

// customer decodes a seed file's customer at path.
func (d jsonDecoder) customer(raw []byte, path string) (SeedCustomer, *refusal) {
	obj, r := d.object(raw, path, seedCustomerKeys)
	if r != nil {
		return SeedCustomer{}, r
	}
	var sc SeedCustomer
	var kind string
	for _, f := range []struct {
		key string
		to  *string
	}{{"id", &sc.ID}, {"external_id", &sc.ExternalID}, {"email", &sc.Email}, {"type", &kind}, {"name", &sc.Name}} {
		if *f.to, r = decodeAs[string](d, obj[f.key], join(path, f.key), "a string"); r != nil {
			return sc, r
		}
	}
	sc.Type = CustomerType(kind)
	entries, r := d.array(obj["members"], join(path, "members"))
	for j, raw := range entries {
		if r != nil {
			break
		}
		var m Member
		m, r = d.member(raw, join(path, fmt.Sprintf("members[%d]", j)))
		sc.Members = append(sc.Members, m)
	}
	return sc, r
}

// member decodes a seed file's member at path.
func (d jsonDecoder) member(raw []byte, path string) (Member, *refusal) {
	obj, r := d.object(raw, path, seedMemberKeys)
	if r != nil {
		return Member{}, r
	}
	var m Member
	var role string
	for _, f := range []struct {
		key string
		to  *string
	}{{"id", &m.ID}, {"external_id", &m.ExternalID}, {"email", &m.Email}, {"name", &m.Name}, {"role", &role}} {
		if *f.to, r = decodeAs[string](d, obj[f.key], join(path, f.key), "a string"); r != nil {
			return m, r
		}
	}
	m.Role = MemberRole(role)
	return m, nil
}

// object decodes raw as a JSON object whose keys are among known.
func (d jsonDecoder) object(raw []byte, path string, known []string) (map[string]json.RawMessage, *refusal) {
	if kind := jsonKind(raw); kind != "an object" && kind != "" {
		if kind == "invalid JSON" {
			return nil, d.syntax(raw, path)
		}
		return nil, &refusal{kind: refusedSyntax, field: d.name(path), msg: "want an object, got " + kind}
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, d.syntax(raw, path)
	}
	for key := range obj {
		if !slices.Contains(known, key) {
			return nil, &refusal{kind: refusedSyntax, field: join(path, key), msg: "unknown key; the keys are " + list(known)}
		}
	}
	return obj, nil
}

// array decodes raw as a JSON array, or null (absent) as none.
func (d jsonDecoder) array(raw []byte, path string) ([]json.RawMessage, *refusal) {
	return decodeAs[[]json.RawMessage](d, raw, path, "an array")
}

// syntax explains why raw, at path, is not JSON.
func (d jsonDecoder) syntax(raw []byte, path string) *refusal {
	err := json.Unmarshal(raw, new(any))
	msg := "invalid JSON"
	var syntax *json.SyntaxError
	switch {
	case len(bytes.TrimSpace(raw)) == 0:
		msg = "empty; want a JSON object"
	case errors.As(err, &syntax):
		msg = fmt.Sprintf("invalid JSON at byte %d: %s", syntax.Offset, syntax.Error())
	case err != nil:
		msg = "invalid JSON: " + err.Error()
	}
	return &refusal{kind: refusedSyntax, field: d.name(path), msg: msg}
}

// name is path, or the decoder's root for the whole document.
func (d jsonDecoder) name(path string) string {
	if path == "" {
		return d.root
	}
	return path
}

// decodeAs decodes raw, at path, as a T, described by want ("a string")
// in the error; null or nothing is T's zero value.
func decodeAs[T any](d jsonDecoder, raw []byte, path, want string) (T, *refusal) {
	var v T
	if len(raw) == 0 || jsonKind(raw) == "null" {
		return v, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		kind := jsonKind(raw)
		if kind == "invalid JSON" {
			return v, d.syntax(raw, path)
		}
		return v, &refusal{kind: refusedSyntax, field: d.name(path), msg: "want " + want + ", got " + kind}
	}
	return v, nil
}

// jsonKind names the JSON type of raw, "" for nothing.
func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0:
		return ""
	case !json.Valid(raw):
		return "invalid JSON"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// join is path.key, or key at the root.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// list writes keys as "a, b and c".
func list(keys []string) string {
	if len(keys) == 1 {
		return keys[0]
	}
	return strings.Join(keys[:len(keys)-1], ", ") + " and " + keys[len(keys)-1]
}
