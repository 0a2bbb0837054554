package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/polarsessions/polarsessions-go/internal/fixtures"
	"github.com/polarsessions/polarsessions-go/rules"
)

// Fuzz targets. Their seeds run with every `go test`; `make fuzz` mutates
// them for a while (see the README). Seed corpora live in testdata/fuzz.

// fuzzSecret is planted in fuzzed response bodies: no error string may show it.
const fuzzSecret = "polar_cst_FUZZsecretTOKEN42"

// cannedDoer answers every request with one canned response, without a network.
type cannedDoer struct {
	status int
	header http.Header
	body   []byte
}

func (d cannedDoer) Do(*http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode:    d.status,
		Header:        d.header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(d.body)),
		ContentLength: -1,
	}, nil
}

func fuzzClient(t *testing.T, d cannedDoer) *Client {
	c, err := New(WithHTTPClient(d), WithAccessToken("polar_oat_fuzz"),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkOutcome holds for every call: a result or an error, never both or
// neither; errors are typed; no error string shows the planted secret.
func checkOutcome[T any](t *testing.T, v *T, err error) {
	t.Helper()
	if (v == nil) == (err == nil) {
		t.Fatalf("want exactly one of result and error, got %v and %v", v, err)
	}
	if err == nil {
		return
	}
	var apiErr *APIError
	var tErr *TransportError
	if !errors.As(err, &apiErr) && !errors.As(err, &tErr) {
		t.Fatalf("untyped error %T: %v", err, err)
	}
	if strings.Contains(err.Error(), fuzzSecret) {
		t.Fatalf("error string shows the secret: %q", err.Error())
	}
}

func FuzzDecodeCustomerSession(f *testing.F) {
	f.Add(fixtures.CustomerSessionIndividual())
	f.Add(fixtures.CustomerSessionTeam())
	f.Add([]byte(`{"customer":{"type":"household"}}`))
	f.Add([]byte(`{"customer":null,"expires_at":"not a time"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := fuzzClient(t, cannedDoer{status: 201, body: body})
		s, err := c.CustomerSessions.Create(context.Background(), CreateCustomerSessionRequest{CustomerID: "992fae2a-2a17-4b7a-8d9e-e287cf90131b"})
		checkOutcome(t, s, err)
		if s != nil {
			if s.Token == "" || s.CustomerPortalURL == "" || s.CustomerID == "" || s.ExpiresAt.IsZero() || s.CustomerType() == "" {
				t.Fatalf("incomplete session accepted: %s", body)
			}
			// The union helpers and redacting printers must cope with anything.
			_, _ = s.Individual()
			_, _ = s.Team()
			_ = s.String()
			_ = s.LogValue().Resolve()
		}
	})
}

func FuzzDecodeIntrospection(f *testing.F) {
	f.Add(fixtures.CustomerCustomerSession())
	f.Add(fixtures.CustomerCustomerSessionNoReturnURL())
	f.Add([]byte(`{"expires_at":1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c := fuzzClient(t, cannedDoer{status: 200, body: body})
		s, err := c.CustomerPortal.CustomerSession.Introspect(context.Background(), "polar_cst_fuzz")
		checkOutcome(t, s, err)
		if s != nil && s.ExpiresAt.IsZero() {
			t.Fatalf("introspection without expiry accepted: %s", body)
		}
	})
}

func FuzzErrorBody(f *testing.F) {
	f.Add(401, []byte(`{"error":"Unauthorized","detail":"Unauthorized"}`), "")
	f.Add(401, []byte(`{"error":"invalid_token","error_description":"expired"}`), "")
	f.Add(422, []byte(`{"error":"PolarRequestValidationError","detail":[{"loc":["body","customer_id"],"msg":"Customer does not exist.","type":"value_error","input":"x"}]}`), "")
	f.Add(422, []byte(`{"detail":[{"loc":[1.5,null,{}],"msg":7}]}`), "")
	f.Add(422, []byte(`{"detail":[{"loc":["body",["x"],{"k":"x"}],"msg":"m"}]}`), "")
	f.Add(429, []byte(``), "7")
	f.Add(503, []byte(`upstream connect error`), "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		status = 400 + abs(status)%200
		// Plant the secret where a careless server would echo it.
		body = bytes.Replace(body, []byte("x"), []byte(fuzzSecret), 1)
		h := http.Header{}
		if retryAfter != "" && !strings.ContainsAny(retryAfter, "\r\n") {
			h.Set("Retry-After", retryAfter)
		}
		c := fuzzClient(t, cannedDoer{status: status, header: h, body: body})
		s, err := c.CustomerSessions.Create(context.Background(), CreateCustomerSessionRequest{ExternalCustomerID: "x"})
		checkOutcome(t, s, err)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
			t.Fatalf("want *APIError with status %d, got %v", status, err)
		}
		if apiErr.RetryAfter < 0 {
			t.Fatalf("negative RetryAfter %v", apiErr.RetryAfter)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1) // no overflow at MinInt
	}
	return n
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"7", "0", "-1", "1.5", "", "Sat, 21 Nov 2026 12:00:30 GMT",
		"Saturday, 21-Nov-26 12:01:00 GMT", "Sat Nov 21 12:00:05 2026", "99999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if d < 0 {
			t.Fatalf("negative wait %v for %q", d, v)
		}
		if !ok && d != 0 {
			t.Fatalf("not ok but %v for %q", d, v)
		}
		digits := strings.TrimSpace(v)
		if n, err := strconv.Atoi(digits); err == nil && strings.Trim(digits, "0123456789") == "" && n < 1<<30 {
			if !ok || d != time.Duration(n)*time.Second {
				t.Fatalf("%q: got %v, %v", v, d, ok)
			}
		}
	})
}

