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
	err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		c, err := file(ctx, tx, dir, "bench")
		if err != nil {
			return err
		}
		for _, d := range []string{"研发部", "财务部"} {
			if err := c.Acknowledge(dir.Actor(map[string]bot.PersonID{"研发部": "ben", "财务部": "fiona"}[d]), d, bot.Answer{Decision: bot.AckAccepted}, t0); err != nil {
				return err
			}
		}
		for n := 1; n <= 40; n++ {
			if err := c.AddTask(dir, dir.Actor("amy"), bot.Task{ID: bot.TaskID(n), Title: "task", Department: "rd",
				Owner: "ben", Due: t0.AddDate(0, 1, 0), Standard: "ok"}, t0); err != nil {
				return err
			}
		}
		return tx.Save(ctx, c)
	})
	if err != nil {
		b.Fatal(err)
	}
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
