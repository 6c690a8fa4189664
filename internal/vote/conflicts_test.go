package vote_test

import (
	"context"
	"errors"
	"missiongrants/internal/account"
	"missiongrants/internal/db"
	"testing"

	"missiongrants/internal/i18n"
	"missiongrants/internal/policy"
	"missiongrants/internal/review"
	"missiongrants/internal/vote"
)

// An admin who is also on the board declares a conflict. She cannot clear
// it herself, by either form; she reads neither the reviews nor the
// discussion, and neither opens nor closes the vote. Another admin clears
// it, with a reason, and the audit trail keeps who and why.
func TestConflictedAdminTakesNoPartAndCannotClearHerConflict(t *testing.T) {
	t.Parallel()
	b := setup(t, 3)
	ctx := context.Background()
	ada := b.user(t, "ada@ipa.example", true, true)
	other := b.user(t, "otto@ipa.example", false, true)
	b.toBoard(t)
	b.declare(t, ada, true)

	if err := b.reviews.Declare(ctx, act(ada), ada, b.app, false, ""); !errors.Is(err, review.ErrAlreadyDeclared) {
		t.Errorf("cleared her own conflict by declaring: %v", err)
	}
	if err := b.reviews.RecordFor(ctx, act(ada), ada, ada.ID, b.app, false, "no longer"); !errors.Is(err, policy.ErrRecused) {
		t.Errorf("cleared her own conflict as an admin: %v", err)
	}
	if _, err := b.votes.OpenVote(ctx, act(ada), ada, b.app, vote.Input{Proposed: "18,000", ClosesAt: "2026-12-01T18:00"}); !errors.Is(err, policy.ErrRecused) {
		t.Errorf("opened the vote: %v", err)
	}
	if err := b.reviews.Discuss(ctx, act(ada), ada, b.app, "I know them well"); !errors.Is(err, policy.ErrRecused) {
		t.Errorf("discussed: %v", err)
	}
	b.declare(t, b.members[0], false)
	if err := b.reviews.Submit(ctx, act(b.members[0]), b.members[0], b.app, full("4")); err != nil {
		t.Fatal(err)
	}
	if r, _ := b.reviewsSeenBy(t, ada); len(r) != 0 {
		t.Errorf("a recused admin reads %d reviews", len(r))
	}
	v := b.open(t)
	if _, err := b.votes.Close(ctx, act(ada), ada, v); !errors.Is(err, policy.ErrRecused) {
		t.Errorf("closed the vote: %v", err)
	}

	// Another admin clears it, and must say why.
	var fe i18n.FieldErrors
	if err := b.reviews.RecordFor(ctx, act(other), other, ada.ID, b.app, false, ""); !errors.As(err, &fe) || fe["note"].Key != "error.review.clear_reason" {
		t.Fatalf("cleared without a reason: %v", err)
	}
	if err := b.reviews.RecordFor(ctx, act(other), other, ada.ID, b.app, false, "the link ended in 2024"); err != nil {
		t.Fatal(err)
	}
	var audited int
	if err := b.db.Get(&audited, `SELECT count(*) FROM audit WHERE action = 'review.conflict_declared' AND actor_id = $1
		AND details->>'note' = 'the link ended in 2024' AND (details->>'member_id')::bigint = $2`, other.ID, ada.ID); err != nil || audited != 1 {
		t.Errorf("the clearing in the audit trail: %d (%v)", audited, err)
	}
	if r, _ := b.reviewsSeenBy(t, ada); len(r) != 1 {
		t.Errorf("once cleared she reads the reviews: %d", len(r))
	}
	// Nobody records a declaration for themselves.
	if err := b.reviews.RecordFor(ctx, act(other), other, other.ID, b.app, true, ""); !errors.Is(err, review.ErrOwnDeclaration) {
		t.Errorf("recorded her own declaration: %v", err)
	}
}

