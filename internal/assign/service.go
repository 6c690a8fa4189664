package assign

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
	"missiongrants/internal/notify"
	"missiongrants/internal/policy"
	"missiongrants/internal/refusal"
	mailtmpl "missiongrants/templates/mail"
)

// The service's refusals; who may assign and be assigned is policy's
// (policy.AssignReviewers, policy.BeAssigned).
var (
	// ErrNotFree: a member the rules refuse as a reviewer of this
	// application (in conflict, of the charity, not on the board).
	ErrNotFree   = refusal.Conflict("error.assign.not_free")
	ErrForbidden = policy.ErrForbidden
)

// Scores: whose reviews make an application's mean score.
const (
	ScoresEveryone = "everyone"
	ScoresAssigned = "assigned"
)

// Service assigns reviewers and reminds them.
type Service struct {
	db     *sqlx.DB
	notify *notify.Notifier
	base   string
	now    func() time.Time
}

// Options are what the service needs besides its database.
type Options struct {
	Outbox  *mail.Outbox
	BaseURL string
	Now     func() time.Time // nil: time.Now
}

// New builds the service.
func New(pool *sqlx.DB, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{db: pool, notify: notify.New(o.Outbox, o.Now), base: strings.TrimRight(o.BaseURL, "/"), now: o.Now}
}

// Settings are a round's review settings.
type Settings struct {
	RoundID        int64      `db:"id"`
	Name           string     `db:"name"`
	NameES         string     `db:"name_es"`
	PerApplication int        `db:"reviewers_per_application"`
	Deadline       *time.Time `db:"review_deadline"`
	ReminderDays   int        `db:"review_reminder_days"`
	ScoresFrom     string     `db:"scores_from"`
}

// Named is the round's name in lang.
func (s Settings) Named(lang string) string {
	if lang == "es" && s.NameES != "" {
		return s.NameES
	}
	return s.Name
}

// SettingsInput is the settings form as typed.
type SettingsInput struct {
	PerApplication, Deadline, ReminderDays, ScoresFrom string
}

// Input is the settings as the form shows them.
func (s Settings) Input() SettingsInput {
	in := SettingsInput{PerApplication: strconv.Itoa(s.PerApplication), ReminderDays: strconv.Itoa(s.ReminderDays), ScoresFrom: s.ScoresFrom}
	if s.Deadline != nil {
		in.Deadline = s.Deadline.Format(time.DateOnly)
	}
	return in
}

// Settings reads round roundID's review settings.
func (s *Service) Settings(ctx context.Context, roundID int64) (*Settings, error) {
	var out Settings
	if err := s.db.GetContext(ctx, &out, sqlSettings, roundID); err != nil {
		return nil, fmt.Errorf("assign.Settings: %w", db.NotFound(err))
	}
	return &out, nil
}

// SaveSettings changes a round's review settings: an admin's.
func (s *Service) SaveSettings(ctx context.Context, ac account.Actor, admin *account.User, roundID int64, in SettingsInput) error {
	if !admin.IsAdmin {
		return ErrForbidden
	}
	fe := i18n.FieldErrors{}
	per, err := field.Int(in.PerApplication, true, 1, 12)
	fe.Add("per_application", err)
	days, err := field.Int(in.ReminderDays, true, 0, 60)
	fe.Add("reminder_days", err)
	fe.Add("scores_from", field.OneOf(in.ScoresFrom, true, ScoresEveryone, ScoresAssigned))
	var deadline *time.Time
	if strings.TrimSpace(in.Deadline) != "" {
		d, err := field.Date(in.Deadline, false)
		fe.Add("deadline", err)
		deadline = &d
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, sqlSettingsUpdate, roundID, per, deadline, days, in.ScoresFrom, s.now())
		if err != nil {
			return fmt.Errorf("assign.SaveSettings: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		details := map[string]any{"reviewers_per_application": per, "review_reminder_days": days, "scores_from": in.ScoresFrom, "review_deadline": nil}
		if deadline != nil {
			details["review_deadline"] = deadline.Format(time.DateOnly)
		}
		return audit.Record(ctx, tx, ac.Event("assign.settings_saved", "funding_round", roundID, details))
	})
}

// Reviewer is a board member assigned to an application, and whether they
// reviewed it.
type Reviewer struct {
	UserID     int64     `db:"user_id"`
	Name       string    `db:"name"`
	AssignedAt time.Time `db:"assigned_at"`
	Reviewed   bool      `db:"reviewed"`
}

// Reviewers lists who is assigned to application appID.
func (s *Service) Reviewers(ctx context.Context, appID int64) ([]Reviewer, error) {
	var out []Reviewer
	if err := s.db.SelectContext(ctx, &out, sqlReviewers, appID); err != nil {
		return nil, fmt.Errorf("assign.Reviewers: %w", err)
	}
	return out, nil
}

// Candidate is a board member as a plan offers them.
type Candidate struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
	Open int    `db:"open"` // reviews assigned and not done, before this plan
}

