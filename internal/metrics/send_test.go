package metrics_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/metrics"
)

// fakeSender fails the notifications whose id is in errs.
type fakeSender struct {
	platform bot.Platform
	errs     map[int64]error
	sent     []int64
}

func (f *fakeSender) Platform() bot.Platform { return f.platform }

func (f *fakeSender) Send(_ context.Context, n bot.Notification) error {
	f.sent = append(f.sent, n.ID)
	return f.errs[n.ID]
}

// fakeBatcher also merges; batchErr is what SendBatch returns.
type fakeBatcher struct {
	fakeSender
	batches  [][]int64
	batchErr error
}

func (f *fakeBatcher) SendBatch(_ context.Context, ns []bot.Notification) error {
	ids := make([]int64, len(ns))
	for i, n := range ns {
		ids[i] = n.ID
	}
	f.batches = append(f.batches, ids)
	return f.batchErr
}

// partialError is shaped like the DingTalk adapter's *BatchError.
type partialError struct {
	delivered []int64
	cause     error
}

func (e *partialError) Error() string         { return "some not sent" }
func (e *partialError) Unwrap() error         { return e.cause }
func (e *partialError) DeliveredIDs() []int64 { return e.delivered }

type batcher interface {
	SendBatch(ctx context.Context, ns []bot.Notification) error
}

func notes(ids ...int64) []bot.Notification {
	ns := make([]bot.Notification, len(ids))
	for i, id := range ids {
		ns[i] = bot.Notification{ID: id}
	}
	return ns
}

func TestSendersCountEverySend(t *testing.T) {
	m := metrics.New()
	boom := errors.New("boom")
	slack := &fakeSender{platform: bot.Slack, errs: map[int64]error{
		2: &bot.Throttled{After: time.Second},
		3: boom,
	}}
	wrapped := m.Senders(slack)
	if len(wrapped) != 1 || wrapped[0].Platform() != bot.Slack {
		t.Fatalf("Senders = %v", wrapped)
	}
	if _, ok := wrapped[0].(batcher); ok {
		t.Error("a sender without SendBatch gained one through the wrapper")
	}
	for _, n := range notes(1, 2, 3, 4) {
		err := wrapped[0].Send(context.Background(), n)
		if want := slack.errs[n.ID]; err != want {
			t.Errorf("Send(%d) = %v, want the sender's own error %v", n.ID, err, want)
		}
	}
	if fmt.Sprint(slack.sent) != "[1 2 3 4]" {
		t.Errorf("sender got %v", slack.sent)
	}
	fams := scrape(t, m)
	for res, want := range map[string]float64{"ok": 2, "throttled": 1, "failed": 1} {
		if got := value(t, fams, "collabot_sends_total", labels{"platform": "slack", "result": res}); got != want {
			t.Errorf("sends{slack,%s} = %v, want %v", res, got, want)
		}
	}
	if got := value(t, fams, "collabot_throttled_total", labels{"platform": "slack"}); got != 1 {
		t.Errorf("throttled_total = %v, want 1", got)
	}
	if n := histogram(t, fams, "collabot_send_seconds", labels{"platform": "slack"}).GetSampleCount(); n != 4 {
		t.Errorf("send_seconds count %d, want 4", n)
	}
}

func TestSendersKeepSendBatch(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name     string
		batchErr error
		ids      []int64
		want     map[string]float64 // result -> count
	}{
		{"all sent", nil, []int64{1, 2, 3}, map[string]float64{"ok": 3}},
		{"all failed", boom, []int64{1, 2}, map[string]float64{"failed": 2}},
		{"throttled", fmt.Errorf("dingtalk: %w", &bot.Throttled{After: time.Minute}), []int64{1, 2, 3, 4},
			map[string]float64{"throttled": 4}},
		{"partly delivered", &partialError{delivered: []int64{1, 3}, cause: boom}, []int64{1, 2, 3},
			map[string]float64{"ok": 2, "failed": 1}},
		{"partly throttled", &partialError{delivered: []int64{2}, cause: &bot.Throttled{After: time.Second}}, []int64{1, 2, 3},
			map[string]float64{"ok": 1, "throttled": 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := metrics.New()
			ding := &fakeBatcher{fakeSender: fakeSender{platform: bot.DingTalk}, batchErr: tt.batchErr}
			plain := &fakeSender{platform: bot.Slack}
			wrapped := m.Senders(plain, ding)
			b, ok := wrapped[1].(batcher)
			if !ok {
				t.Fatal("the wrapper hid SendBatch")
			}
			if _, ok := wrapped[0].(batcher); ok {
				t.Error("the plain sender's wrapper claims SendBatch")
			}
			err := b.SendBatch(context.Background(), notes(tt.ids...))
			if err != tt.batchErr {
				t.Errorf("SendBatch = %v, want the sender's own error %v", err, tt.batchErr)
			}
			if len(ding.batches) != 1 || fmt.Sprint(ding.batches[0]) != fmt.Sprint(tt.ids) || len(ding.sent) != 0 {
				t.Errorf("batches %v, sends %v: want one batch of %v", ding.batches, ding.sent, tt.ids)
			}
			fams := scrape(t, m)
			for res, want := range tt.want {
				if got := value(t, fams, "collabot_sends_total", labels{"platform": "dingtalk", "result": res}); got != want {
					t.Errorf("sends{dingtalk,%s} = %v, want %v", res, got, want)
				}
			}
			if n := series(fams, "collabot_sends_total"); n != len(tt.want) {
				t.Errorf("%d send series, want %d", n, len(tt.want))
			}
			h := histogram(t, fams, "collabot_send_seconds", labels{"platform": "dingtalk"})
			if h.GetSampleCount() != uint64(len(tt.ids)) {
				t.Errorf("send_seconds count %d, want one per notification (%d)", h.GetSampleCount(), len(tt.ids))
			}
			wantThrottled := tt.want["throttled"]
			got := 0.0
			if s := find(fams, "collabot_throttled_total", labels{"platform": "dingtalk"}); s != nil {
				got = s.GetCounter().GetValue()
			}
			if got != wantThrottled {
				t.Errorf("throttled_total %v, want %v", got, wantThrottled)
			}
		})
	}
}

// fakeDirect also sends one text to several people in one call.
type fakeDirect struct{ fakeBatcher }

func (*fakeDirect) DirectBatch() int { return 20 }

// TestSendersKeepDirectBatch: the wrapper of a sender with DirectBatch has
// it too, and only then, so the dispatcher still hands it same-text
// direct messages together.
func TestSendersKeepDirectBatch(t *testing.T) {
	type direct interface{ DirectBatch() int }
	m := metrics.New()
	wrapped := m.Senders(&fakeDirect{fakeBatcher{fakeSender: fakeSender{platform: bot.DingTalk}}},
		&fakeBatcher{fakeSender: fakeSender{platform: bot.DingTalk}})
	if d, ok := wrapped[0].(direct); !ok || d.DirectBatch() != 20 {
		t.Error("the wrapper hid DirectBatch")
	}
	if _, ok := wrapped[0].(batcher); !ok {
		t.Error("the wrapper of a direct batcher hid SendBatch")
	}
	if _, ok := wrapped[1].(direct); ok {
		t.Error("a batch sender without DirectBatch gained one through the wrapper")
	}
}
