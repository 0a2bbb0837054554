package polartest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// jsonDecoder decodes the JSON of seed files and control requests strictly,
// naming each refused value by its path ("customers[1].email"); its value
// names the whole document in errors about it ("seed", "body").
type jsonDecoder string

// object decodes raw as a JSON object whose keys are among known. A key
// whose value is null is left out of the map, so that null is the same as
// a key left out, for every check that follows: a required key given as
// null is missing. An unknown key is refused even with null.
func (d jsonDecoder) object(raw []byte, path string, known ...string) (map[string]json.RawMessage, *refusal) {
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
	maps.DeleteFunc(obj, func(_ string, v json.RawMessage) bool { return jsonKind(v) == "null" })
	return obj, nil
}

// array decodes raw as a JSON array, or null (absent) as none.
func (d jsonDecoder) array(raw []byte, path string) ([]json.RawMessage, *refusal) {
	return decodeAs[[]json.RawMessage](d, raw, path, "an array")
}

// seconds decodes a non-negative number of seconds, at most a century.
func (d jsonDecoder) seconds(raw []byte, path string) (time.Duration, *refusal) {
	n, r := decodeAs[float64](d, raw, path, "a number")
	switch {
	case r != nil:
		return 0, r
	case n < 0:
		return 0, refuseValue(path, fmt.Sprintf("%v is negative", n))
	case n > maxSeconds:
		return 0, refuseValue(path, fmt.Sprintf("%v is more than a century", n))
	}
	return time.Duration(n * float64(time.Second)), nil
}

// maxSeconds bounds the numbers of seconds the decoder takes.
const maxSeconds = 100 * 365.25 * 24 * 3600

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

// name is path, or the decoder's name for the whole document.
func (d jsonDecoder) name(path string) string {
	if path == "" {
		return string(d)
	}
	return path
}

// decodeAs decodes raw, at path, as a T, described by want ("a string")
// in the error; null or nothing is T's zero value. A number T cannot hold
// (1e999 for a float64) is a value out of range, refused as a value, not
// as JSON of the wrong type.
func decodeAs[T any](d jsonDecoder, raw []byte, path, want string) (T, *refusal) {
	var v T
	if len(raw) == 0 || jsonKind(raw) == "null" {
		return v, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		switch kind := jsonKind(raw); {
		case kind == "invalid JSON":
			return v, d.syntax(raw, path)
		case kind == want:
			return v, refuseValue(d.name(path), string(bytes.TrimSpace(raw))+" is out of range")
		default:
			return v, &refusal{kind: refusedSyntax, field: d.name(path), msg: "want " + want + ", got " + kind}
		}
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
