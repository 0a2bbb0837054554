package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
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

// readBody reads a success body of at most limit bytes. A longer body is
// refused with ErrResponseTooLarge, before reading anything when
// Content-Length gives it away, else after about limit bytes.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, ErrResponseTooLarge
	}
	if resp.ContentLength >= 0 {
		// The usual case: one allocation of exactly the announced size.
		buf := make([]byte, resp.ContentLength)
		_, err := io.ReadFull(resp.Body, buf)
		return buf, err
	}
	return readChunks(resp.Body, limit)
}

// Chunk sizes for bodies of unknown length.
const (
	firstChunk = 4 << 10
	maxChunk   = 1 << 20
)

// readCapped reads an error body, keeping at most limit bytes: an error body
// is evidence, worth keeping even when cut. The rest is drained (bounded) so
// the connection can be reused.
func readCapped(resp *http.Response, limit int64) []byte {
	body, _ := readChunks(io.LimitReader(resp.Body, limit), limit)
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	return body
}

// readChunks reads a body of unknown length in chunks of growing size, so
// that refusing an endless body allocates about limit bytes, not the 2× to
// 4× that growing one buffer by doubling would. On a read error it returns
// what it read with the error.
func readChunks(r io.Reader, limit int64) ([]byte, error) {
	var chunks [][]byte
	var total int64
	for size := int64(firstChunk); ; size = min(2*size, maxChunk) {
		chunk := make([]byte, min(size, limit+1-total))
		n, eof, err := fill(r, chunk)
		total += int64(n)
		chunks = append(chunks, chunk[:n])
		if err != nil {
			return bytes.Join(chunks, nil), err
		}
		if total > limit {
			_, _ = io.CopyN(io.Discard, r, maxDrain)
			return nil, ErrResponseTooLarge
		}
		if eof {
			break
		}
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	return bytes.Join(chunks, nil), nil
}

// fill reads into buf until it is full or the reader ends (eof).
func fill(r io.Reader, buf []byte) (n int, eof bool, err error) {
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err == io.EOF {
			return n, true, nil
		}
		if err != nil {
			return n, false, err
		}
	}
	return n, false, nil
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
func newAPIError(opID string, resp *http.Response, body []byte, attempts int, red redactor) error {
	e := &APIError{
		Operation:  opID,
		StatusCode: resp.StatusCode,
		Header:     red.header(resp.Header),
		Body:       red.bytes(body),
		Attempts:   attempts,
	}
	if v := resp.Header.Get("Retry-After"); v != "" {
		e.RetryAfter, e.hasRetryAfter = parseRetryAfter(v, time.Now())
	}

	var pe polarError
	if len(body) == 0 || json.Unmarshal(body, &pe) != nil {
		return e // empty (a 429) or not JSON (a proxy's 502 page)
	}
	// Messages are redacted here, once, so that code logging apiErr.Detail
	// is as safe as code logging err.Error().
	e.Code = red.str(pe.Error)
	var detail string
	if json.Unmarshal(pe.Detail, &detail) == nil {
		e.Detail = red.str(detail)
	} else if pe.ErrorDescription != "" {
		e.Detail = red.str(pe.ErrorDescription)
	}

	var items []validationItem
	if resp.StatusCode == http.StatusUnprocessableEntity && json.Unmarshal(pe.Detail, &items) == nil {
		v := &ValidationError{APIError: e, Errors: make([]FieldError, len(items))}
		for i, it := range items {
			v.Errors[i] = FieldError{Loc: normalizeLoc(it.Loc, red), Msg: red.str(it.Msg), Type: red.str(it.Type), Input: red.json(it.Input)}
		}
		return v
	}
	return e
}

// normalizeLoc turns JSON numbers in a location into ints (list indexes),
// and redacts its strings like every other message.
func normalizeLoc(loc []any, red redactor) []any {
	for i, p := range loc {
		switch p := p.(type) {
		case float64:
			if p == float64(int(p)) {
				loc[i] = int(p)
			}
		case string:
			loc[i] = red.str(p)
		case nil:
		default:
			// Not in the spec (strings and ints only); keep it printable
			// and as safe as the rest.
			loc[i] = red.str(fmt.Sprint(p))
		}
	}
	return loc
}

// missingFields is the error for a decoded success that lacks required
// fields, nil when none is missing.
func missingFields(names []string) error {
	if len(names) == 0 {
		return nil
	}
	slices.Sort(names)
	return fmt.Errorf("required fields missing: %s", strings.Join(names, ", "))
}
