package main

import (
	"fmt"
	"sort"
	"strings"
)

// The naming rule of the SDK (written out for users in sdk/doc.go, "Names").
// The generator applies it to what an operation takes and answers, so that
// a reader guesses a type's name from the operation, and refuses a spec
// that breaks it:
//
//   - Every service has a subject, a singular noun (x-sdk-subject on its
//     tag): project.jobs is Job, project.jobs.runs JobRun,
//     files.extractTables TableExtraction.
//   - What an operation sends is <Subject><Verb>Request (JobCreateRequest,
//     QueueItemAppendRequest); for start and sync, which begin the subject,
//     the verb is left out (RunRequest, AuthSessionCreateRequest).
//   - What it answers is the subject itself for one and all (Job, []Job);
//     <Subject>Result for result and <Subject>SyncResult for sync;
//     <Subject><Verb in the past> for the others (JobCreated,
//     QueueItemAppended, AuthSessionRecorderStarted); a start may instead
//     answer the pending variant of its result (RunPending).
//   - A type several operations share is named by the words their names
//     share, in order, with at most one word added where those alone would
//     not say what it is (MarkdownExtractionRequest and
//     TableExtractionRequest share ExtractionRequest;
//     AuthSessionCreateResult and AuthSessionUpdateResult share
//     AuthSessionOperationResult).
//   - An enum's constants are <Type><Value> (RunStatusPending); a union's
//     unknown variant is <Union>Unknown.
//
//   - The variants of a union told apart by a discriminator or markers are
//     <Union><Tag> (SinkWebhook, FileSourceURL, SinkResultProjectJob), where
//     a result union (told apart by a status) drops its Result (RunPending,
//     QueueItemCompleted).
//
// The parts of models and the variants of unions told apart by their
// shape are named in the spec, by the rule the package doc gives.

// checkNames refuses operations and enums whose Go names break the rule.
func checkNames(ops []*Op, models []*Model, subjects map[string]string) error {
	var errs []string
	for _, m := range models {
		for _, c := range m.Consts {
			if !strings.HasPrefix(c.Name, m.Name) || c.Name == m.Name {
				errs = append(errs, fmt.Sprintf("constant %s of %s: an enum's constants are %s<Value>", c.Name, m.Name, m.Name))
			}
		}
	}
	type use struct {
		op   *Op
		want string
	}
	uses := map[string][]use{} // by the Go name of what is sent or answered
	service := func(op *Op) string { return op.Name[:strings.LastIndexByte(op.Name, '.')] }
	results := map[string]*Type{}
	for _, op := range ops {
		if op.Method == "Result" && op.Result != nil {
			results[service(op)] = op.Result
		}
	}
	for _, op := range ops {
		subject := subjects[service(op)]
		if subject == "" {
			errs = append(errs, fmt.Sprintf("%s: the tag %s has no x-sdk-subject", op.ID, service(op)))
			continue
		}
		verb := op.Method
		if op.Body != nil {
			want := subject + verb + "Request"
			if verb == "Start" || verb == "Sync" {
				want = subject + "Request"
			}
			uses[op.Body.Name] = append(uses[op.Body.Name], use{op, want})
		}
		if op.Result == nil {
			continue
		}
		t := op.Result
		if t.Kind == KList {
			t = t.Elem
		}
		var want string
		switch verb {
		case "All", "One":
			want = subject
		case "Result":
			want = subject + "Result"
		case "Sync":
			want = subject + "SyncResult"
		default:
			want = subject + past(verb)
		}
		if verb == "Start" && isVariant(results[service(op)], t) {
			continue // the pending state of its result, named by the variant rule
		}
		uses[t.Name] = append(uses[t.Name], use{op, want})
	}
	// The variants of a union told apart by a discriminator or markers:
	// <Stem><Tag>, where the stem of a result union drops its Result or
	// SyncResult (RunPending) and the stem of another union is its name
	// (SinkWebhook), and the tag is the discriminator's value or the marker.
	for _, m := range models {
		if m.Type.Kind != KUnion || m.Disc == nil && !m.Marked() {
			continue
		}
		stem := m.Name
		for _, suffix := range []string{"SyncResult", "Result"} {
			if s, ok := strings.CutSuffix(m.Name, suffix); ok && s != "" && m.Disc != nil && m.Disc.JSON == "status" {
				stem = s // the states of a result, told apart by their status
				break
			}
		}
		for _, v := range m.Variants {
			tag := v.Value
			if v.Marker != "" {
				tag = v.Marker
			}
			uses[v.Type.Name] = append(uses[v.Type.Name], use{&Op{Name: m.Name}, stem + exported(tag)})
		}
	}
	names := make([]string, 0, len(uses))
	for n := range uses {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		us := uses[name]
		wants := map[string]bool{}
		var lists [][]string
		for _, u := range us {
			wants[u.want] = true
			lists = append(lists, nameWords(u.want))
		}
		if len(wants) == 1 {
			if !wants[name] {
				errs = append(errs, fmt.Sprintf("%s: %s is %s by the naming rule", us[0].op.Name, name, us[0].want))
			}
			continue
		}
		common := lists[0]
		for _, l := range lists[1:] {
			common = lcs(common, l)
		}
		got := nameWords(name)
		if len(lcs(common, got)) != len(common) || len(got) > len(common)+1 {
			var ws []string
			for w := range wants {
				ws = append(ws, w)
			}
			sort.Strings(ws)
			errs = append(errs, fmt.Sprintf("%s, shared as %s, is named by the words of %s that they share (%s), with at most one added",
				name, strings.Join(ws, " and "), strings.Join(ws, ", "), strings.Join(common, "")))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("names that break the rule:\n\t%s", strings.Join(errs, "\n\t"))
	}
	return nil
}

// isVariant reports whether t is a variant of the union u.
func isVariant(u, t *Type) bool {
	if u == nil || u.Model == nil {
		return false
	}
	for _, v := range u.Model.Variants {
		if v.Type == t {
			return true
		}
	}
	return false
}

// past is a verb in the past: Create → Created, Append → Appended.
func past(verb string) string {
	if strings.HasSuffix(verb, "e") {
		return verb + "d"
	}
	return verb + "ed"
}

// nameWords splits a Go name into its words, an initialism kept whole:
// AuthSessionRecorderStarted → Auth Session Recorder Started.
func nameWords(s string) []string {
	var out []string
	start := 0
	for i := 1; i < len(s); i++ {
		up := s[i] >= 'A' && s[i] <= 'Z'
		prevLow := s[i-1] >= 'a' && s[i-1] <= 'z' || s[i-1] >= '0' && s[i-1] <= '9'
		nextLow := i+1 < len(s) && s[i+1] >= 'a' && s[i+1] <= 'z'
		if up && (prevLow || nextLow && s[i-1] >= 'A' && s[i-1] <= 'Z') {
			out = append(out, s[start:i])
			start = i
		}
	}
	return append(out, s[start:])
}

// lcs is the longest common subsequence of two word lists.
func lcs(a, b []string) []string {
	n := make([][]int, len(a)+1)
	for i := range n {
		n[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				n[i][j] = n[i+1][j+1] + 1
			} else {
				n[i][j] = max(n[i+1][j], n[i][j+1])
			}
		}
	}
	var out []string
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			out = append(out, a[i])
			i, j = i+1, j+1
		case n[i+1][j] >= n[i][j+1]:
			i++
		default:
			j++
		}
	}
	return out
}
