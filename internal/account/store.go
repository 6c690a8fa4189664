package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"missiongrants/internal/db"
)

func getUser(ctx context.Context, q db.Querier, id int64) (*User, error) {
	var u User
	err := q.GetContext(ctx, &u, sqlGetUser, id)
	if err != nil {
		return nil, fmt.Errorf("account.getUser: %w", db.NotFound(err))
	}
	return &u, nil
}

// lockUser loads a user with its secrets and locks the row until the
// transaction ends, so two changes of one account run one after the other.
func lockUser(ctx context.Context, q db.Querier, id int64) (*userRow, error) {
	var u userRow
	err := q.GetContext(ctx, &u, sqlLockUser, id)
	if err != nil {
		return nil, fmt.Errorf("account.lockUser: %w", db.NotFound(err))
	}
	return &u, nil
}

// lockUserByEmail is lockUser by address, whatever its case.
func lockUserByEmail(ctx context.Context, q db.Querier, email string) (*userRow, error) {
	var u userRow
	err := q.GetContext(ctx, &u, sqlLockUserByEmail, email)
	if err != nil {
		return nil, fmt.Errorf("account.lockUserByEmail: %w", db.NotFound(err))
	}
	return &u, nil
}

// listUsers pages through accounts whose name or email contains search.
func listUsers(ctx context.Context, q db.Querier, search string, limit, offset int) ([]User, error) {
	out := []User{}
	err := q.SelectContext(ctx, &out, sqlListUsers, search, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("account.listUsers: %w", err)
	}
	return out, nil
}

// newUser is a row to insert.
type newUser struct {
	Email, Name, Language string
	PasswordHash          string // "" for an invitation
	Roles                 Roles
	ConfirmedAt           *time.Time
	TOTPSecret            string // demo accounts only: enabled at once
}

// insertUser adds u, or returns ErrConflict when its email is taken.
func insertUser(ctx context.Context, q db.Querier, u newUser, now time.Time) (int64, error) {
	var totpEnabledAt *time.Time
	if u.TOTPSecret != "" {
		totpEnabledAt = &now
	}
	var id int64
	err := q.QueryRowxContext(ctx, sqlInsertUser,
		u.Email, u.Name, u.Language, u.PasswordHash, u.Roles.Admin, u.Roles.Board, u.ConfirmedAt,
		u.TOTPSecret, totpEnabledAt, now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrConflict
	}
	if err != nil {
		return 0, fmt.Errorf("account.insertUser: %w", err)
	}
	return id, nil
}

// setPassword stores a new hash; the person proved the address, so it also
// counts as confirmed.
func setPassword(ctx context.Context, q db.Querier, id int64, hash string, now time.Time) error {
	_, err := q.ExecContext(ctx, sqlSetPassword, id, hash, now)
	if err != nil {
		return fmt.Errorf("account.setPassword: %w", err)
	}
	return nil
}

func confirmEmail(ctx context.Context, q db.Querier, id int64, now time.Time) error {
	_, err := q.ExecContext(ctx, sqlConfirmEmail, id, now)
	if err != nil {
		return fmt.Errorf("account.confirmEmail: %w", err)
	}
	return nil
}

func setEmail(ctx context.Context, q db.Querier, id int64, email string, now time.Time) error {
	_, err := q.ExecContext(ctx, sqlSetEmail, id, email, now)
	if db.IsUniqueViolation(err, "users_email_key") {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("account.setEmail: %w", err)
	}
	return nil
}

func setProfile(ctx context.Context, q db.Querier, id int64, p Profile, now time.Time) error {
	_, err := q.ExecContext(ctx, sqlSetProfile,
		id, p.Name, p.Language, p.NotifyEmail, p.NotifyDigest, p.TimeZone, now)
	if err != nil {
		return fmt.Errorf("account.setProfile: %w", err)
	}
	return nil
}

func setRoles(ctx context.Context, q db.Querier, id int64, r Roles, now time.Time) error {
	_, err := q.ExecContext(ctx, sqlSetRoles,
		id, r.Admin, r.Board, now)
	if err != nil {
		return fmt.Errorf("account.setRoles: %w", err)
	}
	return nil
}

func setActive(ctx context.Context, q db.Querier, id int64, active bool, now time.Time) error {
	_, err := q.ExecContext(ctx, sqlSetActive, id, active, now)
	if err != nil {
		return fmt.Errorf("account.setActive: %w", err)
	}
	return nil
}

// lockActiveAdmins returns the active admins' ids, locked in id order, so
// two admins demoting each other at once cannot both succeed (nor deadlock).
func lockActiveAdmins(ctx context.Context, q db.Querier) ([]int64, error) {
	var ids []int64
	err := q.SelectContext(ctx, &ids, sqlLockActiveAdmins)
	if err != nil {
		return nil, fmt.Errorf("account.lockActiveAdmins: %w", err)
	}
	return ids, nil
}
