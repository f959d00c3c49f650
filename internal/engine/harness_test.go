package engine_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/dispatch"
	"github.com/collabot/collabot/internal/engine"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/internal/testkit"
)

// monday is when every test starts: Monday 2026-11-23 10:00 in Shanghai.
var monday = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// harness is the bot as the terminal chat runs it, on a real SQLite file
// with the demo organisation, driven by typed lines.
type harness struct {
	t     testing.TB
	path  string
	clock *console.Clock
	store store.Backend
	eng   *engine.Engine
	cfg   *config.Config
	ws    bot.Workspace
	// sent collects every notice delivered through chat, as queued.
	sent []bot.Notice
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{t: t, path: filepath.Join(t.TempDir(), "collabot.db"), clock: console.NewClock(monday)}
	h.open("")
	return h
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// open starts the bot on the harness's database, as a restart would.
func (h *harness) open(ws bot.Workspace) {
	h.t.Helper()
	demo := testkit.OpenDemo(h.t, h.path, h.clock, ws)
	h.cfg, h.ws, h.store, h.eng = demo.Config, demo.Workspace(), demo.Store, demo.Engine
}

// restart closes the store and starts a new engine on the same file.
func (h *harness) restart() {
	h.store.Close()
	h.open(h.ws)
}

// chat types script into the terminal chat and returns what it printed.
func (h *harness) chat(script string) string {
	h.t.Helper()
	var out bytes.Buffer
	c := &console.Console{Workspace: h.ws, Handler: h.eng, In: strings.NewReader(script), Out: &out,
		As: "amy", Clock: h.clock, Location: h.cfg.Location()}
	d := h.dispatcher(c)
	c.Deliver = func(ctx context.Context) error { _, err := d.DrainAll(ctx); return err }
	if err := c.Run(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	return out.String()
}

// dispatcher delivers the outbox through to, noting each notice in h.sent.
func (h *harness) dispatcher(to bot.Sender) *dispatch.Dispatcher {
	h.t.Helper()
	render := func(ctx context.Context, ws bot.Workspace, n bot.Notice) (bot.Notification, error) {
		h.sent = append(h.sent, n)
		return h.eng.Notification(ctx, ws, n)
	}
	d, err := dispatch.New(dispatch.Options{Outbox: h.store, Render: render, Fallback: to, Clock: h.clock, Log: quiet()})
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// at moves the clock to a moment in Shanghai, runs the scheduler there
// and delivers what it queued.
func (h *harness) at(moment string) {
	h.t.Helper()
	if _, err := h.clock.Set(moment, h.cfg.Location()); err != nil {
		h.t.Fatal(err)
	}
	h.tick(h.clock.Now())
	if _, err := h.dispatcher(&console.Console{Out: io.Discard}).DrainAll(context.Background()); err != nil {
		h.t.Fatal(err)
	}
}

// collab reads a collaboration straight from the store.
func (h *harness) collab(id bot.CollabID) *bot.Collaboration {
	h.t.Helper()
	var c *bot.Collaboration
	err := h.store.View(context.Background(), h.ws, func(tx bot.Tx) error {
		var err error
		c, err = tx.Collaboration(context.Background(), id)
		return err
	})
	if err != nil {
		h.t.Fatalf("%s: %v", id, err)
	}
	return c
}

func mustContain(t testing.TB, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

// pastedRequest is the request form as a Chinese user pastes it.
const pastedRequest = `"""
协作主题: 新品推广接口调试
协作背景与目标: Q4 新品上线,3 个工作日内完成接口调试
需协助部门: 研发部、财务部
具体需求描述: 完成产品接口调试并提供测试报告
交付物: 测试报告
交付标准: 用例全部通过
期望完成时间: 2026-12-18
"""
`

// fileRequest has amy file the request and alice (the head of 市场部,
// where first review is on) approve it.
func (h *harness) fileRequest() {
	h.t.Helper()
	out := h.chat(":as amy\n发起协作\n" + pastedRequest + "确认\n:as alice\n初审 COL-1 通过\n")
	mustContain(h.t, out, "COL-1")
	if c := h.collab(1); c.Status != bot.StatusAwaitingAck {
		h.t.Fatalf("after filing and review: %s\n%s", c.Status, out)
	}
}
