package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"missiongrants/internal/dbtest"
)

// Two portal processes share one database, and so one count of failed
// logins: guessing alternately on both locks the account after the same
// number of tries as on one. The lockout page says, in the person's
// language, when to try again; meanwhile even the right password is refused.
func TestLoginLockoutHoldsAcrossServers(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	servers := []*testServer{newTestServerOn(t, pool), newTestServerOn(t, pool)}
	p := servers[0].seedDemo(t)["solicitante@demo.missiongrants.test"]
	wrong := url.Values{"email": {p.email}, "password": {"not the password"}}
	const allowed = 10 // account.defaultLimits.LoginPerPair

	browsers := []*client{servers[0].client(t, "Accept-Language", "es"), servers[1].client(t, "Accept-Language", "es")}
	start := time.Now().UTC()
	for i := range allowed + 1 {
		rec := browsers[i%2].post("/login", wrong)
		if i < allowed {
			wantStatus(t, rec, http.StatusUnprocessableEntity)
			mustContain(t, rec, servers[0].text("es", "error.account.invalid_credentials"))
			continue
		}
		wantStatus(t, rec, http.StatusTooManyRequests)
		lockoutSays(t, rec.Body.String(), `Demasiados intentos\. Inténtelo de nuevo dentro de (\d+) minutos, a las (\d\d:\d\d) UTC\.`, start)
	}

	// The right password, on either server and in English: still refused,
	// in English.
	for _, s := range servers {
		c := s.client(t, "Accept-Language", "en")
		rec := c.post("/login", url.Values{"email": {p.email}, "password": {p.password}})
		wantStatus(t, rec, http.StatusTooManyRequests)
		lockoutSays(t, rec.Body.String(), `Too many attempts\. Please try again in (\d+) minutes, at (\d\d:\d\d) UTC\.`, start)
		wantRedirect(t, c.get("/dashboard"), "/login?next=%2Fdashboard")
	}
}

// lockoutSays checks that page tells to wait about the window (15 minutes)
// that began at start, and until when.
func lockoutSays(t *testing.T, page, pattern string, start time.Time) {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the lockout page does not say when to try again (%s):\n%.2000s", pattern, page)
	}
	const window = 15 * time.Minute
	if minutes, _ := strconv.Atoi(m[1]); minutes < 13 || minutes > 15 {
		t.Errorf("the lockout page says to wait %d minutes, want about 15", minutes)
	}
	earliest, latest := start.Add(window).Truncate(time.Minute), time.Now().UTC().Add(window)
	ok := false
	for at := earliest; !at.After(latest); at = at.Add(time.Minute) {
		ok = ok || at.Format("15:04") == m[2]
	}
	if !ok {
		t.Errorf("the lockout page says to come back at %s UTC, want between %s and %s", m[2], earliest.Format("15:04"), latest.Format("15:04"))
	}
}
