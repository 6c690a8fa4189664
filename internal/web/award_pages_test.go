package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// An admin records an award with two instalments and pays the first; the
// form sent twice pays once; the charity sees its award, schedule, payment
// and what is still to come, in Spanish.
func TestAwardAndPaymentThroughThePages(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "es", "Rosa")
	app := ch.submitted("Misión Honduras 2027")
	s.approve(t, app, 2_500_000)
	admin := s.loginAs(t, people[demoAdmin])
	page := admin.get(app)
	mustContain(t, page, `action="/admin/applications/`+appID(app)+`/award"`)

	bad := url.Values{"amount": {"18.000"}, "year": {"2027"}, "instalment_amount": {"8.000", "9.000"},
		"instalment_due": {"2027-02-01", "2027-08-01"}, "instalment_condition": {"before_trip", "report_accepted"}}
	wantStatus(t, admin.post("/admin/applications/"+appID(app)+"/award", bad), http.StatusUnprocessableEntity)
	good := bad
	good.Set("instalment_amount", "8.000")
	good["instalment_amount"] = []string{"8.000", "10.000"}
	wantStatus(t, admin.post("/admin/applications/"+appID(app)+"/award", good), http.StatusSeeOther)

	// No money moves before the charity signs its agreement: the admin is
	// told so, and a payment sent anyway is refused.
	page = admin.get(app)
	mustContain(t, page, s.text("es", "error.policy.agreement_unsigned"))
	mustNotContain(t, page, `action="/admin/applications/`+appID(app)+`/payments"`)
	ch.signAgreement(t, app)

	payment := paymentForm(t, admin.get(app), 1, "8.000")
	payment.Set("reference", "W-778")
	wantStatus(t, admin.post("/admin/applications/"+appID(app)+"/payments", payment), http.StatusSeeOther)
	wantStatus(t, admin.post("/admin/applications/"+appID(app)+"/payments", payment), http.StatusSeeOther) // a double click
	var lines int
	if err := s.db.Get(&lines, `SELECT count(*) FROM payments`); err != nil || lines != 1 {
		t.Fatalf("%d payment lines after a double click (%v)", lines, err)
	}
	// Paying more than is due is refused with a clear message.
	over := url.Values{"key": {"another-form-key-0001"}, "instalment": {payment.Get("instalment")}, "amount": {"1"}, "paid_on": {s.today().Format("2006-01-02")}, "method": {"wire"}}
	rec := admin.post("/admin/applications/"+appID(app)+"/payments", over)
	wantStatus(t, rec, http.StatusConflict)
	if m := regexp.MustCompile(`(?s)error-summary.{0,700}`).FindString(rec.Body.String()); !regexp.MustCompile(`supera lo que queda por pagar`).MatchString(m) {
		t.Errorf("refusal says: %s", m)
	}
	mustContain(t, rec, `id="f-amount" name="amount" type="text" value="1"`) // the form comes back as typed

	// The second instalment, paid early with the admin's reason and the
	// bank's receipt; a receipt that is not a document is refused and
	// nothing is recorded.
	inst2 := regexp.MustCompile(`<option value="(\d+)">#2 `).FindStringSubmatch(admin.get(app).Body.String())
	early := url.Values{"key": {"early-payment-form-01"}, "instalment": {inst2[1]}, "amount": {"10.000"}, "paid_on": {s.today().Format("2006-01-02")},
		"method": {"check"}, "reference": {"CHK-12"}, "override_reason": {"report delayed by the hospital"}}
	rec = admin.multipart("/admin/applications/"+appID(app)+"/payments", early, "receipt", "recibo.pdf", elfBytes)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `<option value="`+inst2[1]+`" selected>#2 `, `value="10.000"`, `<option value="check" selected>`, `value="CHK-12"`, `value="report delayed by the hospital"`)
	var receipts int
	_ = s.db.Get(&receipts, `SELECT count(*) FROM documents WHERE kind = 'receipt'`)
	if receipts != 0 {
		t.Fatalf("%d receipts stored after a refusal", receipts)
	}
	wantStatus(t, admin.multipart("/admin/applications/"+appID(app)+"/payments", early, "receipt", "recibo.pdf", pdfBytes), http.StatusSeeOther)
	mustContain(t, admin.get(app), s.text("es", "page.award.awaiting_approval")) // US$10,000 or more waits for a second admin

	// The rounds page adds the award to its round's and its year's money.
	mustContain(t, admin.get("/admin/rounds"), "US$18.000,00", "2027")

	// The board sees the award in the charity's track record on its next application.
	next := ch.submitted("Misión Honduras 2028")
	mustContain(t, admin.get(next), s.text("es", "page.board.earlier_award", "Awarded", "US$18.000,00", "Paid", "US$8.000,00"))

	view := ch.get(app)
	wantStatus(t, view, http.StatusOK)
	mustContain(t, view, s.text("es", "page.award.title"), "US$18.000,00", "US$8.000,00", "US$10.000,00", "W-778", "CHK-12", s.text("es", "page.award.condition.report_accepted"))
	receipt := regexp.MustCompile(`href="(/documents/\d+)" download>` + regexp.QuoteMeta(s.text("es", "page.award.receipt"))).FindStringSubmatch(view.Body.String())
	if receipt == nil {
		t.Fatal("the charity sees no receipt")
	}
	wantStatus(t, ch.get(receipt[1]), http.StatusOK)
	mustNotContain(t, view, "Registrar un pago", `name="key"`)

	// No table heads two columns alike (say "Paid" twice).
	for _, head := range regexp.MustCompile(`(?s)<thead>.*?</thead>`).FindAllString(admin.get(app).Body.String()+view.Body.String(), -1) {
		seen := map[string]bool{}
		for _, th := range regexp.MustCompile(`<th[^>]*>(.*?)</th>`).FindAllStringSubmatch(head, -1) {
			if seen[th[1]] {
				t.Errorf("two columns headed %q: %s", th[1], head)
			}
			seen[th[1]] = true
		}
	}

	// A payment reversed says so and offers "Reverse" no more.
	reverse := regexp.MustCompile(`name="payment" value="(\d+)"><input type="hidden" name="key" value="([^"]+-reverse-\d+)"`).FindStringSubmatch(admin.get(app).Body.String())
	if reverse == nil {
		t.Fatalf("the paid instalment offers no reversal: %s", regexp.MustCompile(`(?s)payments/reverse.{0,400}`).FindString(admin.get(app).Body.String()))
	}
	wantStatus(t, admin.post("/admin/applications/"+appID(app)+"/payments/reverse", url.Values{"payment": {reverse[1]}, "key": {reverse[2]}, "reason": {"the bank returned it"}}), http.StatusSeeOther)
	page = admin.get(app)
	mustContain(t, page, s.text("es", "page.award.reversed"))
	mustNotContain(t, page, `action="/admin/applications/`+appID(app)+`/payments/reverse"`, `name="key" value="`+reverse[2]+`"`)
}

