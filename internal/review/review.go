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
)

// Errors the web layer maps to pages.
var (
	ErrNotFound = db.ErrNotFound
	// ErrNotBoard: only board members review (admins record conflicts for them).
	ErrNotBoard = errors.New("review: board members only")
	// ErrRecused: the member declared a conflict on this application.
	ErrRecused = errors.New("review: recused by a conflict of interest")
	// ErrUndeclared: the member must declare a conflict or none first.
	ErrUndeclared = errors.New("review: declare a conflict of interest first")
	// ErrNotInReview: the application is not before the board.
	ErrNotInReview = errors.New("review: the application is not before the board")
	// ErrAlreadyDeclared: a declaration of no conflict may become a conflict, not the reverse.
	ErrAlreadyDeclared = errors.New("review: already declared")
)

// refusals are the package's refusals and what a person reads for each.
var refusals = i18n.Refusals{
	{Err: ErrNotBoard, Key: "error.review.not_board"}, {Err: ErrRecused, Key: "error.review.recused"},
	{Err: ErrUndeclared, Key: "error.review.undeclared"}, {Err: ErrNotInReview, Key: "error.review.not_in_review"},
	{Err: ErrAlreadyDeclared, Key: "error.review.already_declared"},
}

// Message gives the text for the package's refusals.
func Message(err error) (i18n.Message, bool) { return refusals.Message(err) }

// Service runs the board's review actions.
type Service struct {
	db  *sqlx.DB
	now func() time.Time
}

// New builds the service; now is the clock (time.Now outside tests).
func New(pool *sqlx.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: pool, now: now}
}

// Criterion is a scored aspect of an application.
type Criterion struct {
	ID     int64  `db:"id"`
	Key    string `db:"key"`
	NameEN string `db:"name_en"`
	NameES string `db:"name_es"`
	Weight int    `db:"weight"`
	Active bool   `db:"active"`
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
	err := s.db.SelectContext(ctx, &out, `SELECT id, key, name_en, name_es, weight, active FROM review_criteria WHERE active ORDER BY position, id`)
	return out, err
}

// Declaration is a member's answer about conflicts on one application.
type Declaration struct {
	UserID      int64     `db:"user_id"`
	Name        string    `db:"name"`
	HasConflict bool      `db:"has_conflict"`
	Note        string    `db:"note"`
	DeclaredAt  time.Time `db:"declared_at"`
}

// beforeBoard loads the application's status, which must be before the board.
func beforeBoard(ctx context.Context, q db.Querier, appID int64) error {
	var status string
	if err := q.GetContext(ctx, &status, `SELECT status FROM applications WHERE id = $1`, appID); err != nil {
		return db.NotFound(err)
	}
	if status != "in_review" && status != "voting" {
		return ErrNotInReview
	}
	return nil
}

// Declare records u's own declaration on appID. "None" may later become a
// conflict; a conflict stays (an admin can correct it).
func (s *Service) Declare(ctx context.Context, ac account.Actor, u *account.User, appID int64, hasConflict bool, note string) error {
	if !u.IsBoard {
		return ErrNotBoard
	}
	return s.record(ctx, ac, u.ID, u.ID, appID, hasConflict, note, false)
}

// RecordFor is an admin recording a board member's declaration (a conflict
// the member told them of, or a correction).
func (s *Service) RecordFor(ctx context.Context, ac account.Actor, admin *account.User, memberID, appID int64, hasConflict bool, note string) error {
	if !admin.IsAdmin {
		return ErrNotBoard
	}
	return s.record(ctx, ac, admin.ID, memberID, appID, hasConflict, note, true)
}

