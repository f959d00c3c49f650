package dispatch_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/dispatch"
)

func TestRetriesWithGrowingDelay(t *testing.T) {
	c := newClock()
	out := &memOutbox{}
	id := out.add(notice(key(1), "ben", "slack:U0BEN"))
	s := newSender(bot.Slack, c)
	var tried []time.Time
	s.fail = func(_ bot.Notification, try int) error {
		tried = append(tried, c.Now())
		if try < 3 {
			return errors.New("slack: internal_error")
		}
		return nil
	}
	d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c})
	drainFor(t, d, c, out, 100*time.Millisecond, time.Minute)

	// Tries at t0, then 2 s later, then 4 s after that (no jitter).
	want := []time.Time{t0, t0.Add(2 * time.Second), t0.Add(6 * time.Second)}
	if !slices.EqualFunc(tried, want, time.Time.Equal) {
		t.Errorf("tried at %v, want %v", tried, want)
	}
	if got := byID(s.deliveries()); got[id] != 1 || len(got) != 1 {
		t.Errorf("deliveries %v, want row %d once", got, id)
	}
	if r := out.row(id); !r.sent || r.q.Attempts != 3 || r.lastErr != "slack: internal_error" {
		t.Errorf("row %+v: want sent with 3 attempts and the last cause", r)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	for _, tt := range []struct {
		failures int
		jitter   float64
		min, max time.Duration
	}{
		{1, 0, 2 * time.Second, 2 * time.Second},
		{2, 0, 4 * time.Second, 4 * time.Second},
		{5, 0, 32 * time.Second, 32 * time.Second},
		{11, 0, 30 * time.Minute, 30 * time.Minute},
		{60, 0, 30 * time.Minute, 30 * time.Minute},
		{1, 0.999, 1800 * time.Millisecond, 2 * time.Second},
		{60, 0.999, 27 * time.Minute, 30 * time.Minute},
	} {
		c := newClock()
		out := &memOutbox{}
		id := out.add(notice(key(1), "ben", "slack:U0BEN"))
		out.rows[0].q.Attempts = tt.failures - 1
		s := newSender(bot.Slack, c)
		s.fail = func(bot.Notification, int) error { return errors.New("down") }
		d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c, Jitter: func() float64 { return tt.jitter }})
		if _, err := d.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		if delay := out.row(id).next.Sub(t0); delay < tt.min || delay > tt.max {
			t.Errorf("after %d failures (jitter %v) retry in %s, want %s…%s", tt.failures, tt.jitter, delay, tt.min, tt.max)
		}
	}
}

// wide is a throttling cause that covers the whole workspace.
type wide struct{}

func (wide) Error() string       { return "app rate limited" }
func (wide) WorkspaceWide() bool { return true }

