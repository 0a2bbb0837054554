// Package client is the Go client for Polar's customer-session API: a thin
// facade over the client oapi-codegen generates (package gen), adding
// per-call credentials, input checks, retries, rate limiting, middleware
// and secret-safe errors.
//
//	c, err := client.New() // reads POLAR_ACCESS_TOKEN; or pass WithAccessToken
//	if err != nil { … }
//	sess, err := c.CustomerSessions.Create(ctx, client.CreateCustomerSessionRequest{
//		ExternalCustomerID: "usr_1337",
//		ReturnURL:          "https://example.com/account",
//	})
//	if err != nil { … }
//	http.Redirect(w, r, sess.CustomerPortalURL, http.StatusSeeOther)
//
// # Sessions and members
//
// A session is a one-hour token that lets a customer into Polar's customer
// portal. Create makes one with your organization access token; Introspect
// tells its expiry and return URL to the session token itself (not whom it
// is for: that is Polar's customer-portal API, outside this module).
//
// For an organization with Polar's member model (every organization Polar
// creates today), Create makes a member session, polar_mst_…, for one
// member of the customer: the member named by MemberID or ExternalMemberID,
// which Polar looks up among that customer's members only (else 422,
// ErrMemberNotFound; MemberID wins if both were sent, so the client refuses
// the pair); or, for an individual customer, its owner member, which Polar
// creates from the customer (email, name, external ID) on first use. A team
// customer needs a member (else 422, ErrMemberRequired). Organizations
// without the member model get customer sessions, polar_cst_…, and member
// fields are ignored. Both kinds work the same way: the portal URL carries
// the token and an email (the member's, or the customer's), so treat it as
// the token. An unknown customer is a 422, ErrCustomerNotFound.
//
// # Options
//
// One Option type configures both the client (New) and a single call (the
// trailing arguments of Create and Introspect); a call's options are applied
// after the client's and win: a per-call WithAccessToken uses another
// organization's token for one call, and WithTimeout bounds one call.
//
// # Security
//
// Create sends the organization access token; Introspect sends only the
// session token it is given. Tokens of the wrong kind, empty tokens and
// tokens holding whitespace are refused before anything is sent, and so is
// input Polar would refuse (rules, shared with polartest). Base URLs must be
// https (http only for loopback). No token or customer portal URL appears in
// an error string, a log line, or a CustomerSession printed with fmt or
// slog, whatever a server echoes: secrets are redacted where a response
// enters a value. With the client's own HTTP client, redirects that leave
// the API's origin lose the Authorization header.
//
// # Errors
//
// Every failure is one of:
//   - *InputError (errors.Is ErrInvalidRequest): refused before sending;
//   - *APIError: a non-2xx status, or a 2xx that could not be read;
//     errors.Is matches ErrUnauthorized, ErrForbidden, ErrNotFound,
//     ErrRateLimited and ErrServer by status;
//   - *ValidationError: Polar's 422, with its field errors (errors.As also
//     finds its *APIError; errors.Is, the customer and member sentinels);
//   - *TransportError: no usable response (connection, TLS, timeout, a
//     refusing rate limiter, a panic in a hook);
//   - a context error (errors.Is context.Canceled or DeadlineExceeded),
//     wrapped with the last failure when it struck while waiting to retry.
//
// # Retries and rate limits
//
// Retries are on by default (DefaultRetryPolicy): 408, 429, 5xx except 501
// and safe transport failures, with the server's Retry-After or jittered
// backoff, never past the context's deadline. Polar allows each
// organization 500 requests a minute (100 in the sandbox), shared by every
// process using its tokens, and answers the rest 429 with a Retry-After
// and an empty body. After a 429 the Client holds back calls with the same
// token until then (WithCooldown); WithRateLimiter paces attempts to stay
// under the budget, and the redislimit module shares one budget across a
// fleet. WithMiddleware wraps every attempt, inside the retry loop.
package client
