package client

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/internal/fixtures"
)

// CustomerSession has the generated model's fields, types and JSON names:
// a field the generator adds after a spec change fails this test until
// CustomerSession has it too.
func TestCustomerSessionHasEveryGeneratedField(t *testing.T) {
	for _, body := range [][]byte{fixtures.CustomerSessionIndividual(), fixtures.CustomerSessionTeam()} {
		var g gen.CustomerSession
		require.NoError(t, json.Unmarshal(body, &g))
		want, err := json.Marshal(g)
		require.NoError(t, err)
		var ours CustomerSession
		require.NoError(t, json.Unmarshal(body, &ours))
		got, err := json.Marshal(ours)
		require.NoError(t, err)
		assert.JSONEq(t, string(want), string(got))
	}
	genType, ours := reflect.TypeFor[gen.CustomerSession](), reflect.TypeFor[CustomerSession]()
	require.Equal(t, genType.NumField(), ours.NumField())
	for i := range genType.NumField() {
		f := genType.Field(i)
		o, ok := ours.FieldByName(f.Name)
		if assert.True(t, ok, "CustomerSession lacks %s", f.Name) {
			assert.Equal(t, f.Type, o.Type, f.Name)
			assert.Equal(t, f.Tag.Get("json"), o.Tag.Get("json"), f.Name)
		}
	}
}
