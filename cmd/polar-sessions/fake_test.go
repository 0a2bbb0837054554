package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/internal/syncbuf"
)

// runningFake is polar-sessions fake running in-process.
type runningFake struct {
	server, token string
	stderr        *syncbuf.Buffer
	rest          *syncbuf.Buffer // stdout after the two lines
	stop          func() int      // cancels the run and returns its exit code
}

// startFake runs "polar-sessions fake args..." in-process and reads the
// two lines it prints; it fails the test if they do not come.
func startFake(t *testing.T, args ...string) *runningFake {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	f := &runningFake{stderr: &syncbuf.Buffer{}, rest: &syncbuf.Buffer{}}
	done := make(chan int, 1)
	go func() {
		code := run(ctx, append([]string{"fake"}, args...), func(string) string { return "" }, pw, f.stderr)
		pw.Close()
		done <- code
	}()
	lines := make(chan []string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		var got []string
		for len(got) < 2 && sc.Scan() {
			got = append(got, sc.Text())
		}
		lines <- got
		_, _ = io.Copy(f.rest, pr)
	}()
	var got []string
	select {
	case got = <-lines:
	case code := <-done:
		cancel()
		t.Fatalf("fake exited with %d before printing its lines; stderr:\n%s", code, f.stderr.String())
	case <-time.After(5 * time.Second):
		t.Fatal("fake printed no lines in 5s")
	}
	require.Len(t, got, 2, "stderr: %s", f.stderr.String())
	var ok bool
	f.server, ok = strings.CutPrefix(got[0], envServer+"=")
	require.True(t, ok, got[0])
	f.token, ok = strings.CutPrefix(got[1], envAccessToken+"=")
	require.True(t, ok, got[1])
	var once sync.Once
	code := -1
	f.stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(2 * time.Second):
				t.Error("fake did not stop within 2s")
			}
		})
		return code
	}
	t.Cleanup(func() { f.stop() })
	return f
}

// writeSeed writes a seed file for the test.
func writeSeed(t *testing.T, seed string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.json")
	require.NoError(t, os.WriteFile(path, []byte(seed), 0o600))
	return path
}

const testSeedFile = `{"customers": [
	{"external_id": "usr_1337", "email": "ada@example.com", "name": "Ada"},
	{"type": "team", "external_id": "team_42", "members": [{"external_id": "mem_7", "email": "grace@example.com"}]}]}`

// The command end to end: the two lines, the CLI's own create against
// them, the control API at the root, and exit 0 when stopped.
func TestFakeServesTheCLI(t *testing.T) {
	const token = "polar_oat_fixedForTheTest"
	f := startFake(t, "--addr", "127.0.0.1:0", "--seed", writeSeed(t, testSeedFile), "--access-token", token,
		"--access-token", "polar_oat_second", "--base-path", "/polar", "-v")
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+/polar$`, f.server)
	assert.Equal(t, token, f.token)

	for _, tok := range []string{token, "polar_oat_second"} {
		r := runTool(t, map[string]string{envAccessToken: tok, envServer: f.server},
			"create", "--external-customer-id", "team_42", "--external-member-id", "mem_7", "--output", "text")
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, "polar_mst_")
	}
	r := runTool(t, map[string]string{envAccessToken: token}, "--server", f.server, "create", "--external-customer-id", "usr_nobody")
	assert.Equal(t, exitRefused, r.code, "Polar's 422: %s", r.stderr)

	resp, err := http.Get(strings.TrimSuffix(f.server, "/polar") + "/_polartest/requests")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 3, strings.Count(string(body), `"method":"POST"`), "%s", body)
	assert.NotContains(t, string(body), token)

	assert.Equal(t, exitOK, f.stop())
	assert.Empty(t, f.rest.String(), "nothing on stdout after the two lines")
	stderr := f.stderr.String()
	assert.NotContains(t, stderr, token, "-v never logs a token")
	assert.NotContains(t, stderr, "polar_oat_second")
	assert.NotRegexp(t, tokenPattern, stderr)
	assert.Contains(t, stderr, "serving a fake Polar API at "+f.server)
	assert.Regexp(t, `msg=request method=POST path=/polar/v1/customer-sessions/ status=201 duration=\S+\n`, stderr)
	assert.Regexp(t, `msg=request method=GET path=/_polartest/requests status=200 duration=\S+\n`, stderr)
	assert.Equal(t, 4, strings.Count(stderr, "msg=request "), "one line per request:\n%s", stderr)
}

func TestFakeWithoutFlags(t *testing.T) {
	f := startFake(t, "--addr", ":0", "--member-model=false")
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, f.server, "an empty host is loopback")
	assert.Regexp(t, `^polar_oat_[A-Za-z0-9]{43}$`, f.token, "a random token")
	resp, err := http.Post(f.server+"/_polartest/customers", "application/json", strings.NewReader(`{"external_id": "usr_1"}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	r := runTool(t, map[string]string{envAccessToken: f.token, envServer: f.server}, "create", "--external-customer-id", "usr_1")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "polar_cst_", "without the member model")
	assert.Equal(t, exitOK, f.stop())
	assert.NotContains(t, f.stderr.String(), "msg=request", "no request log without -v")
}

