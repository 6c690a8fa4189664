package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"missiongrants/internal/testenv"
)

// A new charity fills its application in Spanish over two sittings, the
// page saving by itself; submits with a mistake, fixes it, submits, and
// sees its status and timeline.
func TestBrowserApplicationInSpanishOverTwoSittings(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	ch := s.newCharity(t, "es", "Rosa")
	app := ch.startApplication()
	p := ch.person(t, s)

	// First sitting: she types the title and the city, and the page says it saved.
	first := testenv.Browser(t, testenv.AcceptLanguage("es"))
	browserLogin(t, first, srv.URL, p)
	first.Do(chromedp.Navigate(srv.URL + app + "/edit"))
	first.Do(chromedp.SendKeys(chromedp.ID("f-title"), "Corazones para Honduras 2027"), chromedp.SendKeys(chromedp.ID("f-city"), "San Pedro Sula"))
	waitText(t, first, "#autosave-status", "Borrador guardado")
	// She stops typing; the page saves the city too, without a button.
	testenv.Eventually(t, 20*time.Second, "the city is saved", func() bool {
		var city string
		_ = s.db.Get(&city, `SELECT draft->>'city' FROM applications WHERE id = $1`, strings.TrimPrefix(app, "/applications/"))
		return city == "San Pedro Sula"
	})
	first.AssertNoConsoleErrors()

	// Second sitting, another browser: what she typed is there.
	second := testenv.Browser(t, testenv.AcceptLanguage("es"))
	browserLogin(t, second, srv.URL, p)
	second.Do(chromedp.Navigate(srv.URL + app + "/edit"))
	if got := testenv.Run(second, chromedp.Value(chromedp.ID("f-title"))); got != "Corazones para Honduras 2027" {
		t.Fatalf("the title in the second sitting is %q", got)
	}
	if got := testenv.Run(second, chromedp.Value(chromedp.ID("f-city"))); got != "San Pedro Sula" {
		t.Fatalf("the city in the second sitting is %q", got)
	}

	// She completes the form, with one amount mistyped, and submits.
	values := completeApplication()
	values.Del("title")
	values.Del("city")
	values.Set("amount_requested", "20.000,,5")
	fillForm(t, second, values)
	if status := pressExpecting(t, second, `button[name="action"][value="submit"]`); status != 422 {
		t.Fatalf("a submission with a mistake answered %d", status)
	}
	if got := testenv.Run(second, chromedp.Text(chromedp.ID("f-amount_requested-error"))); !strings.Contains(got, "Ingrese el monto en números") {
		t.Errorf("the error beside the amount says %q", got)
	}
	// The summary of mistakes has the focus, for a screen reader to read out.
	if focused := testenv.Run(second, chromedp.Evaluate[string](`document.activeElement.className`)); focused != "error-summary" {
		t.Errorf("after the refusal the focus is on %q, not the summary of mistakes", focused)
	}
	if got := testenv.Run(second, chromedp.Value(chromedp.ID("f-hospital"))); got != "Hospital Escuela" {
		t.Errorf("after the refusal the hospital field holds %q", got)
	}

	// She fixes it and submits again.
	second.Do(chromedp.SetValue(chromedp.ID("f-amount_requested"), "20.000"))
	if status := pressExpecting(t, second, `button[name="action"][value="submit"]`); status >= 400 {
		t.Fatalf("the corrected submission answered %d", status)
	}
	wantHeading(t, second, "Corazones para Honduras 2027")
	page := testenv.Run(second, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"Enviada", "Borrador iniciado", "Versión 1", "US$20.000,00"} {
		if !strings.Contains(page, want) {
			t.Errorf("the application page lacks %q", want)
		}
	}
	for _, e := range second.ConsoleErrors() {
		if !strings.Contains(e, "422") { // the refused submission's own status
			t.Errorf("browser console: %s", e)
		}
	}
}

// browserLoginWithCode logs in a person with two-step verification: the
// password, then a code from their phone.
func browserLoginWithCode(t *testing.T, tab *testenv.Tab, base string, p person) {
	t.Helper()
	browserLogin(t, tab, base, p)
	fill(tab, "f-code", p.phone.code(t))
	clickAndWait(t, tab, `main button[type="submit"]`)
}

func browserLogin(t *testing.T, tab *testenv.Tab, base string, p person) {
	t.Helper()
	tab.Do(chromedp.Navigate(base + "/login"))
	fill(tab, "f-email", p.email, "f-password", p.password)
	clickAndWait(t, tab, `main button[type="submit"]`)
}

// waitText waits until the element's text contains want. It asks again
// and again rather than waiting inside the page, because the page may be
// navigating (a form posting, a reload) while it waits.
func waitText(t *testing.T, tab *testenv.Tab, sel, want string) {
	t.Helper()
	js := `(document.querySelector(` + jsString(sel) + `) || {}).textContent || ""`
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var got string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); <-tick.C {
		ctx, cancel := context.WithTimeout(tab, 2*time.Second)
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		cancel()
		if err == nil {
			if got = text; strings.Contains(got, want) {
				return
			}
		}
	}
	t.Fatalf("%s never said %q (it says %q)", sel, want, got)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// fillForm sets fields by name the way a person's typing would end: the
// value, then an input event, so the page's scripts see it.
func fillForm(t *testing.T, tab *testenv.Tab, values map[string][]string) {
	t.Helper()
	b, _ := json.Marshal(values)
	testenv.Run(tab, chromedp.Evaluate[bool](`(() => {
		const values = `+string(b)+`;
		const form = document.getElementById("application-form");
		for (const [name, vals] of Object.entries(values)) {
			const fields = form.querySelectorAll("[name='" + name + "']");
			fields.forEach((el, i) => {
				if (el.type === "radio" || el.type === "checkbox") { el.checked = vals.includes(el.value); }
				else if (i < vals.length) { el.value = vals[i]; }
				el.dispatchEvent(new Event("input", {bubbles: true}));
				el.dispatchEvent(new Event("change", {bubbles: true}));
			});
		}
		return true;
	})()`))
}

// pressExpecting clicks sel and returns the status of the page it led to.
func pressExpecting(t *testing.T, tab *testenv.Tab, sel string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 15*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("pressing %s: %v", sel, err)
	}
	return resp.Status
}
