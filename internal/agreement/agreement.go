// Package agreement owns the grant agreement: issued with the award in the
// charity's language from the admins' template, signed by one of the
// charity's signatories, never changed once signed (an unsigned one can be
// voided and a corrected one issued). No money moves before the signature:
// policy refuses the payment and the database's last line too
// (migrations/00025_agreements.sql).
package agreement

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail"
	"missiongrants/internal/money"
	"missiongrants/internal/papers"
	"missiongrants/internal/policy"
	mailtmpl "missiongrants/templates/mail"
)

// Service issues, signs and voids agreements.
type Service struct {
	db      *sqlx.DB
	outbox  *mail.Outbox
	base    string
	papers  *papers.Papers
	dueDays int // a post-trip report is due this many days after the trip
	now     func() time.Time
}

// Options are what the service needs besides its database.
type Options struct {
	Outbox  *mail.Outbox // asks the charity's signatories to sign; nil: no mail
	BaseURL string       // for the link in that mail
	Papers  *papers.Papers
	// ReportDueDays is the post-trip report's delay after the trip, which
	// the agreement states as a date.
	ReportDueDays int
	Now           func() time.Time // the clock; nil: time.Now
}

// New builds the service.
func New(pool *sqlx.DB, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{db: pool, outbox: o.Outbox, base: strings.TrimRight(o.BaseURL, "/"), papers: o.Papers, dueDays: o.ReportDueDays, now: o.Now}
}

// Agreement is an issued agreement as pages show it.
type Agreement struct {
	ID            int64      `db:"id"`
	ApplicationID int64      `db:"application_id"`
	Language      string     `db:"language"`
	SHA256        string     `db:"pdf_sha256"`
	IssuedAt      time.Time  `db:"issued_at"`
	SignedAt      *time.Time `db:"signed_at"`
	SignerName    *string    `db:"signer_name"`
	SignerTitle   *string    `db:"signer_title"`
	VoidedAt      *time.Time `db:"voided_at"`
	VoidReason    *string    `db:"void_reason"`
}

// Signed reports whether the charity signed it.
func (a *Agreement) Signed() bool { return a.SignedAt != nil }

// IssueTx writes the agreement of award awardID in the caller's transaction
// (the award's own, so there is never an award without one): the terms from
// the template of the charity's language with the award's figures, and its
// PDF with that PDF's SHA-256.
func (s *Service) IssueTx(ctx context.Context, tx *sqlx.Tx, ac account.Actor, by *account.User, awardID int64) (int64, error) {
	a, lang, appID, err := s.facts(ctx, tx, awardID)
	if err != nil {
		return 0, err
	}
	text, err := s.papers.AgreementText(*a)
	if err != nil {
		return 0, err
	}
	pdf, err := s.papers.Agreement(*a, text, nil)
	if err != nil {
		return 0, err
	}
	sum := sha256.Sum256(pdf)
	var id int64
	if err := tx.GetContext(ctx, &id, sqlInsert,
		awardID, appID, lang, text, pdf, hex.EncodeToString(sum[:]), by.ID, a.IssuedAt); err != nil {
		return 0, fmt.Errorf("agreement.Issue: %w", err)
	}
	if err := audit.Record(ctx, tx, ac.Event("agreement.issued", "application", appID,
		map[string]any{"agreement_id": id, "sha256": hex.EncodeToString(sum[:]), "language": lang})); err != nil {
		return 0, err
	}
	return id, s.askSignatories(ctx, tx, appID, a.Title)
}

// askSignatories mails the charity's signatories, each in their language,
// that the agreement waits for their signature.
func (s *Service) askSignatories(ctx context.Context, tx *sqlx.Tx, appID int64, title string) error {
	if s.outbox == nil {
		return nil
	}
	var to []struct {
		Email    string `db:"email"`
		Language string `db:"language"`
	}
	if err := tx.SelectContext(ctx, &to, sqlSignatories, appID); err != nil {
		return fmt.Errorf("agreement: signatories: %w", err)
	}
	for _, r := range to {
		e := mailtmpl.AgreementReady{Title: title, Link: s.base + "/applications/" + strconv.FormatInt(appID, 10) + "/agreement"}
		if err := s.outbox.Send(ctx, tx, r.Language, r.Email, e); err != nil {
			return err
		}
	}
	return nil
}

