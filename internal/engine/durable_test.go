package engine_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/testkit"
)

// TestRepliesRecordedWithTheEvent: with a reply handle, what the engine
// answers is an outbox row keyed by the event, committed with it —
// answers, refusals alike — and a redelivery records nothing more.
// Without one, the answer is returned as before.
func TestRepliesRecordedWithTheEvent(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, tc := range []struct {
		name, text, handle string
		rows               int // reply rows after two deliveries
	}{
		{"answer", "help", "h", 1},
		{"refusal", "ack COL-99 accept", "h", 1},
		{"no handle", "help", "", 0},
		// Reads are answered off the writer; their answers are recorded
		// all the same, in a short write of their own.
		{"read", "list all", "h", 1},
		{"read refused", "show COL-99", "h", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := testkit.OpenDemo(t, filepath.Join(t.TempDir(), "c.db"), bot.ClockFunc(func() time.Time { return at }), "")
			m := bot.Message{Workspace: d.Workspace(), Platform: bot.Slack, EventID: "Ev1", Channel: "D0CAROL", Direct: true,
				From: bot.Identity{Platform: bot.Slack, ID: "U0CAROL"}, Text: tc.text, ReplyTo: tc.handle}
			ctx := context.Background()
			first, err := d.Engine.Handle(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			if again, err := d.Engine.Handle(ctx, m); err != nil || again != nil {
				t.Fatalf("redelivery answered %v, %v", again, err)
			}
			due, err := d.Store.DueNotices(ctx, at.Add(time.Hour), 100)
			if err != nil {
				t.Fatal(err)
			}
			var rows []bot.Notice
			for _, q := range due {
				if q.Notice.Kind == bot.KindReply {
					rows = append(rows, q.Notice)
				}
			}
			if len(rows) != tc.rows {
				t.Fatalf("%d reply rows, want %d", len(rows), tc.rows)
			}
			if tc.rows == 0 {
				if len(first) == 0 {
					t.Error("no answer returned without a handle")
				}
				return
			}
			if first == nil || len(first) != 0 {
				t.Errorf("Handle returned %v, want an empty, non-nil answer", first)
			}
			r := rows[0]
			if strings.Contains(tc.name, "refus") && !strings.Contains(r.Replies[len(r.Replies)-1].Body, "⚠️") {
				t.Errorf("the refusal's row says %q", r.Replies[len(r.Replies)-1].Body)
			}
			if r.Key != "reply/slack:Ev1" || r.Channel != "slack:@U0CAROL" || r.Handle != "h" || len(r.Replies) == 0 {
				t.Errorf("reply row %+v", r)
			}
		})
	}
}
