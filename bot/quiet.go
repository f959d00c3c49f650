package bot

import (
	"fmt"
	"strings"
	"time"
)

// QuietHours is a daily window, in the workspace's zone, in which a person
// does not want to be disturbed: whatever is sent to them then waits until
// the window ends. A window whose end is before its start spans midnight
// (22:00–08:00). The zero value is no quiet hours.
type QuietHours struct {
	From time.Duration // since midnight
	To   time.Duration
}

// IsSet reports whether the person chose quiet hours.
func (q QuietHours) IsSet() bool { return q.From != q.To }

// Until returns when the quiet window around t ends, in t's location, or
// the zero time when t is outside it.
func (q QuietHours) Until(t time.Time) time.Time {
	if !q.IsSet() {
		return time.Time{}
	}
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	// Clock times are read off the wall clock, so a day with a daylight
	// saving change keeps "08:00" at 08:00.
	at := func(day time.Time, d time.Duration) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), int(d.Hours()), int(d.Minutes())%60, 0, 0, t.Location())
	}
	since := t.Sub(midnight)
	if q.From < q.To {
		if since >= q.From && since < q.To {
			return at(midnight, q.To)
		}
		return time.Time{}
	}
	switch {
	case since >= q.From: // evening part: ends tomorrow morning
		return at(midnight.AddDate(0, 0, 1), q.To)
	case since < q.To: // morning part
		return at(midnight, q.To)
	}
	return time.Time{}
}

// String writes the window as people type it: "22:00-08:00".
func (q QuietHours) String() string {
	if !q.IsSet() {
		return ""
	}
	c := func(d time.Duration) string { return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60) }
	return c(q.From) + "-" + c(q.To)
}

// ParseQuietHours reads the stored form of a window, "22:00-08:00".
// People's own ways of writing one are read by the engine.
func ParseQuietHours(s string) (QuietHours, error) {
	from, to, _ := strings.Cut(s, "-")
	f, err1 := clock(strings.TrimSpace(from))
	t, err2 := clock(strings.TrimSpace(to))
	q := QuietHours{From: f, To: t}
	if err1 != nil || err2 != nil || !q.IsSet() {
		return QuietHours{}, fmt.Errorf("bot: quiet hours %q: want HH:MM-HH:MM", s)
	}
	return q, nil
}

// clock reads "22:00", "8:30" or "8" as a time of day.
func clock(s string) (time.Duration, error) {
	var h, m int
	if n, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || n != 2 {
		if n, err := fmt.Sscanf(s, "%d", &h); err != nil || n != 1 || fmt.Sprint(h) != s {
			return 0, fmt.Errorf("clock %q", s)
		}
		m = 0
	} else if fmt.Sprintf("%d:%02d", h, m) != s && fmt.Sprintf("%02d:%02d", h, m) != s {
		return 0, fmt.Errorf("clock %q", s)
	}
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, fmt.Errorf("clock %q", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}
