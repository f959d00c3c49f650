package metrics_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/metrics"
)

func TestEvents(t *testing.T) {
	m := metrics.New()
	calls := []struct {
		p       bot.Platform
		outcome string
		times   int
	}{
		{bot.Slack, metrics.Received, 3},
		{bot.Slack, metrics.Duplicate, 2},
		{bot.DingTalk, metrics.Received, 1},
		{bot.DingTalk, metrics.Failed, 4},
	}
	for _, c := range calls {
		for range c.times {
			m.Event(c.p, c.outcome)
		}
	}
	fams := scrape(t, m)
	for _, c := range calls {
		got := value(t, fams, "collabot_events_total", labels{"platform": string(c.p), "outcome": c.outcome})
		if got != float64(c.times) {
			t.Errorf("events{%s,%s} = %v, want %d", c.p, c.outcome, got, c.times)
		}
	}
	if n := series(fams, "collabot_events_total"); n != len(calls) {
		t.Errorf("%d event series, want %d", n, len(calls))
	}
}

func TestAckedBuckets(t *testing.T) {
	m := metrics.New()
	for _, d := range []time.Duration{
		500 * time.Microsecond, 2 * time.Millisecond, 80 * time.Millisecond,
		2900 * time.Millisecond, 4 * time.Second, 10 * time.Second,
	} {
		m.Acked(bot.Slack, d)
	}
	m.Acked(bot.DingTalk, time.Millisecond)
	fams := scrape(t, m)

	h := histogram(t, fams, "collabot_ack_seconds", labels{"platform": "slack"})
	if h.GetSampleCount() != 6 {
		t.Errorf("slack ack count %d, want 6", h.GetSampleCount())
	}
	if math.Abs(h.GetSampleSum()-16.9825) > 1e-9 {
		t.Errorf("slack ack sum %v, want 16.9825", h.GetSampleSum())
	}
	// Cumulative counts at the bounds that matter for a 3 s budget.
	want := map[float64]uint64{0.001: 1, 0.0025: 2, 0.1: 3, 3: 4, 5: 5}
	bounds := bucketCounts(h)
	for le, n := range want {
		if got, ok := bounds[le]; !ok || got != n {
			t.Errorf("slack ack le=%v: %d (present %v), want %d", le, got, ok, n)
		}
	}
	var les []string
	for _, b := range h.GetBucket() {
		les = append(les, fmt.Sprint(b.GetUpperBound()))
	}
	if got := strings.Join(les, " "); got != "0.001 0.0025 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2 3 5 +Inf" {
		t.Errorf("ack buckets %s", got)
	}
	if n := histogram(t, fams, "collabot_ack_seconds", labels{"platform": "dingtalk"}).GetSampleCount(); n != 1 {
		t.Errorf("dingtalk ack count %d, want 1", n)
	}
}

func bucketCounts(h *dto.Histogram) map[float64]uint64 {
	out := map[float64]uint64{}
	for _, b := range h.GetBucket() {
		out[b.GetUpperBound()] = b.GetCumulativeCount()
	}
	return out
}

func TestSentClassification(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name      string
		err       error
		result    string
		throttled float64
	}{
		{"nil is ok", nil, "ok", 0},
		{"throttled", &bot.Throttled{After: 30 * time.Second, Err: boom}, "throttled", 1},
		{"wrapped throttled", fmt.Errorf("slack: post: %w", &bot.Throttled{After: time.Second}), "throttled", 1},
		{"joined throttled", errors.Join(boom, &bot.Throttled{After: time.Second}), "throttled", 1},
		{"undeliverable", bot.ErrUndeliverable, "undeliverable", 0},
		{"wrapped undeliverable", fmt.Errorf("route: %w", bot.ErrUndeliverable), "undeliverable", 0},
		{"other error", boom, "failed", 0},
		{"context deadline", context.DeadlineExceeded, "failed", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := metrics.New()
			m.Sent(bot.DingTalk, tt.err, 250*time.Millisecond)
			fams := scrape(t, m)
			if got := value(t, fams, "collabot_sends_total", labels{"platform": "dingtalk", "result": tt.result}); got != 1 {
				t.Errorf("sends{dingtalk,%s} = %v, want 1", tt.result, got)
			}
			if n := series(fams, "collabot_sends_total"); n != 1 {
				t.Errorf("%d send series, want only %s", n, tt.result)
			}
			got := 0.0
			if s := find(fams, "collabot_throttled_total", labels{"platform": "dingtalk"}); s != nil {
				got = s.GetCounter().GetValue()
			}
			if got != tt.throttled {
				t.Errorf("throttled_total = %v, want %v", got, tt.throttled)
			}
			h := histogram(t, fams, "collabot_send_seconds", labels{"platform": "dingtalk"})
			if h.GetSampleCount() != 1 || h.GetSampleSum() != 0.25 {
				t.Errorf("send_seconds count %d sum %v, want 1 and 0.25", h.GetSampleCount(), h.GetSampleSum())
			}
		})
	}
}

