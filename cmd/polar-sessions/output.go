package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/polarsessions/polarsessions-go/client"
	"github.com/polarsessions/polarsessions-go/rules"
)

// outputFormat is the value of --output.
type outputFormat string

const (
	outputJSON outputFormat = "json"
	outputText outputFormat = "text"
)

// register binds --output to o, which holds the default.
func (o *outputFormat) register(fs *flag.FlagSet, jsonIs string) {
	fs.Func("output", "`json|text` json (default) prints "+jsonIs+"; text, a short summary",
		func(s string) error {
			switch f := outputFormat(s); f {
			case outputJSON, outputText:
				*o = f
				return nil
			}
			return errors.New("must be json or text")
		})
}

// emit writes v to stdout as indented JSON, or text() for --output text.
// Polar has answered by now (a session may exist), so a failure here is
// not Polar's refusal: it exits with exitOutput.
func (c *cli) emit(format outputFormat, v any, text func(now time.Time) string) int {
	var out strings.Builder
	if format == outputText {
		out.WriteString(text(time.Now()))
	} else {
		enc := json.NewEncoder(&out)
		enc.SetIndent("", "  ")
		// A portal URL's "&" stays "&", as Polar sent it, not "\u0026":
		// people copy these URLs out of the terminal.
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return c.outputError("encoding the output", err)
		}
	}
	if _, err := io.WriteString(c.stdout, printable(out.String())); err != nil {
		return c.outputError("writing the output", err)
	}
	return exitOK
}

// outputError reports that the answer could not be written out.
func (c *cli) outputError(what string, err error) int {
	fmt.Fprintf(c.stderr, "%s: %s: %s\n", c.where(), what, printable(rules.Redact(err.Error(), "")))
	return exitOutput
}

// printable writes control characters but newline and tab as \u escapes,
// so that text a server sent (a customer's name, an error) cannot drive the
// terminal. In JSON, where encoding/json leaves DEL and the C1 controls
// raw, inside strings, the escape means the same character.
func printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sessionText summarises a created session for a person: who it is for,
// when it expires, and the link to hand them.
func sessionText(s *client.CustomerSession, now time.Time) string {
	cust := describeCustomer(s)
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	line := cust.kind + " " + s.CustomerID
	if cust.externalID != "" {
		line += ", external ID " + cust.externalID
	}
	fmt.Fprintf(tw, "Customer:\t%s\n", line)
	if cust.name != "" {
		fmt.Fprintf(tw, "Name:\t%s\n", cust.name)
	}
	if cust.email != "" {
		fmt.Fprintf(tw, "Email:\t%s\n", cust.email)
	}
	writeExpiry(tw, s.ExpiresAt, s.ReturnURL, now)
	fmt.Fprintf(tw, "Portal URL:\t%s\n", s.CustomerPortalURL.Reveal()) // the link to hand them
	_ = tw.Flush()                                                     // a strings.Builder does not fail
	return b.String()
}

// introspectionText shows what introspection says about a token.
func introspectionText(s *client.CustomerCustomerSession, now time.Time) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	writeExpiry(tw, s.ExpiresAt, s.ReturnURL, now)
	_ = tw.Flush()
	return b.String()
}

// writeExpiry writes the two lines create and introspect share.
func writeExpiry(w io.Writer, expiresAt time.Time, returnURL *string, now time.Time) {
	fmt.Fprintf(w, "Expires:\t%s (%s)\n", expiresAt.Format(time.RFC3339), relative(expiresAt, now))
	fmt.Fprintf(w, "Return URL:\t%s\n", orNone(returnURL))
}

// customer is what the text output shows of a session's customer.
type customer struct {
	kind, externalID, name, email string
}

func describeCustomer(s *client.CustomerSession) customer {
	c := customer{kind: s.CustomerType()}
	if ind, ok := s.Individual(); ok {
		c.externalID, c.name, c.email = deref(ind.ExternalID), deref(ind.Name), ind.Email
	} else if team, ok := s.Team(); ok {
		c.externalID, c.name, c.email = deref(team.ExternalID), deref(team.Name), deref(team.Email)
	}
	if c.kind == "" {
		c.kind = "customer" // Polar sent no or a malformed customer; the ID still stands
	}
	return c
}

// relative says how far t is from now the way a person would: "in 59m",
// "in 1h", "expired 3m ago". Seconds only show under a minute.
func relative(t, now time.Time) string {
	d := t.Sub(now)
	if d <= 0 {
		return "expired " + roughly(-d) + " ago"
	}
	return "in " + roughly(d)
}

// roughly formats d truncated to minutes, or to seconds under a minute.
func roughly(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d/time.Second))
	}
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%dm", h, m)
}

func orNone(s *string) string {
	if s == nil || *s == "" {
		return "none"
	}
	return *s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
