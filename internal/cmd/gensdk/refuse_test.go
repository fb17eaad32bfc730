package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// specWith is a one-operation spec whose request body is the schema Body,
// with the components given.
func specWith(components string) string {
	return `openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://example.com"}]
paths:
  /{workspaceId}/things:
    parameters:
      - {name: workspaceId, in: path, required: true, schema: {type: string}}
    post:
      operationId: thingsCreate
      x-sdk-name: things.create
      x-idempotent: false
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Body'}
      responses:
        '201': {description: created}
components:
  schemas:
` + components
}

// The generator refuses a spec that promises what the SDK would not do.
func TestRefusedSpecs(t *testing.T) {
	for name, tt := range map[string]struct{ components, want string }{
		"members one Go name": {`    Body: {type: object, properties: {runId: {type: string}, RunId: {type: integer}}}
`, `members "runId" and "RunId" are both the Go field RunID`},
		"maxLength": {`    Body: {type: object, properties: {name: {type: string, maxLength: 3}}}
`, "does not check maxLength"},
		"maximum": {`    Body: {type: object, properties: {n: {type: integer, maximum: 5}}}
`, "does not check maximum"},
		"minItems on a string": {`    Body: {type: object, properties: {s: {type: string, minItems: 1}}}
`, "minItems on a member that is not a list"},
		"a generated discriminator type shared": {`    Body:
      type: object
      properties:
        a: {$ref: '#/components/schemas/U1'}
        b: {$ref: '#/components/schemas/U2'}
    V: {type: object, required: [kind], properties: {kind: {type: string, enum: [v]}}}
    U1: {x-sdk-discriminator-type: Kind, oneOf: [{$ref: '#/components/schemas/V'}], discriminator: {propertyName: kind}}
    U2: {x-sdk-discriminator-type: Kind, oneOf: [{$ref: '#/components/schemas/V'}], discriminator: {propertyName: kind}}
`, "named by two unions"},
		"a variant of two discriminators": {`    Body:
      type: object
      properties:
        a: {$ref: '#/components/schemas/U1'}
        b: {$ref: '#/components/schemas/U2'}
    V: {type: object, required: [kind, type], properties: {kind: {type: string, enum: [v]}, type: {type: string, enum: [w]}}}
    U1: {oneOf: [{$ref: '#/components/schemas/V'}], discriminator: {propertyName: kind}}
    U2: {oneOf: [{$ref: '#/components/schemas/V'}], discriminator: {propertyName: type}}
`, "whose discriminators differ"},
		"markers and a discriminator": {markedUnion(`{A: a, B: b}`, `
      discriminator: {propertyName: kind}`, ""), "a discriminator and x-sdk-markers"},
		"markers that are not a mapping": {markedUnion(`[a, b]`, "", ""), "is not a mapping of variant names to member names"},
		"a variant without a marker":     {markedUnion(`{A: a}`, "", ""), "names no member (a string) for the variant B"},
		"a marker that is not a string":  {markedUnion(`{A: a, B: [b]}`, "", ""), "names no member (a string) for the variant B"},
		"a marker of no variant":         {markedUnion(`{A: a, B: b, C: c}`, "", ""), "names C, which is not one of its variants"},
		"a marker that is optional":      {markedUnion(`{A: a, B: n}`, "", ""), `"n" is not a required member of B`},
		"a marker another variant has":   {markedUnion(`{A: a, B: b}`, "", ", a: {type: string}"), `the marker "a" of A is a member of B too`},
		"an inline marked variant": {`    Body: {type: object}
    A: {type: object, required: [a], properties: {a: {type: string}}}
    U:
      x-sdk-markers: {A: a}
      oneOf: [{$ref: '#/components/schemas/A'}, {type: string, title: inline}]
`, "variant 1 is inline"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "spec.yaml")
			if err := os.WriteFile(path, []byte(specWith(tt.components)), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := load(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("load: %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

// x-idempotent-when makes a method of the body model: two operations
// sharing the body must agree on it.
func TestRefusedSharedIdempotentWhenBody(t *testing.T) {
	spec := `openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://example.com"}]
paths:
  /{workspaceId}/things:
    parameters:
      - {name: workspaceId, in: path, required: true, schema: {type: string}}
    post:
      operationId: thingsCreate
      x-sdk-name: things.create
      x-idempotent: false
      x-idempotent-when: id
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Body'}
      responses:
        '201': {description: created}
  /{workspaceId}/other:
    parameters:
      - {name: workspaceId, in: path, required: true, schema: {type: string}}
    post:
      operationId: otherCreate
      x-sdk-name: other.create
      x-idempotent: false
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Body'}
      responses:
        '201': {description: created}
components:
  schemas:
    Body: {type: object, properties: {id: {type: string}}}
`
	path := filepath.Join(t.TempDir(), "spec.yaml")
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := load(path); err == nil || !strings.Contains(err.Error(), "but not its x-idempotent-when") {
		t.Errorf("load: %v, want the shared body refused", err)
	}
}

// markedUnion is the components of a spec with a union U of A and B told
// apart by markers (x-sdk-markers: markers), with more YAML after its
// oneOf (extra) and more properties of B (bExtra, each after a comma).
func markedUnion(markers, extra, bExtra string) string {
	return `    Body: {type: object}
    A: {type: object, required: [a], properties: {a: {type: string}}}
    B: {type: object, required: [b], properties: {b: {type: string}, n: {type: integer}` + bExtra + `}}
    U:
      x-sdk-markers: ` + markers + `
      oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]` + extra + `
`
}

// specNamed is a spec with a jobs service whose subject is Job: its create
// takes the schema named req and answers the schema named ans, and its
// enum Kind has the x-enum-varnames given.
func specNamed(req, ans, varnames string) string {
	return `openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://example.com"}]
tags:
  - {name: jobs, x-sdk-subject: Job}
  - {name: jobs.runs, x-sdk-subject: JobRun}
paths:
  /{workspaceId}/jobs:
    parameters:
      - {name: workspaceId, in: path, required: true, schema: {type: string}}
    post:
      operationId: jobsCreate
      x-sdk-name: jobs.create
      x-idempotent: false
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/` + req + `'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/` + ans + `'}
    get:
      operationId: jobsAll
      x-sdk-name: jobs.all
      responses:
        '200':
          description: the jobs
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Job'}}
  /{workspaceId}/runs:
    parameters:
      - {name: workspaceId, in: path, required: true, schema: {type: string}}
    post:
      operationId: runsTerminate
      x-sdk-name: jobs.runs.terminate
      x-idempotent: false
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/` + req + `'}
      responses:
        '200':
          description: terminated
          content:
            application/json:
              schema: {$ref: '#/components/schemas/JobRunTerminated'}
components:
  schemas:
    ` + req + `: {type: object, properties: {kind: {$ref: '#/components/schemas/Kind'}}}
    ` + ans + `: {type: object, properties: {id: {type: string}}}
    Job: {type: object, properties: {id: {type: string}}}
    JobRunTerminated: {type: object, properties: {id: {type: string}}}
    Kind: {type: string, enum: [a, b]` + varnames + `}
`
}

// withUnion is specNamed's spec whose request has a member of the union
// Sink, with one variant named variant, told apart by its "type" webhook.
func withUnion(variant string) string {
	spec := specNamed("JobRequest", "JobCreated", "")
	spec = strings.Replace(spec, "properties: {kind: {$ref: '#/components/schemas/Kind'}}", "properties: {kind: {$ref: '#/components/schemas/Kind'}, sink: {$ref: '#/components/schemas/Sink'}}", 1)
	return spec + `    Sink: {x-sdk-discriminator-type: SinkType, oneOf: [{$ref: '#/components/schemas/` + variant + `'}], discriminator: {propertyName: type, mapping: {webhook: '#/components/schemas/` + variant + `'}}}
    ` + variant + `: {type: object, required: [type], properties: {type: {type: string, enum: [webhook]}}}
`
}

// The generator applies the naming rule to a spec that names its services'
// subjects, and refuses a name that breaks it.
func TestNamingRule(t *testing.T) {
	for name, tt := range map[string]struct{ spec, want string }{
		"shared by the rule":          {specNamed("JobRequest", "JobCreated", ""), ""},
		"shared with one word added":  {specNamed("JobRunsRequest", "JobCreated", ""), ""},
		"a request not by the rule":   {specNamed("JobInput", "JobCreated", ""), "JobInput, shared as JobCreateRequest and JobRunTerminateRequest"},
		"an answer not by the rule":   {specNamed("JobRequest", "CreateJobResponse", ""), "jobs.create: CreateJobResponse is JobCreated by the naming rule"},
		"constants not by the rule":   {specNamed("JobRequest", "JobCreated", ", x-enum-varnames: [KindA, B]"), "constant B of Kind: an enum's constants are Kind<Value>"},
		"constants by their varnames": {specNamed("JobRequest", "JobCreated", ", x-enum-varnames: [KindA, KindBee]"), ""},
		"variants by the rule":        {withUnion("SinkWebhook"), ""},
		"a variant not by the rule":   {withUnion("WebhookSink"), "Sink: WebhookSink is SinkWebhook by the naming rule"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "spec.yaml")
			if err := os.WriteFile(path, []byte(tt.spec), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := load(path)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("load: %v, want it accepted", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("load: %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// openapi.yaml names the subjects of its services, so the naming rule
// applies to it: load checks every operation against it (and refuses an
// operation whose service has no subject).
func TestSpecFollowsTheNamingRule(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "x-sdk-subject:") {
		t.Fatal("openapi.yaml names no x-sdk-subject: the naming rule would not be applied")
	}
	if _, err := load(filepath.Join("..", "..", "..", "openapi.yaml")); err != nil {
		t.Fatal(err)
	}
}
