package application_test

import (
	"strings"
	"testing"

	"missiongrants/internal/application"
)

// The queue's search finds the words of a term, in any order, the last one
// as a beginning, ignoring accents and case both ways ("mision" finds
// "Misión", "MISIÓN" finds "mision"), in titles and in charities' names;
// what is typed is never read as query syntax; and at 10,000 applications
// PostgreSQL finds the matches through the full-text indexes of the folded
// words, not by reading every row.
func TestQueueSearchIgnoresAccentsThroughTheIndex(t *testing.T) {
	t.Parallel()
	f := setup(t)
	if _, err := f.db.Exec(`UPDATE organizations SET legal_name = 'Fundación Corazón Abierto' WHERE id = $1`, f.org); err != nil {
		t.Fatal(err)
	}
	// 10,000 others from the stranger's charity, 10,000 other charities,
	// then the few to find.
	if _, err := f.db.Exec(`INSERT INTO applications (organization_id, round_id, status, version, title, country, submitted_at, created_by)
		SELECT $1, $2, 'in_review', 1, 'Cardiac trip ' || g, 'HN', now() - g * interval '1 minute', $3 FROM generate_series(1, 10000) g`,
		f.strangerOrg, f.round, f.stranger.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(`INSERT INTO organizations (legal_name, country, registration_number, created_by)
		SELECT 'Charity ' || g, 'HN', 'R-' || g, $1 FROM generate_series(1, 10000) g`, f.stranger.ID); err != nil {
		t.Fatal(err)
	}
	var ids [3]int64
	for i, title := range []string{"Misión Santo Domingo", "mision honduras", "Cirugía pediátrica"} {
		if err := f.db.Get(&ids[i], `INSERT INTO applications (organization_id, round_id, status, version, title, country, submitted_at, created_by)
			VALUES ($1, $2, 'in_review', 1, $3, 'DO', now(), $4) RETURNING id`, f.org, f.round, title, f.owner.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.db.Exec(`ANALYZE applications; ANALYZE organizations`); err != nil {
		t.Fatal(err)
	}
	for term, want := range map[string][]int64{
		"mision":        {ids[0], ids[1]},
		"MISIÓN":        {ids[0], ids[1]},
		"misión santo":  {ids[0]},
		"misión sant":   {ids[0]},
		"honduras MISI": {ids[1]},
		"hond":          {ids[1]},
		"ʼsantoː":       {ids[0]}, // unaccent makes these a quote and a colon
		`'\\ ː & !(`:    {},
		"cirugia":       {ids[2]},
		"corazon":       ids[:], // the charity's name
		"CORAZÓN ABIER": ids[:],
		"trip 9999":     nil, // only the stranger's, checked by count below
		"misiones":      {},
	} {
		page, err := f.svc.Queue(t.Context(), f.board, application.QueueFilter{Search: term})
		if err != nil {
			t.Fatalf("%q: %v", term, err)
		}
		got := map[int64]bool{}
		for _, r := range page.Rows {
			got[r.ID] = true
		}
		if want == nil {
			if len(page.Rows) != 1 {
				t.Errorf("%q lists %d applications, want 1", term, len(page.Rows))
			}
			continue
		}
		if len(got) != len(want) {
			t.Errorf("%q lists %v, want %v", term, page.Rows, want)
		}
		for _, id := range want {
			if !got[id] {
				t.Errorf("%q does not list application %d", term, id)
			}
		}
	}

	// The plans of searchMatches' two halves, as PostgreSQL makes them for
	// a term, name the indexes of the folded words.
	for _, q := range []string{
		`SELECT id FROM applications WHERE version > 0 AND search_words @@ search_query('mision')`,
		`SELECT id FROM organizations o WHERE o.search_words @@ search_query('corazon')`,
	} {
		var plan []string
		if err := f.db.Select(&plan, `EXPLAIN `+q); err != nil {
			t.Fatal(err)
		}
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, "_words_idx") {
			t.Errorf("%s is not served by the index of folded words:\n%s", q, text)
		}
	}
}
