package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/account"
	"missiongrants/internal/web/view"
)

const usersPerPage = 50

func (s *Server) adminUsersPage(c *gin.Context) (*view.AdminUsers, error) {
	offset, _ := strconv.Atoi(c.Query("after"))
	p := &view.AdminUsers{Page: s.page(c), Query: c.Query("q")}
	users, err := s.accounts.Users(c.Request.Context(), account.UserFilter{Search: p.Query, Limit: usersPerPage + 1, Offset: max(offset, 0)})
	if err != nil {
		return p, err // a search that cannot be searched is shown beside its field
	}
	if len(users) > usersPerPage {
		users, p.NextAfter = users[:usersPerPage], max(offset, 0)+usersPerPage
	}
	p.Users = users
	return p, nil
}

func (s *Server) adminUsersShow(c *gin.Context) error {
	p, err := s.adminUsersPage(c)
	if err != nil {
		return s.refuse(c, err, &p.Page, "admin_users", p)
	}
	s.render(c, http.StatusOK, "admin_users", p)
	return nil
}

func (s *Server) adminUserInvite(c *gin.Context) error {
	in := account.Invitation{
		Email:    c.PostForm("email"),
		Name:     c.PostForm("name"),
		Language: c.PostForm("language"),
		Roles:    account.Roles{Board: c.PostForm("board") == "1", Admin: c.PostForm("admin") == "1"},
	}
	if _, err := s.accounts.Invite(c.Request.Context(), s.actor(c), in); err != nil {
		p, perr := s.adminUsersPage(c)
		if perr != nil {
			return perr
		}
		p.InviteEmail, p.InviteName, p.InviteBoard, p.InviteAdmin = in.Email, in.Name, in.Roles.Board, in.Roles.Admin
		return s.refuseAt(c, "email", err, &p.Page, "admin_users", p)
	}
	s.flash(c, "flash.invitation_sent")
	c.Redirect(http.StatusSeeOther, "/admin/users")
	return nil
}

func (s *Server) adminUserShow(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	u, err := s.accounts.User(c.Request.Context(), id)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "admin_user_show", view.AdminUser{Page: s.page(c), Subject: u})
	return nil
}

// adminUserAction runs one admin change on the account in the URL and goes
// back to its page with a flash, or shows why it was refused.
func (s *Server) adminUserAction(c *gin.Context, flash string, act func(id int64) error) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := act(id); err != nil {
		u, uerr := s.accounts.User(c.Request.Context(), id)
		if uerr != nil {
			return uerr
		}
		p := view.AdminUser{Page: s.page(c), Subject: u}
		return s.refuse(c, err, &p.Page, "admin_user_show", &p)
	}
	s.flash(c, flash)
	c.Redirect(http.StatusSeeOther, "/admin/users/"+strconv.FormatInt(id, 10))
	return nil
}

func (s *Server) adminUserRolesSave(c *gin.Context) error {
	roles := account.Roles{Board: c.PostForm("board") == "1", Admin: c.PostForm("admin") == "1"}
	return s.adminUserAction(c, "flash.roles_saved", func(id int64) error {
		return s.accounts.SetRoles(c.Request.Context(), s.actor(c), id, roles)
	})
}

func (s *Server) adminUserDeactivate(c *gin.Context) error {
	return s.adminUserAction(c, "flash.deactivated", func(id int64) error {
		return s.accounts.Deactivate(c.Request.Context(), s.actor(c), id)
	})
}

func (s *Server) adminUserReactivate(c *gin.Context) error {
	return s.adminUserAction(c, "flash.reactivated", func(id int64) error {
		return s.accounts.Reactivate(c.Request.Context(), s.actor(c), id)
	})
}
