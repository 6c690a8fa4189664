package view

import (
	"missiongrants/internal/application"
	"missiongrants/internal/assign"
	"missiongrants/internal/award"
	"missiongrants/internal/policy"
	"missiongrants/internal/review"
	"missiongrants/internal/vote"
	"missiongrants/internal/web/form"
)

// Screening is the admins' screening form, while the application waits
// to be screened.
type Screening struct {
	Checks  []ScreeningCheck
	Outcome string
	Note    string
}

// ScreeningCheck is one item of the screening checklist.
type ScreeningCheck struct {
	Key     string
	Checked bool
}

// Decision is what was decided, shown to the charity and the IPA alike.
type Decision struct {
	Approved   bool
	Amount     string
	Conditions string
	Reason     string // the screening's reason for declining; "" when the board declined
}

// Board is what board members and admins see and do on an application.
type Board struct {
	Admin, Member bool // the viewer is an admin, a board member (or both)
	BeforeBoard   bool // in review or voting: the board acts on it
	Standing      review.Standing
	Mine          *review.Declaration // the viewer's own declaration
	Declarations  []review.Declaration
	Conflict      form.Declaration // the declaration form as typed

	// FullRecord: a closed vote's record shows who voted what, to an admin
	// who may read the board's work (policy.SeeReviews: not recused).
	FullRecord bool

	Criteria        []Criterion
	Choices         []string
	Recommendations []string
	Recommendation  string
	Comment         string
	Weighted        string // the viewer's own weighted total, once reviewed
	Reviews         []Review
	Mean            string // the mean weighted total of the reviews that count
	Counted         int    // how many of the reviews shown count (review.Review.Counts)

	Discussion  []review.Comment
	CommentBody string

	Others []application.Earlier
	// AllOthers is the queue searched for the charity's name, when it has
	// sent more applications than Others lists; empty otherwise.
	AllOthers string
	// Outcomes are the charity's earlier trips with their reports and
	// outcomes, for those who may read the board's work (policy.SeeReviews);
	// nil otherwise, or when the charity has no earlier trip.
	Outcomes *OutcomeHistory

	// Reviewers are those assigned, with whether each has reviewed, for
	// those who may read the board's work (policy.SeeAssignments);
	// Assign: the viewer may change them (policy.AssignReviewers).
	Reviewers []assign.Reviewer
	Assign    bool

	Members    []review.Member // admins record conflicts for them
	MemberForm form.Declaration

	Vote       *Vote
	VoteForm   vote.Input
	OverBudget bool // the proposed award exceeds the round's remaining budget: ask to confirm
}

// Criterion is one scoring criterion as the review form shows it.
type Criterion struct {
	Key, Name string
	Weight    int
	Value     string // the score chosen, "1" to "5", or ""
}

// Review is one board member's review as the panel shows it.
type Review struct {
	review.Review
	Scores []Score // in the criteria's order
	Mine   bool
}

// Score is one criterion's score in a review.
type Score struct {
	Name  string
	Score int
}

// Vote is the application's latest vote as the board's panel shows it.
type Vote struct {
	*vote.Vote
	Open      bool
	Proposed  string
	Closes    string
	ClosesISO string
	Choice    vote.Choice // the viewer's ballot
	Comment   string
	Blocked   string // why the viewer cannot vote, in the page's language
	Record    *vote.Record
}

// Award is the award panel of an approved application.
type Award struct {
	Award       *award.Award
	Amount      string
	Paid        string
	Outstanding string
	Instalments []InstalmentRow
	Payments    []PaymentRow
	Viewer      int64 // who looks: a payment is approved by another admin
	// Creating: the form to make the award, prefilled from the vote.
	Create   *award.Input
	Approved string // the amount the board approved, the most the award may be
	// Duplicate: the payment form came back as like one already recorded,
	// asking the admin to confirm it is another.
	Duplicate    bool
	Cancelling   int64 // the payment whose cancel form came back refused
	CancelReason string
	Pay          award.PaymentInput // the payment form as typed, when it comes back refused
	FormKey      string             // the one-time key of the page's payment form; each reversal form adds its line's id
	Methods      []string
	Today        string
	Budget       string // the round's remaining budget, for admins
	Currency     string
	// AgreementSigned: the charity signed the grant agreement (no money
	// moves before).
	AgreementSigned bool
}

// InstalmentRow is one scheduled payment, its amounts formatted.
type InstalmentRow struct {
	award.Instalment
	Amount, Paid, Outstanding string
}

// PaymentRow is one line of the ledger, its amount formatted.
type PaymentRow struct {
	award.Payment
	Amount string
}

// ApplicationShow is the application page (application_show).
type ApplicationShow struct {
	Page
	App      *application.Application
	Member   bool
	Events   []string
	Timeline []application.TimelineEntry
	Versions []application.Version
	Changes  []application.Change
	Messages []application.Post
	Amount   string
	Country  string
	Body     string
	Question string
	// Can is what the viewer may do now (policy.For): the page shows a
	// control only when it allows it.
	Can policy.Can
	// CanAsk: the "ask for more information" form, unless the screening
	// form (which also asks) is shown.
	CanAsk bool
	Latest *application.Version // the IPA's link to the application as submitted
	// The board's parts (application_board.go): nil for the charity.
	Screening *Screening
	Board     *Board
	Decision  *Decision
	Award     *Award // award_pages.go: approved applications

}
