package scheduler_test

import (
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// pending plans a task for ben of 研发部 that waits for its head, bob.
func (w *world) pending(id bot.CollabID, due, when time.Time) bot.TaskID {
	var tid bot.TaskID
	w.change(id, func(c *bot.Collaboration, tx bot.Tx) error {
		tid = bot.TaskID(w.next(tx, bot.KindTask))
		return c.AddTaskForConfirmation(w.dir, w.as("carol"), bot.Task{ID: tid, Title: "接口联调", Department: "研发部",
			Owner: "ben", Due: due, Standard: "用例通过"}, when)
	})
	return tid
}

func TestTaskConfirmationTimers(t *testing.T) {
	cases := []struct {
		name  string
		setup func(w *world)
		steps []step
	}{
		{
			name: "planned on Friday: the head is reminded Monday, not over the weekend, then the coordinator",
			setup: func(w *world) {
				id := w.activate(at("2026-11-26 10:00"))
				w.pending(id, at("2026-12-18 18:00"), at("2026-11-27 15:00"))
			},
			steps: []step{
				{"2026-11-28 15:00", nil},
				{"2026-11-29 15:00", nil},
				{"2026-11-30 14:59", nil},
				{"2026-11-30 15:00", []string{"task_confirmation_reminder→bob"}},
				{"2026-11-30 16:00", nil},
				{"2026-12-01 11:00", []string{"task_confirmation_escalation→carol"}},
				{"2026-12-02 11:00", nil},
			},
		},
		{
			name: "a confirmed task is not chased",
			setup: func(w *world) {
				id := w.activate(at("2026-11-26 10:00"))
				tid := w.pending(id, at("2026-12-18 18:00"), at("2026-11-27 15:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					return c.ConfirmTask(w.as("bob"), tid, at("2026-11-27 16:00"))
				})
			},
			steps: []step{{"2026-11-30 15:00", nil}, {"2026-12-01 11:00", nil}},
		},
		{
			name: "a task waiting past its due date is chased as unconfirmed, never as overdue to an owner who was not told",
			setup: func(w *world) {
				id := w.activate(at("2026-11-26 10:00"))
				w.pending(id, at("2026-11-30 12:00"), at("2026-11-27 15:00"))
			},
			steps: []step{
				{"2026-11-30 12:00", nil},
				{"2026-11-30 15:00", []string{"task_confirmation_reminder→bob"}},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			tc.setup(w)
			for _, s := range tc.steps {
				// Only the task timers: the weekly board and the daily
				// progress request have tests of their own.
				var got []string
				for _, f := range sent(w.tick(s.at)) {
					if strings.HasPrefix(f, "task_") {
						got = append(got, f)
					}
				}
				equal(t, "tick at "+s.at, got, s.want)
			}
		})
	}
}
