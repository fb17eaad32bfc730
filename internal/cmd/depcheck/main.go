// Command depcheck checks what a user of the sdk downloads. It makes two
// scratch modules that require github.com/intuned/intuned-go (replaced by
// this checkout), one importing …/sdk, the other …/sdk and …/sdk/intunedtest,
// runs `go mod tidy` in each, and lists the modules whose code their go.sum
// then holds: the modules `go mod download` fetches for them, tests of our
// packages included (tidy keeps what `go test all` would need).
//
// It fails when the sdk-only module lists any module outside -sdk-allow (by
// default none: a user of the sdk should download no code but ours), or any
// build-time or test-only module; and when the intunedtest module lists a
// build-time module (a code generator, or the spec tooling that reads
// openapi.yaml) or a test-only one. `make deps` runs it, and so `make test`.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

const self = "github.com/intuned/intuned-go"

// testOnly are modules our tests may use but a user should never download.
var testOnly = []string{
	"github.com/google/go-cmp", "go.uber.org/goleak", "github.com/stretchr/testify",
	"github.com/davecgh/go-spew", "github.com/pmezard/go-difflib",
}

// buildOnly are code generators and the spec tooling they stand on: what
// reads openapi.yaml (internal/cmd/gensdk and the spec tests: kin-openapi,
// YAML, JSON Schema and what comes with them), and generators we do not use
// but which a change could bring back (oapi-codegen, with its runtime: a
// fake built on its generated server would make every user of intunedtest
// download it). The SDK and the fake are generated ahead of time; running
// them needs none of this.
var buildOnly = []string{
	"github.com/getkin/kin-openapi", "github.com/go-openapi/*", "github.com/oasdiff/*",
	"github.com/santhosh-tekuri/*", "github.com/dlclark/regexp2",
	"go.yaml.in/yaml/*", "gopkg.in/yaml.v2", "gopkg.in/yaml.v3",
	"github.com/oapi-codegen/*", "github.com/speakeasy-api/*",
	"golang.org/x/tools", "golang.org/x/mod",
}

// scratch is one of the user modules depcheck makes.
type scratch struct {
	name    string   // directory, and what it imports, for the report
	imports []string // packages main.go blank-imports
	deny    []string // module patterns that fail the check
	only    bool     // if set, so does every module matching none of allow
	allow   []string
	modules []string // "path version" of each module whose code go.sum holds
	goLine  string   // the go directive after tidy
}

func main() {
	allow := flag.String("sdk-allow", "", "comma-separated `modules` (path, or prefix/* for a path prefix) that importing …/sdk alone may download")
	root := flag.String("root", "", "the intuned-go checkout (default: the module containing the current directory)")
	keep := flag.Bool("keep", false, "keep the scratch modules and print where they are")
	timeout := flag.Duration("timeout", 5*time.Minute, "time limit for all of it")
	flag.Parse()
	if err := run(*root, splitList(*allow), *keep, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "depcheck:", err)
		os.Exit(1)
	}
}

func run(root string, allow []string, keep bool, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if root == "" {
		out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
		gomod := strings.TrimSpace(string(out))
		if err != nil || gomod == "" || gomod == os.DevNull {
			return fmt.Errorf("no -root given and not inside a module (go env GOMOD: %q, %v)", gomod, err)
		}
		root = filepath.Dir(gomod)
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !strings.Contains(string(b), "module "+self+"\n") {
		return fmt.Errorf("%s is not a checkout of %s (%v)", root, self, err)
	}
	tmp, err := os.MkdirTemp("", "depcheck-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Println("depcheck: scratch modules kept in", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}

	denyBoth := append(append([]string{}, buildOnly...), testOnly...)
	mods := []*scratch{
		{name: "sdk", imports: []string{self + "/sdk"}, deny: denyBoth, only: true, allow: allow},
		{name: "sdk+intunedtest", imports: []string{self + "/sdk", self + "/sdk/intunedtest"}, deny: denyBoth},
	}
	errs := make([]error, len(mods))
	var wg sync.WaitGroup
	for i, m := range mods {
		wg.Go(func() { errs[i] = m.tidy(ctx, filepath.Join(tmp, m.name), root) })
	}
	wg.Wait()
	for i, m := range mods {
		if errs[i] != nil {
			return fmt.Errorf("%s: %v", m.name, errs[i])
		}
	}

	fmt.Printf("depcheck: modules whose code `go mod tidy` puts in a user's go.sum (%s itself left out)\n", self)
	var failures []string
	for _, m := range mods {
		fmt.Printf("\nimporting %s: %d module(s), go %s after tidy\n", strings.Join(m.imports, " and "), len(m.modules), m.goLine)
		for _, mod := range m.modules {
			fmt.Println("  " + mod)
			path := strings.Fields(mod)[0]
			switch {
			case matchAny(m.deny, path):
				failures = append(failures, fmt.Sprintf("%s: %s is a build-time or test-only module", m.name, mod))
			case m.only && !matchAny(m.allow, path):
				failures = append(failures, fmt.Sprintf("%s: %s is not in -sdk-allow (%q)", m.name, mod, strings.Join(allow, ",")))
			}
		}
	}
	fmt.Println()
	if len(failures) > 0 {
		return fmt.Errorf("FAIL: %d module(s) a user should not download:\n  %s", len(failures), strings.Join(failures, "\n  "))
	}
	fmt.Println("depcheck: ok")
	return nil
}

// tidy writes the scratch module into dir, runs go mod tidy there and reads
// the result.
func (m *scratch) tidy(ctx context.Context, dir, root string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	gomod := fmt.Sprintf("module example.com/depcheck/user\n\ngo 1.25.0\n\nrequire %s v0.0.0\n\nreplace %s => %s\n", self, self, root)
	main := "package main\n\nimport (\n"
	for _, p := range m.imports {
		main += fmt.Sprintf("\t_ %q\n", p)
	}
	main += ")\n\nfunc main() {}\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(main), 0o644); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "mod", "tidy")
	cmd.Dir = dir
	// The environment's module cache, proxy and toolchain; no workspace, and
	// no -mod=vendor or -mod=readonly from GOFLAGS.
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=mod"))
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go mod tidy: %v\n%s", err, out)
	}
	seen := map[string]bool{}
	if err := eachLine(filepath.Join(dir, "go.sum"), func(f []string) {
		if len(f) == 3 && f[0] != self && !strings.HasSuffix(f[1], "/go.mod") && !seen[f[0]+" "+f[1]] {
			seen[f[0]+" "+f[1]] = true
			m.modules = append(m.modules, f[0]+" "+f[1])
		}
	}); err != nil && !os.IsNotExist(err) { // no go.sum: nothing downloaded
		return err
	}
	sort.Strings(m.modules)
	return eachLine(filepath.Join(dir, "go.mod"), func(f []string) {
		if len(f) == 2 && f[0] == "go" {
			m.goLine = f[1]
		}
	})
}

func eachLine(path string, fn func(fields []string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fn(strings.Fields(s.Text()))
	}
	return s.Err()
}

// matchAny reports whether path is one of patterns, or inside one (a
// pattern "p" also matches "p/sub"; "p/*" matches only below p).
func matchAny(patterns []string, path string) bool {
	for _, p := range patterns {
		if prefix, ok := strings.CutSuffix(p, "*"); ok && strings.HasPrefix(path, prefix) ||
			path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
