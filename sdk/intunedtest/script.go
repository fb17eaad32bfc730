package intunedtest

import (
	"fmt"
	"slices"

	"github.com/intuned/intuned-go/sdk"
)

// A Step is one stage of a scripted operation. Each result call shows the
// current step; resume (or the count of a Pending step) moves on to the next.
// After the last step the operation is done.
type Step struct {
	kind    stepKind
	n       int      // Pending: how many polls
	message string   // OTP, Choice: message to the user; Fail: message
	answer  string   // OTP, Choice: the expected answer ("" accepts any)
	choices []string // Choice
	code    string   // Fail: error code
	id      string   // Done: auth session ID ("" means the one being updated)
	raw     string   // Raw: the body sent as is
}

type stepKind int

const (
	stepPending stepKind = iota + 1
	stepOTP
	stepChoice
	stepDone
	stepFail
	stepRaw
)

// Pending answers "pending" to the next n result calls.
func Pending(n int) Step { return Step{kind: stepPending, n: n} }

// OTP asks for a one-time code until resume sends code (any code, if code is
// empty). A wrong code gets a 400.
func OTP(message, code string) Step { return Step{kind: stepOTP, message: message, answer: code} }

// Choice asks the user to pick one of choices until resume sends answer (any
// of the choices, if answer is empty). Anything else gets a 400.
func Choice(message string, choices []string, answer string) Step {
	return Step{kind: stepChoice, message: message, choices: slices.Clone(choices), answer: answer}
}

// Done ends the operation with a ready auth session: authSessionID, or the
// ID of the session being updated if it is empty.
func Done(authSessionID string) Step { return Step{kind: stepDone, id: authSessionID} }

// Fail ends the operation with status "failed", an error code and a message.
func Fail(code, message string) Step { return Step{kind: stepFail, code: code, message: message} }

// Raw answers the next result call with body, sent as it is (for statuses
// the SDK does not know, or malformed answers), then moves on.
func Raw(body string) Step { return Step{kind: stepRaw, raw: body} }

// kind tells create operations from update operations.
type kind int

const (
	kindUpdate kind = iota
	kindCreate
)

// outcome is what a result call ended in, if anything.
type outcome int

const (
	running outcome = iota
	succeeded
	failed
)

// operation is the state of one scripted operation.
type operation struct {
	kind          kind
	ended         bool // its outcome has been applied to the session
	id            string
	project       string
	authSessionID string
	steps         []Step
	pos           int    // current step
	polled        int    // polls of the current Pending step
	infoRequestID string // the current info request, once shown
	polls         int    // result calls in all
	resumes       int    // accepted resumes
}

func (op *operation) current() *Step {
	if op.pos < len(op.steps) {
		return &op.steps[op.pos]
	}
	return nil
}

func (op *operation) advance() {
	if op.pos < len(op.steps) {
		op.pos++
	}
	op.polled, op.infoRequestID = 0, ""
}

// rawResult is the body of a Raw step, sent as it is.
type rawResult []byte

// result returns the answer to the next result call (an
// sdk.AuthSessionOperationResult, or a rawResult) and the outcome it shows.
// newID makes info request IDs.
func (op *operation) result(newID func() string) (any, outcome) {
	op.polls++
	for {
		st := op.current()
		if st == nil {
			return sdk.AuthSessionOperationDone{AuthSessionID: op.authSessionID}, succeeded
		}
		switch st.kind {
		case stepPending:
			if op.polled >= st.n {
				op.advance()
				continue
			}
			op.polled++
			return sdk.AuthSessionOperationPending{}, running
		case stepOTP, stepChoice:
			if op.infoRequestID == "" {
				op.infoRequestID = newID()
			}
			var details sdk.InfoRequestDetails = sdk.InfoRequestDetailsOTP{Action: requestMoreInfo, MessageToUser: st.message}
			if st.kind == stepChoice {
				details = sdk.InfoRequestDetailsMultipleChoice{Action: requestMoreInfo, MessageToUser: st.message, Choices: st.choices}
			}
			return sdk.AuthSessionOperationRequestedMoreInfo{ID: op.infoRequestID, Details: details}, running
		case stepDone:
			id := st.id
			if id == "" {
				id = op.authSessionID
			}
			return sdk.AuthSessionOperationDone{AuthSessionID: id}, succeeded
		case stepFail:
			return sdk.AuthSessionOperationFailed{Error: st.code, Message: st.message}, failed
		case stepRaw:
			op.advance()
			return rawResult(st.raw), running
		}
	}
}

// requestMoreInfo is the only action of an info request in the spec.
const requestMoreInfo = "request_more_info"

// resume checks an answer; a non-empty reason is the 400 message.
func (op *operation) resume(infoRequestID, input string) (reason string) {
	st := op.current()
	if st == nil || st.kind != stepOTP && st.kind != stepChoice || op.infoRequestID == "" {
		return "operation " + op.id + " is not waiting for more info"
	}
	if infoRequestID != op.infoRequestID {
		return fmt.Sprintf("info request %q is not the one operation %s is waiting for", infoRequestID, op.id)
	}
	switch {
	case st.kind == stepChoice && !slices.Contains(st.choices, input):
		return fmt.Sprintf("%q is not one of the choices", input)
	case st.answer != "" && input != st.answer:
		return "the answer is not correct"
	}
	op.resumes++
	op.advance()
	return ""
}
