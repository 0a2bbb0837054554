// Starts the built `polar-sessions fake` and talks to its control API
// (/_polartest/…, at the server's root), as CONTRACT-fake.md and
// `polar-sessions fake --help` describe them.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import path from "node:path";
import assert from "node:assert/strict";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The conformance folder. */
export const conformanceDir = path.resolve(here, "..");

/** The seed file every suite starts the fake with. */
export const seedFile = path.join(conformanceDir, "seed.json");

/** The binary under test: POLAR_SESSIONS_BIN, else ../bin/polar-sessions (what make conformance builds). */
export const binary = process.env.POLAR_SESSIONS_BIN || path.resolve(conformanceDir, "../bin/polar-sessions");

/** The organization access token the suites give the fake. */
export const accessToken = "polar_oat_conformance0123456789abcdefghijklmnopqrstuvw";

// The seed's customers and members, by name.
export const seed = {
  ada: { id: "0d5e9f1a-3b7c-4e2d-9a6f-1c8b2e4d6f01", externalId: "user_1", email: "ada@example.com" },
  acme: { id: "0d5e9f1a-3b7c-4e2d-9a6f-1c8b2e4d6f02", externalId: "team_1" },
  grace: { id: "0d5e9f1a-3b7c-4e2d-9a6f-1c8b2e4d6f03", externalId: "acme_grace", email: "grace@acme.example" },
  linus: { id: "0d5e9f1a-3b7c-4e2d-9a6f-1c8b2e4d6f04", externalId: "acme_linus", email: "linus@acme.example" },
};

/** How long the fake may take to exit after SIGTERM: the contract's 1 s, plus slack for a loaded CI machine. */
const stopWithinMs = 2000;

/**
 * Starts the fake with the seed file and the suite's access token (plus
 * args), reads the two lines it prints, and returns the server's URL, the
 * token, a control client and stop(), which sends SIGTERM and checks that
 * the fake exits 0 in time, printed nothing more on stdout, and never wrote
 * a token it was told to watch for on stderr.
 */
export async function startFake(args = []) {
  const child = spawn(binary, ["fake", "--addr", "127.0.0.1:0", "--seed", seedFile, "--access-token", accessToken, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (s) => { stderr += s; });
  const exited = once(child, "exit");
  let lines, onExit, onError;
  try {
    lines = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the fake printed no two lines in 10 s; stdout ${JSON.stringify(stdout)}, stderr ${JSON.stringify(stderr)}`)), 10_000);
      const fail = (err) => { clearTimeout(timer); reject(err); };
      onError = fail;
      onExit = (code) => fail(new Error(`the fake exited ${code} before printing its two lines; stderr: ${stderr}`));
      child.on("error", onError);
      child.on("exit", onExit);
      child.stdout.on("data", (s) => {
        stdout += s;
        const got = stdout.split("\n");
        if (got.length > 2) { clearTimeout(timer); resolve(got.slice(0, 2)); }
      });
    });
    assert.match(lines[0], /^POLAR_SERVER=http:\/\/127\.0\.0\.1:\d+(\/\S*)?$/);
    assert.equal(lines[1], `POLAR_ACCESS_TOKEN=${accessToken}`);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  } finally {
    child.off("exit", onExit);
    child.off("error", onError);
  }
  const server = lines[0].slice("POLAR_SERVER=".length);
  const origin = new URL(server).origin;
  const watched = new Set([accessToken]);

  return {
    server,
    accessToken,
    origin,
    control: controlClient(origin),
    /** Adds a token (a session's, say) that must never appear on stderr. */
    watch(token) { watched.add(token); },
    get stderr() { return stderr; },
    async stop() {
      const start = Date.now();
      child.kill("SIGTERM");
      const [code, signal] = await exited;
      const took = Date.now() - start;
      assert.equal(signal, null, `the fake died of ${signal}`);
      assert.equal(code, 0, `the fake exited ${code} on SIGTERM; stderr: ${stderr}`);
      assert.ok(took < stopWithinMs, `the fake took ${took} ms to stop`);
      assert.equal(stdout, `${lines[0]}\n${lines[1]}\n`, "the fake printed more than its two lines on stdout");
      for (const t of watched) assert.ok(!stderr.includes(t), `a token (${t.slice(0, 10)}…) appeared on the fake's stderr`);
    },
  };
}

/** A client of the control API at origin. Every call checks its status. */
export function controlClient(origin) {
  async function call(method, route, body, want) {
    const res = await fetch(`${origin}/_polartest/${route}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.equal(res.status, want, `${method} /_polartest/${route}: ${res.status} ${text}`);
    return text === "" ? undefined : JSON.parse(text);
  }
  return {
    /** Customers, members, sessions, faults and requests back to the seed. */
    reset: () => call("POST", "reset", undefined, 204),
    /** The requests Polar's routes received, oldest first. */
    requests: async () => (await call("GET", "requests", undefined, 200)).requests,
    /** Scripts faults for a route: "create", "introspect" or "any". */
    faults: (route, faults) => call("POST", "faults", { route, faults }, 204),
    /** Moves the fake's clock on; returns its new now. */
    advanceClock: async (seconds) => (await call("POST", "clock", { advance_seconds: seconds }, 200)).now,
    addCustomer: (customer) => call("POST", "customers", customer, 201),
    deleteCustomer: (id) => call("DELETE", `customers/${encodeURIComponent(id)}`, undefined, 204),
    addMember: (customerId, member) => call("POST", `customers/${encodeURIComponent(customerId)}/members`, member, 201),
    deleteMember: (id) => call("DELETE", `members/${encodeURIComponent(id)}`, undefined, 204),
  };
}
