package testenv

import "testing"

// Full skips t in the fast tier (go test -short), which needs only
// PostgreSQL and runs in under a minute: a test that needs another service
// (Chromium, clamd, versitygw, mailpit) or takes more than a few seconds
// calls it, naming why. browser.Open, Clamd, VersityGW and Mailpit call it
// themselves. The README's test command never passes -short, so everything
// runs there.
func Full(t testing.TB, needs string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("needs %s; run without -short", needs)
	}
}
