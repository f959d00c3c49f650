package postgres_test

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/postgres/pgtest"
	"github.com/collabot/collabot/internal/sqlite"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/internal/storetest"
)

// figuresWorld saves collaborations whose board rows exercise every
// branch of the figures: tasks done on time, late and without a date,
// overdue, needing help and blocked (with their timeline entries), a
// cancelled task, a cancelled collaboration (its answers count, its
// pending acknowledgement not), a draft (nothing counts), and risks.
func figuresWorld(t *testing.T, s store.Backend) {
	ctx := context.Background()
	t0 := storetest.T0
	day := 24 * time.Hour
	dir := storetest.Directory("acme")
	task := func(id bot.TaskID, dept string, owner bot.PersonID, due time.Time, st bot.TaskStatus, done time.Time) *bot.Task {
		return &bot.Task{ID: id, Title: "t", Department: dept, Owner: owner, Due: due, Status: st, DoneAt: done, CreatedAt: t0}
	}
	collab := func(id bot.CollabID, st bot.CollabStatus) *bot.Collaboration {
		return &bot.Collaboration{ID: id, Workspace: "acme", Status: st, Requester: "amy", Coordinator: "amy",
			RequestingDept: "市场部", Request: bot.Request{Topic: "topic", Due: t0.Add(10 * day)}, CreatedAt: t0}
	}
	active := collab(1, bot.StatusActive)
	active.Acks = []bot.Acknowledgement{
		{Department: "研发部", Contact: "ben", Status: bot.AckAccepted, AskedAt: t0, At: t0.Add(2 * time.Hour)},
		{Department: "财务部", Contact: "fiona", Status: bot.AckAccepted, AskedAt: t0.Add(time.Hour), At: t0.Add(3 * day)},
	}
	active.Tasks = []*bot.Task{
		task(1, "研发部", "ben", t0.Add(day), bot.TaskDone, t0.Add(12*time.Hour)),
		task(2, "研发部", "ben", t0.Add(day), bot.TaskDone, t0.Add(2*day)),
		task(3, "财务部", "fiona", t0.Add(-day), bot.TaskInProgress, time.Time{}),
		task(4, "研发部", "ben", t0.Add(5*day), bot.TaskInProgress, time.Time{}),
		task(5, "财务部", "fiona", time.Time{}, bot.TaskInProgress, time.Time{}),
		task(6, "研发部", "ben", t0.Add(-day), bot.TaskCancelled, time.Time{}),
		task(7, "财务部", "fiona", t0.Add(day), bot.TaskDone, time.Time{}),
	}
	active.Risks = []*bot.Risk{
		{ID: 1, Department: "研发部", Severity: bot.SeverityHigh, Status: bot.RiskOpen, Owner: "ben"},
		{ID: 2, Department: "财务部", Severity: bot.SeverityLow, Status: bot.RiskResolved, Owner: "fiona"},
	}
	cancelled := collab(2, bot.StatusCancelled)
	cancelled.Acks = []bot.Acknowledgement{
		{Department: "研发部", Contact: "ben", Status: bot.AckAccepted, AskedAt: t0, At: t0.Add(time.Hour)},
		{Department: "财务部", Contact: "fiona", Status: bot.AckPending, AskedAt: t0},
	}
	cancelled.Tasks = []*bot.Task{task(8, "研发部", "ben", t0.Add(-2*day), bot.TaskInProgress, time.Time{})}
	draft := collab(3, bot.StatusDraft)
	draft.Acks = []bot.Acknowledgement{{Department: "研发部", Contact: "ben", Status: bot.AckPending, AskedAt: t0}}
	draft.Tasks = []*bot.Task{task(9, "研发部", "ben", t0.Add(-day), bot.TaskNeedsHelp, time.Time{})}
	draft.Risks = []*bot.Risk{{ID: 3, Department: "研发部", Severity: bot.SeverityHigh, Status: bot.RiskOpen}}

	err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		for _, c := range []*bot.Collaboration{active, cancelled, draft} {
			if err := tx.Save(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Help asked for and a block, through the rules, so the timeline has
	// what the engine writes.
	err = s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		c, err := tx.Collaboration(ctx, 1)
		if err != nil {
			return err
		}
		if err := c.SetTaskStatus(dir.Actor("ben"), 4, bot.TaskNeedsHelp, "需要测试环境", t0.Add(time.Hour)); err != nil {
			return err
		}
		if err := c.SetTaskStatus(dir.Actor("fiona"), 5, bot.TaskBlocked, "waiting", t0.Add(2*time.Hour)); err != nil {
			return err
		}
		return tx.Save(ctx, c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// figures reads everything the figures give, at a few windows, in UTC so
// that two stores' instants compare by value.
func figures(t *testing.T, s store.Backend) (facts []bot.DeptFacts, attention [][]bot.TaskFact) {
	ctx := context.Background()
	t0 := storetest.T0
	day := 24 * time.Hour
	for _, w := range [][2]time.Time{{t0.Add(-7 * day), t0.Add(7 * day)}, {t0, t0.Add(day)}, {t0.Add(2 * time.Hour), t0.Add(2 * day)}} {
		f, err := s.DepartmentFacts(ctx, "acme", w[0], w[1])
		if err != nil {
			t.Fatal(err)
		}
		for i := range f.Acks {
			f.Acks[i].AskedAt, f.Acks[i].At = inUTC(f.Acks[i].AskedAt), inUTC(f.Acks[i].At)
		}
		for i := range f.Tasks {
			f.Tasks[i].Due = inUTC(f.Tasks[i].Due)
		}
		for i := range f.Help {
			f.Help[i].At = inUTC(f.Help[i].At)
		}
		facts = append(facts, f)
	}
	for _, now := range []time.Time{t0, t0.Add(3 * day)} {
		a, err := s.AttentionTasks(ctx, "acme", now)
		if err != nil {
			t.Fatal(err)
		}
		for i := range a {
			a[i].Due, a[i].DoneAt = inUTC(a[i].Due), inUTC(a[i].DoneAt)
		}
		attention = append(attention, a)
	}
	return facts, attention
}

func inUTC(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// TestFiguresAsSQLite: the department figures and the tasks for
// attention read from PostgreSQL are those SQLite reads from the same
// collaborations.
func TestFiguresAsSQLite(t *testing.T) {
	ctx := context.Background()
	clock := bot.ClockFunc(func() time.Time { return storetest.T0 })
	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "collabot.db"), slog.New(slog.NewTextHandler(io.Discard, nil)),
		sqlite.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	if _, err := lite.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	pg := copyStore(t, pgtest.Fresh(t))
	figuresWorld(t, lite)
	figuresWorld(t, pg)
	wantFacts, wantAttention := figures(t, lite)
	gotFacts, gotAttention := figures(t, pg)
	// The store orders rows as it likes where the contract does not say:
	// compare as sets, in a canonical order.
	for i := range wantFacts {
		sortFacts(&wantFacts[i])
		sortFacts(&gotFacts[i])
		if !reflect.DeepEqual(gotFacts[i], wantFacts[i]) {
			t.Errorf("window %d: PostgreSQL\n%+v\nSQLite\n%+v", i, gotFacts[i], wantFacts[i])
		}
	}
	if !reflect.DeepEqual(gotAttention, wantAttention) {
		t.Errorf("attention: PostgreSQL\n%+v\nSQLite\n%+v", gotAttention, wantAttention)
	}
	// The scenario is not empty where it matters: a test that compared
	// nothing would pass.
	f := wantFacts[0]
	if len(f.Acks) != 3 || len(f.Tasks) == 0 || len(f.Help) != 2 || len(f.Risks) != 2 || len(wantAttention[1]) != 4 {
		t.Errorf("the scenario's figures: %d acks, %d task tallies, %d help, %d risks, %d for attention",
			len(f.Acks), len(f.Tasks), len(f.Help), len(f.Risks), len(wantAttention[1]))
	}
}

// sortFacts puts each list of f in one order.
func sortFacts(f *bot.DeptFacts) {
	sortBy(f.Acks)
	sortBy(f.Tasks)
	sortBy(f.Help)
	sortBy(f.Risks)
}

func sortBy[T any](xs []T) {
	slices.SortFunc(xs, func(a, b T) int { return cmp.Compare(fmt.Sprintf("%+v", a), fmt.Sprintf("%+v", b)) })
}
