package notify_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/db"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail/mailtest"
	"missiongrants/internal/notify"
	"missiongrants/internal/testenv"
	mailtmpl "missiongrants/templates/mail"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type fixture struct {
	db  *sqlx.DB
	out *mailtest.Outbox
	cat *i18n.Catalog
	now time.Time
	n   *notify.Notifier
}

func setup(t *testing.T) *fixture {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: dbtest.New(t), out: mailtest.NewOutbox(t), cat: cat, now: time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC)}
	f.n = notify.New(f.out.Outbox, f.clock)
	return f
}

func (f *fixture) clock() time.Time { return f.now }

// person adds an account and returns it as a notice's recipient.
func (f *fixture) person(t *testing.T, email, lang string, digest, active bool) notify.Recipient {
	t.Helper()
	var r notify.Recipient
	if err := f.db.Get(&r, `INSERT INTO users AS u (email, name, language, notify_digest, active) VALUES ($1, $1, $2, $3, $4)
		RETURNING u.id, u.email, u.language, u.notify_digest`, email, lang, digest, active); err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *fixture) send(t *testing.T, r notify.Recipient, e mailtmpl.Email) {
	t.Helper()
	if err := db.InTx(context.Background(), f.db, func(tx *sqlx.Tx) error { return f.n.Send(context.Background(), tx, r, e) }); err != nil {
		t.Fatal(err)
	}
}

type item struct {
	Subject string     `db:"subject"`
	Body    string     `db:"body"`
	Created time.Time  `db:"created_at"`
	Sent    *time.Time `db:"sent_at"`
}

func (f *fixture) items(t *testing.T, r notify.Recipient) []item {
	t.Helper()
	var out []item
	if err := f.db.Select(&out, `SELECT subject, body, created_at, sent_at FROM digest_items WHERE user_id = $1 ORDER BY id`, r.UserID); err != nil {
		t.Fatal(err)
	}
	return out
}

func opened(title string) mailtmpl.VoteOpened {
	return mailtmpl.VoteOpened{Title: title, Organization: "Corazones", Closes: time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC),
		Link: "https://grants.example.org/applications/7"}
}

// Who takes each notice gets it at once, in their language, and nothing
// waits for a summary.
func TestANoticeGoesAtOnceToWhoWantsEach(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ana := f.person(t, "ana@ipa.example", "es", false, true)
	f.send(t, ana, opened("Misión Santo Domingo"))
	m := f.out.To(ana.Email)
	if want := f.cat.T("es", "mail.vote_opened.subject", "Title", "Misión Santo Domingo"); len(m) != 1 || m[0].Subject != want {
		t.Fatalf("mailed %+v, want one %q", m, want)
	}
	if items := f.items(t, ana); len(items) != 0 {
		t.Errorf("kept for a summary too: %+v", items)
	}
}

// Who chose a summary gets no mail now: the notice is kept, already in
// their language, as its subject and text without the footer.
func TestANoticeWaitsForTheSummaryOfWhoChoseOne(t *testing.T) {
	t.Parallel()
	f := setup(t)
	bo := f.person(t, "bo@ipa.example", "es", true, true)
	e := opened("Misión Tegucigalpa")
	f.send(t, bo, e)
	if m := f.out.To(bo.Email); len(m) != 0 {
		t.Fatalf("mailed at once: %+v", m)
	}
	r := mailtmpl.Reader{Lang: "es", Cat: f.cat}
	items := f.items(t, bo)
	if len(items) != 1 || items[0].Subject != e.Subject(r) || items[0].Body != e.Text(r) || !items[0].Created.Equal(f.now) || items[0].Sent != nil {
		t.Fatalf("kept %+v, want subject %q, body %q, at %v, unsent", items, e.Subject(r), e.Text(r), f.now)
	}
	if strings.Contains(items[0].Body, f.cat.T("es", "mail.footer")) {
		t.Errorf("the kept notice has the footer: %q", items[0].Body)
	}
}

