// Package report owns what a funded trip reports afterwards: the figures,
// checked against each other, the due date and its reminders, the IPA's
// acceptance, and the impact totals the IPA shows its donors.
package report

import (
	"context"
	"encoding/json"
	"fmt"
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
	"missiongrants/internal/mail"
	"missiongrants/internal/money"
	"missiongrants/internal/policy"
	"missiongrants/internal/refusal"
	mailtmpl "missiongrants/templates/mail"
)

// The package's refusals.
var (
	ErrNotFound = db.ErrNotFound
	// ErrNotFunded: only an approved application's trip reports.
	ErrNotFunded = policy.ErrNotFunded
	// ErrNotEditable: submitted or accepted reports wait for the IPA.
	ErrNotEditable = refusal.Conflict("error.report.not_editable")
	ErrForbidden   = refusal.Forbidden("error.http.403")
	// ErrTripNotOver: a report tells what the trip achieved, so it is sent
	// once the trip has ended (a draft can be written before).
	ErrTripNotOver = refusal.Conflict("error.report.trip_not_over")
)

// Form is the report as typed; every value is kept as typed until submission.
type Form struct {
	Infants  string `json:"infants"`  // patients under one year
	Children string `json:"children"` // 1 to 17
	Adults   string `json:"adults"`

	OpenHeart      string `json:"open_heart"` // open-heart operations
	Bypass         string `json:"bypass"`     // of which on cardiopulmonary bypass
	Interventional string `json:"interventional"`

	DeathsDischarge string `json:"deaths_discharge"`
	Deaths30        string `json:"deaths_30"` // when known
	Complications   string `json:"complications"`
	LostFollowUp    string `json:"lost_follow_up"`
	FollowUpCare    string `json:"follow_up_care"`

	TrainedSurgeons      string `json:"trained_surgeons"`
	TrainedPerfusionists string `json:"trained_perfusionists"`
	TrainedNurses        string `json:"trained_nurses"`
	TrainedOther         string `json:"trained_other"`

	Spent string `json:"spent"`
	// SpentByLine is what was spent against each line of the application's
	// budget, in the budget's order.
	SpentByLine []string `json:"spent_by_line"`
	Narrative   string   `json:"narrative"`

	// Mix is the case mix as typed, by field name (MixFields); an empty
	// box is none.
	Mix        map[string]string `json:"mix,omitempty"`
	AdultScore string            `json:"adult_score,omitempty"` // euroscore2 or sts
	// The optional perfusion measures, PERForm's headings.
	PerfBypassCases   string `json:"perf_bypass_cases,omitempty"`
	PerfBypassMinutes string `json:"perf_bypass_minutes,omitempty"` // median
	PerfClampMinutes  string `json:"perf_clamp_minutes,omitempty"`  // median
	PerfTransfused    string `json:"perf_transfused,omitempty"`
	PerfLowestHct     string `json:"perf_lowest_hct,omitempty"` // median of each case's lowest haematocrit, %
}

// Figures are a report's checked numbers.
type Figures struct {
	Patients, Pediatric, OpenHeart, Bypass, Interventional, Deaths int
	Mix                                                            []MixRow
	AdultScore                                                     string // "" when no predicted mortality was given
	Perfusion                                                      *Perfusion
}

