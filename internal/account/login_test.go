package account_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"missiongrants/internal/account"
	"missiongrants/internal/refusal"
)

var smallLimits = account.Limits{
	LoginPerPair:     account.Limit{N: 3, Window: 15 * time.Minute},
	LoginPerAddress:  account.Limit{N: 100, Window: 15 * time.Minute},
	CodePerAccount:   account.Limit{N: 3, Window: 15 * time.Minute},
	CodePerAddress:   account.Limit{N: 100, Window: 15 * time.Minute},
	SignupPerEmail:   account.Limit{N: 3, Window: time.Hour},
	SignupPerAddress: account.Limit{N: 100, Window: time.Hour},
	ResetPerEmail:    account.Limit{N: 3, Window: time.Hour},
	ResetPerAddress:  account.Limit{N: 100, Window: time.Hour},
}

// Failed logins from one address lock that address out of the account for
// the rest of the window, even with the right password, and the answer
// says when to come back; the owner signs in from another address all the
// same. Two services (two processes) on one database share the count.
func TestLoginLockoutAcrossServices(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const email, password = "ana@example.org", "perfusion pumps at dawn"
	e.applicant(email, password)
	start := e.clock.Now()
	svcs := []*account.Service{e.service(smallLimits), e.service(smallLimits)}

	for i := range 3 {
		if _, err := svcs[i%2].Authenticate(ctx, web, email, "wrong password!"); !errors.Is(err, account.ErrInvalidCredentials) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
		e.clock.Add(time.Minute)
	}
	_, err := svcs[1].Authenticate(ctx, web, email, password)
	var rl *refusal.Error
	if !errors.As(err, &rl) || !errors.Is(err, account.ErrRateLimited) {
		t.Fatalf("fourth attempt: %v", err)
	}
	// Locked until 15 minutes after the first attempt, 12 minutes from now.
	if rl.RetryAfter != 12*time.Minute || rl.Args[1] != 12 || rl.Args[3] != start.Add(15*time.Minute).UTC().Format("15:04") {
		t.Fatalf("refusal %+v: the person is told to wait 12 minutes, until the time the lock ends", rl)
	}
	if e.auditCount("account.login_failed") != 3 {
		t.Errorf("failed logins in the audit trail: %d", e.auditCount("account.login_failed"))
	}
	// Another's mistakes never lock the owner out: from her own address she gets in.
	home := account.Actor{IP: "198.51.100.77", UserAgent: web.UserAgent}
	if _, err := svcs[0].Authenticate(ctx, home, email, password); err != nil {
		t.Fatalf("the owner from another address: %v", err)
	}

	e.clock.Add(12 * time.Minute)
	if _, err := svcs[0].Authenticate(ctx, web, email, password); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
}

// Many concurrent guesses from two processes get exactly the allowed number
// of password checks.
func TestConcurrentLoginsAreCountedOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.applicant("ana@example.org", "perfusion pumps at dawn")
	svcs := []*account.Service{e.service(smallLimits), e.service(smallLimits)}

	var checked, limited atomic.Int32
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := svcs[i%2].Authenticate(ctx, web, "ana@example.org", "a wrong guess")
			switch {
			case errors.Is(err, account.ErrInvalidCredentials):
				checked.Add(1)
			case errors.Is(err, account.ErrRateLimited):
				limited.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if checked.Load() != 3 || limited.Load() != 9 {
		t.Fatalf("%d checked, %d limited; want 3 and 9", checked.Load(), limited.Load())
	}
}

// One address trying many accounts is stopped too.
func TestLoginLimitedPerAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := smallLimits
	l.LoginPerAddress = account.Limit{N: 5, Window: time.Hour}
	svc := e.service(l)
	for i := range 5 {
		if _, err := svc.Authenticate(ctx, web, string(rune('a'+i))+"@example.org", "some password"); !errors.Is(err, account.ErrInvalidCredentials) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, err := svc.Authenticate(ctx, web, "z@example.org", "some password"); !errors.Is(err, account.ErrRateLimited) {
		t.Fatalf("sixth account from one address: %v", err)
	}
	other := web
	other.IP = "198.51.100.1"
	if _, err := svc.Authenticate(ctx, other, "z@example.org", "some password"); !errors.Is(err, account.ErrInvalidCredentials) {
		t.Fatalf("another address: %v", err)
	}
}

func TestLoginRefusesDeactivatedAndUnknownAlike(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.admin("ida@ipa.example")
	u := e.applicant("ana@example.org", "perfusion pumps at dawn")
	if err := e.svc.Deactivate(ctx, admin, u.ID); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"ana@example.org", "nobody@example.org"} {
		if _, err := e.svc.Authenticate(ctx, web, email, "perfusion pumps at dawn"); !errors.Is(err, account.ErrInvalidCredentials) {
			t.Errorf("%s: %v", email, err)
		}
	}
	var reasons []string
	e.db.Select(&reasons, `SELECT details->>'reason' FROM audit WHERE action = 'account.login_failed' AND ip = $1 ORDER BY id`, web.IP)
	if len(reasons) != 2 || reasons[0] != "inactive" || reasons[1] != "unknown_email" {
		t.Fatalf("audit reasons %v", reasons)
	}
}
