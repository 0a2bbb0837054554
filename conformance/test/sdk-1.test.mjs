// @polar-sh/sdk 1.0.1 (Polar's SDK 1.0: createPolar from a version's entry
// point, with baseUrl) against polar-sessions fake, once for each API version
// it ships. Each sends its version as Polar-Version, so the fake must serve
// all three. It does not check responses against a schema (it returns the
// JSON as parsed) and has no retries: a 429 is a PolarRateLimitError with the
// Retry-After seconds, for the caller to honour.
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";

import { PolarClientError, PolarError, PolarNetworkError, PolarRateLimitError, PolarServerError } from "polar-sdk-1";
import * as v202604 from "polar-sdk-1/2026-04";
import * as v202610 from "polar-sdk-1/2026-10";
import * as v202701 from "polar-sdk-1/2027-01";
import { createCustomerSessions as create202610 } from "polar-sdk-1/2026-10/services/customer_sessions";
import { introspectCustomerSession as introspect202610 } from "polar-sdk-1/2026-10/services/customer_portal/customer_session";

import { startFake, seed } from "../lib/fake.mjs";

const returnUrl = "https://example.com/account?tab=billing";
const versions = [["2026-04", v202604], ["2026-10", v202610], ["2027-01", v202701]];

// Checks a created session against the customer (and member) it is for.
function assertSession(session, customer, { email, prefix = "polar_mst_" } = {}) {
  assert.ok(session.token.startsWith(prefix), `token prefix ${session.token.slice(0, 10)}`);
  assert.equal(session.customer_id, customer.id);
  assert.equal(session.customer.id, customer.id);
  assert.equal(session.customer.external_id, customer.externalId ?? null);
  assert.ok(Date.parse(session.expires_at) > Date.parse(session.created_at));
  const portal = new URL(session.customer_portal_url);
  assert.equal(portal.searchParams.get("customer_session_token"), session.token);
  if (email) assert.equal(portal.searchParams.get("email"), email);
}

async function rejection(promise) {
  return promise.then((v) => assert.fail(`no error: ${JSON.stringify(v)}`), (e) => e);
}

