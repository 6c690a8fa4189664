package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/assign"
	"missiongrants/internal/db"
	"missiongrants/internal/i18n"
	"missiongrants/internal/web/view"
)

// The assignment of reviewers (issue 22): the portal proposes a balanced
// plan (package assign), the admin changes it and confirms, for one
// application or every application of a round.

// planView fills the plan's page; chosen, when set, are the reviewers as
// the admin posted them (shown again with a refusal) instead of the proposal.
func (s *Server) planView(c *gin.Context, plan *assign.Plan, chosen map[int64][]int64) *view.AssignPlan {
	p := &view.AssignPlan{Page: s.page(c), PerApplication: plan.PerApplication}
	for _, a := range plan.Apps {
		picked := a.Proposed
		if chosen != nil {
			picked = chosen[a.ID]
		}
		v := view.AssignApp{ID: a.ID, Title: a.Title, Organization: a.Organization, Field: "reviewers_" + strconv.FormatInt(a.ID, 10)}
		if v.Title == "" {
			v.Title = p.T("page.app.untitled")
		}
		for _, m := range plan.Members {
			if !a.Free[m.ID] {
				continue // never offered: in conflict, of the charity
			}
			v.Members = append(v.Members, view.Option{Value: strconv.FormatInt(m.ID, 10),
				Label: p.T("page.assign.member", "Name", m.Name, "Count", m.Open), Selected: slices.Contains(picked, m.ID)})
		}
		v.None = len(v.Members) == 0
		p.Apps = append(p.Apps, v)
	}
	return p
}

// postedPlan reads the confirmed plan: each application listed (app) with
// its ticked reviewers (reviewers_ID).
func postedPlan(c *gin.Context) (map[int64][]int64, error) {
	plan := map[int64][]int64{}
	for _, raw := range c.PostFormArray("app") {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id < 1 {
			return nil, i18n.Msg("error.field.choose")
		}
		plan[id] = []int64{}
		for _, m := range c.PostFormArray("reviewers_" + raw) {
			mid, err := strconv.ParseInt(m, 10, 64)
			if err != nil || mid < 1 {
				return nil, i18n.Msg("error.field.choose")
			}
			plan[id] = append(plan[id], mid)
		}
	}
	return plan, nil
}

// assignShow proposes reviewers for one application.
func (s *Server) assignShow(c *gin.Context) error {
	return s.assignPage(c, nil, nil)
}

func (s *Server) assignPage(c *gin.Context, chosen map[int64][]int64, refused error) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	plan, err := s.assign.ProposeFor(c.Request.Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	p := s.planView(c, plan, chosen)
	app := "/applications/" + strconv.FormatInt(id, 10)
	p.Action, p.Back = "/admin"+app+"/assign", app
	p.Heading = p.T("page.assign.title_one")
	if len(p.Apps) == 1 {
		p.Heading = p.T("page.assign.title_app", "Title", p.Apps[0].Title)
	}
	if refused != nil {
		return s.refuse(c, refused, &p.Page, "assign_plan", p)
	}
	s.render(c, http.StatusOK, "assign_plan", p)
	return nil
}

// assignSave confirms one application's reviewers.
func (s *Server) assignSave(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	posted, err := postedPlan(c)
	plan := map[int64][]int64{id: posted[id]} // this application's, whatever else was posted
	if err == nil {
		err = s.assign.Assign(c.Request.Context(), s.actor(c), currentUser(c), plan)
	}
	if err != nil {
		return s.assignPage(c, plan, err)
	}
	s.flash(c, "flash.assign.saved")
	c.Redirect(http.StatusSeeOther, "/applications/"+c.Param("id"))
	return nil
}

// roundAssignShow shows a round's review settings and proposes reviewers
// for every application of it.
func (s *Server) roundAssignShow(c *gin.Context) error {
	return s.roundAssignPage(c, nil, nil, nil)
}

func (s *Server) roundAssignPage(c *gin.Context, chosen map[int64][]int64, settings *assign.SettingsInput, refused error) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	plan, st, err := s.assign.ProposeRound(c.Request.Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	p := s.planView(c, plan, chosen)
	round := "/admin/rounds/" + strconv.FormatInt(id, 10)
	p.Action, p.Back, p.Round = round+"/assign", round, st
	p.Heading = p.T("page.assign.title_round", "Round", st.Named(p.Lang))
	p.Settings = st.Input()
	if settings != nil {
		p.Settings = *settings
	}
	for _, v := range []struct{ value, label string }{
		{assign.ScoresEveryone, p.T("page.assign.scores_everyone")}, {assign.ScoresAssigned, p.T("page.assign.scores_assigned")}} {
		p.Scores = append(p.Scores, view.Option{Value: v.value, Label: v.label, Selected: p.Settings.ScoresFrom == v.value})
	}
	if refused != nil {
		return s.refuse(c, refused, &p.Page, "assign_plan", p)
	}
	s.render(c, http.StatusOK, "assign_plan", p)
	return nil
}

