package gen_test

// Golden tests of what the generated request builders put on the wire. They
// guard the spec rewrites in internal/trimspec: without the request-body
// hoist, oapi-codegen v2.8.2 sends the create body as "{}".

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/gen"
)

// server has a path prefix, as an API gateway would mount Polar, so a
// builder that dropped the prefix would fail these tests.
const server = "https://gateway.example.com/polar/"

func ptr[T any](v T) *T { return &v }

func TestCreateRequestWire(t *testing.T) {
	tests := []struct {
		name string
		body func(*gen.CustomerSessionCreate) error
		want string
	}{
		{
			name: "customer id only",
			body: func(b *gen.CustomerSessionCreate) error {
				return b.FromCustomerSessionCustomerIDCreate(gen.CustomerSessionCustomerIDCreate{
					CustomerID: "992fae2a-2a17-4b7a-8d9e-e287cf90131b",
				})
			},
			want: `{"customer_id":"992fae2a-2a17-4b7a-8d9e-e287cf90131b"}`,
		},
		{
			name: "customer id with member and return url",
			body: func(b *gen.CustomerSessionCreate) error {
				return b.FromCustomerSessionCustomerIDCreate(gen.CustomerSessionCustomerIDCreate{
					CustomerID: "992fae2a-2a17-4b7a-8d9e-e287cf90131b",
					MemberID:   ptr("3f2e1d0c-9b8a-4765-8432-10fedcba9876"),
					ReturnURL:  ptr("https://example.com/account?tab=billing&x=<y>"),
				})
			},
			want: `{"customer_id":"992fae2a-2a17-4b7a-8d9e-e287cf90131b","member_id":"3f2e1d0c-9b8a-4765-8432-10fedcba9876","return_url":"https://example.com/account?tab=billing\u0026x=\u003cy\u003e"}`,
		},
		{
			name: "external customer id only",
			body: func(b *gen.CustomerSessionCreate) error {
				return b.FromCustomerSessionCustomerExternalIDCreate(gen.CustomerSessionCustomerExternalIDCreate{
					ExternalCustomerID: "usr_1337",
				})
			},
			want: `{"external_customer_id":"usr_1337"}`,
		},
		{
			name: "external customer id with external member",
			body: func(b *gen.CustomerSessionCreate) error {
				return b.FromCustomerSessionCustomerExternalIDCreate(gen.CustomerSessionCustomerExternalIDCreate{
					ExternalCustomerID: "usr_1337",
					ExternalMemberID:   ptr("mem_42"),
				})
			},
			want: `{"external_customer_id":"usr_1337","external_member_id":"mem_42"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body gen.CustomerSessionCreate
			require.NoError(t, tt.body(&body))

			req, err := gen.NewCustomerSessionsCreateRequest(server, body)
			require.NoError(t, err)

			assert.Equal(t, http.MethodPost, req.Method)
			assert.Equal(t, "https://gateway.example.com/polar/v1/customer-sessions/", req.URL.String())
			assert.Equal(t, http.Header{"Content-Type": {"application/json"}}, req.Header)
			got, err := io.ReadAll(req.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
			require.NotNil(t, req.GetBody, "retries need a replayable body")
		})
	}
}

func TestIntrospectRequestWire(t *testing.T) {
	req, err := gen.NewCustomerPortalCustomerSessionIntrospectRequest(server)
	require.NoError(t, err)

	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, "https://gateway.example.com/polar/v1/customer-portal/customer-session/introspect", req.URL.String())
	assert.Empty(t, req.Header)
	assert.Nil(t, req.Body)
}