// PlanApp is one application of a plan: who is assigned now, who the
// portal proposes (the current ones kept, more up to the round's number),
// and who may be assigned at all.
type PlanApp struct {
	ID             int64  `db:"id"`
	OrganizationID int64  `db:"organization_id"`
	Title          string `db:"title"`
	Organization   string `db:"organization_name"`
	Current        []int64
	Proposed       []int64
	Free           map[int64]bool // policy.BeAssigned allows it
}

// Plan is a proposal an admin changes and confirms.
type Plan struct {
	PerApplication int
	Members        []Candidate
	Apps           []PlanApp
}

type appRow struct {
	ID             int64  `db:"id"`
	OrganizationID int64  `db:"organization_id"`
	Title          string `db:"title"`
	Organization   string `db:"organization_name"`
	RoundID        int64  `db:"round_id"`
}

// ProposeFor is the plan for one application.
func (s *Service) ProposeFor(ctx context.Context, admin *account.User, appID int64) (*Plan, error) {
	var a appRow
	if err := s.db.GetContext(ctx, &a, sqlApplication, appID); err != nil {
		return nil, fmt.Errorf("assign.ProposeFor: %w", db.NotFound(err))
	}
	st, err := s.Settings(ctx, a.RoundID)
	if err != nil {
		return nil, err
	}
	return s.propose(ctx, admin, st.PerApplication, []PlanApp{{ID: a.ID, OrganizationID: a.OrganizationID, Title: a.Title, Organization: a.Organization}})
}

// ProposeRound is the plan for every application of round roundID that
// reviewers may be assigned to.
func (s *Service) ProposeRound(ctx context.Context, admin *account.User, roundID int64) (*Plan, *Settings, error) {
	st, err := s.Settings(ctx, roundID)
	if err != nil {
		return nil, nil, err
	}
	var apps []PlanApp
	if err := s.db.SelectContext(ctx, &apps, sqlRoundApplications, roundID); err != nil {
		return nil, nil, fmt.Errorf("assign.ProposeRound: %w", err)
	}
	p, err := s.propose(ctx, admin, st.PerApplication, apps)
	return p, st, err
}

