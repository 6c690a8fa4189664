// Package application owns the mission-trip application: its form and
// validation, drafts saved as typed, submitted versions frozen for the
// board, the state machine (transitions.go), the timeline and the message
// thread between the charity and the IPA. Access is part of every query:
// the owning organization's members, and the IPA.
package application

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"missiongrants/internal/policy"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/document"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail"
	"missiongrants/internal/money"
	"missiongrants/internal/notify"
	"missiongrants/internal/organization"
	"missiongrants/internal/refusal"
	"missiongrants/internal/report"
	mailtmpl "missiongrants/templates/mail"
)

// The package's refusals.
var (
	// ErrNotFound is also the answer for an application the person may not see.
	ErrNotFound  = db.ErrNotFound
	ErrForbidden = refusal.Forbidden("error.http.403")
	// ErrNotEditable: the form is frozen (submitted, withdrawn, decided).
	ErrNotEditable = refusal.Conflict("error.app.not_editable")
	// ErrRoundClosed: the round takes no new submissions.
	ErrRoundClosed = refusal.Conflict("error.app.round_closed")
	// ErrNotEligible: the organization has not passed the eligibility check.
	ErrNotEligible = refusal.Forbidden("error.app.not_eligible")
)

// Application is one application as listed and shown.
type Application struct {
	ID               int64         `db:"id"`
	OrganizationID   int64         `db:"organization_id"`
	OrganizationName string        `db:"organization_name"`
	RoundID          int64         `db:"round_id"`
	RoundName        string        `db:"round_name"`
	RoundNameES      string        `db:"round_name_es"`
	Status           policy.Status `db:"status"`
	Version          int           `db:"version"`
	Title            string        `db:"title"`
	Country          string        `db:"country"`
	TripStart        *time.Time    `db:"trip_start"`
	TripEnd          *time.Time    `db:"trip_end"`
	AmountRequested  money.Cents   `db:"amount_requested_cents"`
	Currency         string        `db:"currency"`
	SubmittedAt      *time.Time    `db:"submitted_at"`
	DraftSavedAt     *time.Time    `db:"draft_saved_at"`
	DraftTitle       string        `db:"draft_title"`
	CreatedAt        time.Time     `db:"created_at"`
	// DeclineReason is the screening's reason for declining ("" otherwise).
	DeclineReason string `db:"decline_reason"`
	// DraftRev counts the draft's saves: each save says which it was based on.
	DraftRev int `db:"draft_rev"`
	// Stage is StageConcept while a two-stage round's application is at its
	// concept note, StageFull otherwise; InvitationDue is the invited full
	// proposal's deadline (nil when not invited).
	Stage         string     `db:"stage"`
	InvitationDue *time.Time `db:"invitation_due"`
	// Owes (read by ForUser only): an approved grant whose agreement is
	// unsigned or whose report is not in, on which the charity may still
	// have something to do. A grant finished years ago has nothing, and
	// its home page need not ask the rules about it.
	Owes bool `db:"owes"`
	// RoundClosesOn (read by ForUser only) is the last day its round takes
	// applications; nil for a rolling round.
	RoundClosesOn *time.Time `db:"round_closes_on"`
	// HasVote (read by Show only): it was put to a vote at least once, so
	// its page has a vote to read.
	HasVote bool `db:"has_vote"`
}

// DisplayTitle is the submitted title, or the draft's while there is none.
func (a *Application) DisplayTitle() string {
	if a.Title != "" {
		return a.Title
	}
	return a.DraftTitle
}

// mailTitle names the application in an email, even before it has a title.
func (a *Application) mailTitle() string {
	if t := a.DisplayTitle(); t != "" {
		return t
	}
	return "#" + strconv.FormatInt(a.ID, 10)
}

