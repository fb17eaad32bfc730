// Package intuned is the root of the Intuned Go SDK module. It holds the
// OpenAPI document the SDK is generated from; applications import
// github.com/intuned/intuned-go/sdk instead, and tests
// github.com/intuned/intuned-go/sdk/intunedtest. No package an application
// imports imports this one, nor the generator, so the spec tooling the
// generator and this package's tests use (kin-openapi, YAML) never reaches
// an application's go.sum (`make deps` checks it).
//
// Run `go generate ./...` (or `make generate`) from the module root after
// changing openapi.yaml. It runs internal/cmd/gensdk, which writes
// sdk/models.gen.go (every model, its checked decoder and request checks,
// the sealed unions), sdk/operations.gen.go (every operation's method,
// path, success status and idempotency), sdk/services.gen.go (the client's
// services and, per operation, its method and standalone function),
// sdk/longrunning.gen.go (every long-running operation: its kind,
// Operation and waits) and
// sdk/intunedtest/routes.gen.go (the fake's routes, and the interface of
// every operation its Server implements, so that the build fails if the
// fake does not serve one).
//
// This package's tests check the spec against the wire contract
// (spec_test.go) and every SDK operation's method and escaped path against
// a table copied from the contract (operations_test.go).
package intuned

import _ "embed"

//go:generate go run ./internal/cmd/gensdk -spec openapi.yaml -sdk sdk -fake sdk/intunedtest

// OpenAPISpec is openapi.yaml, the hand-written OpenAPI 3.0 document the
// SDK is generated from.
//
//go:embed openapi.yaml
var OpenAPISpec []byte
