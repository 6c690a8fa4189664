package application

import (
	"context"
	"database/sql"
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
	"missiongrants/internal/money"
	"missiongrants/internal/policy"
	"missiongrants/internal/refusal"
	mailtmpl "missiongrants/templates/mail"
)

// A two-stage round's concept note: a few questions the charity answers
// before anyone asks it for the full proposal. The note lives on the
// application's row (its draft in applications.concept, each version sent in
// concept_versions); the invitation turns the same application into the
// full proposal, begun from the note.

// Stages of an application.
const (
	StageConcept = "concept"
	StageFull    = "full"
)

// ConceptQuestions are the note's questions, in order. Their words (label
// and help, in each language) are the round's, or the catalog's
// (stages.question.<name>.label) when the round leaves them empty.
var ConceptQuestions = []string{"trip", "need", "team", "amount"}

// ConceptNote is the note as the charity types it: values as typed.
type ConceptNote struct {
	Title  string `json:"title"`
	Trip   string `json:"trip"`   // where, when, which hospital
	Need   string `json:"need"`   // the patients waiting, what the hospital lacks
	Team   string `json:"team"`   // who goes
	Amount string `json:"amount"` // a rough amount, as typed
}

// The note's limits: short on purpose, a page or two.
const (
	ConceptTextMax  = 2000
	ConceptTitleMax = 200
)

// Answer is the note's answer to question q.
func (n ConceptNote) Answer(q string) string {
	return map[string]string{"trip": n.Trip, "need": n.Need, "team": n.Team, "amount": n.Amount}[q]
}

// Validate checks a note to be sent; the amount in the person's language.
func (n ConceptNote) Validate(lang string) (money.Cents, error) {
	fe := i18n.FieldErrors{}
	fe.Add("title", field.Line(n.Title, true, ConceptTitleMax))
	fe.Add("trip", field.Text(n.Trip, true, ConceptTextMax))
	fe.Add("need", field.Text(n.Need, true, ConceptTextMax))
	fe.Add("team", field.Text(n.Team, true, ConceptTextMax))
	amount, err := money.Parse(n.Amount, lang)
	if err == nil && amount == 0 {
		err = i18n.Msg("error.stages.amount_zero")
	}
	fe.Add("amount", err)
	return amount, fe.Err()
}

func (n *ConceptNote) trim() {
	for _, p := range []*string{&n.Title, &n.Trip, &n.Need, &n.Team, &n.Amount} {
		*p = strings.TrimSpace(*p)
	}
}

// Prefill is the full proposal as the invitation begins it from the note:
// its title and amount, and the note's answers at the head of the
// narrative, for the charity to rewrite rather than type again.
func (n ConceptNote) Prefill(f Form, labels map[string]string) Form {
	f.Title = n.Title
	f.AmountRequested = n.Amount
	var parts []string
	for _, q := range []string{"trip", "need", "team"} {
		if a := n.Answer(q); a != "" {
			parts = append(parts, labels[q]+"\n"+a)
		}
	}
	f.Narrative = strings.Join(parts, "\n\n")
	f.Normalize()
	return f
}

// Question is one question of the note as a round words it in a language.
type Question struct{ Label, Help string }

// Questions is the round's wording of the note's questions in lang, by
// question; an empty label means the catalog's.
func (r Round) Questions(lang string) map[string]Question {
	var all map[string]map[string]Question
	_ = json.Unmarshal(r.ConceptJSON, &all) // a broken value shows the catalog's words
	return all[lang]
}

// InvitationOpen reports whether the invited full proposal may still be
// sent on day: by the invitation's deadline, not the round's.
func (a *Application) InvitationOpen(day time.Time) bool {
	return a.Status == policy.Invited && a.InvitationDue != nil && !day.After(*a.InvitationDue)
}

// SendOpen reports whether the full proposal may be sent on day as far as
// dates go (Submit's rule, which pages follow to offer the button): an
// invited one by its invitation's deadline, whatever the round's dates; an
// answer to a question at any time; a first submission while round r is open.
func (a *Application) SendOpen(r *Round, day time.Time) bool {
	switch a.Status {
	case policy.Invited:
		return a.InvitationOpen(day)
	case policy.MoreInfoRequested:
		return true
	}
	return r.Open(day)
}

// The refusals of the stages.
var (
	// ErrInvitationPast: the invitation's deadline has passed.
	ErrInvitationPast = refusal.Conflict("error.stages.invitation_past")
	// ErrNotConcept: the application is not at its concept note.
	ErrNotConcept = refusal.Conflict("error.stages.not_concept")
)

// ConceptVersion is a concept note as sent.
type ConceptVersion struct {
	Number      int       `db:"version"`
	Data        []byte    `db:"data"`
	SubmittedAt time.Time `db:"submitted_at"`
	SubmittedBy string    `db:"submitted_by_name"`
	Note        ConceptNote
}

