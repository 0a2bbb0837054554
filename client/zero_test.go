package client_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/polarsessions/polarsessions-go/client"
)

// Users build these errors to fake Polar's failures in their own tests:
// every method works on a zero value and on a nil pointer.
func TestErrorTypesZeroValues(t *testing.T) {
	sentinels := []error{client.ErrInvalidRequest, client.ErrUnauthorized, client.ErrForbidden, client.ErrNotFound,
		client.ErrRateLimited, client.ErrServer, client.ErrResponseTooLarge, context.Canceled, context.DeadlineExceeded}
	values := map[string]error{
		"APIError{}":                   &client.APIError{},
		"(*APIError)(nil)":             (*client.APIError)(nil),
		"ValidationError{}":            &client.ValidationError{},
		"ValidationError{APIError{}}":  &client.ValidationError{APIError: &client.APIError{}},
		"ValidationError{Errors}":      &client.ValidationError{Errors: []client.FieldError{{}}},
		"(*ValidationError)(nil)":      (*client.ValidationError)(nil),
		"TransportError{}":             &client.TransportError{},
		"TransportError{Class}":        &client.TransportError{Class: "timeout"},
		"(*TransportError)(nil)":       (*client.TransportError)(nil),
		"InputError{}":                 &client.InputError{},
		"(*InputError)(nil)":           (*client.InputError)(nil),
		"wrapped ValidationError{}":    fmt.Errorf("wrapped: %w", &client.ValidationError{}),
		"wrapped (*TransportError)nil": fmt.Errorf("wrapped: %w", (*client.TransportError)(nil)),
	}
	for name, err := range values {
		assert.NotPanics(t, func() {
			assert.NotEmpty(t, err.Error(), name)
			_ = errors.Unwrap(err)
			for _, s := range sentinels {
				_ = errors.Is(err, s)
			}
			var apiErr *client.APIError
			var vErr *client.ValidationError
			var tErr *client.TransportError
			var inErr *client.InputError
			_ = errors.As(err, &apiErr)
			_ = errors.As(err, &vErr)
			_ = errors.As(err, &tErr)
			_ = errors.As(err, &inErr)
			_ = fmt.Sprintf("%v %+v %#v", err, err, err)
		}, name)
	}

	// What the zero values say and match.
	assert.Equal(t, "polar: 0 ", (&client.APIError{}).Error())
	assert.Equal(t, "polar: validation failed", (&client.ValidationError{}).Error())
	assert.Equal(t, "polar: validation failed: Field required", (&client.ValidationError{Errors: []client.FieldError{{Msg: "Field required"}}}).Error())
	assert.Equal(t, "polar: timeout", (&client.TransportError{Class: "timeout"}).Error())
	assert.Equal(t, "polar: transport failure", (&client.TransportError{}).Error())
	assert.Equal(t, "polar: invalid request", (&client.InputError{}).Error())
	assert.False(t, errors.Is(&client.ValidationError{}, client.ErrServer))
	assert.True(t, errors.Is(&client.ValidationError{APIError: &client.APIError{StatusCode: 503}}, client.ErrServer))
	assert.True(t, errors.Is(&client.InputError{}, client.ErrInvalidRequest))
	assert.Nil(t, (&client.ValidationError{}).Unwrap(), "no typed nil inside a non-nil interface")
	assert.Nil(t, (&client.TransportError{}).Unwrap())
	var apiErr *client.APIError
	assert.False(t, errors.As(&client.ValidationError{}, &apiErr))
	assert.Equal(t, "", (&client.APIError{}).Hint())
}

// A Client or service struct not made by New answers with an error, not a
// panic.
func TestZeroClientAndServices(t *testing.T) {
	ctx := context.Background()
	req := client.CreateCustomerSessionRequest{CustomerID: "992fae2a-2a17-4b7a-8d9e-e287cf90131b"}
	assert.NotPanics(t, func() {
		_, err := (&client.Client{}).CustomerSessions.Create(ctx, req)
		assert.ErrorIs(t, err, client.ErrInvalidRequest)
		_, err = (&client.CustomerSessions{}).Create(ctx, req)
		assert.ErrorIs(t, err, client.ErrInvalidRequest)
		_, err = (&client.CustomerPortalCustomerSession{}).Introspect(ctx, "polar_cst_x")
		assert.ErrorIs(t, err, client.ErrInvalidRequest)
		assert.EqualError(t, err, "polar: invalid request: client: not created with New")
		(*client.Client)(nil).CloseIdleConnections()
		(&client.Client{}).CloseIdleConnections()
	})
}
