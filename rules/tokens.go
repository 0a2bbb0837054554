package rules

import "time"

// Token prefixes, as Polar's token models set them: each kind of token
// starts with its own, which is how the client refuses a token of the wrong
// kind before sending it.
const (
	// PrefixOrganizationToken starts an organization access token, the
	// credential that creates sessions.
	PrefixOrganizationToken = "polar_oat_"
	// PrefixPersonalToken starts a personal access token.
	PrefixPersonalToken = "polar_pat_"
	// PrefixCustomerSession starts a customer session token, created for
	// organizations without the member model.
	PrefixCustomerSession = "polar_cst_"
	// PrefixMemberSession starts a member session token, created for
	// organizations with the member model (all new ones).
	PrefixMemberSession = "polar_mst_"
)

// SessionLifetime is how long a customer or member session lives after it
// is created.
const SessionLifetime = time.Hour
