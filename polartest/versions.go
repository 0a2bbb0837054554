package polartest

import (
	"slices"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/rules"
)

// APIVersions returns the Polar-Version values a server serves unless
// WithAPIVersions says otherwise, oldest first: the versions Polar serves
// (2026-04, 2026-10 and 2027-01, as rules.APIVersions lists them) and
// gen.APIVersion, the version of the spec gen/ was generated from, should a
// regeneration have moved it past them.
func APIVersions() []string { return servedVersions(rules.APIVersions()) }

// servedVersions is versions with gen.APIVersion, which a request without
// the header gets and which is therefore always served, as Polar's
// APIVersionMiddleware requires of its default version; sorted, without
// repeats.
func servedVersions(versions []string) []string {
	out := append(slices.Clone(versions), gen.APIVersion)
	slices.Sort(out)
	return slices.Compact(out)
}
