package account

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"

	"missiongrants/internal/db"
	"missiongrants/internal/i18n"
)

const (
	totpIssuer = "IPA Mission Grants"
	totpPeriod = 30 // seconds, what every authenticator app expects
	// totpSkew accepts the previous and next step too, for a phone's clock
	// that is a little off.
	totpSkew          = 1
	recoveryCodeCount = 10
)

var totpOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Enrolment is what the set-up page shows: the QR code, and the secret and
// otpauth URL for typing in or tapping.
type Enrolment struct {
	Secret string
	URL    string
	QRPNG  []byte
}

// BeginEnrolment starts setting up TOTP for the logged-in person. The secret
// is kept pending until ConfirmEnrolment; asking again (a reloaded page)
// shows the same one, so a code from an already scanned QR still works.
func (s *Service) BeginEnrolment(ctx context.Context, a Actor) (*Enrolment, error) {
	var key *otp.Key
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		if u.TOTPEnabled() {
			return fmt.Errorf("account.BeginEnrolment: TOTP already on: %w", ErrConflict)
		}
		opts := totp.GenerateOpts{Issuer: totpIssuer, AccountName: u.Email, Period: totpPeriod}
		if u.TOTPSecret.Valid {
			if opts.Secret, err = decodeSecret(u.TOTPSecret.String); err != nil {
				return err
			}
		}
		if key, err = totp.Generate(opts); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, sqlBeginEnrolment,
			u.ID, key.Secret(), s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	img, err := key.Image(256, 256)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return &Enrolment{Secret: key.Secret(), URL: key.URL(), QRPNG: buf.Bytes()}, nil
}

func decodeSecret(s string) ([]byte, error) {
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(s))
}

// ConfirmEnrolment turns TOTP on once a code from the app matches, and
// returns ten recovery codes to show once: only their hashes are kept.
func (s *Service) ConfirmEnrolment(ctx context.Context, a Actor, code string) ([]string, error) {
	if err := s.hitCode(ctx, a, a.UserID); err != nil {
		return nil, err
	}
	var codes []string
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		if u.TOTPEnabled() {
			return fmt.Errorf("account.ConfirmEnrolment: TOTP already on: %w", ErrConflict)
		}
		if !u.TOTPSecret.Valid {
			return ErrInvalidCode // enrolment not begun
		}
		if err := s.checkTOTP(ctx, tx, u, code); errors.Is(err, ErrInvalidCode) {
			// Said without recovery codes: there are none yet.
			return FieldErrors{"code": i18n.Msg("error.totp.setup_code")}
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlConfirmEnrolment, u.ID, s.now()); err != nil {
			return err
		}
		if codes, err = s.replaceRecoveryCodes(ctx, tx, u.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.totp_enabled", u.ID, u.Email, nil)
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// DisableTOTP turns TOTP off after asking for the password and a code again.
// Board members and admins keep it unless they have a passkey
// (keepSecondFactor); an admin's ResetTOTP helps one who lost the phone.
func (s *Service) DisableTOTP(ctx context.Context, a Actor, password, code string) error {
	if err := s.hitCode(ctx, a, a.UserID); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		if !u.TOTPEnabled() {
			return fmt.Errorf("account.DisableTOTP: TOTP is off: %w", ErrConflict)
		}
		if err := keepSecondFactor(&u.User, false, u.Passkeys); err != nil {
			return err
		}
		if err := s.reauthenticate(ctx, tx, a, u, password, code); err != nil {
			return err
		}
		if err := clearTOTP(ctx, tx, u.ID, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.totp_disabled", u.ID, u.Email, nil)
	})
}

// ResetTOTP is an admin turning off someone's second factors (TOTP and
// passkeys), for a person who lost both phone and recovery codes. Their
// sessions end; a board member or admin sets a second factor up again at
// the next login.
func (s *Service) ResetTOTP(ctx context.Context, a Actor, userID int64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		admin, err := requireAdmin(ctx, tx, a)
		if err != nil {
			return err
		}
		u, err := lockUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if err := clearTOTP(ctx, tx, u.ID, s.now()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, sqlPasskeysDeleteAll, u.ID)
		if err != nil {
			return fmt.Errorf("account.ResetTOTP: %w", err)
		}
		passkeys, _ := res.RowsAffected()
		ended, err := deleteSessions(ctx, tx, u.ID, "")
		if err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.totp_reset", u.ID, admin.Email,
			map[string]any{"email": u.Email, "sessions_ended": ended, "passkeys_removed": passkeys})
	})
}

