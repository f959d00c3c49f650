package engine_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// BenchmarkDialogStepVsCommit sets dialog steps per second beside raw
// single-row commits per second on the same SQLite file, in the same run,
// alternating the two in slices of 30 so that both see the same machine
// (a shared one is noisy): the ratio (steps-per-commit) is the engine's
// cost over the store's bare minimum.
// With several people answering at once the store's group commit serves
// their steps in shared transactions, so the ratio can pass 1.
// step-cpu-µs and commit-cpu-µs are the process's CPU per step and per
// commit: steadier than the rates when the disk is shared.
//
//	go test -run '^$' -bench BenchmarkDialogStepVsCommit -benchtime 3x ./internal/engine/
func BenchmarkDialogStepVsCommit(b *testing.B) {
	dialogStepVsCommit(b, newHarness, func(h *harness) func(slot int) error {
		return func(slot int) error {
			return h.store.Apply(context.Background(), h.ws, "", func(tx bot.Tx) error {
				_, err := tx.RecordReminder(context.Background(), bot.Reminder{Timer: "bench", Entity: "x", Slot: strconv.Itoa(slot)})
				return err
			})
		}
	})
}

// dialogStepVsCommit is BenchmarkDialogStepVsCommit on the store open
// gives the harness, beside the commits commit makes (one per slot) on
// the same database (postgres_bench_test.go runs it on PostgreSQL).
func dialogStepVsCommit(b *testing.B, open func(testing.TB) *harness, commit func(*harness) func(slot int) error) {
	ctx := context.Background()
	people := []bot.PersonID{"amy", "alice", "bob", "ben", "emma", "carol", "chris", "frank"}
	const round, slice = 300, 30 // steps, and commits, per round and per turn
	for _, n := range []int{1, 8} {
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) {
			h := open(b)
			commitOne := commit(h)
			var seq atomic.Int64
			say := func(p bot.PersonID, text string) {
				m := bot.Message{Workspace: h.ws, Platform: bot.Console, Channel: "bench-" + string(p),
					From: bot.Identity{Platform: bot.Console, ID: string(p)}, Text: text,
					EventID: "step-" + strconv.FormatInt(seq.Add(1), 10)}
				if _, err := h.eng.Handle(ctx, m); err != nil {
					b.Error(err)
				}
			}
			for _, p := range people[:n] {
				say(p, "发起协作")
			}
			// Alternate answering the topic and going back to it: every
			// message is one full dialog step with a commit.
			answers := []string{"新品推广接口调试", "上一步"}
			var stepTime, commitTime, stepCPU, commitCPU time.Duration
			steps, commits := 0, 0
			slot := 0
			said := make([]int, n) // each person's messages, to alternate their answers
			events0, batches0 := groupStats(h.store)
			for b.Loop() {
				for range round / slice {
					start, cpu := time.Now(), processCPU()
					for range slice {
						slot++
						if err := commitOne(slot); err != nil {
							b.Fatal(err)
						}
					}
					commitTime += time.Since(start)
					commitCPU += processCPU() - cpu
					commits += slice

					start, cpu = time.Now(), processCPU()
					var wg sync.WaitGroup
					for k, p := range people[:n] {
						wg.Go(func() {
							for i := k; i < slice; i += n {
								say(p, answers[said[k]%2])
								said[k]++
							}
						})
					}
					wg.Wait()
					stepTime += time.Since(start)
					stepCPU += processCPU() - cpu
					steps += slice
				}
			}
			events, batches := groupStats(h.store)
			stepRate := float64(steps) / stepTime.Seconds()
			commitRate := float64(commits) / commitTime.Seconds()
			b.ReportMetric(stepRate, "steps/s")
			b.ReportMetric(commitRate, "commits/s")
			b.ReportMetric(stepRate/commitRate, "steps-per-commit")
			if stepCPU > 0 && commitCPU > 0 {
				// The whole process's CPU (the writer, the GC, the
				// driver) per step and per commit, in µs.
				b.ReportMetric(float64(stepCPU.Microseconds())/float64(steps), "step-cpu-µs")
				b.ReportMetric(float64(commitCPU.Microseconds())/float64(commits), "commit-cpu-µs")
			}
			if batches > batches0 { // a store with group commit
				b.ReportMetric(float64(events-events0)/float64(batches-batches0), "events/commit")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}

// groupStats reads the SQLite store's group-commit counters (a store
// without group commit counts every event as its own batch: zeros).
func groupStats(s any) (events, batches int64) {
	if g, ok := s.(interface{ GroupStats() (int64, int64) }); ok {
		return g.GroupStats()
	}
	return 0, 0
}
