package account

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"missiongrants/internal/secret"
	"time"

	"github.com/lib/pq"

	"missiongrants/internal/db"
)

// Purpose says what an emailed link does; a token works for its purpose only.
type Purpose string

const (
	PurposeConfirmEmail  Purpose = "confirm_email"
	PurposeResetPassword Purpose = "reset_password"
	PurposeInvitation    Purpose = "invitation"
	PurposeChangeEmail   Purpose = "change_email"
)

// tokenData is the optional payload of a token.
type tokenData struct {
	Email     string   `json:"email,omitempty"`      // change_email: the new address
	Roles     []string `json:"roles,omitempty"`      // invitation
	InvitedBy int64    `json:"invited_by,omitempty"` // invitation
}

// issueToken stores a new token for userID and returns it; only its hash is
// kept, so the token exists in the email alone.
func issueToken(ctx context.Context, q db.Querier, userID int64, p Purpose, data tokenData, now time.Time, ttl time.Duration) (string, error) {
	token := secret.New()
	b, err := json.Marshal(data)
	if err != nil {
		return "", err
	}
	_, err = q.ExecContext(ctx, sqlIssueToken, userID, p, secret.Hash(token), b, now, now.Add(ttl))
	if err != nil {
		return "", fmt.Errorf("account.issueToken: %w", err)
	}
	return token, nil
}

// consumeToken uses a token once: the update that marks it used is the check,
// so two requests with one token cannot both pass. Using it also retires the
// person's other open tokens of that purpose (older reset links stop working).
func consumeToken(ctx context.Context, q db.Querier, p Purpose, token string, now time.Time) (int64, tokenData, error) {
	var userID int64
	var raw []byte
	err := q.QueryRowxContext(ctx, sqlConsumeToken, secret.Hash(token), p, now).Scan(&userID, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, tokenData{}, ErrTokenInvalid
	}
	if err != nil {
		return 0, tokenData{}, fmt.Errorf("account.consumeToken: %w", err)
	}
	var data tokenData
	if err := json.Unmarshal(raw, &data); err != nil {
		return 0, tokenData{}, fmt.Errorf("account.consumeToken: %w", err)
	}
	return userID, data, retireTokens(ctx, q, userID, now, p)
}

// retireTokens marks the user's open tokens of the given purposes (all when
// none given) as used.
func retireTokens(ctx context.Context, q db.Querier, userID int64, now time.Time, purposes ...Purpose) error {
	ps := make([]string, len(purposes))
	for i, p := range purposes {
		ps[i] = string(p)
	}
	_, err := q.ExecContext(ctx, sqlRetireTokens,
		userID, now, pq.StringArray(ps))
	if err != nil {
		return fmt.Errorf("account.retireTokens: %w", err)
	}
	return nil
}

// TokenUser returns the account a valid token belongs to without using it,
// for the page behind the link (an invitation shows the invited address).
func (s *Service) TokenUser(ctx context.Context, p Purpose, token string) (*User, error) {
	var u User
	err := s.db.GetContext(ctx, &u, sqlTokenUser,
		secret.Hash(token), p, s.now())
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrTokenInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("account.TokenUser: %w", err)
	}
	return &u, nil
}
