package sdk

import (
	"encoding/json"
	"fmt"
)

// OperationStatus is the status of a create or update operation, as the
// API spells it.
type OperationStatus string

// The operation statuses the SDK knows. Others decode as
// AuthSessionCreateResultUnknown.
const (
	StatusPending           OperationStatus = "pending"
	StatusDone              OperationStatus = "done"
	StatusRequestedMoreInfo OperationStatus = "requested_more_info"
	StatusFailed            OperationStatus = "failed"
)

// AuthSessionCreateResult is the state of a create or update operation. It
// is exactly one of:
//
//   - AuthSessionCreateResultPending: still running; ask again later.
//   - AuthSessionCreateResultDone: finished; the auth session is ready.
//   - AuthSessionCreateResultRequestedMoreInfo: the target site asks for an
//     OTP code or a choice; answer with resume.
//   - AuthSessionCreateResultFailed: finished without an auth session.
//   - AuthSessionCreateResultUnknown: a status this SDK version does not
//     know, with the raw JSON.
//
// Tell them apart with a type switch:
//
//	switch r := res.(type) {
//	case sdk.AuthSessionCreateResultDone:
//		use(r.AuthSessionID)
//	case sdk.AuthSessionCreateResultRequestedMoreInfo:
//		ask(r.ID, r.Details)
//	...
//	}
type AuthSessionCreateResult interface {
	// OperationStatus returns the status as the API spelled it.
	OperationStatus() OperationStatus
	isAuthSessionCreateResult()
}

// AuthSessionCreateResultPending is an operation still running.
type AuthSessionCreateResultPending struct{}

// AuthSessionCreateResultDone is an operation that finished with a ready
// auth session.
type AuthSessionCreateResultDone struct {
	// AuthSessionID is the ID of the ready auth session.
	AuthSessionID string
}

// AuthSessionCreateResultRequestedMoreInfo is an operation waiting for the
// user: answer it with resume, passing ID as the info request ID.
type AuthSessionCreateResultRequestedMoreInfo struct {
	// ID identifies this info request; resume sends it as info_request_id.
	ID string
	// Details says what is asked.
	Details InfoRequestDetails
}

// AuthSessionCreateResultFailed is an operation that finished without an
// auth session.
type AuthSessionCreateResultFailed struct {
	// Error is the API's error code.
	Error string
	// Message is the API's description, for people.
	Message string
}

// AuthSessionCreateResultUnknown is a status this version of the SDK does
// not know. Raw holds the whole JSON object as received.
type AuthSessionCreateResultUnknown struct {
	Status OperationStatus
	Raw    json.RawMessage
}

// OperationStatus returns StatusPending.
func (AuthSessionCreateResultPending) OperationStatus() OperationStatus { return StatusPending }

// OperationStatus returns StatusDone.
func (AuthSessionCreateResultDone) OperationStatus() OperationStatus { return StatusDone }

// OperationStatus returns StatusRequestedMoreInfo.
func (AuthSessionCreateResultRequestedMoreInfo) OperationStatus() OperationStatus {
	return StatusRequestedMoreInfo
}

// OperationStatus returns StatusFailed.
func (AuthSessionCreateResultFailed) OperationStatus() OperationStatus { return StatusFailed }

// OperationStatus returns the status as received.
func (r AuthSessionCreateResultUnknown) OperationStatus() OperationStatus { return r.Status }

func (AuthSessionCreateResultPending) isAuthSessionCreateResult()           {}
func (AuthSessionCreateResultDone) isAuthSessionCreateResult()              {}
func (AuthSessionCreateResultRequestedMoreInfo) isAuthSessionCreateResult() {}
func (AuthSessionCreateResultFailed) isAuthSessionCreateResult()            {}
func (AuthSessionCreateResultUnknown) isAuthSessionCreateResult()           {}

// InfoRequestType says what an info request asks for.
type InfoRequestType string

// The info request types the SDK knows. Others are kept as received.
const (
	// InfoRequestOTP asks for a one-time code.
	InfoRequestOTP InfoRequestType = "otp"
	// InfoRequestMultipleChoice asks for one of Choices.
	InfoRequestMultipleChoice InfoRequestType = "multiple_choice"
)

// InfoRequestDetails says what the target site asks the user for.
type InfoRequestDetails struct {
	// RequestType is InfoRequestOTP, InfoRequestMultipleChoice, or a type
	// this SDK version does not know.
	RequestType InfoRequestType
	// Action is "request_more_info".
	Action string
	// MessageToUser is the text to show the user.
	MessageToUser string
	// Choices are the options of a multiple-choice request; the answer is
	// one of them. Nil for other types.
	Choices []string
}

// wireResult holds every member any AuthSessionCreateResult shape has, so a
// body is decoded in one pass; pointers tell absent members from empty ones.
type wireResult struct {
	Status        *string      `json:"status"`
	AuthSessionID *string      `json:"authSessionId"`
	ID            *string      `json:"id"`
	Details       *wireDetails `json:"details"`
	Error         *string      `json:"error"`
	Message       *string      `json:"message"`
}

type wireDetails struct {
	RequestType   *string   `json:"requestType"`
	Action        *string   `json:"action"`
	MessageToUser *string   `json:"messageToUser"`
	Choices       *[]string `json:"choices"`
}

const actionRequestMoreInfo = "request_more_info"

