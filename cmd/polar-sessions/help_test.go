package main

import (
	"flag"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
			"\n  4  Polar answered, but the answer could not be written out",
			envAccessToken, "There is\n                          no flag for it",
			"Examples:\n  polar-sessions demo\n",
		} {
			assert.Contains(t, r.stdout, want, "%v", args)
		}
	}
}

// The top-level help is the one place that lists the global flags.
func TestTopHelpListsEveryGlobalFlag(t *testing.T) {
	t.Parallel()
	r := runTool(t, nil, "--help")
	require.Equal(t, exitOK, r.code)
	globalFlagSet().VisitAll(func(f *flag.Flag) {
		assert.Equal(t, 1, strings.Count(r.stdout, "\n  "+dashed(f.Name)+" "), "lists %s once", f.Name)
	})
	assert.Contains(t, r.stdout, "Global flags, before or after the command (demo takes only --timeout and -v):\n")
}

// A command's help, however asked for, lists its own flags and examples,
// and points to the top-level help for the global flags instead of
// repeating them. demo lists the global flags it takes, and no other.
func TestCommandHelpListsOwnFlagsAndPointsToGlobals(t *testing.T) {
	t.Parallel()
	for _, spec := range commands() {
		own := newFlagSet(spec.name)
		spec.new().flags(own)
		for _, args := range [][]string{{spec.name, "--help"}, {"help", spec.name}, {"--server", "sandbox", spec.name, "-h"}} {
			r := runTool(t, nil, args...)
			assert.Equal(t, exitOK, r.code, "%v: %s", args, r.stderr)
			assert.Empty(t, r.stderr, "%v", args)
			assert.True(t, strings.HasPrefix(r.stdout, "Usage:\n  polar-sessions "+spec.name+" "), "%v", args)
			assert.Contains(t, r.stdout, "\nExamples:\n  "+strings.TrimLeft(spec.examples, " "), "%v", args)
			assert.NotContains(t, r.stdout, "Exit codes:\n", "%v: the exit codes are in the top-level help", args)
			own.VisitAll(func(f *flag.Flag) {
				assert.Contains(t, r.stdout, "\n  "+dashed(f.Name)+" ", "%v documents %s", args, f.Name)
			})
			globalFlagSet().VisitAll(func(f *flag.Flag) {
				listed := strings.Contains(r.stdout, "\n  "+dashed(f.Name)+" ")
				takes := false
				for _, g := range spec.globals {
					takes = takes || g.name == f.Name
				}
				assert.Equal(t, takes, listed, "%v lists global flag %s: %v", args, f.Name, listed)
			})
			if spec.globals == nil {
				assert.True(t, strings.HasSuffix(r.stdout,
					"\nGlobal flags (--api-version, --retries, --server, --timeout, -v, --version) and exit codes: polar-sessions --help\n"), "%v:\n%s", args, r.stdout)
			} else {
				assert.True(t, strings.HasSuffix(r.stdout, "\nExit codes: polar-sessions --help\n"), "%v:\n%s", args, r.stdout)
			}
		}
	}
}

func TestDemoHelpListsOnlyWhatApplies(t *testing.T) {
	t.Parallel()
	r := runTool(t, nil, "demo", "--help")
	require.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "\nFlags:\n"+
		"  --timeout DURATION  bound on each call, retries and waits included, such as 10s or 2m; 0 for none (default 30s)\n"+
		"  -v                  also show the debug log line of each request, under its step\n\n")
	assert.NotContains(t, r.stdout, "--version")
	assert.NotContains(t, r.stdout, "--output")
}

// "help" is a command with a help of its own.
func TestHelpCommand(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help", "--help"}, {"help", "-h"}, {"help", "help"}, {"-v", "help", "--help"}} {
		r := runTool(t, nil, args...)
		assert.Equal(t, exitOK, r.code, "%v: %s", args, r.stderr)
		assert.Empty(t, r.stderr, "%v", args)
		assert.True(t, strings.HasPrefix(r.stdout, "Usage:\n  polar-sessions help [command]\n"), "%v: %s", args, r.stdout)
		assert.Contains(t, r.stdout, "The commands\nare create, introspect, demo and help.", "%v", args)
	}

	for _, spec := range commands() {
		viaHelp := runTool(t, nil, "help", spec.name)
		viaFlag := runTool(t, nil, spec.name, "--help")
		assert.Equal(t, exitOK, viaHelp.code, spec.name)
		assert.Equal(t, viaFlag.stdout, viaHelp.stdout, "help %s is %s --help", spec.name, spec.name)
	}

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"help", "nosuch"},
			"polar-sessions help: unknown command \"nosuch\"; the commands are create, introspect, demo and help (see polar-sessions help --help)\n"},
		{[]string{"help", "create", "demo"}, "polar-sessions help: give one command name, not 2 (see polar-sessions help --help)\n"},
		{[]string{"help", "--all"}, "polar-sessions help: flag provided but not defined: --all (see polar-sessions help --help)\n"},
		{[]string{"nosuch"},
			"polar-sessions: unknown command \"nosuch\"; the commands are create, introspect, demo and help (see polar-sessions --help)\n"},
	}
	for _, tt := range tests {
		r := runTool(t, nil, tt.args...)
		assert.Equal(t, exitUsage, r.code, "%v", tt.args)
		assert.Equal(t, tt.want, r.stderr, "%v", tt.args)
		assert.Empty(t, r.stdout, "%v", tt.args)
	}
}

// polar_mst_ is the normal case in help: polar_cst_ is only ever
// mentioned as the older organizations' kind.
func TestHelpShowsMemberSessionTokens(t *testing.T) {
	t.Parallel()
	helps := [][]string{{"--help"}, {"help", "help"}}
	for _, spec := range commands() {
		helps = append(helps, []string{spec.name, "--help"})
	}
	cst := regexp.MustCompile(`polar_cst_`)
	for _, args := range helps {
		r := runTool(t, nil, args...)
		require.Equal(t, exitOK, r.code, "%v", args)
		out := r.stdout
		for _, loc := range cst.FindAllStringIndex(out, -1) {
			around := out[max(0, loc[0]-80):min(len(out), loc[1]+80)]
			assert.Contains(t, around, "older", "%v: polar_cst_ as the older kind: %q", args, around)
			assert.Less(t, strings.Index(out, "polar_mst_"), loc[0], "%v: polar_mst_ comes first", args)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, "polar-sessions") && strings.Contains(line, "polar_") {
				assert.NotContains(t, line, "polar_cst_", "%v: an example shows polar_cst_: %s", args, line)
			}
		}
	}
	r := runTool(t, nil, "introspect", "--help")
	assert.Contains(t, r.stdout, "\n  "+envSessionToken+"=polar_mst_… polar-sessions introspect")
	assert.Contains(t, r.stdout, "--token TOKEN       the session token, polar_mst_… (polar_cst_… from an older organization;")
}
