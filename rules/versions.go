package rules

import "regexp"

// APIVersions returns the Polar-Version values Polar serves, oldest first:
// those Polar's SDK 1.0.1 (@polar-sh/sdk, September 2026) ships clients for.
// Polar announces new versions in its changelog and API reference
// (https://polar.sh/docs/api-reference) and publishes each version's spec
// as docs/openapi/<version>.openapi.json in github.com/polarsource/polar.
func APIVersions() []string { return []string{"2026-04", "2026-10", "2027-01"} }

// apiVersionForm is the form of Polar's API versions
// (polar/kit/versioning.py, _API_VERSION_PATTERN).
var apiVersionForm = regexp.MustCompile(`^\d{4}-\d{2}$`)

// IsAPIVersion reports whether v has the form of Polar's API versions,
// YYYY-MM. Polar answers any other Polar-Version with 404.
func IsAPIVersion(v string) bool { return apiVersionForm.MatchString(v) }
