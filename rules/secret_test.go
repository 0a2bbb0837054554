package rules_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/rules"
)

const secretValue = "polar_mst_Q2xW9eR7tY5uI3oP1aS8dF6gH4jK2lZ0xC9vB7nM5qW"

// holder is what a generated model is to a Secret: a struct with one.
type holder struct {
	Token rules.Secret
	Ptr   *rules.Secret
	Name  string
}

// Every fmt verb, flag and container shows a Secret as Redacted.
func TestSecretPrintsRedacted(t *testing.T) {
	s := rules.NewSecret(secretValue)
	h := holder{Token: s, Ptr: &s, Name: "n"}
	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "% x", "%d", "%c", "%U", "%t", "%g", "%p", "%10.3v", "%-20s", "%T %v"} {
		for _, v := range []any{s, &s, h, &h, []rules.Secret{s}, map[string]rules.Secret{"k": s}, []any{&h}, struct{ H holder }{h}} {
			outputs = append(outputs, fmt.Sprintf(verb, v))
		}
	}
	outputs = append(outputs, fmt.Sprint(s), fmt.Sprintln(h), s.String(), fmt.Errorf("created %v", h).Error(),
		fmt.Errorf("wrapped: %w", errors.New(fmt.Sprint(s))).Error())
	for _, out := range outputs {
		assert.NotContains(t, out, "Q2xW9eR7tY5uI3oP1aS8", "printed the secret: %s", out)
		assert.NotContains(t, strings.ToLower(out), "51327857", "printed the secret in hex: %s", out)
	}
	assert.Equal(t, rules.Redacted, fmt.Sprint(s))
	assert.Equal(t, `"`+rules.Redacted+`"`, fmt.Sprintf("%q", s), "flags and verbs apply to the redacted form")
	assert.Equal(t, "{Token:[redacted] Ptr:", fmt.Sprintf("%+v", h)[:len("{Token:[redacted] Ptr:")])
	assert.Equal(t, "", fmt.Sprint(rules.NewSecret("")), "an empty secret prints empty: nothing to hide, and a missing one shows")
	assert.Equal(t, "", fmt.Sprint(rules.Secret{}))
}

// slog logs a Secret as Redacted under both handlers, as an attribute
// value and inside a group.
func TestSecretLogsRedacted(t *testing.T) {
	s := rules.NewSecret(secretValue)
	for _, asJSON := range []bool{false, true} {
		var b bytes.Buffer
		var h slog.Handler = slog.NewTextHandler(&b, nil)
		if asJSON {
			h = slog.NewJSONHandler(&b, nil)
		}
		slog.New(h).Info("created", "token", s, "ptr", &s, slog.Group("g", "token", s))
		assert.NotContains(t, b.String(), "Q2xW9eR7tY5uI3oP1aS8")
		assert.Equal(t, 3, strings.Count(b.String(), rules.Redacted), b.String())
	}
}

// encoding/json reads and writes the value itself, so models keep their
// wire form.
func TestSecretJSONIsTheValue(t *testing.T) {
	in := holder{Token: rules.NewSecret(secretValue), Name: "n"}
	raw, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"Token":"`+secretValue+`","Ptr":null,"Name":"n"}`, string(raw))
	var out holder
	require.NoError(t, json.Unmarshal(raw, &out))
	assert.Equal(t, in, out)
	assert.Equal(t, secretValue, out.Token.Reveal())
	assert.Equal(t, "", rules.Secret{}.Reveal())

	// As a string: null leaves it, a number is an error, HTML characters
	// follow the encoder.
	s := rules.NewSecret("kept")
	require.NoError(t, json.Unmarshal([]byte("null"), &s))
	assert.Equal(t, "kept", s.Reveal())
	var typeErr *json.UnmarshalTypeError
	require.ErrorAs(t, json.Unmarshal([]byte("3"), &s), &typeErr)
	url := rules.NewSecret("https://polar.sh/p?a=1&b=<2>")
	raw, err = json.Marshal(url)
	require.NoError(t, err)
	assert.Equal(t, `"https://polar.sh/p?a=1\u0026b=\u003c2\u003e"`, string(raw))
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(url))
	assert.Equal(t, `"https://polar.sh/p?a=1&b=<2>"`+"\n", b.String())
	raw, err = json.Marshal(rules.Secret{})
	require.NoError(t, err)
	assert.Equal(t, `""`, string(raw), "the zero Secret is the empty string")
}
