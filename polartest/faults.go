package polartest

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// FaultKind classifies a fault, in Stats and in Request.Fault.
type FaultKind int

// The kinds of fault. WithRandomFaults draws from FaultTooManyRequests
// through FaultSlow.
const (
	// FaultNone is no fault: the request is handled normally.
	FaultNone FaultKind = iota
	// FaultStatus is a status answer with a code not listed below.
	FaultStatus
	// FaultTooManyRequests is a 429 with an empty body and Retry-After.
	FaultTooManyRequests
	// FaultInternalServerError is a 500.
	FaultInternalServerError
	// FaultBadGateway is a 502.
	FaultBadGateway
	// FaultServiceUnavailable is a 503.
	FaultServiceUnavailable
	// FaultGatewayTimeout is a 504.
	FaultGatewayTimeout
	// FaultReset resets the connection (TCP RST) instead of answering.
	FaultReset
	// FaultTruncated answers the route's success status with a body shorter
	// than its Content-Length, then closes the connection.
	FaultTruncated
	// FaultMalformed answers the route's success status with JSON that does
	// not parse.
	FaultMalformed
	// FaultSlow delays the normal answer.
	FaultSlow
)

// String names the kind for test output: "503", "reset", "slow", ….
func (k FaultKind) String() string {
	switch k {
	case FaultNone:
		return "none"
	case FaultStatus:
		return "status"
	case FaultTooManyRequests:
		return "429"
	case FaultInternalServerError:
		return "500"
	case FaultBadGateway:
		return "502"
	case FaultServiceUnavailable:
		return "503"
	case FaultGatewayTimeout:
		return "504"
	case FaultReset:
		return "reset"
	case FaultTruncated:
		return "truncated"
	case FaultMalformed:
		return "malformed"
	case FaultSlow:
		return "slow"
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// status is the code a status kind answers, 0 for the others.
func (k FaultKind) status() int {
	switch k {
	case FaultTooManyRequests:
		return http.StatusTooManyRequests
	case FaultInternalServerError:
		return http.StatusInternalServerError
	case FaultBadGateway:
		return http.StatusBadGateway
	case FaultServiceUnavailable:
		return http.StatusServiceUnavailable
	case FaultGatewayTimeout:
		return http.StatusGatewayTimeout
	}
	return 0
}

// statusKind classifies a status code.
func statusKind(code int) FaultKind {
	for k := FaultTooManyRequests; k <= FaultGatewayTimeout; k++ {
		if k.status() == code {
			return k
		}
	}
	return FaultStatus
}

// Fault is what the server does with a request instead of, or before,
// handling it. Build one with Status, RateLimited, Reset, Truncated,
// Malformed, Delay or Pass, and adjust it with its With methods; a Fault is a
// value and can be reused. The zero Fault is Pass.
type Fault struct {
	kind   FaultKind
	status int
	header http.Header
	body   []byte
	delay  time.Duration
}

// Kind returns the fault's kind.
func (f Fault) Kind() FaultKind { return f.kind }

// Status answers with the status code and no Polar-Version header, as a
// proxy in front of Polar would. The body is JSON {"detail": "<reason>"},
// except for 429, whose body is empty as Polar's is.
func Status(code int) Fault {
	if !isStatusCode(code) {
		panic(fmt.Sprintf("polartest: Status(%d): not an HTTP status code", code))
	}
	f := Fault{kind: statusKind(code), status: code}
	if code != http.StatusTooManyRequests {
		f.header = http.Header{"Content-Type": {"application/json"}}
		f.body = fmt.Appendf(nil, "{\"detail\":%q}\n", http.StatusText(code))
	}
	return f
}

// isStatusCode reports whether Status takes code.
func isStatusCode(code int) bool { return code >= 100 && code <= 999 }

// RateLimited answers 429 with an empty body and a Retry-After of
// retryAfter, rounded up to whole seconds.
func RateLimited(retryAfter time.Duration) Fault {
	return Status(http.StatusTooManyRequests).WithHeader("Retry-After", strconv.Itoa(ceilSeconds(retryAfter)))
}

// Reset resets the connection once the request has been read: the client
// sees ECONNRESET, "connection reset by peer".
//
// Go's http.Transport retries a request once, on a new connection, when a
// reused connection fails before any response byte and the request can be
// replayed (a GET, or a request with an Idempotency-Key header). Such a
// retry consumes the next scripted fault; to see the reset itself, use a
// fresh connection or script two.
func Reset() Fault { return Fault{kind: FaultReset} }

// Truncated answers the route's success status (201 for create, 200
// otherwise) with a Content-Length larger than the body it writes before
// closing the connection: reading the body fails with unexpected EOF.
func Truncated() Fault { return Fault{kind: FaultTruncated} }

// Malformed answers the route's success status with a JSON content type and
// a body that is not valid JSON.
func Malformed() Fault { return Fault{kind: FaultMalformed} }

// Delay waits d, then handles the request normally. The wait ends early,
// dropping the connection unanswered, when the request's context is done or
// the server is closing.
func Delay(d time.Duration) Fault { return Fault{kind: FaultSlow, delay: d} }

// Pass handles the request normally. In a script it lets a request through
// between faults.
func Pass() Fault { return Fault{} }

// WithDelay returns the fault acting after a wait of d, which ends as
// Delay's does.
func (f Fault) WithDelay(d time.Duration) Fault {
	f.delay = d
	if f.kind == FaultNone {
		f.kind = FaultSlow
	}
	return f
}

// WithHeader returns the status fault with a header set.
func (f Fault) WithHeader(name, value string) Fault {
	f.header = f.header.Clone()
	if f.header == nil {
		f.header = http.Header{}
	}
	f.header.Set(name, value)
	return f
}

// WithBody returns the status fault with another body.
func (f Fault) WithBody(body []byte) Fault {
	f.body = append([]byte(nil), body...)
	return f
}

func (f Fault) isStatus() bool {
	return f.kind >= FaultStatus && f.kind <= FaultGatewayTimeout
}

// Script queues faults for the next requests of a route, one fault per
// request, in order, after those already queued. A request takes from its
// route's queue first, then from RouteAny's.
func (s *Server) Script(route Route, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts[route] = append(s.scripts[route], faults...)
}

// Pending returns how many faults scripted for the route are still queued.
func (s *Server) Pending(route Route) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.scripts[route])
}

