package vote

import (
	"context"
	"fmt"
	"time"

	"missiongrants/internal/account"
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

// Minutes lists the votes closed from day from to day to (both included,
// UTC midnights: export.Period), oldest first, each with its record: the
// tally, who voted what, who was recused, whether there was a quorum. Admins only; an admin recused from an application (or a member
// of the charity that applied) reads its tally, not its ballots.
func (s *Service) Minutes(ctx context.Context, u *account.User, from, to time.Time) ([]Minute, error) {
	if !u.IsAdmin {
		return nil, ErrForbidden
	}
	var out []Minute
	err := s.db.SelectContext(ctx, &out, sqlMinutes, from, to.AddDate(0, 0, 1), u.ID)
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
