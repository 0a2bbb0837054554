// Package polartest runs an in-process fake of Polar's customer-session API,
// so code that talks to Polar can be tested without network access or
// sandbox tokens.
//
// The fake serves the two operations of the module's trimmed OpenAPI spec,
// exactly where Polar serves them:
//
//	POST /v1/customer-sessions/                         (organization access token)
//	GET  /v1/customer-portal/customer-session/introspect (customer or member session token)
//
// Routing and the success response types come from the generated strict
// server in the gen package, so the fake cannot drift from the contract
// the client is built on. Around it, the fake answers as Polar's server
// does, layer by layer in the order of Polar's middleware, each answer
// with the headers of the layers outside the one that made it:
//
//   - the Polar-Version header accepted, echoed or refused with 404;
//   - 411 for a POST without Content-Length, 413 above 10 MiB, both from
//     the headers alone, without waiting for the body;
//   - the old API root, /api/v1, served as /v1 with an
//     X-Polar-Deprecation-Notice header;
//   - 401 invalid_token for a bearer token that names nothing live, before
//     the route or the body is looked at, as Polar's auth middleware
//     answers;
//   - Cache-Control: private, no-store on what the router and the handlers
//     answer;
//   - Starlette's router: JSON 404, 405 with Allow (no HEAD for a GET),
//     307 to the path with its trailing slash added or removed;
//   - the create body read as FastAPI reads it: as JSON only under a JSON
//     content type, 400 for bytes that are not text, 422 json_invalid for
//     JSON that does not parse;
//   - 401 and 403 with Polar's and authlib's bodies and WWW-Authenticate
//     headers;
//   - 422 with pydantic-shaped validation errors: the union of Polar's two
//     create models, unknown members ignored, external_customer_id also
//     read as customer_external_id, a NUL refused in text, return URLs
//     parsed as the WHATWG URL standard and IDNA parse them, and stored as
//     Polar stores them.
//
// A test starts a server, registers customers and points its client at it:
//
//	srv := polartest.NewServer(polartest.WithBasePath("/polar"))
//	defer srv.Close()
//	cust := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1337"})
//	// client with base URL srv.URL() and bearer srv.AccessToken() …
//
// # Organizations with members
//
// Every organization Polar creates today has the member model, and so does
// the server's unless WithMemberModel(false) is given. With it, create does
// not make a customer session: it makes a member session (a polar_mst_
// token) for one member of the customer, in the same response shape. The
// member is the one given by member_id or external_member_id, looked up
// among the customer's members only (422 "Member does not exist for this
// customer." otherwise); with neither, an individual customer gets its
// owner member, which the server creates from the customer on first use as
// Polar does, and a team customer is refused (422 "member_id is required
// for team customers."). The session's customer is the member's customer,
// and its customer_portal_url carries the member's email. AddMember
// registers members and Members lists them, the owner created on first use
// included.
//
// WithMemberModel(false) is an organization from before members: create
// makes customer sessions (polar_cst_) and ignores member_id and
// external_member_id. Introspection accepts both kinds of session either
// way.
//
// # Faults
//
// Script queues faults for the next requests of a route: a status answer
// (503, or 429 with Retry-After), a connection reset, a truncated body, a
// malformed body, or a delay before the normal answer. WithRandomFaults
// injects the same kinds at random, from a seed, for soak tests; Stats counts
// what was injected. WithRateLimit makes the server answer 429 as Polar does
// past a request budget. Requests records everything the server received.
//
// DeleteCustomer and DeleteMember delete as Polar does: the sessions of
// what is deleted stop authenticating, and create no longer finds it.
//
// Time comes from the clock given with WithClock, so session expiry and the
// rate-limit window can be tested without sleeping. Delays, which exist to
// exercise client timeouts, use real time and end early when the request's
// context is done or the server closes.
//
// Everything is safe for concurrent use, and nothing is shared between
// servers.
package polartest
