package dispatch_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/dingtalk"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/dispatch"
)

// TestIdenticalDingTalkDMsShareBatchSend: 40 people get the very same
// notice and 3 get notices of their own; the dispatcher hands the 40 to
// the real DingTalk adapter together, which sends them with two
// oToMessages/batchSend calls of 20 people each (the local DingTalk
// records every call with its user list), and the 3 with one call each.
func TestIdenticalDingTalkDMsShareBatchSend(t *testing.T) {
	c := newClock()
	st := openStore(t, "", c)
	const same, own = 40, 3
	err := st.Apply(context.Background(), "acme", "", func(tx bot.Tx) error {
		for i := range same + own {
			no := notice(key(i), fmt.Sprintf("p%02d", i), fmt.Sprintf("dingtalk:staff%02d", i))
			if i >= same {
				no.Params["own"] = "yes"
			}
			no.At = t0
			if _, err := tx.Enqueue(context.Background(), no); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f := dingtest.New(t, c.Now)
	a, err := dingtalk.New(dingtalk.Options{ClientID: f.ClientID, ClientSecret: f.ClientSecret, RobotCode: f.RobotCode,
		APIURL: f.URL, Workspace: "acme", Handler: nopHandler{}, Clock: c, Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	// The same text for everyone but those with a notice of their own.
	sameText := func(ctx context.Context, ws bot.Workspace, n bot.Notice) (bot.Notification, error) {
		out, err := render(ctx, ws, n)
		out.Reply = bot.Reply{Title: "Progress", Body: "Please post today's progress."}
		if n.Params["own"] != "" {
			out.Reply.Body = "For you alone: " + n.Key
		}
		return out, err
	}
	d := newDispatcher(t, dispatch.Options{Outbox: st, Render: sameText, Senders: []bot.Sender{a}, Clock: c, Log: quietLog(), Workers: 4})
	for end := t0.Add(time.Minute); c.Now().Before(end); c.Add(100 * time.Millisecond) {
		if _, err := d.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n, _, _ := st.OutboxDepth(context.Background(), c.Now()); n == 0 {
			break
		}
	}
	if n, _, err := st.OutboxDepth(context.Background(), c.Now()); err != nil || n != 0 {
		t.Fatalf("%d notices unsent, %v", n, err)
	}
	var shared [][]string
	var staff []string
	for _, users := range f.BatchSends() {
		staff = append(staff, users...)
		if len(users) > 1 {
			shared = append(shared, users)
		}
	}
	if len(shared) != 2 || len(shared[0]) != 20 || len(shared[1]) != 20 {
		t.Errorf("batchSend calls with several people: %v; want 2 of 20", shared)
	}
	if got := len(f.BatchSends()); got != 2+own {
		t.Errorf("%d batchSend calls, want %d", got, 2+own)
	}
	slices.Sort(staff)
	if len(staff) != same+own || len(slices.Compact(staff)) != same+own {
		t.Errorf("reached %d people (%d distinct), want each of %d once", len(staff), len(slices.Compact(staff)), same+own)
	}
	for _, m := range f.Sent() {
		if len(m.Users) > 1 && !strings.Contains(m.Text, "progress") {
			t.Errorf("a shared message says %q", m.Text)
		}
	}
}
