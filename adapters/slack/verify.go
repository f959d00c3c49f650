package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxSkew is how far a request's timestamp may be from now: Slack's
// guidance against replayed requests.
const maxSkew = 5 * time.Minute

var (
	errUnsigned  = errors.New("slack: request not signed")
	errStale     = errors.New("slack: request timestamp more than 5 minutes off")
	errSignature = errors.New("slack: request signature does not match")
)

// verify checks a request's X-Slack-Signature: HMAC-SHA256 of
// "v0:<timestamp>:<body>" under the signing secret, compared in constant
// time, with a timestamp within five minutes of now. slack-go's
// SecretsVerifier does the same but reads the wall clock, and the
// adapter's clock is injected.
func verify(secret string, h http.Header, body []byte, now time.Time) error {
	sig, ts := h.Get("X-Slack-Signature"), h.Get("X-Slack-Request-Timestamp")
	if sig == "" || ts == "" {
		return errUnsigned
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errStale
	}
	if d := now.Sub(time.Unix(sec, 0)); d > maxSkew || d < -maxSkew {
		return errStale
	}
	hexSig, ok := strings.CutPrefix(sig, "v0=")
	if !ok {
		return errSignature
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return errSignature
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil), got) {
		return errSignature
	}
	return nil
}