// facts are what the agreement of an award says, in the language of the
// person who submitted the application (the charity's working language).
func (s *Service) facts(ctx context.Context, q db.Querier, awardID int64) (*papers.Agreement, string, int64, error) {
	var row struct {
		AppID        int64       `db:"application_id"`
		Lang         string      `db:"language"`
		Organization string      `db:"legal_name"`
		Title        string      `db:"title"`
		Amount       money.Cents `db:"amount_cents"`
		Currency     string      `db:"currency"`
		Conditions   string      `db:"conditions"`
		TripStart    *time.Time  `db:"trip_start"`
		TripEnd      *time.Time  `db:"trip_end"`
		Year         int         `db:"year"`
		Template     string      `db:"body"`
	}
	err := q.GetContext(ctx, &row, sqlFacts, awardID)
	if err != nil {
		return nil, "", 0, fmt.Errorf("agreement: the award's facts: %w", db.NotFound(err))
	}
	var lines []papers.Instalment
	if err := q.SelectContext(ctx, &lines, sqlFactsInstalments, awardID); err != nil {
		return nil, "", 0, fmt.Errorf("agreement: the schedule: %w", err)
	}
	a := &papers.Agreement{Lang: row.Lang, Number: fmt.Sprintf("%d-%d", row.Year, awardID), Organization: row.Organization,
		Title: row.Title, Amount: row.Amount, Currency: row.Currency, Instalments: lines, Conditions: row.Conditions,
		Template: row.Template, IssuedAt: s.now().UTC().Truncate(time.Second)}
	if row.TripStart != nil && row.TripEnd != nil {
		a.TripStart, a.TripEnd = *row.TripStart, *row.TripEnd
		a.ReportDue = row.TripEnd.AddDate(0, 0, s.dueDays)
	}
	return a, row.Lang, row.AppID, nil
}

// Standing is the application's agreement that stands (not voided), or
// nil when none was issued; the caller has checked u may view it.
func (s *Service) Standing(ctx context.Context, appID int64) (*Agreement, error) {
	var a Agreement
	err := s.db.GetContext(ctx, &a, sqlStanding, appID)
	if errors.Is(db.NotFound(err), db.ErrNotFound) {
		return nil, nil
	}
	return &a, err
}

// History is every agreement of the application, newest first (voided
// ones included, with why).
func (s *Service) History(ctx context.Context, appID int64) ([]Agreement, error) {
	var out []Agreement
	err := s.db.SelectContext(ctx, &out, sqlHistory, appID)
	return out, err
}

// PDF is an agreement's file for someone who may view the application: the
// signed copy once signed, the one to read before.
func (s *Service) PDF(ctx context.Context, u *account.User, appID, id int64) ([]byte, *Agreement, error) {
	if err := policy.Check(ctx, s.db, u, appID, s.now(), policy.NoLock, policy.View); err != nil {
		return nil, nil, err
	}
	var row struct {
		Agreement
		PDF    []byte `db:"pdf"`
		Signed []byte `db:"signed_pdf"`
	}
	err := s.db.GetContext(ctx, &row, sqlPdf, id, appID)
	if err != nil {
		return nil, nil, db.NotFound(err)
	}
	if row.SignedAt != nil {
		return row.Signed, &row.Agreement, nil
	}
	return row.PDF, &row.Agreement, nil
}

// Signing is what a signatory types and ticks.
type Signing struct {
	Name, Title string
	Accept      bool
	IP          string
}

