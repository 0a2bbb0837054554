package polartest

import (
	"encoding/json"
	"fmt"
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
	const d jsonDecoder = "seed"
	seed, r := d.seed(data)
	if r != nil {
		return Seed{}, &SeedError{Field: r.field, Problem: r.msg}
	}
	return seed, nil
}

func (d jsonDecoder) seed(data []byte) (Seed, *refusal) {
	obj, r := d.object(data, "", "customers")
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
	var sc SeedCustomer
	var kind string
	fields := []stringField{{"id", &sc.ID}, {"external_id", &sc.ExternalID}, {"email", &sc.Email}, {"type", &kind}, {"name", &sc.Name}}
	obj, r := d.object(raw, path, append(keysOf(fields), "members")...)
	if r == nil {
		r = d.strings(obj, path, fields)
	}
	if r != nil {
		return SeedCustomer{}, r
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
	var m Member
	var role string
	fields := []stringField{{"id", &m.ID}, {"external_id", &m.ExternalID}, {"email", &m.Email}, {"name", &m.Name}, {"role", &role}}
	obj, r := d.object(raw, path, keysOf(fields)...)
	if r == nil {
		r = d.strings(obj, path, fields)
	}
	if r != nil {
		return Member{}, r
	}
	m.Role = MemberRole(role)
	return m, nil
}

// stringField is a key of a seed file's entry whose value is a string,
// and where it goes; the order of a list of them is the order errors list
// the keys in.
type stringField struct {
	key string
	to  *string
}

func keysOf(fields []stringField) []string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	return keys
}

// strings decodes the string fields of obj, an entry at path.
func (d jsonDecoder) strings(obj map[string]json.RawMessage, path string, fields []stringField) *refusal {
	for _, f := range fields {
		var r *refusal
		if *f.to, r = decodeAs[string](d, obj[f.key], join(path, f.key), "a string"); r != nil {
			return r
		}
	}
	return nil
}
