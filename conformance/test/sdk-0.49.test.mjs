// @polar-sh/sdk 0.49.0 (Speakeasy; new Polar({ serverURL }) and the
// standalone functions with PolarCore) against polar-sessions fake. It sends
// no Polar-Version header, so the fake serves its default version; it checks
// every response against its zod schemas, so a field the fake gets wrong
// fails here as a ResponseValidationError. Its retries are off unless
// retryConfig (or a call's retries) turns them on.
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";

import { Polar } from "polar-sdk-049";
import { PolarCore } from "polar-sdk-049/core.js";
import { customerSessionsCreate } from "polar-sdk-049/funcs/customerSessionsCreate.js";
import { customerPortalCustomerSessionIntrospect } from "polar-sdk-049/funcs/customerPortalCustomerSessionIntrospect.js";
import { HTTPValidationError } from "polar-sdk-049/models/errors/httpvalidationerror.js";
import { PolarError } from "polar-sdk-049/models/errors/polarerror.js";
import { SDKError } from "polar-sdk-049/models/errors/sdkerror.js";
import { ConnectionError, RequestTimeoutError } from "polar-sdk-049/models/errors/httpclienterrors.js";

import { startFake, seed } from "../lib/fake.mjs";

const returnUrl = "https://example.com/account?tab=billing";

// Checks a created session against the customer (and member) it is for.
function assertSession(session, customer, { email, prefix = "polar_mst_" } = {}) {
  assert.ok(session.token.startsWith(prefix), `token prefix ${session.token.slice(0, 10)}`);
  assert.equal(session.customerId, customer.id);
  assert.equal(session.customer.id, customer.id);
  assert.equal(session.customer.externalId, customer.externalId ?? null);
  assert.ok(session.expiresAt instanceof Date && session.expiresAt > session.createdAt);
  const portal = new URL(session.customerPortalUrl);
  assert.equal(portal.searchParams.get("customer_session_token"), session.token);
  if (email) assert.equal(portal.searchParams.get("email"), email);
}

// Expects fn to reject with an HTTPValidationError whose first detail is at
// loc with msg, and returns the error.
async function rejectsValidation(fn, loc, msg) {
  const err = await fn().then(() => assert.fail("no error"), (e) => e);
  assert.ok(err instanceof HTTPValidationError, `${err?.name}: ${err?.message}`);
  assert.ok(err instanceof PolarError);
  assert.equal(err.statusCode, 422);
  assert.deepEqual(err.detail[0].loc, loc);
  assert.equal(err.detail[0].msg, msg);
  return err;
}