// propose keeps the applications admin may assign reviewers to, finds who
// may review each (policy.BeAssigned) and who is assigned, and proposes
// more, balanced (Propose), up to perApp each.
func (s *Service) propose(ctx context.Context, admin *account.User, perApp int, apps []PlanApp) (*Plan, error) {
	p := &Plan{PerApplication: perApp}
	if err := s.db.SelectContext(ctx, &p.Members, sqlMembers); err != nil {
		return nil, fmt.Errorf("assign.propose: %w", err)
	}
	for _, a := range apps {
		free, err := decide(ctx, s.db, admin, a.ID, s.now(), policy.NoLock)
		if err != nil {
			if errors.Is(err, db.ErrNotFound) || len(apps) == 1 {
				return nil, err
			}
			continue // one the admin is recused from, say: another admin assigns it
		}
		a.Free = free
		current, err := s.Reviewers(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range current {
			a.Current = append(a.Current, r.UserID)
		}
		p.Apps = append(p.Apps, a)
	}
	// Each application needs perApp less those assigned; one proposal per
	// need, the loads carried from one to the next. An application is its
	// own "charity" here, so that its current reviewers and those not free
	// are the ones it cannot get.
	load := map[int64]int{}
	for _, m := range p.Members {
		load[m.ID] = m.Open
	}
	byNeed := map[int][]Application{}
	for i := range p.Apps {
		a := &p.Apps[i]
		a.Proposed = slices.Clone(a.Current)
		if need := perApp - len(a.Current); need > 0 {
			byNeed[need] = append(byNeed[need], Application{ID: a.ID, Charity: a.ID})
		}
	}
	for need := perApp; need > 0; need-- {
		if len(byNeed[need]) == 0 {
			continue
		}
		members := make([]Member, len(p.Members))
		for i, m := range p.Members {
			members[i] = Member{ID: m.ID, Open: load[m.ID], Conflicts: map[int64]bool{}}
		}
		for _, a := range p.Apps {
			for i := range members {
				if !a.Free[members[i].ID] || slices.Contains(a.Current, members[i].ID) {
					members[i].Conflicts[a.ID] = true
				}
			}
		}
		proposal := Propose(members, byNeed[need], need)
		for i := range p.Apps {
			if more, ok := proposal[p.Apps[i].ID]; ok {
				p.Apps[i].Proposed = append(p.Apps[i].Proposed, more...)
				for _, id := range more {
					load[id]++
				}
			}
		}
	}
	return p, nil
}

// decide refuses as policy.Check does unless admin may assign reviewers to
// application appID (reading it locked as lock), and says whom the rules
// allow as its reviewers (policy.BeAssigned).
func decide(ctx context.Context, q db.Querier, admin *account.User, appID int64, now time.Time, lock policy.Lock) (map[int64]bool, error) {
	p, f, err := policy.Load(ctx, q, admin, appID, now, lock)
	if err != nil {
		return nil, err
	}
	if policy.Decide(p, f, policy.View) != nil {
		return nil, fmt.Errorf("assign: %w", db.ErrNotFound)
	}
	if err := policy.Decide(p, f, policy.AssignReviewers); err != nil {
		return nil, err
	}
	board, err := policy.Board(ctx, q, appID)
	if err != nil {
		return nil, err
	}
	free := map[int64]bool{}
	for _, m := range board {
		free[m.ID] = policy.Decide(m, f, policy.BeAssigned) == nil
	}
	return free, nil
}

// Assign makes members the reviewers of each application of plan (the
// application's id → its members), in one transaction: an admin's, who
// may assign on each (policy.AssignReviewers), each member one the rules
// allow (policy.BeAssigned). Members not named lose their assignment.
func (s *Service) Assign(ctx context.Context, ac account.Actor, admin *account.User, plan map[int64][]int64) error {
	return s.assign(ctx, ac, admin, 0, plan)
}

// AssignRound is Assign from round roundID's plan: every application of
// plan must be of that round (a forged or stale id of another round's is
// refused as not found, and nothing is assigned).
func (s *Service) AssignRound(ctx context.Context, ac account.Actor, admin *account.User, roundID int64, plan map[int64][]int64) error {
	if roundID <= 0 {
		return db.ErrNotFound
	}
	return s.assign(ctx, ac, admin, roundID, plan)
}

// assign is Assign, limited to round roundID's applications unless it is 0.
func (s *Service) assign(ctx context.Context, ac account.Actor, admin *account.User, roundID int64, plan map[int64][]int64) error {
	ids := make([]int64, 0, len(plan))
	for id := range plan {
		ids = append(ids, id)
	}
	slices.Sort(ids) // always in the same order: two admins never deadlock
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		now := s.now()
		for _, appID := range ids {
			free, err := decide(ctx, tx, admin, appID, now, policy.Update)
			if err != nil {
				return err
			}
			if roundID != 0 {
				var a appRow
				if err := tx.GetContext(ctx, &a, sqlApplication, appID); err != nil {
					return fmt.Errorf("assign.AssignRound: %w", db.NotFound(err))
				}
				if a.RoundID != roundID {
					return fmt.Errorf("assign.AssignRound: application %d of round %d: %w", appID, a.RoundID, db.ErrNotFound)
				}
			}
			wanted := slices.Compact(slices.Sorted(slices.Values(plan[appID])))
			for _, id := range wanted {
				if !free[id] {
					return ErrNotFree
				}
			}
			var current []Reviewer
			if err := tx.SelectContext(ctx, &current, sqlReviewers, appID); err != nil {
				return err
			}
			var added, removed []int64
			for _, r := range current {
				if !slices.Contains(wanted, r.UserID) {
					if _, err := tx.ExecContext(ctx, sqlDelete, appID, r.UserID); err != nil {
						return err
					}
					removed = append(removed, r.UserID)
				}
			}
			for _, id := range wanted {
				if slices.ContainsFunc(current, func(r Reviewer) bool { return r.UserID == id }) {
					continue
				}
				if _, err := tx.ExecContext(ctx, sqlInsert, appID, id, admin.ID, now); err != nil {
					if db.IsCheckViolation(err, "assignee_free") {
						return ErrNotFree
					}
					return fmt.Errorf("assign.Assign: %w", err)
				}
				added = append(added, id)
			}
			if len(added)+len(removed) == 0 {
				continue
			}
			if err := audit.Record(ctx, tx, ac.Event("assign.reviewers_assigned", "application", appID,
				map[string]any{"added": added, "removed": removed})); err != nil {
				return err
			}
		}
		return nil
	})
}

// RemindDue mails each assigned reviewer who has not reviewed, once, when
// their round's review deadline is the round's reminder days away or
// nearer, in their language (or in their daily summary).
func (s *Service) RemindDue(ctx context.Context) (int, error) {
	now := s.now()
	var due []struct {
		AppID  int64 `db:"application_id"`
		UserID int64 `db:"user_id"`
	}
	if err := s.db.SelectContext(ctx, &due, sqlRemindDue, now.UTC().Format(time.DateOnly)); err != nil {
		return 0, fmt.Errorf("assign.RemindDue: %w", err)
	}
	sent := 0
	for _, d := range due {
		err := db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
			var r struct {
				Title    string    `db:"title"`
				Deadline time.Time `db:"review_deadline"`
				Mailed   bool      `db:"mailed"`
				notify.Recipient
			}
			err := tx.GetContext(ctx, &r, sqlRemindedUpdate, d.AppID, d.UserID, now)
			if errors.Is(db.NotFound(err), db.ErrNotFound) {
				return nil // another process reminded them
			}
			if err != nil || !r.Mailed {
				return err
			}
			sent++
			return s.notify.Send(ctx, tx, r.Recipient, mailtmpl.ReviewReminder{Title: r.Title, Deadline: r.Deadline,
				Link: s.base + "/applications/" + strconv.FormatInt(d.AppID, 10)})
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}
