package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/organization"
	"missiongrants/internal/web/view"
)

func organizationInput(c *gin.Context) organization.Input {
	return organization.Input{
		LegalName: c.PostForm("legal_name"), Country: c.PostForm("country"), RegistrationNumber: c.PostForm("registration_number"),
		Address: c.PostForm("address"), Website: c.PostForm("website"), Description: c.PostForm("description"),
		ContactName: c.PostForm("contact_name"), ContactEmail: c.PostForm("contact_email"), ContactPhone: c.PostForm("contact_phone"),
	}
}

func (s *Server) organizationFormPage(c *gin.Context, id int64, in organization.Input) *view.OrganizationForm {
	return &view.OrganizationForm{Page: s.page(c), ID: id, Form: in}
}

func (s *Server) organizationNew(c *gin.Context) error {
	u := currentUser(c)
	in := organization.Input{ContactName: u.Name, ContactEmail: u.Email}
	s.render(c, http.StatusOK, "organization_form", s.organizationFormPage(c, 0, in))
	return nil
}

func (s *Server) organizationCreate(c *gin.Context) error {
	in := organizationInput(c)
	o, err := s.orgs.Create(c.Request.Context(), s.actor(c), in)
	if err != nil {
		p := s.organizationFormPage(c, 0, in)
		return s.refuse(c, err, &p.Page, "organization_form", p)
	}
	c.Redirect(http.StatusSeeOther, "/organizations/"+strconv.FormatInt(o.ID, 10)+"/eligibility")
	return nil
}

func (s *Server) organizationEdit(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	o, err := s.orgs.Get(c.Request.Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	if !s.isMember(c, id) {
		return statusError(http.StatusForbidden)
	}
	in := organization.Input{LegalName: o.LegalName, Country: o.Country, RegistrationNumber: o.RegistrationNumber, Address: o.Address,
		Website: o.Website, Description: o.Description, ContactName: o.ContactName, ContactEmail: o.ContactEmail, ContactPhone: o.ContactPhone}
	s.render(c, http.StatusOK, "organization_form", s.organizationFormPage(c, id, in))
	return nil
}

func (s *Server) organizationUpdate(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	in := organizationInput(c)
	if err := s.orgs.Update(c.Request.Context(), s.actor(c), id, in); err != nil {
		p := s.organizationFormPage(c, id, in)
		return s.refuse(c, err, &p.Page, "organization_form", p)
	}
	s.flash(c, "flash.saved")
	c.Redirect(http.StatusSeeOther, "/organizations/"+strconv.FormatInt(id, 10))
	return nil
}

func (s *Server) isMember(c *gin.Context, id int64) bool {
	ok, err := organization.IsMember(c.Request.Context(), s.db, currentUser(c).ID, id)
	return err == nil && ok
}

func (s *Server) organizationPage(c *gin.Context, id int64) (*view.Organization, error) {
	u := currentUser(c)
	o, err := s.orgs.Get(c.Request.Context(), u, id)
	if err != nil {
		return nil, err
	}
	members, err := s.orgs.Members(c.Request.Context(), u, id)
	if err != nil {
		return nil, err
	}
	p := &view.Organization{Page: s.page(c), Org: o, CountryName: organization.CountryName(o.Country, lang(c)), Members: members}
	for _, m := range members {
		p.Member = p.Member || m.UserID == u.ID
		p.Owner = p.Owner || m.UserID == u.ID && m.Owner
	}
	return p, nil
}

func (s *Server) organizationShow(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := s.organizationPage(c, id)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "organization_show", p)
	return nil
}

func (s *Server) organizationInvite(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	email := c.PostForm("email")
	if err := s.orgs.Invite(c.Request.Context(), s.actor(c), id, email, lang(c)); err != nil {
		p, perr := s.organizationPage(c, id)
		if perr != nil {
			return perr
		}
		p.InviteEmail = email
		return s.refuse(c, err, &p.Page, "organization_show", p)
	}
	s.flash(c, "flash.invitation_sent")
	c.Redirect(http.StatusSeeOther, "/organizations/"+strconv.FormatInt(id, 10))
	return nil
}

func (s *Server) organizationJoinPage(c *gin.Context, tok string) *view.TokenConfirm {
	return &view.TokenConfirm{Page: s.page(c), Title: "page.organization_join.title", Body: "page.organization_join.body",
		Submit: "page.organization_join.submit", Action: organization.PathJoin, Token: tok}
}

