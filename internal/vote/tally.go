// Package vote runs the board's votes on applications: ballots, recusals
// and the tally. The rules of the tally are pure (this file), so every case
// is tested without a database.
package vote

// Choice is one board member's vote.
type Choice string

const (
	Approve Choice = "approve"
	Decline Choice = "decline"
	Abstain Choice = "abstain"
)

// Valid reports whether c is a choice a ballot may hold.
func (c Choice) Valid() bool { return c == Approve || c == Decline || c == Abstain }

// Rules are the board's settings. A fraction is Num/Den; "more than" is
// strict, so the defaults (1/2) mean a majority.
type Rules struct {
	// Quorum: more than QuorumNum/QuorumDen of the eligible (not recused)
	// members must cast a ballot, abstentions included.
	QuorumNum, QuorumDen int
	// Approval: more than ApproveNum/ApproveDen of the ballots for or
	// against (abstentions excluded) must approve.
	ApproveNum, ApproveDen int
}

// DefaultRules: quorum is a majority of the members not recused; approval a
// majority of the votes cast, abstentions excluded.
var DefaultRules = Rules{QuorumNum: 1, QuorumDen: 2, ApproveNum: 1, ApproveDen: 2}

// Decision is what a closed vote decided.
type Decision string

const (
	Approved Decision = "approved"
	Declined Decision = "declined"
	// NoDecision: no quorum, or nobody voted for or against; the vote may be reopened.
	NoDecision Decision = "none"
)

// Result is the tally of a closed vote.
type Result struct {
	Eligible  int // board members not recused
	Cast      int // ballots, abstentions included
	Approve   int
	Decline   int
	Abstain   int
	QuorumMet bool
	Decision  Decision
}

// Tally counts the ballots of the eligible members (recused members' ballots
// must not be passed: they cannot exist) under rules.
func Tally(eligible int, ballots []Choice, r Rules) Result {
	res := Result{Eligible: eligible}
	for _, b := range ballots {
		switch b {
		case Approve:
			res.Approve++
		case Decline:
			res.Decline++
		case Abstain:
			res.Abstain++
		default:
			continue
		}
		res.Cast++
	}
	// cast/eligible > num/den  ⇔  cast*den > num*eligible (integers, no rounding).
	res.QuorumMet = eligible > 0 && res.Cast*r.QuorumDen > r.QuorumNum*eligible
	votes := res.Approve + res.Decline
	switch {
	case !res.QuorumMet || votes == 0:
		res.Decision = NoDecision
	case res.Approve*r.ApproveDen > r.ApproveNum*votes:
		res.Decision = Approved
	default:
		res.Decision = Declined
	}
	return res
}
