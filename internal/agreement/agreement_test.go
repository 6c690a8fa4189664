package agreement_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/agreement"
	"missiongrants/internal/award"
	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail/mailtest"
	"missiongrants/internal/papers"
	"missiongrants/internal/policy"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type fixture struct {
	db                *sqlx.DB
	agreements        *agreement.Service
	awards            *award.Service
	admin, admin2     *account.User
	signatory, member *account.User
	app               int64
	now               time.Time
	mail              *mailtest.Outbox
}

// setup: an approved application of a Spanish charity with a signatory
// (who registered it) and another member, and an award of US$18,000.
func setup(t *testing.T) *fixture {
	t.Helper()
	pool := dbtest.New(t)
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: pool, now: time.Date(2027, 1, 10, 15, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return f.now }
	f.mail = mailtest.NewOutbox(t)
	f.agreements = agreement.New(pool, agreement.Options{Outbox: f.mail.Outbox, BaseURL: "https://grants.example.org", Papers: papers.New(cat), ReportDueDays: 60, Now: clock})
	f.awards = award.New(pool, award.Options{Outbox: f.mail.Outbox, Agreements: f.agreements, Now: clock})
	f.admin = f.user(t, "admin@ipa.example", true, "en")
	f.admin2 = f.user(t, "admin2@ipa.example", true, "en")
	f.signatory = f.user(t, "lucia@corazones.example", false, "es")
	f.member = f.user(t, "pedro@corazones.example", false, "es")
	if err := pool.Get(&f.app, `
		WITH o AS (INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
			VALUES ('Corazones Unidos de Honduras', 'HN', '1', $1, now()) RETURNING id),
		m AS (INSERT INTO organization_members (organization_id, user_id, signatory) SELECT id, $1, true FROM o UNION ALL SELECT id, $2, false FROM o),
		r AS (INSERT INTO funding_rounds (name, rolling, budget_cents) VALUES ('2027', true, 10000000) RETURNING id)
		INSERT INTO applications (organization_id, round_id, status, version, title, country, trip_start, trip_end, amount_requested_cents, submitted_at, created_by)
		SELECT o.id, r.id, 'in_review', 1, 'Misión pediátrica', 'HN', '2027-03-06', '2027-03-15', 2000000, now(), $1 FROM o, r RETURNING id`,
		f.signatory.ID, f.member.ID); err != nil {
		t.Fatal(err)
	}
	dbtest.Approve(t, pool, f.app, 2000000, f.admin.ID)
	if _, err := f.awards.Create(context.Background(), act(f.admin), f.admin, f.app, award.Input{Amount: "18,000", Year: "2027",
		Instalments: []award.InstalmentInput{{Amount: "8,000", DueOn: "2027-02-01", Condition: "before_trip"}, {Amount: "10,000", DueOn: "2027-06-01", Condition: "report_accepted"}}}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) user(t *testing.T, email string, admin bool, lang string) *account.User {
	t.Helper()
	var u account.User
	if err := f.db.Get(&u, `INSERT INTO users (email, name, is_admin, email_confirmed_at, language) VALUES ($1, $1, $2, now(), $3)
		RETURNING id, email, name, is_admin, is_board, active, language`, email, admin, lang); err != nil {
		t.Fatal(err)
	}
	return &u
}

func act(u *account.User) account.Actor { return account.Actor{UserID: u.ID, IP: "190.4.1.20"} }

func (f *fixture) payment() award.PaymentInput {
	var inst int64
	if err := f.db.Get(&inst, `SELECT i.id FROM instalments i JOIN awards w ON w.id = i.award_id WHERE w.application_id = $1 AND i.position = 1`, f.app); err != nil {
		panic(err)
	}
	return award.PaymentInput{InstalmentID: inst, Amount: "8,000", PaidOn: "2027-01-09", Method: "wire", Reference: "W-1", IdempotencyKey: "pay-key-0000000001"}
}

// The award comes with its agreement in the charity's Spanish; no money
// moves before the signatory signs it, by the service or straight in SQL.
func TestNoPaymentBeforeTheSignature(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	g, err := f.agreements.Standing(ctx, f.app)
	if err != nil || g == nil || g.Signed() || g.Language != "es" {
		t.Fatalf("the award's agreement: %+v, %v", g, err)
	}
	// The signatory is asked to sign, in Spanish, with the way there; the
	// other member, who does not sign, is not.
	if m := f.mail.To(f.signatory.Email); len(m) != 1 || !strings.Contains(m[0].Text, "/applications/"+strconv.FormatInt(f.app, 10)+"/agreement") ||
		!strings.Contains(m[0].Subject, "Misión pediátrica") {
		t.Fatalf("the signatory was asked: %+v", m)
	}
	if m := f.mail.To(f.member.Email); len(m) != 0 {
		t.Errorf("a member who does not sign was asked to: %v", m[0].Subject)
	}
	if _, err := f.awards.Pay(ctx, act(f.admin), f.admin, f.app, f.payment()); !errors.Is(err, policy.ErrUnsigned) {
		t.Fatalf("paid before the signature: %v", err)
	}
	_, err = f.db.Exec(`INSERT INTO payments (instalment_id, award_id, amount_cents, paid_on, method, idempotency_key, recorded_by, recorded_at)
		SELECT i.id, i.award_id, 100, now(), 'wire', 'direct-key-000001', $2, now() FROM instalments i JOIN awards w ON w.id = i.award_id
		WHERE w.application_id = $1 AND i.position = 1`, f.app, f.admin.ID)
	if !db.IsCheckViolation(err, "agreement_signed") {
		t.Fatalf("the database took a payment before the signature: %v", err)
	}

	must(t, f.agreements.Sign(ctx, act(f.signatory), f.signatory, f.app, agreement.Signing{Name: "Lucía Martínez", Title: "Presidenta", Accept: true, IP: "190.4.1.20"}))
	if _, err := f.awards.Pay(ctx, act(f.admin), f.admin, f.app, f.payment()); err != nil {
		t.Fatalf("the payment after the signature: %v", err)
	}
}

// Only a signatory signs, having typed a name and title and ticked the
// statement; the signature is recorded once, with the SHA-256 of the PDF
// read, which the audit chain holds and the served file's unsigned pages
// reproduce; a signed agreement never changes.
func TestSignatureRecordsWhoWhenWhereAndWhatWasRead(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	if err := f.agreements.Sign(ctx, act(f.member), f.member, f.app, agreement.Signing{Name: "Pedro", Title: "Tesorero", Accept: true}); !errors.Is(err, policy.ErrNotSignatory) {
		t.Fatalf("a member who is not a signatory signed: %v", err)
	}
	if err := f.agreements.Sign(ctx, act(f.admin), f.admin, f.app, agreement.Signing{Name: "Ada", Title: "Admin", Accept: true}); !errors.Is(err, policy.ErrForbidden) {
		t.Fatalf("an admin signed for the charity: %v", err)
	}
	var fe i18n.FieldErrors
	if err := f.agreements.Sign(ctx, act(f.signatory), f.signatory, f.app, agreement.Signing{Name: " ", Title: "Presidenta"}); !errors.As(err, &fe) ||
		fe["signer_name"].Key == "" || fe["accept"].Key != "error.agreement.accept" {
		t.Fatalf("an empty name and no tick: %v", err)
	}

	g, _ := f.agreements.Standing(ctx, f.app)
	unsigned, _, err := f.agreements.PDF(ctx, f.signatory, f.app, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(unsigned)
	if hex.EncodeToString(sum[:]) != g.SHA256 {
		t.Fatal("the PDF served is not the one whose SHA-256 was issued")
	}
	f.now = f.now.Add(48 * time.Hour)
	must(t, f.agreements.Sign(ctx, act(f.signatory), f.signatory, f.app, agreement.Signing{Name: "Lucía Martínez", Title: "Presidenta", Accept: true, IP: "190.4.1.20"}))
	if err := f.agreements.Sign(ctx, act(f.signatory), f.signatory, f.app, agreement.Signing{Name: "Lucía", Title: "P", Accept: true}); !errors.Is(err, policy.ErrNoAgreement) {
		t.Fatalf("signed twice: %v", err)
	}

	signed, g2, err := f.agreements.PDF(ctx, f.admin, f.app, g.ID)
	if err != nil || !g2.Signed() {
		t.Fatalf("the signed copy: %v", err)
	}
	text := strings.Join(strings.Fields(testenv.PDFText(t, signed)), " ")
	for _, want := range []string{"Acuerdo de subvención", "Corazones Unidos de Honduras", "US$18.000,00", "Firmado por Lucía Martínez", "Presidenta",
		"12 ene 2027", "190.4.1.20", g.SHA256[:16]} {
		if !strings.Contains(text, want) {
			t.Errorf("the signed copy lacks %q", want)
		}
	}
	if !bytes.HasPrefix(signed, []byte("%PDF")) {
		t.Fatal("the signed copy is not a PDF")
	}
	var audited string
	if err := f.db.Get(&audited, `SELECT details->>'sha256' FROM audit WHERE action = 'agreement.signed' AND object_id = $1::text`, f.app); err != nil || audited != g.SHA256 {
		t.Fatalf("the audit chain holds %q (%v), want the issued PDF's %s", audited, err, g.SHA256)
	}
	var auditedTerms string
	terms, _ := f.agreements.Terms(ctx, g.ID)
	if err := f.db.Get(&auditedTerms, `SELECT details->>'terms' FROM audit WHERE action = 'agreement.signed' AND object_id = $1::text`, f.app); err != nil || auditedTerms != terms || !strings.Contains(terms, "US$18.000,00") {
		t.Fatalf("the audit chain holds the terms %q (%v), want those accepted", auditedTerms, err)
	}
	if _, err := f.db.Exec(`UPDATE agreements SET signer_name = 'Someone else' WHERE id = $1`, g.ID); !db.IsCheckViolation(err, "agreement_final") {
		t.Fatalf("the database let a signed agreement change: %v", err)
	}
	if _, err := f.db.Exec(`DELETE FROM agreements WHERE id = $1`, g.ID); !db.IsCheckViolation(err, "agreement_final") {
		t.Fatalf("the database let a signed agreement go: %v", err)
	}
	if err := f.agreements.Void(ctx, act(f.admin), f.admin, f.app, "typo"); !errors.Is(err, policy.ErrNoAgreement) {
		t.Fatalf("a signed agreement was voided: %v", err)
	}
}

// An admin voids an unsigned agreement with a reason and a corrected one,
// from the template as it reads now, takes its place; the voided one can
// no longer be signed, and stays on record.
func TestVoidAndIssueACorrectedAgreement(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	first, _ := f.agreements.Standing(ctx, f.app)
	if err := f.agreements.Void(ctx, act(f.signatory), f.signatory, f.app, "no"); !errors.Is(err, policy.ErrForbidden) {
		t.Fatalf("the charity voided its agreement: %v", err)
	}
	var fe i18n.FieldErrors
	if err := f.agreements.Void(ctx, act(f.admin), f.admin, f.app, ""); !errors.As(err, &fe) || fe["reason"].Key == "" {
		t.Fatalf("voided without a reason: %v", err)
	}
	must(t, f.agreements.SaveTemplates(ctx, act(f.admin), f.admin, map[string]string{"es": "Texto corregido para {organization}: {amount}."}))
	must(t, f.agreements.Void(ctx, act(f.admin), f.admin, f.app, "El importe de la segunda cuota estaba mal."))
	second, _ := f.agreements.Standing(ctx, f.app)
	if second == nil || second.ID == first.ID || second.Signed() {
		t.Fatalf("after voiding, the standing agreement is %+v", second)
	}
	terms, _ := f.agreements.Terms(ctx, second.ID)
	if terms != "Texto corregido para Corazones Unidos de Honduras: US$18.000,00." {
		t.Fatalf("the corrected agreement's terms: %q", terms)
	}
	if _, err := f.db.Exec(`UPDATE agreements SET signed_by = $2, signer_name = 'x', signer_title = 'x', statement = 'x', signed_at = now(), signed_pdf = ''
		WHERE id = $1`, first.ID, f.signatory.ID); !db.IsCheckViolation(err, "agreement_final") {
		t.Fatalf("the database let a voided agreement be signed: %v", err)
	}
	history, _ := f.agreements.History(ctx, f.app)
	if len(history) != 2 || history[1].VoidReason == nil || *history[1].VoidReason != "El importe de la segunda cuota estaba mal." {
		t.Fatalf("history %+v", history)
	}
}

// A template that names a word the portal does not fill in is refused
// beside its field, and nothing is saved.
func TestTemplateWithAnUnknownPlaceholder(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	before, _ := f.agreements.Template(ctx, "en")
	var fe i18n.FieldErrors
	err := f.agreements.SaveTemplates(ctx, act(f.admin), f.admin, map[string]string{"en": "Fine {amount}.", "es": "Mal {importe}."})
	if !errors.As(err, &fe) || fe["body_es"].Key != "error.agreement.placeholder" {
		t.Fatalf("an unknown placeholder: %v", err)
	}
	if after, _ := f.agreements.Template(ctx, "en"); after != before {
		t.Fatal("half the templates were saved")
	}
	if err := f.agreements.SaveTemplates(ctx, act(f.signatory), f.signatory, map[string]string{"en": "x"}); !errors.Is(err, policy.ErrForbidden) {
		t.Fatalf("a charity wrote the template: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
