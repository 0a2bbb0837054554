package polarsessions

import (
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goBlock finds the ```go blocks of a Markdown file.
var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// exampleFunc finds an Example function and its body in a test file.
var exampleFunc = regexp.MustCompile(`(?ms)^func (Example\w*)\(\) \{\n(.*?)^\}`)

// TestReadmeGoBlocks: every Go block in README.md is gofmt-clean, and is
// an excerpt of a compiled Example function, so the README cannot show code
// that no longer builds.
func TestReadmeGoBlocks(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	blocks := goBlock.FindAllStringSubmatch(string(readme), -1)
	require.NotEmpty(t, blocks)

	bodies := exampleBodies(t)
	for _, b := range blocks {
		block := b[1]
		name := firstLine(block)
		formatted, err := format.Source([]byte(block))
		if assert.NoError(t, err, "README block %q does not parse", name) {
			assert.Equal(t, block, string(formatted), "README block %q is not gofmt-clean", name)
		}
		assert.True(t, mirrored(block, bodies), "README block %q is not an excerpt of any Example function", name)
	}
}

// exampleBodies returns the normalized bodies of every Example function in
// the module's test files.
func exampleBodies(t *testing.T) []string {
	t.Helper()
	var bodies []string
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range exampleFunc.FindAllStringSubmatch(string(src), -1) {
			bodies = append(bodies, normalize(m[2]))
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, bodies)
	return bodies
}

// mirrored reports whether block's lines appear, in order and together, in
// one of the bodies.
func mirrored(block string, bodies []string) bool {
	want := normalize(block)
	for _, body := range bodies {
		if strings.Contains("\n"+body+"\n", "\n"+want+"\n") {
			return true
		}
	}
	return false
}

// normalize drops indentation and blank lines, which differ between a
// README excerpt and the function it comes from.
func normalize(code string) string {
	var lines []string
	for _, l := range strings.Split(code, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

func TestMirrored(t *testing.T) {
	bodies := []string{normalize("\tx := 1\n\n\tif x > 0 {\n\t\tprintln(x)\n\t}\n\treturn")}
	assert.True(t, mirrored("if x > 0 {\n\tprintln(x)\n}\n", bodies))
	assert.False(t, mirrored("if x > 1 {\n\tprintln(x)\n}\n", bodies))
	assert.False(t, mirrored("x := 1\nreturn\n", bodies), "lines must be together")
}
