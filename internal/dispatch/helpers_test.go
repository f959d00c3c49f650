package dispatch_test

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/dispatch"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// clock is a fake bot.Clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// memRow is one outbox row of memOutbox, with everything a test may check.
type memRow struct {
	q        bot.Queued
	next     time.Time
	sent     bool
	lastErr  string
	deferred int
	claims   int
}

// memOutbox is an in-memory Outbox with the store's semantics, so tests
// can see attempts, causes and schedules.
type memOutbox struct {
	mu   sync.Mutex
	rows []*memRow
	// writes counts the calls that move rows (Defer, DeferAll), not rows.
	writes int
}

var _ dispatch.Outbox = (*memOutbox)(nil)

// add queues a notice due at t0; its Key must be unique.
func (m *memOutbox) add(n bot.Notice) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := int64(len(m.rows) + 1)
	m.rows = append(m.rows, &memRow{q: bot.Queued{ID: id, Workspace: "acme", Notice: n}, next: t0})
	return id
}

func (m *memOutbox) row(id int64) memRow {
	m.mu.Lock()
	defer m.mu.Unlock()
	return *m.rows[id-1]
}

func (m *memOutbox) unsent() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, r := range m.rows {
		if !r.sent {
			n++
		}
	}
	return n
}

func (m *memOutbox) Claim(_ context.Context, now time.Time, limit int, hold time.Duration) ([]bot.Queued, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var due []*memRow
	for _, r := range m.rows {
		if !r.sent && !r.next.After(now) {
			due = append(due, r)
		}
	}
	slices.SortStableFunc(due, func(a, b *memRow) int { return a.next.Compare(b.next) })
	var out []bot.Queued
	for _, r := range due[:min(limit, len(due))] {
		r.next = now.Add(hold)
		r.claims++
		out = append(out, r.q)
	}
	return out, nil
}

func (m *memOutbox) MarkSent(_ context.Context, id int64, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r := m.rows[id-1]; !r.sent {
		r.sent = true
		r.q.Attempts++
	}
	return nil
}

func (m *memOutbox) MarkFailed(_ context.Context, id int64, cause error, retryAt time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r := m.rows[id-1]; !r.sent {
		r.q.Attempts++
		r.lastErr = cause.Error()
		r.next = retryAt
	}
	return nil
}

func (m *memOutbox) Defer(_ context.Context, id int64, until time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.writes++
	if r := m.rows[id-1]; !r.sent {
		r.next = until
		r.deferred++
	}
	return nil
}

// batchOutbox is a memOutbox that also moves many rows in one write, as
// the SQLite store does.
type batchOutbox struct{ *memOutbox }

var _ dispatch.Rescheduler = batchOutbox{}

func (m batchOutbox) DeferAll(_ context.Context, until map[int64]time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.writes++
	for id, at := range until {
		if r := m.rows[id-1]; !r.sent {
			r.next = at
			r.deferred++
		}
	}
	return nil
}

// notice builds a notice the test renderer understands: to a person with
// accounts like "slack:U1", or to a group like "slack:C1".
func notice(key, to, where string) bot.Notice {
	n := bot.Notice{Key: key, Kind: "ack_requested", Collab: 3, To: bot.PersonID(to), Params: map[string]string{"where": where}}
	n.ToGroup = to == ""
	return n
}

// render is a stand-in for the engine's: it reads where a notice goes
// from its "where" parameter and puts a recognisable body in the reply.
func render(_ context.Context, ws bot.Workspace, n bot.Notice) (bot.Notification, error) {
	out := bot.Notification{To: n.To, Kind: n.Kind, Collab: n.Collab, Reply: bot.Reply{Body: "BODY " + n.Key}}
	if n.To == "" {
		out.Group = n.Params["where"]
		return out, nil
	}
	for _, acc := range strings.Split(n.Params["where"], ",") {
		if p, id, ok := strings.Cut(acc, ":"); ok {
			out.Accounts = append(out.Accounts, bot.Identity{Platform: bot.Platform(p), ID: id})
		}
	}
	return out, nil
}

// delivery is one Send as a sender saw it.
type delivery struct {
	n  bot.Notification
	at time.Time // on the fake clock
}

// sender records what it is asked to send; fail, when set, decides each
// answer (nil accepts).
type sender struct {
	platform bot.Platform
	clock    bot.Clock
	fail     func(n bot.Notification, try int) error

	mu    sync.Mutex
	got   []delivery
	tries map[int64]int
}

func newSender(p bot.Platform, c bot.Clock) *sender {
	return &sender{platform: p, clock: c, tries: map[int64]int{}}
}

func (s *sender) Platform() bot.Platform { return s.platform }

func (s *sender) Send(_ context.Context, n bot.Notification) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tries[n.ID]++
	if s.fail != nil {
		if err := s.fail(n, s.tries[n.ID]); err != nil {
			return err
		}
	}
	s.got = append(s.got, delivery{n: n, at: s.clock.Now()})
	return nil
}

func (s *sender) deliveries() []delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.got)
}

// byID counts deliveries per outbox row.
func byID(ds []delivery) map[int64]int {
	out := map[int64]int{}
	for _, d := range ds {
		out[d.n.ID]++
	}
	return out
}

// where is the channel a delivery went to (the group, or the person).
func where(d delivery) string { return cmp.Or(d.n.Group, "@"+string(d.n.To)) }

// logBuffer captures a dispatcher's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func newDispatcher(t testing.TB, o dispatch.Options) *dispatch.Dispatcher {
	t.Helper()
	if o.Render == nil {
		o.Render = render
	}
	if o.Jitter == nil {
		o.Jitter = func() float64 { return 0 }
	}
	d, err := dispatch.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// drainFor drains once per step of fake time until the outbox is empty or
// limit has passed, the way Run would with a short interval.
func drainFor(t testing.TB, d *dispatch.Dispatcher, c *clock, out *memOutbox, step, limit time.Duration) {
	t.Helper()
	for end := c.Now().Add(limit); c.Now().Before(end); c.Add(step) {
		if _, err := d.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		if out.unsent() == 0 {
			return
		}
	}
	t.Fatalf("%d rows still unsent after %s of fake time", out.unsent(), limit)
}

func key(i int) string { return fmt.Sprintf("n/%d", i) }
