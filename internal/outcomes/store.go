package outcomes

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/refusal"
)

// ErrForbidden: only admins change the reference mortality.
var ErrForbidden = refusal.Forbidden("error.http.403")

// Service reads the trips' outcomes and keeps the reference mortality.
type Service struct {
	db        *sqlx.DB
	now       func() time.Time
	overviews overviews // the outcomes page's figures, kept (Overview)
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

// ReferenceRow is one category's reference mortality as kept: in percent,
// nil when the category has none, with its source and who set it last.
type ReferenceRow struct {
	Category  int       `db:"category"`
	Percent   *float64  `db:"percent"`
	Source    string    `db:"source"`
	UpdatedAt time.Time `db:"updated_at"`
	UpdatedBy string    `db:"updated_by"` // "" for the figures the portal started with
}

// References returns the reference mortality per category, in order, and
// as proportions for Judge.
func (s *Service) References(ctx context.Context) ([]ReferenceRow, Reference, error) {
	var rows []ReferenceRow
	if err := s.db.SelectContext(ctx, &rows, sqlReference); err != nil {
		return nil, nil, fmt.Errorf("outcomes.References: %w", err)
	}
	return rows, referenceOf(rows), nil
}

func referenceOf(rows []ReferenceRow) Reference {
	ref := Reference{}
	for _, r := range rows {
		if r.Percent != nil {
			ref[Category(r.Category)] = *r.Percent / 100
		}
	}
	return ref
}

// ReferenceInput is the admins' form: per category 1..6, a percent (empty:
// none) and its source.
type ReferenceInput struct {
	Percent, Source [6]string
}

// SetReference changes the reference mortality; admins only. Every
// category changed is audited with its old and new value and source.
func (s *Service) SetReference(ctx context.Context, ac account.Actor, u *account.User, in ReferenceInput) error {
	if !u.IsAdmin {
		return ErrForbidden
	}
	fe := i18n.FieldErrors{}
	var pct [6]*float64
	for i := range 6 {
		n := strconv.Itoa(i + 1)
		if strings.TrimSpace(in.Percent[i]) != "" {
			v, err := field.Decimal(in.Percent[i], false, 0, 100)
			fe.Add("percent_"+n, err)
			pct[i] = &v
		}
		in.Source[i] = strings.TrimSpace(in.Source[i])
		fe.Add("source_"+n, field.Line(in.Source[i], true, 500))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var old []ReferenceRow
		if err := tx.SelectContext(ctx, &old, sqlReferenceLock); err != nil {
			return err
		}
		for _, o := range old {
			i := o.Category - 1
			if i < 0 || i >= 6 || samePercent(o.Percent, pct[i]) && o.Source == in.Source[i] {
				continue
			}
			if _, err := tx.ExecContext(ctx, sqlReferenceUpdate, o.Category, pct[i], in.Source[i], u.ID, s.now()); err != nil {
				return fmt.Errorf("outcomes.SetReference: %w", err)
			}
			if err := audit.Record(ctx, tx, ac.Event("outcomes.reference_changed", "reference_mortality", int64(o.Category),
				map[string]any{"old_percent": o.Percent, "percent": pct[i], "old_source": o.Source, "source": in.Source[i]})); err != nil {
				return err
			}
		}
		return nil
	})
}

func samePercent(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 0.005
}

// Trip is one accepted report's outcomes: the children's case mix judged
// against the reference, and the adults' deaths against their predicted
// mortality when the team gave it.
type Trip struct {
	AppID, OrgID   int64
	Organization   string
	Title          string
	TripEnd        *time.Time
	Children       []Cell
	ChildCases     int
	Infections     int // surgical-site and bloodstream, the children's
	AdultCases     int
	AdultDeaths    int
	AdultPredicted float64 // expected deaths; NaN when not given
	Judgement      Judgement
	// AdultRatio is the adults' deaths over their predicted deaths, with
	// its 95% interval (NaN without a prediction).
	AdultRatio, AdultLow, AdultHigh float64
}

// Trips returns every accepted report's outcomes (orgID 0), or one
// charity's, in the order the trips ended, judged against ref; only the
// trips that ended on since or after, unless since is zero.
func (s *Service) Trips(ctx context.Context, orgID int64, since time.Time, ref Reference) ([]Trip, error) {
	return s.trips(ctx, orgID, []int64{}, since, ref)
}

// Querier runs a query whose rows are read as they come (a pool, a
// transaction).
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Unseen lists the charities whose trips' outcomes reader (a user's id; 0:
// nobody in particular) does not see: those the reader has a standing
// conflict with (review's standing conflicts), whose trips they take no
// part in judging. It is the one rule of what is left out for a reader,
// wherever outcomes are read: the outcomes page (Overview) and the
// outcomes' exports (export.Outcomes, CaseMix, TripOutcomes) alike.
func Unseen(ctx context.Context, q Querier, reader int64) ([]int64, error) {
	out := []int64{}
	if reader == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, sqlUnseen, reader)
	if err != nil {
		return nil, fmt.Errorf("outcomes.Unseen: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var org int64
		if err := rows.Scan(&org); err != nil {
			return nil, fmt.Errorf("outcomes.Unseen: %w", err)
		}
		out = append(out, org)
	}
	return out, rows.Err()
}