// fastResult holds the members of every shape as plain strings: decoding
// into it costs what decoding into a hand-written struct costs. It cannot
// tell an absent member from an empty one, so a result with an empty
// required member is decoded again by decodeResultStrict.
type fastResult struct {
	Status        string       `json:"status"`
	AuthSessionID string       `json:"authSessionId"`
	ID            string       `json:"id"`
	Details       *fastDetails `json:"details"`
	Error         string       `json:"error"`
	Message       string       `json:"message"`
}

type fastDetails struct {
	RequestType   string   `json:"requestType"`
	Action        string   `json:"action"`
	MessageToUser string   `json:"messageToUser"`
	Choices       []string `json:"choices"`
}

func decodeResult(r response) (AuthSessionCreateResult, error) {
	var w fastResult
	if json.Unmarshal(r.body, &w) == nil {
		switch OperationStatus(w.Status) {
		case StatusPending:
			return AuthSessionCreateResultPending{}, nil
		case StatusDone:
			if w.AuthSessionID != "" {
				return AuthSessionCreateResultDone{AuthSessionID: w.AuthSessionID}, nil
			}
		case StatusFailed:
			if w.Error != "" && w.Message != "" {
				return AuthSessionCreateResultFailed{Error: w.Error, Message: w.Message}, nil
			}
		case StatusRequestedMoreInfo:
			if d := w.Details; w.ID != "" && d != nil && d.MessageToUser != "" && d.Action == actionRequestMoreInfo &&
				(d.RequestType == string(InfoRequestOTP) || d.RequestType == string(InfoRequestMultipleChoice) && d.Choices != nil) {
				details := InfoRequestDetails{RequestType: InfoRequestType(d.RequestType), Action: d.Action, MessageToUser: d.MessageToUser}
				if details.RequestType == InfoRequestMultipleChoice {
					details.Choices = d.Choices
				}
				return AuthSessionCreateResultRequestedMoreInfo{ID: w.ID, Details: details}, nil
			}
		}
	}
	return decodeResultStrict(r)
}

// decodeResultStrict decodes with pointers, telling absent members from
// empty ones, and says exactly what does not match.
func decodeResultStrict(r response) (AuthSessionCreateResult, error) {
	var w wireResult
	if err := json.Unmarshal(r.body, &w); err != nil {
		// An unknown status may carry members of other types than the known
		// shapes use; it still decodes.
		var s struct {
			Status *string `json:"status"`
		}
		if json.Unmarshal(r.body, &s) == nil && s.Status != nil && !knownStatus(*s.Status) {
			return unknownResult(*s.Status, r.body), nil
		}
		return nil, r.invalid("malformed JSON", err)
	}
	if w.Status == nil {
		return nil, r.invalid("status is missing", nil)
	}
	missing := func(field string) error {
		return r.invalid(fmt.Sprintf("%s is missing from a %q result", field, *w.Status), nil)
	}
	switch OperationStatus(*w.Status) {
	case StatusPending:
		return AuthSessionCreateResultPending{}, nil
	case StatusDone:
		if w.AuthSessionID == nil {
			return nil, missing("authSessionId")
		}
		return AuthSessionCreateResultDone{AuthSessionID: *w.AuthSessionID}, nil
	case StatusFailed:
		if w.Error == nil {
			return nil, missing("error")
		}
		if w.Message == nil {
			return nil, missing("message")
		}
		return AuthSessionCreateResultFailed{Error: *w.Error, Message: *w.Message}, nil
	case StatusRequestedMoreInfo:
		if w.ID == nil {
			return nil, missing("id")
		}
		if w.Details == nil {
			return nil, missing("details")
		}
		d, err := w.Details.decode()
		if err != nil {
			return nil, r.invalid(err.Error(), nil)
		}
		return AuthSessionCreateResultRequestedMoreInfo{ID: *w.ID, Details: d}, nil
	default:
		return unknownResult(*w.Status, r.body), nil
	}
}

func knownStatus(s string) bool {
	switch OperationStatus(s) {
	case StatusPending, StatusDone, StatusRequestedMoreInfo, StatusFailed:
		return true
	}
	return false
}

func unknownResult(status string, body []byte) AuthSessionCreateResultUnknown {
	return AuthSessionCreateResultUnknown{Status: OperationStatus(status), Raw: append(json.RawMessage(nil), body...)}
}

func (w *wireDetails) decode() (InfoRequestDetails, error) {
	switch {
	case w.RequestType == nil:
		return InfoRequestDetails{}, fmt.Errorf("details.requestType is missing")
	case w.Action == nil:
		return InfoRequestDetails{}, fmt.Errorf("details.action is missing")
	case w.MessageToUser == nil:
		return InfoRequestDetails{}, fmt.Errorf("details.messageToUser is missing")
	}
	d := InfoRequestDetails{RequestType: InfoRequestType(*w.RequestType), Action: *w.Action, MessageToUser: *w.MessageToUser}
	switch d.RequestType {
	case InfoRequestOTP:
	case InfoRequestMultipleChoice:
		if w.Choices == nil {
			return InfoRequestDetails{}, fmt.Errorf("details.choices is missing from a multiple_choice request")
		}
		d.Choices = *w.Choices
		if d.Choices == nil {
			return InfoRequestDetails{}, fmt.Errorf("details.choices is null in a multiple_choice request")
		}
	default:
		if w.Choices != nil {
			d.Choices = *w.Choices
		}
		return d, nil // a type this SDK does not know: kept as received
	}
	if d.Action != actionRequestMoreInfo {
		return InfoRequestDetails{}, fmt.Errorf("details.action is %q, not %q", d.Action, actionRequestMoreInfo)
	}
	return d, nil
}
