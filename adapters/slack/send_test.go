package slack

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
)

func notice(to bot.PersonID, group string, accounts ...bot.Identity) bot.Notification {
	return bot.Notification{ID: 7, To: to, Group: group, Accounts: accounts, Kind: "ack_requested", Collab: 1,
		Reply: bot.Reply{Title: "COL-1 · 请确认协作需求", Body: "王芳 Amy 请**运营部**协助:「新品推广」",
			Buttons: []bot.Button{{Label: "承接 Accept", Action: "command", Value: "ack COL-1 accept", Style: "primary"}}}}
}

func TestSend(t *testing.T) {
	slackAlice := bot.Identity{Platform: bot.Slack, ID: "U0ALICE"}
	tests := []struct {
		name    string
		n       bot.Notification
		channel string // where it lands; "" when undeliverable
	}{
		{"to a person's DM", notice("alice", "slack:C0G", bot.Identity{Platform: bot.DingTalk, ID: "m1"}, slackAlice), "D0ALICE"},
		{"to the group", notice("", "slack:C0G"), "C0G"},
		{"to a person without Slack", notice("ben", "slack:C0G", bot.Identity{Platform: bot.DingTalk, ID: "s2"}), ""},
		{"to a DingTalk group", notice("", "dingtalk:cid123"), ""},
		{"to no group", notice("", ""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := slackfake.New(t)
			a := newAdapter(t, adapterOpts(f, &countingHandler{}, nil))
			err := a.Send(context.Background(), tt.n)
			if tt.channel == "" {
				if !errors.Is(err, bot.ErrUndeliverable) {
					t.Fatalf("err = %v, want undeliverable", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := f.WaitPost(tt.channel, "请确认协作需求")
			if !strings.Contains(p.Text, "*运营部*") || !p.HasButtons() {
				t.Errorf("posted %q with blocks %s", p.Text, p.Render())
			}
		})
	}
}

// TestSendOpensDMOnce: the DM channel is opened once and remembered, and
// opened afresh when Slack no longer knows it.
func TestSendOpensDMOnce(t *testing.T) {
	f := slackfake.New(t)
	a := newAdapter(t, adapterOpts(f, &countingHandler{}, nil))
	n := notice("alice", "", bot.Identity{Platform: bot.Slack, ID: "U0ALICE"})
	for range 3 {
		if err := a.Send(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.Count("conversations.open"); got != 1 {
		t.Errorf("conversations.open called %d times", got)
	}
	f.Fail("chat.postMessage", "channel_not_found")
	if err := a.Send(context.Background(), n); err == nil {
		t.Fatal("a failed post reported success")
	}
	if err := a.Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if got := f.Count("conversations.open"); got != 2 {
		t.Errorf("conversations.open called %d times, want the DM reopened", got)
	}
}

// TestSendThrottled: a 429 with Retry-After: 2 comes back as
// *bot.Throttled asking for at least 2 s; Send itself does not wait, and
// the retry the dispatcher makes delivers the message exactly once.
func TestSendThrottled(t *testing.T) {
	for _, method := range []string{"chat.postMessage", "conversations.open"} {
		t.Run(method, func(t *testing.T) {
			f := slackfake.New(t)
			a := newAdapter(t, adapterOpts(f, &countingHandler{}, nil))
			n := notice("alice", "", bot.Identity{Platform: bot.Slack, ID: "U0ALICE"})
			f.SetThrottle(method, 2)
			err := a.Send(context.Background(), n)
			var th *bot.Throttled
			if !errors.As(err, &th) {
				t.Fatalf("err = %v, want *bot.Throttled", err)
			}
			if after, _ := bot.RetryAfter(err); after < 2*time.Second {
				t.Errorf("retry after %s, want at least 2s", after)
			}
			if len(f.PostsTo("D0ALICE")) != 0 {
				t.Fatal("a throttled send posted")
			}
			if err := a.Send(context.Background(), n); err != nil {
				t.Fatal(err)
			}
			if got := len(f.PostsTo("D0ALICE")); got != 1 {
				t.Errorf("%d messages after the retry", got)
			}
		})
	}
}

// TestReplyWaitsOutRateLimit: a reply hit by a 429 is posted once the
// wait is over, exactly once.
func TestReplyWaitsOutRateLimit(t *testing.T) {
	f := slackfake.New(t)
	a := newAdapter(t, adapterOpts(f, &countingHandler{}, nil))
	f.SetThrottle("chat.postMessage", 1)
	a.deliver(context.Background(), route{channel: "C1"}, pack([]bot.Reply{{Body: "hello"}}))
	if got := len(f.PostsTo("C1")); got != 1 {
		t.Fatalf("%d messages", got)
	}
	if got := f.Count("chat.postMessage"); got != 2 {
		t.Errorf("%d calls, want the 429 and the post", got)
	}
}

// TestSendToAChannelWithoutTheBot: a private channel the bot was never
// invited to is undeliverable for now, not an error to retry at once.
func TestSendToAChannelWithoutTheBot(t *testing.T) {
	f := slackfake.New(t)
	a := newAdapter(t, adapterOpts(f, &countingHandler{}, nil))
	f.Fail("chat.postMessage", "not_in_channel")
	if err := a.Send(context.Background(), notice("", "slack:G0PRIVATE")); !errors.Is(err, bot.ErrUndeliverable) {
		t.Fatalf("err = %v", err)
	}
}

// TestSendReusesConnections: posts made at once, then again, go over the
// connections the first ones opened. Go's default transport keeps two
// idle connections per host, so each later burst opened (and, on Slack,
// TLS-handshook) a fresh connection for every post beyond the second.
func TestSendReusesConnections(t *testing.T) {
	const burst = 8
	f := slackfake.New(t)
	// Slow answers, so the burst's posts are all in flight together.
	f.SetLatency("chat.postMessage", 200*time.Millisecond)
	a := newAdapter(t, adapterOpts(f, &countingHandler{}, nil))
	send := func() {
		var wg sync.WaitGroup
		for i := range burst {
			wg.Go(func() {
				n := notice("", "slack:C0G"+strconv.Itoa(i))
				if err := a.Send(context.Background(), n); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	send()
	first := f.HTTPConnections()
	for range 3 {
		send()
	}
	if opened := f.HTTPConnections() - first; opened > 0 {
		t.Errorf("later bursts of %d posts opened %d more connections (the first opened %d): idle connections were dropped",
			burst, opened, first)
	}
}
