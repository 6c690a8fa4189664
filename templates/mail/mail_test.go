package mail_test

import (
	"context"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	mail "missiongrants/templates/mail"
)

const (
	link    = "https://grants.example.org/applications/42?token=a+b&c=d"
	title   = `Misión "Santo Domingo" & <Honduras>`
	person  = "Ana Pérez & Co"
	written = "First line <b>not bold</b>\nsecond line & more"
)

var (
	closes = time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)
	due    = time.Date(2027, 3, 5, 0, 0, 0, 0, time.UTC)
)

// sample is every message with values it must say, in both parts.
type sample struct {
	e    mail.Email
	says func(r mail.Reader) []string
}

func same(vs ...string) func(mail.Reader) []string { return func(mail.Reader) []string { return vs } }

func samples() []sample {
	week := 7 * 24 * time.Hour
	return []sample{
		{mail.AccountConfirm{Name: person, Link: link, Expires: 24 * time.Hour}, same(person, link)},
		{mail.AccountExists{Name: person, LoginLink: link + "/login", ForgotLink: link + "/forgot"}, same(person, link+"/login", link+"/forgot")},
		{mail.PasswordReset{Name: person, Link: link, Expires: time.Hour}, same(person, link)},
		{mail.PasswordChanged{Name: person, ForgotLink: link}, same(person, link)},
		{mail.Invitation{Name: person, Inviter: "Ida <Admin>", RoleKey: "mail.invitation.role_admin_board", Link: link, Expires: week},
			func(r mail.Reader) []string {
				return []string{person, "Ida <Admin>", r.T("mail.invitation.role_admin_board"), link}
			}},
		{mail.EmailChange{Name: person, Link: link, Expires: 48 * time.Hour}, same(person, link)},
		{mail.AccountDeactivated{Name: person}, same(person)},
		{mail.ApplicationSubmitted{Title: title, Organization: person, Link: link}, same(title, person, link)},
		{mail.ApplicationSubmitted{Title: title, Organization: person, Resubmitted: true, Link: link}, same(title, person, link)},
		{mail.ApplicationReceived{Title: title, Link: link}, same(title, link)},
		{mail.ApplicationInfoRequested{Title: title, Question: written, Link: link}, same(title, written, link)},
		{mail.ApplicationDeclined{Title: title, Reason: written, Link: link}, same(title, written, link)},
		{mail.ApplicationMessage{Title: title, Author: person, Message: written, Link: link}, same(title, person, written, link)},
		{mail.ApplicationDecision{Title: title, Approved: true, Amount: 1800000, Currency: "USD", Conditions: written, Link: link},
			func(r mail.Reader) []string { return []string{title, r.Money(1800000, "USD"), written, link} }},
		{mail.ApplicationDecision{Title: title, Link: link}, same(title, link)},
		{mail.PaymentRecorded{Title: title, Amount: 300000, Currency: "USD"},
			func(r mail.Reader) []string { return []string{title, r.Money(300000, "USD")} }},
		{mail.PaymentCancelled{Title: title, Amount: 300000, Currency: "USD", Reason: written},
			func(r mail.Reader) []string { return []string{title, r.Money(300000, "USD"), written} }},
		{mail.OrganizationInvitation{Organization: person, Inviter: "Ida <Admin>", Link: link, Days: 14}, same(person, "Ida <Admin>", link)},
		{mail.ReportReminder{Title: title, Due: due, Link: link}, func(r mail.Reader) []string { return []string{title, r.Date(due), link} }},
		{mail.ReportReminder{Title: title, Due: due, Late: true, Link: link}, func(r mail.Reader) []string { return []string{title, r.Date(due), link} }},
		{mail.ReportReviewed{Title: title, Accepted: true, Link: link}, same(title, link)},
		{mail.ReportReviewed{Title: title, Note: written, Link: link}, same(title, written, link)},
		{mail.ReportSubmitted{Title: title, Organization: person, Link: link}, same(title, person, link)},
		{mail.AgreementReady{Title: title, Link: link}, same(title, link)},
		{mail.ApplicationToBoard{Title: title, Organization: person, Link: link}, same(title, person, link)},
		{mail.VoteOpened{Title: title, Organization: person, Closes: closes, Link: link},
			func(r mail.Reader) []string { return []string{title, person, r.DateTime(closes), link} }},
		{mail.VoteReminder{Title: title, Closes: closes, Link: link},
			func(r mail.Reader) []string { return []string{title, r.DateTime(closes), link} }},
		{mail.ReviewReminder{Title: title, Deadline: due, Link: link},
			func(r mail.Reader) []string { return []string{title, r.Date(due), link} }},
		{mail.Digest{Items: []mail.DigestItem{{Subject: title, Body: written}, {Subject: "Second", Body: "two"}}}, same(title, written, "Second", "two")},
		{mail.Test{Name: person}, same(person)},
		{mail.ProposalInvited{Title: title, Due: due, Note: written, Link: link},
			func(r mail.Reader) []string { return []string{title, r.Date(due), written, link} }},
	}
}

