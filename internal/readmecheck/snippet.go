// Package readmecheck type-checks the Go snippets of README.md against the
// SDK, so that a renamed type or a changed signature cannot leave the README
// behind (its test, TestREADMESnippetsCompile, runs under go test ./...).
//
// Every ```go fenced block is checked, unless the last non-blank line before
// it is <!-- not compiled -->. A block that starts with a package clause is
// a file as it is. Any other block is a fragment, made into a file:
//
//   - its import declarations at column 0 go to the file's imports;
//   - each declaration at column 0 that starts with "func " or "type " (up
//     to the line where its braces balance) goes to the file's top level;
//   - everything else goes, in order, into the body of func _() { ... };
//   - a package it uses without importing it (sdk., context., http., ...;
//     see Imports) is imported;
//   - a name it uses without declaring it, that the README means the reader
//     to have already (ctx, client, ...; see Ambient), is declared at the
//     top level with the type the README implies.
//
// The file is type-checked with go/types, the SDK's packages from their
// source and the standard library from export data (package
// internal/apilist). Every error counts except "declared and not used" and
// "imported and not used", which fragments cannot help. Errors name
// README.md and its line (through //line directives).
package readmecheck

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/intuned/intuned-go/internal/apilist"
)

// NotCompiled, on the last non-blank line before a block, leaves the block
// out.
const NotCompiled = "<!-- not compiled -->"

// Imports maps the name a fragment uses a package by to its import path.
var Imports = map[string]string{
	"sdk":         "github.com/intuned/intuned-go/sdk",
	"intunedtest": "github.com/intuned/intuned-go/sdk/intunedtest",
	"base64":      "encoding/base64",
	"bytes":       "bytes",
	"context":     "context",
	"errors":      "errors",
	"filepath":    "path/filepath",
	"fmt":         "fmt",
	"http":        "net/http",
	"httptest":    "net/http/httptest",
	"io":          "io",
	"iter":        "iter",
	"json":        "encoding/json",
	"log":         "log",
	"maps":        "maps",
	"os":          "os",
	"signal":      "os/signal",
	"slices":      "slices",
	"sql":         "database/sql",
	"slog":        "log/slog",
	"strconv":     "strconv",
	"strings":     "strings",
	"sync":        "sync",
	"testing":     "testing",
	"time":        "time",
	"url":         "net/url",
}

// Ambient declares the names the README's fragments use as if the reader
// had them already (from their own code or from an earlier fragment), each
// with the type the README implies. What a fragment only hands on (save,
// use) takes any; what it reads from (ctx, client, items) has its exact
// type, so that the fragment is checked against it.
var Ambient = map[string]string{
	"ctx":          "var ctx context.Context",
	"client":       "var client *sdk.Client",
	"result":       "var result sdk.AuthSessionOperationStarted // the update's Start, in Quick start",
	"askTheUser":   "var askTheUser sdk.InfoRequestHandler",
	"prompt":       "func prompt(ctx context.Context, message string, choices any) (string, error) { return \"\", nil }",
	"save":         "func save(ctx context.Context, v any) error { return nil }",
	"use":          "func use(...any) {}",
	"pw":           "var pw string",
	"secret":       "var secret string",
	"newSecret":    "var newSecret string",
	"u":            "var u string",
	"answer":       "var answer string",
	"operationID":  "var operationID string",
	"opID":         "var opID string",
	"runID":        "var runID string",
	"queueID":      "var queueID string",
	"items":        "var items []sdk.QueueItemAppendRequest",
	"myHTTPClient": "var myHTTPClient *http.Client",
	"myHandler":    "var myHandler http.Handler // a sink handler of yours",
	"db":           "var db interface{ Upsert(ctx context.Context, id string, v any) error }",
	"certFile":     "var certFile string",
	"keyFile":      "var keyFile string",
	"png":          "var png []byte",
	"b":            "var b []byte",
	"r":            "var r io.Reader",
	"srv":          "var srv *intunedtest.Server // the fake of the snippet before",
	"accounts":     "var accounts []struct{ AuthSessionID, Username, Password string }",
	"brokenURL":    "var brokenURL string",
	"req":          "var req sdk.RunRequest",
	"file":         "var file sdk.File",
	"inboxes":      "var inboxes map[string]interface{ WaitForCode(context.Context) (string, error) }",
}

