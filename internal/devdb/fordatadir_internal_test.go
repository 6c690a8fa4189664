package devdb

import (
	"os"
	"path/filepath"
	"testing"
)

// As root the database cannot live in DATA_DIR (under /root the postgres
// user cannot reach it), but it still belongs to DATA_DIR: found from it,
// deleted with it, never reused by a new one.
func TestDatabaseBelongsToItsDataFolder(t *testing.T) {
	if os.Geteuid() != 0 {
		dataDir := t.TempDir()
		got, err := ForDataDir(dataDir)
		if err != nil || got != filepath.Join(dataDir, "postgres") {
			t.Fatalf("ForDataDir = %q, %v; want DATA_DIR/postgres", got, err)
		}
		return // the rest is root's case
	}
	persistentRoot = t.TempDir()
	t.Cleanup(func() { persistentRoot = "/var/tmp" })
	dataDir := filepath.Join(t.TempDir(), "missiongrants")

	dir, err := ForDataDir(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if target, err := os.Readlink(filepath.Join(dataDir, "postgres")); err != nil || target != dir {
		t.Fatalf("DATA_DIR/postgres links to %q (%v), want %s", target, err, dir)
	}
	database := filepath.Join(dir, "data", "PG_VERSION")
	write(t, database)
	if again, err := ForDataDir(dataDir); err != nil || again != dir {
		t.Fatalf("second start: %q, %v", again, err)
	}
	if !exists(database) {
		t.Fatal("a second start lost the database")
	}

	// The person deletes DATA_DIR to start afresh: the old database goes too.
	if err := os.RemoveAll(dataDir); err != nil {
		t.Fatal(err)
	}
	if _, err := ForDataDir(dataDir); err != nil {
		t.Fatal(err)
	}
	if exists(database) {
		t.Fatal("a new DATA_DIR reused the database of the deleted one")
	}

	// Another data folder, deleted and never started again: its cluster is
	// removed at the next start of any, instead of piling up.
	other := filepath.Join(t.TempDir(), "other")
	otherDir, err := ForDataDir(other)
	if err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(other)
	if _, err := ForDataDir(dataDir); err != nil {
		t.Fatal(err)
	}
	if exists(otherDir) {
		t.Fatal("the cluster of a deleted data folder was left behind")
	}
}

// A data folder from before the link (it has documents, and its cluster has
// no owner file) keeps its database.
func TestDataFolderFromBeforeTheLinkKeepsItsDatabase(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root's database lives outside DATA_DIR")
	}
	persistentRoot = t.TempDir()
	t.Cleanup(func() { persistentRoot = "/var/tmp" })
	dataDir := filepath.Join(t.TempDir(), "missiongrants")
	write(t, filepath.Join(dataDir, "documents", "a.pdf"))
	database := filepath.Join(DefaultDir(dataDir), "data", "PG_VERSION")
	write(t, database)
	if _, err := ForDataDir(dataDir); err != nil {
		t.Fatal(err)
	}
	if !exists(database) {
		t.Fatal("the database of a data folder in use was removed")
	}
}

func write(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("15\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
