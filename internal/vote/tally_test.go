package vote

import "testing"

func TestTally(t *testing.T) {
	A, D, X := Approve, Decline, Abstain
	cases := []struct {
		name     string
		eligible int
		ballots  []Choice
		rules    Rules
		quorum   bool
		decision Decision
	}{
		{"clear approval", 7, []Choice{A, A, A, D}, DefaultRules, true, Approved},
		{"clear decline", 7, []Choice{D, D, D, A}, DefaultRules, true, Declined},
		{"no quorum: half is not a majority", 6, []Choice{A, A, A}, DefaultRules, false, NoDecision},
		{"quorum exactly a majority", 6, []Choice{A, A, A, D}, DefaultRules, true, Approved},
		{"abstentions count for quorum", 5, []Choice{A, X, X}, DefaultRules, true, Approved},
		{"tie is not approval", 5, []Choice{A, A, D, D}, DefaultRules, true, Declined},
		{"all abstain: no decision", 5, []Choice{X, X, X, X, X}, DefaultRules, true, NoDecision},
		{"nobody voted", 5, nil, DefaultRules, false, NoDecision},
		{"everyone recused", 0, nil, DefaultRules, false, NoDecision},
		{"abstentions excluded from approval", 5, []Choice{A, D, X, X}, DefaultRules, true, Declined},
		{"two-thirds rule not met", 9, []Choice{A, A, A, A, D, D, D}, Rules{1, 2, 2, 3}, true, Declined},
		{"two-thirds rule met", 9, []Choice{A, A, A, A, A, D, D}, Rules{1, 2, 2, 3}, true, Approved},
		{"unknown ballots ignored", 3, []Choice{"maybe", A, A}, DefaultRules, true, Approved},
	}
	for _, tc := range cases {
		r := Tally(tc.eligible, tc.ballots, tc.rules)
		if r.QuorumMet != tc.quorum || r.Decision != tc.decision {
			t.Errorf("%s: quorum %v decision %s; want %v %s (%+v)", tc.name, r.QuorumMet, r.Decision, tc.quorum, tc.decision, r)
		}
	}
}

// A changed vote counts once, as its last choice: the store keeps one ballot
// per member, so Tally sees the final choice only.
func TestAChangedVoteCountsOnce(t *testing.T) {
	final := map[string]Choice{"ana": Approve, "bo": Decline}
	final["bo"] = Approve // bo changes their vote
	var ballots []Choice
	for _, c := range final {
		ballots = append(ballots, c)
	}
	if r := Tally(3, ballots, DefaultRules); r.Approve != 2 || r.Decline != 0 || r.Decision != Approved {
		t.Fatalf("%+v", r)
	}
}
