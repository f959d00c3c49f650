package dispatch_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/dispatch"
)

func TestRouting(t *testing.T) {
	tests := []struct {
		name     string
		to       string // a person, or "" for the group
		where    string // the person's accounts, or the group
		senders  []bot.Platform
		fallback bool
		want     bot.Platform // "" = kept as undeliverable
	}{
		{"person: the first account with a sender", "bob", "slack:U0BOB,dingtalk:staff1", []bot.Platform{bot.DingTalk}, false, bot.DingTalk},
		{"person: account order decides", "bob", "slack:U0BOB,dingtalk:staff1", []bot.Platform{bot.DingTalk, bot.Slack}, false, bot.Slack},
		{"group: its platform", "", "slack:C1", []bot.Platform{bot.DingTalk, bot.Slack}, false, bot.Slack},
		{"group: dingtalk", "", "dingtalk:cidXYZ==", []bot.Platform{bot.DingTalk, bot.Slack}, false, bot.DingTalk},
		{"group: console", "", "console:demo-group", []bot.Platform{bot.Console}, true, bot.Console},
		{"group: no sender, fallback", "", "slack:C1", []bot.Platform{bot.DingTalk}, true, bot.Console},
		{"person: no sender, fallback", "bob", "slack:U0BOB", nil, true, bot.Console},
		{"person: no accounts, fallback", "bob", "", []bot.Platform{bot.Slack}, true, bot.Console},
		{"group: none recorded, fallback", "", "", []bot.Platform{bot.Slack}, true, bot.Console},
		{"person: no sender, no fallback", "bob", "slack:U0BOB", []bot.Platform{bot.DingTalk}, false, ""},
		{"group: no sender, no fallback", "", "slack:C1", []bot.Platform{bot.DingTalk}, false, ""},
		{"group: none recorded, no fallback", "", "", []bot.Platform{bot.Slack}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			out := &memOutbox{}
			id := out.add(notice(key(1), tt.to, tt.where))
			all := map[bot.Platform]*sender{}
			var senders []bot.Sender
			for _, p := range tt.senders {
				all[p] = newSender(p, c)
				senders = append(senders, all[p])
			}
			o := dispatch.Options{Outbox: out, Senders: senders, Clock: c}
			if tt.fallback {
				if all[bot.Console] == nil {
					all[bot.Console] = newSender(bot.Console, c)
				}
				o.Fallback = all[bot.Console]
			}
			var logs logBuffer
			o.Log = logs.logger()
			d := newDispatcher(t, o)
			if _, err := d.Drain(context.Background()); err != nil {
				t.Fatal(err)
			}
			for p, s := range all {
				n := len(s.deliveries())
				if (p == tt.want) != (n == 1) || n > 1 {
					t.Errorf("%s got %d deliveries, want the notification on %q", p, n, tt.want)
				}
			}
			r := out.row(id)
			if tt.want != "" {
				if !r.sent {
					t.Errorf("row not sent: %+v", r)
				}
				return
			}
			if r.sent || r.lastErr != bot.ErrUndeliverable.Error() || !r.next.Equal(t0.Add(time.Hour)) {
				t.Errorf("undeliverable row %+v: want kept, retried in an hour", r)
			}
			// Logged once, not at every hourly retry.
			c.Add(time.Hour)
			if _, err := d.Drain(context.Background()); err != nil {
				t.Fatal(err)
			}
			if r := out.row(id); r.sent || r.q.Attempts != 2 {
				t.Errorf("after the hourly retry %+v", r)
			}
			if n := strings.Count(logs.String(), "undeliverable"); n != 1 {
				t.Errorf("%d undeliverable warnings, want 1:\n%s", n, logs.String())
			}
		})
	}
}
