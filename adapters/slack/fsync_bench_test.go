package slack

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkFsync measures the disk BenchmarkReplyLoad's store sits on,
// alone: b.N times write 4 KB and fsync, as a WAL commit appends and
// syncs, on the same filesystem (the test's temporary directory). It
// reports fsync latency p50/p99/max: every recorded reply waits for one
// commit's fsync, which the echo bot never does, so this bounds what the
// disk alone adds to a reply.
//
//	go test -run '^$' -bench BenchmarkFsync -benchtime 10000x ./adapters/slack/
func BenchmarkFsync(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "fsync"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	page := make([]byte, 4096)
	lat := make([]time.Duration, 0, b.N)
	i := 0
	for b.Loop() {
		if _, err := f.WriteAt(page, int64(i%256)*4096); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		i++
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
}
