package polarsessions

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxTrackedFile bounds a tracked file: every `go get` of the module
// downloads them all.
const maxTrackedFile = 1 << 20

// largeFiles are the tracked files allowed above maxTrackedFile: none.
var largeFiles = map[string]bool{}

// No tracked file is an executable binary (a build output belongs in
// .gitignore) or larger than 1 MiB.
func TestNoBinaryOrLargeFileIsTracked(t *testing.T) {
	out, err := exec.Command("git", "ls-files", "-z").Output()
	if err != nil {
		t.Skip("not a git checkout: " + err.Error())
	}
	files := strings.Split(strings.TrimRight(string(out), "\x00"), "\x00")
	require.NotEmpty(t, files)
	for _, name := range files {
		info, err := os.Lstat(name)
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted in the work tree, or a symlink
		}
		assert.True(t, info.Size() <= maxTrackedFile || largeFiles[name], "%s is %d bytes, over 1 MiB", name, info.Size())
		head := make([]byte, 4)
		f, err := os.Open(name)
		require.NoError(t, err)
		n, _ := f.Read(head)
		f.Close()
		assert.False(t, isExecutable(head[:n]), "%s is an executable binary: build outputs belong in .gitignore", name)
	}
}

// isExecutable reports the magic numbers of ELF, Mach-O and PE executables.
func isExecutable(head []byte) bool {
	for _, magic := range [][]byte{{0x7f, 'E', 'L', 'F'}, {0xcf, 0xfa, 0xed, 0xfe}, {0xce, 0xfa, 0xed, 0xfe},
		{0xfe, 0xed, 0xfa, 0xcf}, {0xca, 0xfe, 0xba, 0xbe}, {'M', 'Z'}} {
		if bytes.HasPrefix(head, magic) {
			return true
		}
	}
	return false
}

func TestIsExecutable(t *testing.T) {
	assert.True(t, isExecutable([]byte("\x7fELF")))
	assert.True(t, isExecutable([]byte("MZ\x90\x00")))
	assert.False(t, isExecutable([]byte("#!/u")))
	assert.False(t, isExecutable([]byte("pack")))
}

// `make test` works with Go alone: without a C compiler, cgo is off and the
// tests run without -race, saying so; with one, they run with it.
func TestMakeTestWithoutACCompiler(t *testing.T) {
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make is not installed")
	}
	// A PATH holding only the go command: no gcc, no cc.
	bin := t.TempDir()
	goBin, err := exec.LookPath("go")
	require.NoError(t, err)
	require.NoError(t, os.Symlink(goBin, filepath.Join(bin, "go")))
	env := []string{"PATH=" + bin, "HOME=" + os.Getenv("HOME"), "GOCACHE=" + goEnv(t, "GOCACHE"),
		"GOMODCACHE=" + goEnv(t, "GOMODCACHE"), "GOTOOLCHAIN=local"}

	out := makeDryRun(t, mk, env)
	assert.Contains(t, out, "no C compiler for cgo: the tests run without -race")
	assert.Contains(t, out, "go test  -count=1 ./...")
	assert.NotContains(t, out, "go test -race")
	// And the tests do build and run so: a package of the module, for one.
	cmd := exec.Command("go", "test", "-count=1", "./rules")
	cmd.Env = env
	built, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", built)

	if _, err := exec.LookPath(goEnv(t, "CC")); err == nil {
		out = makeDryRun(t, mk, append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH")))
		assert.Contains(t, out, "go test -race -count=1 ./...", "with a C compiler, the race detector")
	}
}

// makeDryRun prints what `make unit` would run, with env.
func makeDryRun(t *testing.T, mk string, env []string) string {
	t.Helper()
	cmd := exec.Command(mk, "-n", "unit")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return string(out)
}

func goEnv(t *testing.T, key string) string {
	t.Helper()
	out, err := exec.Command("go", "env", key).Output()
	require.NoError(t, err)
	return strings.TrimSpace(string(out))
}
