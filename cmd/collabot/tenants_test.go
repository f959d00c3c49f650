package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/configs"
	"github.com/collabot/collabot/internal/testkit"
)

// tenant is one deployment of TestTwoWorkspacesOneDatabase: its own
// workspace, Slack team and local Slack, sharing the database file.
type tenant struct {
	ws, team string
	slack    *slackfake.Server
	run      *running
	tried    int // events pushed to its Slack, its own and the other team's
	foreign  int // of those, the other team's
	unacked  int // commands and clicks refused under load, which Slack does not deliver again
}

// slackUsers are the demo's people on Slack, each with a DM channel.
var slackUsers = []string{"U0AMY", "U0ALICE", "U0MIKE", "U0BOB", "U0DAVID", "U0CAROL", "U0CHRIS", "U0OLIVIA", "U0GRACE"}

// TestTwoWorkspacesOneDatabase (issue 14, rows 1 and 2): two deployments,
// workspaces acme and beta, run serve's wiring on one SQLite file, each
// with its own Slack team. Each gets its own people filing requests and
// reading lists, boards and records, and, mixed in, the other team's
// events (the app installed in both: same signature, other team_id).
// Over 1,000 events, nothing of one workspace is sent by, shown to or
// written for the other. On the old code acme's dispatcher sent beta's
// notices with acme's token, and acme answered beta's team's `list all`.
func TestTwoWorkspacesOneDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("over 1,000 events through two deployments")
	}
	clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t)))
	db := filepath.Join(t.TempDir(), "shared.db")
	demo, err := configs.FS.ReadFile("demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tenants := []*tenant{{ws: "acme", team: "T0ACME"}, {ws: "beta", team: "T0BETA"}}
	for _, tn := range tenants {
		tn.slack = slackfake.New(t)
		tn.slack.SetTeam(tn.team)
		cfg := filepath.Join(t.TempDir(), tn.ws+".yaml")
		if err := os.WriteFile(cfg, []byte(strings.Replace(string(demo), "workspace: demo", "workspace: "+tn.ws, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		vars := map[string]string{"COLLABOT_DB": db, "COLLABOT_HTTP_ADDR": "127.0.0.1:0",
			"COLLABOT_SLACK_BOT_TOKEN": slackfake.BotToken, "COLLABOT_SLACK_APP_TOKEN": slackfake.AppToken,
			"COLLABOT_SLACK_API_URL": tn.slack.URL()}
		tn.run = startService(t, vars, clock, "--config", cfg)
	}

	const filings, readsPerUser, foreignPerTenant = 6, 15, 400
	var wg sync.WaitGroup
	for i, tn := range tenants {
		other := tenants[1-i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			seq := 0
			type pushed struct {
				kind, id string
				payload  map[string]any
			}
			push := func(kind string, payload map[string]any) pushed {
				seq++
				tn.tried++
				return pushed{kind, tn.slack.Push(kind, payload), payload}
			}
			// settled waits for the ack as Slack does: an event the bot
			// leaves unacknowledged (refused because it could not record
			// it in time, as a loaded machine under -race makes it) is
			// delivered again.
			settled := func(p pushed) bool { return tn.slack.Settle(p.kind, p.payload, p.id) }
			event := func(team, user, text string) map[string]any {
				p := slackfake.MessageEvent(fmt.Sprintf("Ev-%s-%s-%d", tn.ws, team, seq), "D"+strings.TrimPrefix(user, "U"), user, text, nil)
				p["team_id"] = team
				return p
			}
			// Requests, one dialog step at a time: each is acknowledged once recorded.
			for n := 1; n <= filings; n++ {
				for _, text := range []string{"发起协作",
					fmt.Sprintf("协作主题: %s-topic-%d\n协作背景与目标: %s 的目标\n需协助部门: 运营部\n具体需求描述: %s 的需求\n期望完成时间: 2026-12-10", tn.ws, n, tn.ws, tn.ws),
					"确认"} {
					if !settled(push("events_api", event(tn.team, "U0AMY", text))) {
						t.Errorf("%s: a filing step was never acknowledged, after Slack's retries", tn.ws)
					}
				}
			}
			// Reads by everyone, and the other team's events, interleaved.
			var ids []pushed
			reads := []string{"list all", "board", "show COL-1", "show COL-%d", "help"}
			for r := 0; r < readsPerUser; r++ {
				for _, u := range slackUsers {
					text := reads[r%len(reads)]
					if strings.Contains(text, "%d") {
						text = fmt.Sprintf(text, 1+r%filings)
					}
					ids = append(ids, push("events_api", event(tn.team, u, text)))
				}
			}
			for f := 0; f < foreignPerTenant; f++ {
				// The other team's people, in chats of their own: any
				// answer to them would show up there.
				u := fmt.Sprintf("U9EVE%d", f%9)
				var kind string
				var p map[string]any
				switch f % 4 {
				case 0, 1:
					kind, p = "events_api", event(other.team, u, []string{"list all", "iam 研发部", "show COL-1", "发起协作"}[f%4/2+f%2])
				case 2:
					kind, p = "slash_commands", slackfake.SlashPayload(u, "C0SHARED", "board", fmt.Sprintf("trig-%s-%d", tn.ws, f), "")
					p["team_id"] = other.team
				default:
					kind = "interactive"
					p = map[string]any{"type": "block_actions", "user": map[string]any{"id": u}, "trigger_id": fmt.Sprintf("trig-click-%s-%d", tn.ws, f),
						"team": map[string]any{"id": other.team}, "container": map[string]any{"type": "message", "message_ts": "1.2", "channel_id": "D" + u[1:]},
						"channel": map[string]any{"id": "D" + u[1:]},
						"actions": []any{map[string]any{"type": "button", "action_id": "command:0", "block_id": "b", "value": "show COL-1",
							"action_ts": "1.3", "text": map[string]any{"type": "plain_text", "text": "show"}}}}
				}
				tn.foreign++
				ids = append(ids, push(kind, p))
			}
			for _, p := range ids {
				if !settled(p) {
					tn.unacked++
				}
			}
		}()
	}
	wg.Wait()

	// Everything either workspace queued is delivered by its own deployment.
	for _, tn := range tenants {
		testkit.Eventually(t, tn.ws+"'s outbox to empty", func() bool {
			n, _, err := tn.run.s.store.OutboxDepth(context.Background(), clock.Now())
			return err == nil && n == 0
		})
	}

	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := conn.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	total := 0
	for i, tn := range tenants {
		other := tenants[1-i]
		total += tn.tried
		// Sends and reads: nothing of the other workspace reaches this team's Slack.
		posts := tn.slack.Posts()
		crossSends, crossReads, ownNotices := 0, 0, 0
		for _, p := range posts {
			if strings.HasPrefix(p.Channel, "D9EVE") || p.Channel == "C0SHARED" {
				crossReads++ // an answer to the other team's people
			}
			text := p.Text + p.Render()
			if strings.Contains(text, other.ws+"-topic") || strings.Contains(text, other.ws+" 的") {
				crossSends++
			}
			if strings.Contains(text, tn.ws+"-topic") {
				ownNotices++
			}
		}
		// Writes: the other team's events left no trace in this workspace.
		crossWrites := count(`SELECT count(*) FROM inbound_events WHERE workspace = ? AND event LIKE ?`, tn.ws, "%-"+other.team+"-%") +
			count(`SELECT count(*) FROM collaborations WHERE workspace = ? AND topic NOT LIKE ?`, tn.ws, tn.ws+"-topic-%") +
			count(`SELECT count(*) FROM outbox WHERE workspace = ? AND body LIKE ?`, tn.ws, "%"+other.ws+"-topic%")
		collabs := count(`SELECT count(*) FROM collaborations WHERE workspace = ?`, tn.ws)
		notices := count(`SELECT count(*) FROM outbox WHERE workspace = ? AND sent_at IS NOT NULL`, tn.ws)
		for _, c := range tn.slack.Calls() {
			if c.Method == "views.open" || strings.HasPrefix(c.Form.Get("user"), "U9EVE") {
				crossReads++ // a modal or an ephemeral answer for the other team
			}
		}
		t.Logf("%s: %d events tried (%d from team %s, %d refused under load), %d posts, %d collaborations, %d notices sent; cross-workspace sends %d, reads %d, writes %d",
			tn.ws, tn.tried, tn.foreign, other.team, tn.unacked, len(posts), collabs, notices, crossSends, crossReads, crossWrites)
		if crossSends != 0 || crossReads != 0 || crossWrites != 0 {
			t.Errorf("%s: %d posts show %s's data, %d answers went to %s's people, %d rows written for their events",
				tn.ws, crossSends, other.ws, crossReads, other.team, crossWrites)
		}
		if collabs != filings || notices == 0 || ownNotices == 0 {
			t.Errorf("%s: %d collaborations, %d notices sent, %d posts of its own: the workload did not run", tn.ws, collabs, notices, ownNotices)
		}
	}
	if total < 1000 {
		t.Errorf("only %d events tried", total)
	}
	for _, tn := range tenants {
		if got := foreignCount(t, tn.run); got != tn.foreign {
			t.Errorf("%s counted %d foreign events, want %d", tn.ws, got, tn.foreign)
		}
	}
}

// foreignCount reads collabot_events_total{outcome="foreign"} for Slack
// from the running service's /metrics.
func foreignCount(t *testing.T, r *running) int {
	t.Helper()
	res, err := http.Get("http://" + r.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range families["collabot_events_total"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["platform"] == "slack" && labels["outcome"] == "foreign" {
			return int(m.GetCounter().GetValue())
		}
	}
	return 0
}
