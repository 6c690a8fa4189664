package web

import (
	"net/http"
	"net/url"
	"testing"
)

// An admin adds a criterion and retires another; the board's review form
// asks the new one and no longer the retired one.
func TestAdminsConfigureTheCriteria(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	admin := s.loginAs(t, s.seedDemo(t)[demoAdmin])
	wantStatus(t, admin.post("/admin/criteria", url.Values{"key": {"Bad Key"}, "name_en": {""}, "weight": {"11"}}), http.StatusUnprocessableEntity)
	wantStatus(t, admin.post("/admin/criteria", url.Values{"key": {"local_partnership"}, "name_en": {"Local partnership"},
		"name_es": {"Alianza local"}, "weight": {"2"}, "active": {"yes"}}), http.StatusSeeOther)
	var trackRecord string
	if err := s.db.Get(&trackRecord, `SELECT id::text FROM review_criteria WHERE key = 'track_record'`); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, admin.post("/admin/criteria/"+trackRecord, url.Values{"name_en": {"Track record"}, "name_es": {"Trayectoria"}, "weight": {"1"}}), http.StatusSeeOther)
	criteria, err := s.reviews.Criteria(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]int{}
	for _, c := range criteria {
		keys[c.Key] = c.Weight
	}
	if keys["local_partnership"] != 2 {
		t.Errorf("the new criterion is not asked: %v", keys)
	}
	if _, asked := keys["track_record"]; asked {
		t.Errorf("a retired criterion is still asked: %v", keys)
	}
	mustContain(t, admin.get("/admin/criteria"), "Alianza local", "local_partnership")
}