func TestDialogStepsAndReminders(t *testing.T) {
	m := metrics.New()
	for range 3 {
		m.DialogStep("request")
	}
	m.DialogStep("report")
	m.Reminder("ack_overdue", "sent")
	m.Reminder("ack_overdue", "sent")
	m.Reminder("daily_digest", "skipped")
	fams := scrape(t, m)
	checks := []struct {
		name string
		l    labels
		want float64
	}{
		{"collabot_dialog_steps_total", labels{"form": "request"}, 3},
		{"collabot_dialog_steps_total", labels{"form": "report"}, 1},
		{"collabot_reminders_total", labels{"timer": "ack_overdue", "outcome": "sent"}, 2},
		{"collabot_reminders_total", labels{"timer": "daily_digest", "outcome": "skipped"}, 1},
	}
	for _, c := range checks {
		if got := value(t, fams, c.name, c.l); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.l, got, c.want)
		}
	}
}

func TestHandle(t *testing.T) {
	m := metrics.New()
	fail := errors.New("store down")
	var seen []string
	h := m.Handle(metrics.HandlerFunc(func(_ context.Context, msg bot.Message) ([]bot.Reply, error) {
		seen = append(seen, msg.EventID)
		if msg.Text == "fail" {
			return nil, fmt.Errorf("engine: %w", fail)
		}
		return []bot.Reply{{Body: "ok " + msg.EventID}}, nil
	}))
	msgs := []bot.Message{
		{Platform: bot.Slack, EventID: "e1", Text: "hi"},
		{Platform: bot.Slack, EventID: "e2", Text: "fail"},
		{Platform: bot.DingTalk, EventID: "e3", Text: "hi"},
		{Platform: bot.DingTalk, EventID: "e4", Text: "hi"},
	}
	for _, msg := range msgs {
		replies, err := h.Handle(context.Background(), msg)
		if msg.Text == "fail" {
			if !errors.Is(err, fail) || replies != nil {
				t.Errorf("%s: replies %v err %v, want the handler's error through", msg.EventID, replies, err)
			}
			continue
		}
		if err != nil || len(replies) != 1 || replies[0].Body != "ok "+msg.EventID {
			t.Errorf("%s: replies %v err %v, want the handler's reply", msg.EventID, replies, err)
		}
	}
	if strings.Join(seen, ",") != "e1,e2,e3,e4" {
		t.Errorf("handler saw %v", seen)
	}
	fams := scrape(t, m)
	for _, c := range []struct {
		p       string
		outcome string
		want    float64
	}{
		{"slack", "received", 2},
		{"slack", "failed", 1},
		{"dingtalk", "received", 2},
	} {
		if got := value(t, fams, "collabot_events_total", labels{"platform": c.p, "outcome": c.outcome}); got != c.want {
			t.Errorf("events{%s,%s} = %v, want %v", c.p, c.outcome, got, c.want)
		}
	}
	if find(fams, "collabot_events_total", labels{"platform": "dingtalk", "outcome": "failed"}) != nil {
		t.Error("dingtalk counted a failure it did not have")
	}
}