// An approving vote records the amount it approved: the most the award
// may be.
func TestApprovalRecordsTheApprovedAmount(t *testing.T) {
	t.Parallel()
	b := setup(t, 1)
	ctx := context.Background()
	b.toBoard(t)
	b.declare(t, b.members[0], false)
	v := b.open(t)
	if err := b.votes.Cast(ctx, act(b.members[0]), b.members[0], v, vote.Approve, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := b.votes.Close(ctx, act(b.admin), b.admin, v); err != nil {
		t.Fatal(err)
	}
	got, err := b.votes.Current(ctx, b.members[0], b.app)
	if err != nil || got.Approved == nil || *got.Approved != 1800000 {
		t.Fatalf("approved amount %v (%v), want US$18,000", got.Approved, err)
	}
	// Read with the vote, each reader's own ballot, and no one else's.
	if got.MyChoice != vote.Approve {
		t.Errorf("the member who approved reads their ballot as %q", got.MyChoice)
	}
	if other, err := b.votes.Current(ctx, b.admin, b.app); err != nil || other.MyChoice != "" {
		t.Errorf("the admin, who cast none, reads a ballot %q (%v)", other.MyChoice, err)
	}
}

// An award other than the one approved needs a new vote: after an
// approval the admins may open another, for the amount they mean to award.
func TestAnotherAmountNeedsANewVote(t *testing.T) {
	t.Parallel()
	b := setup(t, 1)
	ctx := context.Background()
	b.toBoard(t)
	b.declare(t, b.members[0], false)
	approve := func(v int64) {
		t.Helper()
		if err := b.votes.Cast(ctx, act(b.members[0]), b.members[0], v, vote.Approve, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := b.votes.Close(ctx, act(b.admin), b.admin, v); err != nil {
			t.Fatal(err)
		}
	}
	approve(b.open(t))
	again, err := b.votes.OpenVote(ctx, act(b.admin), b.admin, b.app, vote.Input{Proposed: "25,000", ClosesAt: "2026-12-01T18:00"})
	if err != nil {
		t.Fatalf("a new vote after the approval: %v", err)
	}
	approve(again)
	got, err := b.votes.Current(ctx, b.admin, b.app)
	if err != nil || got.Approved == nil || *got.Approved != 2500000 || b.status(t) != "approved" {
		t.Fatalf("after the second vote: approved %v, status %s (%v)", got.Approved, b.status(t), err)
	}
}

// The vote is announced to those who may vote only: not to a board member
// who belongs to the charity (the policy refuses their ballot), nor to one
// recused.
func TestVoteAnnouncedToThoseWhoMayVote(t *testing.T) {
	t.Parallel()
	b := setup(t, 3)
	insider, recused, free := b.members[0], b.members[1], b.members[2]
	if _, err := b.db.Exec(`INSERT INTO organization_members (organization_id, user_id)
		SELECT organization_id, $2 FROM applications WHERE id = $1`, b.app, insider.ID); err != nil {
		t.Fatal(err)
	}
	// The board hears the application is before it; not the insider.
	told := map[string]bool{}
	for _, m := range b.toBoard(t) {
		told[m.To] = true
	}
	if told[insider.Email] || !told[recused.Email] || !told[free.Email] {
		t.Errorf("the application's arrival before the board was told to %v", told)
	}
	b.declare(t, recused, true)
	b.open(t)
	for _, u := range []*account.User{insider, recused} {
		if m := b.queue.To(u.Email); len(m) != 0 {
			t.Errorf("%s was told of a vote they may not cast: %v", u.Email, m[0].Subject)
		}
	}
	if len(b.queue.To(free.Email)) != 1 {
		t.Errorf("the member who may vote was not told")
	}
}

// Closed by no one named, a vote is the clock's to close, and only once it
// is due: SQL that closes it early without naming the admin is refused.
func TestOnlyTheClockClosesAVoteWithNoOneNamed(t *testing.T) {
	t.Parallel()
	b := setup(t, 1)
	b.toBoard(t)
	v := b.open(t) // closes on 2026-12-01
	_, err := b.db.Exec(`UPDATE votes SET closed_at = '2026-11-26T00:00:00Z', decision = 'approved', approved_cents = proposed_cents,
		result = '{}' WHERE id = $1`, v)
	if !db.IsCheckViolation(err, "vote_closed_by_clock") {
		t.Fatalf("a vote closed early by no one: %v", err)
	}
}
