package report_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail/mailtest"
	"missiongrants/internal/report"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func goodForm() report.Form {
	return report.Form{Infants: "2", Children: "10", Adults: "6", OpenHeart: "15", Bypass: "13", Interventional: "3",
		DeathsDischarge: "1", Deaths30: "1", Complications: "2", LostFollowUp: "0", Narrative: "18 patients operated.", Spent: "17500",
		Mix: goodMix(), AdultScore: "euroscore2"}
}

// goodMix is goodForm's case mix: 12 children, 6 adults, the death in
// hospital in category 3.
func goodMix() map[string]string {
	return map[string]string{
		"mix_child_2_cases": "8", "mix_child_2_ssi": "1",
		"mix_child_3_cases": "4", "mix_child_3_deaths_hospital": "1",
		"mix_adult_valve_cases": "6", "mix_adult_valve_predicted": "12,5",
	}
}

func TestFiguresAreCheckedAgainstEachOther(t *testing.T) {
	fig, err := func() (*report.Figures, error) { f := goodForm(); f.AdultScore = "euroscore2"; return f.Validate("en") }()
	if err != nil || fig.Patients != 18 || fig.Pediatric != 12 {
		t.Fatalf("%+v, %v", fig, err)
	}
	valve := fig.Mix[len(report.ChildCategories)+1]
	if valve.Category != "valve" || valve.Cases != 6 || !valve.HasPredicted || valve.Predicted != 0.125 {
		t.Errorf("the adults' valve row: %+v", valve)
	}
	// A death in hospital on day 45 is a death before discharge and not
	// one at 30 days: neither count bounds the other.
	f := goodForm()
	f.AdultScore, f.Deaths30 = "sts", "0"
	if _, err := f.Validate("es"); err != nil {
		t.Errorf("deaths at 30 days fewer than before discharge: %v", err)
	}
	f.DeathsDischarge, f.Deaths30, f.Mix["mix_child_3_deaths_hospital"], f.Mix["mix_child_2_deaths_after"] = "0", "2", "", "2"
	if _, err := f.Validate("es"); err != nil {
		t.Errorf("deaths at 30 days after discharge, none before: %v", err)
	}
	cases := []struct {
		change func(f *report.Form)
		field  string
		key    string
	}{
		{func(f *report.Form) { f.Bypass = "16" }, "bypass", "error.report.bypass_over_open_heart"},
		{func(f *report.Form) { f.DeathsDischarge = "19" }, "deaths_discharge", "error.report.over_patients"},
		{func(f *report.Form) { f.LostFollowUp = "40" }, "lost_follow_up", "error.report.over_patients"},
		{func(f *report.Form) { f.Mix["mix_child_3_deaths_hospital"] = "5" }, "mix_child_3_deaths_hospital", "error.outcomes.over_cases"},
		{func(f *report.Form) { f.Mix["mix_child_3_deaths_after"] = "4" }, "mix_child_3_deaths_after", "error.outcomes.deaths_over_cases"},
		{func(f *report.Form) { f.Mix["mix_child_2_bsi"] = "9" }, "mix_child_2_bsi", "error.outcomes.over_cases"},
		{func(f *report.Form) { f.Mix["mix_child_1_cases"] = "1" }, "mix_child", "error.outcomes.child_total"},
		{func(f *report.Form) { f.Mix["mix_child_2_deaths_hospital"] = "1" }, "mix_child", "error.outcomes.child_deaths_hospital"},
		{func(f *report.Form) { f.Mix["mix_adult_valve_cases"] = "5" }, "mix_adult", "error.outcomes.adult_total"},
		{func(f *report.Form) { f.Mix["mix_adult_valve_deaths"] = "7" }, "mix_adult_valve_deaths", "error.outcomes.over_cases"},
		{func(f *report.Form) { f.Mix["mix_adult_valve_predicted"] = "601" }, "mix_adult_valve_predicted", "error.outcomes.predicted_over_cases"},
		{func(f *report.Form) { f.AdultScore = "" }, "adult_score", "error.field.choose"},
		{func(f *report.Form) { f.PerfBypassMinutes, f.PerfClampMinutes = "90", "120" }, "perf_clamp_minutes", "error.outcomes.clamp_over_bypass"},
		{func(f *report.Form) { f.PerfBypassCases = "14" }, "perf_bypass_cases", "error.outcomes.perf_over_bypass"},
		{func(f *report.Form) { f.Infants, f.Children, f.Adults = "0", "0", "0" }, "adults", "error.report.no_patients"},
		{func(f *report.Form) { f.Adults = "seis" }, "adults", "error.number.invalid"},
		{func(f *report.Form) { f.Spent = "-5" }, "spent", "error.money.negative"},
	}
	for _, tc := range cases {
		f := goodForm()
		f.AdultScore = "euroscore2"
		tc.change(&f)
		_, err := f.Validate("en")
		var fe i18n.FieldErrors
		if !errors.As(err, &fe) || fe[tc.field].Key != tc.key {
			t.Errorf("%s: %v", tc.key, err)
		}
	}
}

