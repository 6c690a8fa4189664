package mail

import "missiongrants/internal/money"

// PaymentRecorded tells the charity a payment was sent.
type PaymentRecorded struct {
	Title    string
	Amount   money.Cents
	Currency money.Currency
}

func (d PaymentRecorded) Subject(r Reader) string {
	return r.T("mail.payment.subject", "Title", d.Title)
}

func (d PaymentRecorded) Text(r Reader) string {
	return r.T("mail.payment.body", "Amount", r.Money(d.Amount, d.Currency), "Title", d.Title)
}

// PaymentCancelled tells the other admins a payment was cancelled, and why.
type PaymentCancelled struct {
	Title    string
	Amount   money.Cents
	Currency money.Currency
	Reason   string
}

func (d PaymentCancelled) Subject(r Reader) string {
	return r.T("mail.payment_cancelled.subject", "Title", d.Title)
}

func (d PaymentCancelled) body(r Reader) string {
	return r.T("mail.payment_cancelled.body", "Amount", r.Money(d.Amount, d.Currency), "Title", d.Title)
}

func (d PaymentCancelled) Text(r Reader) string { return paras(d.body(r), d.Reason) }