func TestLeaseHolderSwitch(t *testing.T) {
	m := metrics.New()
	holder := func(fams map[string]*dto.MetricFamily, lease string) []string {
		var out []string
		for _, s := range fams["collabot_lease_holder"].GetMetric() {
			var l, h string
			for _, lp := range s.GetLabel() {
				switch lp.GetName() {
				case "lease":
					l = lp.GetValue()
				case "holder":
					h = lp.GetValue()
				}
			}
			if l == lease {
				if s.GetGauge().GetValue() != 1 {
					t.Errorf("holder %s of %s = %v, want 1", h, l, s.GetGauge().GetValue())
				}
				out = append(out, h)
			}
		}
		return out
	}
	steps := []struct {
		name, holder string
		held         bool
		wantHeld     float64
		wantHolders  string
	}{
		{"we take it", "replica-a", true, 1, "replica-a"},
		{"renewed", "replica-a", true, 1, "replica-a"},
		{"the other replica took over", "replica-b", false, 0, "replica-b"},
		{"back to us", "replica-a", true, 1, "replica-a"},
		{"nobody holds it", "", false, 0, ""},
	}
	m.Lease("dispatch", "replica-z", true) // another lease stays untouched
	for _, s := range steps {
		m.Lease("scheduler", s.holder, s.held)
		fams := scrape(t, m)
		if got := value(t, fams, "collabot_lease_held", labels{"lease": "scheduler"}); got != s.wantHeld {
			t.Errorf("%s: lease_held = %v, want %v", s.name, got, s.wantHeld)
		}
		if got := strings.Join(holder(fams, "scheduler"), ","); got != s.wantHolders {
			t.Errorf("%s: holders %q, want %q", s.name, got, s.wantHolders)
		}
		if got := strings.Join(holder(fams, "dispatch"), ","); got != "replica-z" {
			t.Errorf("%s: the dispatch lease's holder became %q", s.name, got)
		}
	}
}

func TestOutboxGauges(t *testing.T) {
	m := metrics.New()
	fams := scrape(t, m)
	if fams["collabot_outbox_depth"] != nil {
		t.Error("outbox depth reported before WatchOutbox")
	}
	if got := value(t, fams, "collabot_outbox_scrape_errors_total", nil); got != 0 {
		t.Errorf("scrape errors %v before any query", got)
	}

	var deadlines []time.Duration
	var fail error
	m.WatchOutbox(func(ctx context.Context) (int, time.Duration, error) {
		dl, ok := ctx.Deadline()
		if !ok {
			t.Error("outbox query without a deadline")
		}
		deadlines = append(deadlines, time.Until(dl))
		return 7, 90 * time.Second, fail
	})
	fams = scrape(t, m)
	if got := value(t, fams, "collabot_outbox_depth", nil); got != 7 {
		t.Errorf("outbox depth %v, want 7", got)
	}
	if got := value(t, fams, "collabot_outbox_oldest_seconds", nil); got != 90 {
		t.Errorf("outbox oldest %v, want 90", got)
	}
	if len(deadlines) != 1 || deadlines[0] <= 0 || deadlines[0] > time.Second {
		t.Errorf("query deadlines %v, want one within 1s", deadlines)
	}

	fail = errors.New("database is locked")
	for want := 1.0; want <= 2; want++ {
		fams = scrape(t, m)
		if fams["collabot_outbox_depth"] != nil || fams["collabot_outbox_oldest_seconds"] != nil {
			t.Errorf("failed query still reported gauges: %v", fams["collabot_outbox_depth"])
		}
		if got := value(t, fams, "collabot_outbox_scrape_errors_total", nil); got != want {
			t.Errorf("scrape errors %v, want %v", got, want)
		}
	}
	if fams["collabot_events_total"] != nil || fams["go_goroutines"] == nil {
		t.Error("a failed outbox query should leave the rest of the scrape intact")
	}

	fail = nil
	if got := value(t, scrape(t, m), "collabot_outbox_depth", nil); got != 7 {
		t.Errorf("outbox depth %v after recovery, want 7", got)
	}
}