// A Snippet is one ```go block of a Markdown file.
type Snippet struct {
	File string   // the Markdown file's name, for positions
	Line int      // the line of its first line of code, from 1
	Code []string // its lines
	Skip bool     // marked NotCompiled
}

// Snippets returns the ```go blocks of a Markdown document.
func Snippets(file, md string) []Snippet {
	lines := strings.Split(md, "\n")
	var out []Snippet
	for i := 0; i < len(lines); i++ {
		indent, fence, ok := openingFence(lines[i])
		if !ok {
			continue
		}
		s := Snippet{File: file, Line: i + 2}
		for j := i - 1; j >= 0; j-- {
			if t := strings.TrimSpace(lines[j]); t != "" {
				s.Skip = t == NotCompiled
				break
			}
		}
		for i++; i < len(lines); i++ {
			l := lines[i]
			if t := strings.TrimSpace(l); strings.HasPrefix(t, fence) && strings.Trim(t, "`~") == "" {
				break
			}
			// Drop up to the fence's indentation (CommonMark).
			n := 0
			for n < indent && n < len(l) && l[n] == ' ' {
				n++
			}
			s.Code = append(s.Code, l[n:])
		}
		out = append(out, s)
	}
	return out
}

// openingFence reports whether line opens a ```go (or ~~~go) block, with
// the fence's indentation and its characters.
func openingFence(line string) (indent int, fence string, ok bool) {
	t := strings.TrimLeft(line, " ")
	indent = len(line) - len(t)
	if indent > 3 {
		return 0, "", false
	}
	for _, c := range []string{"`", "~"} {
		n := len(t) - len(strings.TrimLeft(t, c))
		if n >= 3 {
			info := strings.Fields(t[n:])
			if len(info) > 0 && info[0] == "go" {
				return indent, t[:n], true
			}
		}
	}
	return 0, "", false
}

// A Checker type-checks snippets.
type Checker struct {
	loader *apilist.Loader
}

// NewChecker lists (go list) the SDK's packages, those of Imports and
// extra, as the snippets may import them.
func NewChecker(extra ...string) (*Checker, error) {
	patterns := slices.Collect(func(yield func(string) bool) {
		for _, p := range Imports {
			if !yield(p) {
				return
			}
		}
	})
	patterns = append(patterns, extra...)
	slices.Sort(patterns)
	l, err := apilist.NewLoader("", slices.Compact(patterns)...)
	if err != nil {
		return nil, err
	}
	return &Checker{loader: l}, nil
}

// ModuleDir is the root of the module.
func (c *Checker) ModuleDir() string { return c.loader.ModuleDir() }

// ImportPaths returns what the snippets import explicitly, so that
// NewChecker can list them.
func ImportPaths(snippets []Snippet) []string {
	var paths []string
	for _, s := range snippets {
		f := fragmentOf(s)
		for _, spec := range f.imports {
			fields := strings.Fields(spec)
			if p, err := strconv.Unquote(fields[len(fields)-1]); err == nil {
				paths = append(paths, p)
			}
		}
	}
	return paths
}

// fragment is a snippet taken apart.
type fragment struct {
	whole    bool     // a file as it is
	imports  []string // import specs, as "path" or name "path"
	toplevel []string // top-level declarations, each led by a //line directive
	body     []string // statements, in runs each led by a //line directive
}

