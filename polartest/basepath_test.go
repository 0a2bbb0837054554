package polartest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestParseBasePath(t *testing.T) {
	for prefix, want := range map[string]string{
		"": "", "/": "", "//": "", "polar": "/polar", "/gw/polar/": "/gw/polar", "/_polartestx": "/_polartestx",
		"/a-b.c_d~e!$&'()*+,;=:@": "/a-b.c_d~e!$&'()*+,;=:@", "/_polartes": "/_polartes", "/x/_polartest": "/x/_polartest",
	} {
		got, err := polartest.ParseBasePath(prefix)
		if assert.NoError(t, err, prefix) {
			assert.Equal(t, want, got, prefix)
		}
	}
	for prefix, want := range map[string]string{
		"/_polartest":    "base path /_polartest is the control API's, /_polartest/, where WithControlAPI's routes would hide it",
		"_polartest/v1/": "base path /_polartest/v1 is the control API's",
		"/a b?c#d":       `base path "/a b?c#d": ' ' cannot stand in a URL's path as it is`,
		"/a?b":           `'?' cannot stand`,
		"/a#b":           `'#' cannot stand`,
		"/a%20b":         `'%' cannot stand`,
		"/{id}":          `'{' cannot stand`,
		"/é":             `'é' cannot stand`,
		"/a//b":          `a segment is empty, "." or ".."`,
		"/a/../b":        `a segment is empty, "." or ".."`,
		"/./b":           `a segment is empty, "." or ".."`,
	} {
		_, err := polartest.ParseBasePath(prefix)
		if assert.Error(t, err, prefix) {
			assert.Contains(t, err.Error(), want, prefix)
		}
	}
	assert.PanicsWithValue(t, "polartest: WithBasePath: base path /_polartest is the control API's, /_polartest/, where WithControlAPI's routes would hide it",
		func() { polartest.WithBasePath("/_polartest/") })
}
