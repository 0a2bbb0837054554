package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// change edits a trimmed copy of the synthetic spec.
func change(t *testing.T, edit func(schemas map[string]any, ops map[string]map[string]any, spec Spec)) Spec {
	t.Helper()
	spec := trimSynthetic(t)
	edit(spec["components"].(map[string]any)["schemas"].(map[string]any), operations(spec), spec)
	return spec
}

func TestSummarizeNamesEachKindOfChange(t *testing.T) {
	old := trimSynthetic(t)
	assert.Empty(t, Summarize(old, trimSynthetic(t)), "the same spec: nothing to say")

	tests := []struct {
		name string
		edit func(schemas map[string]any, ops map[string]map[string]any, spec Spec)
		want []string
	}{
		{"version", func(_ map[string]any, _ map[string]map[string]any, spec Spec) {
			spec["info"].(map[string]any)["version"] = "2026-10"
		}, []string{"version: 2026-04 → 2026-10 (the client's default Polar-Version, and polartest's, follow after go generate)"}},
		{"status", func(_ map[string]any, ops map[string]map[string]any, _ Spec) {
			ops["things:create"]["responses"].(map[string]any)["409"] = map[string]any{"description": "conflict"}
		}, []string{"operation things:create: status added: 409"}},
		{"required property", func(schemas map[string]any, _ map[string]map[string]any, _ Spec) {
			thing := schemas["Thing"].(map[string]any)
			thing["properties"].(map[string]any)["made_at"] = map[string]any{"type": "string"}
			thing["required"] = []any{"made_at"}
		}, []string{"schema Thing: property added: made_at", "schema Thing: required property added: made_at"}},
		{"removed property", func(schemas map[string]any, _ map[string]map[string]any, _ Spec) {
			delete(schemas["Thing"].(map[string]any)["properties"].(map[string]any), "score")
		}, []string{"schema Thing: property removed: score"}},
		{"enum value", func(schemas map[string]any, _ map[string]map[string]any, _ Spec) {
			schemas["Kind"].(map[string]any)["enum"] = []any{"a", "b", "c"}
		}, []string{"schema Kind: enum value added: c"}},
		{"variant", func(schemas map[string]any, _ map[string]map[string]any, _ Spec) {
			schemas["ByEmail"] = map[string]any{"type": "object", "properties": map[string]any{"email": map[string]any{"type": "string"}}}
			create := schemas["ThingCreate"].(map[string]any)
			create["anyOf"] = append(create["anyOf"].([]any), map[string]any{"$ref": "#/components/schemas/ByEmail"})
		}, []string{"schema ByEmail: added", "schema ThingCreate: anyOf variant added: ByEmail"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Summarize(old, change(t, tt.edit)))
		})
	}
}

// A request property is exposed when the facade builds the generated type
// with that field; one the generated code lacks is not.
func TestUnexposedRequestFields(t *testing.T) {
	dir := t.TempDir()
	genFile := filepath.Join(dir, "gen.go")
	require.NoError(t, os.WriteFile(genFile, []byte(`package gen
type ByID struct {
	ID   string  `+"`json:\"id\"`"+`
}
type ByName struct {
	Name string `+"`json:\"name\"`"+`
}
`), 0o644))
	facade := filepath.Join(dir, "client")
	require.NoError(t, os.Mkdir(facade, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(facade, "things.go"), []byte(`package client
func body(id string) any { return gen.ByID{ID: id} }
func others() []any { return []any{[]int{1}, http.Header{}, struct{ X int }{X: 1}} }
`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(facade, "things_test.go"), []byte(`package client
var _ = gen.ByName{Name: "a test does not count"}
`), 0o644))

	spec := change(t, func(schemas map[string]any, _ map[string]map[string]any, _ Spec) {
		schemas["ByID"].(map[string]any)["properties"].(map[string]any)["note"] = map[string]any{"type": "string"}
	})
	got, err := Unexposed(spec, genFile, facade)
	require.NoError(t, err)
	where := filepath.ToSlash(filepath.Join(facade, "things.go"))
	assert.Equal(t, []string{
		"ByID.note (expose it in " + where + ", where gen.ByID is built)",
		"ByName.name (the client does not build ByName bodies)",
	}, got)
}
