package redislimit

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
)

// answer is a MiddlewareNext that answers with status and header, and a
// body that notes whether anyone read or closed it.
func answer(status int, header http.Header) (client.MiddlewareNext, *watchedBody) {
	body := &watchedBody{r: strings.NewReader("")}
	return func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: status, Header: header, Body: body}, nil
	}, body
}

type watchedBody struct {
	r      io.Reader
	read   bool
	closed bool
}

func (b *watchedBody) Read(p []byte) (int, error) { b.read = true; return b.r.Read(p) }
func (b *watchedBody) Close() error               { b.closed = true; return nil }

func request(t *testing.T) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "https://api.polar.sh/v1/customer-sessions/", nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestMiddlewareRecordsRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		name       string
		status     int
		retryAfter string
		want       time.Duration // 0: no cooldown
	}{
		{"seconds", 429, "7", 7 * time.Second},
		{"padded", 429, " 12 ", 12 * time.Second},
		{"HTTP date", 429, "Tue, 01 Dec 2026 12:00:20 GMT", 20 * time.Second},
		{"absurd, capped", 429, "99999999999999999999", maxCooldown},
		{"date in the past", 429, "Tue, 01 Dec 2026 11:00:00 GMT", 0},
		{"zero", 429, "0", 0},
		{"garbage", 429, "soon", 0},
		{"negative", 429, "-5", 0},
		{"none", 429, "", 0},
		{"not a 429", 503, "30", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mr, ft, rdb := newMini(t)
			l := newFake(t, ft, Config{Redis: rdb, Key: "acme"})
			h := http.Header{}
			if tc.retryAfter != "" {
				h.Set("Retry-After", tc.retryAfter)
			}
			next, body := answer(tc.status, h)
			resp, err := l.observe(request(t), next)
			if err != nil || resp == nil || resp.StatusCode != tc.status || resp.Body != body {
				t.Fatalf("observe = %v, %v: want the response as it came", resp, err)
			}
			if body.read || body.closed {
				t.Errorf("the middleware read or closed the body (read %v, closed %v)", body.read, body.closed)
			}
			if got := mr.TTL(l.cooldownKey); got != tc.want {
				t.Errorf("cooldown TTL %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMiddlewarePassesErrors(t *testing.T) {
	mr, ft, rdb := newMini(t)
	l := newFake(t, ft, Config{Redis: rdb, Key: "acme"})
	boom := errors.New("connection reset")
	resp, err := l.observe(request(t), func(*http.Request) (*http.Response, error) { return nil, boom })
	if resp != nil || err != boom {
		t.Errorf("observe = %v, %v; want nil, the transport's error", resp, err)
	}
	if mr.Exists(l.cooldownKey) {
		t.Error("a transport failure started a cooldown")
	}
}

// TestCooldownKeepsTheLater: a shorter Retry-After never cuts a longer
// cooldown short; a longer one extends it.
func TestCooldownKeepsTheLater(t *testing.T) {
	mr, ft, rdb := newMini(t)
	l := newFake(t, ft, Config{Redis: rdb, Key: "acme"})
	ctx := context.Background()
	l.record(ctx, 30*time.Second)
	ft.advance(10 * time.Second)
	l.record(ctx, 5*time.Second)
	within(t, "after a shorter 429", mr.TTL(l.cooldownKey), 20*time.Second, 0)
	l.record(ctx, 45*time.Second)
	within(t, "after a longer 429", mr.TTL(l.cooldownKey), 45*time.Second, 0)
}

// TestCooldownHoldsTheFleet: a 429 seen by one instance holds back Wait on
// another until its Retry-After has passed, and only for its Key.
func TestCooldownHoldsTheFleet(t *testing.T) {
	_, ft, rdb := newMini(t)
	a := newFake(t, ft, Config{Redis: rdb, Key: "acme"})
	b := newFake(t, ft, Config{Redis: rdb, Key: "acme"})
	other := newFake(t, ft, Config{Redis: rdb, Key: "globex"})
	h := http.Header{"Retry-After": {"12"}}
	next, _ := answer(http.StatusTooManyRequests, h)
	if _, err := a.observe(request(t), next); err != nil {
		t.Fatal(err)
	}
	start := ft.now()
	if err := other.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !ft.now().Equal(start) {
		t.Errorf("another Key's Wait waited %v", ft.now().Sub(start))
	}
	if err := b.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	within(t, "the other instance's wait", ft.now().Sub(start), 12*time.Second, 0)
	if s := ft.sleeps(); len(s) != 1 || s[0] != 12*time.Second {
		t.Errorf("sleeps %v, want one of 12s", s)
	}
}

// TestCooldownRecordFailure: a 429 that cannot be recorded is still handed
// on, and the failure is logged without the password.
func TestCooldownRecordFailure(t *testing.T) {
	mr, ft, rdb := newMini(t)
	var logs bytes.Buffer
	l := newFake(t, ft, Config{Redis: rdb, Key: "acme", Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	mr.Close()
	next, _ := answer(http.StatusTooManyRequests, http.Header{"Retry-After": {"3"}})
	resp, err := l.observe(request(t), next)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("observe = %v, %v; want the 429", resp, err)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "could not record") {
		t.Errorf("log %q: want a warning", logs.String())
	}
}

// TestThroughClient: a client.Client configured with Options spends the
// shared budget and records the 429s polartest answers, and fails closed
// without sending when Redis is down.
func TestThroughClient(t *testing.T) {
	mr, ft, rdb := newMini(t)
	srv := polartest.NewServer()
	t.Cleanup(srv.Close)
	cust := srv.AddCustomer(polartest.Customer{ExternalID: "usr_1"})
	newClient := func(l *Limiter, opts ...client.Option) *client.Client {
		c, err := client.New(append(append(l.Options(),
			client.WithServerURL(srv.URL()), client.WithAccessToken(srv.AccessToken())), opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	once := client.DefaultRetryPolicy()
	once.MaxAttempts = 1
	a := newClient(newFake(t, ft, Config{Redis: rdb, Key: "acme"}), client.WithRetryPolicy(once))
	b := newClient(newFake(t, ft, Config{Redis: rdb, Key: "acme"}))
	ctx := context.Background()
	req := client.CreateCustomerSessionRequest{CustomerID: cust.ID}

	srv.Script(polartest.RouteCreate, polartest.RateLimited(8*time.Second))
	if _, err := a.CustomerSessions.Create(ctx, req); !errors.Is(err, client.ErrRateLimited) {
		t.Fatalf("a's Create = %v, want the scripted 429", err)
	}
	within(t, "the fleet's cooldown", mr.TTL("polarsessions:cooldown:{acme}"), 8*time.Second, 0)
	start := ft.now()
	if _, err := b.CustomerSessions.Create(ctx, req); err != nil {
		t.Fatalf("b's Create = %v", err)
	}
	within(t, "b's wait", ft.now().Sub(start), 8*time.Second, 0)
	if st := srv.Stats(); st.Requests != 2 {
		t.Errorf("polartest saw %d requests, want 2", st.Requests)
	}
	for _, k := range mr.Keys() {
		v, _ := mr.Get(k)
		if tok := srv.AccessToken(); strings.Contains(k, tok) || strings.Contains(v, tok) || strings.Contains(k+v, "polar_") {
			t.Errorf("Redis holds a token: %s", k)
		}
	}

	mr.Close()
	_, err := b.CustomerSessions.Create(ctx, req)
	if !errors.Is(err, ErrRedis) {
		t.Errorf("Create with Redis down = %v, want ErrRedis through the client's error", err)
	}
	if st := srv.Stats(); st.Requests != 2 {
		t.Errorf("failing closed, the call was sent anyway (%d requests)", st.Requests)
	}
}