// rawKey is a catalog key as T shows one the catalog lacks.
var rawKey = regexp.MustCompile(`\b(?:mail|date|app)\.[a-z0-9_]+`)

func catalog(t *testing.T) *i18n.Catalog {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// Every message, in every language: a subject, no catalog key left
// unsaid, each of its values in both the text and the HTML, the footer
// once at the end of the text, and the HTML marked with the language.
func TestEveryMessageSaysItsValuesInBothParts(t *testing.T) {
	t.Parallel()
	cat := catalog(t)
	for _, s := range samples() {
		for _, lang := range i18n.Languages {
			r := mail.Reader{Lang: lang, Cat: cat}
			got, err := mail.Render(context.Background(), r, s.e)
			if err != nil {
				t.Fatalf("%T/%s: %v", s.e, lang, err)
			}
			if got.Subject == "" || strings.Contains(got.Subject, "\n") {
				t.Errorf("%T/%s: subject %q", s.e, lang, got.Subject)
			}
			for _, part := range []string{got.Subject, got.Text, got.HTML} {
				if key := rawKey.FindString(part); key != "" {
					t.Errorf("%T/%s shows the catalog key %s: %q", s.e, lang, key, part)
				}
			}
			for _, v := range s.says(r) {
				if !strings.Contains(got.Body, v) {
					t.Errorf("%T/%s: the text does not say %q:\n%s", s.e, lang, v, got.Body)
				}
				if !strings.Contains(html.UnescapeString(got.HTML), v) {
					t.Errorf("%T/%s: the HTML does not say %q:\n%s", s.e, lang, v, got.HTML)
				}
			}
			footer := r.T("mail.footer")
			if got.Text != got.Body+"\n\n--\n"+footer+"\n" || strings.Contains(got.Body, footer) {
				t.Errorf("%T/%s: the text is not its body then the footer:\n%s", s.e, lang, got.Text)
			}
			if !strings.Contains(got.HTML, `<html lang="`+lang+`">`) || !strings.Contains(got.HTML, "<title>"+html.EscapeString(got.Subject)+"</title>") {
				t.Errorf("%T/%s: the HTML's language or title is wrong:\n%s", s.e, lang, got.HTML)
			}
		}
	}
}

// What people wrote is escaped in the HTML, never markup; a link that is
// not http(s) is dropped, not followed.
func TestHTMLEscapesWhatPeopleWrote(t *testing.T) {
	t.Parallel()
	r := mail.Reader{Lang: "en", Cat: catalog(t)}
	got, err := mail.Render(context.Background(), r, mail.ApplicationMessage{
		Title: "<img src=x onerror=alert(1)>", Author: `"Eve"`, Message: "<script>alert(1)</script>", Link: "javascript:alert(1)"})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script>", "<img", `href="javascript:`} {
		if strings.Contains(got.HTML, bad) {
			t.Errorf("the HTML contains %q:\n%s", bad, got.HTML)
		}
	}
	if !strings.Contains(got.HTML, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the message is not shown escaped:\n%s", got.HTML)
	}
	// The text part is plain text: what was written is kept as written.
	if !strings.Contains(got.Text, "<script>alert(1)</script>") {
		t.Errorf("the text part changed the message:\n%s", got.Text)
	}
}

// Dates and times are said in the reader's language, never as ISO strings,
// and a time shows its zone.
func TestDatesAreInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	cat := catalog(t)
	for _, lang := range i18n.Languages {
		r := mail.Reader{Lang: lang, Cat: cat}
		vote, _ := mail.Render(context.Background(), r, mail.VoteOpened{Title: "T", Organization: "O", Closes: closes, Link: link})
		report, _ := mail.Render(context.Background(), r, mail.ReportReminder{Title: "T", Due: due, Link: link})
		for _, m := range []mail.Rendered{vote, report} {
			if strings.Contains(m.Text, "2026-12-01") || strings.Contains(m.Text, "2027-03-05") {
				t.Errorf("%s: an ISO date:\n%s", lang, m.Text)
			}
		}
		if want := cat.DateTime(lang, closes, time.UTC); !strings.Contains(vote.Body, want) {
			t.Errorf("%s: the vote's close is not %q:\n%s", lang, want, vote.Body)
		}
		if want := cat.T(lang, "mail.report_reminder.body", "Title", "T", "Due", cat.Date(lang, due)); !strings.HasPrefix(report.Body, want) {
			t.Errorf("%s: the report reminder does not start %q:\n%s", lang, want, report.Body)
		}
	}
	// A reader with a zone of their own reads the time on their clock.
	honduras := time.FixedZone("CST", -6*3600)
	r := mail.Reader{Lang: "en", Cat: cat, Zone: honduras}
	if got, want := r.DateTime(closes), cat.DateTime("en", closes, honduras); got != want || !strings.Contains(got, "12:00") {
		t.Errorf("in CST: %q, want %q", got, want)
	}
}

// A link's lifetime reads in days from two days on, in hours below, both
// rounded up.
func TestLinkExpiryReadsInDaysOrHours(t *testing.T) {
	t.Parallel()
	cat := catalog(t)
	cases := []struct {
		ttl   time.Duration
		key   string
		count int
	}{
		{time.Hour, "mail.account.link_expiry_hours", 1},
		{90 * time.Minute, "mail.account.link_expiry_hours", 2},
		{24 * time.Hour, "mail.account.link_expiry_hours", 24},
		{48 * time.Hour, "mail.account.link_expiry_days", 2},
		{7 * 24 * time.Hour, "mail.account.link_expiry_days", 7},
	}
	for _, tc := range cases {
		for _, lang := range i18n.Languages {
			r := mail.Reader{Lang: lang, Cat: cat}
			got := mail.PasswordReset{Name: "Ana", Link: link, Expires: tc.ttl}.Text(r)
			if want := cat.T(lang, tc.key, "Count", tc.count); !strings.Contains(got, want) {
				t.Errorf("%v/%s: %q does not say %q", tc.ttl, lang, got, want)
			}
		}
	}
}

// The subject follows the message's state: each variant has its own key.
func TestSubjectsFollowTheState(t *testing.T) {
	t.Parallel()
	r := mail.Reader{Lang: "es", Cat: catalog(t)}
	cases := []struct {
		e   mail.Email
		key string
	}{
		{mail.ApplicationDecision{Title: "T", Approved: true}, "mail.decision.subject_approved"},
		{mail.ApplicationDecision{Title: "T"}, "mail.decision.subject_declined"},
		{mail.ApplicationSubmitted{Title: "T"}, "mail.app_submitted.subject"},
		{mail.ApplicationSubmitted{Title: "T", Resubmitted: true}, "mail.app_submitted.subject_again"},
		{mail.ReportReminder{Title: "T"}, "mail.report_reminder.subject"},
		{mail.ReportReminder{Title: "T", Late: true}, "mail.report_reminder.subject_late"},
		{mail.ReportReviewed{Title: "T", Accepted: true}, "mail.report_reviewed.subject_accepted"},
		{mail.ReportReviewed{Title: "T"}, "mail.report_reviewed.subject_corrections"},
	}
	for _, tc := range cases {
		if got, want := tc.e.Subject(r), r.T(tc.key, "Title", "T"); got != want {
			t.Errorf("%+v: subject %q, want %s (%q)", tc.e, got, tc.key, want)
		}
	}
	if got, want := (mail.Digest{Items: make([]mail.DigestItem, 3)}).Subject(r), r.T("mail.digest.subject", "Count", 3); got != want {
		t.Errorf("digest of 3: %q, want %q", got, want)
	}
}

// An approval without conditions says none; with them, it quotes them.
func TestDecisionQuotesConditionsOnlyWhenThereAreSome(t *testing.T) {
	t.Parallel()
	r := mail.Reader{Lang: "en", Cat: catalog(t)}
	label := r.T("mail.decision.conditions")
	without := mail.ApplicationDecision{Title: "T", Approved: true, Amount: 100, Currency: money.Currency("USD")}
	with := without
	with.Conditions = "Report within 60 days."
	if strings.Contains(without.Text(r), label) {
		t.Errorf("no conditions, yet %q:\n%s", label, without.Text(r))
	}
	if !strings.Contains(with.Text(r), label+"\n"+with.Conditions) {
		t.Errorf("conditions not quoted under %q:\n%s", label, with.Text(r))
	}
}
