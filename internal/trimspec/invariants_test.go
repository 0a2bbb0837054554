package main

// What trimming guarantees, checked on whatever spec it is given: the
// synthetic ones below, the committed openapi/openapi.json (itself a valid
// upstream), and Polar's published spec when ../shared holds it. Nothing
// here names a version, a schema or a field of today's spec, so a new
// upstream spec passes unless trimming broke.

import (
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/polarsessions/polarsessions-go/gen"
)

const (
	committedSpec   = "../../openapi/openapi.json"
	generatorConfig = "../../openapi/oapi-codegen.yaml"
	// Polar's published specs (../shared/reference/SOURCE.md): the module
	// is generated from referenceSpec; a user may pin pinnedSpec.
	referenceSpec = "../../../shared/reference/polar-openapi-2026-10.json"
	pinnedSpec    = "../../../shared/reference/polar-openapi.json"
)

// olderForm is a spec in the form Polar published before 2026-07: security
// only at the top, one operation public by an explicit empty list.
const olderForm = `{
  "openapi": "3.1.0",
  "info": {"title": "T", "version": "2025-01"},
  "security": [{"oat": []}, {"pat": []}],
  "paths": {
    "/v1/things/": {"post": {"operationId": "things:create",
      "responses": {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}},
    "/v1/public": {"get": {"operationId": "public:get", "security": [],
      "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}},
    "/v1/own": {"get": {"operationId": "own:get", "security": [{"session": []}],
      "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}}
  },
  "components": {
    "schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}},
    "securitySchemes": {
      "oat": {"type": "http", "scheme": "bearer"},
      "pat": {"type": "http", "scheme": "bearer"},
      "session": {"type": "http", "scheme": "bearer"},
      "unused": {"type": "http", "scheme": "bearer"}
    }
  }
}`

func TestInvariantsSynthetic(t *testing.T) {
	checkInvariants(t, mustDecode(t, synthetic), keep)
}

func TestInvariantsOlderForm(t *testing.T) {
	checkInvariants(t, mustDecode(t, olderForm), []string{"things:create", "public:get", "own:get"})
}

func TestInvariantsCommittedSpec(t *testing.T) {
	raw, err := os.ReadFile(committedSpec)
	require.NoError(t, err)
	spec, err := decode(raw)
	require.NoError(t, err)
	out := checkInvariants(t, spec, strings.Split(defaultOps, ","))
	data, err := encode(out)
	require.NoError(t, err)
	assert.Equal(t, string(raw), string(data), "openapi/ is a fixed point of trimspec: commit what make spec writes")
}

// Polar's published specs, when ../shared holds them: the committed spec is
// what trimming makes of the 2026-10 one (as make spec-check says), and the
// 2026-04 one, which a user may pin, differs from it for these operations
// only in its version and in the SDK code samples, which name the version.
func TestInvariantsReference(t *testing.T) {
	committed, err := os.ReadFile(committedSpec)
	require.NoError(t, err)
	for _, path := range []string{referenceSpec, pinnedSpec} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if os.IsNotExist(err) {
				t.Skip("Polar's published spec is not at " + path + " (only in the project's workspace)")
			}
			require.NoError(t, err)
			spec, err := decode(raw)
			require.NoError(t, err)
			out := checkInvariants(t, spec, strings.Split(defaultOps, ","))
			if path == referenceSpec {
				assert.Equal(t, "2026-10", gen.APIVersion, "the module is generated from Polar's 2026-10 spec")
				data, err := encode(out)
				require.NoError(t, err)
				assert.Equal(t, string(committed), string(data))
				return
			}
			assert.Equal(t, "2026-04", out["info"].(map[string]any)["version"])
			out["info"].(map[string]any)["version"] = "2026-10"
			want, err := decode(committed)
			require.NoError(t, err)
			assert.Equal(t, withoutCodeSamples(want), withoutCodeSamples(out))
		})
	}
}

// withoutCodeSamples returns v with every x-codeSamples member removed.
func withoutCodeSamples(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			if k != "x-codeSamples" {
				out[k] = withoutCodeSamples(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = withoutCodeSamples(e)
		}
		return out
	}
	return v
}

// The older form's operations get the top-level security; security: []
// stays public, and an operation's own list wins.
func TestTopLevelSecurityIsCarried(t *testing.T) {
	out, err := Trim(mustDecode(t, olderForm), []string{"things:create", "public:get", "own:get"})
	require.NoError(t, err)
	ops := operations(out)
	assert.Equal(t, []any{map[string]any{"oat": []any{}}, map[string]any{"pat": []any{}}}, ops["things:create"]["security"])
	assert.Equal(t, []any{}, ops["public:get"]["security"])
	assert.Equal(t, []any{map[string]any{"session": []any{}}}, ops["own:get"]["security"])
	assert.ElementsMatch(t, []string{"oat", "pat", "session"}, keysOf(out["components"].(map[string]any)["securitySchemes"]))
}

