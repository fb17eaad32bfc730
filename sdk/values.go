package sdk

// Ptr returns a pointer to v, for the optional members of request models,
// which are pointers (see the package doc):
//
//	sdk.CreateAuthSessionRequest{ID: sdk.Ptr("my-auth-session")}
func Ptr[T any](v T) *T { return &v }