// RegenerateRecoveryCodes replaces the recovery codes (after the password
// and a code again) and returns the new ones to show once.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, a Actor, password, code string) ([]string, error) {
	if err := s.hitCode(ctx, a, a.UserID); err != nil {
		return nil, err
	}
	var codes []string
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := lockUser(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		if !u.TOTPEnabled() {
			return fmt.Errorf("account.RegenerateRecoveryCodes: TOTP is off: %w", ErrConflict)
		}
		if err := s.reauthenticate(ctx, tx, a, u, password, code); err != nil {
			return err
		}
		if codes, err = s.replaceRecoveryCodes(ctx, tx, u.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "account.recovery_codes_regenerated", u.ID, u.Email, nil)
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// checkTOTP accepts code if it matches a step around now that is later than
// the last accepted one, and remembers that step, so no code works twice.
// u must be locked (lockUser).
func (s *Service) checkTOTP(ctx context.Context, tx *sqlx.Tx, u *userRow, code string) error {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != int(otp.DigitsSix) || !u.TOTPSecret.Valid {
		return ErrInvalidCode
	}
	now := s.now().Unix() / totpPeriod
	for step := now - totpSkew; step <= now+totpSkew; step++ {
		if step <= u.TOTPLastStep {
			continue // already used, or older than a used one
		}
		want, err := hotp.GenerateCodeCustom(u.TOTPSecret.String, uint64(step), totpOpts)
		if err != nil {
			return fmt.Errorf("account.checkTOTP: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			_, err := tx.ExecContext(ctx, sqlCheckTotp, u.ID, step)
			if err != nil {
				return fmt.Errorf("account.checkTOTP: %w", err)
			}
			u.TOTPLastStep = step
			return nil
		}
	}
	return ErrInvalidCode
}

// clearTOTP turns TOTP off and forgets the secret and recovery codes.
func clearTOTP(ctx context.Context, q db.Querier, userID int64, now time.Time) error {
	_, err := q.ExecContext(ctx, sqlClearTotp, userID, now)
	if err == nil {
		_, err = q.ExecContext(ctx, sqlClearRecoveryCodes, userID)
	}
	if err != nil {
		return fmt.Errorf("account.clearTOTP: %w", err)
	}
	return nil
}

// Recovery codes are 10 random base32 characters (50 bits) shown as
// "abcde-fghij"; that much randomness needs no slow hash, so SHA-256 it is.
func newRecoveryCode() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	out := make([]byte, 0, 11)
	for i, c := range b {
		if i == 5 {
			out = append(out, '-')
		}
		out = append(out, alphabet[c&31])
	}
	return string(out)
}

// hashRecoveryCode forgives case, spaces and dashes in what the person types.
func hashRecoveryCode(code string) string {
	norm := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(code)))
	h := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(h[:])
}

func (s *Service) replaceRecoveryCodes(ctx context.Context, q db.Querier, userID int64) ([]string, error) {
	if _, err := q.ExecContext(ctx, sqlRecoveryCodesDelete, userID); err != nil {
		return nil, fmt.Errorf("account.replaceRecoveryCodes: %w", err)
	}
	codes := make([]string, recoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		_, err := q.ExecContext(ctx, sqlRecoveryCodeInsert,
			userID, hashRecoveryCode(codes[i]), s.now())
		if err != nil {
			return nil, fmt.Errorf("account.replaceRecoveryCodes: %w", err)
		}
	}
	return codes, nil
}

// useRecoveryCode marks code used; the guarded update makes it single use
// even under concurrent requests.
func useRecoveryCode(ctx context.Context, q db.Querier, userID int64, code string, now time.Time) (remaining int, err error) {
	res, err := q.ExecContext(ctx, sqlUseRecoveryCode,
		userID, hashRecoveryCode(code), now)
	if err != nil {
		return 0, fmt.Errorf("account.useRecoveryCode: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, ErrInvalidCode
	}
	err = q.GetContext(ctx, &remaining, sqlRecoveryCodesLeft, userID)
	return remaining, err
}

// spendRecoveryCode uses code for u and records it either way; a failure is
// refused after committing its audit row.
func (s *Service) spendRecoveryCode(ctx context.Context, tx *sqlx.Tx, a Actor, u *userRow, code string) error {
	remaining, err := useRecoveryCode(ctx, tx, u.ID, code, s.now())
	if errors.Is(err, ErrInvalidCode) {
		if err := s.record(ctx, tx, a, "account.recovery_code_failed", u.ID, u.Email, nil); err != nil {
			return err
		}
		return refuse(ErrInvalidCode)
	}
	if err != nil {
		return err
	}
	return s.record(ctx, tx, a, "account.recovery_code_used", u.ID, u.Email, map[string]any{"remaining": remaining})
}

// RecoveryCodesLeft counts the unused recovery codes, for the profile page.
func (s *Service) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, sqlRecoveryCodesLeft, userID)
	return n, err
}
