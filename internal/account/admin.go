package account

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/i18n"
	mailtmpl "missiongrants/templates/mail"
)

// Invitation is an admin's invitation of a board member or admin.
type Invitation struct {
	Email, Name string
	Language    string // of the invitation mail and the account
	Roles       Roles  // at least one
}

// requireAdmin loads the acting admin, refusing anyone else. An admin who
// has not set up TOTP yet may not act as one.
func requireAdmin(ctx context.Context, tx *sqlx.Tx, a Actor) (*User, error) {
	if a.UserID == 0 {
		return nil, ErrForbidden
	}
	u, err := getUser(ctx, tx, a.UserID)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrForbidden
	}
	if err != nil {
		return nil, err
	}
	if !u.Active || !u.IsAdmin || u.NeedsTwoFactor() {
		return nil, ErrForbidden
	}
	return u, nil
}

// Invite creates an account for a board member or admin and mails a link
// with which they set their name and password (AcceptInvitation). Inviting
// an address whose invitation is still pending sends a new link.
func (s *Service) Invite(ctx context.Context, a Actor, in Invitation) (*User, error) {
	in.Email, in.Name = normalizeEmail(in.Email), strings.TrimSpace(in.Name)
	fe := FieldErrors{}
	fe.Add("email", validateEmail(in.Email))
	fe.Add("name", validateName(in.Name))
	fe.Add("language", validateLanguage(in.Language))
	if !in.Roles.Admin && !in.Roles.Board {
		fe["roles"] = i18n.Msg("error.roles.required")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var invited *User
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		admin, err := requireAdmin(ctx, tx, a)
		if err != nil {
			return err
		}
		now := s.now()
		id, err := insertUser(ctx, tx, newUser{Email: in.Email, Name: in.Name, Language: in.Language, Roles: in.Roles}, now)
		if errors.Is(err, ErrConflict) {
			// Only an invitation still pending may be sent again; an admin
			// may know that an address has an account.
			u, err := lockUserByEmail(ctx, tx, in.Email)
			if err != nil {
				return err
			}
			if !u.InvitationPending {
				return FieldErrors{"email": i18n.Msg("error.email.taken")}
			}
			id = u.ID
			_, err = tx.ExecContext(ctx, sqlInvite, id, in.Name, in.Language, in.Roles.Admin, in.Roles.Board, now)
			if err != nil {
				return fmt.Errorf("account.Invite: %w", err)
			}
			if err := retireTokens(ctx, tx, id, now, PurposeInvitation); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		token, err := issueToken(ctx, tx, id, PurposeInvitation,
			tokenData{Roles: in.Roles.Names(), InvitedBy: admin.ID}, now, s.cfg.InvitationTTL)
		if err != nil {
			return err
		}
		err = s.outbox.Send(ctx, tx, in.Language, in.Email, mailtmpl.Invitation{
			Name: in.Name, Inviter: admin.Name, RoleKey: invitationRoleKey(in.Roles),
			Link: s.link(PathAcceptInvitation, token), Expires: s.cfg.InvitationTTL,
		})
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, "account.invited", id, admin.Email,
			map[string]any{"email": in.Email, "roles": in.Roles.Names()}); err != nil {
			return err
		}
		invited, err = getUser(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return invited, nil
}

// AcceptInvitation sets the invited person's name and password with the
// invitation link, which also confirms the address. The web layer then logs
// them in (CreateSession with LoginInvitation); board members and admins
// are asked to set up TOTP next.
func (s *Service) AcceptInvitation(ctx context.Context, a Actor, token, name, password string) (*User, error) {
	name = strings.TrimSpace(name)
	fe := FieldErrors{}
	fe.Add("name", validateName(name))
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var user *User
	now := s.now()
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		id, _, err := consumeToken(ctx, tx, PurposeInvitation, token, now)
		if err != nil {
			return err
		}
		u, err := lockUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if !u.Active {
			return ErrTokenInvalid
		}
		if err := ValidatePassword(password, u.Email); err != nil {
			fe.Add("password", err)
			return fe // rolled back: the link still works
		}
		hash, err := hashPassword(password)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlAcceptInvitation, id, name); err != nil {
			return err
		}
		if err := setPassword(ctx, tx, id, hash, now); err != nil {
			return err
		}
		a.UserID = id
		if err := s.record(ctx, tx, a, "account.invitation_accepted", id, u.Email, map[string]any{"roles": u.Roles().Names()}); err != nil {
			return err
		}
		user, err = getUser(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return user, nil
}

// SetRoles changes an account's roles. The last active admin keeps the role.
func (s *Service) SetRoles(ctx context.Context, a Actor, userID int64, r Roles) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		admin, err := requireAdmin(ctx, tx, a)
		if err != nil {
			return err
		}
		admins, err := lockActiveAdmins(ctx, tx)
		if err != nil {
			return err
		}
		u, err := lockUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Roles() == r {
			return nil
		}
		if u.IsAdmin && !r.Admin && u.Active && !hasOther(admins, u.ID) {
			return ErrLastAdmin
		}
		if err := setRoles(ctx, tx, u.ID, r, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.roles_changed", u.ID, admin.Email,
			map[string]any{"email": u.Email, "from": u.Roles().Names(), "to": r.Names()})
	})
}

