package form

import (
	"net/url"

	"missiongrants/internal/application"
	"missiongrants/internal/review"
	"missiongrants/internal/vote"
)

// Screening reads the screening form: the ticked checks (check=KEY, one
// per box), the outcome and its note.
func Screening(v url.Values) application.Screening {
	sc := application.Screening{Checks: map[string]bool{}, Outcome: value(v, "outcome"), Note: value(v, "note")}
	for _, c := range v["check"] {
		for _, known := range application.ScreeningChecks {
			if c == known {
				sc.Checks[c] = true
			}
		}
	}
	return sc
}

// Queue reads the board queue's filter from the query string.
func Queue(v url.Values) application.QueueInput {
	return application.QueueInput{
		Status: value(v, "status"), Round: value(v, "round"), Country: value(v, "country"),
		TripFrom: value(v, "trip_from"), TripTo: value(v, "trip_to"),
		AmountMin: value(v, "amount_min"), AmountMax: value(v, "amount_max"),
		NeedsMyReview: v.Get("mine") == "review", NeedsMyVote: v.Get("mine") == "vote",
		AssignedToMe: v.Get("mine") == "assigned",
		Search:       value(v, "q"), Before: value(v, "before"),
	}
}

// Review reads the scoring form: score_KEY for each criterion (1 to 5),
// the comment and the recommendation.
func Review(v url.Values, criteria []review.Criterion) review.Input {
	in := review.Input{Scores: map[string]string{}, Comment: value(v, "review_comment"), Recommendation: value(v, "recommendation")}
	for _, c := range criteria {
		in.Scores[c.Key] = value(v, "score_"+c.Key)
	}
	return in
}

// Declaration is a conflict-of-interest declaration as posted: Conflict is
// "yes", "no" or "" (not chosen).
type Declaration struct {
	Conflict, Note string
	MemberID       string // the member an admin records it for
}

// Declare reads a board member's own declaration.
func Declare(v url.Values) Declaration {
	return Declaration{Conflict: value(v, "conflict"), Note: value(v, "conflict_note")}
}

// RecordConflict reads an admin's form recording a member's declaration.
func RecordConflict(v url.Values) Declaration {
	return Declaration{Conflict: value(v, "member_conflict"), Note: value(v, "member_note"), MemberID: value(v, "member")}
}

// VoteOpen reads an admin's form opening a vote.
func VoteOpen(v url.Values) vote.Input {
	return vote.Input{Proposed: value(v, "proposed"), Conditions: value(v, "conditions"), ClosesAt: value(v, "closes_at")}
}

// Ballot is a board member's ballot as posted.
type Ballot struct {
	VoteID  string // the vote the member saw
	Choice  vote.Choice
	Comment string
}

// CastBallot reads the ballot form.
func CastBallot(v url.Values) Ballot {
	return Ballot{VoteID: value(v, "vote"), Choice: vote.Choice(value(v, "choice")), Comment: value(v, "ballot_comment")}
}
