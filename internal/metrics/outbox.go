package metrics

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// outboxTimeout bounds the outbox query a scrape runs, so a locked or
// slow database delays the scrape by at most this much.
const outboxTimeout = time.Second

type outboxFunc func(ctx context.Context) (depth int, oldest time.Duration, err error)

// WatchOutbox sets the query reporting the outbox: how many notices wait
// and how long the oldest has. It runs at each scrape, with a 1 s
// deadline in ctx, which f must honour. When it fails the two gauges are
// left out of that scrape (a stale value would look healthy) and
// collabot_outbox_scrape_errors_total counts the failure. A later call
// replaces f.
func (m *Metrics) WatchOutbox(f func(ctx context.Context) (depth int, oldest time.Duration, err error)) {
	of := outboxFunc(f)
	m.outbox.f.Store(&of)
}

// outboxCollector queries the outbox at scrape time rather than keeping
// gauges a loop would have to refresh: the figures are as fresh as the
// scrape and cost nothing between scrapes.
type outboxCollector struct {
	f      atomic.Pointer[outboxFunc]
	depth  *prometheus.Desc
	oldest *prometheus.Desc
	errors prometheus.Counter
}

func newOutboxCollector() *outboxCollector {
	return &outboxCollector{
		depth: prometheus.NewDesc("collabot_outbox_depth",
			"Notifications waiting in the outbox.", nil, nil),
		oldest: prometheus.NewDesc("collabot_outbox_oldest_seconds",
			"Age of the oldest notification waiting in the outbox.", nil, nil),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "collabot_outbox_scrape_errors_total",
			Help: "Scrapes whose outbox query failed or timed out.",
		}),
	}
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.oldest
	c.errors.Describe(ch)
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	if f := c.f.Load(); f != nil {
		ctx, cancel := context.WithTimeout(context.Background(), outboxTimeout)
		depth, oldest, err := (*f)(ctx)
		cancel()
		if err == nil {
			ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(depth))
			ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, oldest.Seconds())
		} else {
			c.errors.Inc()
		}
	}
	c.errors.Collect(ch)
}
