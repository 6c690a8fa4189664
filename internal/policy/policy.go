package policy

import "missiongrants/internal/refusal"

// Person is someone as the rules see them on one application.
type Person struct {
	ID           int64 // 0: nobody is signed in
	Admin, Board bool
	// Member: of the charity that applied. A member is the applicant on
	// their own charity's application, whatever else they are at the IPA.
	Member bool
	// Signatory: a member who may sign for the charity (who registered it,
	// or whom they named).
	Signatory bool
	// Declared: declared a conflict of interest, or none, on this application.
	Declared bool
	// Recused: declared a conflict (or had one recorded), on this
	// application or a standing one with its charity. A recused person
	// takes no part in the board's work nor in the money, by any route; they
	// may still read the charity's submission.
	Recused bool
}

// IPA reports whether p acts for the IPA on this application: a board
// member or admin who is not one of the charity's members.
func (p Person) IPA() bool { return (p.Admin || p.Board) && !p.Member }

// Facts is what the rules need to know of an application now.
type Facts struct {
	Status Status
	// VoteOpen: a vote is open and its closing time has not passed.
	VoteOpen bool
	// Awarded: the award is recorded.
	Awarded bool
	// Report is the post-trip report's status ("" when none was started).
	Report ReportStatus
	// Agreement is where the award's grant agreement stands.
	Agreement AgreementStatus
	// ConceptByBoard: the round has the board, not the admins, decide on
	// its concept notes.
	ConceptByBoard bool
}

// ConceptRole is who decides on a concept note of a round with facts f.
func ConceptRole(f Facts) Role {
	if f.ConceptByBoard {
		return RoleBoard
	}
	return RoleAdmin
}

// AgreementStatus is where the grant agreement stands.
type AgreementStatus string

const (
	AgreementNone     AgreementStatus = ""         // no award, or none issued
	AgreementUnsigned AgreementStatus = "unsigned" // issued, waiting for the charity
	AgreementSigned   AgreementStatus = "signed"
)

// ReportStatus is where a post-trip report stands.
type ReportStatus string

const (
	ReportNone                 ReportStatus = ""
	ReportDraft                ReportStatus = "draft"
	ReportSubmitted            ReportStatus = "submitted"
	ReportCorrectionsRequested ReportStatus = "corrections_requested"
	ReportAccepted             ReportStatus = "accepted"
)

// Action is something a person may do to an application.
type Action string

// Every action the rules decide; Actions lists them all.
const (
	View            Action = "view"             // read the submission and its thread
	Edit            Action = "edit"             // change the draft and its documents
	Submit          Action = "submit"           // send (or send again) the application
	Withdraw        Action = "withdraw"         // take back one the IPA has received
	DeleteDraft     Action = "delete_draft"     // throw away a draft never sent
	PostMessage     Action = "post_message"     // write in the thread with the charity
	Screen          Action = "screen"           // send to the board or decline
	RequestInfo     Action = "request_info"     // ask the charity to amend it
	DeclareConflict Action = "declare_conflict" // one's own conflict of interest, or none
	RecordConflict  Action = "record_conflict"  // an admin records another member's declaration
	Review          Action = "review"           // score it
	SeeReviews      Action = "see_reviews"
	// SeeAssignments: who was assigned to review it and whether each has;
	// as the reviews themselves, for those who may read the board's work.
	SeeAssignments  Action = "see_assignments"
	Discuss         Action = "discuss" // the board's internal discussion
	SeeDiscussion   Action = "see_discussion"
	OpenVote        Action = "open_vote"
	CloseVote       Action = "close_vote"
	CastBallot      Action = "cast_ballot"
	Award           Action = "award" // record the award and its schedule
	Pay             Action = "pay"   // record a payment
	ApprovePayment  Action = "approve_payment"
	CancelPayment   Action = "cancel_payment" // reject a payment still waiting for approval
	ReversePayment  Action = "reverse_payment"
	WriteReport     Action = "write_report" // the post-trip report
	ReviewReport    Action = "review_report"
	SignAgreement   Action = "sign_agreement"   // the charity accepts the grant agreement
	VoidAgreement   Action = "void_agreement"   // an admin withdraws an unsigned one, to issue a corrected one
	AssignReviewers Action = "assign_reviewers" // an admin chooses who reviews it
	// BeAssigned is decided for the board member an admin would assign: a
	// member in conflict (on this application or standing with the
	// charity) is never assigned.
	BeAssigned Action = "be_assigned"
	// DecideConcept: invite the full proposal, decline the concept note
	// with a reason, or ask the charity about it; the admins, or the board
	// when the round says so.
	DecideConcept Action = "decide_concept"
)

