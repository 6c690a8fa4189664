package account

import (
	"context"
	"errors"

	"github.com/jmoiron/sqlx"
)

// DemoAccount is a seeded account and how to log in with it.
type DemoAccount struct {
	Email, Name, Password, Language string
	Roles                           Roles
	TOTPSecret                      string // board and admin; "" for applicants
}

// demoAccounts have known passwords and fixed TOTP secrets (base32, 20
// bytes), so a demo needs no set-up. Never seed them in production.
var demoAccounts = []DemoAccount{
	{Email: "admin@demo.missiongrants.test", Name: "Ada Admin", Password: "demo-admin-passphrase", Language: "en",
		Roles: Roles{Admin: true, Board: true}, TOTPSecret: "DEMOADMINTOTPSECRETAAAAAAAAAAAAA"},
	{Email: "board@demo.missiongrants.test", Name: "Bruno Board", Password: "demo-board-passphrase", Language: "en",
		Roles: Roles{Board: true}, TOTPSecret: "DEMOBOARDTOTPSECRETBBBBBBBBBBBBB"},
	{Email: "staff@demo.missiongrants.test", Name: "Sofía Staff", Password: "demo-staff-passphrase", Language: "es",
		Roles: Roles{Admin: true}, TOTPSecret: "DEMOSTAFFTOTPSECRETCCCCCCCCCCCCC"},
	{Email: "applicant@demo.missiongrants.test", Name: "Alex Applicant", Password: "demo-applicant-passphrase", Language: "en"},
	{Email: "solicitante@demo.missiongrants.test", Name: "Lucía Solicitante", Password: "demo-solicitante-clave", Language: "es"},
}

// SeedDemo creates the demo accounts of every role, confirmed and active,
// with TOTP already on for board members and admins. Accounts that exist
// are left as they are, so running it twice changes nothing. It returns the
// accounts for the seed-demo command to print.
func (s *Service) SeedDemo(ctx context.Context) ([]DemoAccount, error) {
	for _, d := range demoAccounts {
		hash, err := hashPassword(d.Password)
		if err != nil {
			return nil, err
		}
		err = s.inTx(ctx, func(tx *sqlx.Tx) error {
			now := s.now()
			id, err := insertUser(ctx, tx, newUser{
				Email: d.Email, Name: d.Name, Language: d.Language, PasswordHash: hash,
				Roles: d.Roles, ConfirmedAt: &now, TOTPSecret: d.TOTPSecret,
			}, now)
			if errors.Is(err, ErrConflict) {
				return nil
			}
			if err != nil {
				return err
			}
			return s.record(ctx, tx, Actor{}, "account.demo_seeded", id, "seed-demo command",
				map[string]any{"email": d.Email, "roles": d.Roles.Names()})
		})
		if err != nil {
			return nil, err
		}
	}
	return append([]DemoAccount(nil), demoAccounts...), nil
}
