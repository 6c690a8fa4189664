package review

import (
	"context"
	"fmt"
)

// Member is a board member, as an admin picks one to record a conflict for.
type Member struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// Members lists the active board members by name.
func (s *Service) Members(ctx context.Context) ([]Member, error) {
	var out []Member
	if err := s.db.SelectContext(ctx, &out, sqlMembers); err != nil {
		return nil, fmt.Errorf("review.Members: %w", err)
	}
	return out, nil
}