// Validate checks every figure and the figures against each other, naming
// each mistake on its field; amounts are read as a person whose language is
// lang writes them (money.Parse).
func (f *Form) Validate(lang string) (*Figures, error) {
	fe := i18n.FieldErrors{}
	num := func(name, v string, required bool) int {
		n, err := field.Int(v, required, 0, 100000)
		fe.Add(name, err)
		return n
	}
	infants, children, adults := num("infants", f.Infants, true), num("children", f.Children, true), num("adults", f.Adults, true)
	openHeart, bypass := num("open_heart", f.OpenHeart, true), num("bypass", f.Bypass, true)
	interventional := num("interventional", f.Interventional, true)
	deaths := num("deaths_discharge", f.DeathsDischarge, true)
	deaths30 := num("deaths_30", f.Deaths30, false)
	complications := num("complications", f.Complications, true)
	lost := num("lost_follow_up", f.LostFollowUp, true)
	for _, t := range []struct{ name, v string }{{"trained_surgeons", f.TrainedSurgeons}, {"trained_perfusionists", f.TrainedPerfusionists},
		{"trained_nurses", f.TrainedNurses}, {"trained_other", f.TrainedOther}} {
		num(t.name, t.v, false)
	}
	if strings.TrimSpace(f.Spent) != "" {
		_, err := money.Parse(f.Spent, lang)
		fe.Add("spent", err)
	}
	for i, v := range f.SpentByLine {
		if strings.TrimSpace(v) != "" {
			_, err := money.Parse(v, lang)
			fe.Add("spent_line_"+strconv.Itoa(i), err)
		}
	}
	fe.Add("follow_up_care", field.Text(f.FollowUpCare, false, 5000))
	fe.Add("narrative", field.Text(f.Narrative, true, 20000))
	if err := fe.Err(); err != nil {
		return nil, err
	}
	patients := infants + children + adults
	switch {
	case patients == 0:
		fe["adults"] = i18n.Msg("error.report.no_patients")
	case bypass > openHeart:
		fe["bypass"] = i18n.Msg("error.report.bypass_over_open_heart")
	}
	for _, c := range []struct {
		name string
		n    int
	}{{"deaths_discharge", deaths}, {"complications", complications}, {"lost_follow_up", lost}} {
		if c.n > patients {
			fe[c.name] = i18n.Msg("error.report.over_patients", "Patients", patients)
		}
	}
	// Deaths in hospital are counted whenever they occur (a death on day
	// 45 still in hospital is one) and deaths at 30 days are those within
	// 30 days of surgery, so neither count bounds the other.
	var known30 *int
	if strings.TrimSpace(f.Deaths30) != "" {
		known30 = &deaths30
	}
	mix, perf, score := f.validateMix(fe, infants+children, adults, bypass, deaths, known30)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return &Figures{Patients: patients, Pediatric: infants + children, OpenHeart: openHeart, Bypass: bypass,
		Interventional: interventional, Deaths: deaths, Mix: mix, AdultScore: score, Perfusion: perf}, nil
}

// Service runs report actions.
type Service struct {
	db      *sqlx.DB
	outbox  *mail.Outbox
	dueDays int
	base    string
	now     func() time.Time
}

// Options are what the service needs besides its database.
type Options struct {
	Outbox  *mail.Outbox
	DueDays int              // a report is due this long after the trip ends; 0: DefaultDueDays
	BaseURL string           // for links in emails
	Now     func() time.Time // the clock; nil: time.Now
}

// New builds the service.
func New(pool *sqlx.DB, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.DueDays <= 0 {
		o.DueDays = DefaultDueDays
	}
	return &Service{db: pool, outbox: o.Outbox, dueDays: o.DueDays, base: strings.TrimRight(o.BaseURL, "/"), now: o.Now}
}

// Report is a report as shown.
type Report struct {
	ApplicationID int64      `db:"application_id"`
	Status        string     `db:"status"`
	Data          []byte     `db:"data"`
	Form          Form       `db:"-"`
	DueOn         time.Time  `db:"due_on"`
	SubmittedAt   *time.Time `db:"submitted_at"`
	AcceptedAt    *time.Time `db:"accepted_at"`
	// The IPA's last review: when, by whom, and its note (what to
	// correct, when the report was sent back).
	ReviewedAt   *time.Time `db:"reviewed_at"`
	ReviewerName string     `db:"reviewer_name"`
	ReviewNote   string     `db:"review_note"`
}

// CorrectionsAsked reports whether the IPA sent the report back to the
// charity and waits for it again.
func (r *Report) CorrectionsAsked() bool { return r.Status == "corrections_requested" }

// Get returns application appID's report (an empty draft when none was
// started) if u may see it: the charity's members and the IPA. Only a
// funded trip reports.
func (s *Service) Get(ctx context.Context, u *account.User, appID int64) (*Report, error) {
	var r Report
	err := s.db.GetContext(ctx, &r, sqlGet,
		u.ID, u.IPA(), appID, s.dueDays)
	if err != nil {
		return nil, fmt.Errorf("report.Get: %w", db.NotFound(err))
	}
	_ = json.Unmarshal(r.Data, &r.Form)
	return &r, nil
}

// DueOn is the day the report of a trip that ended on tripEnd is due, as
// report-get computes it.
func (s *Service) DueOn(tripEnd time.Time) time.Time {
	return tripEnd.AddDate(0, 0, s.dueDays)
}

