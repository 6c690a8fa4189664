package web

import (
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/browser"
)

// Sofía, an admin who reads the portal in Spanish, signs in with a code,
// records the award of an approved application with two instalments (8.000
// before the trip, 10.000 after the report) and pays the first with the
// payment form; her page shows what is paid and what is still to come. The
// charity, in another browser, sees the award, its schedule, the payment and
// what is still to come, in Spanish, and no form that moves money.
func TestBrowserAdminRecordsAnAwardAndPays(t *testing.T) {
	testenv.Full(t, "Chromium")
	t.Parallel()
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "es", "Rosa")
	app := ch.submitted("Misión Honduras 2027")
	s.approve(t, app, 2_500_000)

	// Sofía signs in with her password and a code.
	staff := people[demoAdmin]
	es := func(key string, args ...any) string { return s.cat.T("es", key, args...) }
	tab := browser.Open(t, browser.Desktop())
	browserLoginWithCode(t, tab, srv.URL, staff)
	tab.Do(chromedp.Navigate(srv.URL + app))
	wantHeading(t, tab, "Misión Honduras 2027")
	waitText(t, tab, "#award h2", es("page.award.title"))

	// The form starts at what the board approved, US$25.000; she awards
	// US$18.000 in two instalments, typed as she would in Spanish.
	waitText(t, tab, "#award", es("page.award.approved_by_vote", "Amount", "US$25.000,00"))
	browser.Run(tab, chromedp.Evaluate[bool](`(document.getElementById("f-amount").value = "") === ""`))
	fill(tab, "f-amount", "18.000", "ia-0", "8.000", "ia-1", "10.000")
	tab.Do(
		chromedp.SetValue(chromedp.ID("id-0"), "2027-02-01"),
		chromedp.SetValue(chromedp.ID("ic-0"), "before_trip"),
		chromedp.SetValue(chromedp.ID("id-1"), "2027-08-01"),
		chromedp.SetValue(chromedp.ID("ic-1"), "report_accepted"),
	)
	clickAndWait(t, tab, `#award form[action$="/award"] button[type="submit"]`)
	waitText(t, tab, ".flash", es("flash.award_created"))
	if got, want := awardTotals(t, tab), map[string]string{"Otorgado": "US$18.000,00", "Pagado": "US$0,00", "Por recibir": "US$18.000,00"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after recording the award, the totals are %v, want %v", got, want)
	}
	waitText(t, tab, "#award", es("page.award.no_payments"))
	waitText(t, tab, "#award", es("error.policy.agreement_unsigned"))

	// Rosa, of the charity, on her phone in Spanish, reads the grant
	// agreement and signs it; then the admin can pay.
	rosa := browser.Open(t, browser.AcceptLanguage("es")) // a phone, as every tab by default
	browserLogin(t, rosa, srv.URL, ch.person(t, s))
	rosa.Do(chromedp.Navigate(srv.URL + app))
	clickAndWait(t, rosa, `#award a.button[href$="/agreement"]`)
	wantHeading(t, rosa, es("page.agreement.title"))
	waitText(t, rosa, ".terms", "US$18.000,00")
	// The name is her account's, which she completes.
	browser.Run(rosa, chromedp.Evaluate[bool](`(document.getElementById("f-signer_name").value = "") === ""`))
	fill(rosa, "f-signer_name", "Rosa Pérez", "f-signer_title", "Tesorera")
	rosa.Do(chromedp.Click(chromedp.ID("f-accept")))
	clickAndWait(t, rosa, `form[action$="/agreement/sign"] button[type="submit"]`)
	waitText(t, rosa, ".flash", es("flash.agreement_signed"))
	waitText(t, rosa, "main", "Rosa Pérez, Tesorera")
	tab.Do(chromedp.Navigate(srv.URL + app))
	waitText(t, tab, "#award", es("page.agreement.signed"))

	// She pays the first instalment with the payment form.
	if got := browser.Run(tab, chromedp.Evaluate[string](`document.querySelector("#f-instalment option:checked").textContent`)); got != "#1 · US$8.000,00" {
		t.Errorf("the payment form offers first %q", got)
	}
	fill(tab, "f-amount", "8.000", "f-reference", "W-778")
	tab.Do(chromedp.SetValue(chromedp.ID("f-method"), "wire"))
	today := browser.Run(tab, chromedp.Value(chromedp.ID("f-paid_on")))
	if today != s.today().Format("2006-01-02") {
		t.Errorf("the payment form's date is %q", today)
	}
	clickAndWait(t, tab, `#award form[action$="/payments"] button[type="submit"]`)
	waitText(t, tab, ".flash", es("flash.payment_recorded"))
	if got, want := awardTotals(t, tab), map[string]string{"Otorgado": "US$18.000,00", "Pagado": "US$8.000,00", "Por recibir": "US$10.000,00"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after the payment, the admin's totals are %v, want %v", got, want)
	}
	// The ledger has her payment, which counts (under the second-admin
	// threshold) and which she may reverse.
	paidOn := s.cat.Date("es", s.today()) // dates as she reads them: "6 dic 2026"
	if got, want := tableRows(t, tab, "#award table:nth-of-type(2) tbody tr"), []string{paidOn, "US$8.000,00", es("page.award.method.wire"), "W-778"}; len(got) != 1 || len(got[0]) != 5 || !reflect.DeepEqual(got[0][:4], want) || !strings.HasPrefix(got[0][4], es("page.award.reverse")) {
		t.Errorf("the admin's ledger is %q, want one line %q and its reversal", got, want)
	}
	if got := browser.Run(tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#f-instalment option")].map(o => o.textContent)`)); !reflect.DeepEqual(got, []string{"#1 · US$0,00", "#2 · US$10.000,00"}) {
		t.Errorf("after the payment, the form offers %q", got)
	}
	tab.AssertNoConsoleErrors()

	// Rosa sees the award, its schedule and the payment.
	rosa.Do(chromedp.Navigate(srv.URL + app))
	wantHeading(t, rosa, "Misión Honduras 2027")
	waitText(t, rosa, "#award h2", es("page.award.title"))
	if got, want := awardTotals(t, rosa), map[string]string{"Otorgado": "US$18.000,00", "Pagado": "US$8.000,00", "Por recibir": "US$10.000,00"}; !reflect.DeepEqual(got, want) {
		t.Errorf("the charity's totals are %v, want %v", got, want)
	}
	schedule := [][]string{
		{"1", "1 feb 2027", "antes del viaje", "US$8.000,00", "US$8.000,00", "US$0,00"},
		{"2", "1 ago 2027", "tras aceptarse el informe posterior al viaje", "US$10.000,00", "US$0,00", "US$10.000,00"},
	}
	if got := tableRows(t, rosa, "#award table:nth-of-type(1) tbody tr"); !reflect.DeepEqual(got, schedule) {
		t.Errorf("the charity's schedule is %q, want %q", got, schedule)
	}
	if got, want := tableRows(t, rosa, "#award table:nth-of-type(2) tbody tr"), [][]string{{paidOn, "US$8.000,00", es("page.award.method.wire"), "W-778", ""}}; !reflect.DeepEqual(got, want) {
		t.Errorf("the charity's ledger is %q, want %q", got, want)
	}
	if n := browser.Run(rosa, chromedp.Evaluate[int](`document.querySelectorAll("#award form, #award input[name=key]").length`)); n != 0 {
		t.Errorf("the charity's award panel has %d forms or keys", n)
	}
	if text := browser.Run(rosa, chromedp.Text(chromedp.CSS("#award"))); strings.Contains(text, es("page.award.record_payment")) || strings.Contains(text, es("page.award.reverse")) {
		t.Errorf("the charity's award panel offers to move money:\n%s", text)
	}
	rosa.AssertNoConsoleErrors()
}

// awardTotals reads the award panel's summary, term by term.
func awardTotals(t *testing.T, tab *browser.Tab) map[string]string {
	t.Helper()
	return browser.Run(tab, chromedp.Evaluate[map[string]string](`(() => {
		const out = {};
		for (const dt of document.querySelectorAll("#award dl.details dt")) {
			if (["Otorgado", "Pagado", "Por recibir"].includes(dt.textContent.trim())) {
				out[dt.textContent.trim()] = dt.nextElementSibling.textContent.trim();
			}
		}
		return out;
	})()`))
}

// tableRows reads the cells of the rows sel finds, trimmed.
func tableRows(t *testing.T, tab *browser.Tab, sel string) [][]string {
	t.Helper()
	return browser.Run(tab, chromedp.Evaluate[[][]string](`[...document.querySelectorAll(`+jsString(sel)+`)].map(tr => [...tr.cells].map(td => td.textContent.trim()))`))
}
