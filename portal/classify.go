package portal

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
)

// outcome is how a failed visit is answered and logged.
type outcome struct {
	status     int
	retryAfter time.Duration // with 503: Polar's Retry-After
	cause      string        // the log's cause attribute
	level      slog.Level
	hint       string      // appended to the log message: what to fix
	attrs      []slog.Attr // more log attributes
}

// classify maps a failed create to the visitor's answer. ctx is the visit's
// own context: when it has ended, the visitor (or a deadline set in front of
// the handler) gave up, whatever the create returned.
func classify(ctx context.Context, err error) outcome {
	var (
		inputErr *client.InputError
		vErr     *client.ValidationError
		apiErr   *client.APIError
		tErr     *client.TransportError
	)
	switch {
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return outcome{status: http.StatusGatewayTimeout, cause: "deadline", level: slog.LevelWarn}
	case ctx.Err() != nil:
		// Nobody is left to read the answer; it is still a valid one.
		return outcome{status: http.StatusServiceUnavailable, cause: "canceled", level: slog.LevelDebug}
	case errors.As(err, &inputErr):
		return outcome{status: http.StatusInternalServerError, cause: "invalid_request", level: slog.LevelError,
			hint: "Config.Customer returned a request the client refused before sending"}
	case errors.As(err, &vErr):
		return classifyValidation(vErr)
	case errors.Is(err, client.ErrRateLimited) && errors.As(err, &apiErr):
		return outcome{status: http.StatusServiceUnavailable, retryAfter: apiErr.RetryAfter, cause: "rate_limited",
			level: slog.LevelWarn, attrs: apiAttrs(apiErr)}
	case errors.As(err, &apiErr):
		o := outcome{status: http.StatusBadGateway, cause: "polar_status", level: slog.LevelWarn, attrs: apiAttrs(apiErr)}
		if apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden {
			// Polar refused the organization token: no visit will succeed
			// until the configuration is fixed.
			o.level, o.hint = slog.LevelError, "Polar refused the client's access token"
		}
		return o
	case errors.As(err, &tErr) && tErr.Class == "panic":
		// The application's middleware, rate limiter or HTTP client
		// panicked; the client made it an error with a redacted message.
		return outcome{status: http.StatusInternalServerError, cause: "panic", level: slog.LevelError,
			hint: "a client middleware, rate limiter or HTTP client panicked"}
	case errors.As(err, &tErr) && tErr.Class == "rate_limiter":
		// The application's own limiter (client.WithRateLimiter) held the
		// visit back: nothing was sent, and Polar did not fail.
		return outcome{status: http.StatusServiceUnavailable, cause: "local_rate_limit", level: slog.LevelWarn,
			attrs: []slog.Attr{slog.String("class", tErr.Class), slog.Int("attempts", tErr.Attempts)}}
	case errors.As(err, &tErr):
		return outcome{status: http.StatusBadGateway, cause: "transport", level: slog.LevelWarn,
			attrs: []slog.Attr{slog.String("class", tErr.Class), slog.Int("attempts", tErr.Attempts)}}
	}
	return outcome{status: http.StatusBadGateway, cause: "other", level: slog.LevelWarn}
}

// classifyValidation maps Polar's 422. Only Polar's own "does not exist"
// answers mean the customer or member is unknown; a team customer without
// a member is the application's mistake; anything else Polar refused is a
// failure between the application and Polar.
func classifyValidation(vErr *client.ValidationError) outcome {
	attrs := apiAttrs(vErr.APIError)
	switch {
	case errors.Is(vErr, client.ErrCustomerNotFound):
		return outcome{status: http.StatusNotFound, cause: "unknown_customer", level: slog.LevelWarn, attrs: attrs}
	case errors.Is(vErr, client.ErrMemberNotFound):
		return outcome{status: http.StatusNotFound, cause: "unknown_member", level: slog.LevelWarn, attrs: attrs}
	case errors.Is(vErr, client.ErrMemberRequired):
		return outcome{status: http.StatusInternalServerError, cause: "member_required", level: slog.LevelError, attrs: attrs,
			hint: "the customer is a team: Config.Customer must set MemberID or ExternalMemberID"}
	}
	return outcome{status: http.StatusBadGateway, cause: "polar_refused", level: slog.LevelError, attrs: attrs}
}

func apiAttrs(e *client.APIError) []slog.Attr {
	if e == nil {
		return nil
	}
	attrs := []slog.Attr{slog.Int("polar_status", e.StatusCode), slog.Int("attempts", e.Attempts)}
	if e.RetryAfter > 0 {
		attrs = append(attrs, slog.Duration("retry_after", e.RetryAfter))
	}
	return attrs
}
