package slack

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
)

const jsonType = "application/json"

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func TestURLVerification(t *testing.T) {
	f := slackfake.New(t)
	h := &countingHandler{}
	srv := httpServer(t, newAdapter(t, adapterOpts(f, h, nil)))
	res := signed(t, srv.URL+"/slack/events", jsonType,
		`{"token":"legacy","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	defer res.Body.Close()
	var got map[string]string
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, %v", res.StatusCode, err)
	}
	if got["challenge"] != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" || h.count() != 0 {
		t.Errorf("answer %v, engine calls %d", got, h.count())
	}
}

func TestRequestLimits(t *testing.T) {
	f := slackfake.New(t)
	h := &countingHandler{}
	srv := httpServer(t, newAdapter(t, adapterOpts(f, h, nil)))
	huge := mustJSON(t, slackfake.MessageEvent("Ev1", "D0AMY", "U0AMY", strings.Repeat("x", 2<<20), nil))
	res := signed(t, srv.URL+"/slack/events", jsonType, huge)
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB body: status %d", res.StatusCode)
	}
	res, err := http.Get(srv.URL + "/slack/events")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d", res.StatusCode)
	}
	if h.count() != 0 {
		t.Errorf("engine called %d times", h.count())
	}
}

// TestHugeMessage: a 100 KB message gets the engine's polite refusal, and
// nothing else happens.
func TestHugeMessage(t *testing.T) {
	f := slackfake.New(t)
	w := newWorld(t)
	srv := httpServer(t, newAdapter(t, adapterOpts(f, w.eng, w)))
	body := "发起协作\n" + strings.Repeat("很长的内容", 7000)
	res := signed(t, srv.URL+"/slack/events", jsonType, mustJSON(t, slackfake.MessageEvent("EvHuge", "D0AMY", "U0AMY", body, nil)))
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	f.WaitPost("D0AMY", "消息太长")
	if n := len(w.collabs()); n != 0 {
		t.Errorf("%d collaborations", n)
	}
}

// TestChannelConversation: in a channel the bot answers a mention in a
// thread, then reads that thread without mentions; chatter elsewhere,
// other bots, its own messages and edits reach nobody.
func TestChannelConversation(t *testing.T) {
	f := slackfake.New(t)
	h := &countingHandler{}
	srv := httpServer(t, newAdapter(t, adapterOpts(f, h, nil)))
	send := func(payload map[string]any) {
		t.Helper()
		res := signed(t, srv.URL+"/slack/events", jsonType, mustJSON(t, payload))
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
	}
	mention := slackfake.Callback("EvM", map[string]any{"type": "app_mention", "channel": "C1", "user": "U0AMY",
		"text": "<@UBOT> new", "ts": "1700000005.000100", "event_ts": "1700000005.000100"})
	// Slack sends the same mention as a message too; the mention is handled.
	send(slackfake.MessageEvent("EvM2", "C1", "U0AMY", "<@UBOT> new", map[string]any{"ts": "1700000005.000100"}))
	send(mention)
	reply := f.WaitPost("C1", "ok")
	if reply.Thread != "1700000005.000100" {
		t.Errorf("mention answered at %q, want in its thread", reply.Thread)
	}
	ignored := []map[string]any{
		slackfake.MessageEvent("Ev1", "C1", "U0AMY", "lunch?", nil),
		slackfake.MessageEvent("Ev2", "C1", "U0AMY", "other thread", map[string]any{"thread_ts": "1600000000.000001"}),
		slackfake.MessageEvent("Ev3", "C1", "UBOT", "my own words", map[string]any{"thread_ts": "1700000005.000100"}),
		slackfake.MessageEvent("Ev4", "C1", "U0BOB", "a bot", map[string]any{"bot_id": "B2", "thread_ts": "1700000005.000100"}),
		slackfake.MessageEvent("Ev5", "D0AMY", "U0AMY", "edited", map[string]any{"subtype": "message_changed"}),
		slackfake.Callback("Ev6", map[string]any{"type": "reaction_added", "user": "U0AMY", "reaction": "+1"}),
	}
	for _, p := range ignored {
		send(p)
	}
	send(slackfake.MessageEvent("Ev7", "C1", "U0AMY", "研发部", map[string]any{"thread_ts": "1700000005.000100"}))
	f.WaitFor("two answers", func(s *slackfake.State) bool { return len(s.Posts()) >= 2 })
	if n := h.count(); n != 2 {
		t.Fatalf("engine called %d times, want the mention and the thread reply", n)
	}
	want := []bot.Message{
		{EventID: "EvM", Channel: "C1", Text: "new"},
		{EventID: "Ev7", Channel: "C1", Text: "研发部"},
	}
	for i, m := range h.calls {
		if m.EventID != want[i].EventID || m.Text != want[i].Text || m.Direct || m.From.ID != "U0AMY" {
			t.Errorf("call %d = %+v", i, m)
		}
	}
}
