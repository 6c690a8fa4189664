package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/browser"
)

const (
	homeTitleEN = "Grants for cardiac-surgery mission trips"
	homeTitleES = "Subvenciones para misiones de cirugía cardíaca"
)

// fitsWidth is true when nothing sticks out sideways: a phone user never has
// to scroll horizontally.
const fitsWidth = `document.documentElement.scrollWidth <= window.innerWidth`

// A visitor's browser tells the portal its time zone (app.js asks a
// worker, off the page's thread), so the next pages show times in it; a
// CSP refusal of the worker would show as a console error.
func TestBrowserSendsItsTimeZone(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	srv := httptest.NewServer(newTestServer(t).Handler())
	t.Cleanup(srv.Close)
	tab := browser.Open(t, browser.Zone("America/Santo_Domingo"))
	tab.Do(chromedp.Navigate(srv.URL + "/"))
	testenv.Eventually(t, 20*time.Second, "the page sets the tz cookie", func() bool {
		return strings.Contains(browser.Run(tab, chromedp.Evaluate[string](`document.cookie`)), "tz=America%2FSanto_Domingo")
	})
	tab.AssertNoConsoleErrors()
}

// A Spanish-speaking visitor gets the portal in Spanish, switches to English
// with the header's language selector (submitted by app.js, with its CSRF
// token), and keeps English on the next pages.
func TestBrowserLanguageSwitch(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	srv := httptest.NewServer(newTestServer(t).Handler())
	t.Cleanup(srv.Close)
	tab := browser.Open(t, browser.AcceptLanguage("es"))

	tab.Do(
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="es"] h1`)),
		// app.js ran: it hides the no-JS submit button.
		chromedp.WaitReady(chromedp.CSS(`button[data-no-script][hidden]`)),
		chromedp.WaitNotVisible(chromedp.CSS(`form.lang button[type="submit"]`)),
	)
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS("h1"))); got != homeTitleES {
		t.Fatalf("Spanish home page h1 = %q, want %q", got, homeTitleES)
	}
	if w := browser.Run(tab, chromedp.Evaluate[int](`window.innerWidth`)); w != browser.PhoneWidth {
		t.Errorf("window.innerWidth = %d, want a phone's %d", w, browser.PhoneWidth)
	}
	if !browser.Run(tab, chromedp.Evaluate[bool](fitsWidth)) {
		t.Errorf("the Spanish home page is wider than a phone: scrollWidth %d", browser.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)))
	}

	// Choosing English with the keyboard: one option up changes the select
	// but not yet the page, so a keyboard user can look through the
	// languages; Enter chooses. app.js then submits the form with its CSRF
	// token, and the portal redirects back here.
	if prev := browser.Run(tab, chromedp.Evaluate[string](`document.querySelector("#lang-select option:checked").previousElementSibling?.value ?? ""`)); prev != "en" {
		t.Fatalf("the option above Español is %q, want en: the test must pick English another way", prev)
	}
	tab.Do(chromedp.Focus(chromedp.ID("lang-select")), chromedp.KeyEvent(kb.ArrowUp))
	if sel, lang := browser.Run(tab, chromedp.Value(chromedp.ID("lang-select"))), browser.Run(tab, chromedp.Evaluate[string](`document.documentElement.lang`)); sel != "en" || lang != "es" {
		t.Errorf("after an arrow key the select shows %q and the page is in %q; want en, still es", sel, lang)
	}
	tab.Do(chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] h1`)))
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS("h1"))); got != homeTitleEN {
		t.Fatalf("after choosing English, h1 = %q, want %q", got, homeTitleEN)
	}
	if loc := browser.Run(tab, chromedp.Location()); loc != srv.URL+"/" {
		t.Errorf("after choosing English the browser is at %s, want back at %s/", loc, srv.URL)
	}
	if sel := browser.Run(tab, chromedp.Value(chromedp.ID("lang-select"))); sel != "en" {
		t.Errorf("the language selector shows %q, want en", sel)
	}

	// The choice outlives the page: a new visit stays in English although
	// the browser still asks for Spanish.
	tab.Do(
		chromedp.Navigate(srv.URL+"/?again"),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] h1`)),
	)
	if got := browser.Run(tab, chromedp.Text(chromedp.CSS("h1"))); got != homeTitleEN {
		t.Fatalf("on the next visit, h1 = %q, want %q", got, homeTitleEN)
	}
	if !browser.Run(tab, chromedp.Evaluate[bool](fitsWidth)) {
		t.Errorf("the English home page is wider than a phone: scrollWidth %d", browser.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)))
	}
	tab.AssertNoConsoleErrors()
}

// The home page fits a phone and a desktop; the screenshots are kept in
// browser.ArtifactDir() for a person to look at.
func TestBrowserHomeLayout(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	srv := httptest.NewServer(newTestServer(t).Handler())
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		name  string
		width int
		opts  []browser.Option
	}{
		{"phone", browser.PhoneWidth, nil},
		{"desktop", browser.DesktopWidth, []browser.Option{browser.Desktop()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tab := browser.Open(t, tc.opts...)
			tab.Do(
				chromedp.Navigate(srv.URL+"/"),
				chromedp.WaitVisible(chromedp.CSS("footer")),
			)
			if w := browser.Run(tab, chromedp.Evaluate[int](`window.innerWidth`)); w != tc.width {
				t.Errorf("window.innerWidth = %d, want %d", w, tc.width)
			}
			if !browser.Run(tab, chromedp.Evaluate[bool](fitsWidth)) {
				t.Errorf("the home page is wider than the window: scrollWidth %d", browser.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)))
			}
			t.Logf("screenshot: %s", tab.Screenshot("home-"+tc.name))
			tab.AssertNoConsoleErrors()
		})
	}
}
