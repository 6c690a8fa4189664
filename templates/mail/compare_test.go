package mail_test

// While the emails move from html/template to templ, this test composes each
// one both ways with the same data and compares what the reader gets. The old
// side goes with the old templates.

import (
	"bytes"
	"context"
	"html"
	htmltemplate "html/template"
	"regexp"
	"strings"
	"testing"
	texttemplate "text/template"
	"time"

	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/templates"
	mail "missiongrants/templates/mail"
)

// oldView is what the old templates saw.
type oldView struct {
	Lang    string
	Subject string
	Data    any
	cat     *i18n.Catalog
}

func (v oldView) T(key string, args ...any) string { return v.cat.T(v.Lang, key, args...) }

// oldCompose is the old mail.Composer.Compose: subject, text and HTML.
func oldCompose(t *testing.T, cat *i18n.Catalog, lang, name string, data any) (subject, text, body string) {
	t.Helper()
	h, err := htmltemplate.ParseFS(templates.FS, "mail/layout.html", "mail/"+name+".html")
	if err != nil {
		t.Fatal(err)
	}
	tt, err := texttemplate.ParseFS(templates.FS, "mail/layout.html", "mail/"+name+".html")
	if err != nil {
		t.Fatal(err)
	}
	v := oldView{Lang: lang, Data: data, cat: cat}
	var s, x, b bytes.Buffer
	if err := tt.ExecuteTemplate(&s, "subject", v); err != nil {
		t.Fatal(err)
	}
	v.Subject = strings.TrimSpace(s.String())
	if err := tt.ExecuteTemplate(&x, "mail_text", v); err != nil {
		t.Fatal(err)
	}
	if err := h.ExecuteTemplate(&b, "mail_html", v); err != nil {
		t.Fatal(err)
	}
	return v.Subject, strings.TrimSpace(x.String()) + "\n", b.String()
}

var (
	between = regexp.MustCompile(`>\s+<`)
	spaces  = regexp.MustCompile(`\s+`)
)

// normal is HTML with whitespace between tags dropped, runs of spaces made
// one, and entities decoded: html/template writes '+' as &#43;, templ not.
func normal(s string) string {
	s = strings.Replace(s, "<!doctype html>", "<!DOCTYPE html>", 1)
	s = between.ReplaceAllString(s, "><")
	s = spaces.ReplaceAllString(s, " ")
	return html.UnescapeString(strings.TrimSpace(s))
}

