// Command apilist writes the exported API of the SDK's packages, one
// feature a line in the manner of Go's own api/*.txt (see package
// internal/apilist for the format), to api/<name>.txt at the module's root:
// api/sdk.txt and api/intunedtest.txt. `make api` runs it; its test
// (TestExportedAPIIsListed) fails when the committed files differ from what
// the code lists, so that every change to the exported API shows up as a
// diff of those files in review.
//
// Usage:
//
//	go run ./internal/cmd/apilist [-o dir]
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/intuned/intuned-go/internal/apilist"
)

// listed is the packages whose API is listed, each with its file's name
// (under api/).
var listed = []struct{ path, file string }{
	{"github.com/intuned/intuned-go/sdk", "sdk.txt"},
	{"github.com/intuned/intuned-go/sdk/intunedtest", "intunedtest.txt"},
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("apilist: ")
	out := flag.String("o", "", "the directory to write to (default: api/ at the module's root)")
	flag.Parse()
	listings, moduleDir, err := listAPI()
	if err != nil {
		log.Fatal(err)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join(moduleDir, "api")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	for _, p := range listed {
		if err := os.WriteFile(filepath.Join(dir, p.file), []byte(listings[p.path]), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// listAPI returns the listing of each package of listed, by import path, as
// the text of its file, and the module's root directory.
func listAPI() (map[string]string, string, error) {
	var paths []string
	for _, p := range listed {
		paths = append(paths, p.path)
	}
	l, err := apilist.NewLoader("", paths...)
	if err != nil {
		return nil, "", err
	}
	listings := make(map[string]string)
	for _, path := range paths {
		p, err := l.Check(path)
		if err != nil {
			return nil, "", err
		}
		lines := apilist.Lines(p)
		if len(lines) == 0 {
			return nil, "", fmt.Errorf("%s exports nothing", path)
		}
		listings[path] = strings.Join(lines, "\n") + "\n"
	}
	return listings, l.ModuleDir(), nil
}
