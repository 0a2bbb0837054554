package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/internal/syncbuf"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// buildTool builds polar-sessions into a directory of the test's and
// returns the directory.
func buildTool(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, programName), ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return dir
}

// readmeSection returns the README's section under heading, up to the
// next one.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## "+heading+"\n")
	require.True(t, ok, "README has no section %q", heading)
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// block returns the first ```lang block of a Markdown text.
func block(t *testing.T, text, lang string) string {
	t.Helper()
	m := regexp.MustCompile("(?s)```" + lang + "\n(.*?)```").FindStringSubmatch(text)
	require.NotNil(t, m, "no ```%s block", lang)
	return m[1]
}

// The README's "Testing from any language" shell block runs as written,
// with the README's seed file, against the built tool.
func TestReadmeFakeCurlBlock(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; the README's curl block needs it", tool)
		}
	}
	section := readmeSection(t, "Testing from any language")
	seed := block(t, section, "json")
	_, err := polartest.ParseSeed([]byte(seed))
	require.NoError(t, err, "the README's seed file")
	script := block(t, section, "sh")

	bin := buildTool(t)
	work := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(work, "seed.json"), []byte(seed), 0o600))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.WaitDelay = 5 * time.Second // the fake must be gone: it holds stderr
	var stdout, stderr syncbuf.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())

	session, err := os.ReadFile(filepath.Join(work, "session.json"))
	require.NoError(t, err)
	assert.Contains(t, string(session), `"token":"polar_mst_`)
	out := stdout.String()
	for _, want := range []string{`"expires_at":`, `"external_id":"usr_42"`, `"now":"`, `"requests":[`, `"path":"/v1/customer-sessions/"`} {
		assert.Contains(t, out, want)
	}
	assert.NotRegexp(t, tokenPattern, out, "the requests are redacted")
	assert.Contains(t, stderr.String(), "serving a fake Polar API")
}
