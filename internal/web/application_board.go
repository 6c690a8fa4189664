package web

import (
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/internal/policy"
	"missiongrants/internal/refusal"
	"missiongrants/internal/review"
	"missiongrants/internal/vote"
	"missiongrants/internal/web/view"
)

// The board's part of the application page (application_show): screening
// for admins, then conflicts, scores, the internal discussion and the vote
// for board members and admins. None of it is ever loaded for the charity.

func newScreeningView(sc application.Screening) *view.Screening {
	v := &view.Screening{Outcome: sc.Outcome, Note: sc.Note}
	for _, k := range application.ScreeningChecks {
		v.Checks = append(v.Checks, view.ScreeningCheck{Key: k, Checked: sc.Checks[k]})
	}
	return v
}

var scoreChoices = []string{"1", "2", "3", "4", "5"}

// voteClosesDefault is the closing time a new vote's form suggests.
const voteClosesDefault = 7 * 24 * time.Hour

// loadBoard fills the page's board parts for the IPA, each as far as the
// viewer's policy.Can allows. A member of the charity gets none of it,
// whatever else they are.
func (s *Server) loadBoard(c *gin.Context, p *applicationShowPage) error {
	ctx, u, a, can := c.Request.Context(), currentUser(c), p.App, p.Can
	if err := s.loadDecision(c, p); err != nil {
		return err
	}
	if !p.viewer.IPA() {
		return nil
	}
	if can.Do(policy.Screen) {
		p.Screening = newScreeningView(application.Screening{})
	}
	b := &view.Board{Admin: u.IsAdmin, Member: u.IsBoard, FullRecord: u.IsAdmin && can.Do(policy.SeeReviews),
		Choices: scoreChoices, Recommendations: review.Recommendations,
		BeforeBoard: policy.BeforeBoard(a.Status),
		Standing:    review.Standing{Declared: p.viewer.Declared, Recused: p.viewer.Recused}}
	p.Board = b
	b.Others = p.others
	if p.moreOthers {
		b.AllOthers = "/board/applications?" + url.Values{"q": {a.OrganizationName}}.Encode()
	}
	if can.Do(policy.SeeReviews) {
		var err error
		if b.Outcomes, err = s.outcomeHistory(c, &p.Page, a.OrganizationID, a.ID); err != nil {
			return err
		}
	}
	panel, err := s.reviews.Panel(ctx, u, can, a.ID)
	if err != nil {
		return err
	}
	b.Declarations, b.Discussion = panel.Declarations, panel.Discussion
	for i := range b.Declarations {
		if b.Declarations[i].UserID == u.ID {
			b.Mine = &b.Declarations[i]
		}
	}
	criteria, reviews := panel.Criteria, panel.Reviews
	var own *review.Review
	for _, r := range reviews {
		rv := view.Review{Review: r, Mine: r.UserID == u.ID}
		for _, cr := range criteria {
			rv.Scores = append(rv.Scores, view.Score{Name: cr.Name(p.Lang), Score: r.Scores[cr.Key]})
		}
		if rv.Mine {
			own = &rv.Review
		}
		b.Reviews = append(b.Reviews, rv)
	}
	b.Mean = review.Mean(reviews, lang(c))
	for _, r := range reviews {
		if r.Counts {
			b.Counted++
		}
	}
	if can.Do(policy.SeeAssignments) { // who reviews it is the board's work too: never to the recused or undeclared
		if b.Reviewers, err = s.assign.Reviewers(ctx, a.ID); err != nil {
			return err
		}
	}
	b.Assign = can.Do(policy.AssignReviewers)
	for _, cr := range criteria {
		cv := view.Criterion{Key: cr.Key, Name: cr.Name(p.Lang), Weight: cr.Weight}
		if p.Labels == nil {
			p.Labels = map[string]string{}
		}
		p.Labels["score_"+cr.Key] = cv.Name
		if own != nil && own.Scores[cr.Key] > 0 {
			cv.Value = strconv.Itoa(own.Scores[cr.Key])
		}
		b.Criteria = append(b.Criteria, cv)
	}
	if own != nil {
		b.Standing.Reviewed = true
		b.Recommendation, b.Comment, b.Weighted = own.Recommendation, own.Comment, own.WeightedIn(lang(c))
	}
	if can.Do(policy.RecordConflict) {
		members, err := s.reviews.Members(ctx)
		if err != nil {
			return err
		}
		for _, m := range members { // an admin records others' declarations, never their own
			if m.ID != u.ID {
				b.Members = append(b.Members, m)
			}
		}
	}
	if err := s.loadVote(c, p); err != nil {
		return err
	}
	if can.Do(policy.OpenVote) {
		b.VoteForm = vote.Input{Proposed: money.Input(a.AmountRequested, p.Lang),
			ClosesAt: s.now().UTC().Add(voteClosesDefault).Format("2006-01-02T15:04")}
	}
	return nil
}

