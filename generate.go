// Package polarsessions is the root of the polarsessions-go module: a Go
// client for Polar's customer-session API. The library lives in the client
// package; polartest holds an in-process fake Polar server for tests.
//
// This file holds the code generation step. gen/ is compiled by oapi-codegen
// (pinned in go.mod through tools.go) from the trimmed spec in openapi/, and
// gen/version.go carries the spec's info.version (internal/genversion):
//
//	go generate ./...
package polarsessions

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config openapi/oapi-codegen.yaml openapi/openapi.json
//go:generate go run ./internal/genversion -spec openapi/openapi.json -out gen/version.go
