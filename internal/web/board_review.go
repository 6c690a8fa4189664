package web

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/i18n"
	"missiongrants/internal/web/form"
)

// The board's review actions on the application page: a member declares a
// conflict of interest or none, scores the application, and discusses it;
// an admin records a conflict for a member.

// conflictChoice reads the declaration's yes/no; anything else is a mistake
// beside field.
func conflictChoice(d form.Declaration, field string) (bool, error) {
	switch d.Conflict {
	case "yes":
		return true, nil
	case "no":
		return false, nil
	}
	return false, i18n.FieldErrors{field: i18n.Msg("error.field.choose")}
}

func (s *Server) boardDeclare(c *gin.Context) error {
	d := form.Declare(postValues(c))
	return s.applicationBoardAct(c, "flash.conflict_declared", func(id int64) error {
		conflict, err := conflictChoice(d, "conflict")
		if err != nil {
			return err
		}
		err = s.reviews.Declare(c.Request.Context(), s.actor(c), currentUser(c), id, conflict, d.Note)
		return renamed(err, "note", "conflict_note")
	}, func(p *applicationShowPage) { p.Board.Conflict = d })
}

func (s *Server) boardReview(c *gin.Context) error {
	v := postValues(c)
	criteria, err := s.reviews.Criteria(c.Request.Context())
	if err != nil {
		return err
	}
	in := form.Review(v, criteria)
	return s.applicationBoardAct(c, "flash.review_saved", func(id int64) error {
		err := s.reviews.Submit(c.Request.Context(), s.actor(c), currentUser(c), id, in)
		return renamed(err, "comment", "review_comment")
	}, func(p *applicationShowPage) {
		b := p.Board
		b.Recommendation, b.Comment = in.Recommendation, in.Comment
		for i := range b.Criteria {
			b.Criteria[i].Value = in.Scores[b.Criteria[i].Key]
		}
	})
}

func (s *Server) boardDiscuss(c *gin.Context) error {
	body := c.PostForm("comment_body")
	return s.applicationBoardAct(c, "flash.comment_posted", func(id int64) error {
		return s.reviews.Discuss(c.Request.Context(), s.actor(c), currentUser(c), id, body)
	}, func(p *applicationShowPage) { p.Board.CommentBody = body })
}

// adminConflictRecord is an admin recording a member's declaration (a
// conflict the member told them of, or a correction).
func (s *Server) adminConflictRecord(c *gin.Context) error {
	d := form.RecordConflict(postValues(c))
	return s.applicationBoardAct(c, "flash.conflict_recorded", func(id int64) error {
		member, err := strconv.ParseInt(d.MemberID, 10, 64)
		fe := i18n.FieldErrors{}
		if err != nil || member < 1 {
			fe["member"] = i18n.Msg("error.field.choose")
		}
		conflict, cerr := conflictChoice(d, "member_conflict")
		if cerr != nil {
			fe["member_conflict"] = i18n.Msg("error.field.choose")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		err = s.reviews.RecordFor(c.Request.Context(), s.actor(c), currentUser(c), member, id, conflict, d.Note)
		return renamed(err, "note", "member_note")
	}, func(p *applicationShowPage) { p.Board.MemberForm = d })
}
