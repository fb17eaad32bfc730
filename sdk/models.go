package sdk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/intuned/intuned-go/gen"
)

// Parameters are what a project's auth-session logic receives (credentials
// and the like): a JSON object or a JSON array, sent as given. Use
// ParametersObject, ParametersArray or RawParameters:
//
//	Parameters: sdk.ParametersObject{"username": "me", "password": pw}
//	Parameters: sdk.ParametersArray{"me", pw}
type Parameters interface {
	// MarshalJSON encodes the parameters as a JSON object or array.
	MarshalJSON() ([]byte, error)
	isParameters()
}

// ParametersObject is Parameters sent as a JSON object. A nil map is sent
// as {}.
type ParametersObject map[string]any

// ParametersArray is Parameters sent as a JSON array. A nil slice is sent
// as [].
type ParametersArray []any

// RawParameters is Parameters already encoded: it must hold one JSON object
// or array, which is sent as it is.
type RawParameters json.RawMessage

func (ParametersObject) isParameters() {}
func (ParametersArray) isParameters()  {}
func (RawParameters) isParameters()    {}

// MarshalJSON encodes p as a JSON object. Keys and strings must be UTF-8.
func (p ParametersObject) MarshalJSON() ([]byte, error) {
	if p == nil {
		return []byte("{}"), nil
	}
	if err := checkJSONText(map[string]any(p), 0); err != nil {
		return nil, fmt.Errorf("parameters %w", err)
	}
	return json.Marshal(map[string]any(p))
}

// MarshalJSON encodes p as a JSON array. Strings must be UTF-8.
func (p ParametersArray) MarshalJSON() ([]byte, error) {
	if p == nil {
		return []byte("[]"), nil
	}
	if err := checkJSONText([]any(p), 0); err != nil {
		return nil, fmt.Errorf("parameters %w", err)
	}
	return json.Marshal([]any(p))
}

// MarshalJSON returns p after checking that it is one JSON object or array,
// in UTF-8.
func (p RawParameters) MarshalJSON() ([]byte, error) {
	t := bytes.TrimSpace(p)
	if len(t) == 0 || t[0] != '{' && t[0] != '[' || !json.Valid(t) {
		return nil, fmt.Errorf("raw parameters are not one JSON object or array")
	}
	if !utf8.Valid(t) {
		return nil, fmt.Errorf("raw parameters are not valid UTF-8")
	}
	return t, nil
}

// UpdateAuthSessionRequest is the body of update.start.
type UpdateAuthSessionRequest struct {
	// ID is the ID of the auth session to update. Required.
	ID string
	// Parameters are passed to the project's auth-session logic. Optional.
	Parameters Parameters
	// Proxy is a proxy URL, http://username:password@domain:port. Optional.
	Proxy string
}

func (r UpdateAuthSessionRequest) toWire() (gen.UpdateAuthSessionRequest, error) {
	if r.ID == "" {
		return gen.UpdateAuthSessionRequest{}, &ArgumentError{Name: "auth session ID", Problem: "is empty"}
	}
	if err := checkText("auth session ID", r.ID); err != nil {
		return gen.UpdateAuthSessionRequest{}, err
	}
	params, proxy, err := encodeOptions(r.Parameters, r.Proxy)
	return gen.UpdateAuthSessionRequest{ID: r.ID, Parameters: params, Proxy: proxy}, err
}

// CreateAuthSessionRequest is the body of create.start. Every field is
// optional.
type CreateAuthSessionRequest struct {
	// ID is the ID of the new auth session: letters, digits and hyphens.
	// When empty, the server picks a random UUID.
	ID string
	// Parameters are passed to the project's auth-session logic.
	Parameters Parameters
	// Proxy is a proxy URL, http://username:password@domain:port.
	Proxy string
}