type fixture struct {
	db     *sqlx.DB
	svc    *report.Service
	outbox *mailtest.Outbox
	member *account.User
	admin  *account.User
	org    int64
	app    int64
	now    time.Time
}

// setup: a funded trip to Honduras that ended on 2027-03-10, with the host
// contact named in its submitted version.
func setup(t *testing.T) *fixture {
	t.Helper()
	pool := dbtest.New(t)
	f := &fixture{db: pool, outbox: mailtest.NewOutbox(t), now: time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC)}
	f.svc = report.New(pool, report.Options{Outbox: f.outbox.Outbox, DueDays: 60, BaseURL: "https://grants.example.org", Now: func() time.Time { return f.now }})
	for _, u := range []struct {
		email string
		admin bool
		into  **account.User
	}{{"rosa@corazones.example", false, &f.member}, {"admin@ipa.example", true, &f.admin}} {
		var user account.User
		if err := pool.Get(&user, `INSERT INTO users (email, name, is_admin, email_confirmed_at, language) VALUES ($1, $1, $2, now(), 'es')
			RETURNING id, email, name, is_admin, is_board, active, language`, u.email, u.admin); err != nil {
			t.Fatal(err)
		}
		*u.into = &user
	}
	err := pool.QueryRow(`
		WITH o AS (INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
			VALUES ('Corazones', 'HN', '1', $1, now()) RETURNING id),
		m AS (INSERT INTO organization_members (organization_id, user_id) SELECT id, $1 FROM o),
		r AS (INSERT INTO funding_rounds (name, rolling) VALUES ('R', true) RETURNING id),
		a AS (INSERT INTO applications (organization_id, round_id, status, version, title, country, trip_start, trip_end, submitted_at, created_by)
			SELECT o.id, r.id, 'approved', 1, 'Misión Tegucigalpa', 'HN', '2027-03-01', '2027-03-10', now(), $1 FROM o, r RETURNING id, organization_id)
		INSERT INTO application_versions (application_id, version, data, submitted_by, submitted_at)
		SELECT id, 1, '{"host_contact_email": "host@hospital.example"}', $1, now() FROM a RETURNING application_id, (SELECT organization_id FROM a)`,
		f.member.ID).Scan(&f.app, &f.org)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func act(u *account.User) account.Actor { return account.Actor{UserID: u.ID} }

