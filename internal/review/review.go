// Package review owns what board members do before a vote: declare a
// conflict of interest (or none), score the application against the
// admins' criteria, and discuss it among themselves. A declared conflict
// recuses the member from all of it, and from the vote (package vote).
package review

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/policy"
	"missiongrants/internal/refusal"
)

// The package's refusals; who may do what is policy's (policy.Decide).
var (
	ErrNotFound = db.ErrNotFound
	// ErrAlreadyDeclared: one's own declaration of no conflict may become a
	// conflict, not the reverse: another admin clears a conflict.
	ErrAlreadyDeclared = policy.ErrAlreadyDeclared
	// ErrOwnDeclaration: an admin records other people's declarations, never
	// their own (which they declare as anyone does, and cannot clear).
	ErrOwnDeclaration = refusal.Forbidden("error.review.own_declaration")
	// ErrNotIPA: declarations are the board's and the admins'.
	ErrNotIPA = refusal.Invalid("error.review.not_ipa")
)

// Service runs the board's review actions.
type Service struct {
	db  *sqlx.DB
	now func() time.Time
}

// Options are what the service needs besides its database.
type Options struct {
	Now func() time.Time // the clock; nil: time.Now
}

// New builds the service.
func New(pool *sqlx.DB, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{db: pool, now: o.Now}
}

// Criterion is a scored aspect of an application.
type Criterion struct {
	ID     int64  `db:"id" json:"id"`
	Key    string `db:"key" json:"key"`
	NameEN string `db:"name_en" json:"name_en"`
	NameES string `db:"name_es" json:"name_es"`
	Weight int    `db:"weight" json:"weight"`
	Active bool   `db:"active" json:"active"`
}

// Name in lang.
func (c Criterion) Name(lang string) string {
	if lang == "es" {
		return c.NameES
	}
	return c.NameEN
}

// Criteria lists the active criteria in order.
func (s *Service) Criteria(ctx context.Context) ([]Criterion, error) {
	var out []Criterion
	err := s.db.SelectContext(ctx, &out, sqlCriteria)
	return out, err
}

// Declaration is a member's answer about conflicts on one application.
type Declaration struct {
	UserID      int64     `json:"user_id"`
	Name        string    `json:"name"`
	HasConflict bool      `json:"has_conflict"`
	Note        string    `json:"note"`
	DeclaredAt  time.Time `json:"declared_at"`
}

// Declare records u's own declaration on appID: a board member's or an
// admin's. "None" may later become a conflict; a conflict stays until
// another admin clears it (RecordFor).
func (s *Service) Declare(ctx context.Context, ac account.Actor, u *account.User, appID int64, hasConflict bool, note string) error {
	note = strings.TrimSpace(note)
	if err := field.Text(note, false, 2000); err != nil {
		return i18n.FieldErrors{"note": err.(i18n.Message)}
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := policy.Check(ctx, tx, u, appID, s.now(), policy.Update, policy.DeclareConflict); err != nil {
			return err
		}
		prior, err := declared(ctx, tx, appID, u.ID)
		if err != nil {
			return err
		}
		switch {
		case prior != nil && *prior && !hasConflict:
			return ErrAlreadyDeclared
		case prior != nil && *prior == hasConflict:
			return nil
		}
		return s.write(ctx, tx, ac, u.ID, u.ID, appID, hasConflict, note)
	})
}

// RecordFor is an admin recording another person's declaration: a conflict
// they told the admin of, or a correction. Clearing a conflict needs a
// reason. No admin records their own, so nobody clears their own conflict.
func (s *Service) RecordFor(ctx context.Context, ac account.Actor, admin *account.User, memberID, appID int64, hasConflict bool, note string) error {
	note = strings.TrimSpace(note)
	if err := field.Text(note, false, 2000); err != nil {
		return i18n.FieldErrors{"note": err.(i18n.Message)}
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := policy.Check(ctx, tx, admin, appID, s.now(), policy.Update, policy.RecordConflict); err != nil {
			return err
		}
		if memberID == admin.ID {
			return ErrOwnDeclaration
		}
		var ipa bool
		if err := tx.GetContext(ctx, &ipa, sqlRecordFor, memberID); err != nil || !ipa {
			return cmp.Or(db.NotFound(err), error(i18n.FieldErrors{"member": ErrNotIPA.Message}))
		}
		prior, err := declared(ctx, tx, appID, memberID)
		if err != nil {
			return err
		}
		if prior != nil && *prior && !hasConflict && note == "" {
			return i18n.FieldErrors{"note": i18n.Msg("error.review.clear_reason")}
		}
		return s.write(ctx, tx, ac, admin.ID, memberID, appID, hasConflict, note)
	})
}

// declared is memberID's declaration on appID, locked (nil: none yet).
func declared(ctx context.Context, tx *sqlx.Tx, appID, memberID int64) (*bool, error) {
	var prior *bool
	err := tx.GetContext(ctx, &prior, sqlDeclared, appID, memberID)
	if errors.Is(db.NotFound(err), db.ErrNotFound) {
		return nil, nil
	}
	return prior, err
}

func (s *Service) write(ctx context.Context, tx *sqlx.Tx, ac account.Actor, by, memberID, appID int64, hasConflict bool, note string) error {
	_, err := tx.ExecContext(ctx, sqlConflictUpsert,
		appID, memberID, hasConflict, note, s.now(), by)
	if err != nil {
		return fmt.Errorf("review.Declare: %w", err)
	}
	if hasConflict { // a recused member's ballot in an open vote goes too
		if _, err := tx.ExecContext(ctx, sqlOpenBallotsDelete, appID, memberID); err != nil {
			return err
		}
	}
	return audit.Record(ctx, tx, ac.Event("review.conflict_declared", "application", appID,
		map[string]any{"member_id": memberID, "has_conflict": hasConflict, "recorded_by": by, "note": note}))
}