// Concept is an application at, or past, its concept note: the note as
// saved, each version sent, and its round (for the questions' words).
type Concept struct {
	*Application
	Note ConceptNote
	// Rev counts the note's saves: its autosave is based on it (SaveConceptAt).
	Rev      int
	Versions []ConceptVersion
	Round    *Round
	Can      policy.Can
}

// Concept returns application id's concept note if u may see it (ErrNotFound
// when the application has none).
func (s *Service) Concept(ctx context.Context, u *account.User, id int64) (*Concept, error) {
	a, err := s.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	var row struct {
		Raw []byte `db:"concept"`
		Rev int    `db:"concept_rev"`
	}
	if err := s.db.GetContext(ctx, &row, sqlConceptDraft, id); err != nil {
		return nil, fmt.Errorf("application.Concept: %w", db.NotFound(err))
	}
	c := &Concept{Application: a, Rev: row.Rev}
	if err := json.Unmarshal(row.Raw, &c.Note); err != nil {
		return nil, fmt.Errorf("application.Concept: %w", err)
	}
	if err := s.db.SelectContext(ctx, &c.Versions, sqlConceptVersions, id); err != nil {
		return nil, fmt.Errorf("application.Concept: %w", err)
	}
	if a.Stage != StageConcept && len(c.Versions) == 0 {
		return nil, ErrNotFound // a one-stage round's application has no note
	}
	for i := range c.Versions {
		if err := json.Unmarshal(c.Versions[i].Data, &c.Versions[i].Note); err != nil {
			return nil, fmt.Errorf("application.Concept: version: %w", err)
		}
	}
	if c.Round, err = s.Round(ctx, a.RoundID); err != nil {
		return nil, err
	}
	if c.Can, err = s.Can(ctx, u, id); err != nil {
		return nil, err
	}
	return c, nil
}

// RoundOf is application id's round, if u may see the application.
func (s *Service) RoundOf(ctx context.Context, u *account.User, id int64) (*Round, error) {
	a, err := s.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return s.Round(ctx, a.RoundID)
}

// SaveConceptAt is the note's autosave: SaveConcept without sending, by
// the same rule (the page's script stops saving by itself once refused).
// It never merges: the note is a few answers, and its page says so.
func (s *Service) SaveConceptAt(ctx context.Context, u *account.User, id int64, n ConceptNote, base int) (Saved, error) {
	return s.SaveConcept(ctx, account.Actor{UserID: u.ID}, u, id, n, base, false)
}

// ConceptStale is the refusal of a save of the note based on an older
// revision than the note's (it matches ErrStale): the revision saved now,
// the base of the person's next save, and each answer that differs (Old:
// saved elsewhere, New: the person's).
type ConceptStale struct {
	Rev     int
	Changes []Change
}

func (e *ConceptStale) Error() string {
	return fmt.Sprintf("application: concept note changed elsewhere (now revision %d, %d answers differ)", e.Rev, len(e.Changes))
}

func (e *ConceptStale) Unwrap() error { return ErrStale }

// Diff lists the answers that differ from n to m (Old: n's, New: m's),
// named as the note's form names them, in its order.
func (n ConceptNote) Diff(m ConceptNote) []Change {
	var out []Change
	a, b := n.fields(), m.fields()
	for i := range a {
		if a[i][1] != b[i][1] {
			out = append(out, Change{Field: a[i][0], Old: a[i][1], New: b[i][1]})
		}
	}
	return out
}

// fields are the note's values by the names its form gives them, in order.
func (n ConceptNote) fields() [][2]string {
	return [][2]string{{"title", n.Title}, {"trip", n.Trip}, {"need", n.Need}, {"team", n.Team}, {"amount", n.Amount}}
}