func (r CreateAuthSessionRequest) toWire() (gen.CreateAuthSessionRequest, error) {
	var w gen.CreateAuthSessionRequest
	if r.ID != "" {
		if err := checkText("auth session ID", r.ID); err != nil {
			return w, err
		}
		w.ID = &r.ID
	}
	var err error
	w.Parameters, w.Proxy, err = encodeOptions(r.Parameters, r.Proxy)
	return w, err
}

// encodeOptions encodes the optional members create and update share:
// parameters (nil when absent) and proxy (nil when empty).
func encodeOptions(p Parameters, proxy string) (*gen.APIParameters, *string, error) {
	var w *gen.APIParameters
	if p != nil {
		raw, err := p.MarshalJSON()
		if err != nil {
			return nil, nil, &ArgumentError{Name: "parameters", Problem: "cannot be encoded: " + unwrapMarshalError(err).Error()}
		}
		w = new(gen.APIParameters)
		if err := w.UnmarshalJSON(raw); err != nil {
			return nil, nil, &ArgumentError{Name: "parameters", Problem: "cannot be encoded: " + err.Error()}
		}
	}
	if proxy == "" {
		return w, nil, nil
	}
	if err := checkText("proxy", proxy); err != nil {
		return nil, nil, err
	}
	return w, &proxy, nil
}

// CreateOrUpdateAuthSessionStart is the answer to a create or update start:
// the ID of the operation that has begun.
type CreateOrUpdateAuthSessionStart struct {
	// Status is always "started".
	Status string `json:"status"`
	// OperationID identifies the operation in result and resume calls. It
	// can be stored and used from another process.
	OperationID string `json:"operationId"`
}

// AuthSessionCreateResume is the body of resume: the answer to an info
// request.
type AuthSessionCreateResume struct {
	// Input is the user's answer: the OTP code, or the chosen choice.
	Input string
	// InfoRequestID is the ID of the AuthSessionCreateResultRequestedMoreInfo
	// being answered. It travels as info_request_id.
	InfoRequestID string
}

func (r AuthSessionCreateResume) toWire() (gen.AuthSessionCreateResume, error) {
	if r.InfoRequestID == "" {
		return gen.AuthSessionCreateResume{}, &ArgumentError{Name: "info request ID", Problem: "is empty"}
	}
	if err := checkText("info request ID", r.InfoRequestID); err != nil {
		return gen.AuthSessionCreateResume{}, err
	}
	if err := checkText("input", r.Input); err != nil {
		return gen.AuthSessionCreateResume{}, err
	}
	return gen.AuthSessionCreateResume{Input: r.Input, InfoRequestID: r.InfoRequestID}, nil
}

// CreateAuthSessionResume is the answer to a resume.
type CreateAuthSessionResume struct {
	// Status is always "resumed".
	Status string `json:"status"`
}

func decodeStart(r response) (CreateOrUpdateAuthSessionStart, error) {
	var w gen.CreateOrUpdateAuthSessionStart
	if err := json.Unmarshal(r.body, &w); err != nil {
		return CreateOrUpdateAuthSessionStart{}, r.invalid("malformed JSON", err)
	}
	if !w.Status.Valid() {
		return CreateOrUpdateAuthSessionStart{}, r.invalid(fmt.Sprintf("status is %q, not %q", w.Status, gen.Started), nil)
	}
	if w.OperationID == "" {
		return CreateOrUpdateAuthSessionStart{}, r.invalid("operationId is missing or empty", nil)
	}
	return CreateOrUpdateAuthSessionStart{Status: string(w.Status), OperationID: w.OperationID}, nil
}

func decodeResume(r response) (CreateAuthSessionResume, error) {
	var w gen.CreateAuthSessionResume
	if err := json.Unmarshal(r.body, &w); err != nil {
		return CreateAuthSessionResume{}, r.invalid("malformed JSON", err)
	}
	if !w.Status.Valid() {
		return CreateAuthSessionResume{}, r.invalid(fmt.Sprintf("status is %q, not %q", w.Status, gen.Resumed), nil)
	}
	return CreateAuthSessionResume{Status: string(w.Status)}, nil
}

