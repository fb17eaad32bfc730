// Package apilist lists the exported API of a Go package in the manner of
// Go's own api/*.txt files (cmd/api): one line per exported thing, such as
//
//	pkg github.com/intuned/intuned-go/sdk, type Job struct
//	pkg github.com/intuned/intuned-go/sdk, type Job struct, ID string
//	pkg github.com/intuned/intuned-go/sdk, func New(...Option) (*Client, error)
//	pkg github.com/intuned/intuned-go/sdk, method (*Client) CloseIdleConnections()
//	pkg github.com/intuned/intuned-go/sdk, const JobRunStatusPending JobRunStatus
//	pkg github.com/intuned/intuned-go/sdk, const JobRunStatusPending = "PENDING"
//
// and it type-checks Go code against this module's packages for tests (the
// README's snippets). It uses the standard library alone: `go list -deps`
// finds the packages and their files, go/types checks the packages of this
// module from their source (without their _test.go files), and go/importer
// reads every other package from the export data `go list -export` writes
// (or finds in the build cache), so that a change in this module compiles
// nothing.
package apilist

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// A Loader type-checks the packages of this module from source, importing
// the others (the standard library) from their export data. It is not safe
// for concurrent use.
type Loader struct {
	fset      *token.FileSet
	gc        types.Importer
	pkgs      map[string]*listedPackage
	checked   map[string]*Package
	goVer     string
	moduleDir string
}

// listedPackage is what `go list -json` says of one package.
type listedPackage struct {
	ImportPath string
	Dir        string
	Export     string
	GoFiles    []string
	Module     *struct {
		Path      string
		Dir       string
		GoVersion string
		Main      bool
	}
	Error *struct{ Err string }
}

func (p *listedPackage) fromSource() bool { return p.Module != nil && p.Module.Main }

// A Package is a package type-checked from its source (without its
// _test.go files).
type Package struct {
	Types *types.Package
	Files []*ast.File
	Fset  *token.FileSet
}

// NewLoader runs `go list -deps` on patterns (import paths, or ./relative
// patterns resolved in dir; "" is the current directory), and then `go list
// -export` on the dependencies outside this module, so that the packages
// patterns match and everything they import can be type-checked or
// imported.
func NewLoader(dir string, patterns ...string) (*Loader, error) {
	l := &Loader{
		fset:    token.NewFileSet(),
		pkgs:    make(map[string]*listedPackage),
		checked: make(map[string]*Package),
	}
	listedPkgs, err := goList(dir, append([]string{"-deps", "-json=ImportPath,Dir,GoFiles,Module,Error"}, patterns...))
	if err != nil {
		return nil, err
	}
	var others []string
	for _, p := range listedPkgs {
		l.pkgs[p.ImportPath] = p
		if p.fromSource() {
			if l.moduleDir == "" {
				l.moduleDir = p.Module.Dir
				l.goVer = "go" + p.Module.GoVersion
			}
		} else if p.ImportPath != "unsafe" {
			others = append(others, p.ImportPath)
		}
	}
	if len(others) > 0 {
		exported, err := goList(dir, append([]string{"-export", "-json=ImportPath,Export,Error"}, others...))
		if err != nil {
			return nil, err
		}
		for _, p := range exported {
			l.pkgs[p.ImportPath].Export = p.Export
		}
	}
	l.gc = importer.ForCompiler(l.fset, "gc", func(path string) (io.ReadCloser, error) {
		p := l.pkgs[path]
		if p == nil || p.Export == "" {
			return nil, fmt.Errorf("no export data for %q (not among the packages `go list -deps` listed)", path)
		}
		return os.Open(p.Export)
	})
	return l, nil
}

// goList runs go list with args in dir and decodes its -json output.
func goList(dir string, args []string) ([]*listedPackage, error) {
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	var pkgs []*listedPackage
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		p := new(listedPackage)
		if err := dec.Decode(p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list output: %v", err)
		}
		if p.Error != nil {
			return nil, fmt.Errorf("go list: %s: %s", p.ImportPath, p.Error.Err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// Fset is the file set of everything the loader parsed or imported.
func (l *Loader) Fset() *token.FileSet { return l.fset }

// Importer imports any package the loader listed: one of this module
// type-checked from source (Check), any other from its export data.
func (l *Loader) Importer() types.Importer { return importerFunc(l.importPackage) }

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func (l *Loader) importPackage(path string) (*types.Package, error) {
	if p := l.pkgs[path]; p != nil && p.fromSource() {
		c, err := l.Check(path)
		if err != nil {
			return nil, err
		}
		return c.Types, nil
	}
	return l.gc.Import(path)
}

// ModuleDir is the root directory of the main module of the listed packages.
func (l *Loader) ModuleDir() string { return l.moduleDir }

// Config is a types.Config for code of this module: the loader's importer,
// the module's Go version, the sizes of the gc compiler for this machine.
func (l *Loader) Config() *types.Config {
	return &types.Config{
		Importer:  l.Importer(),
		GoVersion: l.goVer,
		Sizes:     types.SizesFor("gc", runtime.GOARCH),
	}
}

// Check type-checks the package of this module with this import path from
// its source, once: the files `go list` names in GoFiles, so without
// _test.go files and with the build constraints of this machine.
func (l *Loader) Check(path string) (*Package, error) {
	if p := l.checked[path]; p != nil {
		return p, nil
	}
	lp := l.pkgs[path]
	if lp == nil || !lp.fromSource() {
		return nil, fmt.Errorf("package %q is not a listed package of the main module", path)
	}
	var files []*ast.File
	for _, name := range lp.GoFiles {
		f, err := parser.ParseFile(l.fset, filepath.Join(lp.Dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	var errs []error
	conf := l.Config()
	conf.Error = func(err error) { errs = append(errs, err) }
	tp, _ := conf.Check(path, l.fset, files, nil)
	if len(errs) > 0 {
		return nil, fmt.Errorf("type-checking %s: %w", path, errors.Join(errs...))
	}
	p := &Package{Types: tp, Files: files, Fset: l.fset}
	l.checked[path] = p
	return p, nil
}
