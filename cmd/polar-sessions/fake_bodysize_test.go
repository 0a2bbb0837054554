package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The stand-alone fake answers 413 from Content-Length alone, as Polar's
// MaxBodySizeMiddleware does: a client that announces more than 10 MiB and
// sends 2 bytes gets its answer at once, not after a wait for the rest.
func TestFakeRefusesAnOversizedBodyUnread(t *testing.T) {
	t.Parallel()
	f := startFake(t, "--addr", "127.0.0.1:0", "--base-path", "/polar")
	u, err := url.Parse(f.server)
	require.NoError(t, err)
	conn, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(5*time.Second)))
	_, err = io.WriteString(conn, "POST /polar/v1/customer-sessions/ HTTP/1.1\r\nHost: polar\r\nAuthorization: Bearer "+f.token+
		"\r\nContent-Type: application/json\r\nContent-Length: 10485761\r\n\r\n{}")
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "no answer before the deadline: the body was waited for")
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Equal(t, `{"error": "RequestBodyTooLarge", "detail": "Request body exceeded the maximum allowed size of 10485760 bytes."}`, string(body))
}
