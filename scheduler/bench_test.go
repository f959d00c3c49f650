package scheduler_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// bigWorkspace stores 1,000 active collaborations of 100 tasks each, owned
// by 10,000 people, written as documents directly (the rules would take
// minutes to build it). A tenth of the tasks are overdue at 2026-11-24 17:30.
func bigWorkspace(b *testing.B) *world {
	b.Helper()
	w := newWorld(b)
	var people []bot.Person
	for i := range 10_000 {
		people = append(people, bot.Person{ID: bot.PersonID(fmt.Sprintf("p%05d", i)), Name: fmt.Sprintf("Person %d", i)})
	}
	w.dir = bot.NewDirectory(ws, w.dir.Departments, w.dir.Leadership, append(w.dir.People, people...))
	w.sched = w.scheduler(w.store)
	task := 0
	for batch := 0; batch < 10; batch++ {
		if err := w.store.Apply(w.ctx, ws, "", func(tx bot.Tx) error {
			for range 100 {
				n, _ := tx.NextID(w.ctx, bot.KindCollab)
				c := &bot.Collaboration{ID: bot.CollabID(n), Workspace: ws, Status: bot.StatusActive, Requester: "carol",
					Coordinator: "carol", RequestingDept: "运营部", Group: fmt.Sprintf("slack:C%04d", n),
					Request:   bot.Request{Topic: "topic", Goal: "goal", Requirements: "req", Due: at("2026-12-31 18:00")},
					CreatedAt: at("2026-11-02 10:00"), ActivatedAt: at("2026-11-02 12:00")}
				for range 100 {
					task++
					due := at("2026-12-10 18:00")
					if task%10 == 0 {
						due = at("2026-11-20 18:00")
					}
					c.Tasks = append(c.Tasks, &bot.Task{ID: bot.TaskID(task), Title: "task", Department: "研发部",
						Owner: people[task%len(people)].ID, Due: due, Status: bot.TaskInProgress, CreatedAt: at("2026-11-02 12:00")})
				}
				if err := tx.Save(w.ctx, c); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	return w
}

// BenchmarkScan is the per-minute due-scan of a large workspace once the
// day's reminders are recorded: what every tick costs.
func BenchmarkScan(b *testing.B) {
	w := bigWorkspace(b)
	t := at("2026-11-24 17:30")
	first := time.Now()
	rep, err := w.sched.Tick(w.ctx, t, false)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(time.Since(first).Milliseconds()), "first-scan-ms")
	b.ReportMetric(float64(rep.Count(bot.ReminderSent)), "first-scan-reminders")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := w.sched.Tick(w.ctx, t.Add(time.Duration(i%20)*time.Minute), false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanCold is a scan by a freshly started process: every
// collaboration decoded, every due key checked against the ledger.
func BenchmarkScanCold(b *testing.B) {
	w := bigWorkspace(b)
	t := at("2026-11-24 17:30")
	if _, err := w.sched.Tick(w.ctx, t, false); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := w.scheduler(w.store)
		if _, err := s.Tick(w.ctx, t, false); err != nil {
			b.Fatal(err)
		}
	}
}
