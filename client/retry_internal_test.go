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

// Backoff stays within [0, MaxInterval] whatever the policy's extremes and
// whatever Rand returns, NaN included: no float rounding past int64.
func TestBackoffStaysInRange(t *testing.T) {
	for name, p := range map[string]RetryPolicy{
		"largest intervals": {InitialInterval: math.MaxInt64, MaxInterval: math.MaxInt64, Multiplier: 2, Rand: func() float64 { return 0 }},
		"NaN jitter":        {InitialInterval: time.Second, MaxInterval: 8 * time.Second, Multiplier: 2, Rand: math.NaN},
		"negative jitter":   {InitialInterval: time.Second, MaxInterval: 8 * time.Second, Multiplier: 2, Rand: func() float64 { return math.Inf(-1) }},
		"jitter above 1":    {InitialInterval: time.Second, MaxInterval: 8 * time.Second, Multiplier: 2, Rand: func() float64 { return 7 }},
	} {
		for n := 1; n <= 70; n++ {
			d := p.backoff(n)
			assert.True(t, d >= 0 && d <= p.MaxInterval, "%s: attempt %d waits %s", name, n, d)
		}
	}
	assert.Equal(t, time.Duration(math.MaxInt64), RetryPolicy{InitialInterval: math.MaxInt64, MaxInterval: math.MaxInt64,
		Multiplier: 2, Rand: func() float64 { return 0 }}.backoff(1))
}
