package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/testkit"
)

// fuzzAdapter is an adapter whose bot is already identified (no auth.test
// per input), whose response_url posts go nowhere, and whose engine
// checks each message it is handed and answers nothing.
func fuzzAdapter(f *testing.F) (*Adapter, *testkit.Recorder) {
	fs := slackfake.New(f)
	eng := &testkit.Recorder{}
	o := adapterOpts(fs, eng, nil)
	o.Workspace = "acme"
	a := newAdapter(f, o)
	a.self.Store(&identity{user: slackfake.BotUserID, bot: slackfake.BotID, team: slackfake.TeamID})
	a.hook = func(context.Context, string, *slack.WebhookMessage) error { return nil }
	return a, eng
}

// serveFuzz runs one request through a route handler past verification
// and checks the answer and what reached the engine.
func serveFuzz(t *testing.T, a *Adapter, eng *testkit.Recorder, serve func(http.ResponseWriter, *http.Request, []byte), body []byte, team string) {
	t.Helper()
	w := httptest.NewRecorder()
	serve(w, httptest.NewRequest(http.MethodPost, "/slack/x", nil), body)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = a.Shutdown(ctx) // replies in flight: none, the engine answers nothing
	switch w.Code {
	case http.StatusOK, http.StatusBadRequest:
	default:
		t.Fatalf("status %d for %q", w.Code, body)
	}
	for _, m := range eng.Take() {
		if m.Workspace != "acme" || m.Platform != bot.Slack || m.From.ID == "" {
			t.Fatalf("engine handed %+v for %q", m, body)
		}
		if team != slackfake.TeamID {
			t.Fatalf("a request of team %q reached the engine: %q", team, body)
		}
	}
}

// FuzzEventsEnvelope: no Events API body crashes the adapter or gets
// another team's event to the engine (issue 14, build 5 and row 2).
func FuzzEventsEnvelope(f *testing.F) {
	for _, s := range []map[string]any{
		slackfake.MessageEvent("Ev1", "D0AMY", "U0AMY", "help", nil),
		slackfake.MessageEvent("Ev2", "C0X", "U0AMY", "<@UBOT> 看板 <!channel> [x](https://evil)", map[string]any{"thread_ts": "1.2"}),
		slackfake.Callback("Ev3", map[string]any{"type": "app_mention", "user": "U0AMY", "channel": "C1", "text": "<@UBOT> list", "ts": "1.0"}),
		slackfake.Callback("Ev4", map[string]any{"type": "message", "subtype": "message_changed", "channel": "D1"}),
		{"type": "url_verification", "challenge": "x"},
		{"type": "app_rate_limited"},
	} {
		raw, _ := json.Marshal(s)
		f.Add(raw)
	}
	other := slackfake.MessageEvent("Ev5", "D0AMY", "U0AMY", "list all", nil)
	other["team_id"] = "T2"
	raw, _ := json.Marshal(other)
	f.Add(raw)
	f.Add([]byte(`{"type":"event_callback","event":null}`))
	a, eng := fuzzAdapter(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		var outer struct {
			Team string `json:"team_id"`
		}
		_ = json.Unmarshal(body, &outer)
		serveFuzz(t, a, eng, a.serveEvents, body, outer.Team)
	})
}

// FuzzSlashCommand: no slash command form crashes the adapter; what
// reaches the engine is an explicit /collab command of the bot's team.
func FuzzSlashCommand(f *testing.F) {
	for _, s := range []map[string]any{
		slackfake.SlashPayload("U0AMY", "C0X", "board", "trig1", "https://hooks.invalid/1"),
		slackfake.SlashPayload("U0AMY", "D0AMY", "new", "trig2", ""),
		slackfake.SlashPayload("U0AMY", "C0X", "ack COL-1 accept <!here>", "", ""),
		slackfake.SlashPayload("", "C0X", "", "", ""),
	} {
		v := url.Values{}
		for k, x := range s {
			v.Set(k, x.(string))
		}
		f.Add(v.Encode())
	}
	f.Add("ssl_check=1")
	f.Add("team_id=T2&user_id=U0AMY&text=list+all")
	f.Add("%zz")
	a, eng := fuzzAdapter(f)
	f.Fuzz(func(t *testing.T, body string) {
		form, _ := url.ParseQuery(body)
		serveFuzz(t, a, eng, a.serveCommand, []byte(body), form.Get("team_id"))
		// Whatever the text, its reply renders as valid Block Kit.
		checkRender(t, form.Get("text"))
	})
}

// FuzzInteraction: no interaction payload (a click, a modal submission,
// anything else) crashes the adapter or reaches the engine from another
// team.
func FuzzInteraction(f *testing.F) {
	click := map[string]any{"type": "block_actions", "user": map[string]any{"id": "U0AMY"}, "trigger_id": "t1",
		"team": map[string]any{"id": slackfake.TeamID}, "container": map[string]any{"type": "message", "message_ts": "1.2", "channel_id": "D0AMY"},
		"channel": map[string]any{"id": "D0AMY"}, "actions": []any{map[string]any{"type": "button", "action_id": "command:0",
			"block_id": "b", "value": "show COL-1", "action_ts": "1.3", "text": map[string]any{"type": "plain_text", "text": "show"}}}}
	submit := map[string]any{"type": "view_submission", "user": map[string]any{"id": "U0AMY"}, "trigger_id": "t2",
		"team": map[string]any{"id": slackfake.TeamID}, "view": map[string]any{"id": "V1", "callback_id": modalCallback,
			"private_metadata": `{"form":"request","channel":"D0AMY"}`,
			"state":            map[string]any{"values": map[string]any{"topic": map[string]any{"v": map[string]any{"type": "plain_text_input", "value": "x"}}}}}}
	for _, p := range []map[string]any{click, submit, {"type": "view_closed"}, {"type": "block_actions", "actions": []any{}}} {
		raw, _ := json.Marshal(p)
		f.Add(string(raw))
	}
	a, eng := fuzzAdapter(f)
	f.Fuzz(func(t *testing.T, payload string) {
		var ic struct {
			Team struct {
				ID string `json:"id"`
			} `json:"team"`
		}
		_ = json.Unmarshal([]byte(payload), &ic)
		body := url.Values{"payload": {payload}}.Encode()
		serveFuzz(t, a, eng, a.serveInteraction, []byte(body), ic.Team.ID)
	})
}

// checkRender renders text as the engine would echo it, in a body, a
// title, a field and a button, and checks the blocks against Slack's
// limits and what it accepts.
func checkRender(t *testing.T, text string) {
	t.Helper()
	msgs := pack([]bot.Reply{{Title: text, Body: text, Fields: []bot.Field{{Label: text, Value: text}},
		Buttons: []bot.Button{{Label: text, Command: text}}}})
	for _, m := range msgs {
		raw, err := json.Marshal(m.blocks)
		if err != nil {
			t.Fatal(err)
		}
		var blocks []map[string]any
		if err := json.Unmarshal(raw, &blocks); err != nil {
			t.Fatal(err)
		}
		if problems := slackfake.CheckBlocks(blocks); len(problems) > 0 && utf8.ValidString(text) {
			t.Fatalf("blocks for %q: %s", text, strings.Join(problems, "; "))
		}
	}
}