// SaveConcept stores the note as typed and, when send is set, checks it
// and sends it: the first time by the round's closing date, again (after a
// question) at any time. Only the charity's members may, while the note is
// theirs to edit. Like its autosave (SaveConceptAt) it is written only
// while the note is still at revision base, the one the person's page was
// based on: a note saved meanwhile elsewhere (a colleague, another device)
// is refused with a *ConceptStale, which says what differs, and nothing is
// overwritten unseen; the person's page, based on the note's revision now,
// may then save again.
func (s *Service) SaveConcept(ctx context.Context, ac account.Actor, u *account.User, id int64, n ConceptNote, base int, send bool) (Saved, error) {
	n.trim()
	if len(n.Title) > 4*ConceptTitleMax || len(n.Trip)+len(n.Need)+len(n.Team)+len(n.Amount) > 16*ConceptTextMax {
		return Saved{}, i18n.Msg("error.app.too_large")
	}
	var saved Saved
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		a, err := get(ctx, tx, u, id, true)
		if err != nil {
			return err
		}
		now := s.now()
		act := policy.Edit
		if send {
			act = policy.Submit
		}
		if err := policy.Check(ctx, tx, u, id, now, policy.Update, act); err != nil {
			return err
		}
		if !a.Status.Concept() {
			return ErrNotConcept
		}
		var cur struct {
			Raw []byte `db:"concept"`
			Rev int    `db:"concept_rev"`
		}
		if err := tx.GetContext(ctx, &cur, sqlConceptDraft, id); err != nil {
			return fmt.Errorf("application.SaveConcept: %w", err)
		}
		if cur.Rev != base {
			var theirs ConceptNote
			if err := json.Unmarshal(cur.Raw, &theirs); err != nil {
				return fmt.Errorf("application.SaveConcept: %w", err)
			}
			changes := theirs.Diff(n)
			if len(changes) > 0 { // saved meanwhile, differently: the person sees what differs first
				return &ConceptStale{Rev: cur.Rev, Changes: changes}
			}
			base = cur.Rev // saved meanwhile as this save has it: nothing to overwrite
		}
		raw, _ := json.Marshal(n)
		saved.At = now
		err = tx.GetContext(ctx, &saved.Rev, sqlConceptSave, id, raw, now, base)
		if errors.Is(err, sql.ErrNoRows) { // cannot happen while the row is locked
			return ErrStale
		}
		if err != nil {
			return fmt.Errorf("application.SaveConcept: %w", err)
		}
		if !send {
			return nil
		}
		return s.sendConcept(ctx, tx, ac, u, a, n, raw, now)
	})
	if err != nil {
		return Saved{}, err
	}
	return saved, nil
}

func (s *Service) sendConcept(ctx context.Context, tx *sqlx.Tx, ac account.Actor, u *account.User, a *Application, n ConceptNote, raw []byte, now time.Time) error {
	amount, err := n.Validate(u.Language)
	if err != nil {
		return err
	}
	ev := policy.EventSubmit
	if a.Status == policy.ConceptInfoRequested {
		ev = policy.EventResubmit
	}
	var r Round
	if err := tx.GetContext(ctx, &r, sqlSubmitRound, a.RoundID); err != nil {
		return err
	}
	if ev == policy.EventSubmit && !r.Open(s.today()) {
		return ErrRoundClosed
	}
	var version int
	if err := tx.GetContext(ctx, &version, sqlConceptSend, a.ID, raw, u.ID, now, n.Title, amount); err != nil {
		return fmt.Errorf("application.SaveConcept: %w", err)
	}
	if _, err := MoveTx(ctx, tx, ac, a.ID, ev, policy.RoleApplicant, "", now); err != nil {
		return err
	}
	if err := s.notifyAdmins(ctx, tx, mailtmpl.ApplicationSubmitted{Title: n.Title, Organization: a.OrganizationName,
		Resubmitted: ev == policy.EventResubmit, Link: s.link(a.ID) + "/concept"}); err != nil {
		return err
	}
	return s.notifyMembers(ctx, tx, a.OrganizationID, mailtmpl.ApplicationReceived{Title: n.Title, Link: s.link(a.ID) + "/concept"})
}

// The answers to a concept note.
const (
	ConceptInvite  = "invite"
	ConceptDecline = "decline"
	ConceptAsk     = "ask"
)

// ConceptDecision is the IPA's answer to a concept note: an invitation to
// write the full proposal by Due (with an optional word), a decline with its
// reason, or a question.
type ConceptDecision struct {
	Outcome string
	Note    string
	Due     string // YYYY-MM-DD, for an invitation
}

