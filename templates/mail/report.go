package mail

import "time"

// ReportReminder reminds the charity, and the host hospital's contact, of
// a post-trip report due soon or overdue.
type ReportReminder struct {
	Title string
	Due   time.Time // the day it is due
	Late  bool
	Link  string
}

func (d ReportReminder) Subject(r Reader) string {
	if d.Late {
		return r.T("mail.report_reminder.subject_late", "Title", d.Title)
	}
	return r.T("mail.report_reminder.subject", "Title", d.Title)
}

func (d ReportReminder) body(r Reader) string {
	if d.Late {
		return r.T("mail.report_reminder.late", "Title", d.Title, "Due", r.Date(d.Due))
	}
	return r.T("mail.report_reminder.body", "Title", d.Title, "Due", r.Date(d.Due))
}

func (d ReportReminder) Text(r Reader) string { return paras(d.body(r), d.Link) }

// ReportReviewed tells the charity its report was accepted, or what to
// correct.
type ReportReviewed struct {
	Title    string
	Accepted bool
	Note     string // the corrections asked
	Link     string
}

func (d ReportReviewed) Subject(r Reader) string {
	if d.Accepted {
		return r.T("mail.report_reviewed.subject_accepted", "Title", d.Title)
	}
	return r.T("mail.report_reviewed.subject_corrections", "Title", d.Title)
}

func (d ReportReviewed) Text(r Reader) string {
	if d.Accepted {
		return paras(r.T("mail.report_reviewed.accepted", "Title", d.Title), d.Link)
	}
	return paras(r.T("mail.report_reviewed.corrections", "Title", d.Title), d.Note, d.Link)
}

// ReportSubmitted tells the IPA's admins a post-trip report arrived and
// waits for their review.
type ReportSubmitted struct {
	Title, Organization string
	Link                string
}

func (d ReportSubmitted) Subject(r Reader) string {
	return r.T("mail.report_submitted.subject", "Title", d.Title)
}

func (d ReportSubmitted) body(r Reader) string {
	return r.T("mail.report_submitted.body", "Title", d.Title, "Organization", d.Organization)
}

func (d ReportSubmitted) Text(r Reader) string { return paras(d.body(r), d.Link) }