// A notice kept in a transaction that rolls back is gone with it.
func TestANoticeRolledBackIsNotKept(t *testing.T) {
	t.Parallel()
	f := setup(t)
	cy := f.person(t, "cy@ipa.example", "en", true, true)
	refused := errors.New("the action failed after the notice")
	err := db.InTx(context.Background(), f.db, func(tx *sqlx.Tx) error {
		if err := f.n.Send(context.Background(), tx, cy, opened("T")); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatal(err)
	}
	if items := f.items(t, cy); len(items) != 0 {
		t.Errorf("kept after a rollback: %+v", items)
	}
}

// The daily run mails each active person one summary of their waiting
// notices, in order, in their language; marks them sent; and a second run
// sends nothing. An inactive person's notices stay unsent.
func TestTheSummaryGathersEachPersonsNoticesOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	dee := f.person(t, "dee@ipa.example", "en", true, true)
	eva := f.person(t, "eva@ipa.example", "es", true, true)
	gone := f.person(t, "gone@ipa.example", "en", true, false)
	f.send(t, dee, opened("First trip"))
	f.send(t, dee, mailtmpl.VoteReminder{Title: "Second trip", Closes: f.now.Add(24 * time.Hour), Link: "https://grants.example.org/applications/8"})
	f.send(t, eva, opened("Misión Santo Domingo"))
	f.send(t, gone, opened("Nobody reads this"))

	f.now = f.now.Add(24 * time.Hour)
	sent, err := f.n.SendDigests(context.Background(), f.db)
	if err != nil || sent != 2 {
		t.Fatalf("sent %d summaries (%v), want 2", sent, err)
	}
	en := mailtmpl.Reader{Lang: "en", Cat: f.cat}
	m := f.out.To(dee.Email)
	if want := f.cat.T("en", "mail.digest.subject", "Count", 2); len(m) != 1 || m[0].Subject != want {
		t.Fatalf("dee got %+v, want one %q", m, want)
	}
	first, second := strings.Index(m[0].Text, opened("First trip").Subject(en)), strings.Index(m[0].Text, "Second trip")
	if first < 0 || second < first {
		t.Errorf("the summary does not list both notices in order:\n%s", m[0].Text)
	}
	if strings.Count(m[0].Text, f.cat.T("en", "mail.footer")) != 1 {
		t.Errorf("the summary does not have exactly one footer:\n%s", m[0].Text)
	}
	if m := f.out.To(eva.Email); len(m) != 1 || m[0].Subject != f.cat.T("es", "mail.digest.subject", "Count", 1) {
		t.Errorf("eva got %+v, want one summary of one notice in Spanish", m)
	}
	if m := f.out.To(gone.Email); len(m) != 0 {
		t.Errorf("an inactive account got %+v", m)
	}
	for _, r := range []notify.Recipient{dee, eva} {
		for _, it := range f.items(t, r) {
			if it.Sent == nil || !it.Sent.Equal(f.now) {
				t.Errorf("%s: notice %q not marked sent at %v: %v", r.Email, it.Subject, f.now, it.Sent)
			}
		}
	}
	if it := f.items(t, gone); len(it) != 1 || it[0].Sent != nil {
		t.Errorf("the inactive account's notice: %+v", it)
	}

	if sent, err := f.n.SendDigests(context.Background(), f.db); err != nil || sent != 0 {
		t.Errorf("a second run sent %d (%v), want 0", sent, err)
	}
	if n := len(f.out.Sent()); n != 2 {
		t.Errorf("%d mails in all, want the two summaries and no more", n)
	}
}

// Two processes running the summary together send each person one.
func TestTwoProcessesSendOneSummaryEach(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var people []notify.Recipient
	for _, email := range []string{"p1@ipa.example", "p2@ipa.example", "p3@ipa.example", "p4@ipa.example"} {
		r := f.person(t, email, "en", true, true)
		f.send(t, r, opened("A"))
		f.send(t, r, opened("B"))
		people = append(people, r)
	}
	other := notify.New(f.out.Outbox, f.clock)
	start := make(chan struct{})
	var wg sync.WaitGroup
	counts := make([]int, 2)
	errs := make([]error, 2)
	for i, n := range []*notify.Notifier{f.n, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			counts[i], errs[i] = n.SendDigests(context.Background(), f.db)
		}()
	}
	close(start)
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	if counts[0]+counts[1] != len(people) {
		t.Errorf("the two runs sent %d and %d summaries, want %d in all", counts[0], counts[1], len(people))
	}
	want := f.cat.T("en", "mail.digest.subject", "Count", 2)
	for _, r := range people {
		if m := f.out.To(r.Email); len(m) != 1 || m[0].Subject != want {
			t.Errorf("%s got %d summaries (%+v), want one of both notices", r.Email, len(m), m)
		}
	}
}
