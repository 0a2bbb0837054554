package polarsessions

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// installBlock is the README's sh block after its install-from-clone marker.
var installBlock = regexp.MustCompile("(?s)<!-- install-from-clone: run by TestInstallFromAClone -->\n```sh\n(.*?)```")

// The README's way to use the module before it is published works, both
// ways it gives: its commands run, in a new module of a user's that imports
// the core and redislimit, with the clone where the README puts it (this
// checkout). It needs the Go module proxy, as any build of a new module does.
func TestInstallFromAClone(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	m := installBlock.FindSubmatch(readme)
	require.NotNil(t, m, "README.md has no install-from-clone block")
	lines := strings.Split(strings.ReplaceAll(string(m[1]), "\\\n", ""), "\n")
	var clone string
	ways := map[string][]string{}
	for _, line := range lines {
		switch {
		case strings.HasPrefix(line, "git clone "):
			clone = line
		case strings.HasPrefix(line, "go work "):
			ways["go.work"] = append(ways["go.work"], line)
		case strings.HasPrefix(line, "go mod "):
			ways["replace"] = append(ways["replace"], line)
		}
	}
	require.Equal(t, "https://github.com/polarsessions/polarsessions-go ~/src/polarsessions-go", strings.TrimPrefix(clone, "git clone "))
	require.Len(t, ways["go.work"], 1)
	require.Len(t, ways["replace"], 2)

	root, err := os.Getwd()
	require.NoError(t, err)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOWORK=") && !strings.HasPrefix(kv, "GOFLAGS=") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	for _, key := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY"} {
		env = append(env, key+"="+goEnv(t, key))
	}
	for way, commands := range ways {
		t.Run(way, func(t *testing.T) {
			home := t.TempDir()
			require.NoError(t, os.MkdirAll(filepath.Join(home, "src"), 0o755))
			require.NoError(t, os.Symlink(root, filepath.Join(home, "src", "polarsessions-go")))
			app := filepath.Join(home, "app")
			require.NoError(t, os.MkdirAll(app, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(app, "main.go"), []byte(appSource), 0o644))
			env := append(env, "HOME="+home)
			runIn := func(command string) {
				t.Helper()
				cmd := exec.Command("sh", "-c", command)
				cmd.Dir, cmd.Env = app, env
				out, err := cmd.CombinedOutput()
				require.NoError(t, err, "%s:\n%s", command, out)
			}
			runIn("go mod init example.com/app")
			for _, c := range commands {
				runIn(c)
			}
			runIn("go build -o /dev/null .")
		})
	}
}

// appSource is a user's program using the core module and redislimit.
const appSource = `package main

import (
	"fmt"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/redislimit"
)

func main() { fmt.Println(client.DefaultAPIVersion, redislimit.New != nil) }
`

// Under a Go older than staticcheck's, make test lints with go vet and
// gofmt only and says so; under a newer one it installs and runs it, for
// the core and for redislimit.
func TestMakeLintsWithStaticcheckOnlyWhereItBuilds(t *testing.T) {
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make is not installed")
	}
	dry := func(minor string) string {
		out, err := exec.Command(mk, "-n", "staticcheck", "redislimit", "GO_MINOR="+minor).CombinedOutput()
		require.NoError(t, err, "%s", out)
		return string(out)
	}
	old := dry("25")
	assert.Equal(t, 2, strings.Count(old, "staticcheck: skipped under go1.25: staticcheck v0.8.2 needs Go 1.26"), old)
	assert.NotContains(t, old, "go install honnef.co")
	assert.Contains(t, old, "go vet ./...")
	current := dry("26")
	assert.NotContains(t, current, "staticcheck: skipped")
	assert.Equal(t, 2, strings.Count(current, "staticcheck-v0.8.2 ./..."), current)
}
