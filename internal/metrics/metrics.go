// Package metrics is collabot's Prometheus metrics, served by
// `collabot serve` on /metrics.
//
// Every label value comes from a small fixed set: platform names, timer
// names, outcomes, form names, lease names and replica ids. Free text (a
// message, a subject, a person, an error string) must never become a label
// value: each distinct value is a new series kept for the life of the
// process, and a label is scraped and stored in the clear.
//
// A *Metrics is safe for concurrent use. It is not nil-safe: a process
// that wants no metrics still builds one and simply does not serve it.
package metrics

import (
	"net/http"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Event outcomes, the outcome label of collabot_events_total.
const (
	Received  = "received"  // an event handed to the engine
	Duplicate = "duplicate" // a redelivered event, dropped by its id
	Failed    = "failed"    // the engine returned an error
	// Redelivery: left unacknowledged on purpose for the platform to
	// deliver again (another replica was still handling it), not a failure.
	Redelivery = "redelivery"
	// Foreign: refused because it came from another workspace (a Slack
	// team or DingTalk organisation this deployment does not serve);
	// never handed to the engine, so it is not Received.
	Foreign = "foreign"
	// Overloaded: refused unrecorded because the store could not record
	// it within the acknowledgement budget (or its queue was full), in a
	// way the platform delivers again (HTTP 503, no Socket Mode ack, a
	// DingTalk frame left unacknowledged). Counted by the adapter that
	// refused it; its redelivery counts as Received again.
	Overloaded = "overloaded"
)

// Metrics holds collabot's collectors in a registry of its own, so a
// library's metrics on the global default registry never leak into ours.
type Metrics struct {
	reg *prometheus.Registry

	events      *prometheus.CounterVec
	ack         *prometheus.HistogramVec
	dialogSteps *prometheus.CounterVec
	sends       *prometheus.CounterVec
	sendSeconds *prometheus.HistogramVec
	throttled   *prometheus.CounterVec
	reminders   *prometheus.CounterVec
	leaseHeld   *prometheus.GaugeVec
	leaseHolder *prometheus.GaugeVec

	mu      sync.Mutex        // guards holders
	holders map[string]string // lease -> holder series currently set

	outbox *outboxCollector
}

// ackBuckets fit the platforms' 3 s acknowledgement budget (Slack retries
// an event not acked within 3 s): fine below 100 ms where a healthy ack
// sits, then 3 s itself and 5 s for the ones that blew it.
var ackBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5}

// sendBuckets cover a platform API call up to the dispatcher's timeout.
var sendBuckets = []float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// New builds the metrics, with the Go runtime and process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "collabot_events_total",
			Help: "Chat events by platform and outcome (received, duplicate, failed, redelivery, foreign, overloaded).",
		}, []string{"platform", "outcome"}),
		ack: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "collabot_ack_seconds",
			Help:    "Time from an event's arrival to its acknowledgement to the platform.",
			Buckets: ackBuckets,
		}, []string{"platform"}),
		dialogSteps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "collabot_dialog_steps_total",
			Help: "Answers given in line-by-line form dialogs, by form.",
		}, []string{"form"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "collabot_sends_total",
			Help: "Notifications sent, by platform and result (ok, throttled, failed, undeliverable).",
		}, []string{"platform", "result"}),
		sendSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "collabot_send_seconds",
			Help:    "Platform send latency, one observation per notification.",
			Buckets: sendBuckets,
		}, []string{"platform"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "collabot_throttled_total",
			Help: "Sends the platform asked to retry later (rate limited).",
		}, []string{"platform"}),
		reminders: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "collabot_reminders_total",
			Help: "Scheduler timer firings, by timer and outcome.",
		}, []string{"timer", "outcome"}),
		leaseHeld: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "collabot_lease_held",
			Help: "1 if this replica holds the lease, else 0.",
		}, []string{"lease"}),
		leaseHolder: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "collabot_lease_holder",
			Help: "Always 1, labelled with the replica this one last saw holding the lease.",
		}, []string{"lease", "holder"}),
		holders: map[string]string{},
		outbox:  newOutboxCollector(),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.events, m.ack, m.dialogSteps, m.sends, m.sendSeconds, m.throttled,
		m.reminders, m.leaseHeld, m.leaseHolder, m.outbox,
	)
	return m
}

// Handler serves the registry in the Prometheus exposition formats. A
// collector that fails is reported in the body's comments and the rest
// is still served, so one broken probe does not blind the whole scrape.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		Registry:      m.reg, // promhttp_metric_handler_errors_total
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// Lease reports this replica's view of a lease (the scheduler's, the
// dispatcher's): whether it holds it, and which replica does. An empty
// holder means nobody is known to; the previous holder's series is
// removed so exactly one holder shows per lease.
func (m *Metrics) Lease(name, holder string, held bool) {
	v := 0.0
	if held {
		v = 1
	}
	m.leaseHeld.WithLabelValues(name).Set(v)

	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.holders[name]; ok && old != holder {
		m.leaseHolder.DeleteLabelValues(name, old)
		delete(m.holders, name)
	}
	if holder != "" {
		m.leaseHolder.WithLabelValues(name, holder).Set(1)
		m.holders[name] = holder
	}
}

// Reminder counts one firing of a scheduler timer.
func (m *Metrics) Reminder(timer, outcome string) {
	m.reminders.WithLabelValues(timer, outcome).Inc()
}

// DialogStep counts one answer in a form dialog.
func (m *Metrics) DialogStep(form string) {
	m.dialogSteps.WithLabelValues(form).Inc()
}