// Save keeps the form as typed while the report is a draft or back for corrections.
func (s *Service) Save(ctx context.Context, u *account.User, appID int64, f Form) error {
	raw, _ := json.Marshal(f)
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := policy.Check(ctx, tx, u, appID, s.now(), policy.Share, policy.WriteReport); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, sqlSave, appID, raw, s.now())
		if err != nil {
			return fmt.Errorf("report.Save: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotEditable
		}
		return nil
	})
}

// Submit checks the saved report and sends it to the IPA.
func (s *Service) Submit(ctx context.Context, ac account.Actor, u *account.User, appID int64) error {
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := policy.Check(ctx, tx, u, appID, s.now(), policy.Share, policy.WriteReport); err != nil {
			return err
		}
		var r struct {
			Status string `db:"status"`
			Data   []byte `db:"data"`
		}
		if err := tx.GetContext(ctx, &r, sqlSubmitReport, appID); err != nil {
			return db.NotFound(err)
		}
		if r.Status != "draft" && r.Status != "corrections_requested" {
			return ErrNotEditable
		}
		var f Form
		_ = json.Unmarshal(r.Data, &f)
		fig, err := f.Validate(u.Language)
		if err != nil {
			return err
		}
		var over bool // checked after the figures, so every mistake shows at once
		if err := tx.GetContext(ctx, &over, sqlSubmitApplication,
			appID, s.now().UTC().Format(time.DateOnly)); err != nil {
			return err
		}
		if !over {
			return ErrTripNotOver
		}
		if _, err := tx.ExecContext(ctx, sqlSubmitUpdate,
			appID, fig.Patients, fig.Pediatric, fig.OpenHeart, fig.Bypass, fig.Interventional, fig.Deaths, s.now()); err != nil {
			return fmt.Errorf("report.Submit: %w", err)
		}
		if err := writeMix(ctx, tx, appID, fig); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, ac.Event("report.submitted", "application", appID, map[string]any{"patients": fig.Patients})); err != nil {
			return err
		}
		return s.notifyAdmins(ctx, tx, appID)
	})
}

// notifyAdmins tells the IPA's admins (who take mail, and are not of the
// charity) that a report waits for their review.
func (s *Service) notifyAdmins(ctx context.Context, tx *sqlx.Tx, appID int64) error {
	var app struct {
		Title        string `db:"title"`
		Organization string `db:"legal_name"`
		OrgID        int64  `db:"organization_id"`
	}
	if err := tx.GetContext(ctx, &app, sqlNotifyAdminsApplication, appID); err != nil {
		return err
	}
	var to []struct {
		Email    string `db:"email"`
		Language string `db:"language"`
	}
	if err := tx.SelectContext(ctx, &to, sqlNotifyAdminsRecipients, app.OrgID); err != nil {
		return err
	}
	for _, r := range to {
		e := mailtmpl.ReportSubmitted{Title: app.Title, Organization: app.Organization, Link: s.base + "/applications/" + strconv.FormatInt(appID, 10) + "/report"}
		if err := s.outbox.Send(ctx, tx, r.Language, r.Email, e); err != nil {
			return err
		}
	}
	return nil
}

// Review is the IPA's answer to a submitted report: accepted, or back to
// the charity with a note of what to correct. By whom policy.ReviewReport
// allows: an admin not recused.
func (s *Service) Review(ctx context.Context, ac account.Actor, u *account.User, appID int64, accept bool, note string) error {
	note = strings.TrimSpace(note)
	if err := field.Text(note, !accept, 5000); err != nil { // required to send the report back
		return i18n.FieldErrors{"note": err.(i18n.Message)}
	}
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := policy.Check(ctx, tx, u, appID, s.now(), policy.Update, policy.ReviewReport); err != nil {
			return err
		}
		status, action := "corrections_requested", "report.corrections_requested"
		if accept {
			status, action = "accepted", "report.accepted"
		}
		res, err := tx.ExecContext(ctx, sqlReviewUpdate,
			appID, status, accept, s.now(), u.ID, note)
		if err != nil {
			return fmt.Errorf("report.Review: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotEditable
		}
		if err := audit.Record(ctx, tx, ac.Event(action, "application", appID, map[string]any{"note": note})); err != nil {
			return err
		}
		if !accept { // the corrections go in the application's thread too, where the charity answers and they stay
			if _, err := tx.ExecContext(ctx, sqlReviewMessageInsert, appID, u.ID, note, s.now()); err != nil {
				return fmt.Errorf("report.Review: %w", err)
			}
		}
		return s.notifyMembers(ctx, tx, appID, func(title string) mailtmpl.Email {
			return mailtmpl.ReportReviewed{Title: title, Accepted: accept, Note: note,
				Link: s.base + "/applications/" + strconv.FormatInt(appID, 10) + "/report"}
		})
	})
}

