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
