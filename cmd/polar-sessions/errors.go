package main

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/polarsessions/polarsessions-go/client"
)

// Exit codes, documented in exitCodesHelp.
const (
	exitOK          = 0
	exitRefused     = 1 // Polar answered, and not with what was asked for
	exitUsage       = 2 // bad flags or input; nothing was sent
	exitUnreachable = 3 // no usable answer: network failure, timeout, interrupt
	exitOutput      = 4 // Polar answered, but writing the answer out failed
)

// fail reports err on stderr, one line plus a 422's field errors, and
// returns its exit code. names maps the client's InputError fields, and the
// fields of a 422, to the flags the user knows (see inputNames).
func (c *cli) fail(err error, names map[string]string) int {
	code, lines := explain(err, names, c.timeout)
	for i, line := range lines {
		prefix := c.where() + ": "
		if i > 0 {
			prefix = "  "
		}
		fmt.Fprintln(c.stderr, prefix+printable(line))
	}
	return code
}

// explain classifies err into an exit code and the lines that say what
// happened. The words are the client's own (its Error methods, the one
// place an API error is formatted for people, secrets already redacted);
// this only chooses the exit code, names the flags behind refused input and
// behind a 422's fields, and puts a 422's field errors on lines of their
// own. The order matters: a call that timed out while waiting to retry
// wraps both the context error and the last *APIError, and it is the
// timeout that ended it.
func explain(err error, names map[string]string, timeout time.Duration) (int, []string) {
	var (
		input      *client.InputError
		validation *client.ValidationError
		api        *client.APIError
		transport  *client.TransportError
	)
	switch {
	case errors.As(err, &input):
		field := input.Field
		if name, ok := names[field]; ok {
			field = name
		}
		return exitUsage, []string{field + ": " + renameFields(input.Problem, names)}
	case errors.Is(err, client.ErrInvalidRequest):
		return exitUsage, []string{clientMessage(err)}
	case errors.Is(err, context.DeadlineExceeded):
		return exitUnreachable, []string{fmt.Sprintf("timed out (--timeout %s): %s", timeout, clientMessage(err))}
	case errors.Is(err, context.Canceled):
		return exitUnreachable, []string{"interrupted: " + clientMessage(err)}
	case errors.As(err, &transport):
		return exitUnreachable, []string{"network failure: " + clientMessage(err)}
	case errors.As(err, &validation) && validation.APIError != nil:
		return exitRefused, append([]string{clientMessage(validation.APIError)}, fieldErrors(validation, names)...)
	case errors.As(err, &api):
		return exitRefused, []string{clientMessage(api)}
	}
	return exitRefused, []string{clientMessage(err)}
}

// fieldName finds a request field's JSON name in a client message, with the
// Go field name the client may give after it: "member_id (MemberID)".
var fieldName = regexp.MustCompile(`\b([a-z]+(?:_[a-z]+)+)(?: \([A-Za-z]+\))?`)

// renameFields rewrites the request fields a client message names as the
// flags the user set them with.
func renameFields(problem string, names map[string]string) string {
	return fieldName.ReplaceAllStringFunc(problem, func(m string) string {
		if flag, ok := names[fieldName.FindStringSubmatch(m)[1]]; ok {
			return flag
		}
		return m
	})
}

// fieldErrors lists a 422's field errors. A field set by a flag in names
// leads with the flag, then Polar's name for it, which Polar's message may
// repeat: "--member-id (member_id): Member does not exist for this
// customer.". Other fields, and all of them with nil names, read as the
// client words them: "field: message".
func fieldErrors(e *client.ValidationError, names map[string]string) []string {
	lines := make([]string, 0, len(e.Errors))
	for _, f := range e.Errors {
		line := f.String()
		if flag, ok := names[f.Field()]; ok {
			line = flag + " (" + f.Field() + "): " + f.Msg
		}
		lines = append(lines, line)
	}
	return lines
}

// clientMessage is the client's error string without its "polar: " prefix,
// which would only repeat the program name.
func clientMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "polar: ")
}
