package dispatch_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	slackadapter "github.com/collabot/collabot/adapters/slack"
	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/dispatch"
)

// stamped records when, on the dispatcher's clock, the platform accepted
// each notification.
type stamped struct {
	bot.Sender
	clock bot.Clock
	mu    sync.Mutex
	at    []time.Time
}

func (s *stamped) Send(ctx context.Context, n bot.Notification) error {
	if err := s.Sender.Send(ctx, n); err != nil {
		return err
	}
	s.mu.Lock()
	s.at = append(s.at, s.clock.Now())
	s.mu.Unlock()
	return nil
}

// TestSlackChannelPacedAndThrottled drives the real Slack adapter against
// the local Slack from a real SQLite outbox: 200 notifications to one
// channel go out no faster than one a second, a 429 with Retry-After: 2
// halfway holds the channel at least 2 s, and every one is posted exactly
// once. Time is the dispatcher's clock, stepped by the test.
func TestSlackChannelPacedAndThrottled(t *testing.T) {
	c := newClock()
	st := openStore(t, "", c)
	const n = 200
	err := st.Apply(context.Background(), "acme", "", func(tx bot.Tx) error {
		for i := range n {
			no := notice(key(i), "", "slack:C0OPS")
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
	f := slackfake.New(t)
	s := &stamped{Sender: slackAdapter(t, f, c), clock: c}
	d := newDispatcher(t, dispatch.Options{Outbox: st, Senders: []bot.Sender{s}, Clock: c, Log: quietLog()})

	throttledAt := -1
	for end := c.Now().Add(10 * time.Minute); c.Now().Before(end); c.Add(100 * time.Millisecond) {
		if _, err := d.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		sent := len(s.at)
		s.mu.Unlock()
		if sent == n/2 && throttledAt < 0 {
			f.SetThrottle("chat.postMessage", 2)
			throttledAt = sent
		}
		if sent == n {
			break
		}
	}
	posts := f.PostsTo("C0OPS")
	seen := map[string]int{}
	for _, p := range posts {
		seen[p.Text]++
	}
	for i := range n {
		if k := seen["BODY "+key(i)]; k != 1 {
			t.Errorf("notification %d posted %d times", i, k)
		}
	}
	if len(s.at) != n {
		t.Fatalf("%d of %d accepted", len(s.at), n)
	}
	for i := 1; i < n; i++ {
		gap := s.at[i].Sub(s.at[i-1])
		if gap < time.Second {
			t.Errorf("posts %d and %d %v apart, want ≥ 1 s", i-1, i, gap)
		}
		if i == throttledAt && gap < 2*time.Second {
			t.Errorf("after the 429 the next post came %v later, want ≥ 2 s (Retry-After)", gap)
		}
	}
	if got := f.Count("chat.postMessage"); got != n+1 {
		t.Errorf("%d chat.postMessage calls, want %d and the one 429", got, n)
	}
	t.Logf("%d posts over %v of clock time; the 429 after %d held the channel %v",
		n, s.at[n-1].Sub(s.at[0]), throttledAt, s.at[throttledAt].Sub(s.at[throttledAt-1]))
}

type nopHandler struct{}

func (nopHandler) Handle(context.Context, bot.Message) ([]bot.Reply, error) { return nil, nil }

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// dying is a process killed mid-send: its Send posts (or not) and then
// never returns, so nothing after it — MarkSent — ever runs.
type dying struct {
	bot.Sender
	post    bool
	entered chan struct{}
	release chan struct{}
}

func (d *dying) Send(ctx context.Context, n bot.Notification) error {
	var err error
	if d.post {
		err = d.Sender.Send(ctx, n)
	}
	close(d.entered)
	<-d.release
	return err
}

// TestSlackRowInDoubtLookedUpBeforeResending is row 3 of issue 14: a send
// in flight when the process dies. The first dispatcher's send reaches
// Slack (or not) and the process dies before recording it; after the
// claim runs out, a second dispatcher on the same file takes the row. It
// must find the message by its metadata in the channel's history and not
// post it again — and post it once when it is not there.
func TestSlackRowInDoubtLookedUpBeforeResending(t *testing.T) {
	for _, tc := range []struct {
		name   string
		to     string
		where  string
		posted bool // the dying send reached Slack
		dm     string
	}{
		{"group, posted before the crash", "", "slack:C0OPS", true, "C0OPS"},
		{"group, not posted", "", "slack:C0OPS", false, "C0OPS"},
		{"direct message, posted before the crash", "bob", "slack:U0BOB", true, "D0BOB"},
		{"direct message, not posted", "bob", "slack:U0BOB", false, "D0BOB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClock()
			path := filepath.Join(t.TempDir(), "collabot.db")
			first := openStore(t, path, c)
			err := first.Apply(context.Background(), "acme", "", func(tx bot.Tx) error {
				no := notice("n/doubt", tc.to, tc.where)
				no.At = t0
				_, err := tx.Enqueue(context.Background(), no)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			f := slackfake.New(t)
			a := slackAdapter(t, f, c)
			die := &dying{Sender: a, post: tc.posted, entered: make(chan struct{}), release: make(chan struct{})}
			d1 := newDispatcher(t, dispatch.Options{Outbox: first, Senders: []bot.Sender{die}, Clock: c, Log: quietLog()})
			done := make(chan struct{})
			go func() { defer close(done); _, _ = d1.Drain(context.Background()) }()
			t.Cleanup(func() { close(die.release); <-done })
			<-die.entered

			// The restart: another handle on the file, after the claim's hold.
			c.Add(3 * time.Minute)
			second := openStore(t, path, c)
			d2 := newDispatcher(t, dispatch.Options{Outbox: second, Senders: []bot.Sender{a}, Clock: c, Log: quietLog()})
			if n, err := d2.Drain(context.Background()); err != nil || n != 1 {
				t.Fatalf("second dispatcher sent %d, %v; want the row marked sent", n, err)
			}
			if got := len(f.PostsTo(tc.dm)); got != 1 {
				t.Errorf("%d messages in %s, want exactly 1", got, tc.dm)
			}
			if tc.posted && f.Count("conversations.history") == 0 {
				t.Error("the row in doubt was not looked up")
			}
			if n, _, err := second.OutboxDepth(context.Background(), c.Now()); err != nil || n != 0 {
				t.Errorf("%d rows left unsent, %v", n, err)
			}
		})
	}
}

func slackAdapter(t testing.TB, f *slackfake.Server, c bot.Clock) *slackadapter.Adapter {
	t.Helper()
	a, err := slackadapter.New(slackadapter.Options{BotToken: slackfake.BotToken, APIURL: f.URL(), Workspace: "acme",
		Handler: nopHandler{}, Clock: c, Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	return a
}
