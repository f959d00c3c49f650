package dispatch

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/collabot/collabot/bot"
)

// Rate is how fast one key may send: one message per Every on average and
// at most Burst at once. The zero Rate is unlimited.
//
// In any window of length W a key sends at most Burst + W/Every messages,
// so a platform's "N per window" becomes Burst + window/Every ≤ N.
type Rate struct {
	Every time.Duration
	Burst int
}

// Limit is one platform's sending rates.
type Limit struct {
	// Channel limits each group chat and each person's direct messages.
	Channel Rate
	// Workspace limits the whole workspace on the platform (an app's QPS).
	Workspace Rate
}

// Limits are the rates per platform; a platform not listed is unlimited.
type Limits map[bot.Platform]Limit

// DefaultLimits are the platforms' published limits, a little under them.
func DefaultLimits() Limits {
	return Limits{
		// Slack: about one message a second per channel; "several hundred
		// a minute" per workspace, which 5/s with bursts of 10 stays under.
		bot.Slack: {Channel: Rate{Every: time.Second, Burst: 1}, Workspace: Rate{Every: 200 * time.Millisecond, Burst: 10}},
		// DingTalk: 20 messages a minute per group, 20 calls a second
		// per app.
		bot.DingTalk: DingTalkLimit(20, 20),
		// The terminal prints as fast as it is asked.
		bot.Console: {},
	}
}

// DingTalkLimit paces under DingTalk's limits as configured
// (dingtalk.app_per_second, dingtalk.group_per_minute): an app's robot
// send calls go at half its rate a second with bursts of the other half,
// which never exceeds the rate in any second (20 → 10/s, bursts of 10);
// a group's messages are evenly spaced, since the platform counts a
// sliding minute (20 → one every 3 s).
func DingTalkLimit(appPerSecond, groupPerMinute float64) Limit {
	var l Limit
	if appPerSecond > 0 {
		half := max(appPerSecond/2, 0.5)
		l.Workspace = Rate{Every: time.Duration(float64(time.Second) / half), Burst: max(int(half), 1)}
	}
	if groupPerMinute > 0 {
		l.Channel = Rate{Every: time.Duration(float64(time.Minute) / groupPerMinute), Burst: 1}
	}
	return l
}

// Limiter keeps the rate of every key and the holds a platform asked for.
// Keys look like "channel:slack:C0123", "channel:slack:@U0BOB" and
// "workspace:slack:acme". The in-process Memory serves one process; a
// shared one (Redis) lets several replicas share the platforms' limits.
// The dispatcher treats a Limiter error as "allow": a limiter outage must
// not stop delivery, and the platform's own throttling still holds us.
type Limiter interface {
	// Take spends one message of key's rate at now, or reports when the
	// next one may go.
	Take(ctx context.Context, key string, rate Rate, now time.Time) (ok bool, next time.Time, err error)
	// Hold stops key until until (a platform's Retry-After).
	Hold(ctx context.Context, key string, until time.Time) error
}

// Memory is an in-process Limiter using GCRA (the generic cell rate
// algorithm): one timestamp per key, no background refill, exact under
// any clock, safe for concurrent use.
type Memory struct {
	mu    sync.Mutex
	cells map[string]*cell
	takes int
}

type cell struct {
	tat  time.Time // theoretical arrival time of the next message
	held time.Time // nothing goes before this
}

var _ Limiter = (*Memory)(nil)

// NewMemory returns an empty in-process limiter.
func NewMemory() *Memory { return &Memory{cells: map[string]*cell{}} }

// sweepEvery is how many takes pass between sweeps of idle keys, so a
// long-running process does not keep a cell per channel it ever used.
const sweepEvery = 4096

// Take implements Limiter.
func (m *Memory) Take(_ context.Context, key string, rate Rate, now time.Time) (bool, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.takes++; m.takes%sweepEvery == 0 {
		m.sweep(now)
	}
	c := m.cells[key]
	if c != nil && now.Before(c.held) {
		return false, c.held, nil
	}
	if rate.Every <= 0 {
		return true, now, nil
	}
	if c == nil {
		c = &cell{}
		m.cells[key] = c
	}
	tolerance := rate.Every * time.Duration(max(rate.Burst, 1)-1)
	tat := c.tat
	if tat.Before(now) {
		tat = now
	}
	if allowAt := tat.Add(-tolerance); now.Before(allowAt) {
		return false, allowAt, nil
	}
	c.tat = tat.Add(rate.Every)
	return true, now, nil
}

// Hold implements Limiter; a hold never shortens an earlier one.
func (m *Memory) Hold(_ context.Context, key string, until time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.cells[key]
	if c == nil {
		c = &cell{}
		m.cells[key] = c
	}
	if until.After(c.held) {
		c.held = until
	}
	return nil
}

// sweep forgets keys that are neither held nor owed: a fresh cell would
// answer the same.
func (m *Memory) sweep(now time.Time) {
	for k, c := range m.cells {
		if !c.tat.After(now) && !c.held.After(now) {
			delete(m.cells, k)
		}
	}
}

// Roomer is a Limiter that can say, without spending anything, how many
// messages key may send at now, and when the next may go if none can
// (Memory can; a Limiter without it is mirrored by the dispatcher's own
// Memory). The dispatcher claims no more rows than that.
type Roomer interface {
	Room(ctx context.Context, key string, rate Rate, now time.Time) (n int, next time.Time, err error)
}

var _ Roomer = (*Memory)(nil)

// Room implements Roomer: the messages key may send at once at now (at
// most its burst), or zero and when the next one may go.
func (m *Memory) Room(_ context.Context, key string, rate Rate, now time.Time) (int, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	burst := max(rate.Burst, 1)
	c := m.cells[key]
	if c != nil && now.Before(c.held) {
		return 0, c.held, nil
	}
	if rate.Every <= 0 {
		return math.MaxInt32, now, nil
	}
	if c == nil || !c.tat.After(now) {
		return burst, now, nil
	}
	allowAt := c.tat.Add(-rate.Every * time.Duration(burst-1))
	if now.Before(allowAt) {
		return 0, allowAt, nil
	}
	return min(int(now.Sub(allowAt)/rate.Every)+1, burst), now, nil
}

// observe notes that another limiter (the replicas' Redis) refused key
// until allowAt: the key's spent at least as far as that says, so Room
// then answers one at allowAt and one more each Every after, as the
// shared limiter will (a hold would answer a whole burst at allowAt).
func (m *Memory) observe(key string, rate Rate, allowAt time.Time) {
	if rate.Every <= 0 {
		_ = m.Hold(context.Background(), key, allowAt) // no rate: a Retry-After's hold
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.cells[key]
	if c == nil {
		c = &cell{}
		m.cells[key] = c
	}
	if tat := allowAt.Add(rate.Every * time.Duration(max(rate.Burst, 1)-1)); tat.After(c.tat) {
		c.tat = tat
	}
}