// organizationJoinShow names the organization and who invited, so the
// person knows what they join; a used or expired link says so at once.
func (s *Server) organizationJoinShow(c *gin.Context) error {
	p := s.organizationJoinPage(c, c.Query("token"))
	inv, err := s.orgs.InvitationByToken(c.Request.Context(), p.Token)
	if errors.Is(err, organization.ErrInvitationInvalid) {
		p.Invalid, p.FormError = true, s.cat.T(lang(c), "error.organization.invitation_invalid")
		s.render(c, http.StatusGone, "token_confirm", p)
		return nil
	}
	if err != nil {
		return err
	}
	p.Said = p.T("page.dashboard.invitation", "Inviter", inv.Inviter, "Organization", inv.Organization)
	s.render(c, http.StatusOK, "token_confirm", p)
	return nil
}

func (s *Server) organizationJoin(c *gin.Context) error {
	tok := c.PostForm("token")
	id, err := s.orgs.Join(c.Request.Context(), s.actor(c), currentUser(c).Email, tok)
	if errors.Is(err, organization.ErrInvitationInvalid) || errors.Is(err, organization.ErrInvitationElsewhere) {
		p := s.organizationJoinPage(c, tok)
		p.Invalid = true
		return s.refuse(c, err, &p.Page, "token_confirm", p)
	}
	if err != nil {
		return err
	}
	s.flash(c, "flash.joined")
	c.Redirect(http.StatusSeeOther, "/organizations/"+strconv.FormatInt(id, 10))
	return nil
}

// organizationAccept joins by an invitation sent to the person's own
// address, listed on their dashboard: the way in for someone invited before
// they had an account, whose link was lost on the way through signing up.
func (s *Server) organizationAccept(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	orgID, err := s.orgs.Accept(c.Request.Context(), s.actor(c), currentUser(c).Email, id)
	if err != nil {
		return err
	}
	s.flash(c, "flash.joined")
	c.Redirect(http.StatusSeeOther, "/organizations/"+strconv.FormatInt(orgID, 10))
	return nil
}

func (s *Server) eligibilityPage(c *gin.Context, id int64, answers map[string]string) *view.Eligibility {
	p := &view.Eligibility{Page: s.page(c), OrgID: id}
	for _, q := range organization.Questions {
		p.Questions = append(p.Questions, view.EligibilityQuestion{Name: q, Text: "eligibility.q." + q, Answer: answers[q]})
	}
	return p
}

func (s *Server) eligibilityShow(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := s.orgs.Get(c.Request.Context(), currentUser(c), id); err != nil {
		return err
	}
	s.render(c, http.StatusOK, "eligibility", s.eligibilityPage(c, id, nil))
	return nil
}

// eligibilitySave tells an ineligible charity plainly why, and what would
// make it eligible; an eligible one goes on to apply.
func (s *Server) eligibilitySave(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	answers, given := map[string]bool{}, map[string]string{}
	for _, q := range organization.Questions {
		given[q] = c.PostForm(q)
		answers[q] = given[q] == "yes"
	}
	result, err := s.orgs.CheckEligibility(c.Request.Context(), s.actor(c), id, answers)
	if err != nil {
		return err
	}
	p := s.eligibilityPage(c, id, given)
	p.Result = &result
	for _, r := range result.Reasons {
		p.Reasons = append(p.Reasons, s.cat.Say(lang(c), r))
	}
	status := http.StatusOK
	if !result.Eligible {
		status = http.StatusUnprocessableEntity
	}
	s.render(c, status, "eligibility", p)
	return nil
}

// organizationSignatory names a member as one who signs the charity's grant
// agreements, or stops naming them; the owner's choice.
func (s *Server) organizationSignatory(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	member, err := strconv.ParseInt(c.PostForm("member"), 10, 64)
	if err != nil {
		return statusError(http.StatusBadRequest)
	}
	if err := s.orgs.SetSignatory(c.Request.Context(), s.actor(c), id, member, c.PostForm("signs") == "yes"); err != nil {
		return err
	}
	s.flash(c, "flash.saved")
	c.Redirect(http.StatusSeeOther, "/organizations/"+strconv.FormatInt(id, 10))
	return nil
}
