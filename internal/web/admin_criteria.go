package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/review"
	"missiongrants/internal/web/view"
)

func (s *Server) adminCriteriaPage(c *gin.Context) (*view.AdminCriteria, error) {
	all, err := s.reviews.AllCriteria(c.Request.Context())
	if err != nil {
		return nil, err
	}
	return &view.AdminCriteria{Page: s.page(c), Criteria: all, New: review.CriterionInput{Weight: "1", Active: true}}, nil
}

// adminCriteriaShow lists the criteria the board scores, each editable.
func (s *Server) adminCriteriaShow(c *gin.Context) error {
	p, err := s.adminCriteriaPage(c)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "admin_criteria", p)
	return nil
}

// adminCriterionSave adds a criterion (POST /admin/criteria) or changes one
// (POST /admin/criteria/:id).
func (s *Server) adminCriterionSave(c *gin.Context) error {
	var id int64
	if c.Param("id") != "" {
		var err error
		if id, err = pathID(c); err != nil {
			return err
		}
	}
	in := review.CriterionInput{Key: c.PostForm("key"), NameEN: c.PostForm("name_en"), NameES: c.PostForm("name_es"),
		Weight: c.PostForm("weight"), Active: c.PostForm("active") == "yes"}
	if err := s.reviews.SaveCriterion(c.Request.Context(), s.actor(c), currentUser(c), id, in); err != nil {
		p, perr := s.adminCriteriaPage(c)
		if perr != nil {
			return perr
		}
		if id == 0 {
			p.New = in
		}
		return s.refuse(c, err, &p.Page, "admin_criteria", p)
	}
	s.flash(c, "flash.saved")
	c.Redirect(http.StatusSeeOther, "/admin/criteria")
	return nil
}
