package bot

import (
	"testing"
	"time"
)

// TestStampInZone: an instant is written as the given zone's clock reads
// it, whatever zone it was stored in.
func TestStampInZone(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 12, 3, 13, 55, 0, 0, time.UTC), "2026-12-03 21:55"},
		{time.Date(2026, 12, 3, 21, 55, 0, 0, shanghai), "2026-12-03 21:55"},
		{time.Date(2026, 12, 3, 17, 30, 0, 0, time.UTC), "2026-12-04 01:30"}, // the next day in Shanghai
		{time.Time{}, ""},
	} {
		if got := stamp(tt.at, shanghai); got != tt.want {
			t.Errorf("stamp(%v) = %q, want %q", tt.at, got, tt.want)
		}
	}
}
