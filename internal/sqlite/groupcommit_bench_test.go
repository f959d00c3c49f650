package sqlite_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/collabot/collabot/bot"
)

// BenchmarkGroupCommit applies inbound events that each write one row,
// from 1, 8 and 64 callers at once, on a file with synchronous=FULL: one
// caller pays a commit (an fsync) per event; concurrent callers share
// theirs. It reports events/s and events per commit.
func BenchmarkGroupCommit(b *testing.B) {
	ctx := context.Background()
	for _, callers := range []int{1, 8, 64} {
		b.Run(fmt.Sprintf("callers=%d", callers), func(b *testing.B) {
			s := open(b, "")
			var next atomic.Int64
			events0, batches0 := s.GroupStats()
			b.ResetTimer()
			var wg sync.WaitGroup
			per := b.N / callers
			for c := range callers {
				n := per
				if c == 0 {
					n += b.N % callers
				}
				wg.Go(func() {
					for range n {
						i := strconv.FormatInt(next.Add(1), 10)
						err := s.Apply(ctx, "acme", "ev-"+i, func(tx bot.Tx) error {
							_, err := tx.RecordReminder(ctx, bot.Reminder{Timer: "bench", Entity: "x", Slot: i})
							return err
						})
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			events, batches := s.GroupStats()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			if batches > batches0 {
				b.ReportMetric(float64(events-events0)/float64(batches-batches0), "events/commit")
			}
		})
	}
}
