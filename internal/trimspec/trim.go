package main

import (
	"fmt"
	"slices"
	"strings"
)

// Spec is an OpenAPI document as generic JSON, decoded with json.Decoder.UseNumber
// so that numbers survive a round trip unchanged.
type Spec = map[string]any

// httpMethods are the operation keys of a path item; the other keys
// (parameters, summary, servers, …) apply to every operation under the path.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Trim returns a new spec holding only the operations named by opIDs, the
// component entries they reach through $ref (transitively), the security
// schemes they use, and the upstream's openapi, info and servers. Webhooks,
// tags and every unreachable component are dropped. The rewrites in
// rewrites.go are applied to what is kept. The upstream spec is not modified.
func Trim(upstream Spec, opIDs []string) (Spec, error) {
	upstream = deepCopy(upstream).(Spec)
	components, _ := upstream["components"].(map[string]any)

	paths, err := selectOperations(upstream, opIDs)
	if err != nil {
		return nil, err
	}
	carrySecurity(paths, upstream["security"])
	if err := hoistRequestBodyUnions(paths, components); err != nil {
		return nil, err
	}

	kept, err := refClosure(paths, components)
	if err != nil {
		return nil, err
	}
	out := Spec{"paths": paths}
	for _, key := range []string{"openapi", "info", "servers"} {
		if v, ok := upstream[key]; ok {
			out[key] = v
		}
	}
	outComponents := map[string]any{}
	for kind, names := range kept {
		section := map[string]any{}
		for name := range names {
			section[name] = components[kind].(map[string]any)[name]
		}
		outComponents[kind] = section
	}
	schemes, err := usedSecuritySchemes(paths, components)
	if err != nil {
		return nil, err
	}
	if len(schemes) > 0 {
		outComponents["securitySchemes"] = schemes
	}
	if len(outComponents) > 0 {
		out["components"] = outComponents
	}
	if err := applySchemaRewrites(out); err != nil {
		return nil, err
	}
	if err := sendEveryResponseProperty(out); err != nil {
		return nil, err
	}
	return out, nil
}

// carrySecurity gives each kept operation without a security section of its
// own the document's top-level one, so the trimmed spec says per operation
// which credentials it takes (Polar's specs before 2026-07 set security only
// at the top). An operation's own section wins, and an explicit empty one,
// security: [], keeps the operation public, as OpenAPI defines.
func carrySecurity(paths map[string]any, top any) {
	if top == nil {
		return
	}
	for _, item := range paths {
		for _, method := range httpMethods {
			op, ok := item.(map[string]any)[method].(map[string]any)
			if !ok {
				continue
			}
			if _, own := op["security"]; !own {
				op["security"] = deepCopy(top)
			}
		}
	}
}

// selectOperations returns a paths object with only the operations whose
// operationId is in opIDs. Every id must be found exactly once.
func selectOperations(upstream Spec, opIDs []string) (map[string]any, error) {
	upPaths, _ := upstream["paths"].(map[string]any)
	found := map[string]string{}
	paths := map[string]any{}
	for _, path := range sortedKeys(upPaths) {
		item, _ := upPaths[path].(map[string]any)
		newItem := map[string]any{}
		for _, method := range httpMethods {
			op, ok := item[method].(map[string]any)
			if !ok {
				continue
			}
			id, _ := op["operationId"].(string)
			if !slices.Contains(opIDs, id) {
				continue
			}
			if prev, dup := found[id]; dup {
				return nil, fmt.Errorf("operationId %q appears twice (%s and %s %s)", id, prev, method, path)
			}
			found[id] = method + " " + path
			newItem[method] = op
		}
		if len(newItem) == 0 {
			continue
		}
		for key, v := range item {
			if !slices.Contains(httpMethods, key) {
				newItem[key] = v
			}
		}
		paths[path] = newItem
	}
	var missing []string
	for _, id := range opIDs {
		if _, ok := found[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("operations not found in upstream spec: %s", strings.Join(missing, ", "))
	}
	return paths, nil
}

// refClosure follows every local $ref (and discriminator mapping, which names
// schemas without $ref) from root, transitively, and returns the component
// names reached, grouped by component kind ("schemas", "parameters", …).
func refClosure(root any, components map[string]any) (map[string]map[string]bool, error) {
	kept := map[string]map[string]bool{}
	var queue []any
	queue = append(queue, root)
	visit := func(ref string) error {
		kind, name, err := splitRef(ref)
		if err != nil {
			return err
		}
		section, _ := components[kind].(map[string]any)
		target, ok := section[name]
		if !ok {
			return fmt.Errorf("unresolved $ref %q", ref)
		}
		if kept[kind] == nil {
			kept[kind] = map[string]bool{}
		}
		if !kept[kind][name] {
			kept[kind][name] = true
			queue = append(queue, target)
		}
		return nil
	}
	for len(queue) > 0 {
		node := queue[0]
		queue = queue[1:]
		var err error
		walk(node, func(obj map[string]any) {
			if err != nil {
				return
			}
			if ref, ok := obj["$ref"].(string); ok {
				err = visit(ref)
			}
			if disc, ok := obj["discriminator"].(map[string]any); ok {
				mapping, _ := disc["mapping"].(map[string]any)
				for _, k := range sortedKeys(mapping) {
					if ref, ok := mapping[k].(string); ok && err == nil {
						err = visit(ref)
					}
				}
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return kept, nil
}

// splitRef parses a local component reference "#/components/<kind>/<name>".
func splitRef(ref string) (kind, name string, err error) {
	rest, ok := strings.CutPrefix(ref, "#/components/")
	if !ok {
		return "", "", fmt.Errorf("unsupported $ref %q: only local component references are followed", ref)
	}
	kind, name, ok = strings.Cut(rest, "/")
	if !ok || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("malformed $ref %q", ref)
	}
	return kind, name, nil
}

// usedSecuritySchemes returns the security schemes named in the kept
// operations' security requirements.
func usedSecuritySchemes(paths map[string]any, components map[string]any) (map[string]any, error) {
	all, _ := components["securitySchemes"].(map[string]any)
	used := map[string]any{}
	for _, item := range paths {
		for _, method := range httpMethods {
			op, ok := item.(map[string]any)[method].(map[string]any)
			if !ok {
				continue
			}
			reqs, _ := op["security"].([]any)
			for _, req := range reqs {
				for name := range req.(map[string]any) {
					scheme, ok := all[name]
					if !ok {
						return nil, fmt.Errorf("%s %s: unknown security scheme %q", method, op["operationId"], name)
					}
					used[name] = scheme
				}
			}
		}
	}
	return used, nil
}

// walk calls fn on every JSON object in node, depth first, in a stable order.
func walk(node any, fn func(map[string]any)) {
	switch n := node.(type) {
	case map[string]any:
		fn(n)
		for _, k := range sortedKeys(n) {
			walk(n[k], fn)
		}
	case []any:
		for _, v := range n {
			walk(v, fn)
		}
	}
}

func deepCopy(node any) any {
	switch n := node.(type) {
	case map[string]any:
		c := make(map[string]any, len(n))
		for k, v := range n {
			c[k] = deepCopy(v)
		}
		return c
	case []any:
		c := make([]any, len(n))
		for i, v := range n {
			c[i] = deepCopy(v)
		}
		return c
	default:
		return n
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
