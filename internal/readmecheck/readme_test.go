package readmecheck

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var checker = sync.OnceValues(func() (*Checker, error) { return NewChecker() })

func newChecker(t *testing.T, extra ...string) *Checker {
	t.Helper()
	if len(extra) > 0 {
		c, err := NewChecker(extra...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c, err := checker()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestREADMESnippetsCompile type-checks every ```go block of README.md (see
// the package's doc for how a fragment becomes a file).
func TestREADMESnippetsCompile(t *testing.T) {
	c := newChecker(t)
	md, err := os.ReadFile(filepath.Join(c.ModuleDir(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	snippets := Snippets("README.md", string(md))
	if len(snippets) == 0 {
		t.Fatal("README.md has no ```go block")
	}
	if paths := ImportPaths(snippets); len(paths) > 0 {
		c = newChecker(t, paths...)
	}
	for _, s := range snippets {
		t.Run(fmt.Sprintf("line%d", s.Line), func(t *testing.T) {
			if s.Skip {
				t.Skipf("README.md:%d is marked %s", s.Line, NotCompiled)
			}
			if errs, src := c.Check(s); len(errs) > 0 {
				var b strings.Builder
				fmt.Fprintf(&b, "the snippet at README.md:%d does not compile:\n", s.Line)
				for _, err := range errs {
					b.WriteString("\t" + err.Error() + "\n")
				}
				b.WriteString("checked as:\n" + numbered(src))
				t.Error(b.String())
			}
		})
	}
}

func numbered(src string) string {
	var b strings.Builder
	for i, l := range strings.Split(strings.TrimSuffix(src, "\n"), "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, l)
	}
	return b.String()
}

// TestCheck shows that the checker finds what is wrong, and lets pass what
// fragments cannot help.
func TestCheck(t *testing.T) {
	c := newChecker(t)
	for _, tc := range []struct {
		name string
		md   string
		want string // a substring of the first error; "" for none
	}{
		{"statements", "```go\nclient, err := sdk.New(sdk.WithAPIKey(\"k\"))\nif err != nil {\n\tlog.Fatal(err)\n}\n```\n", ""},
		{"unused", "```go\nx := 1\n```\n", ""},
		{"unused import", "```go\nimport \"strings\"\n\nx := 1\n```\n", ""},
		{"ambient", "```go\nres, err := client.Project.AuthSessions.Update.Result(ctx, \"p\", result.OperationID)\n```\n", ""},
		{"wrong argument", "```go\nclient, err := sdk.New(42)\n```\n", "README.md:2:"},
		{"no such name", "```go\nx := sdk.NoSuchThing\n```\n", "undefined: sdk.NoSuchThing"},
		{"unknown free name", "```go\nfmt.Println(somethingElse)\n```\n", "undefined: somethingElse"},
		{"no such field", "```go\n_ = sdk.RunRequest{NoSuchField: 1}\n```\n", "NoSuchField"},
		{"top level", "```go\ntype product struct{ Title string }\n\nfunc (p product) String() string {\n\treturn p.Title\n}\n\nvar p product\nfmt.Println(p)\n```\n", ""},
		{"top level error", "```go\nfunc f() int {\n\treturn \"x\"\n}\n```\n", "README.md:3:"},
		{"package", "```go\npackage main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(undefinedName) }\n```\n", "README.md:6: undefined: undefinedName"},
		{"syntax", "```go\nif {\n```\n", "README.md:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snippets := Snippets("README.md", tc.md)
			if len(snippets) != 1 {
				t.Fatalf("%d snippets, want 1", len(snippets))
			}
			errs, src := c.Check(snippets[0])
			switch {
			case tc.want == "" && len(errs) > 0:
				t.Errorf("errors %v, want none; checked:\n%s", errs, numbered(src))
			case tc.want != "" && len(errs) == 0:
				t.Errorf("no error, want one with %q; checked:\n%s", tc.want, numbered(src))
			case tc.want != "" && !strings.Contains(errs[0].Error(), tc.want):
				t.Errorf("first error %q, want one with %q", errs[0], tc.want)
			}
		})
	}
}

func TestSnippets(t *testing.T) {
	md := "text\n\n```go\na := 1\n```\n\n<!-- not compiled -->\n\n```go\nb := 2\n\n```\n\n```sh\nls\n```\n\n  ```go\n  c := 3\n  ```\n"
	got := Snippets("X.md", md)
	if len(got) != 3 {
		t.Fatalf("%d snippets, want 3: %+v", len(got), got)
	}
	for i, want := range []Snippet{
		{File: "X.md", Line: 4, Code: []string{"a := 1"}},
		{File: "X.md", Line: 10, Code: []string{"b := 2", ""}, Skip: true},
		{File: "X.md", Line: 19, Code: []string{"c := 3"}},
	} {
		if g := got[i]; g.Line != want.Line || g.Skip != want.Skip || strings.Join(g.Code, "\n") != strings.Join(want.Code, "\n") {
			t.Errorf("snippet %d: %+v, want %+v", i, g, want)
		}
	}
}