// Service runs application actions.
type Service struct {
	db      *sqlx.DB
	outbox  *mail.Outbox
	letters DeclineLetters   // nil: no letter attached
	notices *notify.Notifier // the board's notices: at once or in a daily summary
	base    string
	now     func() time.Time
	// ReportDueDays: a funded trip's report is due this long after it ends;
	// a charity with one overdue does not pass screening.
	ReportDueDays int
	roundNames    db.Cached[[]Round]
}

// DeclineLetters writes the letter that goes with a decline, as a PDF named
// for the reader (package papers; an interface, as papers reads this
// package's forms).
type DeclineLetters interface {
	DeclineLetter(lang string, date time.Time, organization, contact, title, reason string) (name string, pdf []byte, err error)
}

// Options are what the service needs besides its database.
type Options struct {
	Outbox        *mail.Outbox
	Letters       DeclineLetters   // writes the decline letter, attached to its mail
	BaseURL       string           // for links in emails
	Now           func() time.Time // the clock; nil: time.Now
	ReportDueDays int              // 0: report.DefaultDueDays
	// Changes says when a table changed, for what the service keeps from
	// one request to the next; nil: it keeps nothing.
	Changes *db.Changes
}

// New builds the service.
func New(pool *sqlx.DB, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ReportDueDays <= 0 {
		o.ReportDueDays = report.DefaultDueDays
	}
	s := &Service{db: pool, outbox: o.Outbox, letters: o.Letters, notices: notify.New(o.Outbox, o.Now), base: strings.TrimRight(o.BaseURL, "/"), now: o.Now, ReportDueDays: o.ReportDueDays}
	s.roundNames = db.Cached[[]Round]{Changes: o.Changes, Table: "funding_rounds", Load: s.loadRoundNames}
	return s
}

