package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// secret-string types the secret properties, wherever they are, and
// only them; trimming twice changes nothing more.
func TestSecretStringTypesTheSecrets(t *testing.T) {
	spec := mustDecode(t, `{"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
	  "paths": {"/s": {"post": {"operationId": "s:create",
	    "responses": {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}}}}}},
	  "components": {"schemas": {"S": {"type": "object", "properties": {
	    "token": {"type": "string", "title": "Token"},
	    "customer_portal_url": {"type": "string"},
	    "name": {"type": "string"}}}}}}`)
	out, err := Trim(spec, []string{"s:create"})
	require.NoError(t, err)
	props := schemasOf(out)["S"]["properties"].(map[string]any)
	for _, name := range secretProperties {
		p := props[name].(map[string]any)
		assert.Equal(t, secretType, p["x-go-type"], name)
		assert.Equal(t, map[string]any{"path": secretTypeImport}, p["x-go-type-import"], name)
	}
	assert.NotContains(t, props["name"], "x-go-type")
	again, err := Trim(out, []string{"s:create"})
	require.NoError(t, err)
	assert.Equal(t, out, again)
}

// A secret that is no plain string stops the trim: its Go type is a
// maintainer's decision, and a string would print it.
func TestSecretStringRefusesOtherShapes(t *testing.T) {
	for _, shape := range []string{
		`{"anyOf": [{"type": "string"}, {"type": "null"}]}`,
		`{"type": "integer"}`,
		`{"type": "string", "format": "uri"}`,
		`{"$ref": "#/components/schemas/T"}`,
	} {
		spec := mustDecode(t, `{"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
		  "paths": {"/s": {"post": {"operationId": "s:create",
		    "responses": {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}}}}}},
		  "components": {"schemas": {"T": {"type": "string"}, "S": {"type": "object", "properties": {"token": `+shape+`}}}}}`)
		_, err := Trim(spec, []string{"s:create"})
		assert.ErrorContains(t, err, "property token: a secret, but not a plain string", shape)
	}
}

// The committed spec carries the secret type on the session's token and
// portal URL (the golden of what make spec writes).
func TestCommittedSpecTypesTheSessionSecrets(t *testing.T) {
	raw, err := os.ReadFile(committedSpec)
	require.NoError(t, err)
	spec, err := decode(raw)
	require.NoError(t, err)
	props := schemasOf(spec)["CustomerSession"]["properties"].(map[string]any)
	for _, name := range []string{"token", "customer_portal_url"} {
		assert.Equal(t, map[string]any{"type": "string", "title": props[name].(map[string]any)["title"],
			"x-go-type": "rules.Secret", "x-go-type-import": map[string]any{"path": "github.com/polarsessions/polarsessions-go/rules"},
			"x-omitempty": false}, props[name], name)
	}
}

// The generator configuration's typedef.tmpl is oapi-codegen's own with
// the LogValue block added: an upgrade that changes the generator's
// template fails here, not silently in gen/.
func TestTypedefTemplateIsTheGeneratorsPlusLogValue(t *testing.T) {
	raw, err := os.ReadFile(generatorConfig)
	require.NoError(t, err)
	var cfg struct {
		OutputOptions struct {
			UserTemplates map[string]string `yaml:"user-templates"`
		} `yaml:"output-options"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &cfg))
	ours := cfg.OutputOptions.UserTemplates["typedef.tmpl"]
	require.NotEmpty(t, ours)

	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/oapi-codegen/oapi-codegen/v2").Output()
	require.NoError(t, err)
	upstream, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "pkg", "codegen", "templates", "typedef.tmpl"))
	require.NoError(t, err)

	added := regexp.MustCompile(`(?s)\n\{\{- \$secret := false\}\}.*\n\{\{- end\}\}`)
	require.Len(t, added.FindAllString(ours, -1), 1, "one LogValue block")
	assert.Equal(t, strings.TrimSpace(string(upstream)), strings.TrimSpace(added.ReplaceAllString(ours, "")))
}
