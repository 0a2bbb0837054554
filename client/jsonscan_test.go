package client

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/polarsessions/polarsessions-go/internal/fixtures"
)

// referenceTopLevelString is topLevelString written with encoding/json.
func referenceTopLevelString(raw []byte, key string) (string, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return "", false
	}
	var s string
	if v, ok := m[key]; ok && len(v) > 0 && v[0] == '"' && json.Unmarshal(v, &s) == nil {
		return s, true
	}
	return "", false
}

func TestTopLevelString(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{`{"type":"team"}`, "team", true},
		{` { "id" : 1 , "type" : "individual" } `, "individual", true},
		{`{"metadata":{"type":"nested"},"type":"team"}`, "team", true},
		{`{"metadata":{"type":"nested"}}`, "", false},
		{`{"a":["type","x",{"type":"y"}],"b":"\"type\":\"z\""}`, "", false},
		{`{"type":"a","type":"b"}`, "b", true},
		{`{"type":"a","type":7}`, "", false},
		{`{"typ\u0065":"escaped key"}`, "escaped key", true},
		{`{"type":"t\u00e9am"}`, "téam", true},
		{`{"type":null}`, "", false},
		{`{"Type":"team"}`, "", false},
		{`{}`, "", false},
		{`[]`, "", false},
		{`null`, "", false},
		{``, "", false},
		{`{"type":"unterminated`, "", false},
		{`{"x":{"y":[`, "", false},
	}
	for _, tt := range tests {
		got, ok := topLevelString([]byte(tt.in), "type")
		assert.Equal(t, tt.want, got, tt.in)
		assert.Equal(t, tt.ok, ok, tt.in)
	}
}

func FuzzTopLevelString(f *testing.F) {
	f.Add([]byte(`{"type":"team","metadata":{"type":"x"}}`))
	f.Add(fixtures.CustomerSessionTeam())
	f.Add([]byte(`{"a":[1,{"b":"}"}],"type":"\"q\""}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := topLevelString(raw, "type") // must not panic on anything
		if !json.Valid(raw) {
			return
		}
		want, wantOK := referenceTopLevelString(raw, "type")
		if got != want || ok != wantOK {
			t.Fatalf("%s: got %q %v, want %q %v", raw, got, ok, want, wantOK)
		}
	})
}
