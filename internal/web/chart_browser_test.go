package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"missiongrants/internal/demo"
	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/browser"
)

// The demo's charts on a 360 px phone in Spanish and on a desktop: each
// fits, says its title, and each row its label and value in words; the
// public impact page leads with the patients served.
func TestBrowserChartsSayWhatTheyShow(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	if err := demo.Seed(context.Background(), s.db, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	for _, size := range []struct {
		name string
		opt  browser.Option
	}{{"phone", browser.WindowSize(360, 740, true)}, {"desktop", browser.Desktop()}} {
		tab := browser.Open(t, browser.AcceptLanguage("es"), size.opt)
		tab.Do(chromedp.Navigate(srv.URL + "/impact"))
		wantHeading(t, tab, s.cat.T("es", "page.impact.title"))
		figures := browser.Run(tab, chromedp.Text(chromedp.CSS(".key-figures")))
		if !strings.Contains(figures, s.cat.T("es", "page.impact.patients")) {
			t.Errorf("%s: the impact page's headline figures: %q", size.name, figures)
		}
		chart := browser.Run(tab, chromedp.Text(chromedp.CSS("figure.chart")))
		if !strings.Contains(chart, s.cat.T("es", "page.impact.chart_label")) || !strings.Contains(chart, s.cat.T("es", "page.impact.patients")) {
			t.Errorf("%s: the impact chart says %q", size.name, chart)
		}
		if fits := browser.Run(tab, chromedp.Evaluate[bool](fitsWidth)); !fits {
			t.Errorf("%s: the impact page is wider than the screen", size.name)
		}
		// Each table has a caption and its headers a scope; on the phone,
		// where a table reads as a list, every value shows its column's name.
		if bad := browser.Run(tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll("main table")].flatMap(t => [
			...(t.caption && t.caption.textContent.trim() ? [] : ["a table without a caption"]),
			...[...t.querySelectorAll("th")].filter(h => !h.getAttribute("scope")).map(h => "no scope: " + h.textContent),
			...(innerWidth > 640 ? [] : [...t.querySelectorAll("tbody td, tfoot td")].filter(d => {
				const before = getComputedStyle(d, "::before").content;
				return !before || before === "none" || before === "normal";
			}).map(d => "no label: " + d.textContent))])`)); len(bad) > 0 {
			t.Errorf("%s: the impact page's tables: %q", size.name, bad)
		}
		tab.Screenshot(t.Name() + "-impact-" + size.name)

		if admin := people[demoAdmin]; admin.phone != nil {
			browserLoginWithCode(t, tab, srv.URL, admin)
		} else {
			browserLogin(t, tab, srv.URL, admin)
		}
		tab.Do(chromedp.Navigate(srv.URL + "/admin/dashboard"))
		if n := browser.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("figure.chart figcaption").length`)); n != 5 {
			t.Errorf("%s: %d charts with a title, want 5", size.name, n)
		}
		// Every row of every chart has a value in words beside its label.
		if bad := browser.Run(tab, chromedp.Evaluate[int](`[...document.querySelectorAll(".chart-row")].filter(r =>
			!r.querySelector(".chart-label").textContent.trim() || !r.querySelector(".chart-value").textContent.trim()).length`)); bad != 0 {
			t.Errorf("%s: %d chart rows without a label or a value", size.name, bad)
		}
		if fits := browser.Run(tab, chromedp.Evaluate[bool](fitsWidth)); !fits {
			t.Errorf("%s: the dashboard is wider than the screen", size.name)
		}
		tab.Screenshot(t.Name() + "-dashboard-" + size.name)
		tab.AssertNoConsoleErrors()
	}
}