func TestRetryAfterHoldsTheChannel(t *testing.T) {
	for _, tt := range []struct {
		name        string
		cause       error
		othersFlow  bool
		platform    bot.Platform
		held, other string
	}{
		{"a channel's throttle", errors.New("130101 send too fast"), true, bot.DingTalk, "dingtalk:cidA", "dingtalk:cidB"},
		{"a slack throttle", errors.New("ratelimited"), true, bot.Slack, "slack:C1", "slack:C2"},
		{"a workspace-wide throttle", wide{}, false, bot.Slack, "slack:C1", "slack:C2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			out := &memOutbox{}
			var heldIDs []int64
			for i := range 4 {
				group := []string{tt.held, tt.other}[i%2]
				id := out.add(notice(key(i), "", group))
				if group == tt.held {
					heldIDs = append(heldIDs, id)
				}
			}
			s := newSender(tt.platform, c)
			s.fail = func(n bot.Notification, try int) error {
				if n.ID == heldIDs[0] && try == 1 {
					return &bot.Throttled{After: 30 * time.Second, Err: tt.cause}
				}
				return nil
			}
			// Rate limits off: only the throttle holds anything back.
			d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c, Limits: dispatch.Limits{}})
			drainFor(t, d, c, out, time.Second, 2*time.Minute)

			got := s.deliveries()
			for _, dl := range got {
				if dl.n.Group == tt.held && dl.at.Before(t0.Add(30*time.Second)) {
					t.Errorf("row %d sent to the held channel at +%s", dl.n.ID, dl.at.Sub(t0))
				}
				if dl.n.Group == tt.other && tt.othersFlow && dl.at.After(t0) {
					t.Errorf("row %d to another channel waited until +%s", dl.n.ID, dl.at.Sub(t0))
				}
				if dl.n.Group == tt.other && !tt.othersFlow && dl.at.Before(t0.Add(30*time.Second)) {
					t.Errorf("row %d sent at +%s through a workspace-wide hold", dl.n.ID, dl.at.Sub(t0))
				}
			}
			for id, n := range byID(got) {
				if n != 1 {
					t.Errorf("row %d delivered %d times", id, n)
				}
			}
			if len(byID(got)) != 4 {
				t.Errorf("%d of 4 rows delivered", len(byID(got)))
			}
			if r := out.row(heldIDs[0]); r.q.Attempts != 2 || !strings.Contains(r.lastErr, "throttled") {
				t.Errorf("throttled row %+v: want 2 attempts, the throttle as its last cause", r)
			}
		})
	}
}

func TestRateLimitsPaceEachChannel(t *testing.T) {
	c := newClock()
	out := &memOutbox{}
	for i := range 10 {
		out.add(notice(key(i), "", "slack:C1"))
	}
	for i := 10; i < 13; i++ {
		out.add(notice(key(i), "", "slack:C2"))
	}
	out.add(notice(key(13), "bob", "slack:U0BOB"))
	s := newSender(bot.Slack, c)
	d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c})
	drainFor(t, d, c, out, 100*time.Millisecond, time.Minute)

	last := map[string]time.Time{}
	first := map[string]time.Time{}
	count := map[string]int{}
	for _, dl := range s.deliveries() {
		w := where(dl)
		if prev, ok := last[w]; ok && dl.at.Sub(prev) < time.Second {
			t.Errorf("%s: two messages %s apart", w, dl.at.Sub(prev))
		}
		if _, ok := first[w]; !ok {
			first[w] = dl.at
		}
		last[w] = dl.at
		count[w]++
	}
	if count["slack:C1"] != 10 || count["slack:C2"] != 3 || count["@bob"] != 1 {
		t.Errorf("per channel %v", count)
	}
	if !first["slack:C2"].Equal(t0) || !first["@bob"].Equal(t0) {
		t.Errorf("other channels started at %v, %v: held back by C1", first["slack:C2"], first["@bob"])
	}
	if !last["slack:C2"].Before(last["slack:C1"]) {
		t.Errorf("C2 finished at %v, after C1 at %v", last["slack:C2"], last["slack:C1"])
	}
	for _, r := range out.rows {
		if r.q.Attempts != 1 {
			t.Errorf("row %d: %d attempts; waiting for the rate is not an attempt", r.q.ID, r.q.Attempts)
		}
		if r.deferred > 2 {
			t.Errorf("row %d deferred %d times; rows behind a limit should be spread out", r.q.ID, r.deferred)
		}
	}
}

// failingLimiter stands for a shared limiter that is unreachable; it
// counts how often it was asked.
type failingLimiter struct{ takes *atomic.Int32 }

func (l failingLimiter) Take(context.Context, string, dispatch.Rate, time.Time) (bool, time.Time, error) {
	l.takes.Add(1)
	return false, time.Time{}, errors.New("redis: connection refused")
}

func (failingLimiter) Hold(context.Context, string, time.Time) error {
	return errors.New("redis: connection refused")
}