// Standing is u's position on one application.
type Standing struct {
	Declared, Recused, Reviewed bool
}

// Recommendation is a reviewer's advice.
var Recommendations = []string{"approve", "decline", "more_info"}

// Input is a review as submitted.
type Input struct {
	Scores         map[string]string // criterion key → "1".."5" as typed
	Comment        string
	Recommendation string
}

// Submit saves u's review (a second submission replaces the first).
func (s *Service) Submit(ctx context.Context, ac account.Actor, u *account.User, appID int64, in Input) error {
	criteria, err := s.Criteria(ctx)
	if err != nil {
		return err
	}
	fe := i18n.FieldErrors{}
	scores := map[string]int{}
	var weighted, weights int
	for _, c := range criteria {
		n, err := field.Int(in.Scores[c.Key], true, 1, 5)
		fe.Add("score_"+c.Key, err)
		scores[c.Key] = n
		weighted += n * c.Weight
		weights += c.Weight
	}
	fe.Add("recommendation", field.OneOf(in.Recommendation, true, Recommendations...))
	fe.Add("comment", field.Text(in.Comment, false, 10000))
	if err := fe.Err(); err != nil {
		return err
	}
	raw, _ := json.Marshal(scores)
	milli := 1000 * weighted / max(weights, 1)
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := policy.Check(ctx, tx, u, appID, s.now(), policy.Share, policy.Review); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, sqlSubmit,
			appID, u.ID, raw, milli, strings.TrimSpace(in.Comment), in.Recommendation, s.now())
		if err != nil {
			return fmt.Errorf("review.Submit: %w", err)
		}
		return audit.Record(ctx, tx, ac.Event("review.submitted", "application", appID, map[string]any{"weighted_milli": milli}))
	})
}

// Review is one member's review.
type Review struct {
	UserID         int64          `json:"user_id"`
	Name           string         `json:"name"`
	Scores         map[string]int `json:"scores"` // criterion key → 1..5
	WeightedMilli  int            `json:"weighted_milli"`
	Comment        string         `json:"comment"`
	Recommendation string         `json:"recommendation"`
	SubmittedAt    time.Time      `json:"submitted_at"`
	// Counts: the review makes the application's mean score (the round
	// counts everyone's, or this reviewer is assigned).
	Counts bool `json:"counts"`
}

// Mean is the mean weighted score of the reviews that count, as Weighted
// shows one ("" when none does).
func Mean(reviews []Review, lang string) string {
	var sum, n int
	for _, r := range reviews {
		if r.Counts {
			sum, n = sum+r.WeightedMilli, n+1
		}
	}
	if n == 0 {
		return ""
	}
	return Review{WeightedMilli: sum / n}.WeightedIn(lang)
}

// Weighted is the weighted score as text with two decimals ("3.40").
func (r Review) Weighted() string {
	return fmt.Sprintf("%d.%02d", r.WeightedMilli/1000, r.WeightedMilli%1000/10)
}

// WeightedIn is Weighted as a reader of lang writes a decimal ("3.80", "3,80").
func (r Review) WeightedIn(lang string) string { return i18n.Decimal(lang, r.Weighted()) }

// Comment is one message of the board's internal discussion.
type Comment struct {
	AuthorName string    `json:"author_name"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
}

// Discuss adds to the board's internal discussion (never shown to the
// charity), by whom policy.Discuss allows.
func (s *Service) Discuss(ctx context.Context, ac account.Actor, u *account.User, appID int64, body string) error {
	body = strings.TrimSpace(body)
	if err := field.Text(body, true, 10000); err != nil {
		return i18n.FieldErrors{"comment_body": err.(i18n.Message)}
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := policy.Check(ctx, tx, u, appID, s.now(), policy.Share, policy.Discuss); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlDiscuss,
			appID, u.ID, body, s.now()); err != nil {
			return fmt.Errorf("review.Discuss: %w", err)
		}
		return audit.Record(ctx, tx, ac.Event("review.comment", "application", appID, nil))
	})
}

// Panel is the board's panel on an application: what its page shows
// the board, read in one statement.
type Panel struct {
	Declarations []Declaration // every member's, shown on the decision
	Criteria     []Criterion   // the active ones, in their order
	// Reviews is nil unless the rules allow u SeeReviews; then a board
	// member sees the others' only after submitting their own; admins see
	// all.
	Reviews []Review
	// Discussion is nil unless the rules allow u SeeDiscussion.
	Discussion []Comment
}

// Panel reads appID's panel for u, whose policy.Can on it is can.
func (s *Service) Panel(ctx context.Context, u *account.User, can policy.Can, appID int64) (*Panel, error) {
	var parts struct {
		Declarations, Criteria, Reviews, Discussion []byte // JSON arrays; nil where not allowed
	}
	if err := s.db.QueryRowxContext(ctx, sqlPanel, appID, u.ID, can.Do(policy.SeeReviews), u.IsAdmin, can.Do(policy.SeeDiscussion)).
		Scan(&parts.Declarations, &parts.Criteria, &parts.Reviews, &parts.Discussion); err != nil {
		return nil, fmt.Errorf("review.Panel: %w", err)
	}
	var p Panel
	if err := db.DecodeJSON(db.JSONColumn{JSON: parts.Declarations, Into: &p.Declarations}, db.JSONColumn{JSON: parts.Criteria, Into: &p.Criteria},
		db.JSONColumn{JSON: parts.Reviews, Into: &p.Reviews}, db.JSONColumn{JSON: parts.Discussion, Into: &p.Discussion}); err != nil {
		return nil, fmt.Errorf("review.Panel: %w", err)
	}
	return &p, nil
}
