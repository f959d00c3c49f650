package slack

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
)

// Slack's worked example from "Verifying requests from Slack".
const (
	docSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	docTimestamp = "1531420618"
	docBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	docSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

var docTime = time.Unix(1531420618, 0)

// TestSignatures sends Slack's documented request to the slash command
// endpoint, as it is and spoilt in each way that must be refused; a
// refused request reaches neither the engine nor Slack's API.
func TestSignatures(t *testing.T) {
	tests := []struct {
		name    string
		now     time.Time
		body    string
		headers map[string]string // replacing the documented ones; "" removes
		want    int
	}{
		{"documented example", docTime, docBody, nil, http.StatusOK},
		{"a minute later is fine", docTime.Add(time.Minute), docBody, nil, http.StatusOK},
		{"one changed byte in the body", docTime, strings.Replace(docBody, "U2CERLKJA", "U2CERLKJB", 1), nil, http.StatusUnauthorized},
		{"one changed byte in the signature", docTime, docBody,
			map[string]string{"X-Slack-Signature": docSignature[:len(docSignature)-1] + "4"}, http.StatusUnauthorized},
		{"stale timestamp", docTime.Add(5*time.Minute + time.Second), docBody, nil, http.StatusUnauthorized},
		{"timestamp from the future", docTime.Add(-6 * time.Minute), docBody, nil, http.StatusUnauthorized},
		{"missing signature", docTime, docBody, map[string]string{"X-Slack-Signature": ""}, http.StatusUnauthorized},
		{"missing timestamp", docTime, docBody, map[string]string{"X-Slack-Request-Timestamp": ""}, http.StatusUnauthorized},
		{"signature without version", docTime, docBody,
			map[string]string{"X-Slack-Signature": strings.TrimPrefix(docSignature, "v0=")}, http.StatusUnauthorized},
		{"timestamp not a number", docTime, docBody, map[string]string{"X-Slack-Request-Timestamp": "yesterday"}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := slackfake.New(t)
			f.SetTeam("T1DC2JH3J") // the documented example's team: the bot's own
			h := &countingHandler{}
			o := adapterOpts(f, h, nil)
			o.SigningSecret = docSecret
			o.Clock = bot.ClockFunc(func() time.Time { return tt.now })
			srv := httpServer(t, newAdapter(t, o))

			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/slack/commands", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Slack-Request-Timestamp", docTimestamp)
			req.Header.Set("X-Slack-Signature", docSignature)
			for k, v := range tt.headers {
				if v == "" {
					req.Header.Del(k)
				} else {
					req.Header.Set(k, v)
				}
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.want {
				t.Fatalf("status %d (%s), want %d", res.StatusCode, body, tt.want)
			}
			if tt.want != http.StatusOK {
				if n := h.count(); n != 0 {
					t.Errorf("refused request reached the engine %d times", n)
				}
				if calls := len(f.Calls()); calls != 0 {
					t.Errorf("refused request made %d Slack API calls", calls)
				}
				return
			}
			if n := h.count(); n != 1 {
				t.Fatalf("engine called %d times", n)
			}
			m := h.calls[0]
			if m.From.ID != "U2CERLKJA" || m.Channel != "G8PSS9T3V" || m.Text != "/collab" || m.EventID == "" {
				t.Errorf("message = %+v", m)
			}
		})
	}
}

func TestVerifyBoundaries(t *testing.T) {
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", docTimestamp)
	h.Set("X-Slack-Signature", docSignature)
	for _, tt := range []struct {
		skew time.Duration
		ok   bool
	}{{0, true}, {5 * time.Minute, true}, {-5 * time.Minute, true}, {5*time.Minute + time.Second, false}, {-5*time.Minute - time.Second, false}} {
		err := verify(docSecret, h, []byte(docBody), docTime.Add(tt.skew))
		if (err == nil) != tt.ok {
			t.Errorf("skew %s: %v", tt.skew, err)
		}
	}
	if err := verify("another secret", h, []byte(docBody), docTime); err != errSignature {
		t.Errorf("wrong secret: %v", err)
	}
}