// On every address, the fake prints a URL a client can use, 127.0.0.1's.
func TestFakeOnEveryAddress(t *testing.T) {
	f := startFake(t, "--addr", "0.0.0.0:0", "--public")
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, f.server)
	resp, err := http.Get(f.server + "/_polartest/requests")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, f.stderr.String(), "its control API at "+f.server+"/_polartest/")
	assert.Equal(t, exitOK, f.stop())
}

func TestFakeRefusesBadSeeds(t *testing.T) {
	for seed, want := range map[string]string{
		`{"customers": [{}, {"type": "team", "members": [{"email": "a@example.com"}, {"email": "A@example.com"}]}]}`: `customers[1].members[1].email: "A@example.com" is already member `,
		`{"customers": [{"external_id": "x"}, {"external_id": "x"}]}`:                                                `customers[1].external_id: "x" is already customer `,
		`{"customers": [{"emial": "a@example.com"}]}`:                                                                `customers[0].emial: unknown key; the keys are id, external_id, email, type, name and members`,
		`{"customers": [{"type": "robot"}]}`:                                                                         `customers[0].type: unknown type "robot"`,
		`{"customers": [`:                                                                                            `seed: invalid JSON`,
	} {
		path := writeSeed(t, seed)
		r := runTool(t, nil, "fake", "--addr", "127.0.0.1:0", "--seed", path)
		assert.Equal(t, exitUsage, r.code, seed)
		assert.Empty(t, r.stdout, seed)
		assert.Contains(t, r.stderr, "polar-sessions fake: --seed "+path+": "+want, seed)
	}
	r := runTool(t, nil, "fake", "--seed", filepath.Join(t.TempDir(), "missing.json"))
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "no such file")
}

func TestFakeRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "0.0.0.0:0"}, "--addr host 0.0.0.0 is not loopback: the fake would be on the network; add --public if that is meant"},
		{[]string{"--addr", "example.com:80"}, "--addr host example.com is not loopback"},
		{[]string{"--addr", "8790"}, "--addr is not HOST:PORT: missing port in address"},
		{[]string{"--addr", "127.0.0.1:http"}, `--addr port "http" is not a number from 0 to 65535`},
		{[]string{"--addr", "127.0.0.1:65536"}, `--addr port "65536" is not a number from 0 to 65535`},
		{[]string{"--addr", "127.0.0.1:"}, `--addr port "" is not a number`},
		{[]string{"--addr", "127.0.0.1:polar_oat_AAAA.SECRET"}, "--addr port [redacted] is not a number from 0 to 65535"},
		{[]string{"--addr", "polar_oat_AAAA.SECRET:0"}, "--addr host [redacted] is not loopback"},
		{[]string{"--access-token", "polar_cst_abc"}, "--access-token (the 1st): must be polar_oat_ followed by letters and digits, as Polar's tokens are"},
		{[]string{"--access-token", "polar_oat_"}, "--access-token (the 1st): must be polar_oat_"},
		{[]string{"--access-token", "polar_oat_ok", "--access-token", "polar_oat_ab.SECRETSECRETSECRETSECRET"}, "--access-token (the 2nd): must be polar_oat_ followed by letters and digits"},
		{[]string{"--access-token", "polar_oat_ab-cd"}, "must be polar_oat_ followed by letters and digits"},
		{[]string{"--api-version", "2026-10"}, "--api-version does not apply to fake, which takes only -v"},
		{[]string{"--base-path", "/_polartest"}, "--base-path /_polartest: base path /_polartest is the control API's"},
		{[]string{"--base-path", "_polartest/x/"}, "base path /_polartest/x is the control API's"},
		{[]string{"--base-path", "/a b?c#d"}, `--base-path /a b?c#d: base path "/a b?c#d": ' ' cannot stand in a URL's path as it is`},
		{[]string{"--base-path", "/polar_oat_AAAA SECRET"}, `--base-path [redacted]: base path "[redacted]": ' ' cannot stand`},
		{[]string{"--rate-limit", "0"}, "must be a whole number above 0"},
		{[]string{"--keep-requests", "-1"}, "--keep-requests: must be a whole number, 0 or more"},
		{[]string{"--rate-window", "-1s"}, "must be a positive duration"},
		{[]string{"--fault-rate", "2"}, "must be a number from 0 to 1"},
		{[]string{"--fault-kinds", "429,boom"}, `"boom" is not one of 429,500,`},
		{[]string{"--server", "sandbox"}, "--server does not apply to fake, which takes only -v"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		r := runTool(t, nil, append([]string{"fake"}, tc.args...)...)
		assert.Equal(t, exitUsage, r.code, "%v", tc.args)
		assert.NotContains(t, r.stderr, "SECRET", "%v", tc.args)
		assert.Contains(t, r.stderr, tc.want, "%v", tc.args)
		assert.Empty(t, r.stdout, "%v", tc.args)
	}
	// Nor is an address the system refuses, whose error is redacted.
	r := runTool(t, nil, "fake", "--public", "--addr", "[fe80::1%polar_oat_AAAA.SECRET]:0")
	assert.Equal(t, exitUnreachable, r.code, r.stderr)
	assert.Contains(t, r.stderr, "polar-sessions fake: --addr [redacted]: listen tcp [[redacted]]:0: ")
	assert.NotContains(t, r.stderr, "SECRET")

	// An address in use is no usage error.
	f := startFake(t, "--addr", "127.0.0.1:0")
	r = runTool(t, nil, "fake", "--addr", strings.TrimPrefix(f.server, "http://"))
	assert.Equal(t, exitUnreachable, r.code, r.stderr)
	assert.Contains(t, r.stderr, "address already in use")
}

func TestFakeOptions(t *testing.T) {
	f := startFake(t, "--addr", "127.0.0.1:0", "--rate-limit", "1", "--rate-window", "1h",
		"--organization-slug", "acme", "--seed", writeSeed(t, testSeedFile))
	r := runTool(t, map[string]string{envAccessToken: f.token, envServer: f.server}, "create", "--external-customer-id", "usr_1337")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "https://polar.sh/acme/portal")
	r = runTool(t, map[string]string{envAccessToken: f.token, envServer: f.server}, "--retries", "0", "create", "--external-customer-id", "usr_1337")
	assert.Equal(t, exitRefused, r.code)
	assert.Contains(t, r.stderr, "429")

	g := startFake(t, "--addr", "127.0.0.1:0", "--fault-rate", "1", "--fault-kinds", "503", "--fault-seed", "7")
	req, _ := http.NewRequest(http.MethodGet, g.server+"/v1/customer-portal/customer-session/introspect", nil)
	req.Header.Set("Polar-Version", "2026-10")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
}

