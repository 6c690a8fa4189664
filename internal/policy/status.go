// Package policy holds the grant process's rules in one place: the
// statuses an application passes through and the one table of moves
// between them (this file), and what each person may do to an application
// now, and why not (policy.go). Services refuse by it, pages show a control
// only when it allows it; no other package decides either.
package policy

import "fmt"

// Status is where an application stands.
type Status string

const (
	Draft             Status = "draft"
	Submitted         Status = "submitted"
	Withdrawn         Status = "withdrawn"
	MoreInfoRequested Status = "more_info_requested"
	InReview          Status = "in_review" // screened and sent to the board
	Voting            Status = "voting"    // a vote is open
	Approved          Status = "approved"
	Declined          Status = "declined"

	// The concept note's statuses, in a two-stage round: the charity writes
	// a short note first, and writes the full proposal only when invited.
	ConceptDraft         Status = "concept_draft"
	ConceptSubmitted     Status = "concept_submitted"
	ConceptInfoRequested Status = "concept_info_requested"
	// Invited: the IPA invited the full proposal, which the charity now
	// writes (a draft, by the invitation's deadline).
	Invited Status = "invited"
)

// Event is what happens to an application.
type Event string

const (
	EventSubmit      Event = "submit"
	EventWithdraw    Event = "withdraw"
	EventRequestInfo Event = "request_info"
	EventResubmit    Event = "resubmit"
	EventSendToBoard Event = "send_to_board" // screening passed
	EventDecline     Event = "decline"       // screening refused it, with a reason
	EventOpenVote    Event = "open_vote"
	EventApprove     Event = "approve"      // the vote's decision
	EventVoteDecline Event = "vote_decline" // the vote's decision
	EventNoDecision  Event = "no_decision"  // the vote closed without quorum: back to review
	EventInvite      Event = "invite"       // a concept note's answer: write the full proposal
)

// Role is who acts on an application.
type Role string

const (
	RoleApplicant Role = "applicant" // a member of the owning organization
	RoleAdmin     Role = "admin"
	RoleBoard     Role = "board"
	// RoleVote is the closed vote itself moving the application: its result
	// decides, not a person.
	RoleVote Role = "vote"
)

// transition is one allowed move: from a status, by an event, by a role.
type transition struct {
	from  Status
	event Event
	by    Role
	to    Status
}

// transitions is the whole state machine: any move not listed is refused.
var transitions = []transition{
	{Draft, EventSubmit, RoleApplicant, Submitted},
	{Submitted, EventWithdraw, RoleApplicant, Withdrawn},
	{Submitted, EventRequestInfo, RoleAdmin, MoreInfoRequested},
	{MoreInfoRequested, EventResubmit, RoleApplicant, Submitted},
	{MoreInfoRequested, EventWithdraw, RoleApplicant, Withdrawn},

	// Screening.
	{Submitted, EventSendToBoard, RoleAdmin, InReview},
	{Submitted, EventDecline, RoleAdmin, Declined},
	{InReview, EventRequestInfo, RoleAdmin, MoreInfoRequested},
	{InReview, EventWithdraw, RoleApplicant, Withdrawn},

	// The vote.
	{InReview, EventOpenVote, RoleAdmin, Voting},
	// An award different from the one approved needs a new vote, until
	// the award is recorded (policy.OpenVote).
	{Approved, EventOpenVote, RoleAdmin, Voting},
	{Voting, EventApprove, RoleVote, Approved},
	{Voting, EventVoteDecline, RoleVote, Declined},
	{Voting, EventNoDecision, RoleVote, InReview},

	// A two-stage round's concept note, decided by the admins or by the
	// board as the round says (policy.DecideConcept): invited, declined
	// with a reason, or a question the charity answers by sending it again.
	{ConceptDraft, EventSubmit, RoleApplicant, ConceptSubmitted},
	{ConceptDraft, EventWithdraw, RoleApplicant, Withdrawn},
	{ConceptSubmitted, EventWithdraw, RoleApplicant, Withdrawn},
	{ConceptSubmitted, EventInvite, RoleAdmin, Invited},
	{ConceptSubmitted, EventInvite, RoleBoard, Invited},
	{ConceptSubmitted, EventDecline, RoleAdmin, Declined},
	{ConceptSubmitted, EventDecline, RoleBoard, Declined},
	{ConceptSubmitted, EventRequestInfo, RoleAdmin, ConceptInfoRequested},
	{ConceptSubmitted, EventRequestInfo, RoleBoard, ConceptInfoRequested},
	{ConceptInfoRequested, EventResubmit, RoleApplicant, ConceptSubmitted},
	{ConceptInfoRequested, EventWithdraw, RoleApplicant, Withdrawn},
	// The invited full proposal, by the invitation's deadline.
	{Invited, EventSubmit, RoleApplicant, Submitted},
	{Invited, EventWithdraw, RoleApplicant, Withdrawn},
}

// Next is the status after event by role from status, or ErrInvalidTransition.
func Next(from Status, event Event, by Role) (Status, error) {
	for _, t := range transitions {
		if t.from == from && t.event == event && t.by == by {
			return t.to, nil
		}
	}
	return "", fmt.Errorf("%w: %s by %s from %s", ErrInvalidTransition, event, by, from)
}

// Editable reports whether the charity may change the form in status s:
// the full proposal's, or at the concept stage the concept note's.
func Editable(s Status) bool {
	return s == Draft || s == MoreInfoRequested || s == Invited || s == ConceptDraft || s == ConceptInfoRequested
}

// Asked reports whether the IPA asked the charity to amend and resubmit.
func (s Status) Asked() bool { return s == MoreInfoRequested || s == ConceptInfoRequested }

// Concept reports whether s is a status of the concept note: the charity
// writes, or the IPA decides on, the note and not the full proposal.
func (s Status) Concept() bool {
	return s == ConceptDraft || s == ConceptSubmitted || s == ConceptInfoRequested
}

// Funded reports whether the board approved the trip: it has an award to
// come, and reports on the trip after.
func (s Status) Funded() bool { return s == Approved }

// BeforeBoard reports whether the board acts on an application in status
// s: it was screened and sent to the board, and may be under a vote.
func BeforeBoard(s Status) bool { return s == InReview || s == Voting }

// Allowed lists the events role may cause from status s, for the page's buttons.
func Allowed(s Status, by Role) []Event {
	var out []Event
	for _, t := range transitions {
		if t.from == s && t.by == by {
			out = append(out, t.event)
		}
	}
	return out
}
