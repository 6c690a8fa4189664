package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"missiongrants/internal/metrics"
)

// Requests are counted by route, never by raw path (ids would make endless
// series), with their latency.
func TestMetricsCountRequestsByRoute(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.metrics = metrics.New()
	browser := s.client(t)
	browser.get("/")
	browser.get("/applications/123")
	browser.get("/no/such/page")
	rec := httptest.NewRecorder()
	s.metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`missiongrants_http_requests_total{method="GET",route="/",status="200"} 1`,
		`missiongrants_http_requests_total{method="GET",route="/applications/:id",status="303"} 1`,
		`route="unmatched",status="404"`,
		`missiongrants_http_request_seconds_bucket{route="/",le="0.005"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "/applications/123") {
		t.Error("a raw path became a label")
	}
}
