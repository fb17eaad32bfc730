package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The generator's output for testdata/shapes.yaml, a spec with the shapes
// the rest of the API brings (unions without a discriminator, nullable
// date-times, maps, inline objects and enums, any JSON), compiles with the
// SDK's runtime and behaves: testdata/shapes/shapes_test.go.txt runs
// against it, in a scratch module.
func TestGeneratedShapes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a scratch module")
	}
	dir := t.TempDir()
	sdkDir := filepath.Join("..", "..", "..", "sdk")
	entries, err := os.ReadDir(sdkDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		// The runtime, without the API's own generated code and the layers
		// over its operations and types.
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, ".gen.go") || apiLayers[name] {
			continue
		}
		copyFile(t, filepath.Join(sdkDir, name), filepath.Join(dir, name))
	}
	copyFile(t, filepath.Join("testdata", "shapes", "shapes_test.go.txt"), filepath.Join(dir, "shapes_test.go"))
	fake := filepath.Join(dir, "intunedtest")
	if err := os.Mkdir(fake, 0o755); err != nil {
		t.Fatal(err)
	}
	// The fake's routes are not built here (TestRoutesNeedEveryOperation
	// builds them).
	write(t, filepath.Join(dir, "stub.go"), "package sdk\n\n// authWaitConfig and answerBook stand for the auth-session layer, which is not copied.\ntype authWaitConfig struct{}\n\ntype answerBook struct{}\n\nfunc newAnswerBook() *answerBook { return nil }\n")
	write(t, filepath.Join(dir, "go.mod"), "module example.com/shapes\n\ngo 1.25.0\n")
	if err := run(filepath.Join("testdata", "shapes.yaml"), dir, fake); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "test", "-count=1", "-v", "-run", "Shapes", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in the scratch module: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestShapesRequests") {
		t.Fatalf("the scratch module's tests did not run:\n%s", out)
	}
	t.Logf("%s", out)
}

// apiLayers are the hand-written files of sdk that build on the API's own
// generated code (its operations and types), not on the runtime alone.
var apiLayers = map[string]bool{"auth_sessions.go": true, "info_requests.go": true, "durations.go": true, "files.go": true, "sink.go": true, "sink_handler.go": true, "sink_options.go": true}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	write(t, to, string(b))
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The output does not depend on map order: CI fails when regenerating
// changes a committed file, so the same spec must give the same bytes.
// Four runs of each spec (check-generated is one more of openapi.yaml):
// a generator that ranged over a map of more than a few keys unsorted
// would differ between two of them.
func TestDeterministic(t *testing.T) {
	for _, spec := range []string{filepath.Join("testdata", "shapes.yaml"), filepath.Join("..", "..", "..", "openapi.yaml")} {
		var first map[string]string
		for i := 0; i < 4; i++ {
			dir := t.TempDir()
			fake := filepath.Join(dir, "fake")
			if err := os.Mkdir(fake, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := run(spec, dir, fake); err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, d := range []string{dir, fake} {
				entries, _ := os.ReadDir(d)
				for _, e := range entries {
					if !e.IsDir() {
						b, _ := os.ReadFile(filepath.Join(d, e.Name()))
						got[e.Name()] = string(b)
					}
				}
			}
			if first == nil {
				first = got
				continue
			}
			for name, b := range got {
				if first[name] != b {
					t.Fatalf("%s: %s differs between two runs", spec, name)
				}
			}
		}
	}
}