// The fake keeps the latest --keep-requests requests, 1000 by default.
func TestFakeKeepsTheLatestRequests(t *testing.T) {
	requests := func(f *runningFake) []map[string]any {
		resp, err := http.Get(f.server + "/_polartest/requests")
		require.NoError(t, err)
		defer resp.Body.Close()
		var got struct{ Requests []map[string]any }
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
		return got.Requests
	}
	f := startFake(t, "--addr", "127.0.0.1:0", "--keep-requests", "2")
	for _, path := range []string{"/one", "/two", "/three"} {
		resp, err := http.Get(f.server + path)
		require.NoError(t, err)
		resp.Body.Close()
	}
	got := requests(f)
	require.Len(t, got, 2)
	assert.Equal(t, "/two", got[0]["path"])
	assert.Equal(t, "/three", got[1]["path"])

	g := startFake(t, "--addr", "127.0.0.1:0")
	for range defaultKeepRequests + 1 {
		resp, err := http.Get(g.server + "/v1/")
		require.NoError(t, err)
		resp.Body.Close()
	}
	assert.Len(t, requests(g), defaultKeepRequests)
}

func TestFakeHelpListsControlRoutes(t *testing.T) {
	r := runTool(t, nil, "fake", "--help")
	require.Equal(t, exitOK, r.code)
	for _, want := range []string{
		"POST   /_polartest/customers ", "DELETE /_polartest/customers/{id} ", "POST   /_polartest/customers/{id}/members ",
		"DELETE /_polartest/members/{id} ", "POST   /_polartest/faults ", "POST   /_polartest/clock ",
		"GET    /_polartest/requests ", "POST   /_polartest/reset ",
		"listens on loopback only unless --public", "SIGTERM", "POLAR_SERVER=", "POLAR_ACCESS_TOKEN=",
	} {
		assert.Contains(t, r.stdout, want)
	}
	assert.Contains(t, runTool(t, nil, "--help").stdout, "\n  fake  ")
}

// The built binary stops on SIGTERM and SIGINT with exit 0 within a second.
func TestFakeStopsOnSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(buildTool(t), programName)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(bin, "fake", "--addr", "127.0.0.1:0", "-v")
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		var stderr syncbuf.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		sc := bufio.NewScanner(stdout)
		require.True(t, sc.Scan(), "first line; stderr: %s", stderr.String())
		server, _ := strings.CutPrefix(sc.Text(), envServer+"=")
		require.True(t, sc.Scan())
		token, _ := strings.CutPrefix(sc.Text(), envAccessToken+"=")

		req, _ := http.NewRequest(http.MethodPost, server+"/v1/customer-sessions/", strings.NewReader(`{"external_customer_id":"x"}`))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)

		// Requests in flight when the signal comes: one held by a scripted
		// delay, and uploads that announce more than they send, to Polar's
		// routes and to the control API's.
		resp, err = http.Post(server+"/_polartest/faults", "application/json",
			strings.NewReader(`{"route": "create", "faults": [{"kind": "delay", "delay_ms": 30000}]}`))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusNoContent, resp.StatusCode)
		delayed := make(chan error, 1)
		go func() {
			req, _ := http.NewRequest(http.MethodPost, server+"/v1/customer-sessions/", strings.NewReader(`{"external_customer_id":"x"}`))
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			delayed <- err
		}()
		addr := strings.TrimPrefix(server, "http://")
		for _, path := range []string{"/v1/customer-sessions/", "/_polartest/customers"} {
			conn, err := net.Dial("tcp", addr)
			require.NoError(t, err)
			defer conn.Close()
			_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: 1000\r\n\r\n{", path, addr)
			require.NoError(t, err)
		}
		time.Sleep(200 * time.Millisecond) // for the three to reach their handlers

		start := time.Now()
		require.NoError(t, cmd.Process.Signal(sig))
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			assert.NoError(t, err, "%v: exit 0; stderr: %s", sig, stderr.String())
			assert.Less(t, time.Since(start), time.Second, "%v", sig)
		case <-time.After(2 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Fatalf("%v: still running after 2s; stderr: %s", sig, stderr.String())
		}
		assert.False(t, sc.Scan(), "nothing more on stdout")
		assert.NotContains(t, stderr.String(), token)
		assert.Contains(t, stderr.String(), "status=422")
		select {
		case err := <-delayed:
			assert.Error(t, err, "the delayed request is dropped unanswered")
		case <-time.After(time.Second):
			t.Error("the delayed request still waits")
		}
	}
}
