// Package intuned is the root of the Intuned Go SDK module. It holds the
// OpenAPI document the SDK is generated from; applications import
// github.com/intuned/intuned-go/sdk instead, and tests
// github.com/intuned/intuned-go/sdk/intunedtest. No package an application
// imports imports this one, so the generator pinned here (tools.go) never
// reaches an application's go.sum.
//
// Run `go generate ./...` (or `make generate`) from the module root after
// changing openapi.yaml:
//
//   - internal/cmd/gensdk writes the SDK: sdk/models.gen.go (every model,
//     its checked decoder and request checks, the sealed unions),
//     sdk/operations.gen.go (every operation's method, path, success status
//     and idempotency), sdk/services.gen.go (the client's services and, per
//     operation, its method and standalone function), sdk/longrunning.gen.go
//     (every long-running operation: its kind, Operation and waits) and
//     sdk/intunedtest/routes.gen.go (the fake's routes);
//   - oapi-codegen, pinned in go.mod through tools.go, writes gen/: an
//     independent client and server from the same spec, which the module's
//     own tests use to cross-check the SDK's paths and models.
package intuned

import _ "embed"

//go:generate go run ./internal/cmd/gensdk -spec openapi.yaml -sdk sdk -fake sdk/intunedtest
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/client.cfg.yaml openapi.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/server.cfg.yaml openapi.yaml

// OpenAPISpec is openapi.yaml, the hand-written OpenAPI 3.0 document the
// SDK is generated from.
//
//go:embed openapi.yaml
var OpenAPISpec []byte
