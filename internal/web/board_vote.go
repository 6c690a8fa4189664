package web

import (
	"context"
	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"strconv"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/account"
	"missiongrants/internal/vote"
	"missiongrants/internal/web/form"
)

// The vote on the application page: an admin opens it and may close it
// early; board members who declared no conflict cast or change a ballot
// while it is open.

// openVoteOf is the application's vote that the form was about: the one
// open now, and the same one the person saw (a vote closed and another
// opened meanwhile is not the vote they meant).
func (s *Server) openVoteOf(ctx context.Context, u *account.User, appID int64, seen string) (*vote.Vote, error) {
	v, err := s.votes.Current(ctx, u, appID)
	if err != nil {
		return nil, err
	}
	if v == nil || v.ClosedAt != nil || strconv.FormatInt(v.ID, 10) != seen {
		return nil, vote.ErrClosed
	}
	return v, nil
}

func (s *Server) boardBallot(c *gin.Context) error {
	b := form.CastBallot(postValues(c))
	return s.applicationBoardAct(c, "flash.ballot_cast", func(id int64) error {
		v, err := s.openVoteOf(c.Request.Context(), currentUser(c), id, b.VoteID)
		if err != nil {
			return err
		}
		return s.votes.Cast(c.Request.Context(), s.actor(c), currentUser(c), v.ID, b.Choice, b.Comment)
	}, func(p *applicationShowPage) {
		if p.Board.Vote != nil {
			p.Board.Vote.Choice, p.Board.Vote.Comment = b.Choice, b.Comment
		}
	})
}

func (s *Server) adminVoteOpen(c *gin.Context) error {
	in := form.VoteOpen(postValues(c))
	overBudget := false
	return s.applicationBoardAct(c, "flash.vote_opened", func(id int64) error {
		if err := s.withinBudget(c, id, in.Proposed, c.PostForm("over_budget") == "yes"); err != nil {
			overBudget = true
			return err
		}
		_, err := s.votes.OpenVote(c.Request.Context(), s.actor(c), currentUser(c), id, in)
		return err
	}, func(p *applicationShowPage) { p.Board.VoteForm, p.Board.OverBudget = in, overBudget })
}

// withinBudget warns before a vote opens on more than the round has left;
// the admin may open it anyway, having seen the warning.
func (s *Server) withinBudget(c *gin.Context, appID int64, proposed string, confirmed bool) error {
	amount, err := money.Parse(proposed, lang(c))
	if err != nil || confirmed {
		return nil // OpenVote reports a bad amount beside its field
	}
	ctx := c.Request.Context()
	a, err := s.apps.Get(ctx, currentUser(c), appID)
	if err != nil {
		return err
	}
	b, err := s.awards.RoundBudget(ctx, a.RoundID)
	if err != nil {
		return err
	}
	if b.Budget == 0 || amount <= b.Remaining() { // a round without a budget set warns of nothing
		return nil
	}
	return i18n.FieldErrors{"proposed": i18n.Msg("error.vote.over_budget", "Remaining", money.Format(b.Remaining(), money.Currency(a.Currency), lang(c)))}
}

func (s *Server) adminVoteClose(c *gin.Context) error {
	seen := c.PostForm("vote")
	return s.applicationBoardAct(c, "flash.vote_closed", func(id int64) error {
		v, err := s.openVoteOf(c.Request.Context(), currentUser(c), id, seen)
		if err != nil {
			return err
		}
		_, err = s.votes.Close(c.Request.Context(), s.actor(c), currentUser(c), v.ID)
		return err
	}, nil)
}
