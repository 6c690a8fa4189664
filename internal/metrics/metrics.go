// Package metrics is what the portal tells Prometheus: requests and their
// latency, uploads, and jobs. One registry per process, passed explicitly.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the portal's collectors.
type Metrics struct {
	registry *prometheus.Registry
	Requests *prometheus.CounterVec   // by method, route and status
	Latency  *prometheus.HistogramVec // by route
	Uploads  *prometheus.CounterVec   // by outcome: accepted or refused
	Jobs     *prometheus.CounterVec   // by kind and outcome
}

// New registers the collectors, with Go's and the process's own.
func New() *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		registry: r,
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "missiongrants_http_requests_total", Help: "HTTP requests answered."},
			[]string{"method", "route", "status"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "missiongrants_http_request_seconds", Help: "Time to answer a request.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}}, []string{"route"}),
		Uploads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "missiongrants_uploads_total", Help: "Document uploads."},
			[]string{"outcome"}),
		Jobs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "missiongrants_jobs_total", Help: "Background jobs run."},
			[]string{"kind", "outcome"}),
	}
	r.MustRegister(m.Requests, m.Latency, m.Uploads, m.Jobs, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus's format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Outcome names a result for a label.
func Outcome(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}
