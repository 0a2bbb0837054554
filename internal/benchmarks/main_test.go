package benchmarks

import (
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// TestMain makes the process trust httptest's built-in certificate, which
// every httptest TLS server presents, as its only system root. Then the TLS
// benchmarks run client.New() and http.DefaultTransport unmodified: they
// measure the transport users get, not one configured for the test. It has
// to happen before anything loads the system roots, which crypto/x509 does
// once per process.
func TestMain(m *testing.M) {
	dir, err := trustHTTPTestCertificate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchmarks:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func trustHTTPTestCertificate() (dir string, err error) {
	ts := httptest.NewUnstartedServer(nil)
	ts.StartTLS()
	cert := ts.Certificate()
	ts.Close()
	dir, err = os.MkdirTemp("", "benchmarks-roots")
	if err != nil {
		return "", err
	}
	file := filepath.Join(dir, "httptest.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600); err != nil {
		return dir, err
	}
	// SSL_CERT_DIR too, at an empty directory, or the roots in the default
	// directories are read as well: slower, and trusted for no reason.
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		return dir, err
	}
	if err := os.Setenv("SSL_CERT_FILE", file); err != nil {
		return dir, err
	}
	return dir, os.Setenv("SSL_CERT_DIR", empty)
}
