// Package spectest holds JSON bodies to the spec in openapi/, the one gen/
// is generated from, so that tests check what polartest serves and what the
// CLI prints against the spec (every required property present, every type
// right, nothing undeclared) instead of a copied list of keys: when the spec
// changes, the tests follow it.
package spectest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/getkin/kin-openapi/openapi3"
)

// Spec is the module's spec, loaded for checking bodies.
type Spec struct{ doc *openapi3.T }

// Load reads openapi/openapi.json from the module root, found from the
// working directory up.
func Load() (*Spec, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, fmt.Errorf("spectest: no go.mod above the working directory")
		}
		dir = parent
	}
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join(dir, "openapi", "openapi.json"))
	if err != nil {
		return nil, err
	}
	for _, s := range doc.Components.Schemas {
		closeObjects(s.Value, map[*openapi3.Schema]bool{})
	}
	return &Spec{doc: doc}, nil
}

// closeObjects makes every object schema with declared properties refuse
// others, so an undeclared property fails the check. It also lets a schema
// without any type take null, as OpenAPI 3.1 reads it (kin-openapi reads
// it as 3.0 would).
func closeObjects(s *openapi3.Schema, seen map[*openapi3.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if s.Type == nil && len(s.AnyOf)+len(s.OneOf)+len(s.AllOf) == 0 {
		s.Nullable = true
	}
	if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
		no := false
		s.AdditionalProperties.Has = &no
	}
	for _, p := range s.Properties {
		closeObjects(p.Value, seen)
	}
	for _, list := range [][]*openapi3.SchemaRef{s.AnyOf, s.OneOf, s.AllOf} {
		for _, m := range list {
			closeObjects(m.Value, seen)
		}
	}
	if s.Items != nil {
		closeObjects(s.Items.Value, seen)
	}
}

// CheckResponse checks body against the schema the spec gives the JSON
// response of method path with status.
func (s *Spec) CheckResponse(method, path string, status int, body []byte) error {
	item := s.doc.Paths.Value(path)
	if item == nil {
		return fmt.Errorf("spectest: the spec has no path %s", path)
	}
	op := item.GetOperation(method)
	if op == nil {
		return fmt.Errorf("spectest: the spec has no %s %s", method, path)
	}
	resp := op.Responses.Status(status)
	if resp == nil || resp.Value == nil {
		return fmt.Errorf("spectest: %s %s has no %d response in the spec", method, path, status)
	}
	media := resp.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		return fmt.Errorf("spectest: %s %s %d has no JSON schema", method, path, status)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("spectest: body is not JSON: %w", err)
	}
	return media.Schema.Value.VisitJSON(v, openapi3.MultiErrors())
}