func TestRuntimeCollectorsAndLint(t *testing.T) {
	m := metrics.New()
	m.Event(bot.Slack, metrics.Received)
	m.Acked(bot.Slack, time.Millisecond)
	m.Sent(bot.Slack, nil, time.Millisecond)
	m.Sent(bot.Slack, &bot.Throttled{}, time.Millisecond)
	m.DialogStep("request")
	m.Reminder("t", "sent")
	m.Lease("scheduler", "a", true)
	m.WatchOutbox(func(context.Context) (int, time.Duration, error) { return 0, 0, nil })
	fams := scrape(t, m)
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if fams[name] == nil {
			t.Errorf("no %s: runtime collectors missing", name)
		}
	}
	var ours []*dto.MetricFamily
	for name, f := range fams {
		if strings.HasPrefix(name, "collabot_") {
			ours = append(ours, f)
		}
	}
	if len(ours) != 12 {
		t.Errorf("%d collabot_ families, want 12", len(ours))
	}
	problems, err := promlint.NewWithMetricFamilies(ours).Lint()
	if err != nil || len(problems) != 0 {
		t.Errorf("promlint: %v %v", problems, err)
	}
}

func TestConcurrentUse(t *testing.T) {
	m := metrics.New()
	m.WatchOutbox(func(context.Context) (int, time.Duration, error) { return 1, time.Second, nil })
	const workers, each = 8, 250
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				m.Event(bot.Slack, metrics.Received)
				m.Sent(bot.DingTalk, nil, time.Millisecond)
				m.Lease("scheduler", fmt.Sprintf("r%d", (w+i)%3), i%2 == 0)
				if i%50 == 0 {
					scrape(t, m)
				}
			}
		}()
	}
	wg.Wait()
	fams := scrape(t, m)
	if got := value(t, fams, "collabot_events_total", labels{"platform": "slack", "outcome": "received"}); got != workers*each {
		t.Errorf("events %v, want %d", got, workers*each)
	}
	if got := value(t, fams, "collabot_sends_total", labels{"platform": "dingtalk", "result": "ok"}); got != workers*each {
		t.Errorf("sends %v, want %d", got, workers*each)
	}
	if n := series(fams, "collabot_lease_holder"); n != 1 {
		t.Errorf("%d lease holder series after concurrent switches, want 1", n)
	}
}

// redeliveryErr is an error that says the event was left for the
// platform to deliver again, as internal/redis's ErrInFlight does.
type redeliveryErr struct{}

func (redeliveryErr) Error() string    { return "in flight elsewhere" }
func (redeliveryErr) Redelivery() bool { return true }

func TestHandleCountsRedeliveryApart(t *testing.T) {
	m := metrics.New()
	h := m.Handle(metrics.HandlerFunc(func(context.Context, bot.Message) ([]bot.Reply, error) {
		return nil, fmt.Errorf("dedupe: %w", redeliveryErr{})
	}))
	if _, err := h.Handle(context.Background(), bot.Message{Platform: bot.Slack}); err == nil {
		t.Fatal("the error was swallowed")
	}
	fams := scrape(t, m)
	if got := value(t, fams, "collabot_events_total", labels{"platform": "slack", "outcome": "received"}); got != 1 {
		t.Errorf("received = %v, want 1", got)
	}
	if got := value(t, fams, "collabot_events_total", labels{"platform": "slack", "outcome": "redelivery"}); got != 1 {
		t.Errorf("redelivery = %v, want 1", got)
	}
	if find(fams, "collabot_events_total", labels{"platform": "slack", "outcome": "failed"}) != nil {
		t.Error("a planned redelivery counted as failed")
	}
}

// An event the store could not record in time is not a failure: the
// adapter refuses it for redelivery and counts it, once, as overloaded.
func TestOverloadedCountedByTheRefusingAdapter(t *testing.T) {
	m := metrics.New()
	h := m.Handle(metrics.HandlerFunc(func(context.Context, bot.Message) ([]bot.Reply, error) {
		return nil, fmt.Errorf("sqlite: apply: %w", bot.ErrOverloaded)
	}))
	if _, err := h.Handle(context.Background(), bot.Message{Platform: bot.Slack}); !errors.Is(err, bot.ErrOverloaded) {
		t.Fatalf("error %v, want overloaded passed through", err)
	}
	m.Refused(bot.Slack)() // what the adapter calls as it answers 503
	fams := scrape(t, m)
	if got := value(t, fams, "collabot_events_total", labels{"platform": "slack", "outcome": "overloaded"}); got != 1 {
		t.Errorf("overloaded = %v, want 1", got)
	}
	if find(fams, "collabot_events_total", labels{"platform": "slack", "outcome": "failed"}) != nil {
		t.Error("an overloaded event counted as failed")
	}
}
