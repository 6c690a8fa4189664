package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/internal/web/view"
)

func (s *Server) adminRoundsPage(c *gin.Context, editID int64, in application.RoundInput) (*view.AdminRounds, error) {
	rounds, err := s.apps.Rounds(c.Request.Context())
	if err != nil {
		return nil, err
	}
	budgets, err := s.awards.RoundBudgets(c.Request.Context())
	if err != nil {
		return nil, err
	}
	years, err := s.awards.Years(c.Request.Context())
	if err != nil {
		return nil, err
	}
	usd := func(c2 money.Cents) string { return money.Format(c2, money.USD, lang(c)) }
	p := &view.AdminRounds{Page: s.page(c), EditID: editID, Form: in}
	for _, r := range rounds {
		b := budgets[r.ID]
		p.Rounds = append(p.Rounds, view.RoundRow{Round: r, Budget: usd(r.Budget), Open: r.Open(s.today()),
			Awarded: usd(b.Awarded), Paid: usd(b.Paid), Remaining: usd(b.Remaining())})
	}
	for _, y := range years {
		p.Years = append(p.Years, view.YearRow{Year: y.Year, Awarded: usd(y.Awarded), Paid: usd(y.Paid), Outstanding: usd(y.Outstanding())})
	}
	return p, nil
}

func (s *Server) adminRoundsShow(c *gin.Context) error {
	p, err := s.adminRoundsPage(c, 0, application.RoundInput{})
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "admin_rounds", p)
	return nil
}

func (s *Server) adminRoundEdit(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	r, err := s.apps.Round(c.Request.Context(), id)
	if err != nil {
		return err
	}
	in := application.RoundInput{Name: r.Name, NameES: r.NameES, Rolling: r.Rolling, Budget: money.Input(r.Budget, lang(c))}
	if r.OpensOn != nil {
		in.OpensOn, in.ClosesOn = r.OpensOn.Format("2006-01-02"), r.ClosesOn.Format("2006-01-02")
	}
	p, err := s.adminRoundsPage(c, id, in)
	if err != nil {
		return err
	}
	p.Help = helpTexts(func(lang, field string) string { return r.Help(lang)[field] })
	p.Stages = s.adminRoundStages(c, r, nil)
	s.render(c, http.StatusOK, "admin_rounds", p)
	return nil
}

func helpTexts(value func(lang, field string) string) []view.HelpText {
	var out []view.HelpText
	for _, l := range i18n.Languages {
		for _, f := range application.HelpFields {
			out = append(out, view.HelpText{Lang: l, Field: f, Name: "help_" + l + "_" + f, Value: value(l, f)})
		}
	}
	return out
}

// adminRoundHelpSave saves the help texts shown beside the application's
// questions for this round.
func (s *Server) adminRoundHelpSave(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	help := map[string]map[string]string{}
	for _, l := range i18n.Languages {
		help[l] = map[string]string{}
		for _, f := range application.HelpFields {
			help[l][f] = c.PostForm("help_" + l + "_" + f)
		}
	}
	if err := s.apps.SaveRoundHelp(c.Request.Context(), s.actor(c), currentUser(c), id, help); err != nil {
		r, rerr := s.apps.Round(c.Request.Context(), id)
		if rerr != nil {
			return rerr
		}
		p, perr := s.adminRoundsPage(c, id, application.RoundInput{Name: r.Name})
		if perr != nil {
			return perr
		}
		p.Help = helpTexts(func(lang, field string) string { return help[lang][field] })
		return s.refuse(c, err, &p.Page, "admin_rounds", p)
	}
	s.flash(c, "flash.saved")
	c.Redirect(http.StatusSeeOther, "/admin/rounds/"+c.Param("id"))
	return nil
}

// adminRoundSave creates a round (POST /admin/rounds) or changes one
// (POST /admin/rounds/:id).
func (s *Server) adminRoundSave(c *gin.Context) error {
	var id int64
	if c.Param("id") != "" {
		var err error
		if id, err = pathID(c); err != nil {
			return err
		}
	}
	in := application.RoundInput{Name: c.PostForm("name"), NameES: c.PostForm("name_es"), OpensOn: c.PostForm("opens_on"), ClosesOn: c.PostForm("closes_on"),
		Budget: c.PostForm("budget"), Rolling: c.PostForm("rolling") == "yes"}
	if _, err := s.apps.SaveRound(c.Request.Context(), s.actor(c), currentUser(c), id, in); err != nil {
		p, perr := s.adminRoundsPage(c, id, in)
		if perr != nil {
			return perr
		}
		return s.refuse(c, err, &p.Page, "admin_rounds", p)
	}
	s.flash(c, "flash.saved")
	c.Redirect(http.StatusSeeOther, "/admin/rounds")
	return nil
}
