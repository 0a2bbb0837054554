// Package portal is an http.Handler that sends the signed-in visitor to
// their Polar customer portal: the "Manage billing" link of an application.
// A visit creates a customer session for the visitor and redirects to its
// customer_portal_url.
//
//	polar, err := client.New() // POLAR_ACCESS_TOKEN
//	if err != nil { … }
//	h, err := portal.New(portal.Config{
//		Client: polar,
//		Customer: func(r *http.Request) (client.CreateCustomerSessionRequest, error) {
//			user, ok := auth.UserFrom(r.Context()) // your sign-in
//			if !ok {
//				return client.CreateCustomerSessionRequest{}, portal.ErrNoCustomer
//			}
//			return client.CreateCustomerSessionRequest{ExternalCustomerID: user.ID}, nil
//		},
//		ReturnURL: "https://example.com/account",
//	})
//	if err != nil { … }
//	http.Handle("/billing", h)
//
// The Handler is a plain http.Handler: mount it on net/http's ServeMux, chi
// (r.Handle), echo (echo.WrapHandler), gin (gin.WrapH) or any router that
// takes one. Put your sign-in middleware in front of it if you want
// anonymous visitors redirected to a login page rather than answered 401.
//
// # Answers
//
// GET and POST are served; any other method gets 405 with Allow: GET, POST.
//
//   - Success: 303 See Other to the portal, with no body; or, when the
//     request's Accept names application/json, 200 with
//     {"url": "<customer_portal_url>", "expires_at": "<RFC 3339>"}, for a
//     page that opens the portal itself (in a new tab, say).
//   - Config.Customer returns ErrNoCustomer: 401, and nothing is sent to
//     Polar. Any other error from it: 500.
//   - Polar does not know the customer or the member: 404.
//   - Polar refuses a team customer without a member, or the client refuses
//     the request before sending (Config.Customer returned a malformed
//     one): 500. Both are the application's mistakes, and the log says
//     which.
//   - Polar rate limits the create beyond what the client's retry policy
//     waits out, or the client holds the create back because an earlier
//     429 has not expired yet (client.WithCooldown): 503 with Retry-After
//     in whole seconds, rounded up. The application's own rate limiter
//     (client.WithRateLimiter) refusing the create: 503, without
//     Retry-After, as the limiter does not say how long.
//   - Any other failure of Polar or the network: 502.
//   - Config.Customer or Config.Now panics: 500, logged; a Handler not made
//     by New answers 500 too.
//   - The visit's own context ends first: 504 for a deadline, 503 when the
//     visitor went away.
//
// Every answer carries Cache-Control: no-store, Referrer-Policy: no-referrer
// and X-Content-Type-Options: nosniff: the portal URL embeds the session
// token, a bearer credential for the customer's billing, and must not be
// cached by a proxy or sent on in a Referer. Error bodies are short and
// generic, the status text or {"error": "not_found"} and the like, never
// Polar's words, never a token. No CORS header is set, deliberately: the
// JSON answer is for your own pages only.
//
// # Reusing sessions
//
// By default every visit creates a session: each visitor gets a fresh
// token, valid for an hour, that nobody else has seen. With Config.Reuse,
// the handler keeps the sessions it creates, in memory, and hands one out
// again to later visits for the same customer, member and return URL, as
// long as at least Reuse of its life remains; visits that arrive while a
// create for them is in progress wait for it, so a burst of clicks is one
// call to Polar. It is worth it when visits are frequent enough to meet
// Polar's rate limits or its latency.
//
// What reuse means for security, and why it is off by default:
//
//   - Same customer, same bearer: every visit for one customer (and
//     member, and return URL) gets the same session token until the
//     session is dropped. Visitors that Config.Customer maps to the same
//     customer see the same portal either way; with reuse they also hold
//     the same credential, so a link one of them leaks (a screenshot, a
//     shared browser's history) is the one the others are being sent to.
//   - A reused link has less life left than a fresh one: at least Reuse,
//     at most an hour. A long Reuse keeps links fresh but reuses little.
//   - A session cannot be revoked by the handler: a kept session stays
//     valid at Polar until it expires, even after it is dropped.
//   - Kept sessions live in the process's memory; nothing is written
//     elsewhere. At most MaxKeptSessions are kept.
//
// A failed create is never kept. The create that waiting visits share is
// not cancelled when the visit that started it goes away (its session is
// still wanted), but is bounded to 30 seconds; each waiting visit still
// gives up when its own request's context ends.
//
// # Return URL
//
// Config.ReturnURL is the default ReturnURL of the requests Config.Customer
// returns. The handler never reads a return URL from the visit (query,
// form, Referer): a return URL the visitor chooses would make the handler
// an open redirect, one that a phishing link could route through your
// domain and Polar's portal.
//
// # Logging
//
// With Config.Logger, each failed visit is logged once: at error level
// when the configuration or the application must change (the Customer
// func failed, a request refused before sending, a team customer without
// a member, Polar refusing the access token or the request), at warn level
// otherwise (unknown customer, rate limit, Polar or network failures), and
// at debug level for visitors who are not signed in or went away, and for
// methods other than GET and POST. A
// successful visit is logged at debug level. Lines carry the answered
// status, a cause, the client's error (which never holds a token or portal
// URL) and the customer and member IDs the visit was for, under their
// field names (external_customer_id=…): those are your application's own
// identifiers. No line holds a token or a portal URL.
package portal
