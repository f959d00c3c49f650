package scheduler_test

import (
	"testing"

	"github.com/collabot/collabot/bot"
)

// loanUntilFriday has carol borrow two testers from 研发部 (bob, its head,
// approves) until Friday 2026-12-18 18:00: the due-soon reminder is due
// Thursday 17:00, the overdue notice Monday 12-21 18:00.
func loanUntilFriday(t *testing.T, w *world) bot.CollabID {
	t.Helper()
	id := w.file(typeDef(t, "resource"), bot.Request{Topic: "借调测试工程师", Goal: "双十二回归测试",
		Departments: []bot.Assignment{{Department: "研发部"}},
		Resource: &bot.Resource{Kind: "people", What: "测试工程师", Quantity: "2人",
			From: at("2026-12-07 09:00"), Until: at("2026-12-18 18:00"), Boundaries: "仅回归测试"}},
		at("2026-12-04 10:00"))
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		return c.Acknowledge(w.as("bob"), "研发部", bot.Answer{Decision: bot.AckAccepted}, at("2026-12-04 11:00"))
	})
	return id
}

// TestReturnDueSoonNeverAfterTheEnd: a "due soon" reminder that could not
// go before the loan ended (the bot was down, the borrower snoozed) is
// skipped, and the ledger says so; the overdue notice alone follows.
func TestReturnDueSoonNeverAfterTheEnd(t *testing.T) {
	t.Run("on time", func(t *testing.T) {
		w := newWorld(t)
		loanUntilFriday(t, w)
		run(t, w, []step{
			{"2026-12-17 16:59", nil},
			{"2026-12-17 17:00", []string{"return_reminder→bob", "return_reminder→carol"}},
		})
	})
	t.Run("the bot down from Thursday to Monday", func(t *testing.T) {
		w := newWorld(t)
		loanUntilFriday(t, w)
		w.tick("2026-12-17 16:00")
		rep := w.tick("2026-12-21 10:00")
		equal(t, "sent on Monday", sent(rep), nil)
		equal(t, "skipped on Monday", outcomes(rep, bot.ReminderSkipped), []string{"return_reminder→bob", "return_reminder→carol"})
		equal(t, "at 18:00", sent(w.tick("2026-12-21 18:00")), []string{"return_escalation→bob", "return_escalation→carol", "return_escalation→henry", "return_escalation→lily"})
	})
	t.Run("the borrower snoozed past the end", func(t *testing.T) {
		w := newWorld(t)
		loanUntilFriday(t, w)
		if err := w.store.Apply(w.ctx, ws, "", func(tx bot.Tx) error {
			return tx.SaveSettings(w.ctx, "carol", bot.Settings{SnoozeUntil: at("2026-12-21 09:00")})
		}); err != nil {
			t.Fatal(err)
		}
		run(t, w, []step{
			{"2026-12-17 17:00", []string{"return_reminder→bob"}},
			{"2026-12-18 12:00", nil},
		})
		rep := w.tick("2026-12-21 09:00")
		equal(t, "sent after the snooze", sent(rep), nil)
		equal(t, "skipped after the snooze", outcomes(rep, bot.ReminderSkipped), []string{"return_reminder→carol"})
	})
}
