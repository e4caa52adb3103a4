package sender

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// TencentError is a failure Tencent Cloud reported, either for the whole call (Response.Error) or for
// the one number (SendStatusSet[0].Code). Code is Tencent's error code, e.g.
// "LimitExceeded.PhoneNumberDailyLimit", and is safe as a log field or metric label. Message is
// Tencent's own text; Error() leaves it out because it may echo the recipient.
type TencentError struct {
	Code      string
	Message   string
	RequestID string
	Retryable bool
}

// Error names the code, whether a retry may help, and the request id Tencent support asks for.
func (e *TencentError) Error() string {
	kind := "permanent"
	if e.Retryable {
		kind = "retryable"
	}
	return fmt.Sprintf("SendSms %s (%s, request id %s)", e.Code, kind, e.RequestID)
}

// Is reports a non-retryable TencentError as ErrPermanent.
func (e *TencentError) Is(target error) bool {
	return target == ErrPermanent && !e.Retryable
}

// sendSmsResponse holds the parts of the SendSms response we act on.
type sendSmsResponse struct {
	Response struct {
		Error *struct {
			Code    string `json:"Code"`
			Message string `json:"Message"`
		} `json:"Error"`
		SendStatusSet []struct {
			Code    string `json:"Code"`
			Message string `json:"Message"`
		} `json:"SendStatusSet"`
		RequestID string `json:"RequestId"`
	} `json:"Response"`
}

// parseSendSmsResponse returns nil only for a well-formed answer whose first send status is "Ok".
func parseSendSmsResponse(resp *http.Response) error {
	raw, err := io.ReadAll(io.LimitReader(resp.Body, tencentMaxResponse))
	if err != nil {
		return fmt.Errorf("read response: %w", err)
	}
	var r sendSmsResponse
	decodeErr := json.Unmarshal(raw, &r)
	if decodeErr == nil && r.Response.Error != nil {
		e := r.Response.Error
		return &TencentError{Code: e.Code, Message: e.Message, RequestID: r.Response.RequestID,
			Retryable: retryableTencentCode(e.Code)}
	}
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("http status %d", resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return err
		}
		return permanent(err)
	}
	if decodeErr != nil {
		return fmt.Errorf("decode response: %w", decodeErr)
	}
	if len(r.Response.SendStatusSet) == 0 {
		return errors.New("response has no send status")
	}
	if st := r.Response.SendStatusSet[0]; st.Code != "Ok" {
		return &TencentError{Code: st.Code, Message: st.Message, RequestID: r.Response.RequestID,
			Retryable: retryableTencentCode(st.Code)}
	}
	return nil
}

// retryableTencentCode sorts Tencent error codes by their family (the part before the first dot).
// Quotas, rate limits and internal errors pass; bad parameters, refused authorisation, unapproved
// templates or signatures and blocked numbers do not. An unknown family counts as retryable: the
// job's retry limit bounds the cost, while treating a transient failure as final loses the message.
func retryableTencentCode(code string) bool {
	family, _, _ := strings.Cut(code, ".")
	switch family {
	case "LimitExceeded", "RequestLimitExceeded", "InternalError", "ResourceUnavailable":
		return true
	case "InvalidParameter", "InvalidParameterValue", "MissingParameter", "UnknownParameter",
		"UnauthorizedOperation", "AuthFailure", "FailedOperation", "UnsupportedOperation",
		"InvalidAction", "ActionOffline", "NoSuchVersion", "UnsupportedRegion", "InvalidRequest",
		"IpInBlacklist", "IpNotInWhitelist", "ResourceNotFound":
		return false
	}
	return true
}