func (s *Service) today() time.Time {
	y, m, d := s.now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// getQuery is get's statement for u ($1) and application $2: the IPA's
// and a member's apart (application.sql says why), each with the row
// locked or not.
func getQuery(u *account.User, lock bool) string {
	switch {
	case u.IPA() && lock:
		return sqlGetIPAForUpdate
	case u.IPA():
		return sqlGetIPA
	case lock:
		return sqlGetMemberForUpdate
	default:
		return sqlGetMember
	}
}

// Get returns application id if u may see it.
func (s *Service) Get(ctx context.Context, u *account.User, id int64) (*Application, error) {
	return get(ctx, s.db, u, id, false)
}

func get(ctx context.Context, q db.Querier, u *account.User, id int64, lock bool) (*Application, error) {
	var a Application
	if err := q.GetContext(ctx, &a, getQuery(u, lock), u.ID, id); err != nil {
		return nil, fmt.Errorf("application.Get: %w", db.NotFound(err))
	}
	return &a, nil
}

// Shown is an application with everything its page shows of its own: its
// history, the versions submitted and the message thread, and what the
// person looking may do to it now.
type Shown struct {
	*Application
	// Viewer is the person looking, as the rules see them (a member of
	// the charity, recused, …).
	Viewer   policy.Person
	Can      policy.Can
	Timeline []TimelineEntry
	Versions []Version
	Messages []Post
	// Others are the charity's other applications sent, newest first
	// (OthersShown at most), for the IPA; nil for the charity. MoreOthers:
	// it has sent more.
	Others     []Earlier
	MoreOthers bool
}

// Show returns application id with its parts if u may see it, in one
// statement: the application with its history (and, for the IPA, the
// charity's other applications), and what the rules need of it (as
// policy.Load reads it).
func (s *Service) Show(ctx context.Context, u *account.User, id int64) (*Shown, error) {
	a, h, known, err := s.show(ctx, u, id, true)
	if err != nil {
		return nil, err
	}
	who, facts := known.Split(u, a.Status)
	return &Shown{Application: a, Viewer: who, Can: policy.For(who, facts),
		Timeline: h.Timeline, Versions: h.Versions, Messages: h.Messages, Others: h.Others, MoreOthers: h.MoreOthers}, nil
}

// Can is what u may do to application id now, for a page other than the
// application's own (which has Shown.Can).
func (s *Service) Can(ctx context.Context, u *account.User, id int64) (policy.Can, error) {
	who, facts, err := policy.Load(ctx, s.db, u, id, s.now(), policy.NoLock)
	if err != nil {
		return policy.Can{}, err
	}
	if err := policy.Decide(who, facts, policy.View); err != nil {
		return policy.Can{}, ErrNotFound
	}
	return policy.For(who, facts), nil
}

// CanEach is what u may do to each of the applications ids, for a page that
// lists them; one statement whatever their number.
func (s *Service) CanEach(ctx context.Context, u *account.User, ids []int64) (map[int64]policy.Can, error) {
	return policy.CanEach(ctx, s.db, u, ids, s.now())
}

// ForUser lists the applications of every organization u belongs to, for
// the charity's home: their title, charity, status, stage, dates, their
// round's closing day and whether they owe something (Owes); the other
// fields are left empty.
func (s *Service) ForUser(ctx context.Context, u *account.User) ([]Application, error) {
	var out []Application
	err := s.db.SelectContext(ctx, &out, sqlForUser, u.ID)
	return out, err
}

func isMember(ctx context.Context, q db.Querier, u *account.User, a *Application) (bool, error) {
	return organization.IsMember(ctx, q, u.ID, a.OrganizationID)
}

// Create starts a draft for organization orgID in round roundID. Only members
// of an organization that passed the eligibility check may, and only in an
// open round.
func (s *Service) Create(ctx context.Context, ac account.Actor, u *account.User, orgID, roundID int64) (int64, error) {
	var id int64
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var eligible bool
		err := tx.GetContext(ctx, &eligible, sqlCreateOrganization, u.ID, orgID)
		if err != nil {
			return fmt.Errorf("application.Create: %w", db.NotFound(err))
		}
		if !eligible {
			return ErrNotEligible
		}
		var r Round
		if err := tx.GetContext(ctx, &r, sqlCreateRound, roundID); err != nil {
			return fmt.Errorf("application.Create: round: %w", db.NotFound(err))
		}
		if !r.Open(s.today()) {
			return ErrRoundClosed
		}
		draft, _ := json.Marshal(newForm())
		now := s.now()
		// A two-stage round's application begins with its concept note.
		insert, status := sqlInsert, policy.Draft
		if r.TwoStage {
			insert, status = sqlInsertConcept, policy.ConceptDraft
		}
		if err := tx.GetContext(ctx, &id, insert, orgID, roundID, draft, r.Currency, u.ID, now); err != nil {
			return fmt.Errorf("application.Create: %w", err)
		}
		if err := event(ctx, tx, id, now, u.ID, "created", "", status, ""); err != nil {
			return err
		}
		return audit.Record(ctx, tx, ac.Event("application.created", "application", id, map[string]any{"organization_id": orgID, "round_id": roundID}))
	})
	return id, err
}

func newForm() Form {
	f := Form{}
	f.Normalize()
	return f
}

// Draft returns the form as last saved.
func (s *Service) Draft(ctx context.Context, u *account.User, id int64) (*Application, Form, error) {
	a, err := s.Get(ctx, u, id)
	if err != nil {
		return nil, Form{}, err
	}
	// The draft and its revision together: the page's next save is based on it.
	f, rev, err := currentDraft(ctx, s.db, id)
	if err != nil {
		return nil, Form{}, err
	}
	a.DraftRev = rev
	return a, f, nil
}

