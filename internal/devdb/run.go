package devdb

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// Run runs the PostgreSQL client program name (pg_dump, pg_restore, psql…)
// from the cluster's binaries folder, the way the server programs run: as
// the "postgres" system user when we are root, in the cluster's folder, with
// no PG* variables from our environment. It returns the program's standard
// output; a failure's error carries the end of its standard error.
//
// Files it reads or writes must be reachable by that user: the cluster's
// folder (Dir) is.
func (c *Cluster) Run(ctx context.Context, name string, args ...string) ([]byte, error) {
	if name == "" || strings.ContainsRune(name, filepath.Separator) {
		return nil, fmt.Errorf("devdb: Run wants a program name, not %q", name)
	}
	cmd := c.as.command(ctx, c.dir, c.bin.path(name), args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("devdb: %s: %w: %s", name, err, lastLines(stderr.String(), 3))
	}
	return out, nil
}
