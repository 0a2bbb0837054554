package client_test

// Decoding tests: real Polar bodies must decode into the generated models
// the client returns (through its aliases) without loss. They guard the
// spec rewrites in internal/trimspec: number-as-double and
// string-tuple-items.

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/gen"
	"github.com/polarsessions/polarsessions-go/internal/fixtures"
)

func TestDecodeCustomerSessionIndividual(t *testing.T) {
	var s gen.CustomerSession
	require.NoError(t, json.Unmarshal(fixtures.CustomerSessionIndividual(), &s))

	assert.Equal(t, "5f0c3b4e-8a7d-4f1e-9c2b-1a2b3c4d5e6f", s.ID)
	assert.Equal(t, "polar_cst_Q2xW9eR7tY5uI3oP1aS8dF6gH4jK2lZ0xC9vB7nM5qW", s.Token)
	assert.Equal(t, time.Date(2026, 11, 21, 11, 0, 0, 123456000, time.UTC), s.ExpiresAt)
	assert.Nil(t, s.ModifiedAt)
	require.NotNil(t, s.ReturnURL)
	assert.Equal(t, "https://example.com/account", *s.ReturnURL)
	assert.Equal(t, "992fae2a-2a17-4b7a-8d9e-e287cf90131b", s.CustomerID)

	kind, err := s.Customer.Discriminator()
	require.NoError(t, err)
	assert.Equal(t, "individual", kind)
	c, err := s.Customer.AsCustomerIndividual()
	require.NoError(t, err)
	assert.Equal(t, gen.CustomerIndividualType("individual"), c.Type)
	assert.Equal(t, "jane@example.com", c.Email)
	assert.True(t, c.EmailVerified)
	require.NotNil(t, c.ExternalID)
	assert.Equal(t, "usr_1337", *c.ExternalID)
	require.NotNil(t, c.ModifiedAt)
	assert.Equal(t, time.Date(2026, 10, 2, 16, 45, 12, 500000000, time.UTC), *c.ModifiedAt)
	assert.Nil(t, c.BillingAddress)
	assert.Nil(t, c.TaxID)
	assert.Empty(t, c.Metadata)
	require.NotNil(t, c.Locale)
	assert.Equal(t, "en", *c.Locale)
}

func TestDecodeCustomerSessionTeam(t *testing.T) {
	var s gen.CustomerSession
	require.NoError(t, json.Unmarshal(fixtures.CustomerSessionTeam(), &s))
	assert.Nil(t, s.ReturnURL)

	v, err := s.Customer.ValueByDiscriminator()
	require.NoError(t, err)
	c, ok := v.(gen.CustomerTeam)
	require.True(t, ok, "discriminator must select CustomerTeam, got %T", v)

	assert.Equal(t, gen.CustomerTeamType("team"), c.Type)
	assert.Nil(t, c.Email, "a team's email is nullable")
	assert.Nil(t, c.ExternalID)
	require.NotNil(t, c.BillingAddress)
	assert.Equal(t, gen.AddressCountry("DE"), c.BillingAddress.Country)
	assert.True(t, c.BillingAddress.Country.Valid())
	assert.Equal(t, "Hauptstraße 1", *c.BillingAddress.Line1)
	assert.Nil(t, c.BillingAddress.Line2)
	assert.Equal(t, "Berlin", *c.BillingAddress.City)

	require.NotNil(t, c.TaxID)
	assert.Equal(t, []string{"DE123456789", "eu_vat"}, *c.TaxID)
	assert.True(t, gen.TaxIDFormat((*c.TaxID)[1]).Valid())

	require.Len(t, c.Metadata, 4)
	plan, err := c.Metadata["plan"].AsMetadataOutputType0()
	require.NoError(t, err)
	assert.Equal(t, "enterprise", plan)
	seats, err := c.Metadata["seats"].AsMetadataOutputType1()
	require.NoError(t, err)
	assert.Equal(t, 42, seats)
	discount, err := c.Metadata["discount"].AsMetadataOutputType2()
	require.NoError(t, err)
	assert.Equal(t, 0.125, discount)
	trial, err := c.Metadata["trial"].AsMetadataOutputType3()
	require.NoError(t, err)
	assert.False(t, trial)

	require.NotNil(t, c.DefaultPaymentMethodID)
	require.NotNil(t, c.FirstUserEventAt)
}

func TestDecodeMetadataFloatKeepsDoublePrecision(t *testing.T) {
	var m gen.MetadataOutputType
	require.NoError(t, json.Unmarshal([]byte(`{"pi":3.141592653589793}`), &m))
	pi, err := m["pi"].AsMetadataOutputType2()
	require.NoError(t, err)
	assert.Equal(t, 3.141592653589793, pi, "number-as-double rewrite: float32 would round this")
}

func TestDecodeCustomerCustomerSession(t *testing.T) {
	var s gen.CustomerCustomerSession
	require.NoError(t, json.Unmarshal(fixtures.CustomerCustomerSession(), &s))
	assert.Equal(t, time.Date(2026, 11, 21, 11, 0, 0, 0, time.UTC), s.ExpiresAt)
	require.NotNil(t, s.ReturnURL)
	assert.Equal(t, "https://example.com/account", *s.ReturnURL)

	var none gen.CustomerCustomerSession
	require.NoError(t, json.Unmarshal(fixtures.CustomerCustomerSessionNoReturnURL(), &none))
	assert.Equal(t, s.ExpiresAt, none.ExpiresAt)
	assert.Nil(t, none.ReturnURL)
}

func TestDecodeHTTPValidationError(t *testing.T) {
	// Polar's real 422 has an extra "error" key beside the spec's "detail".
	body := `{"error":"PolarRequestValidationError","detail":[{"loc":["body","customer_id"],"msg":"Customer does not exist.","type":"value_error","input":"992fae2a-2a17-4b7a-8d9e-e287cf90131b"},{"loc":["body",0],"msg":"Field required","type":"missing"}]}`
	var e gen.HTTPValidationError
	require.NoError(t, json.Unmarshal([]byte(body), &e))
	require.NotNil(t, e.Detail)
	require.Len(t, *e.Detail, 2)

	first := (*e.Detail)[0]
	assert.Equal(t, "Customer does not exist.", first.Msg)
	assert.Equal(t, "value_error", first.Type)
	assert.Equal(t, "992fae2a-2a17-4b7a-8d9e-e287cf90131b", first.Input)
	loc1, err := first.Loc[1].AsValidationErrorLoc0()
	require.NoError(t, err)
	assert.Equal(t, "customer_id", loc1)

	idx, err := (*e.Detail)[1].Loc[1].AsValidationErrorLoc1()
	require.NoError(t, err)
	assert.Equal(t, 0, idx)
}
