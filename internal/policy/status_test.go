package policy

import (
	"errors"
	"testing"
)

// Every event from every status by every role: exactly the listed moves are
// allowed.
func TestStateMachine(t *testing.T) {
	statuses := []Status{Draft, Submitted, Withdrawn, MoreInfoRequested, InReview, Voting, Approved, Declined,
		ConceptDraft, ConceptSubmitted, ConceptInfoRequested, Invited}
	events := []Event{EventSubmit, EventWithdraw, EventRequestInfo, EventResubmit, EventSendToBoard, EventDecline,
		EventOpenVote, EventApprove, EventVoteDecline, EventNoDecision, EventInvite}
	roles := []Role{RoleApplicant, RoleAdmin, RoleBoard, RoleVote}
	allowed := map[[3]string]Status{
		{"draft", "submit", "applicant"}:                 Submitted,
		{"submitted", "withdraw", "applicant"}:           Withdrawn,
		{"submitted", "request_info", "admin"}:           MoreInfoRequested,
		{"more_info_requested", "resubmit", "applicant"}: Submitted,
		{"more_info_requested", "withdraw", "applicant"}: Withdrawn,
		{"submitted", "send_to_board", "admin"}:          InReview,
		{"submitted", "decline", "admin"}:                Declined,
		{"in_review", "request_info", "admin"}:           MoreInfoRequested,
		{"in_review", "withdraw", "applicant"}:           Withdrawn,
		{"in_review", "open_vote", "admin"}:              Voting,
		{"approved", "open_vote", "admin"}:               Voting,
		{"voting", "approve", "vote"}:                    Approved,
		{"voting", "vote_decline", "vote"}:               Declined,
		{"voting", "no_decision", "vote"}:                InReview,
		// Two-stage rounds: the concept note, then the invited proposal.
		{"concept_draft", "submit", "applicant"}:            ConceptSubmitted,
		{"concept_draft", "withdraw", "applicant"}:          Withdrawn,
		{"concept_submitted", "withdraw", "applicant"}:      Withdrawn,
		{"concept_submitted", "invite", "admin"}:            Invited,
		{"concept_submitted", "invite", "board"}:            Invited,
		{"concept_submitted", "decline", "admin"}:           Declined,
		{"concept_submitted", "decline", "board"}:           Declined,
		{"concept_submitted", "request_info", "admin"}:      ConceptInfoRequested,
		{"concept_submitted", "request_info", "board"}:      ConceptInfoRequested,
		{"concept_info_requested", "resubmit", "applicant"}: ConceptSubmitted,
		{"concept_info_requested", "withdraw", "applicant"}: Withdrawn,
		{"invited", "submit", "applicant"}:                  Submitted,
		{"invited", "withdraw", "applicant"}:                Withdrawn,
	}
	for _, s := range statuses {
		for _, e := range events {
			for _, r := range roles {
				to, err := Next(s, e, r)
				want, ok := allowed[[3]string{string(s), string(e), string(r)}]
				switch {
				case ok && (err != nil || to != want):
					t.Errorf("%s --%s by %s--> %q, %v; want %s", s, e, r, to, err, want)
				case !ok && !errors.Is(err, ErrInvalidTransition):
					t.Errorf("%s --%s by %s--> %q allowed; want refused", s, e, r, to)
				}
			}
		}
	}
	if !Editable(Draft) || !Editable(MoreInfoRequested) || Editable(Submitted) || Editable(Withdrawn) ||
		!Editable(ConceptDraft) || !Editable(ConceptInfoRequested) || !Editable(Invited) || Editable(ConceptSubmitted) {
		t.Error("Editable")
	}
	for _, s := range statuses {
		if s.Concept() != (s == ConceptDraft || s == ConceptSubmitted || s == ConceptInfoRequested) {
			t.Errorf("%s.Concept() = %v", s, s.Concept())
		}
	}
}
