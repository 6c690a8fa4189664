package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/account"
	"missiongrants/internal/web/view"
)

func (s *Server) signupShow(c *gin.Context) error {
	s.render(c, http.StatusOK, "signup", view.Signup{Page: s.page(c)})
	return nil
}

// signupSubmit answers the same whether or not the address has an account:
// the account service mails its owner instead.
func (s *Server) signupSubmit(c *gin.Context) error {
	p := view.Signup{Page: s.page(c), Name: c.PostForm("name"), Email: c.PostForm("email")}
	err := s.accounts.Signup(c.Request.Context(), s.actor(c), account.SignupInput{
		Name: p.Name, Email: p.Email, Password: c.PostForm("password"), Language: lang(c),
	})
	if err != nil {
		return s.refuse(c, err, &p.Page, "signup", &p)
	}
	// To a page of its own, so reloading it does not sign up again (which
	// would mail the owner that someone tried their address).
	c.Redirect(http.StatusSeeOther, "/signup/sent")
	return nil
}

func (s *Server) signupSent(c *gin.Context) error {
	s.render(c, http.StatusOK, "message", view.Message{Page: s.page(c), Title: "page.signup_sent.title", Body: "page.signup_sent.body"})
	return nil
}
