package scheduler_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// bigWorkspace stores collabs active collaborations of 100 tasks each,
// owned by 10,000 people, written as documents directly (the rules would
// take minutes to build it). A tenth of the tasks are overdue at
// 2026-11-24 17:30.
func bigWorkspace(b *testing.B, collabs int) *world { return seedBig(b, newWorld(b), collabs) }

// seedBig is bigWorkspace in the world w (postgres_bench_test.go's is
// on PostgreSQL).
func seedBig(b *testing.B, w *world, collabs int) *world {
	b.Helper()
	var people []bot.Person
	for i := range 10_000 {
		people = append(people, bot.Person{ID: bot.PersonID(fmt.Sprintf("p%05d", i)), Name: fmt.Sprintf("Person %d", i)})
	}
	w.dir = bot.NewDirectory(ws, w.dir.Departments, w.dir.Leadership, append(w.dir.People, people...))
	w.sched = w.scheduler(w.store)
	task := 0
	for batch := 0; batch < collabs; batch += 100 {
		if err := w.store.Apply(w.ctx, ws, "", func(tx bot.Tx) error {
			for range min(100, collabs-batch) {
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

// BenchmarkScan is the per-minute due-scan of a large workspace
// (tasks=10k: 100 collaborations of 100 tasks; tasks=100k: 1,000), each
// reported as ms/scan:
//
//   - due: the first scan at 17:30 of a fresh database, when the day's
//     progress requests and every overdue task fall due at once (the
//     catch-up after a downtime);
//   - warm: a scan a minute later by the same process, once all that is
//     recorded — nothing new is due: what every tick costs;
//   - cold: the same scan by a freshly started process (a new Scheduler
//     over a newly opened store of the same file);
//   - edit: a warm scan after one collaboration changed;
//   - dry: `collabot tick --dry-run` once the day is recorded (it reads
//     every open collaboration and asks the ledger once per timer and slot).
func BenchmarkScan(b *testing.B) { benchScan(b, bigWorkspace) }

// benchScan is BenchmarkScan on the workspaces big builds.
func benchScan(b *testing.B, big func(b *testing.B, collabs int) *world) {
	for _, size := range []struct {
		name    string
		collabs int
	}{{"10k", 100}, {"100k", 1000}} {
		b.Run("tasks="+size.name, func(b *testing.B) {
			w := big(b, size.collabs)
			t := at("2026-11-24 17:30")
			var first time.Duration
			var reminders int
			b.Run("due", func(b *testing.B) {
				// Only the first scan is the catch-up (later ones find the
				// wave recorded), and the harness may call this twice.
				if first == 0 {
					start := time.Now()
					rep, err := w.sched.Tick(w.ctx, t, false)
					if err != nil {
						b.Fatal(err)
					}
					first, reminders = time.Since(start), rep.Count(bot.ReminderSent)
				}
				b.ReportMetric(ms(first), "ms/scan")
				b.ReportMetric(float64(reminders), "reminders")
			})
			minute := 0
			next := func() time.Time { minute++; return t.Add(time.Duration(minute) * time.Minute) }
			b.Run("warm", func(b *testing.B) {
				if _, err := w.sched.Tick(w.ctx, next(), false); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				start := time.Now()
				for range b.N {
					if _, err := w.sched.Tick(w.ctx, next(), false); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(ms(time.Since(start))/float64(b.N), "ms/scan")
			})
			b.Run("cold", func(b *testing.B) {
				var spent time.Duration
				for range b.N {
					b.StopTimer()
					s := w.scheduler(w.open())
					b.StartTimer()
					start := time.Now()
					if _, err := s.Tick(w.ctx, next(), false); err != nil {
						b.Fatal(err)
					}
					spent += time.Since(start)
				}
				b.ReportMetric(ms(spent)/float64(b.N), "ms/scan")
			})
			b.Run("edit", func(b *testing.B) {
				var spent time.Duration
				for i := range b.N {
					b.StopTimer()
					w.change(bot.CollabID(1+i%size.collabs), func(c *bot.Collaboration, _ bot.Tx) error {
						c.Request.Goal += "."
						return nil
					})
					b.StartTimer()
					start := time.Now()
					if _, err := w.sched.Tick(w.ctx, next(), false); err != nil {
						b.Fatal(err)
					}
					spent += time.Since(start)
				}
				b.ReportMetric(ms(spent)/float64(b.N), "ms/scan")
			})
			b.Run("dry", func(b *testing.B) {
				var spent time.Duration
				for range b.N {
					b.StopTimer()
					s := w.scheduler(w.open())
					b.StartTimer()
					start := time.Now()
					if _, err := s.Tick(w.ctx, next(), true); err != nil {
						b.Fatal(err)
					}
					spent += time.Since(start)
				}
				b.ReportMetric(ms(spent)/float64(b.N), "ms/scan")
			})
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
