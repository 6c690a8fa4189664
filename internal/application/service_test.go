package application_test

import (
	"context"
	"errors"
	"fmt"
	"missiongrants/internal/policy"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"missiongrants/internal/account"
	"missiongrants/internal/application"
	"missiongrants/internal/dbtest"
	"missiongrants/internal/document"
	"missiongrants/internal/i18n"
	"missiongrants/internal/mail/mailtest"
	"missiongrants/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type fixture struct {
	svc                     *application.Service
	db                      *sqlx.DB
	queue                   *mailtest.Outbox
	owner, stranger, admin  *account.User
	board                   *account.User
	org, strangerOrg, round int64
	now                     time.Time
}

func setup(t *testing.T) *fixture {
	t.Helper()
	pool := dbtest.New(t)
	f := &fixture{db: pool, queue: mailtest.NewOutbox(t), now: time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)}
	f.svc = application.New(pool, application.Options{Outbox: f.queue.Outbox, BaseURL: "https://grants.example.org", Now: func() time.Time { return f.now }})
	f.owner = f.user(t, "owner@corazones.example", "es", false, false)
	f.stranger = f.user(t, "other@otra.example", "en", false, false)
	f.admin = f.user(t, "admin@ipa.example", "en", true, false)
	f.board = f.user(t, "board@ipa.example", "en", false, true)
	f.org = f.organization(t, f.owner, true)
	f.strangerOrg = f.organization(t, f.stranger, true)
	if err := pool.Get(&f.round, `INSERT INTO funding_rounds (name, opens_on, closes_on, budget_cents) VALUES ('2027 missions', '2026-11-01', '2026-12-31', 50000000) RETURNING id`); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) user(t *testing.T, email, lang string, admin, board bool) *account.User {
	t.Helper()
	var u account.User
	if err := f.db.Get(&u, `INSERT INTO users (email, name, language, is_admin, is_board, email_confirmed_at) VALUES ($1, $1, $2, $3, $4, now())
		RETURNING id, email, name, is_admin, is_board, active, language`, email, lang, admin, board); err != nil {
		t.Fatal(err)
	}
	return &u
}

