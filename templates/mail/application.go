package mail

import "missiongrants/internal/money"

// ApplicationSubmitted tells the admins an application arrived (again, after
// information was asked).
type ApplicationSubmitted struct {
	Title, Organization string
	Resubmitted         bool
	Link                string
}

func (d ApplicationSubmitted) Subject(r Reader) string {
	if d.Resubmitted {
		return r.T("mail.app_submitted.subject_again", "Title", d.Title)
	}
	return r.T("mail.app_submitted.subject", "Title", d.Title)
}

func (d ApplicationSubmitted) body(r Reader) string {
	return r.T("mail.app_submitted.body", "Organization", d.Organization, "Title", d.Title)
}

func (d ApplicationSubmitted) Text(r Reader) string { return paras(d.body(r), d.Link) }

// ApplicationReceived tells the charity its application arrived.
type ApplicationReceived struct {
	Title, Link string
}

func (d ApplicationReceived) Subject(r Reader) string {
	return r.T("mail.app_received.subject", "Title", d.Title)
}

func (d ApplicationReceived) Text(r Reader) string {
	return paras(r.T("mail.app_received.body", "Title", d.Title), d.Link)
}

// ApplicationInfoRequested carries the admins' question to the charity.
type ApplicationInfoRequested struct {
	Title, Question, Link string
}

func (d ApplicationInfoRequested) Subject(r Reader) string {
	return r.T("mail.app_info.subject", "Title", d.Title)
}

func (d ApplicationInfoRequested) Text(r Reader) string {
	return paras(r.T("mail.app_info.body", "Title", d.Title), d.Question, r.T("mail.app_info.action"), d.Link)
}

// ApplicationDeclined tells the charity its application was declined at
// screening, and why.
type ApplicationDeclined struct {
	Title, Reason, Link string
}

func (d ApplicationDeclined) Subject(r Reader) string {
	return r.T("mail.app_declined.subject", "Title", d.Title)
}

func (d ApplicationDeclined) Text(r Reader) string {
	return paras(r.T("mail.app_declined.body", "Title", d.Title), d.Reason, r.T("mail.app_declined.after"), d.Link)
}

// ApplicationMessage carries a message of the thread between the charity
// and the admins.
type ApplicationMessage struct {
	Title, Author string
	Message       string // what the author wrote
	Link          string
}

func (d ApplicationMessage) Subject(r Reader) string {
	return r.T("mail.app_message.subject", "Title", d.Title)
}

func (d ApplicationMessage) intro(r Reader) string {
	return r.T("mail.app_message.body", "Author", d.Author, "Title", d.Title)
}

func (d ApplicationMessage) Text(r Reader) string {
	return paras(d.intro(r), d.Message, r.T("mail.app_message.action")+" "+d.Link)
}

// ApplicationDecision tells the charity the board's decision: the amount
// and any conditions when approved.
type ApplicationDecision struct {
	Title      string
	Approved   bool
	Amount     money.Cents
	Currency   money.Currency
	Conditions string
	Link       string
}

func (d ApplicationDecision) Subject(r Reader) string {
	if d.Approved {
		return r.T("mail.decision.subject_approved", "Title", d.Title)
	}
	return r.T("mail.decision.subject_declined", "Title", d.Title)
}

func (d ApplicationDecision) approved(r Reader) string {
	return r.T("mail.decision.approved", "Title", d.Title, "Amount", r.Money(d.Amount, d.Currency))
}

func (d ApplicationDecision) Text(r Reader) string {
	if !d.Approved {
		return paras(r.T("mail.decision.declined", "Title", d.Title), d.Link)
	}
	conditions := ""
	if d.Conditions != "" {
		conditions = lines(r.T("mail.decision.conditions"), d.Conditions)
	}
	return paras(d.approved(r), conditions, r.T("mail.decision.next"), d.Link)
}

// AgreementReady asks a charity's signatory to read and sign the grant
// agreement of an award.
type AgreementReady struct {
	Title string
	Link  string
}

func (d AgreementReady) Subject(r Reader) string {
	return r.T("mail.agreement_ready.subject", "Title", d.Title)
}

func (d AgreementReady) body(r Reader) string {
	return r.T("mail.agreement_ready.body", "Title", d.Title)
}

func (d AgreementReady) Text(r Reader) string { return paras(d.body(r), d.Link) }
