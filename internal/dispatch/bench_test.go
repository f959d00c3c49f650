package dispatch_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/dispatch"
)

const benchNotices = 10_000

// noopSender accepts everything at once.
type noopSender struct{ n atomic.Int64 }

func (*noopSender) Platform() bot.Platform { return bot.Console }

func (s *noopSender) Send(context.Context, bot.Notification) error {
	s.n.Add(1)
	return nil
}

// perNotice runs drain once per iteration over benchNotices notices that
// setup queues, and reports time and allocations per notice.
func perNotice(b *testing.B, setup func() *dispatch.Dispatcher) {
	var ms runtime.MemStats
	var elapsed time.Duration
	var allocs uint64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := setup()
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		start := time.Now()
		b.StartTimer()
		n, err := d.DrainAll(context.Background())
		b.StopTimer()
		elapsed += time.Since(start)
		runtime.ReadMemStats(&ms)
		allocs += ms.Mallocs - before
		if err != nil || n != benchNotices {
			b.Fatalf("sent %d, %v", n, err)
		}
	}
	total := float64(b.N * benchNotices)
	b.ReportMetric(float64(elapsed.Nanoseconds())/total, "ns/notice")
	b.ReportMetric(float64(allocs)/total, "allocs/notice")
}

// BenchmarkDrainSQLite drains 10,000 notices from a real SQLite outbox
// (synchronous=FULL: every MarkSent is a durable commit) to a sender that
// accepts at once.
func BenchmarkDrainSQLite(b *testing.B) {
	c := newClock()
	perNotice(b, func() *dispatch.Dispatcher {
		st := openStore(b, "", c)
		fill(b, st, benchNotices, 50)
		return newDispatcher(b, dispatch.Options{Outbox: st, Senders: []bot.Sender{&noopSender{}}, Clock: c})
	})
}

// queueOutbox hands out a prepared queue and records nothing: the
// dispatcher's own cost, without a store.
type queueOutbox struct{ rows []bot.Queued }

func (q *queueOutbox) Claim(_ context.Context, _ time.Time, limit int, _ time.Duration) ([]bot.Queued, error) {
	n := min(limit, len(q.rows))
	out := q.rows[:n]
	q.rows = q.rows[n:]
	return out, nil
}

func (*queueOutbox) MarkSent(context.Context, int64, time.Time) error          { return nil }
func (*queueOutbox) MarkFailed(context.Context, int64, error, time.Time) error { return nil }
func (*queueOutbox) Defer(context.Context, int64, time.Time) error             { return nil }

func BenchmarkDrainDispatcherOnly(b *testing.B) {
	c := newClock()
	rows := make([]bot.Queued, benchNotices)
	for i := range rows {
		rows[i] = bot.Queued{ID: int64(i + 1), Workspace: "acme", Notice: notice(key(i), "", fmt.Sprintf("console:g%d", i%50))}
	}
	perNotice(b, func() *dispatch.Dispatcher {
		return newDispatcher(b, dispatch.Options{Outbox: &queueOutbox{rows: rows}, Senders: []bot.Sender{&noopSender{}}, Clock: c})
	})
}