// unwrapMarshalError drops encoding/json's "json: error calling MarshalJSON
// for type ..." prefix when our own MarshalJSON failed.
func unwrapMarshalError(err error) error {
	var me *json.MarshalerError
	if errors.As(err, &me) {
		return me.Unwrap()
	}
	return err
}

// AuthSessionStatus is the state of an auth session.
type AuthSessionStatus string

// The auth session statuses the API documents. Others are kept as received.
const (
	AuthSessionPending AuthSessionStatus = "PENDING" // being created or updated
	AuthSessionReady   AuthSessionStatus = "READY"   // usable by automations
	AuthSessionExpired AuthSessionStatus = "EXPIRED" // no longer valid: update it
)

// AuthSessionInfo describes an auth session.
type AuthSessionInfo struct {
	ID     string            `json:"id"`
	Status AuthSessionStatus `json:"status"`
}

// StartAuthSessionRecorderRequest is the body of recorder.start. Every
// field is optional.
type StartAuthSessionRecorderRequest struct {
	// AuthSessionID is an existing auth session to update, or the ID of a
	// new one to create.
	AuthSessionID string
	// Proxy is a proxy URL, http://username:password@domain:port.
	Proxy string
}

func (r StartAuthSessionRecorderRequest) toWire() (gen.StartAuthSessionRecorderRequest, error) {
	var w gen.StartAuthSessionRecorderRequest
	if r.AuthSessionID != "" {
		if err := checkText("auth session ID", r.AuthSessionID); err != nil {
			return w, err
		}
		w.AuthSessionID = &r.AuthSessionID
	}
	var err error
	_, w.Proxy, err = encodeOptions(nil, r.Proxy)
	return w, err
}

// StartAuthSessionRecorder is the answer to recorder.start.
type StartAuthSessionRecorder struct {
	// RecorderURL is where a person opens the recorder to log in. It
	// travels as recorder_url.
	RecorderURL string `json:"recorder_url"`
}

// wireInfo decodes an AuthSessionInfo, telling absent members from empty.
type wireInfo struct {
	ID     *string `json:"id"`
	Status *string `json:"status"`
}

func (w wireInfo) toInfo() (AuthSessionInfo, error) {
	if w.ID == nil || w.Status == nil {
		return AuthSessionInfo{}, errors.New("an auth session lacks id or status")
	}
	return AuthSessionInfo{ID: *w.ID, Status: AuthSessionStatus(*w.Status)}, nil
}

func decodeInfo(r response) (AuthSessionInfo, error) {
	var w wireInfo
	if err := json.Unmarshal(r.body, &w); err != nil {
		return AuthSessionInfo{}, r.invalid("malformed JSON", err)
	}
	info, err := w.toInfo()
	if err != nil {
		return AuthSessionInfo{}, r.invalid(err.Error(), nil)
	}
	return info, nil
}

func decodeInfos(r response) ([]AuthSessionInfo, error) {
	var ws []wireInfo
	if err := json.Unmarshal(r.body, &ws); err != nil {
		return nil, r.invalid("malformed JSON", err)
	}
	if ws == nil {
		return nil, r.invalid("the list is null", nil)
	}
	out := make([]AuthSessionInfo, len(ws))
	for i, w := range ws {
		info, err := w.toInfo()
		if err != nil {
			return nil, r.invalid(fmt.Sprintf("item %d: %v", i, err), nil)
		}
		out[i] = info
	}
	return out, nil
}

func decodeRecorder(r response) (StartAuthSessionRecorder, error) {
	var w struct {
		RecorderURL *string `json:"recorder_url"`
	}
	if err := json.Unmarshal(r.body, &w); err != nil {
		return StartAuthSessionRecorder{}, r.invalid("malformed JSON", err)
	}
	if w.RecorderURL == nil {
		return StartAuthSessionRecorder{}, r.invalid("recorder_url is missing", nil)
	}
	return StartAuthSessionRecorder{RecorderURL: *w.RecorderURL}, nil
}
