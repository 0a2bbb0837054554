package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Summarize describes what changed between two trimmed specs, a line per
// change: the version, each operation's statuses, and per schema its
// properties, required properties, enum values and union variants. An
// empty result means nothing a user would notice changed (descriptions and
// examples are not compared).
func Summarize(old, new Spec) []string {
	var lines []string
	add := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }

	if ov, nv := str(old, "info", "version"), str(new, "info", "version"); ov != nv {
		add("version: %s → %s (the client's default Polar-Version, and polartest's, follow after go generate)", ov, nv)
	}
	oldOps, newOps := operations(old), operations(new)
	for _, id := range unionKeys(oldOps, newOps) {
		o, n := oldOps[id], newOps[id]
		switch {
		case o == nil:
			add("operation %s: added", id)
		case n == nil:
			add("operation %s: removed", id)
		default:
			diffKeys(add, "operation "+id+": status", keysOf(o["responses"]), keysOf(n["responses"]))
		}
	}
	oldSchemas, newSchemas := schemasOf(old), schemasOf(new)
	for _, name := range unionKeys(oldSchemas, newSchemas) {
		o, n := oldSchemas[name], newSchemas[name]
		switch {
		case o == nil:
			add("schema %s: added", name)
			continue
		case n == nil:
			add("schema %s: removed (a hand edit is needed where the client or polartest names it)", name)
			continue
		}
		what := "schema " + name + ": "
		diffKeys(add, what+"property", keysOf(o["properties"]), keysOf(n["properties"]))
		diffKeys(add, what+"required property", stringsOf(o["required"]), stringsOf(n["required"]))
		diffKeys(add, what+"enum value", stringsOf(o["enum"]), stringsOf(n["enum"]))
		for _, union := range []string{"anyOf", "oneOf"} {
			diffKeys(add, what+union+" variant", variants(o[union]), variants(n[union]))
		}
	}
	return lines
}

// diffKeys reports the keys added to and removed from old in new.
func diffKeys(add func(string, ...any), what string, old, new []string) {
	for _, k := range new {
		if !slices.Contains(old, k) {
			add("%s added: %s", what, k)
		}
	}
	for _, k := range old {
		if !slices.Contains(new, k) {
			add("%s removed: %s", what, k)
		}
	}
}

// Unexposed lists the request-body properties of spec that the facade does
// not set, as "Type.property (set in file)": a property is exposed when a
// composite literal gen.Type{Field: …} in the facade's non-test files
// names its Go field, read from the generated code in genFile. A property
// the generated code does not have yet (the spec just gained it) is
// unexposed by definition. The facade's files are found in facadeDir.
func Unexposed(spec Spec, genFile, facadeDir string) ([]string, error) {
	fields, err := structFields(genFile)
	if err != nil {
		return nil, err
	}
	used, where, err := compositeKeys(facadeDir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, name := range requestSchemas(spec) {
		props := keysOf(schemasOf(spec)[name]["properties"])
		for _, prop := range props {
			goName, generated := fields[name][prop]
			if generated && used[name][goName] {
				continue
			}
			hint := "the client does not build " + name + " bodies"
			if file, ok := where[name]; ok {
				hint = "expose it in " + file + ", where gen." + name + " is built"
			}
			out = append(out, fmt.Sprintf("%s.%s (%s)", name, prop, hint))
		}
	}
	return out, nil
}

// structFields maps each struct type in a generated Go file to its fields,
// JSON name to Go name.
func structFields(path string) (map[string]map[string]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok {
			return true
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			return false
		}
		fields := map[string]string{}
		for _, field := range st.Fields.List {
			if field.Tag == nil || len(field.Names) != 1 {
				continue
			}
			tag, _ := strconv.Unquote(field.Tag.Value)
			jsonName, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
			fields[jsonName] = field.Names[0].Name
		}
		out[ts.Name.Name] = fields
		return false
	})
	return out, nil
}

