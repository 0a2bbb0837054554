import { Polar } from "@polar-sh/sdk";

const server = process.env.POLAR_SERVER; // as polar-sessions fake printed it
// A customer for this example, through the fake's control API (at the root).
await fetch(new URL("/_polartest/customers", server), {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ external_id: "user_42", email: "ada@example.com" }),
});

const polar = new Polar({ serverURL: server, accessToken: process.env.POLAR_ACCESS_TOKEN });
const session = await polar.customerSessions.create({ externalCustomerId: "user_42" });
console.log(session.customerPortalUrl);

// The session's token authenticates the customer portal's API.
const me = await polar.customerPortal.customerSession.introspect({ memberSession: session.token });
console.log(me.expiresAt.getTime() === session.expiresAt.getTime());
