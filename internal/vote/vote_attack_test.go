package vote_test

import (
	"context"
	"errors"
	"testing"

	"missiongrants/internal/policy"
	"missiongrants/internal/vote"
)

// Attack: a board member votes, then leaves the board (or is deactivated)
// before the vote closes. The tally no longer counts them as eligible, but
// still counts their ballot: a person who is no longer on the board decides
// the vote, and more ballots are cast than there are eligible members.
func TestAttackBallotOfAMemberWhoLeftTheBoardStillCounts(t *testing.T) {
	t.Parallel()
	b := setup(t, 3)
	ctx := context.Background()
	b.toBoard(t)
	for _, m := range b.members {
		b.declare(t, m, false)
	}
	v := b.open(t)
	must(t, b.votes.Cast(ctx, act(b.members[0]), b.members[0], v, vote.Approve, ""))
	must(t, b.votes.Cast(ctx, act(b.members[1]), b.members[1], v, vote.Approve, ""))
	// members[0] leaves the board, members[1] is deactivated.
	if _, err := b.db.Exec(`UPDATE users SET is_board = false WHERE id = $1`, b.members[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.db.Exec(`UPDATE users SET active = false WHERE id = $1`, b.members[1].ID); err != nil {
		t.Fatal(err)
	}
	rec, err := b.votes.Close(ctx, act(b.admin), b.admin, v)
	if err != nil {
		t.Fatal(err)
	}
	// Eligible now: members[2] alone, who did not vote.
	if rec.Cast > rec.Eligible || rec.Approve != 0 || rec.Decision == vote.Approved {
		t.Fatalf("ballots of people no longer on the board decided the vote: eligible %d, cast %d, approve %d, decision %s",
			rec.Eligible, rec.Cast, rec.Approve, rec.Decision)
	}
}

// Attack (role combination): a board member who is also a member of the
// applying charity may not vote on its application (policy.ErrOwnCharity),
// yet the tally counts them among the eligible. On a board of two the
// other member's approval can then never reach a quorum: the charity's
// own member blocks every decision by being unable to vote.
func TestAttackBoardMemberOfTheCharityCountsAsEligible(t *testing.T) {
	t.Parallel()
	b := setup(t, 2)
	ctx := context.Background()
	insider := b.members[1]
	if _, err := b.db.Exec(`INSERT INTO organization_members (organization_id, user_id)
		SELECT organization_id, $2 FROM applications WHERE id = $1`, b.app, insider.ID); err != nil {
		t.Fatal(err)
	}
	b.toBoard(t)
	b.declare(t, b.members[0], false)
	v := b.open(t)
	if err := b.votes.Cast(ctx, act(insider), insider, v, vote.Decline, ""); !errors.Is(err, policy.ErrOwnCharity) {
		t.Fatalf("the charity's own member voted: %v", err)
	}
	must(t, b.votes.Cast(ctx, act(b.members[0]), b.members[0], v, vote.Approve, ""))
	rec, err := b.votes.Close(ctx, act(b.admin), b.admin, v)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Eligible != 1 || rec.Decision != vote.Approved {
		t.Fatalf("a member who may not vote counts as eligible: eligible %d, cast %d, decision %s", rec.Eligible, rec.Cast, rec.Decision)
	}
}

// Attack (information leak): an admin recused from an application reads
// the minutes, which list every ballot of its vote by name, with comments.
// The application's page hides the ballots from a recused person; the
// minutes (page and CSV, both built from vote.Minutes) do not.
func TestAttackMinutesShowARecusedAdminTheBallots(t *testing.T) {
	t.Parallel()
	b := setup(t, 3)
	ctx := context.Background()
	recused := b.user(t, "rita@ipa.example", false, true)
	b.toBoard(t)
	b.declare(t, recused, true)
	for _, m := range b.members {
		b.declare(t, m, false)
	}
	v := b.open(t)
	must(t, b.votes.Cast(ctx, act(b.members[0]), b.members[0], v, vote.Approve, "BALLOT-SECRET"))
	must(t, b.votes.Cast(ctx, act(b.members[1]), b.members[1], v, vote.Decline, ""))
	if _, err := b.votes.Close(ctx, act(b.admin), b.admin, v); err != nil {
		t.Fatal(err)
	}
	day := b.now.Truncate(24 * 60 * 60 * 1e9)
	list, err := b.votes.Minutes(ctx, recused, day, day)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if m.ApplicationID == b.app && m.Outcome != nil && len(m.Outcome.Ballots) > 0 {
			t.Fatalf("the minutes show an admin recused from the application its %d ballots: %+v", len(m.Outcome.Ballots), m.Outcome.Ballots)
		}
	}
	// The admin not recused still reads them.
	list, err = b.votes.Minutes(ctx, b.admin, day, day)
	if err != nil || len(list) != 1 || list[0].Outcome == nil || len(list[0].Outcome.Ballots) != 2 {
		t.Fatalf("the minutes for the admin not recused: %+v, %v", list, err)
	}
}
