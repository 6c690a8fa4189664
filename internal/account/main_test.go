package account_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"

	"missiongrants/internal/account"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/i18n"
	"missiongrants/internal/job"
	"missiongrants/internal/mail"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var ctx = context.Background()

// clock is the services' time; tests move it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is one test's database, clock and service.
type env struct {
	t      *testing.T
	db     *sqlx.DB
	clock  *clock
	svc    *account.Service
	outbox *mail.Outbox
}

// web is a request's actor from a browser at a fixed address.
var web = account.Actor{IP: "203.0.113.9", UserAgent: "Mozilla/5.0 (test)", RequestID: "req-1"}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := dbtest.New(t)
	// An insert-only River client: mail is queued in river_job, where the
	// tests read it; delivery is tested in package job.
	queue, err := job.New(pool.DB, job.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	// Start on a step boundary, so moving by 30 s always gives a new TOTP code.
	start := time.Now().UTC().Truncate(time.Hour)
	e := &env{t: t, db: pool, clock: &clock{t: start}, outbox: &mail.Outbox{Composer: mail.NewComposer(cat), Queue: queue}}
	e.svc = e.service(account.Limits{})
	return e
}

// service is another Service on the same database and clock (another
// process), with limits (zero: the defaults).
func (e *env) service(l account.Limits) *account.Service {
	return account.New(e.db, account.Options{Outbox: e.outbox, BaseURL: "https://grants.example.org/", Now: e.clock.Now, Limits: l})
}

// mails returns the messages queued for to, oldest first.
func (e *env) mails(to string) []mail.Message {
	e.t.Helper()
	var rows [][]byte
	if err := e.db.Select(&rows, `SELECT args FROM river_job WHERE kind = 'mail.send' ORDER BY id`); err != nil {
		e.t.Fatal(err)
	}
	var out []mail.Message
	for _, raw := range rows {
		var args job.MailArgs
		if err := json.Unmarshal(raw, &args); err != nil {
			e.t.Fatal(err)
		}
		if strings.EqualFold(args.Message.To, to) {
			out = append(out, args.Message)
		}
	}
	return out
}

// lastMail is the newest message to to; its subject must contain subject.
func (e *env) lastMail(to, subject string) mail.Message {
	e.t.Helper()
	ms := e.mails(to)
	if len(ms) == 0 {
		e.t.Fatalf("no mail to %s", to)
	}
	m := ms[len(ms)-1]
	if !strings.Contains(m.Subject, subject) {
		e.t.Fatalf("last mail to %s is %q, want %q", to, m.Subject, subject)
	}
	return m
}

var tokenRE = regexp.MustCompile(`\?token=([A-Za-z0-9_-]+)`)

// token is the one-time token in the link of the newest mail to to.
func (e *env) token(to, subject string) string {
	e.t.Helper()
	m := e.lastMail(to, subject)
	match := tokenRE.FindStringSubmatch(m.Text)
	if match == nil {
		e.t.Fatalf("no link in %q", m.Text)
	}
	return match[1]
}

// auditCount counts audit rows of action.
func (e *env) auditCount(action string) int {
	e.t.Helper()
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM audit WHERE action = $1`, action); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// applicant signs up and confirms, returning the account.
func (e *env) applicant(email, password string) *account.User {
	e.t.Helper()
	if err := e.svc.Signup(ctx, web, account.SignupInput{Name: "Ana Pérez", Email: email, Password: password, Language: "en"}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.ConfirmEmail(ctx, web, e.token(email, "Confirm")); err != nil {
		e.t.Fatal(err)
	}
	u, err := e.svc.Authenticate(ctx, web, email, password)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// login opens a session for u (who has no TOTP) and returns its actor.
func (e *env) login(u *account.User) account.Actor {
	e.t.Helper()
	sid, err := e.svc.CreateSession(ctx, web, u.ID, account.LoginPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	a := web
	a.UserID, a.SessionID = u.ID, sid
	return a
}

// enrol turns TOTP on for the logged-in a and returns the secret and codes.
func (e *env) enrol(a account.Actor) (string, []string) {
	e.t.Helper()
	en, err := e.svc.BeginEnrolment(ctx, a)
	if err != nil {
		e.t.Fatal(err)
	}
	codes, err := e.svc.ConfirmEnrolment(ctx, a, code(en.Secret, e.clock.Now()))
	if err != nil {
		e.t.Fatal(err)
	}
	e.clock.Add(30 * time.Second) // the next code is a new one
	return en.Secret, codes
}

// admin creates an admin with TOTP on, logged in.
func (e *env) admin(email string) account.Actor {
	e.t.Helper()
	u, err := e.svc.CreateAdmin(ctx, email, "Ida Admin", "correct horse battery staple")
	if err != nil {
		e.t.Fatal(err)
	}
	a := e.login(u)
	e.enrol(a)
	return a
}

// code is the TOTP code for secret at t.
func code(secret string, t time.Time) string {
	c, err := hotp.GenerateCodeCustom(secret, uint64(t.Unix()/30), hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		panic(err)
	}
	return c
}

// fieldError is the message key for field in err, or "".
func fieldError(err error, field string) string {
	var fe account.FieldErrors
	if !errors.As(err, &fe) {
		return ""
	}
	return fe[field].Key
}
