package client

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// topLevelString returns the string value of key among the members of the
// JSON object raw, ignoring nested objects; with a duplicated key, the last
// wins, as in encoding/json. ok is false when raw is not an object, has no
// such member, or its value is not a string.
//
// It exists for the customer union's "type": the generated Discriminator
// decodes the whole customer again, about 7µs a call, while this scan
// skips over it. Malformed input gives ok == false, never a panic.
func topLevelString(raw []byte, key string) (value string, ok bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return "", false
	}
	i++
	for {
		i = skipSpace(raw, i)
		if i >= len(raw) || raw[i] != '"' {
			return value, ok // '}' or malformed: the members are over
		}
		end := skipString(raw, i)
		if end < 0 {
			return "", false
		}
		isKey := keyIs(raw[i:end], key)
		i = skipSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return "", false
		}
		i = skipSpace(raw, i+1)
		valueEnd := skipValue(raw, i)
		if valueEnd < 0 {
			return "", false
		}
		if isKey {
			value, ok = "", false
			if raw[i] == '"' {
				value, ok = unquote(raw[i:valueEnd])
			}
		}
		i = skipSpace(raw, valueEnd)
		if i < len(raw) && raw[i] == ',' {
			i++
		}
	}
}

// keyIs reports whether the string literal lit spells key, without
// allocating unless lit holds escapes.
func keyIs(lit []byte, key string) bool {
	inner := lit[1 : len(lit)-1]
	if bytes.IndexByte(inner, '\\') >= 0 {
		s, ok := unquote(lit)
		return ok && s == key
	}
	return string(inner) == key
}

// unquote decodes a JSON string literal, the common case (no escapes,
// valid UTF-8) by slicing; otherwise as encoding/json does, which replaces
// invalid bytes with U+FFFD.
func unquote(lit []byte) (string, bool) {
	inner := lit[1 : len(lit)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner), true
	}
	var s string
	return s, json.Unmarshal(lit, &s) == nil
}

func skipSpace(raw []byte, i int) int {
	for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string literal starting at
// raw[i] == '"', or -1 when it is not terminated.
func skipString(raw []byte, i int) int {
	for i++; i < len(raw); i++ {
		switch raw[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// skipValue returns the index after the JSON value starting at raw[i], or
// -1 when it does not end.
func skipValue(raw []byte, i int) int {
	if i >= len(raw) {
		return -1
	}
	switch raw[i] {
	case '"':
		return skipString(raw, i)
	case '{', '[':
		depth := 0
		for ; i < len(raw); i++ {
			switch raw[i] {
			case '"':
				if i = skipString(raw, i); i < 0 {
					return -1
				}
				i--
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	}
	// A number, true, false or null: up to the next delimiter.
	for i < len(raw) && raw[i] != ',' && raw[i] != '}' && raw[i] != ']' &&
		raw[i] != ' ' && raw[i] != '\t' && raw[i] != '\n' && raw[i] != '\r' {
		i++
	}
	return i
}
