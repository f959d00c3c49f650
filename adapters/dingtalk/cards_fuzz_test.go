package dingtalk

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/testkit"
)

// FuzzOwnCard: no click on one of collabot's own cards crashes the
// adapter, is left for a redelivery that would fail the same way, or
// reaches the engine from another organisation, without a sender, or as
// someone other than the person a card is for.
func FuzzOwnCard(f *testing.F) {
	ben := base64.RawURLEncoding.EncodeToString([]byte("staff2051"))
	for _, d := range []map[string]any{
		{"content": `{"cardPrivateData":{"actionIds":["btn1"],"params":{"command":"ack COL-1 accept","label":"承接"}}}`,
			"outTrackId": trackPrefix + "abc." + ben, "spaceType": "IM_GROUP", "spaceId": "cid-g1", "userId": "staff2051", "corpId": "dingcorp"},
		{"content": `{"cardPrivateData":{"params":{"command":"ack COL-1 accept"}}}`,
			"outTrackId": trackPrefix + "abc." + ben, "spaceType": "IM_GROUP", "spaceId": "cid-g1", "userId": "staff6410", "corpId": "dingcorp"},
		{"content": `{"cardPrivateData":{"params":{"command":"task T-1 start","label":7}}}`,
			"outTrackId": trackPrefix + "x.!!", "userId": "staff2051", "corpId": "dingcorp"},
		{"content": `{"cardPrivateData":null}`, "outTrackId": trackPrefix, "corpId": "evilcorp", "userId": "u"},
		{"content": "not json", "outTrackId": trackPrefix + "y"},
		{"content": `{"cardPrivateData":{"actionIds":["submit"],"params":{"action":"submit","command":"new","in_topic":["a",1,null],"in_due":{"x":1}}}}`,
			"outTrackId": trackPrefix + "f." + ben, "spaceType": "IM_GROUP", "spaceId": "cid-g1", "userId": "staff2051", "corpId": "dingcorp"},
	} {
		raw, _ := json.Marshal(d)
		f.Add(string(raw))
	}
	eng := &testkit.Recorder{}
	a, err := New(Options{ClientID: "id", ClientSecret: "secret", APIURL: "http://127.0.0.1:1", Workspace: "acme",
		Handler: eng, Corp: "dingcorp", Cards: map[string]string{"ack": "tpl"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data string) {
		df := &payload.DataFrame{Data: data, Headers: payload.DataFrameHeader{"messageId": "frame-1"}}
		a.seen = newRecent(16) // every input is a first delivery
		a.book = cardBook{}
		if _, err := a.onCard(context.Background(), df); err != nil && !errors.Is(err, errNotRecorded) {
			t.Fatalf("callback error %v for %q", err, data)
		}
		var req struct {
			Corp  string `json:"corpId"`
			Track string `json:"outTrackId"`
			User  string `json:"userId"`
		}
		_ = json.Unmarshal([]byte(data), &req)
		for _, m := range eng.Take() {
			if m.Workspace != "acme" || m.Platform != bot.DingTalk || m.From.ID == "" {
				t.Fatalf("engine handed %+v for %q", m, data)
			}
			if req.Corp != "" && req.Corp != "dingcorp" {
				t.Fatalf("a frame of %q reached the engine: %q", req.Corp, data)
			}
			if to := addressee(req.Track); to != "" && to != m.From.ID {
				t.Fatalf("a click on %s's card reached the engine as %s", to, m.From.ID)
			}
		}
	})
}
