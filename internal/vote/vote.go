package vote

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"missiongrants/internal/policy"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/application"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail"
	"missiongrants/internal/money"
	"missiongrants/internal/notify"
	"missiongrants/internal/papers"
	"missiongrants/internal/refusal"
	mailtmpl "missiongrants/templates/mail"
)

// The package's refusals.
var (
	ErrNotFound  = db.ErrNotFound
	ErrForbidden = refusal.Forbidden("error.http.403")
	// ErrClosed: the vote has closed; a closed vote never changes.
	ErrClosed = refusal.Conflict("error.vote.closed")
)

// Service runs votes.
type Service struct {
	db     *sqlx.DB
	papers *papers.Papers // the decision's letter; nil: none attached
	outbox *mail.Outbox
	notify *notify.Notifier // the board's notices: at once or in a daily summary
	rules  Rules
	base   string
	now    func() time.Time
}

// Options are what the service needs besides its database.
type Options struct {
	Outbox  *mail.Outbox
	Papers  *papers.Papers   // writes the decision's letter, attached to its mail
	Rules   Rules            // quorum and approval; zero: DefaultRules
	BaseURL string           // for links in emails
	Now     func() time.Time // the clock; nil: time.Now
}

// New builds the service.
func New(pool *sqlx.DB, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rules == (Rules{}) {
		o.Rules = DefaultRules
	}
	return &Service{db: pool, papers: o.Papers, outbox: o.Outbox, notify: notify.New(o.Outbox, o.Now), rules: o.Rules, base: strings.TrimRight(o.BaseURL, "/"), now: o.Now}
}

// Vote is a vote on an application.
type Vote struct {
	ID            int64       `db:"id"`
	ApplicationID int64       `db:"application_id"`
	Proposed      money.Cents `db:"proposed_cents"`
	Currency      string      `db:"currency"`
	Conditions    string      `db:"conditions"`
	OpenedAt      time.Time   `db:"opened_at"`
	ClosesAt      time.Time   `db:"closes_at"`
	ClosedAt      *time.Time  `db:"closed_at"`
	Decision      *string     `db:"decision"`
	// Approved is the amount an approving vote approved (nil otherwise):
	// the most the award may be.
	Approved   *money.Cents `db:"approved_cents"`
	ResultJSON []byte       `db:"result"`
	// MyChoice and MyComment are the reader's ballot, as Current reads it
	// ("" when they have cast none).
	MyChoice  Choice `db:"my_choice"`
	MyComment string `db:"my_comment"`
}

// Open reports whether ballots may still be cast at now.
func (v *Vote) Open(now time.Time) bool { return v.ClosedAt == nil && now.Before(v.ClosesAt) }

// Record is what a closed vote keeps: the tally, who voted what, who was recused.
type Record struct {
	Result
	Ballots []BallotRecord `json:"ballots"`
	Recused []string       `json:"recused"`
}

// BallotRecord is one member's final ballot.
type BallotRecord struct {
	Name    string `json:"name"`
	Choice  Choice `json:"choice"`
	Comment string `json:"comment,omitempty"`
}

// Record decodes a closed vote's record.
func (v *Vote) Record() (*Record, error) {
	if v.ResultJSON == nil {
		return nil, nil
	}
	var r Record
	return &r, json.Unmarshal(v.ResultJSON, &r)
}

// Input opens a vote.
type Input struct {
	Proposed, Conditions, ClosesAt string // ClosesAt as YYYY-MM-DDTHH:MM (UTC) or a date
}