// checkInvariants trims upstream to ops and checks every guarantee of
// Trim; it returns the trimmed spec.
func checkInvariants(t *testing.T, upstream Spec, ops []string) Spec {
	t.Helper()
	before, err := encode(upstream)
	require.NoError(t, err)
	out, err := Trim(upstream, ops)
	require.NoError(t, err)
	after, err := encode(upstream)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "the upstream spec is not modified")

	kept := operations(out)
	assert.ElementsMatch(t, ops, slices.Collect(maps.Keys(kept)), "exactly the operations asked for")

	components, _ := out["components"].(map[string]any)
	reached, err := refClosure(out["paths"], components)
	require.NoError(t, err, "every $ref resolves within the trimmed spec")
	for kind, section := range components {
		if kind == "securitySchemes" {
			continue
		}
		assert.ElementsMatch(t, keysOf(section), slices.Collect(maps.Keys(reached[kind])),
			"components.%s holds exactly what the operations reach", kind)
	}

	upOps := operations(upstream)
	usedSchemes := map[string]bool{}
	for id, op := range kept {
		want, own := upOps[id]["security"]
		if !own {
			want = upstream["security"]
		}
		assert.Equal(t, want, op["security"], "%s: its own security, else the top-level one", id)
		reqs, _ := op["security"].([]any)
		for _, req := range reqs {
			for name := range req.(map[string]any) {
				usedSchemes[name] = true
			}
		}
		body, _ := op["requestBody"].(map[string]any)
		walk(body, func(obj map[string]any) {
			assert.False(t, obj["anyOf"] != nil || obj["oneOf"] != nil, "%s: a union request body is hoisted into a component", id)
		})
	}
	assert.ElementsMatch(t, slices.Collect(maps.Keys(usedSchemes)), keysOf(components["securitySchemes"]),
		"the security schemes the operations name, and no others")

	again, err := Trim(out, ops)
	require.NoError(t, err)
	first, err := encode(out)
	require.NoError(t, err)
	second, err := encode(again)
	require.NoError(t, err)
	assert.Equal(t, string(first), string(second), "trimming is idempotent")

	checkResponseProperties(t, out)
	checkGenerates(t, first)
	return out
}

// checkResponseProperties: every property of a schema only successful
// responses reach is marked to be sent, and no request schema is.
func checkResponseProperties(t *testing.T, out Spec) {
	t.Helper()
	components, _ := out["components"].(map[string]any)
	var responses, requests []any
	for _, op := range operations(out) {
		requests = append(requests, op["requestBody"], op["parameters"])
		for status, resp := range op["responses"].(map[string]any) {
			if strings.HasPrefix(status, "2") {
				responses = append(responses, resp)
			}
		}
	}
	fromResponses, err := refClosure(responses, components)
	require.NoError(t, err)
	fromRequests, err := refClosure(requests, components)
	require.NoError(t, err)
	for name, schema := range schemasOf(out) {
		responseOnly := fromResponses["schemas"][name] && !fromRequests["schemas"][name]
		walk(schema, func(obj map[string]any) {
			props, _ := obj["properties"].(map[string]any)
			for prop, p := range props {
				_, marked := p.(map[string]any)["x-omitempty"]
				assert.Equal(t, responseOnly, marked, "%s.%s: x-omitempty set exactly on response-only schemas", name, prop)
			}
		})
	}
}

// checkGenerates runs oapi-codegen, with the module's configuration, on
// the trimmed spec, and parses the Go it emits.
func checkGenerates(t *testing.T, spec []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "openapi.json")
	require.NoError(t, os.WriteFile(path, spec, 0o644))
	raw, err := os.ReadFile(generatorConfig)
	require.NoError(t, err)
	var cfg struct {
		codegen.Configuration `yaml:",inline"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &cfg))
	doc, err := util.LoadSwagger(path)
	require.NoError(t, err, "the generator loads the trimmed spec")
	code, err := codegen.Generate(doc, cfg.Configuration)
	require.NoError(t, err, "the generator accepts the trimmed spec")
	_, err = parser.ParseFile(token.NewFileSet(), "gen.go", code, parser.SkipObjectResolution)
	require.NoError(t, err, "the generated code parses")
}