let fake;
before(async () => { fake = await startFake(["-v"]); });
after(async () => {
  await fake?.stop();
  assert.match(fake.stderr, /\/v1\/customer-sessions\//, "-v wrote no request lines");
});

for (const [version, sdk] of versions) {
  describe(`@polar-sh/sdk 1.0.1, @polar-sh/sdk/${version}`, () => {
    const { HTTPValidationError } = sdk.errors;
    let polar;

    // Rejects with the version's HTTPValidationError, first detail at loc with msg.
    async function rejectsValidation(promise, loc, msg) {
      const err = await rejection(promise);
      assert.ok(err instanceof HTTPValidationError, `${err?.name}: ${err?.message}`);
      assert.ok(err instanceof PolarClientError && err instanceof PolarError);
      assert.equal(err.statusCode, 422);
      assert.deepEqual(err.error.detail[0].loc, loc);
      assert.equal(err.error.detail[0].msg, msg);
      return err;
    }

    async function create(body, client = polar) {
      const session = await client.customerSessions.create(body);
      fake.watch(session.token);
      return session;
    }

    before(() => { polar = sdk.createPolar({ baseUrl: fake.server, accessToken: fake.accessToken }); });
    beforeEach(() => fake.control.reset());

    it("creates a session by external customer ID, sending its Polar-Version", async () => {
      const session = await create({ external_customer_id: seed.ada.externalId, return_url: returnUrl });
      assertSession(session, seed.ada, { email: seed.ada.email });
      assert.equal(session.return_url, returnUrl);
      assert.equal(session.customer.type, "individual");

      const [req, ...more] = await fake.control.requests();
      assert.equal(more.length, 0);
      assert.equal(req.method, "POST");
      assert.equal(req.path, "/v1/customer-sessions/");
      assert.equal(req.status, 201);
      assert.deepEqual(req.header["Polar-Version"], [version]);
      assert.deepEqual(JSON.parse(req.body), { external_customer_id: seed.ada.externalId, return_url: returnUrl });
      assert.ok(!JSON.stringify(req).includes(fake.accessToken), "the access token is in the recorded request");
    });

    it("creates a session by customer ID", async () => {
      const session = await create({ customer_id: seed.ada.id });
      assertSession(session, seed.ada, { email: seed.ada.email });
      assert.equal(session.return_url, null);
    });

    it("creates a session for a team's member, by member ID and by external member ID", async () => {
      const byID = await create({ customer_id: seed.acme.id, member_id: seed.grace.id });
      assertSession(byID, seed.acme, { email: seed.grace.email });
      assert.equal(byID.customer.type, "team");
      const byExternal = await create({ external_customer_id: seed.acme.externalId, external_member_id: seed.linus.externalId });
      assertSession(byExternal, seed.acme, { email: seed.linus.email });
    });

    it("refuses a team without a member, and an unknown member, with HTTPValidationError", async () => {
      await rejectsValidation(polar.customerSessions.create({ customer_id: seed.acme.id }),
        ["body", "member_id"], "member_id is required for team customers.");
      await rejectsValidation(polar.customerSessions.create({ customer_id: seed.acme.id, member_id: seed.ada.id }),
        ["body", "member_id"], "Member does not exist for this customer.");
    });

    it("introspects the session, with the per-call accessToken and with a client of the session's token", async () => {
      const session = await create({ external_customer_id: seed.ada.externalId, return_url: returnUrl });
      const me = await polar.customerPortal.customerSession.introspect({ accessToken: session.token });
      assert.equal(me.expires_at, session.expires_at);
      assert.equal(me.return_url, returnUrl);

      const portal = sdk.createPolar({ baseUrl: fake.server, accessToken: session.token });
      const again = await portal.customerPortal.customerSession.introspect();
      assert.equal(again.expires_at, session.expires_at);

      const introspects = (await fake.control.requests()).filter((r) => r.path === "/v1/customer-portal/customer-session/introspect");
      assert.deepEqual(introspects.map((r) => `${r.method} ${r.status} ${r.header["Polar-Version"]}`), [`GET 200 ${version}`, `GET 200 ${version}`]);
      for (const r of introspects) assert.ok(!JSON.stringify(r).includes(session.token), "the session token is in the recorded request");
    });

    it("surfaces a 422 for an unknown customer as HTTPValidationError", async () => {
      const err = await rejectsValidation(polar.customerSessions.create({ external_customer_id: "no_such_user" }),
        ["body", "external_customer_id"], "Customer does not exist.");
      assert.equal(err.error.detail[0].input, "no_such_user");
      await rejectsValidation(polar.customerSessions.create({ customer_id: "7c1f0b2a-9d4e-4c3b-8a5f-6e2d1c0b9a87" }),
        ["body", "customer_id"], "Customer does not exist.");
    });

    it("answers 401 to a wrong access token and to a wrong session token", async () => {
      const wrong = sdk.createPolar({ baseUrl: fake.server, accessToken: "polar_oat_wrongwrongwrongwrongwrongwrongwrongwrong" });
      const err = await rejection(wrong.customerSessions.create({ external_customer_id: seed.ada.externalId }));
      assert.ok(err instanceof PolarClientError, `${err?.name}: ${err?.message}`);
      assert.ok(!(err instanceof HTTPValidationError) && !(err instanceof PolarRateLimitError));
      assert.equal(err.statusCode, 401);
      assert.equal(JSON.parse(err.error).error, "invalid_token");

      const bad = await rejection(polar.customerPortal.customerSession.introspect({ accessToken: "polar_mst_wrongwrongwrongwrongwrongwrongwrongwron" }));
      assert.ok(bad instanceof PolarClientError, `${bad?.name}: ${bad?.message}`);
      assert.equal(bad.statusCode, 401);
    });

    it("surfaces a scripted 429 as PolarRateLimitError with its Retry-After (1.0.1 has no retries)", async () => {
      await fake.control.faults("create", [{ kind: "status", status: 429, retry_after: 2 }]);
      const err = await rejection(polar.customerSessions.create({ external_customer_id: seed.ada.externalId }));
      assert.ok(err instanceof PolarRateLimitError, `${err?.name}: ${err?.message}`);
      assert.equal(err.statusCode, 429);
      assert.equal(err.retryAfter, 2);
      assert.deepEqual((await fake.control.requests()).map((r) => r.status), [429]);
      // The script is used up: the caller's own retry gets through.
      assertSession(await create({ external_customer_id: seed.ada.externalId }), seed.ada);
    });

    it("surfaces a scripted 503 as PolarServerError, a reset connection and a delay past timeout as PolarNetworkError", async () => {
      const body = { external_customer_id: seed.ada.externalId };
      await fake.control.faults("create", [{ kind: "status", status: 503, retry_after: 1 }, { kind: "reset" }]);
      assert.ok(await rejection(polar.customerSessions.create(body)) instanceof PolarServerError);
      assert.ok(await rejection(polar.customerSessions.create(body)) instanceof PolarNetworkError);

      await fake.control.faults("create", [{ kind: "delay", delay_ms: 500 }]);
      const err = await rejection(polar.customerSessions.create(body, { timeout: 0.1 }));
      assert.ok(err instanceof PolarNetworkError, `${err?.name}: ${err?.message}`);
      assert.match(err.message, /timeout/);
      assert.deepEqual((await fake.control.requests()).map((r) => [r.status, r.fault]), [[503, "status"], [0, "reset"], [0, "delay"]]);
    });

    it("rejects a truncated and a malformed body (the SDK lets the parser's error through)", async () => {
      await fake.control.faults("create", [{ kind: "truncated" }, { kind: "malformed" }]);
      await assert.rejects(polar.customerSessions.create({ external_customer_id: seed.ada.externalId }));
      await assert.rejects(polar.customerSessions.create({ external_customer_id: seed.ada.externalId }));
      assert.deepEqual((await fake.control.requests()).map((r) => [r.status, r.fault]), [[201, "truncated"], [201, "malformed"]]);
    });

    it("answers 401 to a session once the clock has passed its expiry", async () => {
      const session = await create({ external_customer_id: seed.ada.externalId });
      await fake.control.advanceClock(3599);
      await polar.customerPortal.customerSession.introspect({ accessToken: session.token });
      await fake.control.advanceClock(2);
      const err = await rejection(polar.customerPortal.customerSession.introspect({ accessToken: session.token }));
      assert.ok(err instanceof PolarClientError, `${err?.name}: ${err?.message}`);
      assert.equal(err.statusCode, 401);
    });

    it("refuses a deleted customer with HTTPValidationError", async () => {
      await create({ customer_id: seed.ada.id });
      await fake.control.deleteCustomer(seed.ada.id);
      await rejectsValidation(polar.customerSessions.create({ customer_id: seed.ada.id }),
        ["body", "customer_id"], "Customer does not exist.");
      await rejectsValidation(polar.customerSessions.create({ external_customer_id: seed.ada.externalId }),
        ["body", "external_customer_id"], "Customer does not exist.");
    });
  });
}

describe("@polar-sh/sdk 1.0.1, the standalone functions of @polar-sh/sdk/2026-10", () => {
  beforeEach(() => fake.control.reset());

  it("creates with createCustomerSessions(createPolarCore(…)) and introspects with introspectCustomerSession", async () => {
    const core = v202610.createPolarCore({ baseUrl: fake.server, accessToken: fake.accessToken });
    const session = await create202610(core)({ external_customer_id: seed.ada.externalId });
    fake.watch(session.token);
    assertSession(session, seed.ada);
    const me = await introspect202610(core)({ accessToken: session.token });
    assert.equal(me.expires_at, session.expires_at);
  });
});

describe("@polar-sh/sdk 1.0.1, organization without members, under a base path", () => {
  let other;
  before(async () => { other = await startFake(["--member-model=false", "--base-path", "/polar"]); });
  after(() => other?.stop());

  it("creates a customer session (polar_cst_) and introspects it", async () => {
    assert.ok(other.server.endsWith("/polar"), other.server);
    const polar = v202610.createPolar({ baseUrl: other.server, accessToken: other.accessToken });
    const session = await polar.customerSessions.create({ external_customer_id: seed.ada.externalId });
    other.watch(session.token);
    assertSession(session, seed.ada, { prefix: "polar_cst_", email: seed.ada.email });
    const me = await polar.customerPortal.customerSession.introspect({ accessToken: session.token });
    assert.equal(me.expires_at, session.expires_at);
    assert.deepEqual((await other.control.requests()).map((r) => `${r.method} ${r.path} ${r.status}`), [
      "POST /polar/v1/customer-sessions/ 201",
      "GET /polar/v1/customer-portal/customer-session/introspect 200",
    ]);
  });
});
