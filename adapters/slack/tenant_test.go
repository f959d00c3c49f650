package slack

import (
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/collabot/collabot/adapters/slack/slackfake"
)

// tenantPayloads are the four kinds of request Slack sends, from team and
// (when not empty) enterprise, as a signed HTTP request's path and
// content type and as a Socket Mode envelope's kind.
func tenantPayloads(team, enterprise string) []struct {
	name, path, socket string
	payload            map[string]any
	form               bool
} {
	event := slackfake.MessageEvent("Ev-"+team, "D0AMY", "U0AMY", "list all", nil)
	event["team_id"] = team
	slash := slackfake.SlashPayload("U0AMY", "C0COLLAB", "board", "trig-"+team, "https://hooks.invalid/x")
	slash["team_id"] = team
	click := map[string]any{"type": "block_actions", "user": map[string]any{"id": "U0AMY"}, "trigger_id": "trig-click-" + team,
		"team": map[string]any{"id": team}, "container": map[string]any{"type": "message", "message_ts": "1.2", "channel_id": "D0AMY"},
		"channel": map[string]any{"id": "D0AMY"},
		"actions": []any{map[string]any{"type": "button", "action_id": "command:0", "block_id": "b", "value": "show COL-1", "action_ts": "1.3",
			"text": map[string]any{"type": "plain_text", "text": "show"}}}}
	submit := map[string]any{"type": "view_submission", "user": map[string]any{"id": "U0AMY"}, "trigger_id": "trig-sub-" + team,
		"team": map[string]any{"id": team}, "view": map[string]any{"id": "V1", "callback_id": modalCallback, "private_metadata": "{}"}}
	if enterprise != "" {
		event["enterprise_id"], slash["enterprise_id"] = enterprise, enterprise
		click["enterprise"] = map[string]any{"id": enterprise}
		submit["enterprise"] = map[string]any{"id": enterprise}
	}
	return []struct {
		name, path, socket string
		payload            map[string]any
		form               bool
	}{
		{"event", "/slack/events", "events_api", event, false},
		{"slash command", "/slack/commands", "slash_commands", slash, true},
		{"click", "/slack/interactions", "interactive", click, true},
		{"modal submission", "/slack/interactions", "interactive", submit, true},
	}
}

// TestForeignTeamRefused (issue 14, row 2): a signed request or a Socket
// Mode envelope whose team_id is not the bot's (auth.test says T1), or
// whose enterprise is not the bot's organisation, is acknowledged and
// counted, and reaches neither the engine nor Slack's API. On the old
// adapter the engine answered `list all` and `board` for team T2.
func TestForeignTeamRefused(t *testing.T) {
	cases := []struct{ name, team, enterprise string }{
		{"another team", "T2", ""},
		{"no team at all", "", ""},
		{"the right team in another organisation", slackfake.TeamID, "E-OTHER"},
	}
	for _, transport := range []string{"http", "socket"} {
		for _, tc := range cases {
			t.Run(transport+"/"+tc.name, func(t *testing.T) {
				f := slackfake.New(t)
				f.SetTeam(slackfake.TeamID)
				h := &countingHandler{}
				o := adapterOpts(f, h, nil)
				var foreign atomic.Int32
				o.Foreign = func() { foreign.Add(1) }
				if transport == "socket" {
					o.AppToken = slackfake.AppToken
				}
				a := newAdapter(t, o)
				if tc.enterprise != "" {
					// The bot's own organisation, as auth.test reports it on Enterprise Grid.
					id := *a.selfOrFetch(t)
					id.enterprise = "E-OURS"
					a.self.Store(&id)
				}
				var srv string
				if transport == "socket" {
					runSocket(t, f, a)
				} else {
					srv = httpServer(t, a).URL
				}
				ps := tenantPayloads(tc.team, tc.enterprise)
				for _, p := range ps {
					if transport == "socket" {
						f.Ack(f.Push(p.socket, p.payload))
						continue
					}
					res := postTenant(t, srv, p.path, p.payload, p.form)
					if res != http.StatusOK {
						t.Errorf("%s: status %d, want 200 (acknowledged, so Slack does not retry)", p.name, res)
					}
				}
				if n := h.count(); n != 0 {
					t.Errorf("the engine heard %d foreign requests", n)
				}
				if int(foreign.Load()) != len(ps) {
					t.Errorf("counted %d foreign requests, want %d", foreign.Load(), len(ps))
				}
				for _, c := range f.Calls() {
					if c.Method != "auth.test" && c.Method != "apps.connections.open" {
						t.Errorf("a foreign request made Slack call %s", c.Method)
					}
				}
			})
		}
	}
}

// TestOwnTeamServed is the control: the same requests from the bot's own
// team reach the engine.
func TestOwnTeamServed(t *testing.T) {
	f := slackfake.New(t)
	h := &countingHandler{}
	o := adapterOpts(f, h, nil)
	var foreign atomic.Int32
	o.Foreign = func() { foreign.Add(1) }
	srv := httpServer(t, newAdapter(t, o)).URL
	for _, p := range tenantPayloads(slackfake.TeamID, "")[:3] { // a submission needs a real modal
		if res := postTenant(t, srv, p.path, p.payload, p.form); res != http.StatusOK {
			t.Errorf("%s: status %d", p.name, res)
		}
	}
	if h.count() != 3 || foreign.Load() != 0 {
		t.Errorf("engine heard %d of 3, %d counted foreign", h.count(), foreign.Load())
	}
}

// TestConfiguredTeamMustMatchToken: a token of another workspace than
// the configured one is refused at start rather than served.
func TestConfiguredTeamMustMatchToken(t *testing.T) {
	f := slackfake.New(t)
	o := adapterOpts(f, &countingHandler{}, nil)
	o.Team = "T-CONFIGURED"
	if _, err := newAdapter(t, o).whoami(t.Context()); err == nil {
		t.Fatal("auth.test's T1 was accepted for a deployment configured for T-CONFIGURED")
	}
}

func (a *Adapter) selfOrFetch(t *testing.T) *identity {
	t.Helper()
	id, err := a.whoami(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func postTenant(t *testing.T, srv, path string, payload map[string]any, form bool) int {
	t.Helper()
	body, ctype := mustJSON(t, payload), jsonType
	if form {
		ctype = "application/x-www-form-urlencoded"
		v := url.Values{}
		if path == "/slack/interactions" {
			v.Set("payload", body)
		} else {
			for k, x := range payload {
				s, _ := x.(string)
				v.Set(k, s)
			}
		}
		body = v.Encode()
	}
	res := signed(t, srv+path, ctype, body)
	res.Body.Close()
	return res.StatusCode
}
