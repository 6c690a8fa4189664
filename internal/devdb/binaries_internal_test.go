package devdb

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestNoBinariesMessage(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := findBinaries(filepath.Join(t.TempDir(), "*", "bin"))
	if !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "apt-get install postgresql-15") || !strings.Contains(msg, "DATABASE_URL") {
		t.Fatalf("message %q is not one line telling what to do", msg)
	}
}

func TestFindsDebianLayout(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	b, err := findBinaries("/usr/lib/postgresql/*/bin")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.Dir, "/usr/lib/postgresql/") || b.Major() == "" {
		t.Fatalf("found %+v", b)
	}
}
