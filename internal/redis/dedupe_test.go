package redis_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/redis"
	"github.com/collabot/collabot/internal/redis/redistest"
)

// counter is a handler that answers "ok" and counts calls per event.
type counter struct {
	mu    sync.Mutex
	calls map[string]int
	fail  map[string]int // failures left per event
	hook  func(m bot.Message)
}

func newCounter() *counter { return &counter{calls: map[string]int{}, fail: map[string]int{}} }

func (c *counter) Handle(_ context.Context, m bot.Message) ([]bot.Reply, error) {
	if c.hook != nil {
		c.hook(m)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[m.EventID]++
	if c.fail[m.EventID] > 0 {
		c.fail[m.EventID]--
		return nil, errors.New("handler failed")
	}
	return []bot.Reply{{Body: "ok " + m.EventID}}, nil
}

func (c *counter) count(event string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[event]
}

func msg(event string) bot.Message {
	return bot.Message{Workspace: "ws", Platform: bot.Slack, EventID: event, Channel: "C1", Text: "hello"}
}

func TestDedupeSequential(t *testing.T) {
	c := open(t, redistest.URL(t), redistest.Prefix(t), nil)
	h := newCounter()
	var dups atomic.Int64
	d := c.Dedupe(h, redis.DedupeOptions{Duplicate: func(bot.Message) { dups.Add(1) }})
	ctx := context.Background()
	answered := 0
	for range 4 {
		r, err := d.Handle(ctx, msg("Ev1"))
		if err != nil {
			t.Fatal(err)
		}
		answered += len(r)
	}
	if got := h.count("Ev1"); got != 1 || answered != 1 || dups.Load() != 3 {
		t.Errorf("handler called %d times, %d answers, %d duplicates; want 1, 1, 3", got, answered, dups.Load())
	}
	// The same id on another platform or workspace is another event.
	other := msg("Ev1")
	other.Platform = bot.DingTalk
	if r, _ := d.Handle(ctx, other); len(r) != 1 {
		t.Errorf("Ev1 on dingtalk deduplicated against slack: %v", r)
	}
	// Messages without an event id are not deduplicated at all.
	for range 3 {
		if _, err := d.Handle(ctx, msg("")); err != nil {
			t.Fatal(err)
		}
	}
	if got := h.count(""); got != 3 {
		t.Errorf("messages without id handled %d times, want 3", got)
	}
}

// TestDedupeConcurrent: four replicas (goroutines, each with its own
// client) get each of 50 events at the same moment; every event reaches a
// handler once and is answered once.
func TestDedupeConcurrent(t *testing.T) {
	url, prefix := redistest.URL(t), redistest.Prefix(t)
	h := newCounter()
	const replicas, events = 4, 50
	var ds []redis.Handler
	for range replicas {
		ds = append(ds, open(t, url, prefix, nil).Dedupe(h, redis.DedupeOptions{}))
	}
	var answered atomic.Int64
	var wg sync.WaitGroup
	for e := range events {
		go_ := make(chan struct{})
		for _, d := range ds {
			wg.Go(func() {
				<-go_
				r, err := d.Handle(context.Background(), msg(fmt.Sprint("Ev", e)))
				if err != nil {
					t.Error(err)
				}
				answered.Add(int64(len(r)))
			})
		}
		close(go_)
	}
	wg.Wait()
	for e := range events {
		if got := h.count(fmt.Sprint("Ev", e)); got != 1 {
			t.Errorf("Ev%d handled %d times", e, got)
		}
	}
	if answered.Load() != events {
		t.Errorf("%d answers for %d events", answered.Load(), events)
	}
}

// TestDedupeHandlerErrorAllowsRedelivery: a failed attempt frees the
// event, so the platform's retry is handled; after success it is not.
func TestDedupeHandlerErrorAllowsRedelivery(t *testing.T) {
	url, prefix := redistest.URL(t), redistest.Prefix(t)
	c := open(t, url, prefix, nil)
	h := newCounter()
	h.fail["Ev1"] = 1
	d := c.Dedupe(h, redis.DedupeOptions{})
	ctx := context.Background()
	if _, err := d.Handle(ctx, msg("Ev1")); err == nil {
		t.Fatal("the handler's error was not returned")
	}
	if n := redistest.Conn(t, url).Exists(ctx, prefix+"event:ws:slack:Ev1").Val(); n != 0 {
		t.Errorf("the failed claim is still there")
	}
	if r, err := d.Handle(ctx, msg("Ev1")); err != nil || len(r) != 1 {
		t.Fatalf("redelivery: %v %v", r, err)
	}
	if r, _ := d.Handle(ctx, msg("Ev1")); len(r) != 0 {
		t.Errorf("third delivery answered: %v", r)
	}
	if got := h.count("Ev1"); got != 2 {
		t.Errorf("handler called %d times, want 2", got)
	}
}

// TestDedupeReleaseKeepsAnotherClaim: a replica whose claim expired while
// its handler failed must not delete the claim another replica took since.
func TestDedupeReleaseKeepsAnotherClaim(t *testing.T) {
	url, prefix := redistest.URL(t), redistest.Prefix(t)
	rdb := redistest.Conn(t, url)
	key := prefix + "event:ws:slack:Ev1"
	h := newCounter()
	h.fail["Ev1"] = 1
	h.hook = func(bot.Message) {
		// Meanwhile the claim expired and another replica took it.
		rdb.Set(context.Background(), key, "processing:someone-else", time.Minute)
	}
	d := open(t, url, prefix, nil).Dedupe(h, redis.DedupeOptions{})
	if _, err := d.Handle(context.Background(), msg("Ev1")); err == nil {
		t.Fatal("the handler's error was not returned")
	}
	if v := rdb.Get(context.Background(), key).Val(); v != "processing:someone-else" {
		t.Errorf("key = %q, want the other replica's claim", v)
	}
}

// TestDedupeWaitsForAnotherReplica: an event another replica is handling
// right now is waited for, then dropped if it got done, handled if the
// other gave up, and refused with ErrInFlight (not acknowledged, so the
// platform redelivers it) if the other is still at it at the deadline.
func TestDedupeWaitsForAnotherReplica(t *testing.T) {
	tests := []struct {
		name      string
		finish    string // "done", "gone" or "" (still processing)
		wantCalls int
		wantDup   int64
		wantErr   error
	}{
		{name: "the other finishes", finish: "done", wantCalls: 0, wantDup: 1},
		{name: "the other fails", finish: "gone", wantCalls: 1, wantDup: 0},
		{name: "the other is still at it", finish: "", wantCalls: 0, wantDup: 0, wantErr: redis.ErrInFlight},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, prefix := redistest.URL(t), redistest.Prefix(t)
			rdb := redistest.Conn(t, url)
			ctx := context.Background()
			key := prefix + "event:ws:slack:Ev1"
			rdb.Set(ctx, key, "processing:other-replica", time.Minute)
			h := newCounter()
			var dups atomic.Int64
			const wait = 400 * time.Millisecond
			d := open(t, url, prefix, nil).Dedupe(h, redis.DedupeOptions{Wait: wait, Duplicate: func(bot.Message) { dups.Add(1) }})
			type result struct {
				r   []bot.Reply
				err error
			}
			res := make(chan result, 1)
			start := time.Now()
			go func() {
				r, err := d.Handle(ctx, msg("Ev1"))
				res <- result{r, err}
			}()
			if tt.finish != "" {
				// It must wait, not return at once.
				select {
				case r := <-res:
					t.Fatalf("returned %v while the other replica was processing", r)
				case <-time.After(wait / 4):
				}
				switch tt.finish {
				case "done":
					rdb.Set(ctx, key, "done", time.Minute)
				case "gone":
					rdb.Del(ctx, key)
				}
			}
			var r result
			select {
			case r = <-res:
			case <-time.After(5 * time.Second):
				t.Fatal("Handle did not return")
			}
			if !errors.Is(r.err, tt.wantErr) || len(r.r) != tt.wantCalls {
				t.Errorf("Handle = %v, %v; want %d answers", r.r, r.err, tt.wantCalls)
			}
			if h.count("Ev1") != tt.wantCalls || dups.Load() != tt.wantDup {
				t.Errorf("handler called %d times, %d duplicates; want %d, %d", h.count("Ev1"), dups.Load(), tt.wantCalls, tt.wantDup)
			}
			if elapsed := time.Since(start); tt.finish == "" && elapsed < wait {
				t.Errorf("gave up after %v, before the %v wait", elapsed, wait)
			}
		})
	}
}