func FuzzRequestValidation(f *testing.F) {
	f.Add("992fae2a-2a17-4b7a-8d9e-e287cf90131b", "", "", "", "https://example.com/account")
	f.Add("", "usr_1337", "", "mem_7", "")
	f.Add("", "usr\u2028", "3f2e1d0c-9b8a-4765-8432-10fedcba9876", "", "http://[::1]:80/x?y=<z>")
	f.Add("x", "y", "z", "w", "javascript:alert(1)")
	f.Fuzz(func(t *testing.T, customerID, externalCustomerID, memberID, externalMemberID, returnURL string) {
		req := CreateCustomerSessionRequest{customerID, externalCustomerID, memberID, externalMemberID, returnURL}
		body, err := req.body()
		if err != nil {
			var inErr *InputError
			if !errors.As(err, &inErr) || !errors.Is(err, ErrInvalidRequest) || inErr.Field == "" {
				t.Fatalf("want *InputError, got %T %v", err, err)
			}
			return
		}
		// Accepted: the JSON holds exactly the set fields.
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]string
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		// IDs go out canonical and the return URL percent-encoded, by the
		// rules Polar applies; everything else exactly as given.
		canonical := func(id string) string { c, _ := rules.ParseUUID4(id); return c }
		want := map[string]string{}
		for k, v := range map[string]string{"customer_id": canonical(customerID), "external_customer_id": externalCustomerID,
			"member_id": canonical(memberID), "external_member_id": externalMemberID, "return_url": rules.EncodeReturnURL(returnURL)} {
			if v != "" {
				want[k] = v
			}
		}
		if len(got) != len(want) {
			t.Fatalf("sent %s, want fields %v", raw, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("%s: got %q, want %q", k, got[k], v)
			}
		}
	})
}

func FuzzNormalizeBaseURL(f *testing.F) {
	for _, s := range []string{"https://api.polar.sh", "https://api.polar.sh/v1/", "http://127.0.0.1:8080/p",
		"https://u:p@h", "https://h/?q", "https://h/#f", "http://example.com", "https://h/v1/v1", "https://h/%2F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := normalizeBaseURL(raw)
		if err != nil {
			if !errors.Is(err, ErrInvalidRequest) {
				t.Fatalf("want ErrInvalidRequest, got %v", err)
			}
			return
		}
		u, err := url.Parse(got)
		if err != nil || !strings.HasSuffix(u.Path, "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil ||
			(u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			t.Fatalf("%q → %q", raw, got)
		}
		again, err := normalizeBaseURL(got)
		if err != nil {
			t.Fatalf("%q → %q, which is refused: %v", raw, got, err)
		}
		// Only one trailing /v1 is dropped: "/v1/v1" is a gateway prefix "/v1".
		if again != got && !strings.HasSuffix(got, "/v1/") {
			t.Fatalf("not idempotent: %q → %q → %q", raw, got, again)
		}
	})
}