// SaveDraft stores the form as typed, whatever is filled, while the
// application is editable; only the charity's members may. It is also what
// autosave calls, so it writes no audit row (the submission does).
//
// Drafts never overwrite each other: the save is written only while the
// draft is still at e.Base, the revision it was based on, and counts it up.
// A save based on an older revision is merged with what was saved since
// (see Edit.Merge and merge) or refused with a *Stale (ErrStale).
func (s *Service) SaveDraft(ctx context.Context, u *account.User, id int64, e Edit) (Saved, error) {
	if _, ok := SectionByKey(e.Section); e.Section != "" && !ok {
		return Saved{}, ErrNoSection // read as the whole form, it would empty every other part
	}
	now := s.now()
	saved := Saved{At: now}
	err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		a, err := get(ctx, tx, u, id, true)
		if err != nil {
			return err
		}
		if ok, err := isMember(ctx, tx, u, a); err != nil || !ok {
			return errors.Join(ErrForbidden, err)
		}
		if !policy.Editable(a.Status) || a.Status.Concept() { // the concept note is saved by SaveConcept
			return ErrNotEditable
		}
		theirs, _, err := currentDraft(ctx, tx, id) // a.DraftRev: the row is locked
		if err != nil {
			return err
		}
		f, taken, err := rebase(ctx, tx, id, a.DraftRev, theirs, e)
		if err != nil {
			return err
		}
		raw, err := json.Marshal(f)
		if err != nil {
			return err
		}
		if len(raw) > maxDraftBytes {
			return i18n.Msg("error.app.too_large")
		}
		// The draft it replaces is kept, for merging saves based on it.
		err = tx.GetContext(ctx, &saved.Rev, sqlSaveDraft, id, raw, now, a.DraftRev)
		if errors.Is(err, sql.ErrNoRows) {
			return &Stale{Rev: a.DraftRev, Form: f} // cannot happen while the row is locked
		}
		if err != nil {
			return fmt.Errorf("application.SaveDraft: %w", err)
		}
		saved.Taken = taken
		_, err = tx.ExecContext(ctx, sqlDraftRevisionsPrune, id, saved.Rev-keptRevisions, now.Add(-keptRevisionsFor))
		return err
	})
	if err != nil {
		return Saved{}, err
	}
	return saved, nil
}

// Replaced drafts are kept while among the last keptRevisions and for
// keptRevisionsFor after they were replaced. Autosave writes a revision at
// each pause in typing (1.5 s): 500 are hours of a colleague's typing. A
// complete draft is 1.2 KB (ValidForm); one whose five long texts fill a
// page each, about 12 KB: 500 of those are 6 MB before jsonb compresses them.
const (
	keptRevisions    = 500
	keptRevisionsFor = 30 * 24 * time.Hour
)

// rebase is the form e saves onto the draft at revision rev (theirs): the
// form itself when e is based on rev; otherwise merged with what was saved
// since e's base, or refused with a *Stale.
func rebase(ctx context.Context, tx *sqlx.Tx, id int64, rev int, theirs Form, e Edit) (Form, []Change, error) {
	f := e.Form
	f.Normalize()
	if sec, ok := SectionByKey(e.Section); ok {
		f = Only(sec, theirs, f) // the other sections as saved: unchanged by this save
	}
	if e.Base == rev {
		return takeTheirs(theirs, f, e.TakeTheirs), nil, nil
	}
	var base *Form
	if e.Base >= 0 && e.Base < rev {
		b, ok, err := revision(ctx, tx, id, e.Base)
		if err != nil {
			return Form{}, nil, err
		}
		if ok { // once pruned, merged as unknown
			base = &b
		}
	}
	if base != nil {
		f = takeTheirs(*base, f, e.TakeTheirs)
	}
	merged, conflicts, taken := merge(base, theirs, f)
	if len(conflicts) == 0 && !e.Merge && e.Section != "" && base != nil && !takesFrom(taken, e.Section) {
		// A section's page shows only its section: what was saved since in
		// other sections is taken in unseen, as the page shows none of it.
		return merged, taken, nil
	}
	if len(conflicts) > 0 || !e.Merge {
		return Form{}, nil, &Stale{Rev: rev, Form: merged, Conflicts: conflicts, Taken: taken}
	}
	return merged, taken, nil
}

