package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
)

// retryableStatus reports whether a response status is worth another
// attempt: the request timed out, was rate limited, or met a transient
// server or gateway failure. 501 Not Implemented will not change.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// classifyTransport names a transport failure and says whether repeating the
// request is safe and useful. callCtx is the call's context: once it is done,
// nothing is retried, whatever the error looks like.
func classifyTransport(callCtx context.Context, err error) (class string, retry bool) {
	if ctxErr := callCtx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return "deadline", false
		}
		return "canceled", false
	}

	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	var netErr net.Error
	switch {
	case errors.As(err, &dnsErr):
		// "no such host" will not resolve by retrying; a DNS timeout may.
		return "dns", !dnsErr.IsNotFound && (dnsErr.IsTimeout || dnsErr.IsTemporary)
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr),
		errors.As(err, &invalidCert), errors.As(err, &recordErr), errors.As(err, &alertErr):
		return "tls", false
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection_refused", true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED):
		return "connection_reset", true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		// The server closed the connection before or while answering.
		return "eof", true
	case isHTTP2Reset(err):
		return "connection_reset", true
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		// The call's context is alive (checked above), so this is one
		// attempt timing out: AttemptTimeout, the transport's response
		// header timeout, or the caller's http.Client.Timeout.
		return "timeout", true
	}
	return "other", false
}

// isHTTP2Reset reports an HTTP/2 stream the server reset or refused: the
// HTTP/2 counterpart of a reset connection. net/http's HTTP/2 error types
// are unexported, so their stable message prefix is matched.
func isHTTP2Reset(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "stream error: ") &&
		(strings.Contains(msg, "INTERNAL_ERROR") || strings.Contains(msg, "REFUSED_STREAM"))
}