func TestReportSubmittedReviewedAndCounted(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	half := report.Form{Adults: "6", Bypass: "20"}
	if err := f.svc.Save(ctx, f.member, f.app, half); err != nil {
		t.Fatal(err)
	}
	var fe i18n.FieldErrors
	if err := f.svc.Submit(ctx, act(f.member), f.member, f.app); !errors.As(err, &fe) {
		t.Fatalf("an incomplete report went in: %v", err)
	}
	if err := f.svc.Save(ctx, f.member, f.app, goodForm()); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Submit(ctx, act(f.member), f.member, f.app); err != nil {
		t.Fatal(err)
	}
	// The case mix is kept by category, counts only, with the adults' score.
	var mix []report.MixRow
	if err := f.db.Select(&mix, `SELECT age_group, category, cases, deaths, coalesce(deaths_hospital, 0) AS deaths_hospital,
		coalesce(deaths_after, 0) AS deaths_after, coalesce(ssi, 0) AS ssi, coalesce(bsi, 0) AS bsi, coalesce(predicted, 0) AS predicted
		FROM report_case_mix WHERE application_id = $1 ORDER BY age_group DESC, category`, f.app); err != nil {
		t.Fatal(err)
	}
	want := []report.MixRow{{AgeGroup: "child", Category: "2", Cases: 8, SSI: 1}, {AgeGroup: "child", Category: "3", Cases: 4, Deaths: 1, DeathsHospital: 1},
		{AgeGroup: "adult", Category: "valve", Cases: 6, Predicted: 0.125}}
	if len(mix) != len(want) || mix[0] != want[0] || mix[1] != want[1] || mix[2] != want[2] {
		t.Errorf("the case mix kept: %+v", mix)
	}
	// The IPA's admins hear a report waits for their review.
	if m := f.outbox.To("admin@ipa.example"); len(m) != 1 || !strings.Contains(m[0].Text, "Misión Tegucigalpa") ||
		!strings.Contains(m[0].Text, "/applications/"+strconv.FormatInt(f.app, 10)+"/report") {
		t.Fatalf("the admin was told: %+v", m)
	}
	if err := f.svc.Save(ctx, f.member, f.app, half); !errors.Is(err, report.ErrNotEditable) {
		t.Fatalf("a submitted report was changed: %v", err)
	}
	if err := f.svc.Review(ctx, act(f.member), f.member, f.app, true, ""); !errors.Is(err, report.ErrForbidden) {
		t.Fatalf("the charity accepted its own report: %v", err)
	}
	if err := f.svc.Review(ctx, act(f.admin), f.admin, f.app, false, "Please split the pediatric cases by age."); err != nil {
		t.Fatal(err)
	}
	if m := f.outbox.To("rosa@corazones.example"); len(m) != 1 || m[0].Subject != "Se piden correcciones a su informe: Misión Tegucigalpa" {
		t.Fatalf("mail: %+v", m)
	}
	var inThread int
	if err := f.db.Get(&inThread, `SELECT count(*) FROM application_messages WHERE application_id = $1 AND from_ipa AND body LIKE 'Please split%'`, f.app); err != nil || inThread != 1 {
		t.Fatalf("the corrections are not in the thread (%d, %v)", inThread, err)
	}
	if err := f.svc.Submit(ctx, act(f.member), f.member, f.app); err != nil {
		t.Fatal(err)
	}
	if ok, _ := report.Accepted(ctx, f.db, f.app); ok {
		t.Fatal("accepted before the IPA said so")
	}
	if err := f.svc.Review(ctx, act(f.admin), f.admin, f.app, true, ""); err != nil {
		t.Fatal(err)
	}
	if ok, _ := report.Accepted(ctx, f.db, f.app); !ok {
		t.Fatal("not accepted")
	}
	cells, err := f.svc.Impact(ctx)
	if err != nil || len(cells) != 1 || cells[0].Country != "HN" || cells[0].Year != 2027 || cells[0].Patients != 18 || cells[0].Surgeries != 18 || cells[0].Bypass != 13 {
		t.Fatalf("impact %+v, %v", cells, err)
	}
}

