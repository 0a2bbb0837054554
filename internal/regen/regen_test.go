// Package regen tests the module's promise to its maintainers: when Polar's
// spec changes, `make spec UPSTREAM=<spec>` and `go generate ./...` give a
// client that builds, vets and passes its tests, with no hand edit. It
// applies changes modelled on those Polar made in 2026 to a copy of the
// upstream spec, regenerates a copy of the module, and builds and tests it
// there, without ../shared, as a fresh clone would be.
//
// It is slow (a build and test run per scenario), so `go test ./...` skips
// it; `make regen-check` (run by CI) sets POLARSESSIONS_REGEN=1. With
// POLARSESSIONS_REGEN=each it also runs every change alone.
package regen

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// change is one edit of an upstream spec, and what `make spec` must say
// about it.
type change struct {
	name string
	edit func(t *testing.T, spec map[string]any)
	says []string
}

// newVersion is a version past those Polar serves today: polartest must
// serve it because the spec says it, not because its list names it.
const newVersion = "2099-04"

var changes = []change{
	{"a new required response field", func(t *testing.T, spec map[string]any) {
		for _, name := range []string{"CustomerIndividual", "CustomerTeam"} {
			addProperty(t, schema(t, spec, name), "loyalty_tier", nullable(map[string]any{"type": "string"}), true)
			// An optional field becoming required, as billing_name did.
			s := schema(t, spec, name)
			s["required"] = append(s["required"].([]any), "locale")
		}
	}, []string{"schema CustomerIndividual: property added: loyalty_tier", "schema CustomerTeam: required property added: locale"}},
	{"a new required introspection field", func(t *testing.T, spec map[string]any) {
		addProperty(t, schema(t, spec, "CustomerCustomerSession"), "member_id",
			nullable(map[string]any{"type": "string", "format": "uuid4"}), true)
	}, []string{"schema CustomerCustomerSession: required property added: member_id"}},
	{"a new status", func(t *testing.T, spec map[string]any) {
		schemas := spec["components"].(map[string]any)["schemas"].(map[string]any)
		schemas["CustomerSessionConflict"] = map[string]any{"type": "object", "title": "CustomerSessionConflict",
			"properties": map[string]any{"error": map[string]any{"type": "string"}, "detail": map[string]any{"type": "string"}},
			"required":   []any{"error", "detail"}}
		create := operation(t, spec, "customer-sessions:create")
		create["responses"].(map[string]any)["409"] = map[string]any{"description": "Conflict",
			"content": map[string]any{"application/json": map[string]any{"schema": ref("CustomerSessionConflict")}}}
	}, []string{"operation customer-sessions:create: status added: 409"}},
	{"a new create variant", func(t *testing.T, spec map[string]any) {
		schemas := spec["components"].(map[string]any)["schemas"].(map[string]any)
		schemas["CustomerSessionMemberIDCreate"] = map[string]any{"type": "object", "title": "CustomerSessionMemberIDCreate",
			"properties": map[string]any{"member_id": map[string]any{"type": "string", "format": "uuid4"}},
			"required":   []any{"member_id"}}
		union := createUnion(t, spec)
		union["anyOf"] = append(union["anyOf"].([]any), ref("CustomerSessionMemberIDCreate"))
	}, []string{"schema CustomerSessionCreate: anyOf variant added: CustomerSessionMemberIDCreate"}},
	{"a new enum value", func(t *testing.T, spec map[string]any) {
		// As mu_tan joined in 2026; gh_tin is made up.
		s := schema(t, spec, "TaxIDFormat")
		require.NotContains(t, s["enum"], "gh_tin")
		s["enum"] = append(s["enum"].([]any), "gh_tin")
	}, []string{"schema TaxIDFormat: enum value added: gh_tin"}},
	{"a new optional request field", func(t *testing.T, spec map[string]any) {
		for _, name := range []string{"CustomerSessionCustomerIDCreate", "CustomerSessionCustomerExternalIDCreate"} {
			addProperty(t, schema(t, spec, name), "locale", nullable(map[string]any{"type": "string"}), false)
		}
	}, []string{"CustomerSessionCustomerIDCreate.locale (expose it in client/"}},
	{"a version bump", func(t *testing.T, spec map[string]any) {
		spec["info"].(map[string]any)["version"] = newVersion
	}, []string{"version: ", " → " + newVersion}},
}