// A vote on more than the round has left warns before it opens; the admin
// may open it anyway, having seen the warning.
func TestVoteBeyondTheRoundsBudgetWarnsFirst(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Ana")
	app := ch.submitted("Mission 2027")
	for _, stmt := range []string{`UPDATE applications SET status = 'in_review'`, `UPDATE funding_rounds SET budget_cents = 1000000`} {
		if _, err := s.db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	admin := s.loginAs(t, people[demoAdmin])
	vote := url.Values{"proposed": {"18.000"}, "closes_at": {time.Now().UTC().Add(48 * time.Hour).Format("2006-01-02T15:04")}}
	rec := admin.post("/admin/applications/"+appID(app)+"/vote", vote)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "US$10.000,00", `name="over_budget"`)
	vote.Set("over_budget", "yes")
	wantStatus(t, admin.post("/admin/applications/"+appID(app)+"/vote", vote), http.StatusSeeOther)
}

// paymentForm fills the admin's payment form on page for instalment #n: the
// form's one-time key, the instalment, amount, paid today by wire.
func paymentForm(t *testing.T, page *httptest.ResponseRecorder, n int, amount string) url.Values {
	t.Helper()
	key := regexp.MustCompile(`name="key" value="([0-9a-f]+)"`).FindStringSubmatch(page.Body.String())
	inst := regexp.MustCompile(`<option value="(\d+)">#` + strconv.Itoa(n) + ` `).FindStringSubmatch(page.Body.String())
	if key == nil || inst == nil {
		t.Fatalf("no payment form for instalment #%d on the admin's page", n)
	}
	return url.Values{"key": {key[1]}, "instalment": {inst[1]}, "amount": {amount}, "paid_on": {time.Now().UTC().Format(time.DateOnly)}, "method": {"wire"}}
}

// signAgreement: the charity's signatory reads the award's agreement on
// its page, in the charity's language, and signs it there.
func (ch *charity) signAgreement(t *testing.T, app string) {
	t.Helper()
	page := ch.get(app + "/agreement")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, `action="`+app+`/agreement/sign"`)
	rec := ch.post(app+"/agreement/sign", url.Values{"signer_name": {"Rosa Pérez"}, "signer_title": {"Tesorera"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity) // the statement not ticked: nothing signed, the name kept
	mustContain(t, rec, `value="Rosa Pérez"`)
	wantRedirect(t, ch.post(app+"/agreement/sign", url.Values{"signer_name": {"Rosa Pérez"}, "signer_title": {"Tesorera"}, "accept": {"1"}}), app+"/agreement")
}
