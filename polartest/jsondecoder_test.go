package polartest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJSONDecoderObject(t *testing.T) {
	const d jsonDecoder = "body"
	obj, r := d.object([]byte(`{"a": 1, "b": null, "c": "x"}`), "", "a", "b", "c")
	require.Nil(t, r)
	assert.Equal(t, []string{"a", "c"}, keys(obj), "a null is a key left out")
	assert.Nil(t, obj["b"])

	_, r = d.object([]byte(`{"z": null}`), "at", "a")
	require.NotNil(t, r)
	assert.Equal(t, "at.z: unknown key; the keys are a", r.Error(), "an unknown key, even null, is a typo")

	_, r = d.object([]byte(`null`), "", "a")
	assert.Equal(t, "body: want an object, got null", r.Error(), "null stands for a key, not an object")
	_, r = d.object([]byte(`7`), "", "a")
	assert.Equal(t, "body: want an object, got a number", r.Error())
}

func TestDecodeAsOutOfRange(t *testing.T) {
	const d jsonDecoder = "body"
	for raw, want := range map[string]string{
		`1e999`:  "n: 1e999 is out of range",
		`-1e999`: "n: -1e999 is out of range",
		`"1"`:    "n: want a number, got a string",
	} {
		_, r := decodeAs[float64](d, []byte(raw), "n", "a number")
		if assert.NotNil(t, r, raw) {
			assert.Equal(t, want, r.Error(), raw)
		}
	}
	n, r := decodeAs[float64](d, []byte(`1e308`), "n", "a number")
	assert.Nil(t, r)
	assert.Equal(t, 1e308, n)
}

func TestSeconds(t *testing.T) {
	const d jsonDecoder = "body"
	got, r := d.seconds([]byte(`1.5`), "s")
	require.Nil(t, r)
	assert.Equal(t, "1.5s", got.String())
	for raw, want := range map[string]string{
		`-1`:    "s: -1 is negative",
		`1e300`: "s: 1e+300 is more than a century",
		`1e999`: "s: 1e999 is out of range",
	} {
		_, r := d.seconds([]byte(raw), "s")
		if assert.NotNil(t, r, raw) {
			assert.Equal(t, want, r.Error(), raw)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for _, k := range []string{"a", "b", "c"} {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	return out
}
