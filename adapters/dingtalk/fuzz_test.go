package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/testkit"
)

// FuzzFrame: no robot message or card callback crashes the adapter, is
// left for a redelivery that would fail the same way, or reaches the
// engine from another organisation or without a sender (issue 14, build
// 5 and row 9).
func FuzzFrame(f *testing.F) {
	msg := map[string]any{"conversationId": "cid-dm-staff2051", "conversationType": "1", "msgId": "m1", "msgtype": "text",
		"senderNick": "陈斌", "senderStaffId": "staff2051", "senderId": "$:LWCP_v1:$x", "chatbotUserId": "$:LWCP_v1:$bot",
		"chatbotCorpId": "dingcorp", "senderCorpId": "dingcorp", "sessionWebhook": "http://127.0.0.1:1/robot/sendBySession?session=s",
		"text": map[string]string{"content": "帮助 @所有人 [x](https://evil)"}}
	group := map[string]any{"conversationId": "cid-g1", "conversationType": "2", "msgId": "m2", "senderStaffId": "staff1002",
		"chatbotCorpId": "dingcorp", "isInAtList": true, "atUsers": []map[string]string{{"dingtalkId": "$:LWCP_v1:$bot"}, {"dingtalkId": "x", "staffId": "staff2051"}},
		"text": map[string]string{"content": "@collabot 任务 add COL-1 @陈斌"}}
	foreign := map[string]any{"conversationId": "c", "msgId": "m3", "senderStaffId": "staff2051", "chatbotCorpId": "evilcorp",
		"text": map[string]string{"content": "list all"}}
	card := map[string]any{"content": `{"cardPrivateData":{"actionIds":["click"],"params":{"command":"ack COL-1 accept"}}}`,
		"outTrackId": "t1", "spaceType": "IM_ROBOT", "spaceId": "cid-dm-staff2051", "userId": "staff2051", "corpId": "dingcorp"}
	for _, d := range []map[string]any{msg, group, foreign, card, {}} {
		raw, _ := json.Marshal(d)
		f.Add(string(raw), false)
		f.Add(string(raw), true)
	}
	f.Add(`{"text":{"content":null}}`, false)
	f.Add(`{"content":"{\"cardPrivateData\":null}"}`, true)
	eng := &testkit.Recorder{}
	a, err := New(Options{ClientID: "id", ClientSecret: "secret", APIURL: "http://127.0.0.1:1", Workspace: "acme",
		Handler: eng, Corp: "dingcorp"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data string, isCard bool) {
		df := &payload.DataFrame{Data: data, Headers: payload.DataFrameHeader{"messageId": "frame-1"}}
		cb := a.onChatbot
		if isCard {
			cb = a.onCard
		}
		a.seen = newRecent(16) // every input is a first delivery
		if _, err := cb(context.Background(), df); err != nil && !errors.Is(err, errNotRecorded) {
			t.Fatalf("callback error %v for %q", err, data)
		}
		var corp struct {
			Bot    string `json:"chatbotCorpId"`
			Sender string `json:"senderCorpId"`
			Card   string `json:"corpId"`
		}
		_ = json.Unmarshal([]byte(data), &corp)
		corps := []string{corp.Bot, corp.Sender} // what a robot message carries
		if isCard {
			corps = []string{corp.Card}
		}
		for _, m := range eng.Take() {
			if m.Workspace != "acme" || m.Platform != bot.DingTalk || m.From.ID == "" {
				t.Fatalf("engine handed %+v for %q", m, data)
			}
			for _, c := range corps {
				if c != "" && c != "dingcorp" {
					t.Fatalf("a frame of %q reached the engine: %q", c, data)
				}
			}
		}
	})
}
