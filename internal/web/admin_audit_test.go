package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"missiongrants/internal/audit"
)

// The audit page lists the trail newest first, filters it by who, what,
// which application and when, pages through it, and checks the hash chain:
// intact, then broken at an entry edited behind the application's back.
func TestAdminAuditBrowseFilterVerify(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ctx := context.Background()
	board := s.userID(t, demoBoard)
	record := func(e audit.Event) {
		t.Helper()
		if err := audit.Record(ctx, s.db, e); err != nil {
			t.Fatal(err)
		}
	}
	record(audit.Event{ActorID: &board, ActorLabel: "Bruno", IP: "198.51.100.7", RequestID: "req-bruno", Action: "application.submitted",
		ObjectType: "application", ObjectID: "42", Details: map[string]any{"note": "<script>alert(1)</script>"}})
	record(audit.Event{ActorLabel: "zoe@example.org", Action: "account.login"})
	record(audit.Event{ActorLabel: "zoe@example.org", Action: "application.withdrawn", ObjectType: "application", ObjectID: "43"})
	if _, err := s.db.Exec(`INSERT INTO audit (at, actor_label, action, object_type, object_id)
		VALUES ('2025-01-15 10:00:00+00', 'old@example.org', 'round.created', 'round', '3')`); err != nil {
		t.Fatal(err)
	}
	for i := range auditPerPage + 5 {
		record(audit.Event{ActorLabel: "bulk@example.org", Action: "test.bulk", Details: map[string]any{"i": i}})
	}

	c := s.loginAs(t, people[demoAdmin]) // in Spanish
	rows := func(rec interface{ String() string }) int { return strings.Count(rec.String(), `class="audit-entry`) }

	page := c.get("/admin/audit")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, s.text("es", "page.audit.title"), "test.bulk", `href="/admin/audit?before=`)
	if n := rows(page.Body); n != auditPerPage {
		t.Errorf("the first page lists %d entries, want %d", n, auditPerPage)
	}

	// Who: part of the label, or of the actor's account email.
	byEmail := c.get("/admin/audit?who=" + url.QueryEscape("BOARD@demo"))
	wantStatus(t, byEmail, http.StatusOK)
	mustContain(t, byEmail, "application.submitted", "198.51.100.7", "req-bruno", `href="/applications/42"`, "&lt;script&gt;")
	mustNotContain(t, byEmail, "<script>alert", "zoe@example.org")
	if n := rows(byEmail.Body); n != 1 {
		t.Errorf("who=board lists %d entries, want 1", n)
	}
	if n := rows(c.get("/admin/audit?who=bruno").Body); n != 1 { // the account's name
		t.Errorf("who=bruno lists %d entries, want 1", n)
	}
	byLabel := c.get("/admin/audit?who=zoe")
	if n := rows(byLabel.Body); n != 2 {
		t.Errorf("who=zoe lists %d entries, want 2", n)
	}
	// What: the start of the action; % is not a wildcard.
	if n := rows(c.get("/admin/audit?what=application.").Body); n != 2 {
		t.Errorf("what=application. lists %d entries, want 2", n)
	}
	if n := rows(c.get("/admin/audit?what=%25").Body); n != 0 {
		t.Errorf("what=%% lists %d entries, want 0", n)
	}
	// Which application.
	app := c.get("/admin/audit?application=43")
	if n := rows(app.Body); n != 1 || !strings.Contains(app.Body.String(), "application.withdrawn") {
		t.Errorf("application=43 lists %d entries", n)
	}
	// When: both days included.
	old := c.get("/admin/audit?from=2025-01-15&to=2025-01-15")
	if n := rows(old.Body); n != 1 || !strings.Contains(old.Body.String(), "round.created") {
		t.Errorf("January 15th lists %d entries", n)
	}
	bad := c.get("/admin/audit?from=2025-02-01&to=2025-01-01&application=x")
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad, `id="f-to-error"`, `id="f-application-error"`)

	// Keyset pages: the second page goes on where the first stopped.
	var ids []int64
	if err := s.db.Select(&ids, `SELECT id FROM audit ORDER BY id DESC`); err != nil {
		t.Fatal(err)
	}
	next := c.get("/admin/audit?before=" + strconv.FormatInt(ids[auditPerPage-1], 10))
	wantStatus(t, next, http.StatusOK)
	if n := rows(next.Body); n != len(ids)-auditPerPage {
		t.Errorf("the second page lists %d entries, want %d", n, len(ids)-auditPerPage)
	}
	mustContain(t, next, fmt.Sprintf(`id="audit-%d"`, ids[auditPerPage]), `href="/admin/audit"`)

	// The chain check.
	intact := c.post("/admin/audit/verify", url.Values{})
	wantStatus(t, intact, http.StatusOK)
	mustContain(t, intact, s.text("es", "page.audit.intact"))

	victim := ids[len(ids)-2] // an early entry, not on the first page
	for _, stmt := range []string{`ALTER TABLE audit DISABLE TRIGGER audit_append_only`,
		`UPDATE audit SET actor_label = 'someone else' WHERE id = ` + strconv.FormatInt(victim, 10),
		`ALTER TABLE audit ENABLE TRIGGER audit_append_only`} {
		if _, err := s.db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	broken := c.post("/admin/audit/verify", url.Values{})
	wantStatus(t, broken, http.StatusOK)
	mustContain(t, broken, fmt.Sprintf("roto en la entrada %d", victim),
		fmt.Sprintf(`href="/admin/audit?before=%d#audit-%d"`, victim+1, victim))
	shown := c.get(fmt.Sprintf("/admin/audit?before=%d", victim+1))
	mustContain(t, shown, fmt.Sprintf(`id="audit-%d"`, victim), "someone else")

	// The dashboard links to the page.
	mustContain(t, c.get("/dashboard"), `href="/admin/audit"`)
}

// An entry's details read as lines, a change as before → after, nothing
// left out; the action in the reader's words.
func TestAuditDetailsReadAsChanges(t *testing.T) {
	got := auditChanges([]byte(`{"name": {"from": "Ana", "to": "Ana María"}, "amount_cents": 500000, "notify": {"from": true, "to": false}, "roles": ["admin"]}`))
	want := []string{"amount_cents: 500000", "name: Ana → Ana María", "notify: true → false", `roles: ["admin"]`}
	if !slices.Equal(got, want) {
		t.Errorf("auditChanges = %q, want %q", got, want)
	}
	s := newTestServer(t)
	people := s.seedDemo(t)
	admin := s.loginAs(t, people[demoAdmin])
	wantRedirect(t, admin.post("/account/profile", url.Values{"name": {"Ada Lovelace Admin"}, "language": {"es"}}), "/account")
	page := admin.get("/admin/audit?what=account.profile_updated")
	mustContain(t, page, s.text("es", "audit.action.account.profile_updated"), "name: "+people[demoAdmin].name+" → Ada Lovelace Admin")
}