// Actions is every action, in the order pages list them.
var Actions = []Action{View, Edit, Submit, Withdraw, DeleteDraft, PostMessage, Screen, RequestInfo, DeclareConflict, RecordConflict,
	Review, SeeReviews, SeeAssignments, Discuss, SeeDiscussion, OpenVote, CloseVote, CastBallot, Award, Pay, ApprovePayment,
	CancelPayment, ReversePayment, WriteReport, ReviewReport, SignAgreement, VoidAgreement, AssignReviewers, BeAssigned, DecideConcept}

// The refusals of the rules; services return them as Decide gives them.
var (
	ErrForbidden = refusal.Forbidden("error.http.403")
	// ErrOwnCharity: someone at the IPA who is a member of the charity
	// takes no part in judging or paying its application.
	ErrOwnCharity = refusal.Forbidden("error.policy.own_charity")
	ErrNotBoard   = refusal.Forbidden("error.review.not_board")
	ErrRecused    = refusal.Forbidden("error.review.recused")
	ErrUndeclared = refusal.Conflict("error.review.undeclared")
	// ErrAlreadyDeclared: one's own conflict stays until another admin clears it.
	ErrAlreadyDeclared = refusal.Conflict("error.review.already_declared")
	// ErrNotInReview: the application is not before the board.
	ErrNotInReview = refusal.Conflict("error.review.not_in_review")
	ErrNotEditable = refusal.Conflict("error.app.not_editable")
	// ErrInvalidTransition: not in this state (the state machine's refusal).
	ErrInvalidTransition = refusal.Conflict("error.app.invalid_transition")
	ErrVoteClosed        = refusal.Conflict("error.vote.closed")
	ErrNotApproved       = refusal.Conflict("error.award.not_approved")
	ErrAwarded           = refusal.Conflict("error.award.exists")
	ErrNoAward           = refusal.Conflict("error.policy.no_award")
	ErrReportNotEditable = refusal.Conflict("error.report.not_editable")
	ErrNotFunded         = refusal.Conflict("error.report.not_funded")
	ErrReportNotSent     = refusal.Conflict("error.policy.report_not_submitted")
	// ErrUnsigned: no money moves before the charity signed the agreement.
	ErrUnsigned = refusal.Conflict("error.policy.agreement_unsigned")
	// ErrNoAgreement: no agreement is waiting for a signature.
	ErrNoAgreement = refusal.Conflict("error.policy.no_agreement")
	// ErrNotSignatory: only the charity's signatories sign for it.
	ErrNotSignatory = refusal.Forbidden("error.policy.not_signatory")
)