func (f *fixture) organization(t *testing.T, member *account.User, eligible bool) int64 {
	t.Helper()
	var id int64
	err := f.db.Get(&id, `WITH o AS (INSERT INTO organizations (legal_name, country, registration_number, created_by, eligible_at)
		VALUES ($1, 'DO', '123', $2, CASE WHEN $3 THEN now() END) RETURNING id)
		INSERT INTO organization_members (organization_id, user_id) SELECT id, $2 FROM o RETURNING organization_id`, member.Email+" org", member.ID, eligible)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// documents gives application id every required document (rows only:
// uploading itself is the document package's business).
func (f *fixture) documents(t *testing.T, id int64) {
	t.Helper()
	for i, kind := range document.RequiredKinds() {
		_, err := f.db.Exec(`INSERT INTO documents (organization_id, application_id, kind, filename, content_type, size_bytes, sha256, storage_key, uploaded_by, uploaded_at)
			SELECT organization_id, id, $2, 'doc.pdf', 'application/pdf', 100, repeat('a', 64), $3, created_by, now() FROM applications WHERE id = $1`,
			id, kind, fmt.Sprintf("test/%d/%d", id, i))
		if err != nil {
			t.Fatal(err)
		}
	}
}

// save saves form as a page opened just now would: based on the draft's
// revision as it is.
func (f *fixture) save(ctx context.Context, u *account.User, id int64, form application.Form) (application.Saved, error) {
	base := application.NoBase
	if a, _, err := f.svc.Draft(ctx, u, id); err == nil {
		base = a.DraftRev
	}
	return f.svc.SaveDraft(ctx, u, id, application.Edit{Form: form, Base: base})
}

// submit sends the draft as a person who has just checked it would: seen
// at its revision as it is.
func (f *fixture) submit(ctx context.Context, u *account.User, id int64) error {
	seen := application.NoBase
	if a, _, err := f.svc.Draft(ctx, u, id); err == nil {
		seen = a.DraftRev
	}
	return f.svc.Submit(ctx, act(u), u, id, seen)
}

func act(u *account.User) account.Actor { return account.Actor{UserID: u.ID, IP: "198.51.100.7"} }

func TestDraftSubmitAskResubmitWithVersionsAndDiff(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	id, err := f.svc.Create(ctx, act(f.owner), f.owner, f.org, f.round)
	if err != nil {
		t.Fatal(err)
	}
	// A first sitting saves half a form, a mistake included: kept as typed.
	half := application.Form{Title: "Misión 2027", AmountRequested: "20.000,0x"}
	if _, err := f.save(ctx, f.owner, id, half); err != nil {
		t.Fatal(err)
	}
	_, got, err := f.svc.Draft(ctx, f.owner, id)
	if err != nil || got.Title != "Misión 2027" || got.AmountRequested != "20.000,0x" {
		t.Fatalf("draft = %+v, %v", got, err)
	}
	// Submitting it names what is missing and changes nothing.
	err = f.submit(ctx, f.owner, id)
	var fe i18n.FieldErrors
	if !errors.As(err, &fe) || fe["amount_requested"].Key != "error.money.invalid" || fe["city"].Key != "error.field.required" ||
		fe["documents"].Key != "error.app.documents_missing" {
		t.Fatalf("submit of half a form: %v", err)
	}
	if a, _ := f.svc.Get(ctx, f.owner, id); a.Status != policy.Draft || a.Version != 0 {
		t.Fatalf("after a refused submit: %+v", a)
	}

	// The second sitting completes it, with its documents, and submits.
	f.documents(t, id)
	full := application.ValidFormForTests()
	saved, err := f.save(ctx, f.owner, id, full)
	if err != nil {
		t.Fatal(err)
	}
	// Sent as checked before that save: refused as stale, nothing sent.
	if err := f.svc.Submit(ctx, act(f.owner), f.owner, id, saved.Rev-1); !errors.Is(err, application.ErrChangedSinceChecked) {
		t.Fatalf("submit of a revision since saved over: %v", err)
	}
	if a, _ := f.svc.Get(ctx, f.owner, id); a.Status != policy.Draft || a.Version != 0 {
		t.Fatalf("after a stale submit: %+v", a)
	}
	if err := f.svc.Submit(ctx, act(f.owner), f.owner, id, saved.Rev); err != nil {
		t.Fatal(err)
	}
	a, _ := f.svc.Get(ctx, f.owner, id)
	if a.Status != policy.Submitted || a.Version != 1 || a.AmountRequested != 2000000 || a.Title != full.Title {
		t.Fatalf("submitted: %+v", a)
	}
	if len(f.queue.To("admin@ipa.example")) != 1 {
		t.Errorf("admins were not told of the submission")
	}
	if m := f.queue.To("owner@corazones.example"); len(m) != 1 || !contains(m[0].Subject, "Recibimos su solicitud") || !contains(m[0].Text, full.Title) {
		t.Errorf("the charity's receipt, in Spanish: %+v", m)
	}
	var frozen int
	if err := f.db.Get(&frozen, `SELECT count(*) FROM application_version_documents WHERE application_id = $1 AND version = 1`, id); err != nil || frozen != len(document.RequiredKinds()) {
		t.Errorf("version 1 keeps %d documents (%v)", frozen, err)
	}
	// What the board reviews is frozen.
	if _, err := f.save(ctx, f.owner, id, half); !errors.Is(err, application.ErrNotEditable) {
		t.Errorf("a submitted application was edited: %v", err)
	}

	// The IPA asks; the charity is told in Spanish, amends and resubmits.
	if err := f.svc.RequestInfo(ctx, act(f.admin), f.admin, id, "¿Cuántos niños están en lista de espera?"); err != nil {
		t.Fatal(err)
	}
	if m := f.queue.To("owner@corazones.example"); len(m) != 2 || m[1].Subject != "La IPA pide más información: "+full.Title {
		t.Fatalf("mail to the charity: %+v", m)
	}
	amended := full
	amended.AmountRequested = "18000"
	if _, err := f.save(ctx, f.owner, id, amended); err != nil {
		t.Fatal(err)
	}
	if err := f.submit(ctx, f.owner, id); err != nil {
		t.Fatal(err)
	}
	versions, err := f.svc.Versions(ctx, f.board, id)
	if err != nil || len(versions) != 2 {
		t.Fatalf("versions: %d, %v", len(versions), err)
	}
	changes := application.Diff(versions[0].Form, versions[1].Form)
	if len(changes) != 1 || changes[0].Field != "amount_requested" || changes[0].New != "18000" {
		t.Fatalf("diff: %+v", changes)
	}
	timeline, _ := f.svc.Timeline(ctx, f.owner, id)
	var events []string
	for _, e := range timeline {
		events = append(events, e.Event)
	}
	if want := "created submit request_info resubmit"; join(events) != want {
		t.Fatalf("timeline %q, want %q", join(events), want)
	}
	msgs, _ := f.svc.Messages(ctx, f.owner, id)
	if len(msgs) != 1 || !msgs[0].FromIPA {
		t.Fatalf("thread: %+v", msgs)
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func TestAnotherCharityCannotTouchAnApplication(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	id, err := f.svc.Create(ctx, act(f.owner), f.owner, f.org, f.round)
	if err != nil {
		t.Fatal(err)
	}
	before, _, _ := f.svc.Draft(ctx, f.owner, id)
	for name, err := range map[string]error{
		"get":      errOf(f.svc.Get(ctx, f.stranger, id)),
		"draft":    errOf3(f.svc.Draft(ctx, f.stranger, id)),
		"save":     errOf(f.save(ctx, f.stranger, id, application.Form{Title: "hijacked"})),
		"submit":   f.submit(ctx, f.stranger, id),
		"withdraw": f.svc.Withdraw(ctx, act(f.stranger), f.stranger, id),
		"message":  f.svc.PostMessage(ctx, act(f.stranger), f.stranger, id, "hello"),
		"timeline": errOf(f.svc.Timeline(ctx, f.stranger, id)),
		"versions": errOf(f.svc.Versions(ctx, f.stranger, id)),
		"create":   errOf(f.svc.Create(ctx, act(f.stranger), f.stranger, f.org, f.round)),
	} {
		if !errors.Is(err, application.ErrNotFound) {
			t.Errorf("%s by another charity: %v, want not found", name, err)
		}
	}
	after, _, _ := f.svc.Draft(ctx, f.owner, id)
	if after.Status != before.Status || after.DraftTitle != before.DraftTitle {
		t.Errorf("changed: %+v", after)
	}
	if mine, _ := f.svc.ForUser(ctx, f.stranger); len(mine) != 0 {
		t.Errorf("another charity lists %d applications", len(mine))
	}
	// The board sees it but cannot act for the charity.
	if _, err := f.svc.Get(ctx, f.board, id); err != nil {
		t.Errorf("board: %v", err)
	}
	if _, err := f.save(ctx, f.board, id, application.Form{}); !errors.Is(err, application.ErrForbidden) {
		t.Errorf("board edited a draft: %v", err)
	}
	if err := f.svc.Withdraw(ctx, act(f.board), f.board, id); !errors.Is(err, policy.ErrForbidden) {
		t.Errorf("board withdrew: %v", err)
	}
}

func errOf[T any](_ T, err error) error { return err }

func errOf3[A, B any](_ A, _ B, err error) error { return err }

func TestClosedRoundsAndIneligibleCharities(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	id, err := f.svc.Create(ctx, act(f.owner), f.owner, f.org, f.round)
	if err != nil {
		t.Fatal(err)
	}
	f.documents(t, id)
	if _, err := f.save(ctx, f.owner, id, application.ValidFormForTests()); err != nil {
		t.Fatal(err)
	}
	f.now = time.Date(2027, 1, 5, 12, 0, 0, 0, time.UTC) // the round closed on 2026-12-31
	if err := f.submit(ctx, f.owner, id); !errors.Is(err, application.ErrRoundClosed) {
		t.Fatalf("submitted into a closed round: %v", err)
	}
	if _, d, err := f.svc.Draft(ctx, f.owner, id); err != nil || d.Title == "" {
		t.Fatalf("the draft was lost: %v", err)
	}
	if _, err := f.svc.Create(ctx, act(f.owner), f.owner, f.org, f.round); !errors.Is(err, application.ErrRoundClosed) {
		t.Errorf("a new draft in a closed round: %v", err)
	}
	newcomer := f.user(t, "new@nueva.example", "es", false, false)
	org := f.organization(t, newcomer, false)
	if _, err := f.svc.Create(ctx, act(newcomer), newcomer, org, f.round); !errors.Is(err, application.ErrNotEligible) {
		t.Errorf("an organization that did not pass eligibility applied: %v", err)
	}
}

// Two admins asking at the same moment move the application once.
func TestConcurrentMovesLandOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	id, _ := f.svc.Create(ctx, act(f.owner), f.owner, f.org, f.round)
	f.documents(t, id)
	if _, err := f.save(ctx, f.owner, id, application.ValidFormForTests()); err != nil {
		t.Fatal(err)
	}
	if err := f.submit(ctx, f.owner, id); err != nil {
		t.Fatal(err)
	}
	admin2 := f.user(t, "admin2@ipa.example", "en", true, false)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, u := range []*account.User{f.admin, admin2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f.svc.RequestInfo(ctx, act(u), u, id, "question")
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !errors.Is(err, policy.ErrInvalidTransition) {
			t.Errorf("unexpected: %v", err)
		}
	}
	var events int
	_ = f.db.Get(&events, `SELECT count(*) FROM application_events WHERE application_id = $1 AND event = 'request_info'`, id)
	if ok != 1 || events != 1 {
		t.Fatalf("%d moves succeeded, %d recorded; want 1 and 1", ok, events)
	}
}

// Each new message is mailed to the other side, each person in their language.
func TestMessagesMailTheOtherSide(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	id, _ := f.svc.Create(ctx, act(f.owner), f.owner, f.org, f.round)
	if err := f.svc.PostMessage(ctx, act(f.owner), f.owner, id, "¿Podemos enviar el presupuesto después?"); err != nil {
		t.Fatal(err)
	}
	if m := f.queue.To("admin@ipa.example"); len(m) != 1 || !contains(m[0].Subject, "New message about") || !contains(m[0].Text, "¿Podemos enviar el presupuesto después?") {
		t.Errorf("to the admin: %+v", m)
	}
	if len(f.queue.To("owner@corazones.example")) != 0 {
		t.Error("the author was mailed their own message")
	}
	if err := f.svc.PostMessage(ctx, act(f.admin), f.admin, id, "Yes, until the end of the month."); err != nil {
		t.Fatal(err)
	}
	if m := f.queue.To("owner@corazones.example"); len(m) != 1 || !contains(m[0].Subject, "Nuevo mensaje") {
		t.Errorf("to the charity, in Spanish: %+v", m)
	}
	// The board reads the thread but does not write in it.
	if err := f.svc.PostMessage(ctx, act(f.board), f.board, id, "hi"); !errors.Is(err, application.ErrForbidden) {
		t.Errorf("board wrote: %v", err)
	}
	// An empty message is refused beside its field.
	var fe i18n.FieldErrors
	if err := f.svc.PostMessage(ctx, act(f.owner), f.owner, id, "   "); !errors.As(err, &fe) || fe["body"].Key != "error.field.required" {
		t.Errorf("empty message: %v", err)
	}
	msgs, _ := f.svc.Messages(ctx, f.board, id)
	if len(msgs) != 2 || msgs[0].FromIPA || !msgs[1].FromIPA {
		t.Errorf("thread: %+v", msgs)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// The charity can withdraw a submitted application; it then stays withdrawn.
func TestWithdraw(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	id, _ := f.svc.Create(ctx, act(f.owner), f.owner, f.org, f.round)
	f.documents(t, id)
	if _, err := f.save(ctx, f.owner, id, application.ValidFormForTests()); err != nil {
		t.Fatal(err)
	}
	if err := f.submit(ctx, f.owner, id); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Withdraw(ctx, act(f.owner), f.owner, id); err != nil {
		t.Fatal(err)
	}
	a, _ := f.svc.Get(ctx, f.owner, id)
	if a.Status != policy.Withdrawn {
		t.Fatalf("status %s", a.Status)
	}
	if err := f.submit(ctx, f.owner, id); !errors.Is(err, policy.ErrInvalidTransition) {
		t.Errorf("a withdrawn application was resubmitted: %v", err)
	}
	if err := f.svc.RequestInfo(ctx, act(f.admin), f.admin, id, "?"); !errors.Is(err, policy.ErrInvalidTransition) {
		t.Errorf("the IPA asked about a withdrawn application: %v", err)
	}
	timeline, _ := f.svc.Timeline(ctx, f.owner, id)
	if last := timeline[len(timeline)-1]; last.Event != "withdraw" || last.ToStatus == nil || *last.ToStatus != "withdrawn" {
		t.Errorf("timeline ends with %+v", last)
	}
}

// The queue writes its status and country filters into the query's text:
// a value that slipped past the form's checks still matches only itself.
func TestQueueFilterValuesStayValues(t *testing.T) {
	t.Parallel()
	f := setup(t)
	if _, err := f.db.Exec(`INSERT INTO applications (organization_id, round_id, status, version, title, country, submitted_at, created_by)
		VALUES ($1, $2, 'in_review', 1, 'Mission', 'HN', now(), $3)`, f.org, f.round, f.owner.ID); err != nil {
		t.Fatal(err)
	}
	for _, filter := range []application.QueueFilter{
		{Country: "HN' OR 'x' = 'x"},
		{Status: "in_review' OR true --"},
		{Country: `HN\' OR true --`},
	} {
		page, err := f.svc.Queue(t.Context(), f.board, filter)
		if err != nil {
			t.Fatalf("%+v: %v", filter, err)
		}
		if len(page.Rows) != 0 {
			t.Errorf("%+v lists %d applications, want none", filter, len(page.Rows))
		}
	}
	page, err := f.svc.Queue(t.Context(), f.board, application.QueueFilter{Country: "HN", Status: policy.InReview})
	if err != nil || len(page.Rows) != 1 {
		t.Fatalf("the plain filter lists %v (%v), want the one application", page, err)
	}
}

// Drafts never overwrite each other: each save is based on a revision and
// written only while that is still the draft's; one based on an older
// revision merges what does not overlap, or is refused and writes nothing.
func TestSaveDraftGuardedOnItsRevision(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	id, err := f.svc.Create(ctx, act(f.owner), f.owner, f.org, f.round)
	if err != nil {
		t.Fatal(err)
	}
	draft := func() (application.Form, int) {
		t.Helper()
		a, d, err := f.svc.Draft(ctx, f.owner, id)
		if err != nil {
			t.Fatal(err)
		}
		return d, a.DraftRev
	}
	saved, err := f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: application.ValidFormForTests(), Base: 0})
	if err != nil || saved.Rev != 1 {
		t.Fatalf("first save: %+v, %v", saved, err)
	}
	opened, rev := draft() // two devices open the draft at revision 1

	// The laptop saves the narrative.
	laptop := opened
	laptop.Narrative = "Laptop: 300 children wait."
	if saved, err := f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: laptop, Base: rev}); err != nil || saved.Rev != 2 {
		t.Fatalf("laptop: %+v, %v", saved, err)
	}
	// The phone's autosave, based on revision 1, is refused and writes nothing.
	phone := opened
	phone.City = "Santiago"
	_, err = f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: phone, Base: rev})
	var stale *application.Stale
	if !errors.Is(err, application.ErrStale) || !errors.As(err, &stale) || stale.Rev != 2 || len(stale.Conflicts) != 0 {
		t.Fatalf("stale autosave: %v (%+v)", err, stale)
	}
	if d, r := draft(); r != 2 || d.City != opened.City || d.Narrative != laptop.Narrative {
		t.Fatalf("after a refused autosave: revision %d, city %q, narrative %q", r, d.City, d.Narrative)
	}
	// The phone's full save merges: the laptop's narrative and the phone's city.
	saved, err = f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: phone, Base: rev, Merge: true})
	if err != nil || saved.Rev != 3 || len(saved.Taken) != 1 || saved.Taken[0].Field != "narrative" {
		t.Fatalf("merged save: %+v, %v", saved, err)
	}
	if d, _ := draft(); d.City != "Santiago" || d.Narrative != laptop.Narrative {
		t.Fatalf("merged: city %q, narrative %q", d.City, d.Narrative)
	}

	// Both change the city: the second is refused, keeps what it typed, and chooses.
	opened, rev = draft()
	first, second := opened, opened
	first.City, second.City = "Puerto Plata", "La Romana"
	second.Hospital = "Hospital Regional"
	if _, err := f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: first, Base: rev, Merge: true}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: second, Base: rev, Merge: true})
	if !errors.As(err, &stale) || len(stale.Conflicts) != 1 || stale.Conflicts[0].Unit != "city" ||
		stale.Conflicts[0].Changes[0] != (application.Change{Field: "city", Old: "Puerto Plata", New: "La Romana"}) {
		t.Fatalf("overlapping save: %v (%+v)", err, stale)
	}
	if stale.Form.City != "La Romana" || stale.Form.Hospital != "Hospital Regional" {
		t.Fatalf("the refused save's form lost what was typed: %+v", stale.Form)
	}
	if d, r := draft(); r != rev+1 || d.City != "Puerto Plata" || d.Hospital != opened.Hospital {
		t.Fatalf("a refused save wrote: revision %d, %q, %q", r, d.City, d.Hospital)
	}
	// Taking theirs for the city, keeping the hospital.
	saved, err = f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: stale.Form, Base: stale.Rev, Merge: true, TakeTheirs: []string{"city"}})
	if err != nil {
		t.Fatal(err)
	}
	if d, r := draft(); r != saved.Rev || d.City != "Puerto Plata" || d.Hospital != "Hospital Regional" {
		t.Fatalf("resolved: revision %d, %q, %q", r, d.City, d.Hospital)
	}

	// A save that names no base, or one no longer kept, asks about whatever differs.
	opened, rev = draft()
	old := opened
	old.Title = "From a page without revisions"
	if _, err := f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: old, Base: application.NoBase, Merge: true}); !errors.As(err, &stale) || len(stale.Conflicts) != 1 {
		t.Fatalf("save without a base: %v", err)
	}
	if _, err := f.db.Exec(`DELETE FROM application_draft_revisions WHERE application_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: old, Base: rev - 1, Merge: true}); !errors.As(err, &stale) || len(stale.Conflicts) == 0 {
		t.Fatalf("save based on a pruned revision: %v", err)
	}
	if _, r := draft(); r != rev {
		t.Fatalf("refused saves wrote: revision %d, want %d", r, rev)
	}
}

// Two saves based on the same revision at the same moment: one is written,
// the other refused; neither is lost silently.
func TestConcurrentSavesOfOneRevision(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	id, err := f.svc.Create(ctx, act(f.owner), f.owner, f.org, f.round)
	if err != nil {
		t.Fatal(err)
	}
	const n = 4
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: application.Form{Title: fmt.Sprint("title ", i)}, Base: 0})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, application.ErrStale):
			t.Errorf("save: %v", err)
		}
	}
	var rev, kept int
	if err := f.db.QueryRow(`SELECT draft_rev, (SELECT count(*) FROM application_draft_revisions WHERE application_id = $1) FROM applications WHERE id = $1`, id).Scan(&rev, &kept); err != nil {
		t.Fatal(err)
	}
	if ok != 1 || rev != 1 || kept != 1 {
		t.Errorf("%d saves written, revision %d, %d replaced drafts kept; want 1, 1, 1", ok, rev, kept)
	}
}

// Two members on two parts of one draft: each part's autosave keeps the
// other's work. On the same part, an autosave based on an older revision
// is still refused (its page would show older values), and so is one that
// says no revision. A section's save never blanks the other sections.
func TestSectionSavesOfOneDraft(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	id, _ := f.svc.Create(ctx, act(f.owner), f.owner, f.org, f.round)
	a, _, _ := f.svc.Draft(ctx, f.owner, id)
	opened := a.DraftRev

	if _, err := f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: application.Form{Narrative: "300 children wait."}, Base: opened, Section: "need"}); err != nil {
		t.Fatal(err)
	}
	saved, err := f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: application.Form{City: "Tegucigalpa"}, Base: opened, Section: "trip"})
	if err != nil {
		t.Fatalf("a part's autosave was refused for another part's change: %v", err)
	}
	_, form, _ := f.svc.Draft(ctx, f.owner, id)
	if form.City != "Tegucigalpa" || form.Narrative != "300 children wait." {
		t.Fatalf("after two parts: %+v", form)
	}

	// The same part, from a page opened before the city was saved.
	_, err = f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: application.Form{Title: "Corazones"}, Base: opened, Section: "trip"})
	if !errors.Is(err, application.ErrStale) {
		t.Fatalf("an autosave over a change on its own page: %v", err)
	}
	_, err = f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: application.Form{Title: "Corazones"}, Base: application.NoBase, Section: "trip"})
	if !errors.Is(err, application.ErrStale) {
		t.Fatalf("an autosave without its revision: %v", err)
	}
	if _, err := f.svc.SaveDraft(ctx, f.owner, id, application.Edit{Form: application.Form{Title: "Corazones", City: "Tegucigalpa"}, Base: saved.Rev, Section: "trip"}); err != nil {
		t.Fatal(err)
	}
	_, form, _ = f.svc.Draft(ctx, f.owner, id)
	if form.Title != "Corazones" || form.Narrative != "300 children wait." {
		t.Fatalf("a part's save changed another: %+v", form)
	}
}

// Each queue row says where its reader stands: assigned, reviewed, a member
// of the charity, a ballot cast on the open vote; and who of the assigned
// is still to review. Two board members read the same rows, one of them a
// member of the charity.
func TestQueueMarksWhereTheReaderStands(t *testing.T) {
	t.Parallel()
	f := setup(t)
	other := f.user(t, "board2@ipa.example", "en", false, true) // a member of the charity
	third := f.user(t, "board3@ipa.example", "en", false, true) // assigned, not yet reviewed
	if _, err := f.db.Exec(`INSERT INTO organization_members (organization_id, user_id) VALUES ($1, $2)`, f.org, other.ID); err != nil {
		t.Fatal(err)
	}
	app := func(status, title string) int64 {
		var id int64
		if err := f.db.Get(&id, `INSERT INTO applications (organization_id, round_id, status, version, title, country, submitted_at, created_by)
			VALUES ($1, $2, $3, 1, $4, 'HN', now(), $5) RETURNING id`, f.org, f.round, status, title, f.owner.ID); err != nil {
			t.Fatal(err)
		}
		return id
	}
	assigned, voting, plain := app("in_review", "Assigned"), app("voting", "Voting"), app("in_review", "Plain")
	var vote int64
	if err := f.db.Get(&vote, `WITH d AS (INSERT INTO conflicts (application_id, user_id, has_conflict, declared_at, recorded_by)
			SELECT a, u, false, now(), u FROM unnest($1::bigint[]) a, unnest($2::bigint[]) u),
		s AS (INSERT INTO assignments (application_id, user_id, assigned_by, assigned_at) VALUES ($3, $4, $6, now()), ($3, $5, $6, now()))
		INSERT INTO votes (application_id, proposed_cents, opened_by, opened_at, closes_at) VALUES ($7, 100000, $6, now(), now() + interval '2 days')
		RETURNING id`, pq.Array([]int64{assigned, voting, plain}), pq.Array([]int64{f.board.ID, other.ID, third.ID}), assigned, f.board.ID, third.ID, f.admin.ID, voting); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(`INSERT INTO reviews (application_id, user_id, scores, weighted_milli, recommendation, submitted_at)
		VALUES ($1, $2, '{}', 3000, 'approve', now())`, assigned, f.board.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(`INSERT INTO ballots (vote_id, user_id, choice, cast_at) VALUES ($1, $2, 'approve', now())`, vote, f.board.ID); err != nil {
		t.Fatal(err)
	}
	type marks struct {
		Assigned, Reviewed, Member, VoteOpen, Voted bool
		ToReview                                    string
	}
	read := func(u *account.User) map[string]marks {
		t.Helper()
		page, err := f.svc.Queue(t.Context(), u, application.QueueFilter{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]marks{}
		for _, r := range page.Rows {
			out[r.Title] = marks{r.AssignedToMe, r.ReviewedByMe, r.MemberOfCharity, r.VoteOpen, r.VotedByMe, r.ToReview}
		}
		return out
	}
	for who, want := range map[*account.User]map[string]marks{
		f.board: {"Assigned": {Assigned: true, Reviewed: true, ToReview: third.Name}, "Voting": {VoteOpen: true, Voted: true}, "Plain": {}},
		other:   {"Assigned": {Member: true, ToReview: third.Name}, "Voting": {Member: true, VoteOpen: true}, "Plain": {Member: true}},
		third:   {"Assigned": {Assigned: true, ToReview: third.Name}, "Voting": {VoteOpen: true}, "Plain": {}},
	} {
		got := read(who)
		for title, w := range want {
			if got[title] != w {
				t.Errorf("%s reads %q as %+v, want %+v", who.Email, title, got[title], w)
			}
		}
	}
}
