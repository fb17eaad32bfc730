package sdk

// This file is the receiving side of webhook sinks: a job or a queue with a
// SinkWebhook makes Intuned POST one SinkResult per finished API run to the
// sink's URL. ParseSinkResult decodes one; NewSinkHandler (sink_handler.go,
// with its options in sink_options.go) serves a sink's URL with it.

// sinkOperation names a sink's payload in a *ResponseValidationError.
const sinkOperation = "webhook sink"

// ParseSinkResult decodes the body of a request Intuned sent to a webhook
// sink: a SinkResultProjectJob (the body has a "projectJob" member), a
// SinkResultProjectQueue (it has "projectQueue"), or, for a shape this version of
// the SDK does not know (neither member, or both), a SinkResultUnknown that
// keeps the JSON as received. A result status it does not know is kept too
// (SinkAPIResultUnknown).
//
// It checks the payload as the SDK checks the API's answers: a body that is
// not one JSON object, a required member that is missing or null, or a
// member of the wrong JSON type is a *ResponseValidationError whose Path
// names it (apiInfo.result.statusCode), with Code 0. JSON nested deeper than
// encoding/json accepts (10,000 levels) is refused as malformed.
//
// NewSinkHandler calls it for you; call it yourself to read a payload
// received some other way (a message queue, a stored request).
func ParseSinkResult(body []byte) (SinkResult, error) {
	res, err := decodeSinkResult(trimBOM(body), "")
	if err != nil {
		return nil, newValidationError(sinkOperation, 0, "", body, err)
	}
	return res, nil
}

// DecodeResult decodes the run's result (the API's return value) into v, as
// json.Unmarshal does. A run without a result is an error.
func (r SinkAPICompleted) DecodeResult(v any) error { return decodeResult(r.Result, v) }
