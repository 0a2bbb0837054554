// Package apicheck lists the exported API of a Go package, one declaration
// per line in the style of Go's own api/*.txt files, so a test can compare
// it with a snapshot committed under api/ and an accidental breaking change
// fails `make test` until the snapshot is updated on purpose (`make api`).
package apicheck

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// List returns the exported API of the package in dir (its non-test Go
// files), sorted, one declaration per line, each prefixed with "pkg name, ".
func List(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var lines []string
	pkg := ""
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		file, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		pkg = file.Name.Name
		for _, decl := range file.Decls {
			lines = append(lines, declLines(fset, decl)...)
		}
	}
	if pkg == "" {
		return nil, fmt.Errorf("apicheck: no Go files in %s", dir)
	}
	for i, l := range lines {
		lines[i] = "pkg " + pkg + ", " + l
	}
	slices.Sort(lines)
	return slices.Compact(lines), nil
}

func declLines(fset *token.FileSet, decl ast.Decl) []string {
	switch d := decl.(type) {
	case *ast.FuncDecl:
		if !d.Name.IsExported() {
			return nil
		}
		sig := strings.TrimPrefix(node(fset, d.Type), "func")
		if d.Recv == nil {
			return []string{"func " + d.Name.Name + sig}
		}
		recv := node(fset, d.Recv.List[0].Type)
		if !ast.IsExported(strings.TrimLeft(baseName(recv), "*")) {
			return nil
		}
		return []string{"method (" + recv + ") " + d.Name.Name + sig}
	case *ast.GenDecl:
		var out []string
		for _, spec := range d.Specs {
			switch s := spec.(type) {
			case *ast.TypeSpec:
				out = append(out, typeLines(fset, s)...)
			case *ast.ValueSpec:
				for i, n := range s.Names {
					if !n.IsExported() {
						continue
					}
					l := d.Tok.String() + " " + n.Name
					if s.Type != nil {
						l += " " + node(fset, s.Type)
					}
					if d.Tok == token.CONST && i < len(s.Values) {
						l += " = " + node(fset, s.Values[i])
					}
					out = append(out, l)
				}
			}
		}
		return out
	}
	return nil
}

// typeLines lists a type, and for a struct or interface each exported field
// or method on a line of its own, so a diff names the member that changed.
func typeLines(fset *token.FileSet, s *ast.TypeSpec) []string {
	if !s.Name.IsExported() {
		return nil
	}
	head := "type " + s.Name.Name + typeParams(fset, s)
	if s.Assign.IsValid() {
		return []string{head + " = " + node(fset, s.Type)}
	}
	switch t := s.Type.(type) {
	case *ast.StructType:
		out := []string{head + " struct"}
		for _, f := range t.Fields.List {
			typ := node(fset, f.Type)
			if len(f.Names) == 0 { // embedded
				if ast.IsExported(strings.TrimLeft(baseName(typ), "*")) {
					out = append(out, head+" struct, embedded "+typ)
				}
				continue
			}
			for _, n := range f.Names {
				if n.IsExported() {
					out = append(out, head+" struct, "+n.Name+" "+typ)
				}
			}
		}
		return out
	case *ast.InterfaceType:
		out := []string{head + " interface"}
		for _, m := range t.Methods.List {
			for _, n := range m.Names {
				out = append(out, head+" interface, "+n.Name+strings.TrimPrefix(node(fset, m.Type), "func"))
			}
			if len(m.Names) == 0 {
				out = append(out, head+" interface, embedded "+node(fset, m.Type))
			}
		}
		return out
	}
	return []string{head + " " + node(fset, s.Type)}
}

func typeParams(fset *token.FileSet, s *ast.TypeSpec) string {
	if s.TypeParams == nil {
		return ""
	}
	var params []string
	for _, f := range s.TypeParams.List {
		names := make([]string, len(f.Names))
		for i, n := range f.Names {
			names[i] = n.Name
		}
		params = append(params, strings.Join(names, ", ")+" "+node(fset, f.Type))
	}
	return "[" + strings.Join(params, ", ") + "]"
}

// baseName strips a package qualifier and type arguments: "*gen.X[T]" → "*X".
func baseName(typ string) string {
	if i := strings.IndexByte(typ, '['); i >= 0 {
		typ = typ[:i]
	}
	star := strings.HasPrefix(typ, "*")
	typ = strings.TrimPrefix(typ, "*")
	if i := strings.LastIndexByte(typ, '.'); i >= 0 {
		typ = typ[i+1:]
	}
	if star {
		return "*" + typ
	}
	return typ
}

// node prints an AST node on one line.
func node(fset *token.FileSet, n ast.Node) string {
	var b bytes.Buffer
	_ = printer.Fprint(&b, fset, n) // printing to a buffer does not fail
	return strings.Join(strings.Fields(b.String()), " ")
}

// Exposed lists the lines of genLines (List of the generated package) that
// describe the types the public API reaches: those named "gen.T" in
// publicLines, and, transitively, the types of their fields, methods and
// aliases. Users see these types through aliases and embedding, so a
// change to one is a change of the public API.
func Exposed(publicLines, genLines []string) []string {
	byType := map[string][]string{} // type name → its lines in genLines
	for _, l := range genLines {
		if name := declaredType(l); name != "" {
			byType[name] = append(byType[name], l)
		}
	}
	var queue []string
	for _, l := range publicLines {
		for _, m := range genRef.FindAllStringSubmatch(l, -1) {
			queue = append(queue, m[1])
		}
	}
	seen := map[string]bool{}
	var out []string
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if seen[name] || byType[name] == nil {
			continue
		}
		seen[name] = true
		for _, l := range byType[name] {
			out = append(out, l)
			// Inside gen, its own types are written unqualified.
			queue = append(queue, ident.FindAllString(l[strings.Index(l, name)+len(name):], -1)...)
		}
	}
	slices.Sort(out)
	return out
}

var (
	genRef = regexp.MustCompile(`\bgen\.([A-Z]\w*)`)
	ident  = regexp.MustCompile(`\b[A-Z]\w*`)
)

// declaredType is the type a line of List describes: T in "type T …" and
// "method (T) …" or "method (*T) …"; "" for funcs, consts and vars.
func declaredType(line string) string {
	_, rest, _ := strings.Cut(line, ", ")
	switch {
	case strings.HasPrefix(rest, "type "):
		rest = strings.TrimPrefix(rest, "type ")
	case strings.HasPrefix(rest, "method ("):
		rest = strings.TrimLeft(strings.TrimPrefix(rest, "method ("), "*")
	default:
		return ""
	}
	if i := strings.IndexAny(rest, " )["); i >= 0 {
		rest = rest[:i]
	}
	return rest
}
