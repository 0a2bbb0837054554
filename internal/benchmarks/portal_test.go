package benchmarks

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/polartest"
	"github.com/polarsessions/polarsessions-go/portal"
)

// BenchmarkPortalVisit is one visit to the portal handler, as a browser
// makes it: a GET to an application serving portal.Handler on loopback, in
// front of polartest, answered by a 303 that is not followed. "reuse" hands
// out a kept session (after the first visit, Polar is not called);
// "noreuse" creates one per visit. Their ratio is what Config.Reuse saves
// an application per visit, Polar's network latency aside.
func BenchmarkPortalVisit(b *testing.B) {
	for _, mode := range []struct {
		name  string
		reuse time.Duration
	}{{"reuse", 45 * time.Minute}, {"noreuse", 0}} {
		b.Run(mode.name, func(b *testing.B) {
			polar := polartest.NewServer()
			b.Cleanup(polar.Close)
			polar.AddCustomer(polartest.Customer{ExternalID: "usr_1337", Email: "jane@example.com"})
			c, err := client.New(client.WithServerURL(polar.URL()), client.WithAccessToken(polar.AccessToken()))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(c.CloseIdleConnections)
			h, err := portal.New(portal.Config{
				Client: c,
				Customer: func(*http.Request) (client.CreateCustomerSessionRequest, error) {
					return client.CreateCustomerSessionRequest{ExternalCustomerID: "usr_1337"}, nil
				},
				ReturnURL: "https://example.com/account",
				Reuse:     mode.reuse,
			})
			if err != nil {
				b.Fatal(err)
			}
			app := httptest.NewServer(h)
			b.Cleanup(app.Close)
			browser := &http.Client{
				Transport:     tunedTransport(),
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			}
			b.Cleanup(browser.CloseIdleConnections)
			visit := func() {
				resp, err := browser.Get(app.URL + "/billing")
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusSeeOther {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
			visit() // warm up the connections, and the kept session
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				visit()
			}
			b.StopTimer()
			b.ReportMetric(float64(polar.Stats().Requests-1)/float64(b.N), "creates/op")
		})
	}
}
