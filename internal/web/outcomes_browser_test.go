package web

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/browser"
)

// On a phone (360 px) the outcomes page fits the screen: the funnel plot
// scales to it, the tables read as lists, nothing scrolls sideways; the
// page runs no script error under the strict CSP.
func TestBrowserOutcomesPageOnAPhone(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	people := s.seedDemo(t)
	s.earlierTrip(t, s.newCharity(t, "es", "Rosa"))

	tab := browser.Open(t)
	browserLoginWithCode(t, tab, srv.URL, people[demoBoard])
	tab.Do(chromedp.Navigate(srv.URL + "/board/outcomes"))
	wantHeading(t, tab, s.cat.T("en", "page.outcomes.title"))
	if w := browser.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); w > 0 {
		t.Errorf("the outcomes page is %d px wider than the screen", w)
	}
	if w := browser.Run(tab, chromedp.Evaluate[int](`Math.round(document.querySelector(".funnel svg").getBoundingClientRect().width)`)); w < 250 || w > 360 {
		t.Errorf("the funnel plot is %d px wide on a 360 px screen", w)
	}
	if n := browser.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll(".funnel circle.point").length`)); n != 1 {
		t.Errorf("%d points on the funnel plot, want 1", n)
	}
	tab.AssertNoConsoleErrors()
}