// Deactivate shuts an account: it cannot log in, and every session it has
// ends at once (SessionUser stops finding them). Its open links stop working.
func (s *Service) Deactivate(ctx context.Context, a Actor, userID int64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		admin, err := requireAdmin(ctx, tx, a)
		if err != nil {
			return err
		}
		if userID == admin.ID {
			return ErrForbidden // an admin locking themselves out is never meant
		}
		admins, err := lockActiveAdmins(ctx, tx)
		if err != nil {
			return err
		}
		u, err := lockUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if !u.Active {
			return nil
		}
		if u.IsAdmin && !hasOther(admins, u.ID) {
			return ErrLastAdmin
		}
		now := s.now()
		if err := setActive(ctx, tx, u.ID, false, now); err != nil {
			return err
		}
		ended, err := deleteSessions(ctx, tx, u.ID, "")
		if err != nil {
			return err
		}
		if err := retireTokens(ctx, tx, u.ID, now); err != nil {
			return err
		}
		if err := s.outbox.Send(ctx, tx, u.Language, u.Email, mailtmpl.AccountDeactivated{Name: u.Name}); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.deactivated", u.ID, admin.Email,
			map[string]any{"email": u.Email, "sessions_ended": ended})
	})
}

// Reactivate opens a deactivated account again.
func (s *Service) Reactivate(ctx context.Context, a Actor, userID int64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		admin, err := requireAdmin(ctx, tx, a)
		if err != nil {
			return err
		}
		u, err := lockUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Active {
			return nil
		}
		if err := setActive(ctx, tx, u.ID, true, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.reactivated", u.ID, admin.Email, map[string]any{"email": u.Email})
	})
}

// invitationRoleKey names the roles in the invitation mail.
func invitationRoleKey(r Roles) string {
	switch {
	case r.Admin && r.Board:
		return "mail.invitation.role_admin_board"
	case r.Admin:
		return "mail.invitation.role_admin"
	default:
		return "mail.invitation.role_board"
	}
}

// hasOther reports whether ids holds an id other than id.
func hasOther(ids []int64, id int64) bool {
	return slices.ContainsFunc(ids, func(x int64) bool { return x != id })
}

// CreateAdmin creates a confirmed admin account, for the create-admin
// command; the admin sets up TOTP at first login. ErrConflict: the address
// already has an account.
func (s *Service) CreateAdmin(ctx context.Context, email, name, password string) (*User, error) {
	email, name = normalizeEmail(email), strings.TrimSpace(name)
	fe := FieldErrors{}
	fe.Add("email", validateEmail(email))
	fe.Add("name", validateName(name))
	fe.Add("password", ValidatePassword(password, email))
	if err := fe.Err(); err != nil {
		return nil, err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return nil, err
	}
	var user *User
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		now := s.now()
		id, err := insertUser(ctx, tx, newUser{
			Email: email, Name: name, Language: i18n.Default, PasswordHash: hash,
			Roles: Roles{Admin: true}, ConfirmedAt: &now,
		}, now)
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, Actor{}, "account.admin_created", id, "create-admin command", map[string]any{"email": email}); err != nil {
			return err
		}
		user, err = getUser(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return user, nil
}
