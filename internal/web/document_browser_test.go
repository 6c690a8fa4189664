package web

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/browser"
)

// A charity uploads its documents with the progress bar, one of them
// refused with its reason, then submits.
func TestBrowserUploadsWithProgressThenSubmit(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	ch := s.newCharity(t, "es", "Rosa")
	app := ch.startEmptyApplication()
	dir := t.TempDir()
	files := map[string][]byte{"estatutos.pdf": pdfBytes, "presupuesto.pdf": elfBytes, "presupuesto-bueno.pdf": pdfBytes}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Larger than the limit (25 MB): the page refuses it before sending a
	// byte, which on a slow line saves minutes. (A sparse file: no disk used.)
	big, err := os.Create(filepath.Join(dir, "presupuesto-escaneado.pdf"))
	if err == nil {
		err = big.Truncate(26 << 20)
		big.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	tab := browser.Open(t, browser.AcceptLanguage("es"))
	browserLogin(t, tab, srv.URL, ch.person(t, s))
	tab.Do(chromedp.Navigate(srv.URL + app + "/documents"))
	wantHeading(t, tab, s.cat.T("es", "page.documents.title"))

	uploaded := s.cat.T("es", "page.documents.done")
	uploads := []struct{ kind, file, status string }{
		{"charitable_status", "estatutos.pdf", uploaded},
		{"budget_sheet", "presupuesto.pdf", "No se acepta este tipo de archivo"},
		{"budget_sheet", "presupuesto-escaneado.pdf", "Este archivo supera el límite de 25 MB"},
		{"budget_sheet", "presupuesto-bueno.pdf", uploaded},
	}
	for i, u := range uploads {
		if i > 0 && uploads[i-1].status != uploaded { // a refusal leaves the page as it is
			tab.Do(chromedp.Navigate(srv.URL + app + "/documents"))
		}
		tab.Do(chromedp.SetValue(chromedp.ID("f-kind"), u.kind),
			chromedp.SetUploadFiles("#f-file", []string{filepath.Join(dir, u.file)}),
			chromedp.Click(`form[data-upload] button[type="submit"]`))
		waitText(t, tab, "[data-upload-list]", u.status)
		if u.status != uploaded && browser.Run(tab, chromedp.Evaluate[bool](`document.querySelector("[data-upload-list] li.refused progress") !== null`)) {
			t.Errorf("%s: the refused file keeps its progress bar", u.file)
		}
		if u.status == uploaded {
			if v := browser.Run(tab, chromedp.Evaluate[int](`document.querySelector("[data-upload-list] progress").value`)); v != 100 {
				t.Errorf("%s: the progress bar ends at %d", u.file, v)
			}
			// The page reloads itself and lists the file; navigating
			// meanwhile would race that reload.
			waitText(t, tab, "ul.documents", u.file)
		}
	}
	// The other required documents, then the form, then submit.
	for _, kind := range []string{"host_agreement", "team_licence"} {
		wantStatus(t, ch.upload(app, kind, "2028-01-01", kind+".pdf", pdfBytes), http.StatusSeeOther)
	}
	browserSendBySections(t, tab, srv.URL, app, completeApplication())
	page := browser.Run(tab, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(page, s.cat.T("es", "app.status.submitted")) {
		t.Errorf("after submitting, the page says:\n%s", page)
	}
	for _, e := range tab.ConsoleErrors() {
		if !strings.Contains(e, "422") { // the refused file's own answer
			t.Errorf("browser console: %s", e)
		}
	}
}
