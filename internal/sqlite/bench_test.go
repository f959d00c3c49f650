package sqlite_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/collabot/collabot/bot"
)

// BenchmarkApplyFiling measures one inbound event that files a
// collaboration: dedup row, sequence, aggregate, timeline and outbox, with
// synchronous=FULL.
func BenchmarkApplyFiling(b *testing.B) {
	ctx := context.Background()
	s := open(b, "")
	dir := directory("acme")
	i := 0
	for b.Loop() {
		i++
		err := s.Apply(ctx, "acme", "evt-"+strconv.Itoa(i), func(tx bot.Tx) error {
			_, err := file(ctx, tx, dir, "bench")
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyUpdate measures the common event: load a collaboration
// with a few dozen tasks, change one, save.
func BenchmarkApplyUpdate(b *testing.B) {
	ctx := context.Background()
	s := open(b, "")
	dir := directory("acme")
	planned(b, s, dir, 40, true)
	statuses := []bot.TaskStatus{bot.TaskInProgress, bot.TaskTodo}
	i := 0
	for b.Loop() {
		i++
		err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
			c, err := tx.Collaboration(ctx, 1)
			if err != nil {
				return err
			}
			if err := c.SetTaskStatus(dir.Actor("ben"), bot.TaskID(i%40+1), statuses[i/40%2], "", t0); err != nil {
				return err
			}
			return tx.Save(ctx, c)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// planned files collaboration 1 (amy asks 研发部 and 财务部) with tasks
// tasks owned by ben, each accepted by its department if accepted: the
// collaboration the save benchmarks and tests change.
func planned(tb testing.TB, s bot.Store, dir *bot.Directory, tasks int, accepted bool) {
	tb.Helper()
	ctx := context.Background()
	err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		c, err := file(ctx, tx, dir, "bench")
		if err != nil {
			return err
		}
		for _, d := range []struct {
			who  bot.PersonID
			dept string
		}{{"ben", "研发部"}, {"fiona", "财务部"}} {
			if accepted {
				if err := c.Acknowledge(dir.Actor(d.who), d.dept, bot.Answer{Decision: bot.AckAccepted}, t0); err != nil {
					return err
				}
			}
		}
		for n := 1; n <= tasks; n++ {
			if err := c.AddTask(dir, dir.Actor("amy"), bot.Task{ID: bot.TaskID(n), Title: "task", Department: "rd",
				Owner: "ben", Due: t0.AddDate(0, 1, 0), Standard: "ok"}, t0); err != nil {
				return err
			}
		}
		return tx.Save(ctx, c)
	})
	if err != nil {
		tb.Fatal(err)
	}
}
