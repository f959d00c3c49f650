package scheduler_test

import (
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// TestEscalationPastLeave: an escalation whose recipient is on leave the
// day it goes out reaches whoever is above them, and says whom it was
// for; with nobody above there, the coordinator hears it reached no one.
// An escalation whose reminder was held back by leave says so.
func TestEscalationPastLeave(t *testing.T) {
	leave := func(from, to string) bot.Settings {
		return bot.Settings{Leave: []bot.Leave{{From: from, To: to}}}
	}
	// fiona's task in 财务部 (head frank), due Friday 18:00; carol
	// coordinates, and heads the requesting department.
	overdue := func(w *world) {
		id := w.activate(at("2026-11-23 10:00"))
		w.quietly(id)
		w.task(id, "fiona", "财务部", at("2026-11-27 18:00"), at("2026-11-23 11:00"))
	}
	cases := []struct {
		name  string
		setup func(w *world)
		steps []step
		// params each escalation notice carries, by "kind→recipient"
		params map[string]map[string]string
	}{
		{
			name: "the head on leave: leadership gets it instead",
			setup: func(w *world) {
				overdue(w)
				w.settings("frank", leave("2026-11-30", "2026-12-02"))
			},
			steps: []step{
				{"2026-11-27 18:00", []string{"task_due→carol", "task_due→fiona"}},
				{"2026-11-30 18:00", []string{"task_escalation→henry", "task_escalation→lily", "task_overdue→carol", "task_overdue→fiona"}},
				{"2026-12-03 18:00", []string{"task_overdue→carol", "task_overdue→fiona"}}, // frank back: not sent again
			},
			params: map[string]map[string]string{
				"task_escalation→lily": {"instead_of": "frank", "instead_until": "2026-12-02", "redirected_to": "lily,henry",
					"reminded": "2026-11-27T10:00:00Z"},
			},
		},
		{
			name: "the head and leadership on leave: the coordinator hears it reached no one",
			setup: func(w *world) {
				overdue(w)
				for _, p := range []bot.PersonID{"frank", "lily", "henry"} {
					w.settings(p, leave("2026-11-30", "2026-12-02"))
				}
			},
			steps: []step{
				{"2026-11-27 18:00", []string{"task_due→carol", "task_due→fiona"}},
				{"2026-11-30 18:00", []string{"task_escalation→carol", "task_overdue→carol", "task_overdue→fiona"}},
			},
			params: map[string]map[string]string{
				"task_escalation→carol": {"unreached": "frank", "instead_until": "2026-12-02"},
			},
		},
		{
			name: "the owner on leave when it fell due: the escalation says she was not reminded",
			setup: func(w *world) {
				overdue(w)
				w.settings("fiona", leave("2026-11-27", "2026-11-27"))
			},
			steps: []step{
				{"2026-11-27 18:00", []string{"task_due→carol"}},
				{"2026-11-30 18:00", []string{"task_escalation→frank", "task_overdue→carol", "task_overdue→fiona"}},
			},
			params: map[string]map[string]string{
				"task_escalation→frank": {"reminded": "leave:2026-11-27"},
			},
		},
		{
			name: "the contact on leave at the acknowledgement's deadline: not reminded",
			setup: func(w *world) {
				w.submit(at("2026-11-23 10:00"))
				w.settings("fiona", leave("2026-11-24", "2026-11-25"))
			},
			steps: []step{
				{"2026-11-24 10:00", []string{"ack_reminder→ben"}},
				{"2026-11-24 14:00", []string{"ack_escalation→bob", "ack_escalation→carol", "ack_escalation→carol", "ack_escalation→frank"}},
			},
			params: map[string]map[string]string{
				"ack_escalation→frank": {"reminded": "leave:2026-11-25"},
				"ack_escalation→bob":   {"reminded": "2026-11-24T02:00:00Z"},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			tc.setup(w)
			run(t, w, tc.steps)
			for _, q := range w.outbox() {
				want, ok := tc.params[q.Notice.Kind+"→"+recipient(q.Notice.To)]
				if !ok {
					continue
				}
				for k, v := range want {
					if got := q.Notice.Params[k]; got != v {
						t.Errorf("%s→%s: %s = %q, want %q", q.Notice.Kind, q.Notice.To, k, got, v)
					}
				}
				delete(tc.params, q.Notice.Kind+"→"+recipient(q.Notice.To))
			}
			for k := range tc.params {
				t.Errorf("no notice %s", k)
			}
		})
	}
}

// TestProgressRequestHeldPastItsDay: a daily progress request that quiet
// hours would hold until the next morning is skipped, not delivered as
// "today's progress" a day late, and the summary puts the person under
// "not asked" with the reason (the ledger's skipped); one held only
// until later that day still goes.
func TestProgressRequestHeldPastItsDay(t *testing.T) {
	for _, tc := range []struct {
		name        string
		quiet       bot.QuietHours
		at17        []string
		summary     map[string]string
		nextMorning []string
	}{
		{
			name:    "quiet until tomorrow: skipped",
			quiet:   bot.QuietHours{From: 16*time.Hour + 30*time.Minute, To: 8*time.Hour + 30*time.Minute},
			at17:    nil,
			summary: map[string]string{"missing": "", "not_asked": "fiona:skipped"},
		},
		{
			name:    "quiet until later today: asked",
			quiet:   bot.QuietHours{From: 16 * time.Hour, To: 17*time.Hour + 30*time.Minute},
			at17:    []string{"daily_progress→fiona"},
			summary: map[string]string{"missing": "fiona", "not_asked": ""},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			id := w.activate(at("2026-11-23 10:00"))
			w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
				c.Reminders = map[string]string{"weekly_summary": "off"}
				return nil
			})
			w.task(id, "fiona", "财务部", at("2026-12-18 18:00"), at("2026-11-23 11:00"))
			w.settings("fiona", bot.Settings{Quiet: tc.quiet})
			equal(t, "17:00", sent(w.tick("2026-11-23 17:00")), tc.at17)
			equal(t, "18:00", sent(w.tick("2026-11-23 18:00")), []string{"progress_summary→carol"})
			for _, q := range w.outbox() {
				if q.Notice.Kind != "progress_summary" {
					continue
				}
				for k, v := range tc.summary {
					if got := q.Notice.Params[k]; got != v {
						t.Errorf("summary %s = %q, want %q", k, got, v)
					}
				}
			}
			equal(t, "next morning", sent(w.tick("2026-11-24 08:31")), nil)
		})
	}
}
