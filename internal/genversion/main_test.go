package main

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/gen"
)

func TestSourceCarriesTheVersion(t *testing.T) {
	src, err := source([]byte(`{"info": {"version": "2027-01"}}`))
	require.NoError(t, err)
	assert.Contains(t, string(src), "const APIVersion = \"2027-01\"\n")
	assert.Contains(t, string(src), "DO NOT EDIT.")

	_, err = source([]byte(`{"info": {}}`))
	assert.ErrorContains(t, err, "no info.version")
	_, err = source([]byte(`[`))
	assert.Error(t, err)
}

// gen.APIVersion is the committed spec's version (make test's gen-check
// also regenerates it).
func TestGeneratedVersionIsTheSpecs(t *testing.T) {
	raw, err := os.ReadFile("../../openapi/openapi.json")
	require.NoError(t, err)
	var doc struct {
		Info struct{ Version string } `json:"info"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	assert.Equal(t, doc.Info.Version, gen.APIVersion)
}