// takesFrom reports whether any of the changes taken is in section key.
func takesFrom(taken []Change, key string) bool {
	for _, ch := range taken {
		if SectionOf(ch.Field) == key {
			return true
		}
	}
	return false
}

// currentDraft reads the draft as it is now, with its revision.
func currentDraft(ctx context.Context, q db.Querier, id int64) (Form, int, error) {
	var row struct {
		Draft []byte `db:"draft"`
		Rev   int    `db:"draft_rev"`
	}
	if err := q.GetContext(ctx, &row, sqlCurrentDraft, id); err != nil {
		return Form{}, 0, fmt.Errorf("application: draft: %w", db.NotFound(err))
	}
	f, err := decodeDraft(row.Draft)
	return f, row.Rev, err
}

// revision reads the draft as it was at revision rev; ok is false once that
// is no longer kept.
func revision(ctx context.Context, q db.Querier, id int64, rev int) (f Form, ok bool, err error) {
	var raw []byte
	err = q.GetContext(ctx, &raw, sqlRevision, id, rev)
	if errors.Is(err, sql.ErrNoRows) {
		return Form{}, false, nil
	}
	if err != nil {
		return Form{}, false, fmt.Errorf("application: draft revision: %w", err)
	}
	f, err = decodeDraft(raw)
	return f, err == nil, err
}

func decodeDraft(raw []byte) (Form, error) {
	var f Form
	if err := json.Unmarshal(raw, &f); err != nil {
		return Form{}, fmt.Errorf("application: draft: %w", err)
	}
	f.Normalize()
	return f, nil
}

// maxDraftBytes bounds what one draft may hold (every text field full is
// far below it).
const maxDraftBytes = 512 << 10

// ErrChangedSinceChecked: the draft was saved again (elsewhere) after the
// revision the person checked: nothing is sent unseen.
var ErrChangedSinceChecked = refusal.Conflict("app.check.changed")

// Submit checks the saved draft and, when it is complete, freezes it as the
// next version for the board. It moves draft → submitted, or
// more_info_requested → submitted (a resubmission).
//
// seen is the draft revision the person checked ("check your answers", or
// the save just made): the draft is sent only while it is still at that
// revision, compared under the row's lock, which every save takes too, so
// that a save landing meanwhile is never sent unseen (ErrChangedSinceChecked).
func (s *Service) Submit(ctx context.Context, ac account.Actor, u *account.User, id int64, seen int) error {
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		a, err := get(ctx, tx, u, id, true)
		if err != nil {
			return err
		}
		if ok, err := isMember(ctx, tx, u, a); err != nil || !ok {
			return errors.Join(ErrForbidden, err)
		}
		if a.Status.Concept() { // the concept note is sent by SaveConcept
			return policy.ErrInvalidTransition
		}
		ev := policy.EventSubmit
		if a.Status == policy.MoreInfoRequested {
			ev = policy.EventResubmit
		}
		if _, err := policy.Next(a.Status, ev, policy.RoleApplicant); err != nil {
			return err
		}
		var r Round
		if err := tx.GetContext(ctx, &r, sqlSubmitRound, a.RoundID); err != nil {
			return err
		}
		if !a.SendOpen(&r, s.today()) { // an invitation by its deadline, not the round's
			if a.Status == policy.Invited {
				return ErrInvitationPast
			}
			return ErrRoundClosed
		}
		if a.DraftRev != seen { // read under the lock: no save can land before the commit
			return ErrChangedSinceChecked
		}
		var raw []byte
		if err := tx.GetContext(ctx, &raw, sqlSubmitApplication, id); err != nil {
			return err
		}
		var f Form
		if err := json.Unmarshal(raw, &f); err != nil {
			return err
		}
		checked, err := f.Validate(s.today(), u.Language)
		missing, merr := document.Missing(ctx, tx, id)
		if merr != nil {
			return merr
		}
		if len(missing) > 0 {
			fe := i18n.FieldErrors{}
			if errors.As(err, &fe) || err == nil {
				fe["documents"] = i18n.Msg("error.app.documents_missing", "Count", len(missing))
				err = fe
			}
		}
		if err != nil {
			return err
		}
		now := s.now()
		data, _ := json.Marshal(f)
		version := a.Version + 1
		if _, err := tx.ExecContext(ctx, sqlVersionInsert, id, version, data, u.ID, now); err != nil {
			return fmt.Errorf("application.Submit: %w", err)
		}
		if _, err := tx.ExecContext(ctx, sqlSubmitUpdate,
			id, version, checked.Title, checked.Country, checked.TripStart, checked.TripEnd, checked.AmountRequested, now); err != nil {
			return fmt.Errorf("application.Submit: %w", err)
		}
		// The version exists before the status says so (a constraint checks it).
		if _, err := MoveTx(ctx, tx, ac, id, ev, policy.RoleApplicant, "", now); err != nil {
			return err
		}
		// The board reviews the documents as they are now, whatever the draft's later.
		if err := document.Freeze(ctx, tx, id, version); err != nil {
			return err
		}
		if err := s.notifyAdmins(ctx, tx, mailtmpl.ApplicationSubmitted{Title: checked.Title, Organization: a.OrganizationName,
			Resubmitted: ev == policy.EventResubmit, Link: s.link(id)}); err != nil {
			return err
		}
		// The charity's receipt: what was sent and what happens next.
		return s.notifyMembers(ctx, tx, a.OrganizationID, mailtmpl.ApplicationReceived{Title: checked.Title, Link: s.link(id)})
	})
}

