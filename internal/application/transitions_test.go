package application

import (
	"errors"
	"testing"
)

// Every event from every status by every role: exactly the listed moves are
// allowed.
func TestStateMachine(t *testing.T) {
	statuses := []Status{Draft, Submitted, Withdrawn, MoreInfoRequested, InReview, Approved, Declined}
	events := []Event{EventSubmit, EventWithdraw, EventRequestInfo, EventResubmit}
	roles := []Role{RoleApplicant, RoleAdmin, RoleBoard}
	allowed := map[[3]string]Status{
		{"draft", "submit", "applicant"}:                 Submitted,
		{"draft", "withdraw", "applicant"}:               Withdrawn,
		{"submitted", "withdraw", "applicant"}:           Withdrawn,
		{"submitted", "request_info", "admin"}:           MoreInfoRequested,
		{"more_info_requested", "resubmit", "applicant"}: Submitted,
		{"more_info_requested", "withdraw", "applicant"}: Withdrawn,
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
	if !Editable(Draft) || !Editable(MoreInfoRequested) || Editable(Submitted) || Editable(Withdrawn) {
		t.Error("Editable")
	}
}
