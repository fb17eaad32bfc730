package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The fake's routes.gen.go makes the compiler check that the fake serves
// every operation: with a Server that has a method per operation of
// testdata/shapes.yaml the package builds, and with one method missing it
// does not, naming the method.
func TestRoutesNeedEveryOperation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a scratch module")
	}
	api, err := load(filepath.Join("testdata", "shapes.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := render("routes", api)
	if err != nil {
		t.Fatal(err)
	}
	var methods []string
	for _, o := range api.Ops {
		methods = append(methods, unexported(o.Func))
	}
	if len(methods) < 2 {
		t.Fatalf("shapes.yaml has %d operations; the test needs two or more", len(methods))
	}
	build := func(methods []string) (string, error) {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "go.mod"), "module example.com/fake\n\ngo 1.25.0\n")
		write(t, filepath.Join(dir, "routes.gen.go"), string(src))
		stub := "package intunedtest\n\nimport \"net/http\"\n\n" +
			"type route struct {\n\tid, name, method string\n\tliterals, params []string\n\tsuccess int\n\tnullable []string\n\tserve func(operations, *http.Request, []byte) answer\n}\n\n" +
			"type answer struct{}\n\ntype Server struct{}\n\nvar _ = routes\n"
		for _, m := range methods {
			stub += "\nfunc (*Server) " + m + "(*http.Request, []byte) answer { return answer{} }\n"
		}
		write(t, filepath.Join(dir, "stub.go"), stub)
		cmd := exec.Command("go", "build", ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := build(methods); err != nil {
		t.Fatalf("with every operation's method: %v\n%s", err, out)
	}
	missing := methods[len(methods)-1]
	out, err := build(methods[:len(methods)-1])
	if err == nil {
		t.Fatalf("without %s: the package builds", missing)
	}
	t.Logf("without %s:\n%s", missing, out)
	if !strings.Contains(out, "missing method "+missing) {
		t.Errorf("without %s: the build fails, but not for that method:\n%s", missing, out)
	}
}
