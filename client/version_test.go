package client_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/client"
)

// Version is the newest release in CHANGELOG.md: bumping one without the
// other fails here.
func TestVersionMatchesChangelog(t *testing.T) {
	changelog, err := os.ReadFile("../CHANGELOG.md")
	require.NoError(t, err)
	newest := regexp.MustCompile(`(?m)^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$`).FindSubmatch(changelog)
	require.NotNil(t, newest, "CHANGELOG.md has no release heading such as \"## [1.2.3] - 2026-11-22\"")
	require.Equal(t, string(newest[1]), client.Version)
}
