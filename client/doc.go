// Package client is the Go client for Polar's customer-session API.
//
// A customer session is a one-hour token that lets one of your customers
// into Polar's customer portal. Create makes one with your organization
// access token; Introspect asks Polar about one with the session token itself.
//
// For an organization with Polar's member model (every organization Polar
// creates today), Create makes a member session, polar_mst_…, for a member
// of the customer: the member named by MemberID or ExternalMemberID, or, for
// an individual customer, its owner member. A team customer needs a member:
// without one Polar answers 422 (rules.MsgMemberRequired). Organizations
// without the member model get customer sessions, polar_cst_…, and member
// fields are ignored. Both kinds are used the same way, and the client
// assumes neither.
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
// # Options
//
// One Option type configures both the client (New) and a single call (the
// trailing arguments of Create and Introspect); a call's options are applied
// after the client's and win. So a per-call WithAccessToken uses another
// organization's token for one call, and WithTimeout bounds one call.
//
// # Security
//
// Create sends the organization access token; Introspect sends only the
// session token it is given. Tokens of the wrong kind, empty tokens and
// tokens holding whitespace are refused before anything is sent. Base URLs
// must be https (http only for loopback). No token or customer portal URL
// appears in an error string, a log line, or a CustomerSession printed with
// fmt or slog. With the client's own HTTP client (or one from
// NewHTTPClient), redirects that leave the API's origin lose the
// Authorization header; a doer given to WithHTTPClient applies its own
// redirect policy.
//
// # Errors
//
// Every failure is one of:
//   - *InputError (errors.Is ErrInvalidRequest): refused before sending;
//   - *APIError: Polar answered with a non-2xx status, or a 2xx that could
//     not be read; errors.Is matches ErrUnauthorized, ErrForbidden,
//     ErrNotFound, ErrRateLimited and ErrServer by status;
//   - *ValidationError: Polar's 422, with its field errors (errors.As also
//     finds its *APIError);
//   - *TransportError: no usable response (connection, TLS, timeout);
//   - a context error (errors.Is context.Canceled or DeadlineExceeded),
//     wrapped with the last failure when it struck while waiting to retry.
//
// # Retries
//
// Retries are on by default (DefaultRetryPolicy): 408, 429, 5xx except 501,
// and safe transport failures are retried with the server's Retry-After or
// jittered exponential backoff, never past the context's deadline; an
// attempt that takes more than 5s is abandoned and retried. See
// RetryPolicy for why Create, a POST, is retried too.
//
// # Rate limits
//
// Polar allows each organization 500 requests a minute (100 in the
// sandbox). After a 429, the Client holds back further calls with the same
// token until Polar's Retry-After has passed (WithCooldown), so a busy
// service does not spend requests on more 429s. WithRateLimiter paces
// attempts to stay under the budget in the first place.
//
// # Middleware
//
// WithMiddleware wraps every attempt, inside the retry loop, for tracing,
// metrics or request IDs, while the client's own tuned HTTP client
// (NewHTTPClient), its connection limits and its redirect policy stay in
// force beneath it.
package client