// OpenVote starts a vote on an application in review, by an admin not
// recused (policy.OpenVote). The proposed award may differ from the amount
// asked; approving it approves that amount, and no more can be awarded.
func (s *Service) OpenVote(ctx context.Context, ac account.Actor, u *account.User, appID int64, in Input) (int64, error) {
	fe := i18n.FieldErrors{}
	proposed, err := money.Parse(in.Proposed, u.Language)
	if err == nil && proposed == 0 {
		err = i18n.Msg("error.vote.proposed_zero")
	}
	fe.Add("proposed", err)
	fe.Add("conditions", field.Text(in.Conditions, false, 5000))
	now := s.now()
	closes, err := parseClose(in.ClosesAt)
	switch {
	case err != nil:
		fe.Add("closes_at", err)
	case !closes.After(now.Add(time.Hour)) || closes.After(now.AddDate(0, 3, 0)):
		fe["closes_at"] = i18n.Msg("error.vote.closes_at")
	}
	if err := fe.Err(); err != nil {
		return 0, err
	}
	var id int64
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := policy.Check(ctx, tx, u, appID, now, policy.Update, policy.OpenVote); err != nil {
			return err
		}
		if _, err := application.MoveTx(ctx, tx, ac, appID, policy.EventOpenVote, policy.RoleAdmin, "", now); err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &id, sqlOpenVote, appID, proposed, strings.TrimSpace(in.Conditions), u.ID, now, closes); err != nil {
			return fmt.Errorf("vote.Open: %w", err)
		}
		if err := audit.Record(ctx, tx, ac.Event("vote.opened", "application", appID, map[string]any{"vote_id": id, "proposed_cents": proposed})); err != nil {
			return err
		}
		return s.notifyBoard(ctx, tx, appID, closes)
	})
	return id, err
}

func parseClose(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", field.DateLayout} {
		if t, err := time.Parse(layout, s); err == nil {
			if layout == field.DateLayout {
				t = t.Add(24*time.Hour - time.Minute) // the end of that day
			}
			return t.UTC(), nil
		}
	}
	if s == "" {
		return time.Time{}, i18n.Msg("error.field.required")
	}
	return time.Time{}, i18n.Msg("error.date.invalid")
}

// Current returns the application's latest vote, or nil, with u's ballot
// on it.
func (s *Service) Current(ctx context.Context, u *account.User, appID int64) (*Vote, error) {
	var v Vote
	err := s.db.GetContext(ctx, &v, sqlCurrent, appID, u.ID)
	if errors.Is(db.NotFound(err), db.ErrNotFound) {
		return nil, nil
	}
	return &v, err
}

// Cast records u's ballot, or changes it, while the vote is open. A recused
// member, or one who has not declared, cannot vote by any route: this checks
// it, and so does the database.
func (s *Service) Cast(ctx context.Context, ac account.Actor, u *account.User, voteID int64, choice Choice, comment string) error {
	if !choice.Valid() {
		return i18n.FieldErrors{"choice": i18n.Msg("error.field.choose")}
	}
	comment = strings.TrimSpace(comment)
	if err := field.Text(comment, false, 5000); err != nil {
		return i18n.FieldErrors{"ballot_comment": err.(i18n.Message)}
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		// FOR SHARE: a close (FOR UPDATE) waits for ballots in flight, and a
		// ballot after the close sees it closed.
		var v Vote
		if err := tx.GetContext(ctx, &v, sqlCastVote, voteID); err != nil {
			return fmt.Errorf("vote.Cast: %w", db.NotFound(err))
		}
		if !v.Open(s.now()) {
			return ErrClosed
		}
		if err := policy.Check(ctx, tx, u, v.ApplicationID, s.now(), policy.Share, policy.CastBallot); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlBallotInsert, voteID, u.ID, choice, comment, s.now()); err != nil {
			return fmt.Errorf("vote.Cast: %w", err)
		}
		return audit.Record(ctx, tx, ac.Event("vote.ballot", "application", v.ApplicationID, map[string]any{"vote_id": voteID, "choice": choice}))
	})
}

