package db_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"missiongrants/internal/db"
)

func sqlFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

func TestParseReadsNamedStatements(t *testing.T) {
	t.Parallel()
	q, err := db.Parse("demo", sqlFS(map[string]string{
		"a.sql": "-- The file's comment.\n\n-- name: one\nSELECT 1\n  FROM t;\n\n-- name: two\n-- a comment of the statement\nSELECT 2\n\n-- A comment on the next.\n",
		"b.sql": "-- name: three\nSELECT 3\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Get("one"); got != "SELECT 1\n  FROM t;" {
		t.Errorf("one = %q", got)
	}
	if got := q.Get("two"); got != "-- a comment of the statement\nSELECT 2" {
		t.Errorf("two = %q", got)
	}
	all := q.All()
	if len(all) != 3 || all[2].Name != "three" || all[2].File != "b.sql" || all[2].Line != 1 || all[0].Line != 3 {
		t.Errorf("all = %+v", all)
	}
	if got := q.Unused(); len(got) != 1 || got[0] != "three" {
		t.Errorf("unused = %q, want three", got)
	}
}

func TestParseRefusesMalformedFiles(t *testing.T) {
	t.Parallel()
	for name, text := range map[string]string{
		"repeated name":    "-- name: one\nSELECT 1\n-- name: one\nSELECT 2\n",
		"empty statement":  "-- name: one\n\n-- name: two\nSELECT 2\n",
		"no name":          "-- name:\nSELECT 1\n",
		"SQL before names": "SELECT 0;\n-- name: one\nSELECT 1\n",
	} {
		if _, err := db.Parse("demo", sqlFS(map[string]string{"q.sql": text})); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := db.Parse("demo", sqlFS(map[string]string{"readme.txt": "x"})); err == nil {
		t.Error("a package without .sql files: accepted")
	}
}

func TestGetPanicsOnUnknownName(t *testing.T) {
	t.Parallel()
	q, err := db.Parse("demo", sqlFS(map[string]string{"q.sql": "-- name: one\nSELECT 1\n"}))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), `"onee"`) {
			t.Errorf("panic %v, want one naming the statement", p)
		}
	}()
	q.Get("onee")
}

// A statement PostgreSQL refuses is reported with its package, name, file
// and line and PostgreSQL's reason; the good ones around it are not.
func TestCheckQueriesNamesABrokenStatement(t *testing.T) {
	t.Parallel()
	pool := onePool(t)
	good, err := db.Parse("good", sqlFS(map[string]string{"q.sql": "-- name: users\nSELECT id FROM users WHERE id = $1\n"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CheckQueries(context.Background(), pool, good); err != nil {
		t.Fatalf("a good statement refused: %v", err)
	}
	bad, err := db.Parse("demo", sqlFS(map[string]string{"q.sql": "-- name: fine\nSELECT 1\n\n-- name: demo-broken\nSELECT nosuchcolumn\n  FROM users\n\n-- name: also-fine\nSELECT 2\n"}))
	if err != nil {
		t.Fatal(err)
	}
	err = db.CheckQueries(context.Background(), pool, good, bad)
	if err == nil {
		t.Fatal("a broken statement passed")
	}
	msg := err.Error()
	for _, want := range []string{"demo: statement demo-broken (q.sql:4)", `column "nosuchcolumn" does not exist`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	for _, notWant := range []string{"fine", "users (q.sql"} {
		if strings.Contains(msg, notWant) {
			t.Errorf("error %q names %q, which prepares", msg, notWant)
		}
	}
	// Nothing stays prepared.
	if got := prepared(t, pool); len(got) != 0 {
		t.Errorf("still prepared: %q", got)
	}
}