// Reminders: two weeks before the due date and once late, to the charity
// and the host hospital, each once whatever the number of processes; an
// overdue report blocks the charity at screening.
func TestRemindersAndOverdue(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	// Due on 2027-05-09 (60 days after 2027-03-10).
	if n, _ := f.svc.RemindDue(ctx); n != 0 {
		t.Fatalf("reminded %d on %s", n, f.now)
	}
	f.now = time.Date(2027, 4, 28, 9, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	counts := make([]int, 3)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			other := report.New(f.db, report.Options{Outbox: f.outbox.Outbox, DueDays: 60, Now: func() time.Time { return f.now }})
			counts[i], _ = other.RemindDue(ctx)
		}()
	}
	wg.Wait()
	if counts[0]+counts[1]+counts[2] != 1 {
		t.Fatalf("the reminder went out %v times", counts)
	}
	if len(f.outbox.To("rosa@corazones.example")) != 1 || len(f.outbox.To("host@hospital.example")) != 1 {
		t.Fatalf("charity %d, host %d", len(f.outbox.To("rosa@corazones.example")), len(f.outbox.To("host@hospital.example")))
	}
	if late, _ := report.OverdueForOrganization(ctx, f.db, f.org, f.now, 60); late {
		t.Fatal("overdue before the due date")
	}
	f.now = time.Date(2027, 5, 10, 9, 0, 0, 0, time.UTC)
	if n, _ := f.svc.RemindDue(ctx); n != 1 {
		t.Fatalf("the late reminder went out %d times", n)
	}
	if n, _ := f.svc.RemindDue(ctx); n != 0 {
		t.Fatalf("the late reminder went out again (%d)", n)
	}
	if late, _ := report.OverdueForOrganization(ctx, f.db, f.org, f.now, 60); !late {
		t.Fatal("not overdue after the due date")
	}
	if ids, n, _ := f.svc.Overdue(ctx, 10); len(ids) != 1 || n != 1 || ids[0] != f.app {
		t.Fatalf("overdue list %v", ids)
	}

	// Submitted, the report is no longer late; sent back for corrections,
	// it is late again until it comes back.
	if err := f.svc.Save(ctx, f.member, f.app, goodForm()); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Submit(ctx, act(f.member), f.member, f.app); err != nil {
		t.Fatal(err)
	}
	if ids, n, _ := f.svc.Overdue(ctx, 10); len(ids) != 0 || n != 0 {
		t.Fatalf("a submitted report is still overdue: %v", ids)
	}
	if err := f.svc.Review(ctx, act(f.admin), f.admin, f.app, false, "Please add the pediatric cases."); err != nil {
		t.Fatal(err)
	}
	if late, _ := report.OverdueForOrganization(ctx, f.db, f.org, f.now, 60); !late {
		t.Fatal("a report sent back for corrections is not overdue")
	}
}

// A report sent back keeps the IPA's note with it, when and by whom, for
// the charity's page; the note is also in the application's thread, marked
// as being about the report.
func TestReportReturnedKeepsTheNote(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	if err := f.svc.Save(ctx, f.member, f.app, goodForm()); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Submit(ctx, act(f.member), f.member, f.app); err != nil {
		t.Fatal(err)
	}
	var fe i18n.FieldErrors
	if err := f.svc.Review(ctx, act(f.admin), f.admin, f.app, false, "  "); !errors.As(err, &fe) || fe["note"].Key != "error.field.required" {
		t.Fatalf("sent back without a note: %v", err)
	}
	f.now = f.now.Add(time.Hour)
	if err := f.svc.Review(ctx, act(f.admin), f.admin, f.app, false, " Please split the pediatric cases by age. "); err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.Get(ctx, f.member, f.app)
	if err != nil {
		t.Fatal(err)
	}
	if !r.CorrectionsAsked() || r.ReviewNote != "Please split the pediatric cases by age." || r.ReviewerName != f.admin.Name ||
		r.ReviewedAt == nil || !r.ReviewedAt.Equal(f.now) {
		t.Fatalf("the charity reads %+v", r)
	}
	var about string
	if err := f.db.Get(&about, `SELECT coalesce(about, '') FROM application_messages WHERE application_id = $1 AND from_ipa
		AND body = 'Please split the pediatric cases by age.'`, f.app); err != nil || about != "report_corrections" {
		t.Fatalf("the thread's message is about %q (%v)", about, err)
	}
}
