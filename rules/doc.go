// Package rules holds Polar's rules for customer-session input, tokens and
// messages, as its server applies them, and the redaction of secrets: the
// one place they live, so that the client (refusing input before sending),
// polartest (refusing it as Polar does) and the CLI never disagree. Each
// cites the part of Polar's server, or of pydantic, that it follows.
package rules
