package mail

import (
	"strings"
	"time"
)

// VoteOpened tells a board member who may vote that a vote is open.
type VoteOpened struct {
	Title, Organization string
	Closes              time.Time
	Link                string
}

func (d VoteOpened) Subject(r Reader) string {
	return r.T("mail.vote_opened.subject", "Title", d.Title)
}

func (d VoteOpened) body(r Reader) string {
	return r.T("mail.vote_opened.body", "Title", d.Title, "Organization", d.Organization, "Closes", r.DateTime(d.Closes))
}

func (d VoteOpened) Text(r Reader) string {
	return paras(d.body(r), r.T("mail.vote_opened.conflict"), d.Link)
}

// VoteReminder reminds a board member who has not voted that the vote
// closes soon.
type VoteReminder struct {
	Title  string
	Closes time.Time
	Link   string
}

func (d VoteReminder) Subject(r Reader) string {
	return r.T("mail.vote_reminder.subject", "Title", d.Title)
}

func (d VoteReminder) body(r Reader) string {
	return r.T("mail.vote_reminder.body", "Title", d.Title, "Closes", r.DateTime(d.Closes))
}

func (d VoteReminder) Text(r Reader) string { return paras(d.body(r), d.Link) }

// Digest gathers a day's notices for a person who chose one summary.
type Digest struct {
	Items []DigestItem
}

// DigestItem is one notice, as its own mail's subject and text body said it
// (in the reader's language, when it happened).
type DigestItem struct {
	Subject, Body string
}

func (d Digest) Subject(r Reader) string { return r.T("mail.digest.subject", "Count", len(d.Items)) }

func (d Digest) intro(r Reader) string { return r.T("mail.digest.intro", "Count", len(d.Items)) }

func (d Digest) Text(r Reader) string {
	ps := []string{d.intro(r)}
	for _, it := range d.Items {
		ps = append(ps, "== "+it.Subject+" ==\n"+strings.TrimSpace(it.Body))
	}
	return paras(ps...)
}

// Test is the message that checks the portal can send mail.
type Test struct {
	Name string
}

func (Test) Subject(r Reader) string { return r.T("mail.test.subject") }
func (d Test) Text(r Reader) string  { return r.T("mail.test.body", "Name", d.Name) }

// ApplicationToBoard tells a board member an application is now before the
// board: declare any conflict, then review.
type ApplicationToBoard struct {
	Title, Organization string
	Link                string
}

func (d ApplicationToBoard) Subject(r Reader) string {
	return r.T("mail.application_to_board.subject", "Title", d.Title)
}

func (d ApplicationToBoard) body(r Reader) string {
	return r.T("mail.application_to_board.body", "Title", d.Title, "Organization", d.Organization)
}

func (d ApplicationToBoard) Text(r Reader) string { return paras(d.body(r), d.Link) }
