package mail

import "time"

// ProposalInvited tells the charity its concept note was welcomed: it is
// invited to write the full proposal, which the portal has begun from the
// note, by the invitation's deadline.
type ProposalInvited struct {
	Title string
	Due   time.Time // the invitation's deadline, a day
	Note  string    // what the IPA wrote with the invitation ("" none)
	Link  string
}

func (d ProposalInvited) Subject(r Reader) string {
	return r.T("mail.stages.invited.subject", "Title", d.Title)
}

func (d ProposalInvited) body(r Reader) string {
	return r.T("mail.stages.invited.body", "Title", d.Title, "Due", r.Date(d.Due))
}

func (d ProposalInvited) Text(r Reader) string {
	return paras(d.body(r), d.Note, r.T("mail.stages.invited.action"), d.Link)
}