// nextFault returns the fault for a request, scripted or drawn, and counts
// it.
func (s *Server) nextFault(route Route, rec *Request) (Fault, bool) {
	s.mu.Lock()
	f, ok := s.popScripted(route)
	if !ok {
		f, ok = s.popScripted(RouteAny)
	}
	s.mu.Unlock()
	if !ok && s.random != nil {
		f, ok = s.random.next()
	}
	if ok {
		s.mu.Lock()
		rec.Fault = f.kind
		if f.kind != FaultNone {
			s.stats.Faults[f.kind]++
		}
		s.mu.Unlock()
	}
	return f, ok
}

func (s *Server) popScripted(route Route) (Fault, bool) {
	queue := s.scripts[route]
	if route == "" || len(queue) == 0 {
		return Fault{}, false
	}
	s.scripts[route] = queue[1:]
	return queue[0], true
}

// inject carries out a fault; normal handling is next.
func (s *Server) inject(w *statusWriter, r *http.Request, route Route, f Fault, next http.Handler) {
	if f.delay > 0 && !s.pause(r.Context(), f.delay) {
		// Nobody is waiting for an answer any more: drop the connection.
		panic(http.ErrAbortHandler)
	}
	switch {
	case f.kind == FaultNone || f.kind == FaultSlow:
		next.ServeHTTP(w, r)
	case f.isStatus():
		for name, values := range f.header {
			w.Header()[name] = slices.Clone(values)
		}
		w.WriteHeader(f.status)
		_, _ = w.Write(f.body)
	case f.kind == FaultMalformed:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(route.successStatus())
		_, _ = w.Write([]byte(`{"id": "5f0c3b4e-8a7d-4f1e-9c2b-1a2b3c4d5e6f", "token": `))
	case f.kind == FaultReset:
		conn := w.hijack(0)
		if tcp, ok := conn.(*net.TCPConn); ok {
			// Linger 0 makes Close send RST instead of FIN.
			_ = tcp.SetLinger(0)
		}
		_ = conn.Close()
	case f.kind == FaultTruncated:
		status := route.successStatus()
		conn := w.hijack(status)
		const partial = `{"expires_at": "2026-11-21T11:00:00Z", "return_url"`
		_, _ = fmt.Fprintf(conn, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
			status, http.StatusText(status), 2*len(partial), partial)
		_ = conn.Close()
	default:
		panic(fmt.Sprintf("polartest: unknown fault kind %v", f.kind))
	}
}

// pause waits d and reports whether it did; it gives up when the request's
// context is done or the server is closing.
func (s *Server) pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.closing:
		return false
	}
}

// ceilSeconds rounds d up to whole seconds, for Retry-After.
func ceilSeconds(d time.Duration) int {
	return max(0, int(math.Ceil(d.Seconds())))
}