// Accepted reports whether appID's report has been accepted (the award's
// report-gated instalments wait for it).
func Accepted(ctx context.Context, q db.Querier, appID int64) (bool, error) {
	var ok bool
	err := q.GetContext(ctx, &ok, sqlAccepted, appID)
	return ok, err
}

// DefaultDueDays: a report is due this many days after the trip ends.
const DefaultDueDays = 60

// OverdueForOrganization reports whether organization orgID has a report
// overdue on day today: its next application does not pass screening until
// the report is in.
func OverdueForOrganization(ctx context.Context, q db.Querier, orgID int64, today time.Time, dueDays int) (bool, error) {
	var late bool
	err := q.GetContext(ctx, &late, sqlOverdueForOrganization, orgID, today.UTC(), dueDays)
	return late, err
}

// overdue is the rule, in SQL, for a funded trip whose report is late on
// the day dayExpr: ended more than daysExpr days before it, report neither
// submitted nor accepted (report_in, kept by a trigger on reports:
// migrations/00016_report_due.sql); written so that
// applications_report_owed_idx finds them. report.sql writes the same rule
// out in report-overdue-for-organization.
func overdue(dayExpr, daysExpr string) string {
	return `a.status = 'approved' AND NOT a.report_in AND a.trip_end < ` + dayExpr + `::date - ` + daysExpr + `::int`
}

// Overdue lists the first limit applications whose reports are late, the
// longest overdue first, and how many there are in all, for the admins.
// The count is summed from the reports owed by day of the trip's end
// (owed_reports, kept by migrations/00024_counts_and_search.sql's
// triggers), not counted from every application that owes one.
//
// Its SQL stays in Go: the day, the days and the limit are written into
// the statement. As arguments, PostgreSQL planned it afresh at every view
// (0.18 ms); written out, the statement is planned once a day on each
// connection.
func (s *Service) Overdue(ctx context.Context, limit int) ([]int64, int, error) {
	day := "date " + pq.QuoteLiteral(s.now().UTC().Format(time.DateOnly))
	days := strconv.Itoa(s.dueDays)
	return firstIDs(ctx, s.db, `SELECT a.id, (SELECT sum(n) FROM owed_reports WHERE trip_end < `+day+` - `+days+`) AS total
		FROM applications a WHERE `+overdue(day, days)+`
		ORDER BY a.trip_end, a.id LIMIT `+strconv.Itoa(limit))
}

// AwaitingReview lists the first limit applications whose reports are
// submitted and wait for the IPA's review, oldest submission first, and how
// many there are in all.
func (s *Service) AwaitingReview(ctx context.Context, limit int) ([]int64, int, error) {
	return firstIDs(ctx, s.db, sqlAwaitingReview, limit)
}

// firstIDs runs a query of (id, total) rows: the ids, and the total.
func firstIDs(ctx context.Context, q db.Querier, query string, args ...any) ([]int64, int, error) {
	var rows []struct {
		ID    int64 `db:"id"`
		Total int   `db:"total"`
	}
	if err := q.SelectContext(ctx, &rows, query, args...); err != nil || len(rows) == 0 {
		return nil, 0, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids, rows[0].Total, nil
}

// notifyMembers mails the charity's members of appID the message e says
// about the application of that title.
func (s *Service) notifyMembers(ctx context.Context, tx *sqlx.Tx, appID int64, e func(title string) mailtmpl.Email) error {
	var to []struct {
		Email    string `db:"email"`
		Language string `db:"language"`
		Title    string `db:"title"`
	}
	if err := tx.SelectContext(ctx, &to, sqlNotifyMembers, appID); err != nil {
		return err
	}
	for _, r := range to {
		if err := s.outbox.Send(ctx, tx, r.Language, r.Email, e(r.Title)); err != nil {
			return err
		}
	}
	return nil
}