// compositeKeys finds the composite literals gen.T{K: …} in the non-test Go
// files of dir: the keys used per T, and a file that builds each T.
func compositeKeys(dir string) (map[string]map[string]bool, map[string]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, nil, err
	}
	used, where := map[string]map[string]bool{}, map[string]string{}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			sel, ok := lit.Type.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "gen" {
				return true
			}
			typ := sel.Sel.Name
			if where[typ] == "" {
				where[typ] = filepath.ToSlash(path)
			}
			for _, elt := range lit.Elts {
				if kv, ok := elt.(*ast.KeyValueExpr); ok {
					if key, ok := kv.Key.(*ast.Ident); ok {
						if used[typ] == nil {
							used[typ] = map[string]bool{}
						}
						used[typ][key.Name] = true
					}
				}
			}
			return true
		})
	}
	return used, where, nil
}

// requestSchemas are the object schemas that request bodies reach, sorted.
func requestSchemas(spec Spec) []string {
	components, _ := spec["components"].(map[string]any)
	var bodies []any
	for _, op := range operations(spec) {
		bodies = append(bodies, op["requestBody"])
	}
	kept, err := refClosure(bodies, components)
	if err != nil {
		return nil
	}
	var out []string
	for name := range kept["schemas"] {
		if schemasOf(spec)[name]["properties"] != nil {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// operations maps operationId to operation.
func operations(spec Spec) map[string]map[string]any {
	out := map[string]map[string]any{}
	paths, _ := spec["paths"].(map[string]any)
	for _, item := range paths {
		item, _ := item.(map[string]any)
		for _, method := range httpMethods {
			if op, ok := item[method].(map[string]any); ok {
				id, _ := op["operationId"].(string)
				out[id] = op
			}
		}
	}
	return out
}

func schemasOf(spec Spec) map[string]map[string]any {
	components, _ := spec["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	out := map[string]map[string]any{}
	for name, s := range schemas {
		out[name], _ = s.(map[string]any)
	}
	return out
}

// variants names a union's members: their $ref's schema, else their type.
func variants(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, m := range list {
		m, _ := m.(map[string]any)
		if ref, ok := m["$ref"].(string); ok {
			out = append(out, ref[strings.LastIndexByte(ref, '/')+1:])
		} else {
			out = append(out, fmt.Sprint(m["type"]))
		}
	}
	return out
}

func str(m map[string]any, keys ...string) string {
	var v any = m
	for _, k := range keys {
		obj, _ := v.(map[string]any)
		v = obj[k]
	}
	s, _ := v.(string)
	return s
}

func keysOf(v any) []string {
	m, _ := v.(map[string]any)
	return sortedKeys(m)
}

func stringsOf(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// report prints the summary of replacing the spec at path (if it exists)
// by trimmed, and the request fields the facade leaves out.
func report(w io.Writer, path string, trimmed Spec, genFile, facadeDir string) error {
	// A missing or empty file (what mktemp makes) has no previous spec.
	if raw, err := os.ReadFile(path); err == nil && len(raw) > 0 {
		old, err := decode(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		lines := Summarize(old, trimmed)
		if len(lines) == 0 {
			fmt.Fprintf(w, "trimspec: %s: no change to versions, statuses, fields, enums or variants\n", path)
		} else {
			fmt.Fprintf(w, "trimspec: %s: what changed (run go generate ./... next):\n", path)
		}
		for _, l := range lines {
			fmt.Fprintln(w, "  "+l)
		}
	}
	if _, err := os.Stat(facadeDir); err != nil {
		return nil // no facade to compare with (a trim outside the module)
	}
	unexposed, err := Unexposed(trimmed, genFile, facadeDir)
	if err != nil {
		return err
	}
	if len(unexposed) > 0 {
		fmt.Fprintln(w, "trimspec: request fields the client does not expose yet (exposing one is a deliberate edit):")
		for _, u := range unexposed {
			fmt.Fprintln(w, "  "+u)
		}
	}
	return nil
}
