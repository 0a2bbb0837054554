package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRetryableStatus(t *testing.T) {
	retried := map[int]bool{408: true, 429: true, 500: true, 502: true, 503: true, 504: true}
	for code := 100; code <= 599; code++ {
		assert.Equal(t, retried[code], retryableStatus(code), "status %d", code)
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestClassifyTransport(t *testing.T) {
	urlErr := func(err error) error {
		return &url.Error{Op: "Post", URL: "https://api.polar.sh/v1/customer-sessions/", Err: err}
	}
	opErr := func(err error) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: err}}
	}
	tests := []struct {
		name      string
		err       error
		wantClass string
		wantRetry bool
	}{
		{"connection refused", urlErr(opErr(syscall.ECONNREFUSED)), "connection_refused", true},
		{"connection reset", urlErr(opErr(syscall.ECONNRESET)), "connection_reset", true},
		{"broken pipe", urlErr(opErr(syscall.EPIPE)), "connection_reset", true},
		{"EOF before response", urlErr(io.EOF), "eof", true},
		{"body cut short", fmt.Errorf("reading 201 response: %w", io.ErrUnexpectedEOF), "eof", true},
		{"attempt timeout", urlErr(context.DeadlineExceeded), "timeout", true},
		{"net timeout", urlErr(timeoutErr{}), "timeout", true},
		{"no such host", urlErr(&net.DNSError{Err: "no such host", Name: "api.polar.sh", IsNotFound: true}), "dns", false},
		{"dns timeout", urlErr(&net.DNSError{Err: "timeout", Name: "api.polar.sh", IsTimeout: true}), "dns", true},
		{"unknown authority", urlErr(x509.UnknownAuthorityError{}), "tls", false},
		{"hostname mismatch", urlErr(x509.HostnameError{Host: "x"}), "tls", false},
		{"cert verification", urlErr(&tls.CertificateVerificationError{Err: errors.New("bad")}), "tls", false},
		{"not TLS", urlErr(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), "tls", false},
		{"invalid URL", &url.Error{Op: "parse", URL: "::", Err: errors.New("missing protocol scheme")}, "other", false},
		{"redirect loop", urlErr(errors.New("stopped after 10 redirects")), "other", false},
		{"h2 stream reset", urlErr(errors.New("stream error: stream ID 1; INTERNAL_ERROR; received from peer")), "connection_reset", true},
		{"h2 stream refused", urlErr(errors.New("stream error: stream ID 3; REFUSED_STREAM")), "connection_reset", true},
		{"h2 protocol error", urlErr(errors.New("stream error: stream ID 3; PROTOCOL_ERROR")), "other", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			class, retry := classifyTransport(context.Background(), tt.err)
			assert.Equal(t, tt.wantClass, class)
			assert.Equal(t, tt.wantRetry, retry)
		})
	}

	t.Run("a done call context is never retried", func(t *testing.T) {
		canceled, cancel := context.WithCancel(context.Background())
		cancel()
		class, retry := classifyTransport(canceled, urlErr(opErr(syscall.ECONNRESET)))
		assert.Equal(t, "canceled", class)
		assert.False(t, retry)

		expired, cancel2 := context.WithTimeout(context.Background(), -1)
		defer cancel2()
		class, retry = classifyTransport(expired, urlErr(context.DeadlineExceeded))
		assert.Equal(t, "deadline", class)
		assert.False(t, retry)
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"7", 7 * time.Second, true},
		{"0", 0, true},
		{" 120 ", 120 * time.Second, true},
		{"1", time.Second, true},
		// The three HTTP date formats http.ParseTime accepts.
		{"Sat, 21 Nov 2026 12:00:30 GMT", 30 * time.Second, true}, // IMF-fixdate
		{"Saturday, 21-Nov-26 12:01:00 GMT", time.Minute, true},   // RFC 850
		{"Sat Nov 21 12:00:05 2026", 5 * time.Second, true},       // asctime
		{"Sat, 21 Nov 2026 11:59:00 GMT", 0, true},                // past: now
		{"Thu, 01 Jan 1970 00:00:00 GMT", 0, true},                // long past: now
		{"99999999999999999999999", math.MaxInt64, true},          // overflow: far
		{"9223372036854775807", math.MaxInt64, true},              // seconds beyond Duration
		{"-1", 0, false}, // negative
		{"-30", 0, false},
		{"1.5", 0, false}, // delta-seconds are whole
		{"7s", 0, false},
		{"soon", 0, false},
		{"", 0, false},
		{"   ", 0, false},
		{"Sat, 32 Nov 2026 12:00:00 GMT", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in, now)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
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

// A policy's zero fields take the defaults: a hung attempt is abandoned
// after 5s even when the caller's policy says nothing of it (the behaviour
// is tested with short timeouts in TestRetryAttemptTimeout).
func TestZeroPolicyFieldsTakeTheDefaults(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 5}.withDefaults()
	assert.Equal(t, 5, p.MaxAttempts)
	assert.Equal(t, 5*time.Second, p.AttemptTimeout)
	assert.Equal(t, DefaultRetryPolicy().MaxInterval, p.MaxInterval)
	assert.NotNil(t, p.Rand)
	assert.NotNil(t, p.Wait)
	assert.Equal(t, -time.Second, RetryPolicy{AttemptTimeout: -time.Second}.withDefaults().AttemptTimeout, "negative: no bound")
}
