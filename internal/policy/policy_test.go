package policy

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"missiongrants/internal/refusal"
)

// The kinds of person the rules tell apart.
var people = map[string]Person{
	"charity member":             {ID: 1, Member: true},
	"other charity's member":     {ID: 2},
	"board member":               {ID: 3, Board: true, Declared: true},
	"undeclared board member":    {ID: 4, Board: true},
	"recused board member":       {ID: 5, Board: true, Declared: true, Recused: true},
	"admin":                      {ID: 6, Admin: true},
	"recused admin":              {ID: 7, Admin: true, Declared: true, Recused: true},
	"admin, recused board":       {ID: 8, Admin: true, Board: true, Declared: true, Recused: true},
	"admin who is a member":      {ID: 9, Admin: true, Board: true, Member: true},
	"signed out":                 {},
	"board member, undeclared+a": {ID: 10, Admin: true, Board: true},
	"signatory":                  {ID: 11, Member: true, Signatory: true},
}

// Where an application can stand.
var situations = map[string]Facts{
	"draft":           {Status: Draft},
	"submitted":       {Status: Submitted},
	"more info":       {Status: MoreInfoRequested},
	"in review":       {Status: InReview},
	"voting":          {Status: Voting, VoteOpen: true},
	"vote due":        {Status: Voting},
	"approved":        {Status: Approved},
	"awarded":         {Status: Approved, Awarded: true, Agreement: AgreementUnsigned},
	"signed":          {Status: Approved, Awarded: true, Agreement: AgreementSigned},
	"report sent":     {Status: Approved, Awarded: true, Agreement: AgreementSigned, Report: ReportSubmitted},
	"report accepted": {Status: Approved, Awarded: true, Agreement: AgreementSigned, Report: ReportAccepted},
	"declined":        {Status: Declined},
	"withdrawn":       {Status: Withdrawn},
	// A two-stage round's concept note, and the full proposal it invites.
	"concept draft":         {Status: ConceptDraft},
	"concept sent":          {Status: ConceptSubmitted},
	"concept sent (board)":  {Status: ConceptSubmitted, ConceptByBoard: true},
	"concept asked":         {Status: ConceptInfoRequested},
	"concept asked (board)": {Status: ConceptInfoRequested, ConceptByBoard: true},
	"invited":               {Status: Invited},
}

var (
	all = []string{"draft", "submitted", "more info", "in review", "voting", "vote due", "approved", "awarded", "signed", "report sent", "report accepted", "declined", "withdrawn",
		"concept draft", "concept sent", "concept sent (board)", "concept asked", "concept asked (board)", "invited"}
	declarable = []string{"submitted", "more info", "in review", "voting", "vote due", "approved", "awarded", "signed", "report sent", "report accepted",
		"concept sent", "concept sent (board)", "concept asked", "concept asked (board)", "invited"}
	editable   = []string{"draft", "more info", "concept draft", "concept asked", "concept asked (board)", "invited"}
	board      = []string{"in review", "voting", "vote due"}
	money      = []string{"signed", "report sent", "report accepted"}
	assignable = []string{"submitted", "more info", "in review", "voting", "vote due"}
	members    = []string{"charity member", "admin who is a member", "signatory"}
	ipaPeople  = []string{"board member", "undeclared board member", "recused board member", "admin", "recused admin", "admin, recused board", "board member, undeclared+a"}
	admins     = []string{"admin", "board member, undeclared+a"} // not recused, not the charity's
)

// allowed is, for every action, who may do it in which situations; every
// pair not listed is refused. Written as data, apart from Decide, so that
// a change of rule shows here as a change of row.
var allowed = map[Action]map[string][]string{
	View:   with(with(nil, members, all), ipaPeople, all),
	Edit:   with(nil, members, editable),
	Submit: with(nil, members, editable),
	Withdraw: with(nil, members, []string{"submitted", "more info", "in review",
		"concept draft", "concept sent", "concept sent (board)", "concept asked", "concept asked (board)", "invited"}),
	DeleteDraft:     with(nil, members, []string{"draft"}),
	PostMessage:     with(with(nil, members, all), admins, all),
	Screen:          with(nil, admins, []string{"submitted"}),
	RequestInfo:     with(nil, admins, []string{"submitted", "in review"}),
	DeclareConflict: with(nil, []string{"board member", "undeclared board member", "admin", "board member, undeclared+a"}, declarable),
	RecordConflict:  with(nil, admins, declarable),
	Review:          {"board member": board},
	SeeReviews:      with(map[string][]string{"board member": all}, admins, all),
	SeeAssignments:  with(map[string][]string{"board member": all}, admins, all),
	Discuss:         with(map[string][]string{"board member": board}, admins, board),
	SeeDiscussion:   with(map[string][]string{"board member": all}, admins, all),
	OpenVote:        with(nil, admins, []string{"in review", "approved"}),
	CloseVote:       with(nil, admins, []string{"voting", "vote due"}),
	CastBallot:      {"board member": {"voting"}},
	Award:           with(nil, admins, []string{"approved"}),
	Pay:             with(nil, admins, money),
	ApprovePayment:  with(nil, admins, money),
	CancelPayment:   with(nil, admins, money),
	ReversePayment:  with(nil, admins, money),
	WriteReport:     with(nil, members, []string{"approved", "awarded", "signed"}),
	ReviewReport:    with(nil, admins, []string{"report sent"}),
	SignAgreement:   {"signatory": {"awarded"}},
	VoidAgreement:   with(nil, admins, []string{"awarded"}),
	AssignReviewers: with(nil, admins, assignable),
	// Who may be assigned: a board member not recused, declared or not yet.
	BeAssigned: with(nil, []string{"board member", "undeclared board member", "board member, undeclared+a"}, assignable),
	// The admins decide on concept notes, or the board's members who
	// declared no conflict when the round says the board does.
	DecideConcept: with(map[string][]string{"board member": {"concept sent (board)"}}, admins, []string{"concept sent"}),
}