func (s *Service) record(ctx context.Context, ac account.Actor, by, memberID, appID int64, hasConflict bool, note string, override bool) error {
	note = strings.TrimSpace(note)
	if err := field.Text(note, false, 2000); err != nil {
		return i18n.FieldErrors{"note": err.(i18n.Message)}
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := beforeBoard(ctx, tx, appID); err != nil {
			return err
		}
		var isBoard bool
		if err := tx.GetContext(ctx, &isBoard, `SELECT is_board FROM users WHERE id = $1 AND active`, memberID); err != nil || !isBoard {
			return errors.Join(ErrNotBoard, db.NotFound(err))
		}
		var prior *bool
		if err := tx.GetContext(ctx, &prior, `SELECT has_conflict FROM conflicts WHERE application_id = $1 AND user_id = $2 FOR UPDATE`, appID, memberID); err != nil && !errors.Is(db.NotFound(err), db.ErrNotFound) {
			return err
		}
		if prior != nil && *prior && !hasConflict && !override {
			return ErrAlreadyDeclared
		}
		if prior != nil && *prior == hasConflict && !override {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO conflicts (application_id, user_id, has_conflict, note, declared_at, recorded_by)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (application_id, user_id) DO UPDATE SET has_conflict = $3, note = $4, declared_at = $5, recorded_by = $6`,
			appID, memberID, hasConflict, note, s.now(), by)
		if err != nil {
			return fmt.Errorf("review.Declare: %w", err)
		}
		if hasConflict { // a recused member's ballot in an open vote goes too
			if _, err := tx.ExecContext(ctx, `DELETE FROM ballots b USING votes v WHERE b.vote_id = v.id AND v.application_id = $1
				AND v.closed_at IS NULL AND b.user_id = $2`, appID, memberID); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, ac.Event("review.conflict_declared", "application", appID,
			map[string]any{"member_id": memberID, "has_conflict": hasConflict, "recorded_by": by}))
	})
}

// Declarations lists every declaration on appID (shown on the decision).
func (s *Service) Declarations(ctx context.Context, appID int64) ([]Declaration, error) {
	var out []Declaration
	err := s.db.SelectContext(ctx, &out, `SELECT c.user_id, u.name, c.has_conflict, c.note, c.declared_at
		FROM conflicts c JOIN users u ON u.id = c.user_id WHERE c.application_id = $1 ORDER BY u.name`, appID)
	return out, err
}

// Standing is u's position on one application.
type Standing struct {
	Declared, Recused, Reviewed bool
}

// StandingOf tells whether u declared, is recused, and has reviewed appID.
func (s *Service) StandingOf(ctx context.Context, u *account.User, appID int64) (Standing, error) {
	var st Standing
	err := s.db.QueryRowxContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM conflicts WHERE application_id = $1 AND user_id = $2),
		`+recused+`,
		EXISTS (SELECT 1 FROM reviews WHERE application_id = $1 AND user_id = $2)`, appID, u.ID).Scan(&st.Declared, &st.Recused, &st.Reviewed)
	return st, err
}

// MayTakePart is the rule for scoring, discussing and voting (package vote
// calls it in its transaction): a board member who declared no conflict on an
// application before the board.
func MayTakePart(ctx context.Context, q db.Querier, u *account.User, appID int64) error {
	if !u.IsBoard {
		return ErrNotBoard
	}
	if err := beforeBoard(ctx, q, appID); err != nil {
		return err
	}
	var conflict *bool
	err := q.GetContext(ctx, &conflict, `SELECT has_conflict FROM conflicts WHERE application_id = $1 AND user_id = $2`, appID, u.ID)
	switch {
	case errors.Is(db.NotFound(err), db.ErrNotFound):
		return ErrUndeclared
	case err != nil:
		return err
	case *conflict:
		return ErrRecused
	}
	return nil
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
		if err := MayTakePart(ctx, tx, u, appID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO reviews (application_id, user_id, scores, weighted_milli, comment, recommendation, submitted_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (application_id, user_id) DO UPDATE SET scores = $3, weighted_milli = $4, comment = $5, recommendation = $6, submitted_at = $7`,
			appID, u.ID, raw, milli, strings.TrimSpace(in.Comment), in.Recommendation, s.now())
		if err != nil {
			return fmt.Errorf("review.Submit: %w", err)
		}
		return audit.Record(ctx, tx, ac.Event("review.submitted", "application", appID, map[string]any{"weighted_milli": milli}))
	})
}

// Review is one member's review.
type Review struct {
	UserID         int64          `db:"user_id"`
	Name           string         `db:"name"`
	ScoresJSON     []byte         `db:"scores"`
	Scores         map[string]int `db:"-"`
	WeightedMilli  int            `db:"weighted_milli"`
	Comment        string         `db:"comment"`
	Recommendation string         `db:"recommendation"`
	SubmittedAt    time.Time      `db:"submitted_at"`
}

// Weighted is the weighted score as text with two decimals ("3.40").
func (r Review) Weighted() string {
	return fmt.Sprintf("%d.%02d", r.WeightedMilli/1000, r.WeightedMilli%1000/10)
}

// Reviews lists appID's reviews as u may see them: a board member sees the
// others' only after submitting their own (and never when recused); admins
// see all.
//
// The rule is part of the query, so a page asks once.
func (s *Service) Reviews(ctx context.Context, u *account.User, appID int64) ([]Review, error) {
	if !u.IsAdmin && !u.IsBoard {
		return nil, nil
	}
	var out []Review
	if err := s.db.SelectContext(ctx, &out, `SELECT r.user_id, u.name, r.scores, r.weighted_milli, r.comment, r.recommendation, r.submitted_at
		FROM reviews r JOIN users u ON u.id = r.user_id WHERE r.application_id = $1
		AND ($3 OR (EXISTS (SELECT 1 FROM reviews WHERE application_id = $1 AND user_id = $2) AND NOT `+recused+`))
		ORDER BY r.submitted_at`, appID, u.ID, u.IsAdmin); err != nil {
		return nil, err
	}
	for i := range out {
		_ = json.Unmarshal(out[i].ScoresJSON, &out[i].Scores)
	}
	return out, nil
}

// recused is whether user $2 declared a conflict on application $1.
const recused = `EXISTS (SELECT 1 FROM conflicts WHERE application_id = $1 AND user_id = $2 AND has_conflict)`

func recusedOn(ctx context.Context, q db.Querier, u *account.User, appID int64) (bool, error) {
	var yes bool
	err := q.GetContext(ctx, &yes, `SELECT `+recused, appID, u.ID)
	return yes, err
}

// Comment is one message of the board's internal discussion.
type Comment struct {
	AuthorName string    `db:"author_name"`
	Body       string    `db:"body"`
	CreatedAt  time.Time `db:"created_at"`
}

// Discuss adds to the board's internal discussion (never shown to the
// charity). Admins may write; a board member only when not recused.
func (s *Service) Discuss(ctx context.Context, ac account.Actor, u *account.User, appID int64, body string) error {
	body = strings.TrimSpace(body)
	if err := field.Text(body, true, 10000); err != nil {
		return i18n.FieldErrors{"comment_body": err.(i18n.Message)}
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if !u.IsAdmin {
			if err := MayTakePart(ctx, tx, u, appID); err != nil {
				return err
			}
		} else if err := beforeBoard(ctx, tx, appID); err != nil {
			return err
		} else if isRecused, err := recusedOn(ctx, tx, u, appID); err != nil || isRecused {
			// An admin runs the process whatever they declared, but does
			// not take part in the discussion they are recused from.
			return cmp.Or(err, ErrRecused)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO board_comments (application_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)`,
			appID, u.ID, body, s.now()); err != nil {
			return fmt.Errorf("review.Discuss: %w", err)
		}
		return audit.Record(ctx, tx, ac.Event("review.comment", "application", appID, nil))
	})
}

// Discussion lists the board's comments on appID for u: nothing for a
// recused member or anyone outside the IPA.
func (s *Service) Discussion(ctx context.Context, u *account.User, appID int64) ([]Comment, error) {
	if !u.IsAdmin && !u.IsBoard {
		return nil, nil
	}
	var out []Comment
	err := s.db.SelectContext(ctx, &out, `SELECT u.name AS author_name, c.body, c.created_at FROM board_comments c
		JOIN users u ON u.id = c.author_id WHERE c.application_id = $1 AND ($3 OR NOT `+recused+`)
		ORDER BY c.created_at, c.id`, appID, u.ID, u.IsAdmin)
	return out, err
}
