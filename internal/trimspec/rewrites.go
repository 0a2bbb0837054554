package main

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"
)

// The rewrites below are the only changes made to what is kept from the
// upstream spec. Each exists because oapi-codegen v2.8.2 would otherwise emit
// Go code that is wrong on the wire or loses data; none changes what the API
// accepts or returns.

// hoistRequestBodyUnions is the rewrite "hoist-request-body-union".
//
// oapi-codegen v2.8.2 emits an inline anyOf/oneOf request body as a defined
// type (type XJSONBody Union) over the union struct. A defined type does not
// inherit the union's MarshalJSON, so json.Marshal sees only the unexported
// union field and the body goes out as "{}" (oapi-codegen issue #2498). Moved
// into a named component schema, the union is referenced through a type
// alias, which keeps MarshalJSON. The new schema is named after the inline
// schema's title ("Customer Session Create" becomes CustomerSessionCreate).
func hoistRequestBodyUnions(paths map[string]any, components map[string]any) error {
	schemas, _ := components["schemas"].(map[string]any)
	for _, path := range sortedKeys(paths) {
		item := paths[path].(map[string]any)
		for _, method := range httpMethods {
			op, ok := item[method].(map[string]any)
			if !ok {
				continue
			}
			body, _ := op["requestBody"].(map[string]any)
			content, _ := body["content"].(map[string]any)
			for _, mediaType := range sortedKeys(content) {
				media, _ := content[mediaType].(map[string]any)
				schema, _ := media["schema"].(map[string]any)
				if schema == nil || (schema["anyOf"] == nil && schema["oneOf"] == nil) {
					continue
				}
				title, _ := schema["title"].(string)
				name := schemaName(title)
				if name == "" {
					return fmt.Errorf("%s %s: inline union request body has no title to name it by", method, path)
				}
				if existing, ok := schemas[name]; ok && !reflect.DeepEqual(existing, schema) {
					return fmt.Errorf("%s %s: cannot hoist request body: schema %q already exists", method, path, name)
				}
				if schemas == nil {
					schemas = map[string]any{}
					components["schemas"] = schemas
				}
				schemas[name] = schema
				media["schema"] = map[string]any{"$ref": "#/components/schemas/" + name}
			}
		}
	}
	return nil
}

// schemaName turns a human title into a component name: "Customer Session
// Create" becomes "CustomerSessionCreate".
func schemaName(title string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(title, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		b.WriteString(strings.ToUpper(word[:1]) + word[1:])
	}
	return b.String()
}

