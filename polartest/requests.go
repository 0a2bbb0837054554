package polartest

import (
	"bytes"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"time"
)

// Request is a request the server received, and what it answered.
type Request struct {
	// Time is the server clock's time when the request arrived.
	Time time.Time
	// Method is the HTTP method.
	Method string
	// Path is the URL path as received, base path included.
	Path string
	// RawQuery is the URL's query, without "?".
	RawQuery string
	// Header is the request's header, as received.
	Header http.Header
	// Body is the request body, read before the request is handled, up to
	// Polar's 10 MiB limit. A request that Polar refuses from its headers
	// alone, a POST, PUT or PATCH without Content-Length (411) or one whose
	// Content-Length is above that limit (413), is answered without reading
	// its body, as Polar answers it, so its Body is empty. A longer body
	// without Content-Length, which Polar takes on other methods (a chunked
	// GET), is recorded up to the limit, and what follows is not read.
	Body []byte
	// Status is the status code answered; 0 while the request is in
	// flight, and when the connection was reset or dropped unanswered.
	Status int
	// Fault is the fault injected into the request, FaultNone if none.
	Fault FaultKind
}

// Requests returns copies of the requests the server has received, in
// arrival order: faulted, rate-limited and refused ones included; with
// WithRequestsKept, only the latest.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, rec := range s.requests {
		out[i] = *rec
		out[i].Header = rec.Header.Clone()
		out[i].Body = slices.Clone(rec.Body)
	}
	return out
}

// Stats counts what the server received and injected.
type Stats struct {
	// Requests is the number of requests received.
	Requests int
	// Faults counts injected faults, scripted and random, by kind.
	Faults map[FaultKind]int
	// RateLimited is the number of requests refused by WithRateLimit.
	RateLimited int
	// Connections is the number of TCP connections the server accepted: a
	// client that reuses connections keeps it near its concurrency, plus
	// one for each connection a fault or an abandoned request killed.
	Connections int
}

// TotalFaults is the number of faults injected, of every kind.
func (st Stats) TotalFaults() int {
	n := 0
	for _, c := range st.Faults {
		n += c
	}
	return n
}

// Stats returns the server's counters so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Faults = maps.Clone(s.stats.Faults)
	return st
}

// edge is the outermost layer: it records the request, then injects a fault
// or hands the request on.
func (s *Server) edge(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body first, so the record holds it even when the
		// connection is about to be reset; but not one that Polar refuses
		// unread, or the refusal would wait for bytes that may never come,
		// and no more than Polar takes, or a chunked GET could fill memory.
		var body []byte
		if _, refused := sizeRefusal(r); !refused {
			body, _ = io.ReadAll(io.LimitReader(r.Body, maxBodySize+1))
			rest := io.Reader(bytes.NewReader(body))
			if len(body) > maxBodySize {
				rest = io.MultiReader(rest, r.Body) // for the handler to read, or not
				body = body[:maxBodySize]
			}
			r.Body = io.NopCloser(rest)
		}
		rec := &Request{
			Time:     s.cfg.clock(),
			Method:   r.Method,
			Path:     r.URL.Path,
			RawQuery: r.URL.RawQuery,
			Header:   r.Header.Clone(),
			Body:     body,
		}
		s.mu.Lock()
		s.record(rec)
		s.stats.Requests++
		s.mu.Unlock()

		sw := &statusWriter{ResponseWriter: w, record: func(status int) {
			s.mu.Lock()
			rec.Status = status
			s.mu.Unlock()
		}}
		// Deferred so that an aborted handler is recorded too, as status 0.
		defer func() {
			s.mu.Lock()
			rec.Status = sw.status
			s.mu.Unlock()
		}()
		route := s.routeOf(r)
		if f, ok := s.nextFault(route, rec); ok {
			s.inject(sw, r, route, f, next)
		} else {
			next.ServeHTTP(sw, r)
		}
		sw.finish()
	})
}

// record keeps rec, and drops the oldest record beyond WithRequestsKept's
// number. s.mu is held.
func (s *Server) record(rec *Request) {
	if n := s.cfg.requestsKept; n > 0 && len(s.requests) >= n {
		drop := len(s.requests) - n + 1
		clear(s.requests[:drop]) // for the garbage collector
		s.requests = s.requests[drop:]
	}
	s.requests = append(s.requests, rec)
}

// statusWriter remembers the status a handler answers.
type statusWriter struct {
	http.ResponseWriter
	status   int
	hijacked bool
	// record stores a status in the request's record at once: a hijacked
	// connection's answer can reach the client before the handler returns.
	record func(status int)
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish records the 200 net/http sends for a handler that wrote nothing.
func (w *statusWriter) finish() {
	if w.status == 0 && !w.hijacked {
		w.status = http.StatusOK
	}
}

// hijack takes the connection over to write status (0 for none) by hand.
func (w *statusWriter) hijack(status int) net.Conn {
	conn, _, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		// Not HTTP/1: drop the connection, the nearest thing available.
		panic(http.ErrAbortHandler)
	}
	w.hijacked, w.status = true, status
	if w.record != nil {
		w.record(status)
	}
	return conn
}
