package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"missiongrants/internal/application"
	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/browser"
)

// A new charity answers its application in Spanish on a 360 px phone, part
// by part, over two sittings, the page saving by itself: the task list
// follows each part's state, a mistyped amount needs attention and is
// shown beside its field, a budget line is removed with the script, "check
// your answers" shows every answer, and the application is sent.
func TestBrowserApplicationInSpanishOverTwoSittings(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	ch := s.newCharity(t, "es", "Rosa")
	app := ch.startApplication()
	p := ch.person(t, s)
	phone := func() *browser.Tab {
		return browser.Open(t, browser.AcceptLanguage("es"), browser.WindowSize(360, 740, true))
	}

	// First sitting: from the task list to the trip's part; she types the
	// title and the city, and the page says it saved.
	first := phone()
	browserLogin(t, first, srv.URL, p)
	first.Do(chromedp.Navigate(srv.URL + app + "/edit"))
	wantTaskState(t, s, first, "trip", "not_started")
	clickAndWait(t, first, `[data-task="trip"] a`)
	first.Do(chromedp.SendKeys(chromedp.ID("f-title"), "Corazones para Honduras 2027"), chromedp.SendKeys(chromedp.ID("f-city"), "San Pedro Sula"))
	waitText(t, first, "#autosave-status", "Borrador guardado")
	testenv.Eventually(t, 20*time.Second, "the city is saved", func() bool {
		var city string
		_ = s.db.Get(&city, `SELECT draft->>'city' FROM applications WHERE id = $1`, appID(app))
		return city == "San Pedro Sula"
	})
	first.AssertNoConsoleErrors()

	// Second sitting, another phone: the part is under way, what she typed is there.
	second := phone()
	browserLogin(t, second, srv.URL, p)
	second.Do(chromedp.Navigate(srv.URL + app + "/edit"))
	wantTaskState(t, s, second, "trip", "in_progress")
	clickAndWait(t, second, `[data-task="trip"] a`)
	if got := browser.Run(second, chromedp.Value(chromedp.ID("f-title"))); got != "Corazones para Honduras 2027" {
		t.Fatalf("the title in the second sitting is %q", got)
	}

	// Each part on its page, saved with its button, back to the list.
	values := completeApplication()
	values.Del("title")
	values.Del("city")
	values.Set("amount_requested", "20.000,,5")
	values["budget_category"] = []string{"travel", "lodging", "supplies"}
	values["budget_description"] = []string{"Vuelos", "Hotel", "Oxigenadores"}
	values["budget_amount"] = []string{"10 000", "700", "15.000,50"}
	for _, sec := range application.Sections {
		second.Do(chromedp.Navigate(srv.URL + app + "/edit/" + sec.Key))
		wantHeading(t, second, s.cat.T("es", "app.section."+sec.Key))
		fillForm(t, second, values)
		if sec.Key == "budget" {
			// The hotel goes: its row, at once, the total with it, saved by itself.
			second.Do(chromedp.Click(chromedp.CSS(`[data-remove-line][value="1"]`)))
			waitText(t, second, "[data-budget-total]", "US$25.000,50")
			if n := browser.Run(second, chromedp.Evaluate[int](`document.querySelectorAll("[data-budget-row]").length`)); n != 2 {
				t.Errorf("after removing a line the page has %d rows", n)
			}
			if got := browser.Run(second, chromedp.Text(chromedp.CSS(`[data-budget-row]:nth-child(2) legend`))); got != s.cat.T("es", "app.budget.line", "N", 2) {
				t.Errorf("the second row is now headed %q", got)
			}
			testenv.Eventually(t, 20*time.Second, "the line's removal is saved", func() bool {
				var n int
				_ = s.db.Get(&n, `SELECT jsonb_array_length(draft->'budget') FROM applications WHERE id = $1`, appID(app))
				return n == 2
			})
		}
		if fits := browser.Run(second, chromedp.Evaluate[bool](fitsWidth)); !fits {
			t.Errorf("the %s part is wider than a 360 px phone", sec.Key)
		}
		clickAndWait(t, second, `.savebar button[name="action"][value="save"]`)
		want := "completed"
		switch sec.Key {
		case "experience":
			want = "not_started" // optional, left empty
		case "budget":
			want = "needs_attention" // the mistyped amount
		}
		wantTaskState(t, s, second, sec.Key, want)
	}

	// The part that needs attention shows the mistake beside its field.
	clickAndWait(t, second, `[data-task="budget"] a`)
	if got := browser.Run(second, chromedp.Text(chromedp.ID("f-amount_requested-error"))); !strings.Contains(got, s.cat.T("es", "error.money.invalid")) {
		t.Errorf("the error beside the amount says %q", got)
	}
	second.Do(chromedp.SetValue(chromedp.ID("f-amount_requested"), "20.000"))
	clickAndWait(t, second, `.savebar button[name="action"][value="save"]`)
	wantTaskState(t, s, second, "budget", "completed")
	if fits := browser.Run(second, chromedp.Evaluate[bool](fitsWidth)); !fits {
		t.Error("the task list is wider than a 360 px phone")
	}

	// Check your answers: every answer, then send.
	clickAndWait(t, second, `a[href$="/check"]`)
	wantHeading(t, second, s.cat.T("es", "app.check.title"))
	answers := browser.Run(second, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"Corazones para Honduras 2027", "San Pedro Sula", "Honduras", "Hospital Escuela", "mejia@hospital.example",
		"Vuelos", "Oxigenadores", "US$10.000,00", "US$15.000,50", "US$20.000,00", "US$5.000,50", s.cat.T("es", "app.equipment.brought"),
		"Hay 300 niños en lista de espera.", "María López"} {
		if !strings.Contains(answers, want) {
			t.Errorf("check your answers lacks %q", want)
		}
	}
	if strings.Contains(answers, "Hotel") {
		t.Error("check your answers shows the removed line")
	}
	if fits := browser.Run(second, chromedp.Evaluate[bool](fitsWidth)); !fits {
		t.Error("check your answers is wider than a 360 px phone")
	}
	clickAndWait(t, second, `form[action$="/submit"] button[type="submit"]`)
	wantHeading(t, second, "Corazones para Honduras 2027")
	page := browser.Run(second, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{s.cat.T("es", "app.status.submitted"), s.cat.T("es", "app.event.created"), s.cat.T("es", "page.app.version", "Number", 1), "US$20.000,00"} {
		if !strings.Contains(page, want) {
			t.Errorf("the application page lacks %q", want)
		}
	}
	// The version reads its amounts whole: no number breaks across lines.
	second.Do(chromedp.Navigate(srv.URL + app + "/versions/1"))
	if broken := browser.Run(second, chromedp.Evaluate[int](`[...document.querySelectorAll("td.num")].filter(td =>
		getComputedStyle(td).whiteSpace !== "nowrap" || td.getClientRects().length !== 1 || td.scrollWidth > td.clientWidth + 1).length`)); broken != 0 {
		t.Errorf("%d amounts of the version may break inside the number", broken)
	}
	// Radio buttons are small circles right beside their words, and the
	// charity's pages fit the phone.
	for _, path := range []string{ch.org, ch.org + "/eligibility", ch.org + "/applications/new", "/account"} {
		second.Do(chromedp.Navigate(srv.URL + path))
		if fits := browser.Run(second, chromedp.Evaluate[bool](fitsWidth)); !fits {
			t.Errorf("%s is wider than a 360 px phone", path)
		}
		if bad := browser.Run(second, chromedp.Evaluate[[]string](radiosBesideTheirWords)); len(bad) != 0 {
			t.Errorf("%s: radio buttons apart from their words or too large: %v", path, bad)
		}
	}
	second.AssertNoConsoleErrors()
}

// radiosBesideTheirWords lists the page's radio buttons that are wider than
// 2rem or stand more than 1.5rem from the start of their label's words.
const radiosBesideTheirWords = `[...document.querySelectorAll("input[type=radio]")].filter(r => {
	const box = r.getBoundingClientRect();
	const label = r.labels && r.labels[0];
	if (!label || box.width === 0) { return false; }
	const range = document.createRange();
	range.selectNodeContents(label);
	const words = [...range.getClientRects()].find(c => c.width > 0 && c.left >= box.right - 1) || range.getBoundingClientRect();
	return box.width > 32 || Math.abs(words.left - box.right) > 24;
}).map(r => r.name + "=" + r.value)`

// wantTaskState waits for the task list to show task key in state.
func wantTaskState(t *testing.T, s *testServer, tab *browser.Tab, key, state string) {
	t.Helper()
	waitText(t, tab, `[data-task="`+key+`"]`, s.cat.T(tabLang(tab), "app.task."+state))
}

// tabLang is the language of the page the tab shows.
func tabLang(tab *browser.Tab) string {
	return browser.Run(tab, chromedp.Evaluate[string](`document.documentElement.lang`))
}

// browserLoginWithCode logs in a person with two-step verification: the
// password, then a code from their phone.
func browserLoginWithCode(t *testing.T, tab *browser.Tab, base string, p person) {
	t.Helper()
	browserLogin(t, tab, base, p)
	fill(tab, "f-code", p.phone.code(t))
	clickAndWait(t, tab, `main button[type="submit"]`)
}

func browserLogin(t *testing.T, tab *browser.Tab, base string, p person) {
	t.Helper()
	tab.Do(chromedp.Navigate(base + "/login"))
	fill(tab, "f-email", p.email, "f-password", p.password)
	clickAndWait(t, tab, `main button[type="submit"]`)
}

// waitText waits until the element's text contains want. It asks again
// and again rather than waiting inside the page, because the page may be
// navigating (a form posting, a reload) while it waits.
func waitText(t *testing.T, tab *browser.Tab, sel, want string) {
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
func fillForm(t *testing.T, tab *browser.Tab, values map[string][]string) {
	t.Helper()
	b, _ := json.Marshal(values)
	browser.Run(tab, chromedp.Evaluate[bool](`(() => {
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
func pressExpecting(t *testing.T, tab *browser.Tab, sel string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 15*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("pressing %s: %v", sel, err)
	}
	return resp.Status
}

// One charity's draft open on a laptop and a phone. On two parts, each
// saves by itself and keeps the other's work. On the same part, the phone's
// page opened before the laptop's save: its autosave is refused, it says so
// and never "saved". Reloaded, it offers the phone's title back from the
// copy on the device; both changed the title, so saving shows the two, the
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
	trip, need := srv.URL+app+"/edit/trip", srv.URL+app+"/edit/need"
	saved := func(what, field, want string) {
		t.Helper()
		testenv.Eventually(t, 20*time.Second, what, func() bool {
			var got string
			_ = s.db.Get(&got, `SELECT coalesce(draft->>$2, '') FROM applications WHERE id = $1`, appID(app), field)
			return got == want
		})
	}
	laptop := browser.Open(t, browser.Desktop())
	phone := browser.Open(t)
	browserLogin(t, laptop, srv.URL, p)
	browserLogin(t, phone, srv.URL, p)

	// Two parts at once: both saved.
	laptop.Do(chromedp.Navigate(need))
	phone.Do(chromedp.Navigate(trip))
	laptop.Do(chromedp.SendKeys(chromedp.ID("f-narrative"), "300 children wait."))
	waitText(t, laptop, "#autosave-status", "Draft saved")
	saved("the laptop's narrative is saved", "narrative", "300 children wait.")
	phone.Do(chromedp.SendKeys(chromedp.ID("f-city"), "Tegucigalpa"))
	waitText(t, phone, "#autosave-status", "Draft saved")
	saved("the phone's city is saved", "city", "Tegucigalpa")
	saved("the laptop's narrative is kept", "narrative", "300 children wait.")

	// One part on both: the laptop saves the title first.
	laptop.Do(chromedp.Navigate(trip))
	laptop.Do(chromedp.SendKeys(chromedp.ID("f-title"), "Hearts for Honduras"))
	waitText(t, laptop, "#autosave-status", "Draft saved")
	saved("the laptop's title is saved", "title", "Hearts for Honduras")

	phone.Do(chromedp.SendKeys(chromedp.ID("f-title"), "Corazones 2027"))
	waitText(t, phone, "#autosave-status", "changed on another device")
	if status := browser.Run(phone, chromedp.Text(chromedp.ID("autosave-status"))); strings.Contains(status, "Draft saved") {
		t.Errorf("the phone says %q", status)
	}
	saved("the refused autosave wrote nothing", "title", "Hearts for Honduras")

	// Reloaded before anything was saved: the copy on the phone is offered back.
	phone.Do(chromedp.Navigate(trip), chromedp.WaitVisible(chromedp.CSS("[data-restore-yes]")))
	if got := browser.Run(phone, chromedp.Value(chromedp.ID("f-title"))); got != "Hearts for Honduras" {
		t.Fatalf("before restoring, the title is %q", got)
	}
	phone.Do(chromedp.Click(chromedp.CSS("[data-restore-yes]")))
	testenv.Eventually(t, 20*time.Second, "the phone's title is back", func() bool {
		return browser.Run(phone, chromedp.Value(chromedp.ID("f-title"))) == "Corazones 2027"
	})
	if status := pressExpecting(t, phone, `.savebar button[name="action"][value="save"]`); status != 409 {
		t.Fatalf("the phone's overlapping save answered %d", status)
	}
	panel := browser.Run(phone, chromedp.Text(chromedp.ID("draft-conflicts")))
	for _, want := range []string{"Title of the mission", "Hearts for Honduras", "Corazones 2027"} {
		if !strings.Contains(panel, want) {
			t.Errorf("the panel of conflicts lacks %q:\n%s", want, panel)
		}
	}
	if got := browser.Run(phone, chromedp.Value(chromedp.ID("f-title"))); got != "Corazones 2027" {
		t.Errorf("the refused form shows the title %q", got)
	}
	if status := pressExpecting(t, phone, `#draft-conflicts button[type="submit"]`); status != 200 {
		t.Fatalf("saving the combined draft answered %d", status)
	}
	saved("the phone's title is kept", "title", "Corazones 2027")
	saved("the city stays", "city", "Tegucigalpa")
	saved("the narrative stays", "narrative", "300 children wait.")
	if n := browser.Run(phone, chromedp.Evaluate[int](`Object.keys(localStorage).filter(k => k.startsWith("missiongrants.draft:")).length`)); n != 0 {
		t.Errorf("%d copies left on the phone after the server has everything", n)
	}
	for _, tab := range []*browser.Tab{laptop, phone} {
		for _, e := range tab.ConsoleErrors() {
			if !strings.Contains(e, "409") { // the refused saves' own status
				t.Errorf("browser console: %s", e)
			}
		}
	}
}

// browserSendBySections answers every part of application app with values,
// each on its page, then sends it from "check your answers".
func browserSendBySections(t *testing.T, tab *browser.Tab, base, app string, values map[string][]string) {
	t.Helper()
	for _, sec := range application.Sections {
		tab.Do(chromedp.Navigate(base + app + "/edit/" + sec.Key))
		fillForm(t, tab, values)
		clickAndWait(t, tab, `.savebar button[name="action"][value="save"]`)
	}
	tab.Do(chromedp.Navigate(base + app + "/check"))
	clickAndWait(t, tab, `form[action$="/submit"] button[type="submit"]`)
}