// TestDedupeKeysAndTTLs: the claim is short-lived, the record of a
// handled event outlasts the platform's retries, both under the prefix.
func TestDedupeKeysAndTTLs(t *testing.T) {
	tests := []struct {
		name     string
		opts     redis.DedupeOptions
		min, max time.Duration // of the "done" record
	}{
		{"defaults", redis.DedupeOptions{}, 14 * time.Minute, 15 * time.Minute},
		{"too short a Done is raised", redis.DedupeOptions{Done: time.Minute}, 9 * time.Minute, 10 * time.Minute},
		{"a longer Done", redis.DedupeOptions{Done: time.Hour, Processing: 5 * time.Second}, 59 * time.Minute, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, prefix := redistest.URL(t), redistest.Prefix(t)
			rdb := redistest.Conn(t, url)
			ctx := context.Background()
			key := prefix + "event:ws:slack:Ev1"
			processing := tt.opts.Processing
			if processing == 0 {
				processing = redis.DefaultProcessing
			}
			h := newCounter()
			h.hook = func(bot.Message) {
				v, ttl := rdb.Get(ctx, key).Val(), rdb.PTTL(ctx, key).Val()
				if !strings.HasPrefix(v, "processing:") || len(v) <= len("processing:") {
					t.Errorf("while handling, key = %q", v)
				}
				if ttl <= processing-5*time.Second || ttl > processing {
					t.Errorf("while handling, PTTL = %v, want about %v", ttl, processing)
				}
			}
			if _, err := open(t, url, prefix, nil).Dedupe(h, tt.opts).Handle(ctx, msg("Ev1")); err != nil {
				t.Fatal(err)
			}
			if v := rdb.Get(ctx, key).Val(); v != "done" {
				t.Errorf("after handling, key = %q", v)
			}
			if ttl := rdb.PTTL(ctx, key).Val(); ttl < tt.min || ttl > tt.max {
				t.Errorf("done PTTL = %v, want in [%v, %v]", ttl, tt.min, tt.max)
			}
			if h.count("Ev1") != 1 {
				t.Errorf("handler called %d times", h.count("Ev1"))
			}
		})
	}
}
