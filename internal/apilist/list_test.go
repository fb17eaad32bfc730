package apilist

import (
	"go/ast"
	"go/parser"
	"strings"
	"testing"
)

const src = `package p

import (
	"context"
	"io"
)

// Status is an enum.
type Status string

const (
	StatusOK Status = "ok"
	Max             = 3
	Ratio           = 1.5
	unexported      = 1
)

// ErrNope is an error.
var ErrNope error

type Job struct {
	ID     string
	Tags   []string
	hidden int
	*Base
	io.Reader
}

type Base struct{ Name string }

func (b *Base) Describe() string { return b.Name }

func (j Job) Run(ctx context.Context, args ...int) (int, error) { return 0, nil }

type Nullable[T any] struct{ v T }

func (n Nullable[T]) Get() (T, bool) { return n.v, true }

func Of[T comparable](v T) Nullable[T] { return Nullable[T]{v} }

type Reader interface {
	Read(p []byte) (int, error)
	Close() error
}

type Sealed interface {
	Kind() Status
	sealed()
}

type Number interface{ ~int | ~float64 }

type Alias = Job

// Deprecated: use Of.
func Old() {}

func unexportedFunc() {}
`

func TestLines(t *testing.T) {
	l, err := NewLoader("", "context", "io")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(l.Fset(), "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	conf := l.Config()
	files := []*ast.File{f}
	tp, err := conf.Check("example.com/p", l.Fset(), files, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(Lines(&Package{Types: tp, Files: files, Fset: l.Fset()}), "\n")
	want := strings.TrimSpace(`
pkg example.com/p, const Max = 3
pkg example.com/p, const Max ideal-int
pkg example.com/p, const Ratio = 1.5  // 3/2
pkg example.com/p, const Ratio ideal-float
pkg example.com/p, const StatusOK = "ok"
pkg example.com/p, const StatusOK Status
pkg example.com/p, func Of[$0 comparable]($0) Nullable[$0]
pkg example.com/p, func Old //deprecated
pkg example.com/p, func Old()
pkg example.com/p, method (*Base) Describe() string
pkg example.com/p, method (Job) Describe() string
pkg example.com/p, method (Job) Read([]uint8) (int, error)
pkg example.com/p, method (Job) Run(context.Context, ...int) (int, error)
pkg example.com/p, method (Nullable[$0]) Get() ($0, bool)
pkg example.com/p, type Alias = Job
pkg example.com/p, type Base struct
pkg example.com/p, type Base struct, Name string
pkg example.com/p, type Job struct
pkg example.com/p, type Job struct, ID string
pkg example.com/p, type Job struct, Tags []string
pkg example.com/p, type Job struct, embedded *Base
pkg example.com/p, type Job struct, embedded io.Reader
pkg example.com/p, type Nullable[$0 interface{}] struct
pkg example.com/p, type Number interface {}
pkg example.com/p, type Number interface, type set ~int | ~float64
pkg example.com/p, type Reader interface { Close, Read }
pkg example.com/p, type Reader interface, Close() error
pkg example.com/p, type Reader interface, Read([]uint8) (int, error)
pkg example.com/p, type Sealed interface, Kind() Status
pkg example.com/p, type Sealed interface, unexported methods
pkg example.com/p, type Status string
pkg example.com/p, var ErrNope error
`)
	if got != want {
		t.Errorf("Lines:\n%s\n\nwant:\n%s", got, want)
	}
}
