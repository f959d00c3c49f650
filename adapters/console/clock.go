package console

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Clock is wall time shifted by an offset the terminal user controls, so a
// demo or a scripted test can jump to tomorrow's meeting or next week's
// deadline while time still flows.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
	now    func() time.Time
}

// NewClock starts a clock at start (the zero time for real time).
func NewClock(start time.Time) *Clock {
	c := &Clock{now: time.Now}
	if !start.IsZero() {
		c.offset = start.Sub(c.now())
	}
	return c
}

// Now implements bot.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now().Add(c.offset)
}

// Set moves the clock: "+2h", "+1d" (24 hours), or an instant in RFC 3339
// or "2006-01-02 15:04" in loc. It never moves backwards, because the
// store's records would then contradict each other.
func (c *Clock) Set(arg string, loc *time.Location) (time.Time, error) {
	arg = strings.TrimSpace(arg)
	now := c.Now()
	var target time.Time
	switch {
	case strings.HasPrefix(arg, "+"):
		s := arg[1:]
		if strings.HasSuffix(s, "d") {
			var n int
			if _, err := fmt.Sscanf(s, "%dd", &n); err != nil || n < 0 {
				return now, fmt.Errorf("%q is not a step like +2h or +1d", arg)
			}
			target = now.Add(time.Duration(n) * 24 * time.Hour)
			break
		}
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return now, fmt.Errorf("%q is not a step like +2h or +1d", arg)
		}
		target = now.Add(d)
	default:
		t, err := time.Parse(time.RFC3339, arg)
		if err != nil {
			t, err = time.ParseInLocation("2006-01-02 15:04", arg, loc)
		}
		if err != nil {
			return now, fmt.Errorf("%q is not a time like 2026-11-24 10:00 or a step like +2h", arg)
		}
		target = t
	}
	if target.Before(now) {
		return now, fmt.Errorf("the clock only moves forward (it is %s)", now.In(loc).Format("2006-01-02 15:04"))
	}
	c.mu.Lock()
	c.offset += target.Sub(now)
	c.mu.Unlock()
	return target, nil
}
