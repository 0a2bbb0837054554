// Package client is the Go client for Polar's customer-session API.
//
// A customer session is a one-hour token that lets one of your customers
// into Polar's customer portal. Create makes one with your organization
// access token; Introspect asks Polar about one with the session token itself.
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
// fmt or slog. Redirects that leave the API's origin lose the Authorization
// header.
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
// jittered exponential backoff, never past the context's deadline. See
// RetryPolicy for why Create, a POST, is retried too.
package client
