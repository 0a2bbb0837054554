package main

import (
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHelpDocumentsExitCodes(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		r := runTool(t, nil, args...)
		assert.Equal(t, exitOK, r.code, "%v", args)
		assert.Empty(t, r.stderr)
		for _, want := range []string{
			"Exit codes:\n",
			"\n  0  success\n",
			"\n  1  Polar refused the request",
			"\n  2  usage error or invalid input",
			"\n  3  network failure or timeout",
			envAccessToken, "There is\n                          no flag for it",
			"Examples:\n  polar-sessions demo\n",
		} {
			assert.Contains(t, r.stdout, want, "%v", args)
		}
	}
}

// Every command's help, however asked for, lists each of its flags and the
// exit codes.
func TestCommandHelpListsEveryFlag(t *testing.T) {
	t.Parallel()
	for _, spec := range commands() {
		g := defaultGlobals()
		fs := spec.flagSet(&g, spec.new())
		for _, args := range [][]string{{spec.name, "--help"}, {"help", spec.name}, {"--server", "sandbox", spec.name, "-h"}} {
			r := runTool(t, nil, args...)
			assert.Equal(t, exitOK, r.code, "%v: %s", args, r.stderr)
			assert.Contains(t, r.stdout, "Usage:\n  polar-sessions "+spec.name)
			assert.Contains(t, r.stdout, "Exit codes:\n")
			assert.Contains(t, r.stdout, "Examples:\n")
			fs.VisitAll(func(f *flag.Flag) {
				name := "--" + f.Name
				if len(f.Name) == 1 {
					name = "-" + f.Name
				}
				assert.Contains(t, r.stdout, "\n  "+name+" ", "%v documents %s", args, name)
			})
		}
	}
}
