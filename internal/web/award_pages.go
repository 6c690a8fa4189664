package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"mime/multipart"
	"missiongrants/internal/document"
	"missiongrants/internal/policy"
	"missiongrants/internal/web/view"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/award"
	"missiongrants/internal/money"
)

// view.Award is the award panel of an approved application: the schedule
// with what is paid and still due, and the ledger. Admins also get the forms
// that move money; the charity only reads.
// loadAward fills the award panel on an approved application.
func (s *Server) loadAward(c *gin.Context, p *applicationShowPage) error {
	if p.App.Status != policy.Approved {
		return nil
	}
	ctx, u := c.Request.Context(), currentUser(c)
	w, inst, pays, err := s.awards.ForApplication(ctx, u, p.App.ID)
	if err != nil {
		return err
	}
	cur := money.Currency(p.App.Currency)
	f := func(c money.Cents) string { return money.Format(c, cur, p.Lang) }
	v := &view.Award{Award: w, Viewer: u.ID, FormKey: formKey(), Methods: award.Methods, Today: s.today().Format("2006-01-02"), Currency: string(cur)}
	if p.Can.Do(policy.Award) || p.Can.Do(policy.Pay) {
		b, err := s.awards.RoundBudget(ctx, p.App.RoundID)
		if err != nil {
			return err
		}
		v.Budget = f(b.Remaining())
	}
	if w == nil {
		if !p.Can.Do(policy.Award) {
			return nil
		}
		in := award.Input{Year: strconv.Itoa(s.today().Year()), Instalments: make([]award.InstalmentInput, 3)}
		if vote, err := s.currentVote(c, p); err == nil && vote != nil && vote.Approved != nil {
			in.Amount, in.Conditions = money.Input(*vote.Approved, p.Lang), vote.Conditions
			v.Approved = f(*vote.Approved)
		}
		v.Create = &in
		p.Award = v
		return nil
	}
	v.Amount, v.Paid, v.Outstanding = f(w.Amount), f(w.Paid), f(w.Outstanding())
	if g, err := s.agreements.Standing(ctx, p.App.ID); err != nil {
		return err
	} else if g != nil {
		v.AgreementSigned = g.Signed()
	}
	for _, i := range inst {
		v.Instalments = append(v.Instalments, view.InstalmentRow{Instalment: i, Amount: f(i.Amount), Paid: f(i.Paid), Outstanding: f(i.Outstanding())})
	}
	for _, pay := range pays {
		v.Payments = append(v.Payments, view.PaymentRow{Payment: pay, Amount: f(pay.Amount)})
	}
	p.Award = v
	return nil
}

// formKey makes a payment form's one-time key: a double click or a resent
// form carries the same key and records one payment.
func formKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) awardCreate(c *gin.Context) error {
	in := award.Input{Amount: c.PostForm("amount"), Conditions: c.PostForm("conditions"), Year: c.PostForm("year")}
	amounts, dues, conds := c.PostFormArray("instalment_amount"), c.PostFormArray("instalment_due"), c.PostFormArray("instalment_condition")
	for i := range amounts {
		line := award.InstalmentInput{Amount: amounts[i]}
		if i < len(dues) {
			line.DueOn = dues[i]
		}
		if i < len(conds) {
			line.Condition = conds[i]
		}
		in.Instalments = append(in.Instalments, line)
	}
	return s.applicationAct(c, "flash.award_created", func(id int64) error {
		_, err := s.awards.Create(c.Request.Context(), s.actor(c), currentUser(c), id, in)
		return err
	}, func(p *applicationShowPage) {
		if p.Award != nil && p.Award.Create != nil {
			p.Award.Create = &in
		}
	})
}

// paymentCreate records a payment, with its receipt when one is attached:
// the form is multipart and streams the file to the store first; the
// receipt's row is written in the payment's transaction, and the file is
// deleted again if the payment is not recorded.
func (s *Server) paymentCreate(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx, u := c.Request.Context(), currentUser(c)
	a, err := s.apps.Get(ctx, u, id)
	if err != nil {
		return err
	}
	// Who may pay is known before the body (and its receipt) is read.
	if can, err := s.apps.Can(ctx, u, id); err != nil {
		return err
	} else if err := can.Why(policy.Pay); err != nil {
		return s.applicationAct(c, "", func(int64) error { return err }, nil)
	}
	var staged *document.Staged
	var refused error // the receipt, before the payment is tried
	if strings.HasPrefix(c.ContentType(), "multipart/") {
		fields, err := streamForm(c, s.docs.MaxBytes()+1<<20, func(_ url.Values, part *multipart.Part) error {
			if part.FormName() != "receipt" || staged != nil {
				return nil
			}
			var err error
			staged, err = s.docs.StageReceipt(ctx, s.actor(c), u, a.OrganizationID, id, part.FileName(), part)
			return err
		})
		if fields == nil {
			fields = url.Values{}
		}
		c.Request.PostForm, refused = fields, err
	}
	instalment, _ := strconv.ParseInt(c.PostForm("instalment"), 10, 64)
	in := award.PaymentInput{InstalmentID: instalment, Amount: c.PostForm("amount"), PaidOn: c.PostForm("paid_on"), Method: c.PostForm("method"),
		Reference: c.PostForm("reference"), OverrideReason: c.PostForm("override_reason"), IdempotencyKey: c.PostForm("key"),
		Different: c.PostForm("different") == "yes"}
	var duplicate bool
	keep := func(p *applicationShowPage) {
		if p.Award != nil {
			p.Award.Pay = in // the file is chosen again: browsers do not refill file inputs
			p.Award.Duplicate = duplicate
		}
	}
	if refused != nil {
		return s.applicationAct(c, "", func(int64) error { return refused }, keep)
	}
	if staged != nil {
		in.Receipt = staged
	}
	return s.applicationAct(c, "flash.payment_recorded", func(id int64) error {
		p, err := s.awards.Pay(ctx, s.actor(c), u, id, in)
		duplicate = errors.Is(err, award.ErrDuplicate)
		if staged != nil && (err != nil || p.ReceiptID == nil) {
			staged.Discard(ctx) // not recorded (refused, or the form was a resend)
		}
		return err
	}, keep)
}

func (s *Server) paymentApprove(c *gin.Context) error {
	payment, _ := strconv.ParseInt(c.PostForm("payment"), 10, 64)
	return s.applicationAct(c, "flash.payment_approved", func(id int64) error {
		return s.awards.Approve(c.Request.Context(), s.actor(c), currentUser(c), id, payment)
	}, nil)
}

func (s *Server) paymentCancel(c *gin.Context) error {
	payment, _ := strconv.ParseInt(c.PostForm("payment"), 10, 64)
	return s.applicationAct(c, "flash.payment_cancelled", func(id int64) error {
		return s.awards.Cancel(c.Request.Context(), s.actor(c), currentUser(c), id, payment, c.PostForm("cancel_reason"))
	}, func(p *applicationShowPage) {
		if p.Award != nil {
			p.Award.Cancelling, p.Award.CancelReason = payment, c.PostForm("cancel_reason")
		}
	})
}

func (s *Server) paymentReverse(c *gin.Context) error {
	payment, _ := strconv.ParseInt(c.PostForm("payment"), 10, 64)
	return s.applicationAct(c, "flash.payment_reversed", func(id int64) error {
		return s.awards.Reverse(c.Request.Context(), s.actor(c), currentUser(c), id, payment, c.PostForm("reason"), c.PostForm("key"))
	}, nil)
}
