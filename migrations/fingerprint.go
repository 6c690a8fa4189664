package migrations

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

// Fingerprint identifies the schema that Up produces: a hash of the embedded
// SQL files and of River's migrations up to its pinned schema version. Test
// harnesses name their migrated template database after it, so a changed
// migration gets a fresh template instead of a stale one.
func Fingerprint() string {
	h := sha256.New()
	names, _ := fs.Glob(files, "*.sql")
	sort.Strings(names)
	for _, name := range names {
		b, _ := fs.ReadFile(files, name)
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
		h.Write(b)
	}
	// River's own migrations, as the module in this build would apply
	// them. (Not its module version: only a main package's binary records
	// its modules, and the binary's tests and the others' then had two
	// fingerprints, each replacing the other's snapshot at every run.)
	m, err := rivermigrate.New(riverdatabasesql.New(nil), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		panic(err) // only a driver's or a line's name it does not know
	}
	for _, v := range m.AllVersions() {
		if v.Version <= riverSchemaVersion {
			fmt.Fprintf(h, "river:%d\x00%s\x00", v.Version, v.SQLUp)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