// Close ends a vote (an admin early, or the clock: by nil), counts it under
// the board's rules and moves the application: approved, declined, or back
// to review when there was no quorum (the vote can then be reopened).
func (s *Service) Close(ctx context.Context, ac account.Actor, by *account.User, voteID int64) (*Record, error) {
	var rec Record
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var v Vote
		if err := tx.GetContext(ctx, &v, sqlCloseVote, voteID); err != nil {
			return fmt.Errorf("vote.Close: %w", db.NotFound(err))
		}
		if v.ClosedAt != nil {
			return ErrClosed
		}
		now := s.now()
		if by == nil && now.Before(v.ClosesAt) {
			return nil // the clock closes only votes that are due
		}
		if by != nil {
			if err := policy.Check(ctx, tx, by, v.ApplicationID, now, policy.Update, policy.CloseVote); err != nil {
				return err
			}
		}
		var err error
		if rec, err = s.count(ctx, tx, v.ApplicationID, voteID); err != nil {
			return err
		}
		raw, _ := json.Marshal(rec)
		var closedBy *int64
		if by != nil {
			closedBy = &by.ID
		}
		// An approval approves the proposed amount: the award may not exceed it.
		var approved *money.Cents
		if rec.Decision == Approved {
			approved = &v.Proposed
		}
		if _, err := tx.ExecContext(ctx, sqlCloseUpdate,
			voteID, now, closedBy, raw, rec.Decision, approved); err != nil {
			return fmt.Errorf("vote.Close: %w", err)
		}
		ev := map[Decision]policy.Event{Approved: policy.EventApprove, Declined: policy.EventVoteDecline, NoDecision: policy.EventNoDecision}[rec.Decision]
		if _, err := application.MoveTx(ctx, tx, ac, v.ApplicationID, ev, policy.RoleVote, "", now); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, ac.Event("vote.closed", "application", v.ApplicationID,
			map[string]any{"vote_id": voteID, "decision": rec.Decision, "quorum_met": rec.QuorumMet, "approve": rec.Approve, "decline": rec.Decline, "abstain": rec.Abstain})); err != nil {
			return err
		}
		if rec.Decision == NoDecision {
			return nil
		}
		return s.notifyCharity(ctx, tx, &v, rec.Decision)
	})
	if err != nil {
		return nil, err
	}
	return &rec, nil
}

// count tallies a vote: eligible are the active board members who did not
// declare a conflict on the application and are not the charity's members;
// only their ballots count (one cast by a member who has since left the
// board, been deactivated or recused does not).
func (s *Service) count(ctx context.Context, tx *sqlx.Tx, appID, voteID int64) (Record, error) {
	var rec Record
	if err := tx.SelectContext(ctx, &rec.Recused, sqlCountRecused, appID); err != nil {
		return rec, err
	}
	var eligible int
	if err := tx.GetContext(ctx, &eligible, sqlCountEligible, appID); err != nil {
		return rec, err
	}
	if err := tx.SelectContext(ctx, &rec.Ballots, sqlCountBallots, appID, voteID); err != nil {
		return rec, err
	}
	choices := make([]Choice, len(rec.Ballots))
	for i, b := range rec.Ballots {
		choices[i] = b.Choice
	}
	rec.Result = Tally(eligible, choices, s.rules)
	return rec, nil
}

// CloseDue closes every vote whose time has come; the job queue runs it.
func (s *Service) CloseDue(ctx context.Context) (int, error) {
	var ids []int64
	if err := s.db.SelectContext(ctx, &ids, sqlCloseDue, s.now()); err != nil {
		return 0, err
	}
	closed := 0
	for _, id := range ids {
		_, err := s.Close(ctx, account.Actor{RequestID: "vote.close_due"}, nil, id)
		switch {
		case err == nil:
			closed++
		case errors.Is(err, ErrClosed): // another process closed it first
		default:
			return closed, err
		}
	}
	return closed, nil
}

type recipient struct {
	Email    string `db:"email"`
	Name     string `db:"name"`
	Language string `db:"language"`
}

// notifyBoard mails the board members who may vote (the eligible voter's
// rule in vote.sql).
func (s *Service) notifyBoard(ctx context.Context, tx *sqlx.Tx, appID int64, closes time.Time) error {
	var a struct {
		Title string `db:"title"`
		Org   string `db:"legal_name"`
	}
	if err := tx.GetContext(ctx, &a, sqlNotifyBoardApplication, appID); err != nil {
		return err
	}
	var to []notify.Recipient
	if err := tx.SelectContext(ctx, &to, sqlNotifyBoardRecipients, appID); err != nil {
		return err
	}
	for _, r := range to {
		if err := s.notify.Send(ctx, tx, r, mailtmpl.VoteOpened{Title: a.Title, Organization: a.Org, Closes: closes,
			Link: s.base + "/applications/" + strconv.FormatInt(appID, 10)}); err != nil {
			return err
		}
	}
	return nil
}