// applySchemaRewrites applies the schema-level rewrites to every schema
// object in spec.
func applySchemaRewrites(spec Spec) error {
	components, _ := spec["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	var err error
	walk(spec, func(obj map[string]any) {
		stringTupleItems(obj, schemas)
		numberAsDouble(obj)
		if e := secretStrings(obj); e != nil && err == nil {
			err = e
		}
	})
	return err
}

// secretProperties are the properties that hold a secret: the session
// token, and the portal URL, which carries it.
var secretProperties = []string{"token", "customer_portal_url"}

// secretType is the Go type of a secret property, and its package.
const (
	secretType       = "rules.Secret"
	secretTypeImport = "github.com/polarsessions/polarsessions-go/rules"
)

// secretStrings is the rewrite "secret-string".
//
// oapi-codegen v2.8.2 emits a string property as a Go string, which fmt
// and slog print as it is: %+v of a session model showed its token. The
// properties named by secretProperties get x-go-type rules.Secret (with
// its x-go-type-import), a string type whose fmt and slog forms are
// redacted and whose JSON is the value, so the wire is unchanged. A secret
// property that is not a plain string is an error: which Go type it should
// have is a maintainer's decision (a nullable one would need a pointer).
func secretStrings(obj map[string]any) error {
	props, _ := obj["properties"].(map[string]any)
	for _, name := range secretProperties {
		p, ok := props[name].(map[string]any)
		if !ok {
			continue
		}
		if p["type"] != "string" || p["format"] != nil || p["$ref"] != nil || p["anyOf"] != nil || p["oneOf"] != nil {
			return fmt.Errorf("property %s: a secret, but not a plain string: give rewrite secret-string a Go type for it", name)
		}
		p["x-go-type"] = secretType
		p["x-go-type-import"] = map[string]any{"path": secretTypeImport}
	}
	return nil
}

// stringTupleItems is the rewrite "string-tuple-items".
//
// oapi-codegen v2.8.2 ignores JSON Schema 2020-12 prefixItems and emits a
// tuple as []interface{}. Polar's tax_id is the tuple [string, TaxIDFormat],
// both strings. Adding items: {type: string} beside prefixItems makes the
// generator emit []string. In 2020-12, items only constrains elements after
// the prefix, and the tuple's maxItems equals the prefix length, so the added
// keyword accepts and rejects exactly what the upstream schema does.
// prefixItems stays, so TaxIDFormat remains documented and generated.
func stringTupleItems(obj map[string]any, schemas map[string]any) {
	prefix, ok := obj["prefixItems"].([]any)
	if !ok || obj["items"] != nil || len(prefix) == 0 {
		return
	}
	for _, p := range prefix {
		if !isStringSchema(p, schemas) {
			return
		}
	}
	obj["items"] = map[string]any{"type": "string"}
}

// isStringSchema reports whether s is {type: string}, directly or through a
// chain of component $refs.
func isStringSchema(s any, schemas map[string]any) bool {
	for range 16 { // bounds a cyclic $ref chain
		m, _ := s.(map[string]any)
		ref, ok := m["$ref"].(string)
		if !ok {
			return m["type"] == "string"
		}
		kind, name, err := splitRef(ref)
		if err != nil || kind != "schemas" {
			return false
		}
		s = schemas[name]
	}
	return false
}

// numberAsDouble is the rewrite "number-as-double".
//
// oapi-codegen v2.8.2 maps {type: number} without a format to float32, which
// silently rounds values such as metadata 3.14159265 (JSON numbers are
// doubles; Polar's server is Python). format: double makes it float64.
func numberAsDouble(obj map[string]any) {
	if obj["type"] == "number" && obj["format"] == nil {
		obj["format"] = "double"
	}
}

// sendEveryResponseProperty is the rewrite "send-every-response-property".
//
// Polar's responses carry every property of their schema, an optional one
// as null (its models serialize unset fields as null), but oapi-codegen
// tags optional properties omitempty, so a generated model marshalled back
// to JSON (by polartest, or by a user handing a session on) drops them.
// x-omitempty: false on each property of a schema that only successful
// responses reach makes the generated models write what Polar writes.
// Decoding is unchanged, and so is every request body: a schema a request
// reaches keeps omitempty, so unset request fields are not sent.
func sendEveryResponseProperty(spec Spec) error {
	paths, _ := spec["paths"].(map[string]any)
	components, _ := spec["components"].(map[string]any)
	var responses, requests []any
	for _, item := range paths {
		for _, method := range httpMethods {
			op, ok := item.(map[string]any)[method].(map[string]any)
			if !ok {
				continue
			}
			requests = append(requests, op["requestBody"], op["parameters"])
			statuses, _ := op["responses"].(map[string]any)
			for status, resp := range statuses {
				if strings.HasPrefix(status, "2") {
					responses = append(responses, resp)
				}
			}
		}
	}
	fromResponses, err := refClosure(responses, components)
	if err != nil {
		return err
	}
	fromRequests, err := refClosure(requests, components)
	if err != nil {
		return err
	}
	schemas, _ := components["schemas"].(map[string]any)
	for name := range fromResponses["schemas"] {
		if fromRequests["schemas"][name] {
			continue
		}
		walk(schemas[name], func(obj map[string]any) {
			props, _ := obj["properties"].(map[string]any)
			for _, p := range props {
				if p, ok := p.(map[string]any); ok {
					p["x-omitempty"] = false
				}
			}
		})
	}
	return nil
}