func with(m map[string][]string, who []string, where []string) map[string][]string {
	if m == nil {
		m = map[string][]string{}
	}
	for _, w := range who {
		m[w] = where
	}
	return m
}

// Every action × every kind of person × every situation. It fails when an
// action is added without its row.
func TestDecideEveryActionPersonAndSituation(t *testing.T) {
	for _, a := range Actions {
		rows, ok := allowed[a]
		if !ok {
			t.Errorf("action %q has no row in the table of who may", a)
			continue
		}
		for who, p := range people {
			for where, f := range situations {
				want := slices.Contains(rows[who], where)
				err := Decide(p, f, a)
				if (err == nil) != want {
					t.Errorf("%s by %s when %s: allowed %v, want %v (%v)", a, who, where, err == nil, want, err)
				}
				var r *refusal.Error
				if err != nil && !errors.As(err, &r) {
					t.Errorf("%s by %s when %s: %v is not a refusal a person can read", a, who, where, err)
				}
			}
		}
	}
	if len(allowed) != len(Actions) {
		t.Errorf("the table has %d actions, the rules %d", len(allowed), len(Actions))
	}
}

// A recused person is told why, not "forbidden"; the charity's own member
// at the IPA too.
func TestRefusalsSayWhy(t *testing.T) {
	cases := []struct {
		who  string
		f    Facts
		a    Action
		want error
	}{
		{"recused admin", situations["awarded"], Pay, ErrRecused},
		{"admin, recused board", situations["approved"], Award, ErrRecused},
		{"recused board member", situations["voting"], CastBallot, ErrRecused},
		{"undeclared board member", situations["in review"], Review, ErrUndeclared},
		{"admin who is a member", situations["in review"], OpenVote, ErrOwnCharity},
		{"board member", situations["vote due"], CastBallot, ErrVoteClosed},
		{"admin", situations["awarded"], Award, ErrAwarded},
		{"admin", situations["awarded"], Pay, ErrUnsigned},
		{"charity member", situations["awarded"], SignAgreement, ErrNotSignatory},
		{"signatory", situations["signed"], SignAgreement, ErrNoAgreement},
		{"undeclared board member", situations["concept sent (board)"], DecideConcept, ErrUndeclared},
		{"admin", situations["concept sent (board)"], DecideConcept, ErrNotBoard},
		{"admin", situations["concept asked"], DecideConcept, ErrInvalidTransition},
	}
	for _, c := range cases {
		if err := Decide(people[c.who], c.f, c.a); !errors.Is(err, c.want) {
			t.Errorf("%s by %s: %v, want %v", c.a, c.who, err, c.want)
		}
	}
}

func TestCanAnswersAsDecide(t *testing.T) {
	p, f := people["admin"], situations["awarded"]
	can := For(p, f)
	for _, a := range Actions {
		if can.Do(a) != (Decide(p, f, a) == nil) {
			t.Errorf("Can.Do(%s) disagrees with Decide", a)
		}
	}
	if (Can{}).Do(View) || !strings.Contains((Can{}).Why(View).Error(), "403") {
		t.Error("an empty Can allows nothing")
	}
}

// Every fact about a person that the rules read is varied by the table's
// kinds of person: a new one (a new role) fails here until the table has
// people with and without it.
func TestPeopleCoverEveryKindOfPerson(t *testing.T) {
	typ := reflect.TypeOf(Person{})
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Type.Kind() != reflect.Bool {
			continue
		}
		seen := map[bool]bool{}
		for _, p := range people {
			seen[reflect.ValueOf(p).Field(i).Bool()] = true
		}
		if !seen[true] || !seen[false] {
			t.Errorf("Person.%s is never %v in the table of people", f.Name, !seen[true])
		}
	}
}
