package polarsessions

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seeName finds "see X" in a doc comment, X a Go identifier.
var seeName = regexp.MustCompile(`\bsee ([A-Za-z_][A-Za-z0-9_]*)\b`)

// The godoc of an exported name never sends the reader to an unexported
// one, which go doc and pkg.go.dev do not show.
func TestGodocNamesNoUnexportedIdentifier(t *testing.T) {
	for _, dir := range []string{"client", "polartest", "portal", "rules"} {
		fset := token.NewFileSet()
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		var files []*ast.File
		unexported := map[string]bool{}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.ParseComments)
			require.NoError(t, err)
			files = append(files, f)
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					unexported[d.Name.Name] = !ast.IsExported(d.Name.Name)
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						switch spec := spec.(type) {
						case *ast.TypeSpec:
							unexported[spec.Name.Name] = !ast.IsExported(spec.Name.Name)
						case *ast.ValueSpec:
							for _, n := range spec.Names {
								unexported[n.Name] = !ast.IsExported(n.Name)
							}
						}
					}
				}
			}
		}
		p, err := doc.NewFromFiles(fset, files, "github.com/polarsessions/polarsessions-go/"+dir)
		require.NoError(t, err)
		check := func(name, text string) {
			for _, m := range seeName.FindAllStringSubmatch(text, -1) {
				assert.False(t, unexported[m[1]], "%s.%s: its godoc says %q, an unexported name", dir, name, m[0])
			}
		}
		check("package", p.Doc)
		for _, f := range p.Funcs {
			check(f.Name, f.Doc)
		}
		for _, ty := range p.Types {
			check(ty.Name, ty.Doc)
			for _, f := range append(ty.Funcs, ty.Methods...) {
				check(ty.Name+"."+f.Name, f.Doc)
			}
		}
	}
}
