package dispatch_test

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/dispatch"
)

// signalSender reports each delivery on a channel.
type signalSender struct{ sent chan int64 }

func (signalSender) Platform() bot.Platform { return bot.Console }

func (s signalSender) Send(_ context.Context, n bot.Notification) error {
	s.sent <- n.ID
	return nil
}

func TestRunWakesOnKick(t *testing.T) {
	c := newClock()
	out := &memOutbox{}
	s := signalSender{sent: make(chan int64, 10)}
	d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c})
	if err := d.Run(context.Background(), 0); err == nil {
		t.Error("Run accepted a zero interval")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- d.Run(ctx, time.Hour) }()

	for i := range 3 { // each new notice is delivered at once, not in an hour
		id := out.add(notice(key(i), "", "console:g"))
		d.Kick()
		select {
		case got := <-s.sent:
			if got != id {
				t.Fatalf("delivered %d, want %d", got, id)
			}
		case <-time.After(time.Minute):
			t.Fatalf("notice %d not delivered after a kick", id)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run returned %v after its context ended", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Run did not return after its context ended")
	}
}

func TestFlushOnShutdown(t *testing.T) {
	out := &memOutbox{}
	for i := range 5 {
		out.add(notice(key(i), "", "console:g"))
	}
	throttled := out.add(notice(key(5), "", "console:slow"))
	s := newSender(bot.Console, bot.SystemClock)
	s.fail = func(n bot.Notification, _ int) error {
		if n.ID == throttled {
			return &bot.Throttled{After: time.Hour, Err: errors.New("slow down")}
		}
		return nil
	}
	// Real time, a fast rate: Flush waits for the rows the rate deferred.
	limits := dispatch.Limits{bot.Console: {Channel: dispatch.Rate{Every: 20 * time.Millisecond, Burst: 1}}}
	d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: bot.SystemClock, Limits: limits})
	for _, r := range out.rows {
		r.next = time.Time{} // due now, whatever the machine's date
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as on SIGTERM: the service's context is already done
	n, err := d.Flush(ctx, time.Minute)
	if err != nil || n != 5 {
		t.Errorf("flushed %d, %v; want the 5 due within the timeout", n, err)
	}
	if r := out.row(throttled); r.sent {
		t.Error("a row held for an hour was sent")
	}
}

// batchRecorder is a DingTalk-like sender that merges group messages.
type batchRecorder struct {
	*sender
	mu      sync.Mutex
	batches [][]int64
	fail    int // how many SendBatch calls fail first
}

func (b *batchRecorder) SendBatch(_ context.Context, ns []bot.Notification) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail > 0 {
		b.fail--
		return errors.New("dingtalk: 500")
	}
	var ids []int64
	for _, n := range ns {
		ids = append(ids, n.ID)
		b.got = append(b.got, delivery{n: n, at: b.clock.Now()})
	}
	b.batches = append(b.batches, ids)
	return nil
}

func TestMergesGroupNotifications(t *testing.T) {
	c := newClock()
	out := &memOutbox{}
	var group []int64
	for i := range 20 {
		group = append(group, out.add(notice(key(i), "", "dingtalk:cid1")))
	}
	out.add(notice(key(20), "amy", "dingtalk:staff1"))
	out.add(notice(key(21), "ben", "dingtalk:staff2"))
	s := &batchRecorder{sender: newSender(bot.DingTalk, c), fail: 1}
	d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c})
	drainFor(t, d, c, out, time.Second, 5*time.Minute)

	var merged []int64
	for _, b := range s.batches {
		if len(b) > 8 {
			t.Errorf("a batch of %d, want at most 8", len(b))
		}
		merged = append(merged, b...)
	}
	if !slices.Equal(merged, group) || len(s.batches) != 3 {
		t.Errorf("batches %v, want the 20 group notices in order in 3 messages", s.batches)
	}
	if got := byID(s.deliveries()); len(got) != 22 {
		t.Errorf("%d of 22 notices delivered", len(got))
	}
	if r := out.row(group[0]); r.q.Attempts != 2 {
		t.Errorf("first group row: %d attempts, want the failed merged send counted", r.q.Attempts)
	}
	var prev time.Time
	for _, dl := range s.deliveries() {
		if dl.n.Group == "dingtalk:cid1" && !prev.IsZero() && dl.at.After(prev) && dl.at.Sub(prev) < 3*time.Second {
			t.Errorf("group messages %s apart, want ≥ 3 s", dl.at.Sub(prev))
		}
		if dl.n.Group == "dingtalk:cid1" {
			prev = dl.at
		}
	}
}

// switchLease is held or not as the test says, and counts the checks.
type switchLease struct {
	held   atomic.Bool
	checks atomic.Int32
}

func (l *switchLease) Do(ctx context.Context, fn func(context.Context) error) (bool, error) {
	l.checks.Add(1)
	if !l.held.Load() {
		return false, nil
	}
	return true, fn(ctx)
}

func TestRunDrainsOnlyUnderTheLease(t *testing.T) {
	c := newClock()
	out := &memOutbox{}
	s := signalSender{sent: make(chan int64, 10)}
	lease := &switchLease{}
	d := newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c, Lease: lease})
	id := out.add(notice(key(0), "", "console:g"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error)
	go func() { done <- d.Run(ctx, time.Millisecond) }()

	// Another replica holds the lease: the rounds check it and send nothing.
	deadline := time.Now().Add(time.Minute)
	for lease.checks.Load() < 5 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if lease.checks.Load() < 5 {
		t.Fatal("Run did not check the lease on its rounds")
	}
	select {
	case got := <-s.sent:
		t.Fatalf("notice %d sent without the lease", got)
	default:
	}
	// This replica takes over: the next round delivers.
	lease.held.Store(true)
	select {
	case got := <-s.sent:
		if got != id {
			t.Fatalf("delivered %d, want %d", got, id)
		}
	case <-time.After(time.Minute):
		t.Fatal("notice not delivered once the lease was held")
	}

	// Without the lease again, what this process queues and kicks still
	// goes out at once.
	lease.held.Store(false)
	id = out.add(notice(key(1), "", "console:g"))
	d.Kick()
	select {
	case got := <-s.sent:
		if got != id {
			t.Fatalf("delivered %d, want %d", got, id)
		}
	case <-time.After(time.Minute):
		t.Fatal("a kicked notice waited for the lease")
	}
	cancel()
	<-done

	// Flush, at shutdown, does not wait for the lease either.
	id = out.add(notice(key(2), "", "console:g"))
	if n, err := d.Flush(context.Background(), time.Minute); err != nil || n != 1 {
		t.Errorf("Flush without the lease sent %d, %v; want 1", n, err)
	}
	if got := <-s.sent; got != id {
		t.Errorf("flushed %d, want %d", got, id)
	}
}