// loadVote fills the board's view of the application's latest vote.
func (s *Server) loadVote(c *gin.Context, p *applicationShowPage) error {
	u, b := currentUser(c), p.Board
	v, err := s.currentVote(c, p)
	if err != nil || v == nil {
		return err
	}
	vv := &view.Vote{Vote: v, Open: v.Open(s.now()), Closes: p.Moment(v.ClosesAt),
		ClosesISO: v.ClosesAt.UTC().Format(time.RFC3339),
		Proposed:  money.Format(v.Proposed, money.Currency(v.Currency), p.Lang)}
	if vv.Record, err = v.Record(); err != nil {
		return err
	}
	if u.IsBoard && v.ClosedAt == nil {
		var why *refusal.Error
		if errors.As(p.Can.Why(policy.CastBallot), &why) {
			vv.Blocked = s.cat.Say(p.Lang, why.Message)
		}
		vv.Choice, vv.Comment = v.MyChoice, v.MyComment
	}
	b.Vote = vv
	return nil
}

// currentVote is the application's latest vote (nil: none), read once
// for the page's several parts, and not at all when it never had one.
func (s *Server) currentVote(c *gin.Context, p *applicationShowPage) (*vote.Vote, error) {
	if !p.voteRead && p.App.HasVote {
		v, err := s.votes.Current(c.Request.Context(), currentUser(c), p.App.ID)
		if err != nil {
			return nil, err
		}
		p.vote, p.voteRead = v, true
	}
	return p.vote, nil
}

// loadDecision shows what was decided on an approved or declined application.
func (s *Server) loadDecision(c *gin.Context, p *applicationShowPage) error {
	a := p.App
	switch a.Status {
	case policy.Approved:
		v, err := s.currentVote(c, p)
		if err != nil {
			return err
		}
		p.Decision = &view.Decision{Approved: true}
		if v != nil {
			p.Decision.Amount = money.Format(v.Proposed, money.Currency(v.Currency), p.Lang)
			p.Decision.Conditions = v.Conditions
		}
	case policy.Declined:
		p.Decision = &view.Decision{Reason: a.DeclineReason}
	}
	return nil
}

// applicationBoardAct runs one of the board's actions from the application
// page and comes back to it; a refusal is shown there, with what was typed.
func (s *Server) applicationBoardAct(c *gin.Context, flash string, act func(id int64) error, keep func(p *applicationShowPage)) error {
	return s.applicationAct(c, flash, act, func(p *applicationShowPage) {
		if keep != nil && p.Board != nil {
			keep(p)
		}
	})
}

// renamed moves field errors to the names the page's form uses (several
// forms on one page may each have a "note"): pairs of from, to.
func renamed(err error, pairs ...string) error {
	var fe i18n.FieldErrors
	if !errors.As(err, &fe) {
		return err
	}
	out := i18n.FieldErrors{}
	for k, m := range fe {
		out[k] = m
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if m, ok := out[pairs[i]]; ok {
			delete(out, pairs[i])
			out[pairs[i+1]] = m
		}
	}
	return out
}