// DecideConcept answers a concept note, by whom policy.DecideConcept allows
// (the admins, or the board as the round says). The invitation begins the
// full proposal from the note and mails the charity, in each member's
// language, with its deadline; a decline mails the reason, with the decline
// letter; a question starts (or goes on with) the message thread.
func (s *Service) DecideConcept(ctx context.Context, ac account.Actor, u *account.User, id int64, d ConceptDecision, labels func(lang string) map[string]string) error {
	d.Note = strings.TrimSpace(d.Note)
	fe := i18n.FieldErrors{}
	var due time.Time
	switch d.Outcome {
	case ConceptInvite:
		var err error
		due, err = field.Date(d.Due, true)
		if err == nil && due.Before(s.today()) {
			err = i18n.Msg("error.stages.due_past")
		}
		fe.Add("due", err)
		fe.Add("note", field.Text(d.Note, false, 5000))
	case ConceptDecline, ConceptAsk:
		fe.Add("note", field.Text(d.Note, true, 5000))
	default:
		fe["outcome"] = i18n.Msg("error.field.choose")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		a, err := get(ctx, tx, u, id, false)
		if err != nil {
			return err
		}
		now := s.now()
		who, facts, err := policy.Load(ctx, tx, u, id, now, policy.Update)
		if err != nil {
			return err
		}
		if policy.Decide(who, facts, policy.View) != nil {
			return ErrNotFound
		}
		if err := policy.Decide(who, facts, policy.DecideConcept); err != nil {
			return err
		}
		by := policy.ConceptRole(facts)
		switch d.Outcome {
		case ConceptInvite:
			return s.invite(ctx, tx, ac, u, a, by, due, d.Note, now, labels)
		case ConceptDecline:
			if _, err := MoveTx(ctx, tx, ac, id, policy.EventDecline, by, d.Note, now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, sqlScreenUpdate, id, d.Note); err != nil {
				return err
			}
			return s.notifyDeclined(ctx, tx, a, d.Note)
		}
		if _, err := MoveTx(ctx, tx, ac, id, policy.EventRequestInfo, by, d.Note, now); err != nil {
			return err
		}
		if err := insertMessage(ctx, tx, id, u.ID, true, d.Note, now); err != nil {
			return err
		}
		return s.notifyMembers(ctx, tx, a.OrganizationID, mailtmpl.ApplicationInfoRequested{
			Title: a.mailTitle(), Question: d.Note, Link: s.link(id) + "/concept"})
	})
}

// invite moves the note to an invited full proposal, begun from the note's
// last version in the language of whoever sent it, and tells the charity.
func (s *Service) invite(ctx context.Context, tx *sqlx.Tx, ac account.Actor, u *account.User, a *Application, by policy.Role, due time.Time, note string,
	now time.Time, labels func(lang string) map[string]string) error {
	if _, err := MoveTx(ctx, tx, ac, a.ID, policy.EventInvite, by, note, now); err != nil {
		return err
	}
	var last struct {
		Data []byte `db:"data"`
		Lang string `db:"language"`
	}
	if err := tx.GetContext(ctx, &last, sqlConceptLast, a.ID); err != nil {
		return fmt.Errorf("application: invite: %w", err)
	}
	var n ConceptNote
	if err := json.Unmarshal(last.Data, &n); err != nil {
		return err
	}
	draft, _ := json.Marshal(n.Prefill(newForm(), labels(last.Lang)))
	res, err := tx.ExecContext(ctx, sqlConceptInvite, a.ID, now, u.ID, due, draft)
	if err != nil {
		return fmt.Errorf("application: invite: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return policy.ErrInvalidTransition
	}
	if err := audit.Record(ctx, tx, ac.Event("application.invited", "application", a.ID, map[string]any{"due": due.Format(time.DateOnly)})); err != nil {
		return err
	}
	return s.notifyMembers(ctx, tx, a.OrganizationID, mailtmpl.ProposalInvited{Title: a.mailTitle(), Due: due, Note: note, Link: s.link(a.ID) + "/edit"})
}

// StagesInput is what an admin writes about a round's stages: one or two,
// who decides on the concept notes, and the questions' words by language
// then question.
type StagesInput struct {
	TwoStage, ByBoard bool
	Questions         map[string]map[string]Question
}

// ErrStagesFixed: a round with applications keeps its stages.
var ErrStagesFixed = i18n.FieldErrors{"two_stage": i18n.Msg("error.stages.fixed")}

// SaveRoundStages sets round id's stages and the concept note's questions;
// admins only. A round that has applications keeps its number of stages
// (those in it started under the other rule; a trigger holds it too).
func (s *Service) SaveRoundStages(ctx context.Context, ac account.Actor, u *account.User, id int64, in StagesInput) error {
	if !u.IsAdmin {
		return ErrForbidden
	}
	fe := i18n.FieldErrors{}
	clean := map[string]map[string]Question{}
	for _, lang := range i18n.Languages {
		clean[lang] = map[string]Question{}
		for _, q := range ConceptQuestions {
			w := in.Questions[lang][q]
			w.Label, w.Help = strings.TrimSpace(w.Label), strings.TrimSpace(w.Help)
			fe.Add("q_"+lang+"_"+q+"_label", field.Line(w.Label, false, 200))
			fe.Add("q_"+lang+"_"+q+"_help", field.Text(w.Help, false, 1000))
			if w != (Question{}) {
				clean[lang][q] = w
			}
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	raw, _ := json.Marshal(clean)
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, sqlRoundStagesSave, id, in.TwoStage, in.ByBoard, raw)
		if db.IsCheckViolation(err, "round_stages_fixed") {
			return ErrStagesFixed
		}
		if err != nil {
			return fmt.Errorf("application.SaveRoundStages: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit.Record(ctx, tx, ac.Event("round.stages_saved", "funding_round", id, map[string]any{"two_stage": in.TwoStage, "by_board": in.ByBoard}))
	})
}