// trips reads the trips of charity orgID (0: every charity but those in
// unseen) that ended on since or after.
func (s *Service) trips(ctx context.Context, orgID int64, unseen []int64, since time.Time, ref Reference) ([]Trip, error) {
	var from *string
	if !since.IsZero() {
		d := since.UTC().Format(time.DateOnly)
		from = &d
	}
	var rows []struct {
		AppID        int64      `db:"application_id"`
		OrgID        int64      `db:"organization_id"`
		Organization string     `db:"organization"`
		Title        string     `db:"title"`
		TripEnd      *time.Time `db:"trip_end"`
		AgeGroup     string     `db:"age_group"`
		Category     string     `db:"category"`
		Cases        int        `db:"cases"`
		Deaths       int        `db:"deaths"`
		SSI          int        `db:"ssi"`
		BSI          int        `db:"bsi"`
		Predicted    *float64   `db:"predicted"`
	}
	if err := s.db.SelectContext(ctx, &rows, sqlTrips, orgID, from, pq.Array(unseen)); err != nil {
		return nil, fmt.Errorf("outcomes.Trips: %w", err)
	}
	var out []Trip
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].AppID != r.AppID {
			out = append(out, Trip{AppID: r.AppID, OrgID: r.OrgID, Organization: r.Organization, Title: r.Title, TripEnd: r.TripEnd})
		}
		t := &out[len(out)-1]
		if r.AgeGroup == "child" {
			c, _ := strconv.Atoi(r.Category) // "unclassified": 0
			t.Children = append(t.Children, Cell{Category: Category(c), Cases: r.Cases, DeathsInHospital: r.Deaths})
			t.ChildCases += r.Cases
			t.Infections += r.SSI + r.BSI
			continue
		}
		t.AdultCases += r.Cases
		t.AdultDeaths += r.Deaths
		if r.Predicted != nil {
			t.AdultPredicted += *r.Predicted
		}
	}
	for i := range out {
		t := &out[i]
		t.Judgement = Judge(t.Children, ref)
		t.AdultRatio, t.AdultLow, t.AdultHigh = Ratio(t.AdultDeaths, t.AdultPredicted, 0.95)
	}
	return out, nil
}

// Period is a charity's outcomes in one year (by the trips' end), or over
// all its years (Year 0).
type Period struct {
	OrgID        int64
	Organization string
	Year         int
	Trips        int
	Cases        int
	Infections   int
	Judgement    Judgement
}

// ByCharity sums the trips per charity and year, and per charity over all
// years (Year 0, after its years), the charities in order of first trip.
func ByCharity(trips []Trip, ref Reference) []Period {
	type key struct {
		org  int64
		year int
	}
	mixes := map[key][]Cell{}
	var order []key
	periods := map[key]*Period{}
	for _, t := range trips {
		year := 0
		if t.TripEnd != nil {
			year = t.TripEnd.Year()
		}
		for _, k := range []key{{t.OrgID, year}, {t.OrgID, 0}} {
			p, ok := periods[k]
			if !ok {
				p = &Period{OrgID: t.OrgID, Organization: t.Organization, Year: k.year}
				periods[k] = p
				order = append(order, k)
			}
			p.Trips++
			p.Cases += t.ChildCases
			p.Infections += t.Infections
			mixes[k] = append(mixes[k], t.Children...)
		}
	}
	var out []Period
	seen := map[int64]bool{}
	for _, k := range order {
		if seen[k.org] {
			continue
		}
		seen[k.org] = true
		for _, y := range order {
			if y.org == k.org && y.year != 0 {
				p := periods[y]
				p.Judgement = Judge(mixes[y], ref)
				out = append(out, *p)
			}
		}
		p := periods[key{k.org, 0}]
		p.Judgement = Judge(mixes[key{k.org, 0}], ref)
		out = append(out, *p)
	}
	return out
}

// HistoryRow is one of a charity's earlier funded trips as the board reads
// it: its report's state, whether it came on time, and its outcomes.
type HistoryRow struct {
	AppID       int64      `db:"application_id"`
	Title       string     `db:"title"`
	TripEnd     *time.Time `db:"trip_end"`
	Status      string     `db:"status"` // the report's: "" when not started
	SubmittedAt *time.Time `db:"submitted_at"`
	DueOn       time.Time  `db:"due_on"`
	OnTime      bool       `db:"-"`
	Trip        *Trip      `db:"-"` // nil until the report is accepted with a case mix
}

// History lists organization orgID's funded trips that have ended, but
// application except, latest first, with the outcomes of those whose
// reports were accepted.
func (s *Service) History(ctx context.Context, orgID, except int64, dueDays int, ref Reference) ([]HistoryRow, error) {
	var rows []HistoryRow
	if err := s.db.SelectContext(ctx, &rows, sqlHistory, orgID, dueDays, except, s.now().UTC().Format(time.DateOnly)); err != nil {
		return nil, fmt.Errorf("outcomes.History: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	trips, err := s.Trips(ctx, orgID, time.Time{}, ref)
	if err != nil {
		return nil, err
	}
	byApp := map[int64]*Trip{}
	for i := range trips {
		byApp[trips[i].AppID] = &trips[i]
	}
	for i := range rows {
		r := &rows[i]
		r.OnTime = r.SubmittedAt != nil && !r.SubmittedAt.UTC().Truncate(24*time.Hour).After(r.DueOn)
		r.Trip = byApp[r.AppID]
	}
	return rows, nil
}
