package vote_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"missiongrants/internal/vote"
)

// The minutes list the votes closed in the period with their records, for
// admins only.
func TestMinutes(t *testing.T) {
	b := setup(t, 3)
	ctx := context.Background()
	b.toBoard(t)
	for _, m := range b.members {
		b.declare(t, m, false)
	}
	id := b.open(t)
	if err := b.votes.Cast(ctx, act(b.members[0]), b.members[0], id, vote.Approve, "=1+1"); err != nil {
		t.Fatal(err)
	}
	if err := b.votes.Cast(ctx, act(b.members[1]), b.members[1], id, vote.Approve, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := b.votes.Close(ctx, act(b.admin), b.admin, id); err != nil {
		t.Fatal(err)
	}
	day := b.now.Truncate(24 * time.Hour)
	list, err := b.votes.Minutes(ctx, b.admin, day, day)
	if err != nil || len(list) != 1 {
		t.Fatalf("minutes: %d, %v", len(list), err)
	}
	m := list[0]
	if m.Title != "Misión Santo Domingo" || m.Organization != "Corazones" || m.Outcome == nil || !m.Outcome.QuorumMet ||
		m.Outcome.Decision != vote.Approved || len(m.Outcome.Ballots) != 2 || m.Outcome.Ballots[0].Comment != "=1+1" {
		t.Fatalf("minute: %+v, record %+v", m, m.Outcome)
	}
	if list, err := b.votes.Minutes(ctx, b.admin, day.AddDate(0, 0, 1), day.AddDate(0, 0, 2)); err != nil || len(list) != 0 {
		t.Errorf("the next days list %d votes (%v)", len(list), err)
	}
	if _, err := b.votes.Minutes(ctx, b.members[0], day, day); !errors.Is(err, vote.ErrForbidden) {
		t.Errorf("a board member reads the minutes: %v", err)
	}
}
