// Command gensdk writes the SDK's generated code from openapi.yaml:
//
//   - sdk/models.gen.go: a Go type for every schema of the spec (structs,
//     enums, sealed unions with an Unknown variant), each with a decoder
//     that checks the schema (required members, JSON types, nullability)
//     and reports the JSON path of what does not match, and, for request
//     models, a check run before anything is sent;
//   - sdk/operations.gen.go: every operation's method, path template, path
//     parameters, success status and idempotency;
//   - sdk/services.gen.go: the Client, its service tree (client.Project.
//     AuthSessions.Update…) and, for every operation, its method and its
//     standalone function;
//   - sdk/longrunning.gen.go: every long-running operation
//     (x-sdk-long-running): its kind, its Operation, its <Verb>AndWait and
//     <Verb>AndWaitAll, each as method and standalone function;
//   - sdk/intunedtest/routes.gen.go: the routes of the fake API, and
//     operations, the interface with a method per operation (named as its
//     sdk function, in lowerCamel) that the fake's Server implements; each
//     route calls its method, so a fake that lacks one does not build.
//
// It is run by `go generate ./...` (see generate.go). The spec's own keys
// drive it (required, nullable, default, enum, minLength, pattern, an
// integer list's items' minimum, oneOf with or without a discriminator,
// format date-time), plus a few x- extensions:
//
//   - on operations: x-sdk-name (the reference client's call name, which
//     gives the service tree), x-idempotent (whether sending it twice can
//     act twice), x-idempotent-when (the body member whose presence makes
//     it idempotent: a create that names its ID), x-sdk-attempt-timeout (a
//     Go duration replacing DefaultAttemptTimeout, for a call that holds
//     the connection while it works), x-sdk-long-running (on a start: its
//     result call, and for auth sessions its resume call; the member of its
//     answer holding the ID; the statuses that end a wait and the one that
//     fails it; where a failure's code, message, status code and details
//     are; the nouns of its doc comments: see lro.go);
//   - on tags: x-sdk-subject (the noun of a service's names: Job for
//     project.jobs; with it the generator applies the naming rule, see
//     names.go);
//   - on schemas: x-sdk-go-type (a schema implemented by hand in sdk),
//     x-sdk-type-name (the Go name of a schema's type), x-sdk-reference-name
//     (the reference client's name for it, when ours differs, for the doc
//     comment), x-sdk-raw (an object kept as raw JSON, checked to be an
//     object), x-sdk-any (a
//     request member the caller gives as any Go value or raw JSON that
//     encodes to an object), x-enum-varnames (the names of an enum's
//     constants, as for oapi-codegen, each the type's name and a suffix),
//     x-sdk-discriminator-type (the Go type of a union's discriminator,
//     shared by unions that name the same type), x-sdk-markers (on a
//     union without a discriminator whose variants are objects: a mapping
//     from each variant's component name to a required member of it that
//     no other variant has; a value with exactly one variant's marker is
//     that variant, checked, and one with none or several is kept as the
//     union's Unknown variant);
//   - on members and parameters: x-sdk-go-name (the Go name of a member),
//     x-sdk-label (how errors name it), x-sdk-only (the discriminator values
//     a union member takes in a request, when not all: a queue's sink).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	spec := flag.String("spec", "openapi.yaml", "the OpenAPI document")
	sdkDir := flag.String("sdk", "sdk", "the sdk package directory")
	fakeDir := flag.String("fake", "sdk/intunedtest", "the intunedtest package directory")
	flag.Parse()
	if err := run(*spec, *sdkDir, *fakeDir); err != nil {
		fmt.Fprintln(os.Stderr, "gensdk:", err)
		os.Exit(1)
	}
}

func run(specPath, sdkDir, fakeDir string) error {
	api, err := load(specPath)
	if err != nil {
		return err
	}
	files := map[string]string{
		filepath.Join(sdkDir, "models.gen.go"):      "models",
		filepath.Join(sdkDir, "operations.gen.go"):  "operations",
		filepath.Join(sdkDir, "services.gen.go"):    "services",
		filepath.Join(sdkDir, "longrunning.gen.go"): "longrunning",
		filepath.Join(fakeDir, "routes.gen.go"):     "routes",
	}
	for path, tmpl := range files {
		src, err := render(tmpl, api)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := os.WriteFile(path, src, 0o644); err != nil {
			return err
		}
	}
	return nil
}
