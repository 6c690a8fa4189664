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
	testenv.Full(t, "Chromium")
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
	if got := testenv.Run(second, chromedp.Text(chromedp.ID("f-amount_requested-error"))); !strings.Contains(got, s.cat.T("es", "error.money.invalid")) {
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
	for _, want := range []string{s.cat.T("es", "app.status.submitted"), s.cat.T("es", "app.event.created"), s.cat.T("es", "page.app.version", "Number", 1), "US$20.000,00"} {
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

// One charity's draft open on a laptop and a phone. The laptop saves the
// narrative; the phone, opened before, edits only the city: its autosave
// is refused, it says so and never "saved". Reloaded, it offers the city
// back from the copy on the device; saved with the button, both edits are
// kept. Then both change the title: the second save shows the two, the
// person keeps theirs, and everything else stays.
func TestBrowserTwoDevicesOnOneDraft(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	ch := s.newCharity(t, "en", "Ana")
	app := ch.startEmptyApplication()
	p := ch.person(t, s)
	edit := srv.URL + app + "/edit"
	saved := func(what, field, want string) {
		t.Helper()
		testenv.Eventually(t, 20*time.Second, what, func() bool {
			var got string
			_ = s.db.Get(&got, `SELECT coalesce(draft->>$2, '') FROM applications WHERE id = $1`, appID(app), field)
			return got == want
		})
	}
	laptop := testenv.Browser(t, testenv.Desktop())
	phone := testenv.Browser(t)
	browserLogin(t, laptop, srv.URL, p)
	browserLogin(t, phone, srv.URL, p)
	laptop.Do(chromedp.Navigate(edit))
	phone.Do(chromedp.Navigate(edit))

	laptop.Do(chromedp.SendKeys(chromedp.ID("f-narrative"), "300 children wait."))
	waitText(t, laptop, "#autosave-status", "Draft saved")
	saved("the laptop's narrative is saved", "narrative", "300 children wait.")

	phone.Do(chromedp.SendKeys(chromedp.ID("f-city"), "Tegucigalpa"))
	waitText(t, phone, "#autosave-status", "changed on another device")
	if status := testenv.Run(phone, chromedp.Text(chromedp.ID("autosave-status"))); strings.Contains(status, "Draft saved") {
		t.Errorf("the phone says %q", status)
	}
	var city string
	_ = s.db.Get(&city, `SELECT draft->>'city' FROM applications WHERE id = $1`, appID(app))
	if city != "" {
		t.Fatalf("the refused autosave wrote the city %q", city)
	}

	// Reloaded before anything was saved: the copy on the phone is offered back.
	phone.Do(chromedp.Navigate(edit), chromedp.WaitVisible(chromedp.CSS("[data-restore-yes]")))
	if got := testenv.Run(phone, chromedp.Value(chromedp.ID("f-city"))); got != "" {
		t.Fatalf("before restoring, the city is %q", got)
	}
	phone.Do(chromedp.Click(chromedp.CSS("[data-restore-yes]")))
	waitText(t, phone, "#autosave-status", "also changed elsewhere")
	if got := testenv.Run(phone, chromedp.Value(chromedp.ID("f-city"))); got != "Tegucigalpa" {
		t.Fatalf("restored, the city is %q", got)
	}
	if status := pressExpecting(t, phone, `.savebar button[name="action"][value="save"]`); status != 200 {
		t.Fatalf("saving the restored city answered %d", status)
	}
	waitText(t, phone, ".flash", "together with changes made to other answers")
	if got := testenv.Run(phone, chromedp.Value(chromedp.ID("f-narrative"))); got != "300 children wait." {
		t.Errorf("after the merge the phone shows the narrative %q", got)
	}
	saved("the phone's city is saved", "city", "Tegucigalpa")
	saved("the laptop's narrative is kept", "narrative", "300 children wait.")
	if n := testenv.Run(phone, chromedp.Evaluate[int](`Object.keys(localStorage).filter(k => k.startsWith("missiongrants.draft:")).length`)); n != 0 {
		t.Errorf("%d copies left on the phone after the server has everything", n)
	}

	// Both change the title.
	phone.Do(chromedp.SendKeys(chromedp.ID("f-title"), "Corazones 2027"))
	waitText(t, phone, "#autosave-status", "Draft saved")
	saved("the phone's title is saved", "title", "Corazones 2027")
	laptop.Do(chromedp.SendKeys(chromedp.ID("f-title"), "Hearts for Honduras"))
	waitText(t, laptop, "#autosave-status", "changed on another device")
	if status := pressExpecting(t, laptop, `.savebar button[name="action"][value="save"]`); status != 409 {
		t.Fatalf("the laptop's overlapping save answered %d", status)
	}
	panel := testenv.Run(laptop, chromedp.Text(chromedp.ID("draft-conflicts")))
	for _, want := range []string{"Title of the mission", "Hearts for Honduras", "Corazones 2027", "City", "Tegucigalpa"} {
		if !strings.Contains(panel, want) {
			t.Errorf("the panel of conflicts lacks %q:\n%s", want, panel)
		}
	}
	if got := testenv.Run(laptop, chromedp.Value(chromedp.ID("f-title"))); got != "Hearts for Honduras" {
		t.Errorf("the refused form shows the title %q", got)
	}
	if status := pressExpecting(t, laptop, `#draft-conflicts button[type="submit"]`); status != 200 {
		t.Fatalf("saving the combined draft answered %d", status)
	}
	saved("the laptop's title is kept", "title", "Hearts for Honduras")
	saved("the city stays", "city", "Tegucigalpa")
	saved("the narrative stays", "narrative", "300 children wait.")
	for _, tab := range []*testenv.Tab{laptop, phone} {
		for _, e := range tab.ConsoleErrors() {
			if !strings.Contains(e, "409") { // the refused saves' own status
				t.Errorf("browser console: %s", e)
			}
		}
	}
}