func fragmentOf(s Snippet) fragment {
	var f fragment
	code := s.Code
	for _, l := range code {
		if t := strings.TrimSpace(l); t != "" {
			f.whole = strings.HasPrefix(t, "package ")
			break
		}
	}
	if f.whole {
		return f
	}
	directive := func(i int) string { return fmt.Sprintf("//line %s:%d", s.File, s.Line+i) }
	inBody := false
	for i := 0; i < len(code); i++ {
		l := code[i]
		switch {
		case strings.HasPrefix(l, "import ("):
			for i++; i < len(code) && strings.TrimSpace(code[i]) != ")"; i++ {
				if t := strings.TrimSpace(code[i]); t != "" && !strings.HasPrefix(t, "//") {
					f.imports = append(f.imports, t)
				}
			}
			inBody = false
		case strings.HasPrefix(l, "import "):
			f.imports = append(f.imports, strings.TrimSpace(strings.TrimPrefix(l, "import ")))
			inBody = false
		case strings.HasPrefix(l, "func ") || strings.HasPrefix(l, "type "):
			f.toplevel = append(f.toplevel, directive(i))
			depth := 0
			for ; i < len(code); i++ {
				f.toplevel = append(f.toplevel, code[i])
				depth += strings.Count(code[i], "{") + strings.Count(code[i], "(") -
					strings.Count(code[i], "}") - strings.Count(code[i], ")")
				if depth <= 0 {
					break
				}
			}
			inBody = false
		default:
			if !inBody {
				f.body = append(f.body, directive(i))
				inBody = true
			}
			f.body = append(f.body, l)
		}
	}
	return f
}

// source is the file for a snippet, with imports for the package names of
// names and the Ambient declarations of names.
func (f fragment) source(s Snippet, names []string) string {
	if f.whole {
		return fmt.Sprintf("//line %s:%d\n%s\n", s.File, s.Line, strings.Join(s.Code, "\n"))
	}
	var b strings.Builder
	b.WriteString("package main\n\n")
	imports := slices.Clone(f.imports)
	var ambient []string
	for _, name := range names {
		if path, ok := Imports[name]; ok {
			imports = append(imports, strconv.Quote(path))
		} else if decl, ok := Ambient[name]; ok {
			ambient = append(ambient, decl)
		}
	}
	slices.Sort(imports)
	for _, spec := range slices.Compact(imports) {
		b.WriteString("import " + spec + "\n")
	}
	b.WriteString("\n")
	for _, l := range f.toplevel {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n//line readmecheck-wrapper.go:1\nfunc _() {\n")
	for _, l := range f.body {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n//line readmecheck-wrapper.go:3\n}\n")
	if len(ambient) > 0 {
		slices.Sort(ambient)
		b.WriteString("\n//line readmecheck-ambient.go:1\n" + strings.Join(ambient, "\n") + "\n")
	}
	return b.String()
}

// Check type-checks a snippet. It returns the errors that count, and the
// source it checked last.
func (c *Checker) Check(s Snippet) (errs []error, src string) {
	f := fragmentOf(s)
	var names []string // the package names and Ambient names added so far
	for round := 0; ; round++ {
		src = f.source(s, names)
		fset := c.loader.Fset()
		file, err := parser.ParseFile(fset, fmt.Sprintf("snippet-%s-%d.go", s.File, s.Line), src, parser.SkipObjectResolution)
		if err != nil {
			return []error{err}, src
		}
		conf := c.loader.Config()
		var all []types.Error
		conf.Error = func(err error) {
			var te types.Error
			if errors.As(err, &te) {
				all = append(all, te)
			}
		}
		conf.Check(fmt.Sprintf("readme/%s/%d", s.File, s.Line), fset, []*ast.File{file}, nil)

		// Add what the fragment uses without declaring it, and check again.
		added := false
		if !f.whole {
			for _, e := range all {
				name, ok := strings.CutPrefix(e.Msg, "undefined: ")
				if !ok || slices.Contains(names, name) {
					continue
				}
				if _, ok := Imports[name]; ok {
					names, added = append(names, name), true
				} else if _, ok := Ambient[name]; ok {
					names, added = append(names, name), true
				}
			}
		}
		if added && round < 10 {
			continue
		}
		errs = nil
		for _, e := range all {
			if strings.Contains(e.Msg, "declared and not used") || strings.Contains(e.Msg, "imported and not used") {
				continue
			}
			errs = append(errs, e)
		}
		return errs, src
	}
}
