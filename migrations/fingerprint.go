package migrations

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"runtime/debug"
	"sort"
)

// Fingerprint identifies the schema that Up produces: a hash of the embedded
// SQL files, River's pinned schema version and River's module version. Test
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
	fmt.Fprintf(h, "river-schema:%d\x00", riverSchemaVersion)
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/riverqueue/river" {
				fmt.Fprintf(h, "river:%s\x00", dep.Version)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
