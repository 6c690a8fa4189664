package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/agreement"
	"missiongrants/internal/db"
	"missiongrants/internal/i18n"
	"missiongrants/internal/papers"
	"missiongrants/internal/policy"
	"missiongrants/internal/web/view"
)

func (s *Server) agreementPage(c *gin.Context, id int64) (*view.Agreement, error) {
	ctx, u := c.Request.Context(), currentUser(c)
	a, err := s.apps.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	can, err := s.apps.Can(ctx, u, id)
	if err != nil {
		return nil, err
	}
	history, err := s.agreements.History(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &view.Agreement{Page: s.page(c), AppID: id, Title: a.DisplayTitle(), Can: can, Name: u.Name}
	for i := range history {
		if history[i].VoidedAt == nil {
			p.Agreement = &history[i]
		} else {
			p.History = append(p.History, history[i])
		}
	}
	if p.Agreement == nil {
		return nil, fmt.Errorf("web: agreement of %d: %w", id, db.ErrNotFound)
	}
	p.IssuedOn = s.cat.Date(p.Lang, p.Agreement.IssuedAt)
	if at := p.Agreement.SignedAt; at != nil {
		p.SignedOn = s.cat.DateTime(p.Lang, *at, time.UTC)
	}
	if can.Do(policy.SignAgreement) {
		if p.Terms, err = s.agreements.Terms(ctx, p.Agreement.ID); err != nil {
			return nil, err
		}
		p.Statement = s.cat.T(p.Agreement.Language, "paper.signature.statement", "Organization", a.OrganizationName)
		p.TermsLang = p.Agreement.Language
	}
	return p, nil
}

func (s *Server) agreementShow(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := s.agreementPage(c, id)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "agreement", p)
	return nil
}

// agreementSign records the signature; a form with mistakes comes back
// with what was typed and each error beside its field.
func (s *Server) agreementSign(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	in := agreement.Signing{Name: c.PostForm("signer_name"), Title: c.PostForm("signer_title"), Accept: c.PostForm("accept") == "1", IP: c.ClientIP()}
	if err := s.agreements.Sign(c.Request.Context(), s.actor(c), currentUser(c), id, in); err != nil {
		p, perr := s.agreementPage(c, id)
		if perr != nil {
			return err
		}
		p.Name, p.JobTitle = in.Name, in.Title
		return s.refuse(c, err, &p.Page, "agreement", p)
	}
	s.flash(c, "flash.agreement_signed")
	c.Redirect(http.StatusSeeOther, "/applications/"+strconv.FormatInt(id, 10)+"/agreement")
	return nil
}

// agreementVoid withdraws the unsigned agreement and issues a corrected one.
func (s *Server) agreementVoid(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	reason := c.PostForm("reason")
	if err := s.agreements.Void(c.Request.Context(), s.actor(c), currentUser(c), id, reason); err != nil {
		p, perr := s.agreementPage(c, id)
		if perr != nil {
			return err
		}
		p.Reason = reason
		return s.refuse(c, err, &p.Page, "agreement", p)
	}
	s.flash(c, "flash.agreement_voided")
	c.Redirect(http.StatusSeeOther, "/applications/"+strconv.FormatInt(id, 10)+"/agreement")
	return nil
}

// agreementPDF sends one agreement's PDF: the signed copy once signed.
func (s *Server) agreementPDF(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	aid, err := strconv.ParseInt(c.Param("agreement"), 10, 64)
	if err != nil {
		return db.ErrNotFound
	}
	pdf, a, err := s.agreements.PDF(c.Request.Context(), currentUser(c), id, aid)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("agreement-%d-%d.pdf", id, a.ID)
	if a.Signed() {
		name = fmt.Sprintf("agreement-%d-%d-signed.pdf", id, a.ID)
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "application/pdf", pdf)
	return nil
}

func (s *Server) agreementTemplateShow(c *gin.Context) error {
	p := &view.AgreementTemplate{Page: s.page(c), Bodies: map[string]string{}, Placeholders: agreementPlaceholders()}
	for _, l := range i18n.Languages {
		body, err := s.agreements.Template(c.Request.Context(), l)
		if err != nil {
			return err
		}
		p.Bodies[l] = body
	}
	s.render(c, http.StatusOK, "admin_agreement", p)
	return nil
}

func (s *Server) agreementTemplateSave(c *gin.Context) error {
	p := &view.AgreementTemplate{Page: s.page(c), Bodies: map[string]string{}, Placeholders: agreementPlaceholders()}
	for _, l := range i18n.Languages {
		p.Bodies[l] = c.PostForm("body_" + l)
	}
	if err := s.agreements.SaveTemplates(c.Request.Context(), s.actor(c), currentUser(c), p.Bodies); err != nil {
		return s.refuse(c, err, &p.Page, "admin_agreement", p)
	}
	s.flash(c, "flash.saved")
	c.Redirect(http.StatusSeeOther, "/admin/agreement")
	return nil
}

// agreementPlaceholders are the words a template may use, as typed.
func agreementPlaceholders() []string {
	out := make([]string, len(papers.Placeholders))
	for i, name := range papers.Placeholders {
		out[i] = "{" + name + "}"
	}
	return out
}
