package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The demo spends one real second on the fake's Retry-After.
func TestDemo(t *testing.T) {
	t.Parallel()
	// POLAR_ACCESS_TOKEN and POLAR_SERVER point nowhere useful: the demo
	// must not read them.
	env := map[string]string{envAccessToken: "polar_oat_mustNotBeUsed", envServer: "https://invalid.example"}

	// The global flags demo takes, after the command name and before it.
	r := runTool(t, env, "--timeout", "20s", "demo", "-v")

	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Empty(t, r.stderr)
	for _, want := range []string{
		"✓ started a fake Polar API at http://127.0.0.1:",
		"✓ its organization has the member model, as every organization Polar creates today: sessions are for members",
		"✓ seeded customer usr_demo: Ada Lovelace <ada@example.com>",
		"✓ created session for usr_demo (individual), expires ",
		"(in 59m), portal URL https://polar.sh/polartest/portal?customer_session_token=polar_mst_",
		"✓ it is a member session (polar_mst_…) for the customer's owner member <ada@example.com>, created on first use as Polar does",
		"✓ introspected its token: expires ",
		"return URL https://example.com/account",
		"✓ seeded team team_demo: Analytical Engines Ltd, with member mem_grace: Grace Hopper <grace@example.com>",
		"→ creating a session for team team_demo without saying which member",
		"✓ *client.ValidationError: customer-sessions:create: 422 Unprocessable Entity: PolarRequestValidationError; member_id: member_id is required for team customers.",
		`→ again with ExternalMemberID "mem_grace"`,
		"✓ created a member session (polar_mst_…) for Grace Hopper of team_demo (team): its portal URL carries the member's email, grace@example.com",
		`    log: level=INFO msg="polar: retrying" operation=customer-sessions:create attempt=1 cause="status 429" wait=1s`,
		`    log: level=INFO msg="polar: retrying" operation=customer-sessions:create attempt=2 cause="status 503" wait=`,
		`    log: level=DEBUG msg="polar: request" method=POST path=/v1/customer-sessions/ attempt=1 duration=`,
		"3 attempts in ",
		"the server answered 429, 503, 201",
		"✓ *client.ValidationError: customer-sessions:create: 422 Unprocessable Entity: PolarRequestValidationError; external_customer_id: Customer does not exist.",
		"✓ errors.Is(err, client.ErrUnauthorized), 401, Code \"invalid_token\"\n    hint: the session is unknown, expired",
		"✓ demo finished in ",
	} {
		assert.Contains(t, r.stdout, want)
	}
	// Waits and times rounded: 613ms, 1.5s, never 612.345678ms.
	assert.Regexp(t, `cause="status 503" wait=(\d+ms|\d\.\ds|\d+s)\n`, r.stdout)
	assert.Regexp(t, `attempts in (\d+ms|\d\.\ds|\d+s), the server`, r.stdout)
	assert.Regexp(t, `✓ demo finished in (\d\.\ds|\d+s)\n$`, r.stdout)
	assert.NotRegexp(t, `(wait|duration)=\d+\.\d\d`, r.stdout)
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		assert.LessOrEqual(t, len([]rune(line)), 200, "readable line: %s", line)
	}
}
