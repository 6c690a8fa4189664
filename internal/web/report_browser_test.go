package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/browser"
)

// The charity files its post-trip report; the admin accepts it; the impact
// page shows the new totals and its chart.
func TestBrowserReportAcceptedShowsOnTheImpactPage(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "es", "Rosa")
	app := ch.submitted("Misión Honduras 2027")
	if _, err := s.db.Exec(`UPDATE applications SET status = 'approved'`); err != nil {
		t.Fatal(err)
	}
	s.clock.Set(afterTheTrip)

	charity := browser.Open(t, browser.AcceptLanguage("es"))
	browserLogin(t, charity, srv.URL, ch.person(t, s))
	charity.Do(chromedp.Navigate(srv.URL + app + "/report"))
	wantHeading(t, charity, s.cat.T("es", "page.report.title"))
	fill(charity, "f-infants", "3", "f-children", "9", "f-adults", "12", "f-open_heart", "20", "f-bypass", "18", "f-interventional", "4",
		"f-deaths_discharge", "1", "f-complications", "2", "f-lost_follow_up", "0", "f-narrative", "24 pacientes operados en Tegucigalpa.",
		"f-mix_child_2_cases", "8", "f-mix_child_3_cases", "4", "f-mix_child_3_deaths_hospital", "1", "f-mix_adult_valve_cases", "12")
	// The case mix's grid of counts fits the phone's width: nothing scrolls sideways.
	if w := browser.Run(charity, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); w > 0 {
		t.Errorf("the report form is %d px wider than the screen", w)
	}
	clickAndWait(t, charity, `button[name="action"][value="submit"]`)
	waitText(t, charity, ".flash", s.cat.T("es", "flash.report_submitted"))
	charity.AssertNoConsoleErrors()

	// The admin (Spanish) accepts it and looks at the impact page.
	admin := browser.Open(t, browser.Desktop())
	browserLoginWithCode(t, admin, srv.URL, people[demoAdmin])
	admin.Do(chromedp.Navigate(srv.URL + app + "/report"))
	clickAndWait(t, admin, `form[action$="/report/review"] button[type="submit"]`)
	admin.Do(chromedp.Navigate(srv.URL + "/impact"))
	waitText(t, admin, "main", "24 pacientes atendidos")
	if n := browser.Run(admin, chromedp.Evaluate[int](`document.querySelectorAll("figure.chart rect.bar").length`)); n != 1 {
		t.Errorf("the chart has %d bars, want 1", n)
	}
	if w := browser.Run(admin, chromedp.Evaluate[string](`document.querySelector("figure.chart rect.bar").getAttribute("width")`)); w != "100" {
		t.Errorf("the only bar is %s wide, want 100", w)
	}
	page := browser.Run(admin, chromedp.Text(chromedp.CSS("main table")))
	for _, want := range []string{"Honduras", "2027", "24"} { // the trip's year
		if !strings.Contains(page, want) {
			t.Errorf("the impact table lacks %q:\n%s", want, page)
		}
	}
	admin.AssertNoConsoleErrors()
}
