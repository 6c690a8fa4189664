package mail

import "time"

// ReviewReminder reminds an assigned reviewer who has not reviewed an
// application that the round's review deadline is near.
type ReviewReminder struct {
	Title    string
	Deadline time.Time // a date
	Link     string
}

func (d ReviewReminder) Subject(r Reader) string {
	return r.T("mail.review_reminder.subject", "Title", d.Title)
}

func (d ReviewReminder) body(r Reader) string {
	return r.T("mail.review_reminder.body", "Title", d.Title, "Deadline", r.Date(d.Deadline))
}

func (d ReviewReminder) Text(r Reader) string { return paras(d.body(r), d.Link) }