// TestLimiterOutageStillPaces: with the shared limiter down, delivery goes
// on, paced by the process's own limiter (1 a second on a Slack channel),
// the shared one asked once per pass, one warning per pass.
func TestLimiterOutageStillPaces(t *testing.T) {
	c := newClock()
	out := &memOutbox{}
	for i := range 5 {
		out.add(notice(key(i), "", "slack:C1"))
	}
	var logs logBuffer
	s := newSender(bot.Slack, c)
	lim := failingLimiter{takes: &atomic.Int32{}}
	d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c, Limiter: lim, Log: logs.logger()})
	if n, err := d.Drain(context.Background()); err != nil || n != 1 {
		t.Fatalf("first pass sent %d, %v; want 1, the channel's rate", n, err)
	}
	if got := lim.takes.Load(); got != 1 {
		t.Errorf("the failing limiter was asked %d times in one pass, want once", got)
	}
	if got := strings.Count(logs.String(), "shared rate limiter failed"); got != 1 {
		t.Errorf("%d limiter warnings in one pass, want 1:\n%s", got, logs.String())
	}
	drainFor(t, d, c, out, 100*time.Millisecond, time.Minute)
	var prev time.Time
	for i, dl := range s.deliveries() {
		if i > 0 && dl.at.Sub(prev) < time.Second {
			t.Errorf("sends %v apart during the outage, want ≥ 1 s", dl.at.Sub(prev))
		}
		prev = dl.at
	}
	if got := len(s.deliveries()); got != 5 {
		t.Errorf("%d of 5 delivered", got)
	}
}

// TestCancelledDrainHandsBack: at shutdown, the send in flight finishes
// and is recorded (cut off, it might have reached the platform and go
// out again), and the rows not reached are due again at once, for the
// shutdown's Flush or another replica, with no attempt counted.
func TestCancelledDrainHandsBack(t *testing.T) {
	c := newClock()
	out := &memOutbox{}
	for i := range 5 {
		out.add(notice(key(i), "", "console:g"))
	}
	s := &gateSender{started: make(chan struct{}), release: make(chan struct{})}
	d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c, Hold: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := d.Drain(ctx)
		done <- err
	}()
	<-s.started
	cancel()
	close(s.release)
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("drain returned %v, want context.Canceled", err)
	}
	for i, r := range out.rows {
		switch {
		case i == 0 && !r.sent:
			t.Errorf("the send in flight at shutdown was not recorded: %+v", r)
		case i > 0 && (r.sent || r.q.Attempts != 0 || !r.next.Equal(t0)):
			t.Errorf("row %d %+v: want handed back, due now, no attempt", i, r)
		}
	}
	if n, err := d.Flush(context.Background(), time.Minute); err != nil || n != 4 {
		t.Errorf("Flush after the cancelled drain sent %d, %v; want the 4 handed back", n, err)
	}
}

// gateSender accepts each notification once the test releases it.
type gateSender struct {
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func (*gateSender) Platform() bot.Platform { return bot.Console }

func (g *gateSender) Send(context.Context, bot.Notification) error {
	g.once.Do(func() { close(g.started) })
	<-g.release
	return nil
}

// blockingSender accepts nothing: it waits for its context to end.
type blockingSender struct{ started chan struct{} }

func (*blockingSender) Platform() bot.Platform { return bot.Console }

func (b *blockingSender) Send(ctx context.Context, _ bot.Notification) error {
	close(b.started)
	<-ctx.Done()
	return ctx.Err()
}

func TestOneLinePerSendWithoutTheBody(t *testing.T) {
	c := newClock()
	out := &memOutbox{}
	out.add(notice("secret-key", "ben", "slack:U0BEN"))
	var logs logBuffer
	d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{newSender(bot.Slack, c)}, Clock: c, Log: logs.logger()})
	if _, err := d.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	line := logs.String()
	for _, w := range []string{"notification sent", "workspace=acme", "platform=slack", "kind=ack_requested", "collab=COL-3", "outbox_id=1", "latency="} {
		if !strings.Contains(line, w) {
			t.Errorf("log lacks %q: %s", w, line)
		}
	}
	if strings.Contains(line, "BODY") || strings.Count(line, "\n") != 1 {
		t.Errorf("want one line without the body: %s", line)
	}
}

