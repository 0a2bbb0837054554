package client

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// Read limits. A CustomerSession is about 2 KiB; the limits are far above
// any real Polar body and far below what would hurt a caller's memory.
const (
	maxSuccessBody = 4 << 20
	maxErrorBody   = 1 << 20
	// maxDrain bounds what is read past a limit so the connection can be
	// reused; beyond it, closing the connection is cheaper.
	maxDrain = 64 << 10
)

// readBody reads resp.Body up to limit bytes. A longer body gives
// ErrResponseTooLarge with the first limit bytes, and is drained (bounded) so
// the connection can still be reused. A Content-Length over the limit is
// refused before reading anything.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, ErrResponseTooLarge
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		// One allocation of the announced size (+1 to see EOF in place).
		buf.Grow(int(resp.ContentLength) + 1)
	}
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	if int64(buf.Len()) > limit {
		_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
		return buf.Bytes()[:limit], ErrResponseTooLarge
	}
	return buf.Bytes(), err
}

// polarError is the union of the error bodies Polar sends: {"error", "detail"}
// where detail is a string or (for a 422) a list, and OAuth-style
// {"error", "error_description"} from token checks.
type polarError struct {
	Error            string          `json:"error"`
	Detail           json.RawMessage `json:"detail"`
	ErrorDescription string          `json:"error_description"`
}

// validationItem is one item of a 422's detail list.
type validationItem struct {
	Loc   []any  `json:"loc"`
	Msg   string `json:"msg"`
	Type  string `json:"type"`
	Input any    `json:"input"`
}

// newAPIError classifies a non-2xx response: it keeps the status, headers and
// (capped) body, and decodes Polar's error fields best-effort. A 422 with a
// detail list becomes a *ValidationError.
func newAPIError(opID string, resp *http.Response, body []byte, attempts int) error {
	e := &APIError{
		Operation:  opID,
		StatusCode: resp.StatusCode,
		Header:     resp.Header,
		Body:       body,
		Attempts:   attempts,
	}
	if v := resp.Header.Get("Retry-After"); v != "" {
		e.RetryAfter, e.hasRetryAfter = parseRetryAfter(v, time.Now())
	}

	var pe polarError
	if len(body) == 0 || json.Unmarshal(body, &pe) != nil {
		return e // empty (a 429) or not JSON (a proxy's 502 page)
	}
	e.Code = pe.Error
	var detail string
	if json.Unmarshal(pe.Detail, &detail) == nil {
		e.Detail = detail
	} else if pe.ErrorDescription != "" {
		e.Detail = pe.ErrorDescription
	}

	var items []validationItem
	if resp.StatusCode == http.StatusUnprocessableEntity && json.Unmarshal(pe.Detail, &items) == nil {
		v := &ValidationError{APIError: e, Errors: make([]FieldError, len(items))}
		for i, it := range items {
			v.Errors[i] = FieldError{Loc: normalizeLoc(it.Loc), Msg: it.Msg, Type: it.Type, Input: it.Input}
		}
		return v
	}
	return e
}

// normalizeLoc turns JSON numbers in a location into ints (list indexes).
func normalizeLoc(loc []any) []any {
	for i, p := range loc {
		if f, ok := p.(float64); ok && f == float64(int(f)) {
			loc[i] = int(f)
		}
	}
	return loc
}
