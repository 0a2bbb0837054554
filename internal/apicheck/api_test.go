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

// TestAPISnapshot fails when a public package's exported API, or a
// generated type it exposes, differs from its snapshot in api/. After a
// deliberate change, run `make api` and commit the snapshot with a
// CHANGELOG entry; `go generate` rewrites api/gen.txt with the code.
func TestAPISnapshot(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, pkg := range Packages {
		t.Run(pkg, func(t *testing.T) {
			got, err := Snapshot(root, pkg)
			require.NoError(t, err)
			want, err := os.ReadFile(filepath.Join(root, "api", pkg+".txt"))
			require.NoError(t, err, "no snapshot: run make api")
			assert.Equal(t, string(want), got, "the exported API of %s changed; if on purpose, run make api and commit api/%s.txt", pkg, pkg)
		})
	}
}

// Exposed follows the generated types from the public API's "gen." names
// through fields and methods, and leaves the rest out.
func TestExposedFollowsReferences(t *testing.T) {
	public := []string{"pkg client, type S struct, embedded *gen.Session", "pkg client, type C = gen.Customer"}
	generated := []string{
		"pkg gen, type Session struct", "pkg gen, type Session struct, Customer Customer", "pkg gen, type Session struct, Token string",
		"pkg gen, type Customer struct", "pkg gen, method (Customer) AsTeam() (Team, error)",
		"pkg gen, type Team struct", "pkg gen, type Team struct, Address *Address",
		"pkg gen, type Address struct", "pkg gen, type Unused struct", "pkg gen, func NewClient(server string) (*Client, error)",
		"pkg gen, type Client struct",
	}
	assert.Equal(t, []string{
		"pkg gen, method (Customer) AsTeam() (Team, error)",
		"pkg gen, type Address struct",
		"pkg gen, type Customer struct",
		"pkg gen, type Session struct", "pkg gen, type Session struct, Customer Customer", "pkg gen, type Session struct, Token string",
		"pkg gen, type Team struct", "pkg gen, type Team struct, Address *Address",
	}, Exposed(public, generated))
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
