package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// listings lists the API once for every test of the package.
var listings = sync.OnceValues(func() (*apiListings, error) {
	texts, moduleDir, err := listAPI()
	if err != nil {
		return nil, err
	}
	all := &apiListings{moduleDir: moduleDir}
	for _, p := range listed {
		all.pkgs = append(all.pkgs, parseListing(p.path, p.file, texts[p.path]))
	}
	return all, nil
})

type apiListings struct {
	moduleDir string
	pkgs      []*apiListing
}

func loadListings(t *testing.T) *apiListings {
	t.Helper()
	all, err := listings()
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// TestExportedAPIIsListed fails when api/*.txt is not what the code lists, so
// that every change of the exported API is a reviewed change of those files.
func TestExportedAPIIsListed(t *testing.T) {
	all := loadListings(t)
	for _, p := range all.pkgs {
		file := filepath.Join(all.moduleDir, "api", p.file)
		committed, err := os.ReadFile(file)
		if errors.Is(err, fs.ErrNotExist) {
			t.Errorf("api/%s is missing: run make api and review the diff", p.file)
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		added, removed := lineDiff(splitLines(string(committed)), p.lines)
		if len(added) == 0 && len(removed) == 0 {
			continue
		}
		var b strings.Builder
		b.WriteString("the exported API of " + p.path + " differs from api/" + p.file + ": run make api and review the diff\n")
		for _, l := range added {
			b.WriteString("+ " + l + "\n")
		}
		for _, l := range removed {
			b.WriteString("- " + l + "\n")
		}
		t.Error(b.String())
	}
}

func splitLines(s string) []string {
	var lines []string
	for l := range strings.SplitSeq(s, "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// lineDiff returns the lines of got that want lacks (added) and those of want
// that got lacks (removed), each sorted. The listings are sets of lines.
func lineDiff(want, got []string) (added, removed []string) {
	in := func(lines []string) map[string]bool {
		m := make(map[string]bool, len(lines))
		for _, l := range lines {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	for l := range g {
		if !w[l] {
			added = append(added, l)
		}
	}
	for l := range w {
		if !g[l] {
			removed = append(removed, l)
		}
	}
	slices.Sort(added)
	slices.Sort(removed)
	return added, removed
}

func TestLineDiff(t *testing.T) {
	added, removed := lineDiff([]string{"a", "b", "c"}, []string{"b", "d", "a"})
	if !slices.Equal(added, []string{"d"}) || !slices.Equal(removed, []string{"c"}) {
		t.Errorf("lineDiff: added %q, removed %q; want [d], [c]", added, removed)
	}
}