func TestRegeneration(t *testing.T) {
	mode := os.Getenv("POLARSESSIONS_REGEN")
	if mode == "" {
		t.Skip("slow: run by make regen-check (POLARSESSIONS_REGEN=1, or =each to try every change alone)")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	t.Run("all changes at once", func(t *testing.T) { regenerate(t, root, generatedFrom, changes) })
	t.Run("pinned to 2026-04", func(t *testing.T) { regenerate(t, root, pinnedTo, nil) })
	if mode == "each" {
		for _, c := range changes {
			t.Run(c.name, func(t *testing.T) { regenerate(t, root, generatedFrom, []change{c}) })
		}
	}
}

// Polar's published specs in ../shared/reference: the one the module is
// generated from, and the one a user pinned to 2026-04 regenerates from.
const (
	generatedFrom = "polar-openapi-2026-10.json"
	pinnedTo      = "polar-openapi.json"
)

// regenerate applies cs to the upstream spec named (see upstreamSpec) in a
// copy of the module at root, runs make spec's trim and go generate there,
// and builds, vets and tests the copy.
func regenerate(t *testing.T, root, name string, cs []change) {
	dir := filepath.Join(t.TempDir(), "polarsessions-go")
	copyModule(t, root, dir)

	upstream := upstreamSpec(t, root, name)
	version := upstream["info"].(map[string]any)["version"].(string)
	for _, c := range cs {
		c.edit(t, upstream)
	}
	raw, err := json.Marshal(upstream)
	require.NoError(t, err)
	in := filepath.Join(filepath.Dir(dir), "upstream.json")
	require.NoError(t, os.WriteFile(in, raw, 0o644))

	summary := run(t, dir, "go", "run", "./internal/trimspec", "-in", in, "-out", "openapi/openapi.json")
	for _, c := range cs {
		for _, want := range c.says {
			require.Contains(t, summary, want, "make spec's summary of %q", c.name)
		}
	}
	run(t, dir, "go", "generate", "./...")
	for _, c := range cs {
		if strings.Contains(c.name, "version") {
			version = newVersion
		}
	}
	// What the copy's own tests cannot know: the version they were
	// regenerated for. Its client must send it and polartest serve it.
	test := strings.ReplaceAll(versionTest, "VERSION", version)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "polartest", "regen_version_test.go"), []byte(test), 0o644))
	run(t, dir, "go", "build", "./...")
	run(t, dir, "go", "vet", "./...")
	run(t, dir, "go", "test", "-count=1", "./...")
}

// versionTest goes into the regenerated copy, VERSION replaced by the
// version of the spec it was regenerated from.
const versionTest = `package polartest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestRegeneratedVersion(t *testing.T) {
	srv := polartest.NewServer()
	defer srv.Close()
	cust := srv.AddCustomer(polartest.Customer{})
	var echoed string
	c, err := client.New(client.WithServerURL(srv.URL()), client.WithAccessToken(srv.AccessToken()),
		client.WithMiddleware(func(r *http.Request, next client.MiddlewareNext) (*http.Response, error) {
			resp, err := next(r)
			if err == nil {
				echoed = resp.Header.Get("Polar-Version")
			}
			return resp, err
		}))
	require.NoError(t, err)
	_, err = c.CustomerSessions.Create(context.Background(), client.CreateCustomerSessionRequest{CustomerID: cust.ID})
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	require.Equal(t, "VERSION", reqs[0].Header.Get("Polar-Version"), "the client sends the spec's version")
	require.Equal(t, "VERSION", echoed, "polartest serves it")
}
`

// run runs a command in dir, a module with no workspace and no ../shared
// beside it, and returns its combined output.
func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "POLARSESSIONS_REGEN=") // the copy does not regenerate itself
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	require.NoError(t, err, "%s %s:\n%s", name, strings.Join(args, " "), out.String())
	return out.String()
}

// upstreamSpec is Polar's published spec of that name when ../shared holds
// it, else the committed trimmed spec, which is itself a valid upstream
// (with the version of the spec named, so a pinned copy is still pinned).
func upstreamSpec(t *testing.T, root, name string) map[string]any {
	path := filepath.Join(root, "..", "shared", "reference", name)
	fallback := false
	if _, err := os.Stat(path); err != nil {
		path, fallback = filepath.Join(root, "openapi", "openapi.json"), true
	}
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var spec map[string]any
	require.NoError(t, json.Unmarshal(raw, &spec))
	if fallback && name == pinnedTo {
		spec["info"].(map[string]any)["version"] = "2026-04"
	}
	return spec
}

// copyModule copies the module's files (not .git, bin or build outputs).
func copyModule(t *testing.T, from, to string) {
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			if d.Name() == ".git" || rel == "bin" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if !d.Type().IsRegular() || strings.HasSuffix(path, ".test") || rel == "polar-sessions" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	require.NoError(t, err)
}

func schema(t *testing.T, spec map[string]any, name string) map[string]any {
	t.Helper()
	s, ok := spec["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
	require.True(t, ok, "the upstream spec has no schema %s: a renamed schema needs this test edited", name)
	return s
}

func operation(t *testing.T, spec map[string]any, id string) map[string]any {
	t.Helper()
	for _, item := range spec["paths"].(map[string]any) {
		for _, op := range item.(map[string]any) {
			if op, ok := op.(map[string]any); ok && op["operationId"] == id {
				return op
			}
		}
	}
	t.Fatalf("the upstream spec has no operation %s", id)
	return nil
}

// createUnion is the create body's union: inline in Polar's spec, hoisted
// into a component in a trimmed one.
func createUnion(t *testing.T, spec map[string]any) map[string]any {
	body := operation(t, spec, "customer-sessions:create")["requestBody"].(map[string]any)
	s := body["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	if r, ok := s["$ref"].(string); ok {
		return schema(t, spec, r[strings.LastIndexByte(r, '/')+1:])
	}
	return s
}

func addProperty(t *testing.T, s map[string]any, name string, p map[string]any, required bool) {
	t.Helper()
	props := s["properties"].(map[string]any)
	require.NotContains(t, props, name)
	props[name] = p
	if required {
		req, _ := s["required"].([]any)
		s["required"] = append(req, name)
	}
}

func nullable(s map[string]any) map[string]any {
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }
