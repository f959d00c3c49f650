package dingtalk_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/dingtalk"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/engine"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/internal/testkit"
)

// monday is when every test starts: Monday 2026-11-23 10:00 in Shanghai.
var monday = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// People of the demo organisation (configs/demo.yaml) on DingTalk.
var (
	amy   = dingtest.User{StaffID: "staff1002", Nick: "王芳"}
	alice = dingtest.User{StaffID: "manager4821", Nick: "张丽"}
	ben   = dingtest.User{StaffID: "staff2051", Nick: "陈斌"}
	fiona = dingtest.User{StaffID: "staff6410", Nick: "周婷"}
)

// clock is a test clock that moves only when told.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// env is the bot as `collabot serve` runs it with DingTalk: a real engine
// on a SQLite file with the demo organisation, the adapter running the
// real Stream SDK against a fake DingTalk.
type env struct {
	t     testing.TB
	clock *clock
	fake  *dingtest.Fake
	store store.Backend
	eng   *engine.Engine
	ws    bot.Workspace
	ad    *dingtalk.Adapter
}

type envOption func(*dingtalk.Options)

func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	e := &env{t: t, clock: &clock{now: monday}}
	e.fake = dingtest.New(t, e.clock.Now)
	demo := testkit.OpenDemo(t, filepath.Join(t.TempDir(), "collabot.db"), e.clock, "")
	e.ws, e.store, e.eng = demo.Workspace(), demo.Store, demo.Engine
	o := e.options()
	for _, opt := range opts {
		opt(&o)
	}
	var err error
	if e.ad, err = dingtalk.New(o); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) options() dingtalk.Options {
	return dingtalk.Options{ClientID: e.fake.ClientID, ClientSecret: e.fake.ClientSecret, RobotCode: e.fake.RobotCode,
		APIURL: e.fake.URL, Workspace: e.ws, Handler: e.eng, Clock: e.clock, Log: quiet()}
}

// run starts the adapter and waits until it is connected. The returned
// stop (also called when the test ends) stops it and checks that Run
// returned nil.
func (e *env) run() (stop func()) {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.ad.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				e.t.Errorf("Run: %v", err)
			}
		})
	}
	e.t.Cleanup(stop)
	testkit.Eventually(e.t, "the adapter to connect", func() bool {
		select {
		case err := <-done:
			done <- err // for stop
			e.t.Fatalf("Run ended: %v", err)
		default:
		}
		return e.ad.Connected()
	})
	return stop
}

// say delivers what from says in c and waits until it is acknowledged and
// the replies posted to its session contain every want (at least one
// reply if there is no want). It returns the replies' text.
func (e *env) say(c dingtest.Chat, from dingtest.User, text string, wants ...string) string {
	e.t.Helper()
	fr := e.fake.Message(c, from, text)
	e.fake.Deliver(fr)
	return e.answers(fr, wants...)
}

// answers waits for fr's acknowledgement and replies.
func (e *env) answers(fr dingtest.Frame, wants ...string) string {
	e.t.Helper()
	var got string
	e.fake.WaitFor(e.t, "the answer to "+fr.ID()+" containing "+strings.Join(wants, ", "), func(v *dingtest.View) bool {
		if v.Acked(fr.ID()) == 0 {
			return false
		}
		msgs := session(v.Sent(), fr.Session())
		got = texts(msgs)
		if len(msgs) == 0 {
			return false
		}
		for _, w := range wants {
			if !strings.Contains(got, w) {
				return false
			}
		}
		return true
	})
	return got
}

func session(msgs []dingtest.Message, id string) []dingtest.Message {
	var out []dingtest.Message
	for _, m := range msgs {
		if m.Session == id {
			out = append(out, m)
		}
	}
	return out
}

func texts(msgs []dingtest.Message) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.Text + "\n")
	}
	return b.String()
}

// drain sends the outbox's due notifications through the adapter as the
// dispatcher does (read the outbox, render each notice for its recipient,
// Send, mark it sent) and returns how many went.
func (e *env) drain() int {
	e.t.Helper()
	n, err := e.drainWith(e.ad.Send)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) drainWith(send func(context.Context, bot.Notification) error) (int, error) {
	ctx := context.Background()
	due, err := e.store.DueNotices(ctx, e.clock.Now(), 1000)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, q := range due {
		n, err := e.eng.Notification(ctx, q.Workspace, q.Notice)
		if err != nil {
			return sent, err
		}
		n.ID = q.ID
		if err := send(ctx, n); err != nil {
			return sent, err
		}
		if err := e.store.MarkSent(ctx, q.ID, e.clock.Now()); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// sentTo returns the 1:1 messages the robot sent to staff by the OpenAPI.

// button finds a button by the start of its title.
func button(t testing.TB, m dingtest.Message, title string) dingtest.Button {
	t.Helper()
	b, ok := m.Button(title)
	if !ok {
		t.Fatalf("no button %q in %q (%d buttons)", title, m.Title, len(m.Buttons))
	}
	return b
}

// collab reads a collaboration from the store.
func (e *env) collab(id bot.CollabID) *bot.Collaboration {
	e.t.Helper()
	var c *bot.Collaboration
	err := e.store.View(context.Background(), e.ws, func(tx bot.Tx) error {
		var err error
		c, err = tx.Collaboration(context.Background(), id)
		return err
	})
	if err != nil {
		e.t.Fatalf("%s: %v", id, err)
	}
	return c
}
