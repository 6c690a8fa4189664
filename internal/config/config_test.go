package config

import (
	"os"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(map[string]string{"XDG_DATA_HOME": "/x"}))
	if err != nil {
		t.Fatal(err)
	}
	// The embedded default prints its demo logins: it listens on this machine only.
	if c.ListenAddr != "127.0.0.1:8080" || !c.Embedded() || c.SMTPPort != 587 || c.BaseURL.String() != "http://localhost:8080" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	c, err = Load(env(map[string]string{"DATABASE_URL": "postgres://db/grants"}))
	if err != nil || c.ListenAddr != ":8080" {
		t.Fatalf("with a database of its own the portal listens on every interface: %+v %v", c, err)
	}
}

func TestLoadNamesEveryBadVariable(t *testing.T) {
	_, err := Load(env(map[string]string{
		"SMTP_PORT":        "seventy",
		"BASE_URL":         "localhost",
		"SHUTDOWN_TIMEOUT": "-1s",
		"DATABASE_URL":     "mysql://secret@x/y",
		"LISTEN_ADDR":      "8080",
	}))
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, name := range []string{"SMTP_PORT", "BASE_URL", "SHUTDOWN_TIMEOUT", "DATABASE_URL", "LISTEN_ADDR"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error shows a secret value: %v", err)
	}
}

func TestSecretFromFile(t *testing.T) {
	path := t.TempDir() + "/pw"
	if err := os.WriteFile(path, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(map[string]string{"SMTP_PASSWORD_FILE": path}))
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPPassword != "s3cret" {
		t.Fatalf("password from file = %q", c.SMTPPassword)
	}
}

// The README documents every variable the portal reads.
func TestREADMEListsEveryOption(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range Options() {
		if !strings.Contains(string(readme), "`"+o.Name+"`") {
			t.Errorf("README.md does not document %s", o.Name)
		}
	}
}
