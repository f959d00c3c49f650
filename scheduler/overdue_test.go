package scheduler_test

import "testing"

// TestOverdueCatchUpSendsOneCount: after downtime, an overdue task is
// chased once with the latest count, not with the count of the day
// missed and, half an hour later, today's.
func TestOverdueCatchUpSendsOneCount(t *testing.T) {
	for _, tc := range []struct {
		name, due string
		steps     []step
		days      []string // the counts ben was sent, in order
	}{
		{"down Monday 17:05 to Wednesday 17:30", "2026-11-27 18:00", []step{ // due Friday
			{"2026-11-27 18:00", []string{"task_due→ben", "task_due→carol"}},
			{"2026-11-30 17:05", nil},
			{"2026-12-02 17:30", []string{"task_escalation→bob", "task_overdue→ben", "task_overdue→carol"}},
			{"2026-12-02 18:00", nil},
			{"2026-12-03 18:00", []string{"task_overdue→ben", "task_overdue→carol"}},
		}, []string{"3", "4"}},
		{"the due time itself missed the day before", "2026-12-01 18:00", []step{ // due Tuesday
			{"2026-12-01 17:00", nil},
			{"2026-12-02 17:30", []string{"task_overdue→ben", "task_overdue→carol"}},
			{"2026-12-02 18:00", []string{"task_escalation→bob"}}, // a business day after the due time
		}, []string{"1"}},
		{"held for the morning, not caught up", "2026-11-26 20:00", []step{ // due Thursday night
			{"2026-11-26 20:30", nil},
			{"2026-11-27 09:00", []string{"task_due→ben", "task_due→carol"}},
			{"2026-11-30 09:00", []string{"task_escalation→bob", "task_overdue→ben", "task_overdue→carol"}}, // Friday 20:00's
		}, []string{"1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			id := w.activate(at("2026-11-23 10:30"))
			w.quietly(id)
			w.task(id, "ben", "研发部", at(tc.due), at("2026-11-23 11:00"))
			run(t, w, tc.steps)
			var days []string
			for _, q := range w.outbox() {
				if q.Notice.Kind == "task_overdue" && q.Notice.To == "ben" {
					days = append(days, q.Notice.Params["days"])
				}
			}
			equal(t, "overdue counts sent to ben", days, tc.days)
		})
	}
}
