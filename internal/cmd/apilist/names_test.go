package main

// Checks of the names a package exports, over its API listing (the lines
// TestExportedAPIIsListed compares with api/*.txt, listed afresh from the
// code). Each check is a nameCheck: a function from one package's listing to
// its findings, the packages it applies to, and an allowlist of the findings
// tolerated for now. A finding not in the allowlist fails the test, and so
// does an allowlisted one that no longer occurs (delete it), so the lists
// only shrink. To add a rule, write a func(*apiListing) []finding and add a
// nameCheck to one of the tables below (or a table and a Test of its own
// that calls runNameChecks).

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// Today's findings, to be fixed by renaming and then deleted from here.
var (
	// knownReordered holds pairs of names of the same words in another
	// order, as "pkg.A ~ pkg.B" with A < B.
	knownReordered = map[string]bool{}

	// knownConstantNames holds constants of an enum type T not named
	// T + Suffix, as "pkg.Name".
	knownConstantNames = map[string]bool{}

	// knownRequestSuffixes holds types named ...Input, ...Response,
	// ...Output, ...Params or ...Args, as "pkg.Name".
	knownRequestSuffixes = map[string]bool{
		"sdk.APIErrorInvalidInput": true, // the body of the API\'s "invalid input" error, not something sent
	}
)

// reorderedChecks: no two exported names of a package are the same words in
// another order (AuthSessionCreateResume and CreateAuthSessionResume), so
// that a reader never has to remember which order this one uses.
var reorderedChecks = []nameCheck{
	{check: reorderedNames, known: knownReordered, knownVar: "knownReordered"},
}

// constantChecks: a constant of an enum type T is named T + Suffix
// (JobRunStatusPending), so that the values of T sort and complete together.
var constantChecks = []nameCheck{
	{check: enumConstantsNamedByType, known: knownConstantNames, knownVar: "knownConstantNames"},
}

// requestSuffixChecks: what is sent is a ...Request; no Input, Response,
// Output, Params or Args beside it.
var requestSuffixChecks = []nameCheck{
	{
		pkgs:     []string{"sdk"},
		check:    typesEndingIn("Input", "Response", "Output", "Params", "Args"),
		known:    knownRequestSuffixes,
		knownVar: "knownRequestSuffixes",
	},
}

func TestNoReorderedNames(t *testing.T)         { runNameChecks(t, reorderedChecks) }
func TestEnumConstantsNamedByType(t *testing.T) { runNameChecks(t, constantChecks) }
func TestOneRequestSuffix(t *testing.T)         { runNameChecks(t, requestSuffixChecks) }

// A nameCheck is one rule over the exported names of some packages.
type nameCheck struct {
	// pkgs are the names of the packages it applies to (sdk,
	// intunedtest); nil is every listed package.
	pkgs []string
	// check returns the findings in one package.
	check func(*apiListing) []finding
	// known is the findings tolerated for now, by key; knownVar is the
	// name of its variable, for messages.
	known    map[string]bool
	knownVar string
}

// A finding is one violation: key identifies it in an allowlist, msg says
// what is wrong.
type finding struct{ key, msg string }

func runNameChecks(t *testing.T, checks []nameCheck) {
	t.Helper()
	all := loadListings(t)
	for _, c := range checks {
		found := make(map[string]bool)
		for _, p := range all.pkgs {
			if c.pkgs != nil && !slices.Contains(c.pkgs, p.name) {
				continue
			}
			for _, f := range c.check(p) {
				found[f.key] = true
				if !c.known[f.key] {
					t.Errorf("%s", f.msg)
				}
			}
		}
		var stale []string
		for key := range c.known {
			if !found[key] {
				stale = append(stale, key)
			}
		}
		slices.Sort(stale)
		for _, key := range stale {
			t.Errorf("%s[%q] no longer occurs: delete it", c.knownVar, key)
		}
	}
}

// An apiListing is the listing of one package, with its names picked out.
type apiListing struct {
	path, name, file string
	lines            []string
	// kinds is each exported name of the package scope (not methods or
	// fields) with its kind: type, func, const or var.
	kinds map[string]string
	// constTypes is each exported constant's type as listed (ideal-int,
	// RunStatus, time.Duration).
	constTypes map[string]string
}