// Decide is the rule for every action: nil when p may do a to an
// application with facts f now, otherwise the refusal that says why not.
func Decide(p Person, f Facts, a Action) error {
	if p.ID == 0 {
		return ErrForbidden
	}
	switch a {
	case View:
		return either(p.Member || p.Admin || p.Board, ErrForbidden)
	case Edit:
		return charity(p, Editable(f.Status), ErrNotEditable)
	case Submit:
		return charity(p, Editable(f.Status), ErrInvalidTransition)
	case Withdraw:
		_, err := Next(f.Status, EventWithdraw, RoleApplicant)
		return charity(p, err == nil, ErrInvalidTransition)
	case DeleteDraft: // a draft was never sent: nothing of it is the IPA's to keep
		return charity(p, f.Status == Draft, ErrInvalidTransition)
	case PostMessage:
		if p.Member {
			return nil
		}
		return staff(p, true, nil)
	case Screen:
		return staff(p, f.Status == Submitted, ErrInvalidTransition)
	case RequestInfo: // on a concept note, asking is DecideConcept's
		_, err := Next(f.Status, EventRequestInfo, RoleAdmin)
		return staff(p, err == nil && !f.Status.Concept(), ErrInvalidTransition)
	case DecideConcept:
		if f.ConceptByBoard {
			return boardPart(p, f.Status == ConceptSubmitted, ErrInvalidTransition)
		}
		return staff(p, f.Status == ConceptSubmitted, ErrInvalidTransition)
	case DeclareConflict: // a conflict stays until another admin clears it
		return firstOf(ipa(p), either(!p.Recused, ErrAlreadyDeclared), either(Declarable(f.Status), ErrNotInReview))
	case RecordConflict:
		return staff(p, Declarable(f.Status), ErrNotInReview)
	case Review:
		return boardPart(p, BeforeBoard(f.Status), ErrNotInReview)
	case SeeReviews, SeeAssignments, SeeDiscussion:
		if p.Admin { // admins run the process: they read without declaring
			return firstOf(ipa(p), unrecused(p))
		}
		return boardPart(p, true, nil)
	case Discuss:
		if p.Admin {
			return firstOf(ipa(p), unrecused(p), either(BeforeBoard(f.Status), ErrNotInReview))
		}
		return boardPart(p, BeforeBoard(f.Status), ErrNotInReview)
	case OpenVote: // again after an approval, for another amount, until the award is recorded
		return staff(p, f.Status == InReview || f.Status == Approved && !f.Awarded, ErrInvalidTransition)
	case CloseVote:
		return staff(p, f.Status == Voting, ErrInvalidTransition)
	case CastBallot:
		return boardPart(p, f.Status == Voting && f.VoteOpen, ErrVoteClosed)
	case Award:
		return staff(p, f.Status == Approved, ErrNotApproved, either(!f.Awarded, ErrAwarded))
	case Pay, ApprovePayment, CancelPayment, ReversePayment: // no money moves before the signature
		return staff(p, f.Awarded, ErrNoAward, either(f.Agreement == AgreementSigned, ErrUnsigned))
	case SignAgreement:
		return charity(p, f.Agreement == AgreementUnsigned, ErrNoAgreement, either(p.Signatory, ErrNotSignatory))
	case VoidAgreement:
		return staff(p, f.Agreement == AgreementUnsigned, ErrNoAgreement)
	case WriteReport:
		editable := f.Report == ReportNone || f.Report == ReportDraft || f.Report == ReportCorrectionsRequested
		return charity(p, f.Status == Approved, ErrNotFunded, either(editable, ErrReportNotEditable))
	case ReviewReport:
		return staff(p, f.Report == ReportSubmitted, ErrReportNotSent)
	case AssignReviewers:
		return staff(p, Assignable(f.Status), ErrNotInReview)
	case BeAssigned: // before declaring: the assignment asks them to
		return firstOf(either(p.Board, ErrNotBoard), ipa(p), unrecused(p), either(Assignable(f.Status), ErrNotInReview))
	}
	return ErrForbidden // an action nobody has written a rule for
}

// Declarable reports whether conflicts of interest are declared on an
// application in status s: from its submission (its concept note's, in a
// two-stage round) until the money is paid.
func Declarable(s Status) bool {
	return s == Submitted || s == MoreInfoRequested || s == InReview || s == Voting || s == Approved ||
		s == ConceptSubmitted || s == ConceptInfoRequested || s == Invited
}

// Assignable reports whether reviewers are assigned to an application in
// status s: from its submission until the board's vote ends.
func Assignable(s Status) bool {
	return s == Submitted || s == MoreInfoRequested || s == InReview || s == Voting
}

// charity: the charity's own members, when ok.
func charity(p Person, ok bool, notNow error, more ...error) error {
	return firstOf(append([]error{either(p.Member, ErrForbidden), either(ok, notNow)}, more...)...)
}

// staff: admins acting for the IPA and not recused, when ok.
func staff(p Person, ok bool, notNow error, more ...error) error {
	return firstOf(append([]error{either(p.Admin, ErrForbidden), ipa(p), unrecused(p), either(ok, notNow)}, more...)...)
}

// boardPart: board members who declared no conflict, when ok.
func boardPart(p Person, ok bool, notNow error) error {
	return firstOf(either(p.Board, ErrNotBoard), ipa(p), unrecused(p), either(p.Declared, ErrUndeclared), either(ok, notNow))
}

func ipa(p Person) error {
	if p.Member {
		return ErrOwnCharity
	}
	return either(p.Admin || p.Board, ErrForbidden)
}

func unrecused(p Person) error { return either(!p.Recused, ErrRecused) }

func either(ok bool, refused error) error {
	if ok {
		return nil
	}
	return refused
}

func firstOf(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Can is what one person may do to one application now, for a page to
// show only the controls that will work. It decides when asked: a page
// asks about a few actions, and deciding all of them for each of a
// charity's applications was a tenth of its home page's CPU.
type Can struct {
	p  Person
	f  Facts
	ok bool // false in the zero Can, which allows nothing
}

// For is what p may do on an application with facts f.
func For(p Person, f Facts) Can { return Can{p: p, f: f, ok: true} }

// Do reports whether the action is allowed: {{if .Can.Do "review"}}.
func (c Can) Do(a Action) bool { return c.Why(a) == nil }

// Why is the refusal for an action that is not allowed (nil when it is).
func (c Can) Why(a Action) error {
	if !c.ok {
		return ErrForbidden
	}
	return Decide(c.p, c.f, a)
}
