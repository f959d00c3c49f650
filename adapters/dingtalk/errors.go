package dingtalk

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// APIError is DingTalk refusing a call (callers wrap it with their
// prefix): the HTTP status and the error code
// and message of its body, in either of its two shapes — {code, message}
// on the v1.0 OpenAPI, {errcode, errmsg} on the legacy and session-webhook
// endpoints (often inside an HTTP 200).
type APIError struct {
	Path       string
	Status     int
	Code       string
	Message    string
	RetryAfter time.Duration // from a Retry-After header, if any
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Path + ": HTTP " + strconv.Itoa(e.Status))
	if e.Code != "" {
		b.WriteString(" code " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + bot.Truncate(e.Message, 200))
	}
	if m := e.Meaning(); m != "" {
		b.WriteString(" (" + m + ")")
	}
	return b.String()
}

// Meaning explains a known error code for the operator reading the log.
func (e *APIError) Meaning() string { return codes[e.Code].meaning }

// codeInfo is what collabot knows of a DingTalk error code: what it means
// and, for flow control, how long to hold back before trying again.
type codeInfo struct {
	meaning  string
	throttle time.Duration
	token    bool // the access token is invalid: fetch a new one
}

// codes are the DingTalk error codes the adapter meets most often.
var codes = map[string]codeInfo{
	"130101":                                {meaning: "sending too fast: more than 20 messages a minute to one group", throttle: time.Minute},
	"410100":                                {meaning: "sending too fast: robot flow control", throttle: time.Minute},
	"90018":                                 {meaning: "the app calls this API too often (QPS limit)", throttle: 2 * time.Second},
	"Forbidden.AccessDenied.QpsLimitForApi": {meaning: "the app calls this API too often (QPS limit)", throttle: 2 * time.Second},
	"Forbidden.AccessDenied.QpsLimitForAppkeyAndApi":     {meaning: "the app calls this API too often (QPS limit)", throttle: 2 * time.Second},
	"Forbidden.AccessDenied.AccessTokenPermissionDenied": {meaning: "the app lacks the permission for this API: grant it in the developer console (robot message sending)"},
	"InvalidAuthentication":                              {meaning: "the access token is invalid or expired", token: true},
	"40014":                                              {meaning: "invalid access token", token: true},
	"42001":                                              {meaning: "the access token expired", token: true},
	"40001":                                              {meaning: "invalid credential: check the client id and secret"},
	"300001":                                             {meaning: "the session webhook or robot token does not exist (expired session?)"},
	"310000":                                             {meaning: "refused by the robot's security settings (keyword, signature or IP allow-list)"},
	"invalidClientId":                                    {meaning: "unknown client id: check COLLABOT_DINGTALK_CLIENT_ID"},
	"invalidClientSecret":                                {meaning: "wrong client secret: check COLLABOT_DINGTALK_CLIENT_SECRET"},
}

func (e *APIError) tokenInvalid() bool {
	return codes[e.Code].token || (e.Status == http.StatusUnauthorized && e.Code == "")
}

// throttle reports whether DingTalk asked to slow down, and for how long.
func (e *APIError) throttle() (time.Duration, bool) {
	info := codes[e.Code]
	if info.throttle == 0 && e.Status != http.StatusTooManyRequests {
		return 0, false
	}
	switch {
	case e.RetryAfter > 0:
		return e.RetryAfter, true
	case info.throttle > 0:
		return info.throttle, true
	}
	return time.Minute, true
}

// parseAPIError reads an answer: nil for a success, an *APIError for an
// error status or an error code in a 2xx answer (a non-zero errcode, or a
// code with a message). Status 0 reads a bare body (the SDK's errors).
// Only the code and message are kept.
func parseAPIError(status int, body []byte) *APIError {
	var v struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Errcode json.RawMessage `json:"errcode"`
		Errmsg  string          `json:"errmsg"`
	}
	e := &APIError{Status: status}
	if json.Unmarshal(body, &v) == nil {
		if c := rawCode(v.Errcode); c != "" && c != "0" {
			e.Code, e.Message = c, v.Errmsg
		} else if c := rawCode(v.Code); c != "" && c != "0" && (v.Message != "" || status == 0 || status >= 300) {
			e.Code, e.Message = c, v.Message
		}
	}
	if status == 0 || (status >= 200 && status < 300) {
		if e.Code == "" {
			return nil
		}
		return e
	}
	if e.Code == "" && e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// rawCode reads a code that DingTalk writes as a string or a number.
func rawCode(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func asAPIError(err error) *APIError {
	var e *APIError
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// throttled wraps a flow-control refusal as *bot.Throttled, which the
// dispatcher understands; other errors pass unchanged.
func throttled(err error) error {
	if e := asAPIError(err); e != nil {
		if after, ok := e.throttle(); ok {
			return &bot.Throttled{After: after, Err: err}
		}
	}
	return err
}

// errLimited is a 1:1 message DingTalk accepted but held back for its
// recipient (flowControlledStaffIdList): not sent, to be tried later.
var errLimited = errors.New("dingtalk: DingTalk flow control held the message back for this recipient")
