package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// synthetic is a small upstream spec: two kept operations, one dropped, a ref
// chain, a schema reached only through a discriminator mapping, an inline
// union request body, unused schemas and security schemes, webhooks and tags.
const synthetic = `{
  "openapi": "3.1.0",
  "info": {"title": "T", "version": "2026-04"},
  "servers": [{"url": "https://api.example.com"}],
  "tags": [{"name": "things"}],
  "webhooks": {"thing.created": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Hook"}}}}}}},
  "paths": {
    "/v1/things/": {
      "parameters": [{"$ref": "#/components/parameters/Trace"}],
      "post": {
        "operationId": "things:create",
        "security": [{"oat": ["things:write"]}],
        "requestBody": {"content": {"application/json": {"schema": {
          "title": "Thing Create",
          "anyOf": [{"$ref": "#/components/schemas/ByID"}, {"$ref": "#/components/schemas/ByName"}]
        }}}},
        "responses": {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
      },
      "get": {
        "operationId": "things:list",
        "security": [{"pat": []}],
        "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unreached"}}}}}
      }
    },
    "/v1/other": {
      "get": {"operationId": "other:get", "responses": {"200": {"description": "ok"}}}
    },
    "/v1/status": {
      "get": {
        "operationId": "status:get",
        "security": [{"session": []}],
        "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}}
      }
    }
  },
  "components": {
    "parameters": {"Trace": {"name": "trace", "in": "query", "schema": {"type": "string"}}},
    "schemas": {
      "ByID": {"type": "object", "properties": {"id": {"type": "string"}}},
      "ByName": {"type": "object", "properties": {"name": {"type": "string"}}},
      "Thing": {"type": "object", "properties": {
        "owner": {"$ref": "#/components/schemas/Owner"},
        "score": {"type": "number"},
        "ratio": {"type": "number", "format": "float"},
        "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"$ref": "#/components/schemas/Kind"}], "minItems": 2, "maxItems": 2},
        "mixed": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]}
      }},
      "Owner": {"oneOf": [{"$ref": "#/components/schemas/Person"}], "discriminator": {"propertyName": "type", "mapping": {
        "person": "#/components/schemas/Person", "robot": "#/components/schemas/Robot"}}},
      "Person": {"type": "object"},
      "Robot": {"type": "object"},
      "Kind": {"type": "string", "enum": ["a", "b"]},
      "Status": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
      "Unreached": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/AlsoUnreached"}}},
      "AlsoUnreached": {"type": "object"},
      "Hook": {"type": "object"}
    },
    "securitySchemes": {
      "oat": {"type": "http", "scheme": "bearer"},
      "pat": {"type": "http", "scheme": "bearer"},
      "session": {"type": "http", "scheme": "bearer"}
    }
  }
}`

var keep = []string{"things:create", "status:get"}

func mustDecode(t *testing.T, s string) Spec {
	t.Helper()
	spec, err := decode([]byte(s))
	require.NoError(t, err)
	return spec
}

func trimSynthetic(t *testing.T) Spec {
	t.Helper()
	out, err := Trim(mustDecode(t, synthetic), keep)
	require.NoError(t, err)
	return out
}

func TestTrimHoistsRequestBodyUnion(t *testing.T) {
	out := trimSynthetic(t)
	op := out["paths"].(map[string]any)["/v1/things/"].(map[string]any)["post"].(map[string]any)
	schema := op["requestBody"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"]
	assert.Equal(t, map[string]any{"$ref": "#/components/schemas/ThingCreate"}, schema)

	hoisted := out["components"].(map[string]any)["schemas"].(map[string]any)["ThingCreate"].(map[string]any)
	assert.Equal(t, "Thing Create", hoisted["title"])
	assert.Len(t, hoisted["anyOf"], 2)
}

func TestTrimRewritesSchemas(t *testing.T) {
	out := trimSynthetic(t)
	props := out["components"].(map[string]any)["schemas"].(map[string]any)["Thing"].(map[string]any)["properties"].(map[string]any)

	assert.Equal(t, "double", props["score"].(map[string]any)["format"], "number-as-double")
	assert.Equal(t, "float", props["ratio"].(map[string]any)["format"], "an explicit format is kept")
	assert.Equal(t, map[string]any{"type": "string"}, props["pair"].(map[string]any)["items"], "string-tuple-items, through a $ref to a string enum")
	assert.Len(t, props["pair"].(map[string]any)["prefixItems"], 2, "prefixItems stays")
	assert.NotContains(t, props["mixed"], "items", "a tuple with a non-string member is left alone")
}

func TestTrimIsDeterministicAndLeavesInputAlone(t *testing.T) {
	upstream := mustDecode(t, synthetic)
	before, err := encode(upstream)
	require.NoError(t, err)

	first, err := Trim(upstream, keep)
	require.NoError(t, err)
	second, err := Trim(mustDecode(t, synthetic), []string{"status:get", "things:create"})
	require.NoError(t, err)
	a, err := encode(first)
	require.NoError(t, err)
	b, err := encode(second)
	require.NoError(t, err)
	assert.Equal(t, string(a), string(b), "same input, same bytes, whatever the order of -ops")

	after, err := encode(upstream)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "the upstream spec must not be modified")
}

func TestTrimErrors(t *testing.T) {
	_, err := Trim(mustDecode(t, synthetic), []string{"things:create", "nope:missing"})
	assert.ErrorContains(t, err, "operations not found in upstream spec: nope:missing")

	broken := mustDecode(t, synthetic)
	delete(broken["components"].(map[string]any)["schemas"].(map[string]any), "Owner")
	_, err = Trim(broken, keep)
	assert.ErrorContains(t, err, `unresolved $ref "#/components/schemas/Owner"`)

	collide := mustDecode(t, synthetic)
	collide["components"].(map[string]any)["schemas"].(map[string]any)["ThingCreate"] = map[string]any{"type": "object"}
	_, err = Trim(collide, keep)
	assert.ErrorContains(t, err, `schema "ThingCreate" already exists`)

	remote := mustDecode(t, synthetic)
	remote["components"].(map[string]any)["schemas"].(map[string]any)["Person"] = map[string]any{"$ref": "other.json#/Person"}
	_, err = Trim(remote, keep)
	assert.ErrorContains(t, err, "only local component references are followed")
}

// run writes the trimmed spec whether or not out exists; make spec-check
// trims into a file mktemp has just made, empty: no previous spec, not a
// broken one.
func TestRunWritesFile(t *testing.T) {
	for name, existing := range map[string][]byte{"no file": nil, "an empty file": {}} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "upstream.json")
			out := filepath.Join(dir, "trimmed.json")
			require.NoError(t, os.WriteFile(in, []byte(synthetic), 0o644))
			if existing != nil {
				require.NoError(t, os.WriteFile(out, existing, 0o644))
			}
			require.NoError(t, run(in, out, keep, "", filepath.Join(dir, "no-facade")))

			got, err := os.ReadFile(out)
			require.NoError(t, err)
			want, err := encode(trimSynthetic(t))
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
			assert.True(t, bytes.HasSuffix(got, []byte("}\n")))
		})
	}
}