// Withdraw takes an application back; the charity only.
func (s *Service) Withdraw(ctx context.Context, ac account.Actor, u *account.User, id int64) error {
	return s.move(ctx, ac, u, id, policy.Withdraw, policy.EventWithdraw, policy.RoleApplicant, "", nil)
}

// Delete throws away a draft the charity never sent, with its documents
// (whose files the store's sweep removes) and its saved revisions: only
// the charity's members may (policy.DeleteDraft). What the IPA received is
// withdrawn instead, never deleted. The audit row keeps its title.
func (s *Service) Delete(ctx context.Context, ac account.Actor, u *account.User, id int64) error {
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		a, err := get(ctx, tx, u, id, false)
		if err != nil {
			return err
		}
		if err := policy.Check(ctx, tx, u, id, s.now(), policy.Update, policy.DeleteDraft); err != nil {
			return err
		}
		var docs []string
		if err := tx.SelectContext(ctx, &docs, sqlDeleteDocuments, id); err != nil {
			return fmt.Errorf("application.Delete: documents: %w", err)
		}
		res, err := tx.ExecContext(ctx, sqlDelete, id)
		if err != nil {
			return fmt.Errorf("application.Delete: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return policy.ErrInvalidTransition
		}
		return audit.Record(ctx, tx, ac.Event("application.deleted", "application", id,
			map[string]any{"title": a.DisplayTitle(), "organization": a.OrganizationName, "documents": docs}))
	})
}

// RequestInfo asks the charity a question (admins only): the application
// goes back to the charity to amend and resubmit, and the question starts
// the thread.
func (s *Service) RequestInfo(ctx context.Context, ac account.Actor, u *account.User, id int64, question string) error {
	question = strings.TrimSpace(question)
	if err := checkMessage(question); err != nil {
		return i18n.FieldErrors{"question": err.(i18n.Message)}
	}
	return s.move(ctx, ac, u, id, policy.RequestInfo, policy.EventRequestInfo, policy.RoleAdmin, question, func(tx *sqlx.Tx, a *Application, now time.Time) error {
		if err := insertMessage(ctx, tx, id, u.ID, true, question, now); err != nil {
			return err
		}
		return s.notifyMembers(ctx, tx, a.OrganizationID, mailtmpl.ApplicationInfoRequested{
			Title: a.mailTitle(), Question: question, Link: s.link(id)})
	})
}