func TestWorkersKeepEachChannelInOrder(t *testing.T) {
	c := newClock()
	out := &memOutbox{}
	for i := range 200 {
		out.add(notice(key(i), "", "console:g"+string(rune('a'+i%10))))
	}
	s := newSender(bot.Console, c)
	d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c, Workers: 4, Batch: 64})
	if n, err := d.DrainAll(context.Background()); err != nil || n != 200 {
		t.Fatalf("sent %d, %v", n, err)
	}
	last := map[string]int64{}
	for _, dl := range s.deliveries() {
		if dl.n.ID < last[dl.n.Group] {
			t.Errorf("%s: row %d after row %d", dl.n.Group, dl.n.ID, last[dl.n.Group])
		}
		last[dl.n.Group] = dl.n.ID
	}
}

func TestStoreFailureStopsTheDrain(t *testing.T) {
	c := newClock()
	out := &brokenOutbox{memOutbox: &memOutbox{}}
	for i := range 3 {
		out.add(notice(key(i), "", "console:g"))
	}
	var logs logBuffer
	s := newSender(bot.Console, c)
	d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c, Log: logs.logger()})
	n, err := d.Drain(context.Background())
	if err == nil || n != 0 || len(s.deliveries()) != 1 {
		t.Errorf("sent %d (%d delivered), %v; want the drain to stop after the first row could not be recorded", n, len(s.deliveries()), err)
	}
	if !strings.Contains(logs.String(), "sent but not recorded") {
		t.Errorf("log: %s", logs.String())
	}
}

// brokenOutbox cannot record a send (the disk is full).
type brokenOutbox struct{ *memOutbox }

func (*brokenOutbox) MarkSent(context.Context, int64, time.Time) error {
	return errors.New("disk I/O error")
}

func TestNewRefusesBadOptions(t *testing.T) {
	c := newClock()
	for _, o := range []dispatch.Options{
		{Render: render},
		{Outbox: &memOutbox{}},
		{Outbox: &memOutbox{}, Render: render, Senders: []bot.Sender{newSender(bot.Slack, c), newSender(bot.Slack, c)}},
		{Outbox: &memOutbox{}, Render: render, Senders: []bot.Sender{nil}},
	} {
		if _, err := dispatch.New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
}

// partial is a batch sender whose first batch the platform takes in part:
// it accepts the first notification and refuses the rest.
type partial struct {
	*sender
	batches [][]int64
}

type partialErr struct{ ok []int64 }

func (e partialErr) Error() string         { return "some not sent" }
func (e partialErr) DeliveredIDs() []int64 { return e.ok }

func (p *partial) SendBatch(_ context.Context, ns []bot.Notification) error {
	ids := make([]int64, len(ns))
	for i, n := range ns {
		ids[i] = n.ID
	}
	p.batches = append(p.batches, ids)
	if len(p.batches) == 1 {
		return partialErr{ok: ids[:1]}
	}
	return nil
}

// TestPartBatchDeliveredMarked: what a batch delivered in part did deliver
// is marked sent, and only the rest is sent again (it was all sent again
// before, doubling the delivered part).
func TestPartBatchDeliveredMarked(t *testing.T) {
	c := newClock()
	out := &memOutbox{}
	for i := range 3 {
		out.add(notice(key(i), "", "dingtalk:cidG"))
	}
	s := &partial{sender: newSender(bot.DingTalk, c)}
	d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c, Limits: dispatch.Limits{}})
	drainFor(t, d, c, out, time.Second, time.Minute)
	if len(s.batches) != 2 || !slices.Equal(s.batches[1], []int64{2, 3}) {
		t.Errorf("batches %v, want [1 2 3] then [2 3]", s.batches)
	}
}