// roundAssignSave confirms the reviewers of every application listed.
func (s *Server) roundAssignSave(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := s.assign.Settings(c.Request.Context(), id); err != nil {
		return err
	}
	plan, err := postedPlan(c)
	if err == nil {
		err = s.assign.AssignRound(c.Request.Context(), s.actor(c), currentUser(c), id, plan)
	}
	if errors.Is(err, db.ErrNotFound) {
		return err // an application not of this round: not found, not the plan shown again
	}
	if err != nil {
		return s.roundAssignPage(c, plan, nil, err)
	}
	s.flash(c, "flash.assign.saved")
	c.Redirect(http.StatusSeeOther, "/admin/rounds/"+c.Param("id")+"/assign")
	return nil
}

// roundReviewSettingsSave saves how many review each application, by when,
// and whose scores count.
func (s *Server) roundReviewSettingsSave(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	in := assign.SettingsInput{PerApplication: c.PostForm("per_application"), Deadline: c.PostForm("deadline"),
		ReminderDays: c.PostForm("reminder_days"), ScoresFrom: c.PostForm("scores_from")}
	if err := s.assign.SaveSettings(c.Request.Context(), s.actor(c), currentUser(c), id, in); err != nil {
		return s.roundAssignPage(c, nil, &in, err)
	}
	s.flash(c, "flash.saved")
	c.Redirect(http.StatusSeeOther, "/admin/rounds/"+c.Param("id")+"/assign")
	return nil
}

// standingShow lists the conflicts known ahead (one's own; every one for
// an admin) and offers to declare one.
func (s *Server) standingShow(c *gin.Context) error {
	return s.standingPage(c, 0, "", nil)
}

func (s *Server) standingPage(c *gin.Context, charity int64, reason string, refused error) error {
	ctx, u := c.Request.Context(), currentUser(c)
	list, err := s.reviews.StandingConflicts(ctx, u)
	if err != nil {
		return err
	}
	charities, err := s.reviews.Charities(ctx)
	if err != nil {
		return err
	}
	p := &view.StandingConflicts{Page: s.page(c), Admin: u.IsAdmin, UserID: u.ID, Conflicts: list, Reason: reason}
	p.Labels = map[string]string{}
	for _, sc := range list {
		p.Labels["withdraw_reason_"+strconv.FormatInt(sc.ID, 10)] = p.T("page.standing.withdraw_reason") + " · " + sc.OrganizationName
	}
	for _, ch := range charities {
		p.Charities = append(p.Charities, view.Option{Value: strconv.FormatInt(ch.ID, 10), Label: ch.Name, Selected: ch.ID == charity})
	}
	if refused != nil {
		return s.refuse(c, refused, &p.Page, "standing_conflicts", p)
	}
	s.render(c, http.StatusOK, "standing_conflicts", p)
	return nil
}

// standingDeclare records the viewer's standing conflict with a charity.
func (s *Server) standingDeclare(c *gin.Context) error {
	charity, _ := strconv.ParseInt(c.PostForm("charity"), 10, 64)
	reason := c.PostForm("reason")
	if err := s.reviews.DeclareStanding(c.Request.Context(), s.actor(c), currentUser(c), charity, reason); err != nil {
		return s.standingPage(c, charity, reason, err)
	}
	s.flash(c, "flash.standing.declared")
	c.Redirect(http.StatusSeeOther, "/board/conflicts")
	return nil
}

// standingWithdraw is an admin withdrawing another's standing conflict, with why.
func (s *Server) standingWithdraw(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.reviews.WithdrawStanding(c.Request.Context(), s.actor(c), currentUser(c), id, c.PostForm("withdraw_reason")); err != nil {
		// Each conflict has its own form: the error goes beside this one's.
		return s.standingPage(c, 0, "", renamed(err, "withdraw_reason", "withdraw_reason_"+strconv.FormatInt(id, 10)))
	}
	s.flash(c, "flash.standing.withdrawn")
	c.Redirect(http.StatusSeeOther, "/board/conflicts")
	return nil
}
