package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/postgres/pgtest"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/internal/storetest"
)

// BenchmarkClaims drains an outbox with three claimers, each on a pool
// of its own as three hosts' dispatchers would be, and reports rows
// claimed per second (claims/s: rows, not calls). Every row must be
// claimed exactly once: a row claimed twice fails the benchmark.
//
//   - claim: Claim alone, 20 rows a call (the dispatcher's batch);
//
//   - send: what the dispatcher does with the store per row as well:
//     Attempt before the send and MarkSent after it.
//
//     go test -run '^$' -bench BenchmarkClaims -benchtime 3x ./internal/postgres/
func BenchmarkClaims(b *testing.B) {
	const rows, batch, claimers = 6000, 20, 3
	for _, mode := range []string{"claim", "send"} {
		b.Run(mode, func(b *testing.B) {
			url := pgtest.Fresh(b)
			var hosts []store.Backend
			for range claimers {
				s := copyStore(b, url)
				hosts = append(hosts, s)
			}
			var spent time.Duration
			claimed, round := 0, 0
			for b.Loop() {
				b.StopTimer()
				round++
				fill(b, hosts[0], round, rows)
				b.StartTimer()
				start := time.Now()
				owner := drain(b, hosts, batch, mode == "send")
				spent += time.Since(start)
				if len(owner) != rows {
					b.Fatalf("round %d: %d of %d rows claimed", round, len(owner), rows)
				}
				claimed += len(owner)
			}
			b.ReportMetric(float64(claimed)/spent.Seconds(), "claims/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// fill queues n notices due at T0, 500 a transaction.
func fill(b *testing.B, s store.Backend, round, n int) {
	ctx := context.Background()
	for i := 0; i < n; i += 500 {
		err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
			var ns []bot.Notice
			for j := i; j < min(i+500, n); j++ {
				ns = append(ns, bot.Notice{Key: fmt.Sprintf("bench/%d/%d", round, j), Kind: "ack_requested",
					To: "ben", Collab: 1, At: storetest.T0})
			}
			_, err := tx.Enqueue(ctx, ns...)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// drain has every host claim until nothing is left and returns which
// host claimed each row; a row claimed twice is a failure.
func drain(b *testing.B, hosts []store.Backend, batch int, send bool) map[int64]int {
	ctx := context.Background()
	now := storetest.T0.Add(time.Minute)
	var mu sync.Mutex
	owner := map[int64]int{}
	var wg sync.WaitGroup
	for h, s := range hosts {
		wg.Go(func() {
			for {
				got, err := s.Claim(ctx, now, batch, time.Hour)
				if err != nil {
					b.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, q := range got {
					if prev, ok := owner[q.ID]; ok {
						b.Errorf("row %d claimed by host %d and again by host %d", q.ID, prev, h)
					}
					owner[q.ID] = h
				}
				mu.Unlock()
				if !send {
					continue
				}
				for _, q := range got {
					if _, err := s.Attempt(ctx, q.ID, now); err != nil {
						b.Error(err)
						return
					}
					if err := s.MarkSent(ctx, q.ID, now); err != nil {
						b.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	return owner
}
