package slack

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/dispatch"
)

// dyingHandler is a process killed right after the engine committed: the
// event is recorded but nothing after the commit ever runs in it: it is
// never acknowledged (past the ack budget the adapter refuses it, as a
// dead process would leave it unanswered), and Slack delivers it again.
type dyingHandler struct {
	h         Handler
	committed chan struct{}
	release   chan struct{}
}

func (d *dyingHandler) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	r, err := d.h.Handle(ctx, m)
	close(d.committed)
	<-d.release
	return r, err
}

// durableWorld is serve's wiring on the fake Slack: an adapter with
// durable replies and a dispatcher draining the same store through it.
func durableWorld(t *testing.T, f *slackfake.Server, w *world, h Handler) (*Adapter, *dispatch.Dispatcher) {
	t.Helper()
	o := adapterOpts(f, h, w)
	o.DurableReplies = true
	o.AckBudget = 200 * time.Millisecond
	a := newAdapter(t, o)
	d, err := dispatch.New(dispatch.Options{Outbox: w.store, Render: w.eng.Notification, Senders: []bot.Sender{a},
		Log: quiet(), Jitter: func() float64 { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	return a, d
}

// TestReplyOutlivesACrashAfterTheAck is row 4 of issue 14: amy pastes a
// request; the engine records it, and the process dies before the answer
// is posted (here even before the ack: since issue 19 nothing is
// acknowledged before it is recorded, so the ack never precedes the commit). Slack redelivers the event
// to the restarted bot, which rightly sees a duplicate — and the answer,
// recorded with the event, still reaches amy, once.
func TestReplyOutlivesACrashAfterTheAck(t *testing.T) {
	f := slackfake.New(t)
	w := newWorld(t)
	paste := slackfake.MessageEvent("EvPaste", "D0AMY", "U0AMY", pastedRequest, map[string]any{"ts": "1700000008.000100"})

	die := &dyingHandler{h: w.eng, committed: make(chan struct{}), release: make(chan struct{})}
	first, _ := durableWorld(t, f, w, die)
	t.Cleanup(func() { close(die.release) })
	res := signed(t, httpServer(t, first).URL+"/slack/events", jsonType, mustJSON(t, paste))
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("first delivery: status %d, want 503 (never acknowledged)", res.StatusCode)
	}
	<-die.committed

	// The restart: a new adapter and dispatcher on the same store.
	again, d := durableWorld(t, f, w, w.eng)
	postEvent(t, httpServer(t, again).URL, paste, 1)
	settle(t, again)
	if _, err := d.DrainAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := d.DrainAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	var answers []slackfake.Posted
	for _, p := range f.PostsTo("D0AMY") {
		if strings.Contains(p.Text+p.Render(), "请确认") {
			answers = append(answers, p)
		}
	}
	if len(answers) != 1 {
		t.Fatalf("amy got %d answers to her request, want 1", len(answers))
	}
	if m := answers[0].Metadata; m == nil || m.EventPayload["key"] != string(w.ws())+"/reply/slack:EvPaste" {
		t.Errorf("the answer's metadata is %+v, want the row's key", m)
	}
}

// TestReplyWaitsOutAStorm is rows 5 and 6 of issue 14: Slack answers 429
// to everything for 4 s while amy's answer and a notice to the same DM
// are due. Neither is dropped, and nothing is posted to the channel
// before the Retry-After Slack gave for it ended.
func TestReplyWaitsOutAStorm(t *testing.T) {
	f := slackfake.New(t)
	w := newWorld(t)
	a, d := durableWorld(t, f, w, w.eng)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx, 50*time.Millisecond) }()
	t.Cleanup(func() { cancel(); <-done })

	// Something else for amy's DM is due too (another event's answer).
	other := bot.Message{Platform: bot.Slack, Channel: "D0AMY", Direct: true, From: bot.Identity{Platform: bot.Slack, ID: "U0AMY"},
		ReplyTo: encodeHandle(route{user: "U0AMY"})}
	err := w.store.Apply(ctx, w.ws(), "", func(tx bot.Tx) error {
		_, err := tx.Enqueue(ctx, bot.ReplyNotice("slack:EvOther", other, []bot.Reply{{Body: "the other answer"}}, monday))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f.Storm(time.Now().Add(4*time.Second), 1)
	postEvent(t, httpServer(t, a).URL,
		slackfake.MessageEvent("EvStorm", "D0AMY", "U0AMY", pastedRequest, map[string]any{"ts": "1700000008.000100"}), 0)
	d.Kick()
	f.WaitPost("D0AMY", "请确认")
	f.WaitPost("D0AMY", "the other answer")
	if early := f.Early(); len(early) > 0 {
		t.Errorf("%d calls to a channel before its Retry-After ended, first %+v", len(early), early[0])
	}
	if f.Throttled() == 0 {
		t.Error("the storm throttled nothing")
	}
}

// TestFromMemoryWaitsForTheDispatchersHold: an answer the adapter posts
// itself (a slash command's follow-up) waits while the dispatcher holds
// the person's DMs after a 429, and a 429 it gets holds them for the
// dispatcher: one Retry-After for every post to the channel.
func TestFromMemoryWaitsForTheDispatchersHold(t *testing.T) {
	f := slackfake.New(t)
	lim := dispatch.NewMemory()
	o := adapterOpts(f, &slowHandler{}, nil)
	o.Pacer = dispatch.NewPacer(lim, bot.Slack, bot.SystemClock)
	a := newAdapter(t, o)
	ctx := context.Background()
	held := time.Now().Add(time.Second)
	if err := lim.Hold(ctx, "channel:slack:@U0AMY", held); err != nil {
		t.Fatal(err)
	}
	a.deliver(ctx, route{channel: "D0AMY", user: "U0AMY"}, pack([]bot.Reply{{Body: "first"}}))
	if p := f.WaitPost("D0AMY", "first"); time.Now().Before(held) {
		t.Errorf("posted %+v before the hold ended", p)
	}
	f.SetThrottle("chat.postMessage", 1)
	a.deliver(ctx, route{channel: "D0AMY", user: "U0AMY"}, pack([]bot.Reply{{Body: "second"}}))
	f.WaitPost("D0AMY", "second")
	if ok, _, _ := lim.Take(ctx, "channel:slack:@U0AMY", dispatch.Rate{}, time.Now().Add(-500*time.Millisecond)); ok {
		t.Error("the 429 the adapter got did not hold the channel for the dispatcher")
	}
	if early := f.Early(); len(early) > 0 {
		t.Errorf("%d posts before Retry-After: %+v", len(early), early)
	}
}

// TestResendLooksWhereTheReplyWent: a reply in doubt is looked for where
// it was posted — the channel's history, or the thread's replies — and
// posted again only when it is not there, part by part.
func TestResendLooksWhereTheReplyWent(t *testing.T) {
	for _, tc := range []struct {
		name, thread, method string
		posted               bool
	}{
		{"channel, posted", "", "conversations.history", true},
		{"channel, not posted", "", "conversations.history", false},
		{"thread, posted", "1700000001.000100", "conversations.replies", true},
		{"thread, not posted", "1700000001.000100", "conversations.replies", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := slackfake.New(t)
			a := newAdapter(t, adapterOpts(f, &slowHandler{}, nil))
			ctx := context.Background()
			n := bot.Notification{ID: 7, Key: "acme/reply/slack:Ev7", Kind: bot.KindReply, Group: "slack:C0OPS",
				Handle: encodeHandle(route{thread: tc.thread, user: "U0AMY"}), Replies: []bot.Reply{{Body: "the answer"}}}
			since := time.Now()
			if tc.posted {
				if err := a.Send(ctx, n); err != nil {
					t.Fatal(err)
				}
			}
			if err := a.Resend(ctx, n, since); err != nil {
				t.Fatal(err)
			}
			posts := f.PostsTo("C0OPS")
			if len(posts) != 1 || posts[0].Thread != tc.thread {
				t.Errorf("%d posts %+v, want one in thread %q", len(posts), posts, tc.thread)
			}
			if f.Count(tc.method) != 1 {
				t.Errorf("%s called %d times, want once", tc.method, f.Count(tc.method))
			}
		})
	}
}
