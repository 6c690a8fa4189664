package vote

import (
	"context"
	"fmt"
	"strings"
	"time"

	"missiongrants/internal/account"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
)

// Minute is one closed vote as the minutes record it.
type Minute struct {
	Vote
	Title        string  `db:"title"`
	Organization string  `db:"organization"`
	Outcome      *Record `db:"-"` // the record kept at the close
	// Withheld: the reader is recused from the application (or a member of
	// the charity): the record keeps its tally but not who voted what.
	Withheld bool `db:"withheld"`
}

// Period is the minutes' span of days, both included.
type Period struct {
	From, To time.Time // dates (UTC midnight)
}

// MaxMinutesDays bounds one period of the minutes.
const MaxMinutesDays = 3660

// ParsePeriod reads the minutes' from and to (YYYY-MM-DD); an empty from is
// the first day of today's year, an empty to is today.
func ParsePeriod(from, to string, today time.Time) (Period, error) {
	y, m, d := today.UTC().Date()
	p := Period{From: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	fe := i18n.FieldErrors{}
	if strings.TrimSpace(from) != "" {
		t, err := field.Date(from, false)
		fe.Add("from", err)
		p.From = t
	}
	if strings.TrimSpace(to) != "" {
		t, err := field.Date(to, false)
		fe.Add("to", err)
		p.To = t
	}
	if len(fe) == 0 && (p.To.Before(p.From) || p.To.Sub(p.From) > MaxMinutesDays*24*time.Hour) {
		fe["to"] = i18n.Msg("error.minutes.period")
	}
	return p, fe.Err()
}

// Minutes lists the votes closed in the period, oldest first, each with its
// record: the tally, who voted what, who was recused, whether there was a
// quorum. Admins only; an admin recused from an application (or a member
// of the charity that applied) reads its tally, not its ballots.
func (s *Service) Minutes(ctx context.Context, u *account.User, p Period) ([]Minute, error) {
	if !u.IsAdmin {
		return nil, ErrForbidden
	}
	var out []Minute
	err := s.db.SelectContext(ctx, &out, `SELECT v.id, v.application_id, v.proposed_cents, v.approved_cents, v.currency, v.conditions, v.opened_at,
			v.closes_at, v.closed_at, v.decision, v.result, a.title, o.legal_name AS organization,
			(EXISTS (SELECT 1 FROM conflicts c WHERE c.application_id = a.id AND c.user_id = $3 AND c.has_conflict)
				OR EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = a.organization_id AND m.user_id = $3)) AS withheld
		FROM votes v JOIN applications a ON a.id = v.application_id JOIN organizations o ON o.id = a.organization_id
		WHERE v.closed_at >= $1 AND v.closed_at < $2 ORDER BY v.closed_at, v.id`, p.From, p.To.AddDate(0, 0, 1), u.ID)
	if err != nil {
		return nil, fmt.Errorf("vote.Minutes: %w", err)
	}
	for i := range out {
		if out[i].Outcome, err = out[i].Record(); err != nil {
			return nil, fmt.Errorf("vote.Minutes: vote %d: %w", out[i].ID, err)
		}
		if out[i].Withheld && out[i].Outcome != nil {
			out[i].Outcome.Ballots = nil
		}
	}
	return out, nil
}
