import { createPolar } from "@polar-sh/sdk/2026-10";

const server = process.env.POLAR_SERVER; // as polar-sessions fake printed it
// A customer for this example, through the fake's control API (at the root).
await fetch(new URL("/_polartest/customers", server), {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ external_id: "user_42", email: "ada@example.com" }),
});

const polar = createPolar({ baseUrl: server, accessToken: process.env.POLAR_ACCESS_TOKEN });
const session = await polar.customerSessions.create({ external_customer_id: "user_42" });
console.log(session.customer_portal_url);

// The session's token authenticates the customer portal's API.
const me = await polar.customerPortal.customerSession.introspect({ accessToken: session.token });
console.log(me.expires_at === session.expires_at);