// Sign records the charity's acceptance by u, a signatory: who, when, from
// where, the text accepted and the SHA-256 of the PDF read, in the audit
// chain; and keeps the signed copy (the PDF with its signature page).
func (s *Service) Sign(ctx context.Context, ac account.Actor, u *account.User, appID int64, in Signing) error {
	fe := i18n.FieldErrors{}
	fe.Add("signer_name", field.Line(in.Name, true, 200))
	fe.Add("signer_title", field.Line(in.Title, true, 200))
	if !in.Accept {
		fe["accept"] = i18n.Msg("error.agreement.accept")
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		now := s.now()
		if err := policy.Check(ctx, tx, u, appID, now, policy.Update, policy.SignAgreement); err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		var g struct {
			ID       int64     `db:"id"`
			AwardID  int64     `db:"award_id"`
			SHA      string    `db:"pdf_sha256"`
			Terms    string    `db:"body"` // as issued: the template may have changed since
			IssuedAt time.Time `db:"issued_at"`
			Org      string    `db:"legal_name"`
		}
		if err := tx.GetContext(ctx, &g, sqlSignOpen, appID); err != nil {
			return fmt.Errorf("agreement.Sign: %w", db.NotFound(err))
		}
		facts, lang, _, err := s.facts(ctx, tx, g.AwardID)
		if err != nil {
			return err
		}
		facts.IssuedAt = g.IssuedAt
		statement := s.papers.Statement(lang, g.Org)
		sig := &papers.Signature{Name: strings.TrimSpace(in.Name), Title: strings.TrimSpace(in.Title), Email: u.Email,
			At: now, IP: in.IP, Statement: statement, SHA256: g.SHA}
		signed, err := s.signedCopy(g.ID, facts, g.Terms, sig)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlSignUpdate,
			g.ID, u.ID, sig.Name, sig.Title, in.IP, statement, now, signed); err != nil {
			return fmt.Errorf("agreement.Sign: %w", err)
		}
		// The audit chain keeps what was accepted, word for word, beside the
		// hash of the PDF read: the chain can be checked without the table.
		// The language they are in lets the audit page mark them so.
		sum := sha256.Sum256(signed)
		return audit.Record(ctx, tx, ac.Event("agreement.signed", "application", appID, map[string]any{
			"agreement_id": g.ID, "sha256": g.SHA, "signed_sha256": hex.EncodeToString(sum[:]),
			"signer_name": sig.Name, "signer_title": sig.Title, "ip": in.IP, "statement": statement, "terms": g.Terms, "language": lang}))
	})
}

// signedCopy is the agreement's PDF with its signature page, from the terms
// as issued; the PDF made again from them without the page must be the very
// one the signatory read.
func (s *Service) signedCopy(id int64, facts *papers.Agreement, terms string, sig *papers.Signature) ([]byte, error) {
	again, err := s.papers.Agreement(*facts, terms, nil)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(again); hex.EncodeToString(sum[:]) != sig.SHA256 {
		return nil, fmt.Errorf("agreement %d: made again, its PDF differs from the one issued", id)
	}
	return s.papers.Agreement(*facts, terms, sig)
}

// Void withdraws the standing unsigned agreement, with the reason, and
// issues a corrected one from the template as it reads now.
func (s *Service) Void(ctx context.Context, ac account.Actor, u *account.User, appID int64, reason string) error {
	fe := i18n.FieldErrors{}
	fe.Add("reason", field.Text(reason, true, 2000))
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		now := s.now()
		if err := policy.Check(ctx, tx, u, appID, now, policy.Update, policy.VoidAgreement); err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		var g struct {
			ID      int64 `db:"id"`
			AwardID int64 `db:"award_id"`
		}
		if err := tx.GetContext(ctx, &g, sqlVoid, appID, u.ID, now, strings.TrimSpace(reason)); err != nil {
			return fmt.Errorf("agreement.Void: %w", db.NotFound(err))
		}
		if err := audit.Record(ctx, tx, ac.Event("agreement.voided", "application", appID,
			map[string]any{"agreement_id": g.ID, "reason": strings.TrimSpace(reason)})); err != nil {
			return err
		}
		_, err := s.IssueTx(ctx, tx, ac, u, g.AwardID)
		return err
	})
}

// Template is the terms' template in lang.
func (s *Service) Template(ctx context.Context, lang string) (string, error) {
	var body string
	err := s.db.GetContext(ctx, &body, sqlTemplate, lang)
	return body, err
}

// Terms is the text an issued agreement's signatory accepts.
func (s *Service) Terms(ctx context.Context, id int64) (string, error) {
	var body string
	err := s.db.GetContext(ctx, &body, sqlTerms, id)
	return body, err
}

// SaveTemplates replaces the terms' templates of every language given, by
// an admin, all or none; an unknown {placeholder} is refused beside its
// field. Agreements already issued keep their terms.
func (s *Service) SaveTemplates(ctx context.Context, ac account.Actor, u *account.User, bodies map[string]string) error {
	if !u.IsAdmin {
		return policy.ErrForbidden
	}
	fe := i18n.FieldErrors{}
	for lang, body := range bodies {
		if err := field.Text(body, true, 50000); err != nil {
			fe.Add("body_"+lang, err)
			continue
		}
		fe.Add("body_"+lang, papers.CheckTemplate(body))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		for lang, body := range bodies {
			res, err := tx.ExecContext(ctx, sqlSaveTemplates, lang, body, u.ID, s.now())
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("agreement: no template in %q", lang)
			}
			if err := audit.Record(ctx, tx, ac.Event("agreement.template_saved", "agreement_template", 0, map[string]any{"language": lang})); err != nil {
				return err
			}
		}
		return nil
	})
}