func TestTemplComposesWhatTheOldTemplatesDid(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	const (
		link   = "https://grants.example.org/applications/42?token=a+b&c=d"
		title  = `Misión "Santo Domingo" & <Honduras> 'Niños'`
		person = "Ana Pérez & Co"
		said   = "First line <b>not bold</b>\nsecond line & more"
	)
	week := 7 * 24 * time.Hour
	closes := time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)
	due := time.Date(2027, 3, 5, 0, 0, 0, 0, time.UTC)
	expiryData := func(ttl time.Duration, m map[string]any) map[string]any {
		const day = 24 * time.Hour
		if ttl >= 2*day {
			m["ExpiryKey"], m["ExpiryCount"] = "mail.account.link_expiry_days", int((ttl+day-1)/day)
		} else {
			m["ExpiryKey"], m["ExpiryCount"] = "mail.account.link_expiry_hours", int((ttl+time.Hour-1)/time.Hour)
		}
		return m
	}
	cases := []struct {
		name string
		new  mail.Email
		old  func(r mail.Reader) any
	}{
		{"account_confirm", mail.AccountConfirm{Name: person, Link: link, Expires: 24 * time.Hour},
			func(mail.Reader) any { return expiryData(24*time.Hour, map[string]any{"Name": person, "Link": link}) }},
		{"account_exists", mail.AccountExists{Name: person, LoginLink: link + "/login", ForgotLink: link + "/forgot"},
			func(mail.Reader) any {
				return map[string]any{"Name": person, "LoginLink": link + "/login", "ForgotLink": link + "/forgot"}
			}},
		{"password_reset", mail.PasswordReset{Name: person, Link: link, Expires: time.Hour},
			func(mail.Reader) any { return expiryData(time.Hour, map[string]any{"Name": person, "Link": link}) }},
		{"password_changed", mail.PasswordChanged{Name: person, ForgotLink: link},
			func(mail.Reader) any { return map[string]any{"Name": person, "ForgotLink": link} }},
		{"invitation", mail.Invitation{Name: person, Inviter: "Ida <Admin>", RoleKey: "mail.invitation.role_admin_board", Link: link, Expires: week},
			func(mail.Reader) any {
				return expiryData(week, map[string]any{"Name": person, "Inviter": "Ida <Admin>", "RoleKey": "mail.invitation.role_admin_board", "Link": link})
			}},
		{"email_change", mail.EmailChange{Name: person, Link: link, Expires: 48 * time.Hour},
			func(mail.Reader) any { return expiryData(48*time.Hour, map[string]any{"Name": person, "Link": link}) }},
		{"account_deactivated", mail.AccountDeactivated{Name: person},
			func(mail.Reader) any { return map[string]any{"Name": person} }},
		{"application_submitted", mail.ApplicationSubmitted{Title: title, Organization: person, Link: link},
			func(mail.Reader) any {
				return map[string]any{"Title": title, "Organization": person, "Resubmitted": false, "Link": link}
			}},
		{"application_submitted", mail.ApplicationSubmitted{Title: title, Organization: person, Resubmitted: true, Link: link},
			func(mail.Reader) any {
				return map[string]any{"Title": title, "Organization": person, "Resubmitted": true, "Link": link}
			}},
		{"application_received", mail.ApplicationReceived{Title: title, Link: link},
			func(mail.Reader) any { return map[string]any{"Title": title, "Link": link} }},
		{"application_info_requested", mail.ApplicationInfoRequested{Title: title, Question: said, Link: link},
			func(mail.Reader) any { return map[string]any{"Title": title, "Question": said, "Link": link} }},
		{"application_declined", mail.ApplicationDeclined{Title: title, Reason: said, Link: link},
			func(mail.Reader) any { return map[string]any{"Title": title, "Reason": said, "Link": link} }},
		{"application_message", mail.ApplicationMessage{Title: title, Author: person, Message: said, Link: link},
			func(mail.Reader) any {
				return map[string]any{"Title": title, "Author": person, "Body": said, "Link": link}
			}},
		{"application_decision", mail.ApplicationDecision{Title: title, Approved: true, Amount: 1800000, Currency: "USD", Conditions: said, Link: link},
			func(r mail.Reader) any {
				return map[string]any{"Title": title, "Approved": true, "Amount": money.Format(1800000, "USD", r.Lang), "Conditions": said, "Link": link}
			}},
		{"application_decision", mail.ApplicationDecision{Title: title, Approved: true, Amount: 1800000, Currency: "USD", Link: link},
			func(r mail.Reader) any {
				return map[string]any{"Title": title, "Approved": true, "Amount": money.Format(1800000, "USD", r.Lang), "Conditions": "", "Link": link}
			}},
		{"application_decision", mail.ApplicationDecision{Title: title, Link: link},
			func(r mail.Reader) any {
				return map[string]any{"Title": title, "Approved": false, "Amount": money.Format(0, "", r.Lang), "Conditions": "", "Link": link}
			}},
		{"payment_recorded", mail.PaymentRecorded{Title: title, Amount: 300000, Currency: "USD"},
			func(r mail.Reader) any {
				return map[string]any{"Title": title, "Amount": money.Format(300000, "USD", r.Lang)}
			}},
		{"payment_cancelled", mail.PaymentCancelled{Title: title, Amount: 300000, Currency: "USD", Reason: said},
			func(r mail.Reader) any {
				return map[string]any{"Title": title, "Amount": money.Format(300000, "USD", r.Lang), "Reason": said}
			}},
		{"organization_invitation", mail.OrganizationInvitation{Organization: person, Inviter: "Ida <Admin>", Link: link, Days: 14},
			func(mail.Reader) any {
				return map[string]any{"Organization": person, "Inviter": "Ida <Admin>", "Link": link, "Days": 14}
			}},
		// Dates were ISO strings; the old side is given the new wording, so
		// that the rest of the message is what is compared.
		{"report_reminder", mail.ReportReminder{Title: title, Due: due, Link: link},
			func(r mail.Reader) any {
				return map[string]any{"Title": title, "Due": r.Date(due), "Late": false, "Link": link}
			}},
		{"report_reminder", mail.ReportReminder{Title: title, Due: due, Late: true, Link: link},
			func(r mail.Reader) any {
				return map[string]any{"Title": title, "Due": r.Date(due), "Late": true, "Link": link}
			}},
		{"report_reviewed", mail.ReportReviewed{Title: title, Accepted: true, Link: link},
			func(mail.Reader) any {
				return map[string]any{"Title": title, "Accepted": true, "Note": "", "Link": link}
			}},
		{"report_reviewed", mail.ReportReviewed{Title: title, Note: said, Link: link},
			func(mail.Reader) any {
				return map[string]any{"Title": title, "Accepted": false, "Note": said, "Link": link}
			}},
		{"vote_opened", mail.VoteOpened{Title: title, Organization: person, Closes: closes, Link: link},
			func(r mail.Reader) any {
				return map[string]any{"Title": title, "Organization": person, "Closes": r.DateTime(closes), "Link": link}
			}},
		{"vote_reminder", mail.VoteReminder{Title: title, Closes: closes, Link: link},
			func(r mail.Reader) any {
				return map[string]any{"Title": title, "Closes": r.DateTime(closes), "Link": link}
			}},
		{"digest", mail.Digest{Items: []mail.DigestItem{{Subject: title, Body: said}, {Subject: "Second", Body: "two"}}},
			func(mail.Reader) any {
				return map[string]any{"Count": 2, "Items": []mail.DigestItem{{Subject: title, Body: said}, {Subject: "Second", Body: "two"}}}
			}},
		{"test", mail.Test{Name: person}, func(mail.Reader) any { return map[string]any{"Name": person} }},
	}
	for _, tc := range cases {
		for _, lang := range i18n.Languages {
			r := mail.Reader{Lang: lang, Cat: cat}
			got, err := mail.Render(context.Background(), r, tc.new)
			if err != nil {
				t.Fatalf("%s/%s: %v", tc.name, lang, err)
			}
			subject, text, body := oldCompose(t, cat, lang, tc.name, tc.old(r))
			if got.Subject != subject {
				t.Errorf("%s/%s subject:\n templ %q\n old   %q", tc.name, lang, got.Subject, subject)
			}
			// The old digest left a stray blank line before the footer.
			if text = strings.ReplaceAll(text, "\n\n\n", "\n\n"); got.Text != text {
				t.Errorf("%s/%s text:\n templ %q\n old   %q", tc.name, lang, got.Text, text)
			}
			if normal(got.HTML) != normal(body) {
				t.Errorf("%s/%s HTML:\n templ %s\n old   %s", tc.name, lang, normal(got.HTML), normal(body))
			}
		}
	}
}
