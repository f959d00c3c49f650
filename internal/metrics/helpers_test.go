package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/collabot/collabot/internal/metrics"
)

// scrape GETs /metrics as Prometheus would and parses the text body.
func scrape(t *testing.T, m *metrics.Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept", "text/plain; version=0.0.4")
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: status %d: %s", rec.Code, rec.Body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

type labels map[string]string

// find returns the series of family name whose labels are exactly want.
func find(fams map[string]*dto.MetricFamily, name string, want labels) *dto.Metric {
	f, ok := fams[name]
	if !ok {
		return nil
	}
	for _, m := range f.GetMetric() {
		if len(m.GetLabel()) != len(want) {
			continue
		}
		match := true
		for _, l := range m.GetLabel() {
			if v, ok := want[l.GetName()]; !ok || v != l.GetValue() {
				match = false
				break
			}
		}
		if match {
			return m
		}
	}
	return nil
}

// value is a counter's or gauge's value; it fails the test if the series
// is missing, so a zero never passes for an absent series.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, l labels) float64 {
	t.Helper()
	m := find(fams, name, l)
	if m == nil {
		t.Fatalf("no series %s%v", name, l)
	}
	switch {
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	}
	t.Fatalf("%s%v is neither counter nor gauge", name, l)
	return 0
}

func histogram(t *testing.T, fams map[string]*dto.MetricFamily, name string, l labels) *dto.Histogram {
	t.Helper()
	m := find(fams, name, l)
	if m == nil || m.Histogram == nil {
		t.Fatalf("no histogram %s%v", name, l)
	}
	return m.GetHistogram()
}

func series(fams map[string]*dto.MetricFamily, name string) int {
	return len(fams[name].GetMetric())
}