func parseListing(importPath, file, text string) *apiListing {
	p := &apiListing{
		path:       importPath,
		name:       path.Base(importPath),
		file:       file,
		lines:      splitLines(text),
		kinds:      make(map[string]string),
		constTypes: make(map[string]string),
	}
	prefix := "pkg " + importPath + ", "
	for _, line := range p.lines {
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok {
			panic("listing line of another package: " + line)
		}
		kind, rest, _ := strings.Cut(rest, " ")
		end := strings.IndexAny(rest, " [(")
		if end < 0 {
			end = len(rest)
		}
		name := rest[:end]
		switch kind {
		case "type", "func", "var":
			p.kinds[name] = kind
		case "const":
			p.kinds[name] = kind
			if typ := strings.TrimSpace(rest[end:]); !strings.HasPrefix(typ, "=") && !strings.HasPrefix(typ, "//") {
				p.constTypes[name] = typ
			}
		}
	}
	return p
}

// splitWords splits a CamelCase name into its words:
//
//   - a word starts at an upper-case letter that follows a lower-case letter
//     or a digit (JobRun: Job, Run; V2Request: V2, Request);
//   - a run of upper-case letters is one word, an acronym, up to the last
//     one before a lower-case letter, which starts the next word
//     (APIErrorInvalidInput: API, Error, Invalid, Input; OTPInfoRequest:
//     OTP, Info, Request), except an acronym's plural s (IDs, URLsList: URLs,
//     List);
//   - digits belong to the word before them, and lower-case letters after
//     digits too (GPT4o: GPT4o; Base64Data: Base64, Data; a leading digit
//     starts a word);
//   - underscores separate words and are dropped.
func splitWords(name string) []string {
	var words []string
	for part := range strings.SplitSeq(name, "_") {
		rs := []rune(part)
		start := 0
		for i := 1; i < len(rs); i++ {
			r, prev := rs[i], rs[i-1]
			if !unicode.IsUpper(r) {
				continue
			}
			switch {
			case unicode.IsLower(prev) || unicode.IsDigit(prev):
			case unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]) && !acronymPlural(rs, i):
			default:
				continue
			}
			words = append(words, string(rs[start:i]))
			start = i
		}
		if start < len(rs) {
			words = append(words, string(rs[start:]))
		}
	}
	return words
}

// acronymPlural reports whether rs[i] is the last letter of an acronym
// followed by a plural s that ends the word (IDs, URLsList).
func acronymPlural(rs []rune, i int) bool {
	return rs[i+1] == 's' && (i+2 == len(rs) || !unicode.IsLower(rs[i+2]))
}

// wordSet is the words of name, lower-cased and sorted: two names with the
// same wordSet are the same words in some order.
func wordSet(name string) string {
	words := splitWords(name)
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	slices.Sort(words)
	return strings.Join(words, " ")
}

// reorderedNames finds every pair of exported names (types, funcs, consts,
// vars; not methods or fields) made of the same words in another order.
func reorderedNames(p *apiListing) []finding {
	bySet := make(map[string][]string)
	for name := range p.kinds {
		s := wordSet(name)
		bySet[s] = append(bySet[s], name)
	}
	var out []finding
	for s, names := range bySet {
		slices.Sort(names)
		for i, a := range names {
			for _, b := range names[i+1:] {
				out = append(out, finding{
					key: p.name + "." + a + " ~ " + p.name + "." + b,
					msg: fmt.Sprintf("%s: %s %s and %s %s are the same words (%s) in another order: use one order",
						p.name, p.kinds[a], a, p.kinds[b], b, s),
				})
			}
		}
	}
	sortFindings(out)
	return out
}

// enumConstantsNamedByType finds the exported constants whose type is an
// exported named type T of the package that are not named T + Suffix, where
// Suffix starts with an upper-case letter or a digit.
func enumConstantsNamedByType(p *apiListing) []finding {
	var out []finding
	for name, typ := range p.constTypes {
		if p.kinds[typ] != "type" { // untyped, builtin, or of another package
			continue
		}
		if rest, ok := strings.CutPrefix(name, typ); ok && rest != "" {
			if r := []rune(rest)[0]; unicode.IsUpper(r) || unicode.IsDigit(r) {
				continue
			}
		}
		out = append(out, finding{
			key: p.name + "." + name,
			msg: fmt.Sprintf("%s: const %s %s: a constant of type %s is named %s + Suffix (%s?)", p.name, name, typ, typ, typ, suggestName(typ, name)),
		})
	}
	sortFindings(out)
	return out
}

