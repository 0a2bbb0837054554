package apicheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// packages are the module's public packages whose API is held by a
// snapshot in api/<name>.txt. gen is left out: it follows Polar's spec.
var packages = []string{"client", "polartest", "rules", "portal"}

// TestAPISnapshot fails when a public package's exported API differs from
// its snapshot. After a deliberate change, run `make api` (UPDATE_API=1)
// and commit the new snapshot with the change and a CHANGELOG entry.
func TestAPISnapshot(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, pkg := range packages {
		t.Run(pkg, func(t *testing.T) {
			lines, err := List(filepath.Join(root, pkg))
			require.NoError(t, err)
			got := strings.Join(lines, "\n") + "\n"
			path := filepath.Join(root, "api", pkg+".txt")
			if os.Getenv("UPDATE_API") != "" {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "no snapshot: run make api")
			assert.Equal(t, string(want), got, "the exported API of %s changed; if on purpose, run make api and commit api/%s.txt", pkg, pkg)
		})
	}
}

func TestListFormats(t *testing.T) {
	dir := t.TempDir()
	src := `package demo

import "net/http"

// C is a constant.
const C = "v"

const hidden = 1

var V, w int

type T struct {
	A string
	b int
	*http.Client
	B, c []byte
}

type I interface {
	M(x int) error
	unexported()
}

type A = http.Header

type G[K comparable] map[K]int

func F(x int, ys ...string) (*T, error) { return nil, nil }

func (t *T) Method() {}

func (t *T) hidden() {}

type u struct{}

func (u) Exported() {}
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "demo.go"), []byte(src), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "demo_test.go"), []byte("package demo\n\nfunc TestX() {}\n"), 0o644))
	lines, err := List(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{
		`pkg demo, const C = "v"`,
		`pkg demo, func F(x int, ys ...string) (*T, error)`,
		`pkg demo, method (*T) Method()`,
		`pkg demo, type A = http.Header`,
		`pkg demo, type G[K comparable] map[K]int`,
		`pkg demo, type I interface`,
		`pkg demo, type I interface, M(x int) error`,
		`pkg demo, type I interface, unexported()`,
		`pkg demo, type T struct`,
		`pkg demo, type T struct, A string`,
		`pkg demo, type T struct, B []byte`,
		`pkg demo, type T struct, embedded *http.Client`,
		`pkg demo, var V int`,
	}, lines)
}

// TestRuntimeDependencies: the packages users build (all but internal/)
// import nothing beyond the standard library, this module, oapi-codegen's
// runtime (with what it imports) and golang.org/x/net/idna (with the
// golang.org/x/text packages it imports). Tests and examples may use more
// (testify, x/time/rate).
func TestRuntimeDependencies(t *testing.T) {
	all, err := exec.Command("go", "list", "github.com/polarsessions/polarsessions-go/...").Output()
	require.NoError(t, err)
	var public []string // internal/ holds the module's own tools and test helpers
	for _, pkg := range strings.Fields(string(all)) {
		if !strings.Contains(pkg, "/internal/") {
			public = append(public, pkg)
		}
	}
	out, err := exec.Command("go", append([]string{"list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}"}, public...)...).Output()
	require.NoError(t, err)
	allowed := []string{
		"github.com/polarsessions/polarsessions-go",
		"github.com/oapi-codegen/runtime",
		"github.com/apapsch/go-jsonmerge/v2", // imported by the runtime
		"github.com/google/uuid",             // imported by the runtime
		// rules checks return URL hosts with UTS #46 as Polar's URL parser
		// does (issue 20), with golang.org/x/net/idna rather than by hand.
		"golang.org/x/net/idna",
		"golang.org/x/text", // imported by x/net/idna
	}
	for _, pkg := range strings.Fields(string(out)) {
		ok := false
		for _, prefix := range allowed {
			ok = ok || pkg == prefix || strings.HasPrefix(pkg, prefix+"/")
		}
		assert.True(t, ok, "runtime dependency %s", pkg)
	}
}
