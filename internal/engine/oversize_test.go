package engine_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/engine"
	"github.com/collabot/collabot/internal/testkit"
)

// TestOversizeAnsweredOnce (issue 14, row 9): a message between the
// engine's limit and the platforms' 1 MiB is refused in the speaker's
// language and recorded as the event's outcome, so each platform retry
// of it is a duplicate, not a second refusal; nothing else is stored. The
// old engine refused every delivery without recording it.
func TestOversizeAnsweredOnce(t *testing.T) {
	ctx := context.Background()
	clock := bot.ClockFunc(func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) })
	tests := []struct {
		name, from, want string
		size             int
	}{
		{"just over the limit, in Chinese", "U0AMY", "消息太长", engine.MaxMessageBytes + 1},
		{"1 MiB, an English reader", "U0DAVID", "That message is too long", 1 << 20},
		{"a stranger, nobody registered", "U0NEWCOMER", "消息太长", 100 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testkit.OpenDemo(t, filepath.Join(t.TempDir(), "c.db"), clock, "")
			m := bot.Message{Workspace: d.Workspace(), Platform: bot.Slack, EventID: "EvBig", Channel: "D0X",
				Direct: true, From: bot.Identity{Platform: bot.Slack, ID: tt.from}, Text: strings.Repeat("长", tt.size/3+1)}
			for delivery := 1; delivery <= 3; delivery++ {
				replies, err := d.Engine.Handle(ctx, m)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case delivery == 1 && (len(replies) != 1 || !strings.Contains(replies[0].Body, tt.want)):
					t.Errorf("first delivery: %v, want one refusal with %q", replies, tt.want)
				case delivery > 1 && len(replies) != 0:
					t.Errorf("retry %d answered again: %v", delivery, replies)
				}
			}
			err := d.Store.View(ctx, d.Workspace(), func(tx bot.Tx) error {
				people, err := tx.People(ctx)
				if len(people) != 0 {
					t.Errorf("registered %v for an oversize message", people)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