// suggestName is typ followed by the words of name that typ does not start
// with: AuthSessionStatus and AuthSessionExpired give
// AuthSessionStatusExpired.
func suggestName(typ, name string) string {
	tw, nw := splitWords(typ), splitWords(name)
	i := 0
	for i < len(tw) && i < len(nw) && tw[i] == nw[i] {
		i++
	}
	return typ + strings.Join(nw[i:], "")
}

// typesEndingIn returns a check that finds the exported types whose last
// word (splitWords) is one of suffixes.
func typesEndingIn(suffixes ...string) func(*apiListing) []finding {
	return func(p *apiListing) []finding {
		var out []finding
		for name, kind := range p.kinds {
			if kind != "type" {
				continue
			}
			words := splitWords(name)
			if last := words[len(words)-1]; slices.Contains(suffixes, last) {
				out = append(out, finding{
					key: p.name + "." + name,
					msg: fmt.Sprintf("%s: type %s ends in %s: what is sent is a …Request (no %s)", p.name, name, last, strings.Join(suffixes, ", ")),
				})
			}
		}
		sortFindings(out)
		return out
	}
}

func sortFindings(fs []finding) {
	slices.SortFunc(fs, func(a, b finding) int { return strings.Compare(a.key, b.key) })
}

func TestSplitWords(t *testing.T) {
	for name, want := range map[string]string{
		"APIErrorInvalidInput":   "API Error Invalid Input",
		"OTPInfoRequest":         "OTP Info Request",
		"InfoRequestOTP":         "Info Request OTP",
		"GPT4o":                  "GPT4o",
		"GPT4oMini":              "GPT4o Mini",
		"Base64Data":             "Base64 Data",
		"V2Request":              "V2 Request",
		"IDs":                    "IDs",
		"JobIDs":                 "Job IDs",
		"URLsList":               "URLs List",
		"DNSServer":              "DNS Server",
		"SDKError":               "SDK Error",
		"ID":                     "ID",
		"Job":                    "Job",
		"WithHTTPClient":         "With HTTP Client",
		"Snake_case_Name":        "Snake case Name",
		"AuthSessionCreateDone":  "Auth Session Create Done",
		"DefaultMaxConnsPerHost": "Default Max Conns Per Host",
	} {
		if got := strings.Join(splitWords(name), " "); got != want {
			t.Errorf("splitWords(%q) = %q, want %q", name, got, want)
		}
	}
	if a, b := wordSet("InfoRequestOTP"), wordSet("OTPInfoRequest"); a != b {
		t.Errorf("wordSet: %q != %q", a, b)
	}
}

// TestChecksFind runs each check on a made-up listing, so that an empty
// allowlist does not also mean a check that finds nothing.
func TestChecksFind(t *testing.T) {
	const pkg = "example.com/p"
	p := parseListing(pkg, "p.txt", strings.Join([]string{
		"pkg " + pkg + ", const InfoRequestOTP InfoRequestType",
		"pkg " + pkg + ", const InfoRequestOTP = \"otp\"",
		"pkg " + pkg + ", const InfoRequestTypeChoice InfoRequestType",
		"pkg " + pkg + ", const InfoRequestTypes InfoRequestType",
		"pkg " + pkg + ", const Timeout time.Duration",
		"pkg " + pkg + ", const Max ideal-int",
		"pkg " + pkg + ", type InfoRequestType string",
		"pkg " + pkg + ", type OTPInfoRequest struct",
		"pkg " + pkg + ", type OTPInfoRequest struct, Code string",
		"pkg " + pkg + ", type JobInput struct",
		"pkg " + pkg + ", type Throughput int",
		"pkg " + pkg + ", func RequestInfoOTP() error",
		"pkg " + pkg + ", method (*OTPInfoRequest) InfoOTPRequest() string",
	}, "\n"))
	keys := func(fs []finding) []string {
		var ks []string
		for _, f := range fs {
			ks = append(ks, f.key)
		}
		return ks
	}
	for _, tc := range []struct {
		name  string
		check func(*apiListing) []finding
		want  []string
	}{
		{"reordered", reorderedNames, []string{
			"p.InfoRequestOTP ~ p.OTPInfoRequest",
			"p.InfoRequestOTP ~ p.RequestInfoOTP",
			"p.OTPInfoRequest ~ p.RequestInfoOTP",
		}},
		{"constants", enumConstantsNamedByType, []string{"p.InfoRequestOTP", "p.InfoRequestTypes"}},
		{"suffixes", typesEndingIn("Input", "Params"), []string{"p.JobInput"}},
	} {
		if got := keys(tc.check(p)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: found %q, want %q", tc.name, got, tc.want)
		}
	}
}