describe("@polar-sh/sdk 0.49.0", () => {
  let fake, polar, core;

  before(async () => {
    fake = await startFake(["-v"]);
    polar = new Polar({ serverURL: fake.server, accessToken: fake.accessToken });
    core = new PolarCore({ serverURL: fake.server, accessToken: fake.accessToken });
  });
  after(async () => {
    await fake?.stop();
    assert.match(fake.stderr, /\/v1\/customer-sessions\//, "-v wrote no request lines");
  });
  beforeEach(() => fake.control.reset());

  // A client with retries on: they are off by default in 0.49.0. With
  // backoff, a Retry-After (capped by maxInterval) replaces the backoff
  // interval, which here would be under 1 s (initialInterval * 0^exponent
  // plus up to 1 s of jitter), so a wait of 1 s or more is Retry-After's.
  function retrying({ retryConnectionErrors = false } = {}) {
    return new Polar({
      serverURL: fake.server,
      accessToken: fake.accessToken,
      retryConfig: {
        strategy: "backoff",
        backoff: { initialInterval: 100, maxInterval: 5000, exponent: 1.5, maxElapsedTime: 10_000 },
        retryConnectionErrors,
      },
    });
  }

  // create, and watch the token on the fake's stderr.
  async function create(req, client = polar) {
    const session = await client.customerSessions.create(req);
    fake.watch(session.token);
    return session;
  }

  it("creates a session by external customer ID, as the SDK sends it", async () => {
    const session = await create({ externalCustomerId: seed.ada.externalId, returnUrl });
    assertSession(session, seed.ada, { email: seed.ada.email });
    assert.equal(session.returnUrl, returnUrl);
    assert.equal(session.customer.type, "individual");

    const [req, ...more] = await fake.control.requests();
    assert.equal(more.length, 0);
    assert.equal(req.method, "POST");
    assert.equal(req.path, "/v1/customer-sessions/");
    assert.equal(req.status, 201);
    assert.deepEqual(JSON.parse(req.body), { external_customer_id: seed.ada.externalId, return_url: returnUrl });
    assert.equal(req.header["Polar-Version"], undefined, "0.49.0 sends no Polar-Version");
    assert.ok(!JSON.stringify(req).includes(fake.accessToken), "the access token is in the recorded request");
  });

  it("creates a session by customer ID", async () => {
    const session = await create({ customerId: seed.ada.id });
    assertSession(session, seed.ada, { email: seed.ada.email });
    assert.equal(session.returnUrl, null);
  });

  it("creates a session for a team's member, by member ID and by external member ID", async () => {
    const byID = await create({ customerId: seed.acme.id, memberId: seed.grace.id });
    assertSession(byID, seed.acme, { email: seed.grace.email });
    assert.equal(byID.customer.type, "team");

    const byExternal = await create({ externalCustomerId: seed.acme.externalId, externalMemberId: seed.linus.externalId });
    assertSession(byExternal, seed.acme, { email: seed.linus.email });

    // A member added through the control API.
    const added = await fake.control.addMember(seed.acme.id, { external_id: "acme_new", email: "new@acme.example", role: "billing_manager" });
    assert.equal(added.external_id, "acme_new");
    const forAdded = await create({ customerId: seed.acme.id, externalMemberId: "acme_new" });
    assertSession(forAdded, seed.acme, { email: "new@acme.example" });
  });

  it("refuses a team without a member, and an unknown member, with HTTPValidationError", async () => {
    await rejectsValidation(() => polar.customerSessions.create({ customerId: seed.acme.id }),
      ["body", "member_id"], "member_id is required for team customers.");
    await rejectsValidation(() => polar.customerSessions.create({ customerId: seed.acme.id, externalMemberId: "nobody" }),
      ["body", "external_member_id"], "Member does not exist for this customer.");
  });

  it("introspects the session, with the class and with the standalone function", async () => {
    const session = await create({ externalCustomerId: seed.ada.externalId, returnUrl });

    // As Polar's docs show it: the token in `customerSession` (polar_cst_)
    // or, with members, `memberSession` (polar_mst_); either is the bearer.
    for (const security of [{ customerSession: session.token }, { memberSession: session.token }]) {
      const me = await polar.customerPortal.customerSession.introspect(security);
      assert.equal(me.expiresAt.getTime(), session.expiresAt.getTime());
      assert.equal(me.returnUrl, returnUrl);
    }

    const res = await customerPortalCustomerSessionIntrospect(new PolarCore({ serverURL: fake.server }), { customerSession: session.token });
    assert.ok(res.ok, res.error?.message);
    assert.equal(res.value.expiresAt.getTime(), session.expiresAt.getTime());
    assert.equal(res.value.returnUrl, returnUrl);

    const introspects = (await fake.control.requests()).filter((r) => r.path === "/v1/customer-portal/customer-session/introspect");
    assert.equal(introspects.length, 3);
    for (const r of introspects) {
      assert.equal(r.method, "GET");
      assert.equal(r.status, 200);
      assert.ok(!JSON.stringify(r).includes(session.token), "the session token is in the recorded request");
    }
  });

  it("creates with the standalone function, and returns errors as values", async () => {
    const [ok, call] = await customerSessionsCreate(core, { externalCustomerId: seed.ada.externalId }).$inspect();
    assert.ok(ok.ok, ok.error?.message);
    // It sends no Polar-Version; the fake answers with its default.
    assert.equal(call.request.headers.get("polar-version"), null);
    assert.equal(call.response.headers.get("polar-version"), "2026-10");
    fake.watch(ok.value.token);
    assertSession(ok.value, seed.ada);

    const bad = await customerSessionsCreate(core, { externalCustomerId: "no_such_user" });
    assert.equal(bad.ok, false);
    assert.ok(bad.error instanceof HTTPValidationError, bad.error?.name);
    assert.equal(bad.error.statusCode, 422);
  });

  it("surfaces a 422 for an unknown customer as HTTPValidationError", async () => {
    const err = await rejectsValidation(() => polar.customerSessions.create({ externalCustomerId: "no_such_user" }),
      ["body", "external_customer_id"], "Customer does not exist.");
    assert.equal(err.detail[0].input, "no_such_user");
    await rejectsValidation(() => polar.customerSessions.create({ customerId: "7c1f0b2a-9d4e-4c3b-8a5f-6e2d1c0b9a87" }),
      ["body", "customer_id"], "Customer does not exist.");
  });

  it("answers 401 to a wrong access token and to a wrong session token", async () => {
    const wrong = new Polar({ serverURL: fake.server, accessToken: "polar_oat_wrongwrongwrongwrongwrongwrongwrongwrong" });
    const err = await wrong.customerSessions.create({ externalCustomerId: seed.ada.externalId }).then(() => assert.fail("no error"), (e) => e);
    assert.ok(err instanceof SDKError, `${err?.name}: ${err?.message}`);
    assert.equal(err.statusCode, 401);
    assert.ok(!(err instanceof HTTPValidationError));
    assert.equal(JSON.parse(err.body).error, "invalid_token");

    const bad = await polar.customerPortal.customerSession.introspect({ memberSession: "polar_mst_wrongwrongwrongwrongwrongwrongwrongwron" })
      .then(() => assert.fail("no error"), (e) => e);
    assert.ok(bad instanceof SDKError, `${bad?.name}: ${bad?.message}`);
    assert.equal(bad.statusCode, 401);
  });

  it("surfaces a scripted 429 as an error when retries are off (the default)", async () => {
    await fake.control.faults("create", [{ kind: "status", status: 429, retry_after: 1 }]);
    const err = await polar.customerSessions.create({ externalCustomerId: seed.ada.externalId }).then(() => assert.fail("no error"), (e) => e);
    assert.ok(err instanceof SDKError, `${err?.name}: ${err?.message}`);
    assert.equal(err.statusCode, 429);
    assert.equal(err.headers.get("retry-after"), "1");
    assert.equal((await fake.control.requests()).length, 1);
  });

  for (const status of [429, 503]) {
    it(`retries a scripted ${status} after its Retry-After when retryConfig turns retries on`, async () => {
      await fake.control.faults("create", [{ kind: "status", status, retry_after: 1 }]);
      const start = performance.now();
      const session = await create({ externalCustomerId: seed.ada.externalId }, retrying());
      const took = performance.now() - start;
      assertSession(session, seed.ada);
      assert.ok(took >= 1000, `the retry came after ${took.toFixed(0)} ms, before Retry-After's 1 s`);

      const reqs = await fake.control.requests();
      assert.deepEqual(reqs.map((r) => r.status), [status, 201]);
      assert.equal(reqs[0].body, reqs[1].body, "the retry sent another body");
    });
  }

  it("surfaces a reset connection as ConnectionError, and retries it with retryConnectionErrors", async () => {
    await fake.control.faults("create", [{ kind: "reset" }]);
    const err = await polar.customerSessions.create({ externalCustomerId: seed.ada.externalId }).then(() => assert.fail("no error"), (e) => e);
    assert.ok(err instanceof ConnectionError, `${err?.name}: ${err?.message}`);

    await fake.control.reset();
    await fake.control.faults("create", [{ kind: "reset" }]);
    assertSession(await create({ externalCustomerId: seed.ada.externalId }, retrying({ retryConnectionErrors: true })), seed.ada);
    assert.deepEqual((await fake.control.requests()).map((r) => [r.status, r.fault]), [[0, "reset"], [201, "none"]]);
  });

  it("surfaces a delay past timeoutMs as RequestTimeoutError", async () => {
    await fake.control.faults("create", [{ kind: "delay", delay_ms: 500 }]);
    const err = await polar.customerSessions.create({ externalCustomerId: seed.ada.externalId }, { timeoutMs: 100 })
      .then(() => assert.fail("no error"), (e) => e);
    assert.ok(err instanceof RequestTimeoutError, `${err?.name}: ${err?.message}`);
  });

  it("rejects a truncated and a malformed body (the SDK lets the parser's error through)", async () => {
    for (const kind of ["truncated", "malformed"]) {
      await fake.control.reset();
      await fake.control.faults("create", [{ kind }]);
      await assert.rejects(polar.customerSessions.create({ externalCustomerId: seed.ada.externalId }));
      assert.deepEqual((await fake.control.requests()).map((r) => [r.status, r.fault]), [[201, kind]]);
    }
  });

  it("answers 401 to a session once the clock has passed its expiry", async () => {
    const session = await create({ externalCustomerId: seed.ada.externalId });
    await fake.control.advanceClock(3599);
    await polar.customerPortal.customerSession.introspect({ memberSession: session.token });
    await fake.control.advanceClock(2);
    const err = await polar.customerPortal.customerSession.introspect({ memberSession: session.token })
      .then(() => assert.fail("no error"), (e) => e);
    assert.ok(err instanceof SDKError, `${err?.name}: ${err?.message}`);
    assert.equal(err.statusCode, 401);
  });

  it("refuses a deleted customer with HTTPValidationError", async () => {
    await create({ customerId: seed.ada.id });
    await fake.control.deleteCustomer(seed.ada.id);
    await rejectsValidation(() => polar.customerSessions.create({ customerId: seed.ada.id }),
      ["body", "customer_id"], "Customer does not exist.");
    await rejectsValidation(() => polar.customerSessions.create({ externalCustomerId: seed.ada.externalId }),
      ["body", "external_customer_id"], "Customer does not exist.");
  });

  it("creates a session for a customer added through the control API", async () => {
    const added = await fake.control.addCustomer({ external_id: "user_added", email: "added@example.com", name: "Added" });
    assert.match(added.id, /^[0-9a-f-]{36}$/);
    const session = await create({ externalCustomerId: "user_added" });
    assertSession(session, { id: added.id, externalId: "user_added" }, { email: "added@example.com" });
    assert.equal(session.customer.name, "Added");
  });
});

describe("@polar-sh/sdk 0.49.0, organization without members, under a base path", () => {
  let fake;
  before(async () => { fake = await startFake(["--member-model=false", "--base-path", "/polar"]); });
  after(() => fake?.stop());

  it("creates a customer session (polar_cst_) and introspects it", async () => {
    assert.ok(fake.server.endsWith("/polar"), fake.server);
    const polar = new Polar({ serverURL: fake.server, accessToken: fake.accessToken });
    const session = await polar.customerSessions.create({ externalCustomerId: seed.ada.externalId });
    fake.watch(session.token);
    assertSession(session, seed.ada, { prefix: "polar_cst_", email: seed.ada.email });
    const me = await polar.customerPortal.customerSession.introspect({ customerSession: session.token });
    assert.equal(me.expiresAt.getTime(), session.expiresAt.getTime());
    const reqs = await fake.control.requests();
    assert.deepEqual(reqs.map((r) => `${r.method} ${r.path} ${r.status}`), [
      "POST /polar/v1/customer-sessions/ 201",
      "GET /polar/v1/customer-portal/customer-session/introspect 200",
    ]);
  });
});
