package web

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestErrorsAreFriendlyPagesInThePersonsLanguage(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	engine := s.engine
	engine.GET("/test/panic", func(c *gin.Context) { panic("secret internal detail") })
	engine.GET("/test/fail", s.handle(func(c *gin.Context) error { return errors.New("pq: secret internal detail") }))

	cases := []struct {
		path, accept string
		status       int
		want         string
	}{
		{"/no-such-page", "es", http.StatusNotFound, "No encontramos esta página"},
		{"/no-such-page", "en", http.StatusNotFound, "We could not find this page"},
		{"/test/panic", "es", http.StatusInternalServerError, "algo falló de nuestro lado"},
		{"/test/fail", "en", http.StatusInternalServerError, "something went wrong on our side"},
	}
	for _, tc := range cases {
		rec := s.client(t, "Accept-Language", tc.accept).get(tc.path)
		wantStatus(t, rec, tc.status)
		mustContain(t, rec, tc.want, rec.Header().Get("X-Request-Id"))
		if strings.Contains(rec.Body.String(), "secret internal detail") || strings.Contains(rec.Body.String(), "goroutine") {
			t.Errorf("%s leaks internals", tc.path)
		}
	}
	wantStatus(t, s.client(t).post("/", nil), http.StatusMethodNotAllowed)
}
