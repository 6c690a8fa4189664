package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"missiongrants/internal/config"
	"missiongrants/internal/demo"
	"missiongrants/internal/portal"
)

// createAdmin makes the first admin account of a new installation:
//
//	missiongrants create-admin -email ana@example.org -name "Ana Pérez"
//
// The password is read from ADMIN_PASSWORD or, when unset, from standard input.
// The admin sets up two-factor at first login.
func createAdmin(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	fs := flag.NewFlagSet("create-admin", flag.ContinueOnError)
	email := fs.String("email", "", "the admin's email address")
	name := fs.String("name", "", "the admin's full name")
	if err := fs.Parse(os.Args[2:]); err != nil {
		return err
	}
	if *email == "" || *name == "" {
		return errors.New("create-admin needs -email and -name")
	}
	password := os.Getenv("ADMIN_PASSWORD")
	if password == "" {
		fmt.Fprint(os.Stderr, "Password for the new admin: ")
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("reading the password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	pool, _, stop, err := database(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stop()
	a, err := portal.New(ctx, cfg, pool, portal.Options{Log: log})
	if err != nil {
		return err
	}
	u, err := a.Accounts.CreateAdmin(ctx, *email, *name, password)
	if err != nil {
		return err
	}
	fmt.Printf("admin %s (%s) created; they set up two-factor at first login\n", u.Email, u.Name)
	return nil
}

// seedDemoCmd loads the demo accounts and the demo's history into the
// configured database.
func seedDemoCmd(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	pool, _, stop, err := database(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stop()
	a, err := portal.New(ctx, cfg, pool, portal.Options{Log: log})
	if err != nil {
		return err
	}
	return seedDemo(ctx, a)
}

// seedDemo loads the demo accounts, then three years of the portal's use
// for them to find (once: a second start changes nothing), and prints how
// to log in with them.
func seedDemo(ctx context.Context, a *portal.Portal) error {
	accounts, err := a.Accounts.SeedDemo(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	if err := demo.Seed(ctx, a.DB, now); err != nil {
		return err
	}
	if err := demo.Documents(ctx, a.DB, a.Docs, a.Accounts, now); err != nil {
		return err
	}
	fmt.Printf("\n  Demo accounts (password, and the TOTP secret to add to an authenticator app):\n")
	for _, d := range accounts {
		fmt.Printf("    %-36s %-27s %-15s", d.Email, d.Password, strings.Join(d.Roles.Names(), "+"))
		if d.TOTPSecret != "" {
			fmt.Printf(" TOTP %s", d.TOTPSecret)
		}
		fmt.Println()
	}
	fmt.Println()
	return nil
}
