// Package client is the Go client for Polar's customer-session API.
package client
