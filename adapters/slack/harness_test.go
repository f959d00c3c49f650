package slack

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/engine"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/internal/testkit"
)

// monday is when every test lives: Monday 2026-11-23 10:00 in Shanghai.
var monday = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

const testSecret = "test-signing-secret"

func quiet() *slog.Logger {
	if os.Getenv("COLLABOT_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// world is the bot as serve runs it, minus the platform: the demo
// organisation, a real SQLite file and the engine.
type world struct {
	t     testing.TB
	path  string
	cfg   *config.Config
	store store.Backend
	eng   *engine.Engine
	clock bot.Clock
}

func newWorld(t testing.TB) *world {
	return openWorld(t, filepath.Join(t.TempDir(), "collabot.db"))
}

// openWorld starts an engine on path; two worlds on one path are two
// replicas sharing a store.
func openWorld(t testing.TB, path string) *world {
	t.Helper()
	w := &world{t: t, path: path, clock: bot.ClockFunc(func() time.Time { return monday })}
	demo := testkit.OpenDemo(t, path, w.clock, "")
	w.cfg, w.store, w.eng = demo.Config, demo.Store, demo.Engine
	return w
}

func (w *world) ws() bot.Workspace { return bot.Workspace(w.cfg.Workspace) }

// collabs counts the collaborations in the store.
func (w *world) collabs() []*bot.Collaboration {
	w.t.Helper()
	var list []*bot.Collaboration
	err := w.store.View(context.Background(), w.ws(), func(tx bot.Tx) error {
		var err error
		list, err = tx.Collaborations(context.Background(), bot.Filter{Limit: 100})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return list
}

func (w *world) collab(id bot.CollabID) *bot.Collaboration {
	w.t.Helper()
	var c *bot.Collaboration
	err := w.store.View(context.Background(), w.ws(), func(tx bot.Tx) error {
		var err error
		c, err = tx.Collaboration(context.Background(), id)
		return err
	})
	if err != nil {
		w.t.Fatalf("%s: %v", id, err)
	}
	return c
}

// drain delivers every due notification through the adapter's Send, as
// the dispatcher will: rendered by the engine from the outbox, marked sent
// once Slack took it. Notices for people without a Slack account are set
// aside for a day.
func (w *world) drain(a *Adapter) int { return w.drainAt(a, monday) }

// adapterOpts are the options of an adapter on the fake Slack.
func adapterOpts(f *slackfake.Server, h Handler, w *world) Options {
	o := Options{BotToken: slackfake.BotToken, SigningSecret: testSecret, APIURL: f.URL(), Handler: h,
		Clock: bot.ClockFunc(func() time.Time { return monday }), Log: quiet(), Lang: bot.Chinese}
	if w != nil {
		o.Workspace, o.FormService, o.Directory, o.Lang = w.ws(), w.eng, w.cfg.Directory(), w.cfg.Lang()
	}
	return o
}

func newAdapter(t testing.TB, o Options) *Adapter {
	t.Helper()
	a, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := a.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	})
	return a
}

// socketWorld is the bot on the fake Slack over Socket Mode, connected.
func socketWorld(t testing.TB, f *slackfake.Server) (*world, *Adapter) {
	t.Helper()
	w := newWorld(t)
	o := adapterOpts(f, w.eng, w)
	o.AppToken = slackfake.AppToken
	a := newAdapter(t, o)
	runSocket(t, f, a)
	return w, a
}

// runSocket starts Socket Mode and waits until it is connected.
func runSocket(t testing.TB, f *slackfake.Server, a *Adapter) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("run did not return after cancel")
		}
	})
	f.WaitFor("the adapter to connect", func(s *slackfake.State) bool { return s.Connected() })
	deadline := time.Now().Add(20 * time.Second)
	for !a.Connected() {
		if time.Now().After(deadline) {
			t.Fatal("adapter not connected")
		}
		time.Sleep(5 * time.Millisecond) // polling a flag with a deadline
	}
}

// httpServer serves the adapter's routes.
func httpServer(t testing.TB, a *Adapter) *httptest.Server {
	mux := http.NewServeMux()
	a.Mount(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// signed posts body to the adapter as Slack would, signed at now.
func signed(t testing.TB, url, contentType, body string, headers ...string) *http.Response {
	t.Helper()
	ts := strconv.FormatInt(monday.Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slackfake.Sign(testSecret, ts, []byte(body)))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// countingHandler is an engine stand-in that counts calls.
type countingHandler struct {
	mu    sync.Mutex
	calls []bot.Message
	reply func(bot.Message) []bot.Reply
}

func (h *countingHandler) Handle(_ context.Context, m bot.Message) ([]bot.Reply, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, m)
	if h.reply != nil {
		return h.reply(m), nil
	}
	return []bot.Reply{{Body: "ok"}}, nil
}

func (h *countingHandler) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.calls)
}
