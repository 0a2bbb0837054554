package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/polarsessions/polarsessions-go/rules"
)

func TestCheckExternalID(t *testing.T) {
	assert.NoError(t, rules.CheckExternalID("usr_1337"))
	assert.NoError(t, rules.CheckExternalID(" padded "))
	assert.EqualError(t, rules.CheckExternalID(""), "is blank")
	assert.EqualError(t, rules.CheckExternalID(" \t"), "is blank")
	assert.EqualError(t, rules.CheckExternalID("usr_\xff"), "is not valid UTF-8")
}
