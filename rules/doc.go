// Package rules holds Polar's rules for customer-session input and tokens,
// as Polar's server applies them: the shape of IDs, what a return URL may
// be and how its length is counted, the token prefixes, a session's
// lifetime, and the messages Polar answers with.
//
// It is the one place these rules live. The client refuses input before
// sending by these rules, polartest refuses it as Polar does by the same
// rules, and the polar-sessions command reports them: so the three can
// never disagree. Each rule cites the part of Polar's server (or of
// pydantic, which validates Polar's request bodies) that it follows.
package rules
