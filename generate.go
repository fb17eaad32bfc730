// Package intuned is the root of the Intuned Go SDK module. It holds the
// OpenAPI document the SDK is generated from; applications import
// github.com/intuned/intuned-go/sdk instead.
//
// Run `go generate ./...` from the module root after changing openapi.yaml:
// oapi-codegen, pinned in go.mod through tools.go, rewrites gen/client.gen.go
// and gen/server.gen.go, and internal/cmd/genops rewrites
// gen/operations.gen.go (each operation's method, path and success status).
package intuned

import _ "embed"

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/client.cfg.yaml openapi.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/server.cfg.yaml openapi.yaml
//go:generate go run ./internal/cmd/genops openapi.yaml gen/operations.gen.go

// OpenAPISpec is openapi.yaml, the hand-written OpenAPI 3.0 document that
// gen/ is generated from. The fake server in sdk/intunedtest validates
// requests against it.
//
//go:embed openapi.yaml
var OpenAPISpec []byte