// move runs one state-machine event by u as role, when the policy allows
// u the action.
func (s *Service) move(ctx context.Context, ac account.Actor, u *account.User, id int64, act policy.Action, ev policy.Event, by policy.Role, note string,
	also func(tx *sqlx.Tx, a *Application, now time.Time) error) error {
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		a, err := get(ctx, tx, u, id, false)
		if err != nil {
			return err
		}
		now := s.now()
		if err := policy.Check(ctx, tx, u, id, now, policy.Update, act); err != nil {
			return err
		}
		if _, err := MoveTx(ctx, tx, ac, id, ev, by, note, now); err != nil {
			return err
		}
		if also != nil {
			return also(tx, a, now)
		}
		return nil
	})
}

// MoveTx is the one way an application changes status, for this package
// and the board's (screening, votes): it locks the row, asks the state
// machine, updates guarded on the status it read (so two people acting at
// once cannot both move it), and writes the timeline and audit entries, all
// in the caller's transaction.
func MoveTx(ctx context.Context, tx *sqlx.Tx, ac account.Actor, id int64, ev policy.Event, by policy.Role, note string, now time.Time) (from policy.Status, err error) {
	if err := tx.GetContext(ctx, &from, sqlMoveStatus, id); err != nil {
		return "", fmt.Errorf("application.MoveTx: %w", db.NotFound(err))
	}
	to, err := policy.Next(from, ev, by)
	if err != nil {
		return from, err
	}
	res, err := tx.ExecContext(ctx, sqlMoveUpdate, id, to, now, from)
	if err != nil {
		return from, fmt.Errorf("application.MoveTx %s: %w", ev, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return from, policy.ErrInvalidTransition
	}
	// The vote's outcome is the board's decision, not the act of whoever
	// closed it: the timeline names no one (the audit trail keeps the closer).
	var actorID int64
	if by != policy.RoleVote {
		actorID = ac.UserID
	}
	if err := event(ctx, tx, id, now, actorID, string(ev), from, to, note); err != nil {
		return from, err
	}
	return from, audit.Record(ctx, tx, ac.Event("application."+string(ev), "application", id, map[string]any{"from": from, "to": to}))
}

func event(ctx context.Context, tx *sqlx.Tx, id int64, at time.Time, actor int64, ev string, from, to policy.Status, note string) error {
	_, err := tx.ExecContext(ctx, sqlEvent, id, at, actor, ev, string(from), string(to), note)
	if err != nil {
		return fmt.Errorf("application: event: %w", err)
	}
	return nil
}

func (s *Service) link(id int64) string { return s.base + "/applications/" + strconv.FormatInt(id, 10) }

// BeforeBoard lists the applications before the board now (in review or
// in a vote), oldest first, for the IPA's board packet.
func (s *Service) BeforeBoard(ctx context.Context, u *account.User) ([]Application, error) {
	if !u.IPA() {
		return nil, ErrForbidden
	}
	var out []Application
	err := s.db.SelectContext(ctx, &out, sqlBeforeBoard)
	return out, err
}

// Recent lists the newest applications that have been submitted at least
// once, for the IPA (the board's full queue, with filters, comes with the
// review pages).
func (s *Service) Recent(ctx context.Context, u *account.User, limit int) ([]Application, error) {
	if !u.IPA() {
		return nil, ErrForbidden
	}
	var out []Application
	err := s.db.SelectContext(ctx, &out, sqlRecent, limit)
	return out, err
}

// Round is the application's round named in lang.
func (a *Application) Round(lang string) string { return roundName(a.RoundName, a.RoundNameES, lang) }
