// Package client is the Go client for Polar's customer-session API: a thin
// facade over the client oapi-codegen generates (package gen) that adds
// per-call credentials, input checks by Polar's rules, retries, rate limits,
// middleware and secret-safe errors.
//
//	c, err := client.New() // reads POLAR_ACCESS_TOKEN; or pass WithAccessToken
//	if err != nil { … }
//	sess, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{
//		ExternalCustomerID: "usr_1337",
//		ReturnURL:          "https://example.com/account",
//	})
//	if err != nil { … }
//	http.Redirect(w, r, sess.CustomerPortalURL.Reveal(), http.StatusSeeOther)
//
// A session is a one-hour token that lets a customer into Polar's portal.
// Create makes one with the organization access token; Introspect gives its
// expiry and return URL to the session token itself. Organizations with
// Polar's member model (all those created today) get member sessions,
// polar_mst_…, for the member named (ErrMemberNotFound when the customer has
// none such), or an individual's owner member; a team needs a member
// (ErrMemberRequired). Older organizations get polar_cst_… sessions.
//
// Failures are typed (*InputError, *APIError, *ValidationError,
// *TransportError) and never show a token or portal URL, whatever a server
// echoes. Polar allows an organization 500 requests a minute: calls retry
// (RetryPolicy), hold back after a 429 (WithCooldown), can be paced
// (WithRateLimiter; the redislimit module paces a fleet) and wrapped
// (WithMiddleware).
package client