// notifyCharity tells the charity's members the decision in their language,
// with the amount and any conditions.
func (s *Service) notifyCharity(ctx context.Context, tx *sqlx.Tx, v *Vote, d Decision) error {
	var app struct {
		Title        string `db:"title"`
		Organization string `db:"legal_name"`
	}
	if err := tx.GetContext(ctx, &app, sqlNotifyCharityApplication, v.ApplicationID); err != nil {
		return err
	}
	var to []recipient
	if err := tx.SelectContext(ctx, &to, sqlNotifyCharityRecipients, v.ApplicationID); err != nil {
		return err
	}
	amount := v.Proposed
	if v.Approved != nil {
		amount = *v.Approved
	}
	for _, r := range to {
		e := mailtmpl.ApplicationDecision{Title: app.Title, Approved: d == Approved, Conditions: v.Conditions,
			Amount: amount, Currency: money.Currency(v.Currency),
			Link: s.base + "/applications/" + strconv.FormatInt(v.ApplicationID, 10)}
		var files []mail.Attachment
		if s.papers != nil && (d == Approved || d == Declined) {
			letter, err := s.papers.Letter(papers.Letter{Lang: r.Language, Date: s.now(), Organization: app.Organization, Contact: r.Name,
				Title: app.Title, Approved: d == Approved, Amount: amount, Currency: v.Currency, Conditions: v.Conditions})
			if err != nil {
				return err
			}
			files = append(files, mail.Attachment{Name: s.papers.LetterName(r.Language, d == Approved), ContentType: "application/pdf", Data: letter})
		}
		if err := s.outbox.Send(ctx, tx, r.Language, r.Email, e, files...); err != nil {
			return err
		}
	}
	return nil
}

// reminderLead: board members who have not voted hear a day before the close.
const reminderLead = 24 * time.Hour

// RemindDue mails the board members who may vote and have not, for every
// open vote closing within a day, once per vote: the update that marks the
// vote reminded is the check, so two processes never both send.
func (s *Service) RemindDue(ctx context.Context) (int, error) {
	now := s.now()
	var ids []int64
	if err := s.db.SelectContext(ctx, &ids, sqlRemindDue, now, now.Add(reminderLead)); err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range ids {
		err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
			var v Vote
			err := tx.GetContext(ctx, &v, sqlRemindedUpdate, id, now)
			if errors.Is(db.NotFound(err), db.ErrNotFound) {
				return nil // another process reminded, or it closed
			}
			if err != nil {
				return err
			}
			sent++
			return s.notifyBoardNotVoted(ctx, tx, &v)
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// notifyBoardNotVoted reminds the members who may vote on v and have not.
func (s *Service) notifyBoardNotVoted(ctx context.Context, tx *sqlx.Tx, v *Vote) error {
	var title string
	if err := tx.GetContext(ctx, &title, sqlNotVotedApplication, v.ApplicationID); err != nil {
		return err
	}
	var to []notify.Recipient
	if err := tx.SelectContext(ctx, &to, sqlNotVotedRecipients, v.ApplicationID, v.ID); err != nil {
		return err
	}
	for _, r := range to {
		if err := s.notify.Send(ctx, tx, r, mailtmpl.VoteReminder{Title: title, Closes: v.ClosesAt,
			Link: s.base + "/applications/" + strconv.FormatInt(v.ApplicationID, 10)}); err != nil {
			return err
		}
	}
	return nil
}

// SendDigests mails the daily summaries of the board's notices; the job
// queue runs it.
func (s *Service) SendDigests(ctx context.Context) (int, error) {
	return s.notify.SendDigests(ctx, s.db)
}
