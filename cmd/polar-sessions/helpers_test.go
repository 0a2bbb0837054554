package main

import (
	"bytes"
	"context"
	"maps"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/polarsessions/polarsessions-go/polartest"
)

// TestMain clears POLAR_ACCESS_TOKEN from the process environment. create
// leaves a token it is not given to client.New, which reads that variable
// from the process: when the tool runs, that is the environment c.env
// reads, but here each test gives the tool its own, and a token of the
// developer's must not reach a test's fake.
func TestMain(m *testing.M) {
	if err := os.Unsetenv(envAccessToken); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// result is what one run of the tool did.
type result struct {
	code           int
	stdout, stderr string
}

// tokenPattern finds a Polar token with its secret; a redacted one
// ("polar_cst_[redacted]") or one in help ("polar_oat_…") does not match.
var tokenPattern = regexp.MustCompile(`polar_[a-z]{2,4}_[A-Za-z0-9]`)

// runTool runs the tool in-process with env as its whole environment, and
// fails the test if stderr shows a token or any environment value.
func runTool(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, func(key string) string { return env[key] }, &stdout, &stderr)
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	assert.NotRegexp(t, tokenPattern, r.stderr, "stderr shows a token")
	for key, value := range env {
		if key != envServer {
			assert.NotContains(t, r.stderr, value, "stderr shows %s", key)
		}
	}
	return r
}

// fake is a polartest server with one customer, which has a member besides
// its owner, and the environment that points the tool at it.
type fake struct {
	srv  *polartest.Server
	cust polartest.Customer
	env  map[string]string
}

const (
	externalID = "usr_1337"
	// memberID is a UUID version 4, as polartest requires of member_id,
	// and the ID of the customer's member, whose external ID is
	// externalMemberID.
	memberID         = "3f2e1d0c-9b8a-4765-8432-10fedcba9876"
	externalMemberID = "mem_42"
)

func newFake(t *testing.T) *fake {
	t.Helper()
	srv := polartest.NewServer()
	t.Cleanup(srv.Close)
	cust := srv.AddCustomer(polartest.Customer{ExternalID: externalID, Email: "ada@example.com", Name: "Ada Lovelace"})
	srv.AddMember(polartest.Member{ID: memberID, CustomerID: cust.ID, ExternalID: externalMemberID, Email: "grace@example.com"})
	return &fake{srv: srv, cust: cust, env: map[string]string{envAccessToken: srv.AccessToken()}}
}

// run runs the tool against the fake with --server before args, where a
// command's flags come after the command name.
func (f *fake) run(t *testing.T, args ...string) result {
	t.Helper()
	return runTool(t, f.env, append([]string{"--server", f.srv.URL()}, args...)...)
}

// withEnv returns a copy of the fake's environment with key set to value,
// or removed when value is "".
func (f *fake) withEnv(key, value string) map[string]string {
	env := maps.Clone(f.env)
	if value == "" {
		delete(env, key)
	} else {
		env[key] = value
	}
	return env
}
