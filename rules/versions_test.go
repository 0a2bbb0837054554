package rules_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/polarsessions/polarsessions-go/rules"
)

func TestAPIVersions(t *testing.T) {
	versions := rules.APIVersions()
	assert.Equal(t, []string{"2026-04", "2026-10", "2027-01"}, versions)
	assert.True(t, slices.IsSorted(versions))
	for _, v := range versions {
		assert.True(t, rules.IsAPIVersion(v), v)
	}
	versions[0] = "changed"
	assert.Equal(t, "2026-04", rules.APIVersions()[0], "each call returns a fresh slice")
}

func TestIsAPIVersion(t *testing.T) {
	for v, want := range map[string]bool{
		"2026-10": true, "2099-01": true,
		"": false, "latest": false, "2026-4": false, "2026-10 ": false, "v2026-10": false, "2026/10": false, "2026-100": false,
	} {
		assert.Equal(t, want, rules.IsAPIVersion(v), "%q", v)
	}
}
