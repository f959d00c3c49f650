package scheduler_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/database"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/internal/testkit"
	"github.com/collabot/collabot/scheduler"
)

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

// at reads "2026-11-24 17:00" in Shanghai.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// world is the demo organisation on a real SQLite file with the shipped
// 2026 calendar, and a scheduler over it.
type world struct {
	t      testing.TB
	ctx    context.Context
	path   string
	store  store.Backend
	cal    *calendar.Calendar
	dir    *bot.Directory
	sched  *scheduler.Scheduler
	digest bool // the weekly digest is on
}

const ws bot.Workspace = "demo"

func newWorld(t testing.TB) *world {
	t.Helper()
	cfg, err := config.LoadDemo(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	// A 2027 file (with no holidays in it) so that the tests, which live
	// in late 2026, are not told the calendar ends: TestCalendarMissing is.
	next := filepath.Join(t.TempDir(), "2027.yaml")
	if err := os.WriteFile(next, []byte("year: 2027\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg.Business.Files = append(cfg.Business.Files, next)
	cal, err := cfg.Calendar(quiet())
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, ctx: context.Background(), path: filepath.Join(t.TempDir(), "collabot.db"), cal: cal, dir: cfg.Directory()}
	w.store = w.open()
	w.sched = w.scheduler(w.store)
	return w
}

func (w *world) open() store.Backend {
	w.t.Helper()
	s, err := database.Open(w.ctx, testkit.Database(w.t, w.path), database.Options{Log: quiet()})
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := s.Migrate(w.ctx); err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { s.Close() })
	return s
}

func (w *world) scheduler(s store.Backend) *scheduler.Scheduler {
	// The weekly digest goes to every head and leader on Mondays: the
	// tests of one collaboration's timers leave it out, TestWeeklyDigest
	// switches it on.
	p := scheduler.DefaultPolicy()
	p.WeeklyDigest.On = w.digest
	return &scheduler.Scheduler{Store: s, Calendar: w.cal, Policy: p,
		Workspaces: map[bot.Workspace]*bot.Directory{ws: w.dir}, Log: quiet()}
}

func (w *world) as(id string) bot.Actor { return w.dir.Actor(bot.PersonID(id)) }

// change applies fn to a collaboration in one transaction, as the engine does.
func (w *world) change(id bot.CollabID, fn func(c *bot.Collaboration, tx bot.Tx) error) {
	w.t.Helper()
	if err := w.store.Apply(w.ctx, ws, "", func(tx bot.Tx) error {
		c, err := tx.Collaboration(w.ctx, id)
		if err != nil {
			return err
		}
		if err := fn(c, tx); err != nil {
			return err
		}
		return tx.Save(w.ctx, c)
	}); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) next(tx bot.Tx, kind bot.IDKind) int64 {
	n, err := tx.NextID(w.ctx, kind)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// submit files carol's request to 研发部 (ben) and 财务部 (fiona) at when.
func (w *world) submit(when time.Time) bot.CollabID {
	w.t.Helper()
	var id bot.CollabID
	if err := w.store.Apply(w.ctx, ws, "", func(tx bot.Tx) error {
		id = bot.CollabID(w.next(tx, bot.KindCollab))
		c, err := bot.NewCollaboration(w.dir, id, w.as("carol"), bot.Request{
			Topic: "双十二活动支持", Goal: "活动页面按时上线", Requirements: "接口与预算",
			Departments: []bot.Assignment{{Department: "研发部"}, {Department: "财务部"}},
			Due:         when.AddDate(0, 1, 0),
		}, when)
		if err != nil {
			return err
		}
		if err := c.Submit(w.dir, w.as("carol"), when); err != nil {
			return err
		}
		c.Group = "slack:C0PROMO"
		return tx.Save(w.ctx, c)
	}); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// activate submits at when and has both departments accept at once.
func (w *world) activate(when time.Time) bot.CollabID {
	id := w.submit(when)
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		for _, a := range []struct{ who, dept string }{{"ben", "研发部"}, {"fiona", "财务部"}} {
			if err := c.Acknowledge(w.as(a.who), a.dept, bot.Answer{Decision: bot.AckAccepted, Scope: "全部"}, when); err != nil {
				return err
			}
		}
		return nil
	})
	return id
}

// task adds a task owned by owner, due at due.
func (w *world) task(id bot.CollabID, owner, dept string, due, when time.Time) bot.TaskID {
	var tid bot.TaskID
	w.change(id, func(c *bot.Collaboration, tx bot.Tx) error {
		tid = bot.TaskID(w.next(tx, bot.KindTask))
		return c.AddTask(w.dir, w.as("carol"), bot.Task{ID: tid, Title: "接口联调 " + owner, Department: dept,
			Owner: bot.PersonID(owner), Due: due, Standard: "用例通过"}, when)
	})
	return tid
}

func (w *world) tick(s string) scheduler.Report {
	w.t.Helper()
	rep, err := w.sched.Tick(w.ctx, at(s), false)
	if err != nil {
		w.t.Fatal(err)
	}
	return rep
}

// sent lists the new notices of a report as "kind→recipient" (group as #).
func sent(rep scheduler.Report) []string {
	var out []string
	for _, f := range rep.Firings {
		if f.New && f.Outcome == bot.ReminderSent {
			out = append(out, f.Timer+"→"+recipient(f.To))
		}
	}
	sort.Strings(out)
	return out
}

func recipient(p bot.PersonID) string {
	if p == "" {
		return "#"
	}
	return string(p)
}

// outbox lists every notice written so far, "key" sorted.
func (w *world) outbox() []bot.Queued {
	w.t.Helper()
	q, err := w.store.DueNotices(w.ctx, at("2099-01-01 00:00"), 1_000_000)
	if err != nil {
		w.t.Fatal(err)
	}
	return q
}

// reminders keeps only the scheduler's notices, as "kind→recipient".
func (w *world) reminders() []string {
	var out []string
	for _, q := range w.outbox() {
		if strings.HasPrefix(q.Notice.Key, "timer/") {
			out = append(out, q.Notice.Kind+"→"+recipient(q.Notice.To))
		}
	}
	sort.Strings(out)
	return out
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}
