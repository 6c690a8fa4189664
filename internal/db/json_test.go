package db_test

import (
	"testing"
	"time"

	"missiongrants/internal/db"
)

// DecodeJSON reads what PostgreSQL's json_build_object writes, timestamps
// and names as encoding/json would, and leaves a NULL column's value alone.
func TestDecodeJSONAsEncodingJSONWould(t *testing.T) {
	type entry struct {
		At   time.Time `json:"at"`
		Name string    `json:"actor_name"`
	}
	var entries []entry
	untouched := []entry{{Name: "kept"}}
	err := db.DecodeJSON(
		db.JSONColumn{JSON: []byte(`[{"at" : "2026-10-31T23:08:09.6+00:00", "actor_name" : "Ada Admin"}]`), Into: &entries},
		db.JSONColumn{JSON: nil, Into: &untouched})
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 10, 31, 23, 8, 9, 600_000_000, time.UTC)
	if len(entries) != 1 || entries[0].Name != "Ada Admin" || !entries[0].At.Equal(want) {
		t.Errorf("decoded %+v", entries)
	}
	if len(untouched) != 1 || untouched[0].Name != "kept" {
		t.Errorf("a NULL column changed its value to %+v", untouched)
	}
	if err := db.DecodeJSON(db.JSONColumn{JSON: []byte(`[{"at": 3}]`), Into: &entries}); err == nil {
		t.Error("a number for a time decoded without an error")
	}
}
