package redis_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/redis"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/internal/testkit"
)

// logs records what a component logged, to count warnings.
type logs struct {
	mu      sync.Mutex
	records []slog.Record
}

func (l *logs) Enabled(context.Context, slog.Level) bool { return true }
func (l *logs) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r)
	return nil
}
func (l *logs) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logs) WithGroup(string) slog.Handler      { return l }

// count is how many records at level have a message containing msg.
func (l *logs) count(level slog.Level, msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.records {
		if r.Level == level && strings.Contains(r.Message, msg) {
			n++
		}
	}
	return n
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, r := range l.records {
		fmt.Fprintf(&b, "%s %s", r.Level, r.Message)
		r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s", a); return true })
		b.WriteByte('\n')
	}
	return b.String()
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func open(t testing.TB, url, prefix string, log *slog.Logger) *redis.Client {
	t.Helper()
	if log == nil {
		log = quiet()
	}
	c, err := redis.Open(context.Background(), url, prefix, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// monday is the replicas' clock: Monday 2026-11-23 10:00 in Shanghai.
var monday = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// replica is one collabot process: its own store connection on the shared
// SQLite file, its own engine and its own Redis client.
type replica struct {
	store  store.Backend
	client *redis.Client
	h      redis.Handler
	calls  atomic.Int64 // messages that reached the engine
	dups   atomic.Int64 // deliveries Redis kept from it
}

// newReplica wires an engine the way cmd/collabot does, on the demo
// organisation, and puts Dedupe in front of it.
func newReplica(t testing.TB, db, url, prefix string, log *slog.Logger) *replica {
	t.Helper()
	demo := testkit.OpenDemo(t, db, bot.ClockFunc(func() time.Time { return monday }), "")
	store, eng := demo.Store, demo.Engine
	r := &replica{store: store, client: open(t, url, prefix, log)}
	counted := redis.HandlerFunc(func(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
		r.calls.Add(1)
		return eng.Handle(ctx, m)
	})
	// A long wait: under -race and a busy SQLite file a peer's answer can
	// take a while, and a confirmation must not overtake its paste.
	r.h = r.client.Dedupe(counted, redis.DedupeOptions{Wait: 10 * time.Second,
		Duplicate: func(bot.Message) { r.dups.Add(1) }})
	return r
}

const workspace = bot.Workspace("demo") // the demo organisation's

// filing is the two events that file one collaboration: the request form
// pasted with the command, then the confirmation, in a room of its own.
func filing(i int) [2]bot.Message {
	m := bot.Message{Workspace: workspace, Platform: bot.Console, Channel: fmt.Sprintf("room-%d", i),
		From: bot.Identity{Platform: bot.Console, ID: "amy"}, Name: "amy"}
	paste, confirm := m, m
	paste.EventID = fmt.Sprintf("ev%d-paste", i)
	paste.Text = "发起协作\n协作主题: " + topic(i) + `
协作背景与目标: Q4 新品上线,3 个工作日内完成接口调试
需协助部门: 研发部、财务部
具体需求描述: 完成产品接口调试并提供测试报告
交付物: 测试报告
交付标准: 用例全部通过
期望完成时间: 2026-12-18`
	confirm.EventID = fmt.Sprintf("ev%d-confirm", i)
	confirm.Text = "确认"
	return [2]bot.Message{paste, confirm}
}

func topic(i int) string { return fmt.Sprintf("接口调试 %04d", i) }

// answers counts, per event, the deliveries that got an answer: exactly
// one each when every event is applied once.
type answers struct{ m sync.Map }

func (a *answers) add(event string, replies []bot.Reply) {
	if len(replies) == 0 {
		return
	}
	n, _ := a.m.LoadOrStore(event, new(atomic.Int64))
	n.(*atomic.Int64).Add(1)
}

func (a *answers) check(t *testing.T, events []string) {
	t.Helper()
	bad := 0
	for _, e := range events {
		got := int64(0)
		if n, ok := a.m.Load(e); ok {
			got = n.(*atomic.Int64).Load()
		}
		if got != 1 && bad < 5 {
			t.Errorf("event %s answered %d times, want 1", e, got)
		}
		if got != 1 {
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d events not answered exactly once", bad, len(events))
	}
}

// deliver hands filings [from, to) to every replica, each with workers
// goroutines; a room's two events go in order, as a platform sends them.
// Each replica takes the rooms in its own shuffled order, so deliveries of
// one event sometimes overlap and sometimes come one after the other.
func deliver(t *testing.T, reps []*replica, from, to, workers int, got *answers) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(reps)*workers)
	for ri, r := range reps {
		rooms := shuffled(from, to, uint64(ri+1))
		for w := range workers {
			wg.Go(func() {
				for k := w; k < len(rooms); k += workers {
					for _, m := range filing(rooms[k]) {
						replies, err := r.h.Handle(context.Background(), m)
						if err != nil {
							errs <- fmt.Errorf("replica %d, %s: %w", ri, m.EventID, err)
							return
						}
						got.add(m.EventID, replies)
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// shuffled is [from, to) in a fixed pseudo-random order.
func shuffled(from, to int, seed uint64) []int {
	out := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	x := seed*0x9E3779B97F4A7C15 + 1
	for i := len(out) - 1; i > 0; i-- {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		j := int(x % uint64(i+1))
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func eventIDs(from, to int) []string {
	var ids []string
	for i := from; i < to; i++ {
		for _, m := range filing(i) {
			ids = append(ids, m.EventID)
		}
	}
	return ids
}

// checkCollabs asserts that filings [0, n) filed exactly one
// collaboration each.
func checkCollabs(t *testing.T, store bot.Store, n int) {
	t.Helper()
	var list []*bot.Collaboration
	err := store.View(context.Background(), workspace, func(tx bot.Tx) error {
		var err error
		list, err = tx.Collaborations(context.Background(), bot.Filter{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, c := range list {
		seen[c.Request.Topic]++
	}
	if len(list) != n {
		t.Errorf("%d collaborations, want %d", len(list), n)
	}
	for i := range n {
		if seen[topic(i)] != 1 {
			t.Errorf("%q filed %d times, want 1", topic(i), seen[topic(i)])
		}
	}
}

func dbPath(t testing.TB) string { return filepath.Join(t.TempDir(), "collabot.db") }

const slogWarn = slog.LevelWarn

func slogTo(l *logs) *slog.Logger { return slog.New(l) }
