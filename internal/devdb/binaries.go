package devdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// ErrNoBinaries is returned when no PostgreSQL server binaries can be found.
// Its message is the one line a person needs to fix it.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin: install them (apt-get install postgresql-15) or set DATABASE_URL to an existing server")

// Binaries is a set of PostgreSQL server programs in one folder.
type Binaries struct {
	Dir     string // folder holding initdb, pg_ctl and postgres
	Version string // full server version, e.g. "15.20"
}

// Major is the major version, e.g. "15": a data folder works with any
// binaries of the same major version.
func (b Binaries) Major() string {
	major, _, _ := strings.Cut(b.Version, ".")
	return major
}

func (b Binaries) path(prog string) string { return filepath.Join(b.Dir, prog) }

var (
	binOnce sync.Once
	binVal  Binaries
	binErr  error
)

// FindBinaries locates initdb and pg_ctl: on PATH first, else the highest
// /usr/lib/postgresql/*/bin (Debian installs them there, off PATH).
func FindBinaries() (Binaries, error) {
	binOnce.Do(func() { binVal, binErr = findBinaries("/usr/lib/postgresql/*/bin") })
	return binVal, binErr
}

func findBinaries(debianGlob string) (Binaries, error) {
	var candidates []string
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			candidates = append(candidates, filepath.Dir(real))
		}
	}
	dirs, _ := filepath.Glob(debianGlob)
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	candidates = append(candidates, dirs...)
	for _, dir := range candidates {
		if !isExecutable(filepath.Join(dir, "initdb")) || !isExecutable(filepath.Join(dir, "pg_ctl")) || !isExecutable(filepath.Join(dir, "postgres")) {
			continue
		}
		v, err := serverVersion(filepath.Join(dir, "pg_ctl"))
		if err != nil {
			continue
		}
		return Binaries{Dir: dir, Version: v}, nil
	}
	return Binaries{}, ErrNoBinaries
}

// versionOf reads the major version from /usr/lib/postgresql/<n>/bin.
func versionOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0
}

// serverVersion parses "pg_ctl (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)".
func serverVersion(pgCtl string) (string, error) {
	out, err := exec.CommandContext(context.Background(), pgCtl, "--version").Output()
	if err != nil {
		return "", err
	}
	_, rest, ok := bytes.Cut(out, []byte("(PostgreSQL) "))
	if !ok {
		return "", fmt.Errorf("devdb: unexpected %s --version output %q", pgCtl, out)
	}
	fields := strings.Fields(string(rest))
	if len(fields) == 0 {
		return "", fmt.Errorf("devdb: unexpected %s --version output %q", pgCtl, out)
	}
	return fields[0], nil
}
