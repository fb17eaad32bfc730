// Package intunedtest is a fake Intuned API for tests, in the manner of
// net/http/httptest: a loopback server that speaks the auth-session
// operations of the same openapi.yaml the SDK is generated from.
//
//	srv := intunedtest.NewServer(intunedtest.WithAuthSessions("my-project", "my-auth-session"))
//	defer srv.Close()
//	srv.Script("my-auth-session", intunedtest.Pending(2), intunedtest.OTP("Enter the code", "123456"), intunedtest.Done(""))
//	client := srv.Client()
//	// ... code under test uses client ...
//
// The fake is stateful: a create or update start makes an operation whose
// result walks a script, resume checks the info request ID and the answer,
// and the auth sessions stay consistent across all, one and delete. It checks
// the x-api-key header (401) and every request body (400 with details): a
// body must be JSON and decode into the SDK's model of the operation's
// request (generated from openapi.yaml, it checks required members and JSON
// types), and meet the spec's other constraints on it (non-empty IDs, the
// pattern of a create ID). It can inject faults into the next calls of an
// operation, and records every request it receives.
//
// The package depends on nothing but the standard library and the sdk
// package, so that the tests of the SDK's users pull in no other module.
package intunedtest
