package web

import (
	"cmp"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/document"
	"missiongrants/internal/policy"
	"missiongrants/internal/web/view"
)

// The application form as a task list: /edit lists the sections with their
// state, /edit/SECTION is one section's page (which saves that section
// only), /check shows every answer before /submit sends them.

func sectionURL(id int64, key string) string { return appURL(id) + "/edit/" + key }

// editableDraft reads the draft for a page of the form; ok is false when
// the person was sent to the application's page instead (not theirs to
// edit, or not editable now).
func (s *Server) editableDraft(c *gin.Context) (*application.Application, application.Form, bool, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, application.Form{}, false, err
	}
	a, f, err := s.apps.Draft(c.Request.Context(), currentUser(c), id)
	if err != nil {
		return nil, application.Form{}, false, err
	}
	if a.Status.Concept() { // the concept note has its own page
		c.Redirect(http.StatusSeeOther, appURL(id)+"/concept")
		return nil, application.Form{}, false, nil
	}
	if !policy.Editable(a.Status) || !s.isMember(c, a.OrganizationID) {
		c.Redirect(http.StatusSeeOther, appURL(id))
		return nil, application.Form{}, false, nil
	}
	return a, f, true, nil
}

// applicationEdit is the task list.
func (s *Server) applicationEdit(c *gin.Context) error {
	a, f, ok, err := s.editableDraft(c)
	if err != nil || !ok {
		return err
	}
	ctx := c.Request.Context()
	missing, err := document.Missing(ctx, s.db, a.ID)
	if err != nil {
		return err
	}
	can, err := s.apps.Can(ctx, currentUser(c), a.ID)
	if err != nil {
		return err
	}
	pr := f.Progress(s.today(), lang(c))
	p := &view.ApplicationTasks{Page: s.page(c), App: a, CanDelete: can.Do(policy.DeleteDraft)}
	for _, sec := range application.Sections {
		p.Tasks = append(p.Tasks, view.Task{Key: sec.Key, Title: s.cat.T(lang(c), "app.section."+sec.Key),
			Href: sectionURL(a.ID, sec.Key), State: pr.States[sec.Key]})
	}
	docs := view.Task{Key: "documents", Title: s.cat.T(lang(c), "page.documents.title"), Href: appURL(a.ID) + "/documents", State: application.Completed}
	if len(missing) > 0 {
		docs.State = application.NotStarted
		if a.Status.Asked() {
			docs.State = application.NeedsAttention
		}
	}
	p.Tasks = append(p.Tasks, docs)
	for _, t := range p.Tasks {
		if t.State == application.Completed {
			p.Done++
		}
	}
	p.CanCheck = pr.Complete() && len(missing) == 0
	if a.DraftSavedAt != nil {
		p.SavedAt = p.Moment(*a.DraftSavedAt)
	}
	if key := s.sessions.PopString(ctx, sessSavedSection); key != "" {
		if _, ok := application.SectionByKey(key); ok {
			p.DropCopies = "missiongrants.draft:" + appURL(a.ID) + "/autosave?section=" + key + "@"
		}
	}
	s.render(c, http.StatusOK, "application_tasks", p)
	return nil
}

// applicationSection is one section's page of the form. Mistakes in
// answers already given are shown beside them; coming from "check your
// answers" (?check=1), every mistake of the section is.
func (s *Server) applicationSection(c *gin.Context) error {
	sec, ok := application.SectionByKey(c.Param("section"))
	if !ok {
		return statusError(http.StatusNotFound)
	}
	a, f, ok, err := s.editableDraft(c)
	if err != nil || !ok {
		return err
	}
	p, err := s.applicationEditPage(c, a, f, sec.Key)
	if err != nil {
		return err
	}
	pr := f.Progress(s.today(), lang(c))
	fe := application.SectionErrors(pr.Errors, sec.Key)
	all := c.Query("check") != ""
	values := map[string]string{}
	for _, kv := range f.Answers() {
		values[kv[0]] = strings.TrimSpace(kv[1])
	}
	p.Errors = map[string]string{}
	for name, m := range fe {
		if all || values[name] != "" {
			p.Errors[name] = s.cat.Say(lang(c), m)
		}
	}
	s.render(c, http.StatusOK, "application_edit", p)
	return nil
}

// applicationCheckPage is "check your answers" for the draft f.
func (s *Server) applicationCheckPage(c *gin.Context, a *application.Application, f application.Form) (*view.ApplicationCheck, error) {
	p := &view.ApplicationCheck{Page: s.page(c), App: a, Rev: a.DraftRev, ErrorHref: map[string]string{}}
	p.Currency = a.Currency
	pr := f.Progress(s.today(), lang(c))
	answers := f.Answers()
	for _, sec := range application.Sections {
		g := view.AnswerGroup{Key: sec.Key, Title: p.T("app.section." + sec.Key), Href: sectionURL(a.ID, sec.Key), State: pr.States[sec.Key]}
		for _, kv := range answers {
			name, value := kv[0], kv[1]
			if application.SectionOf(name) != sec.Key || strings.HasPrefix(name, "team_") && value == "" {
				continue // a role nobody fills is not an answer
			}
			label := p.FieldLabel(name)
			if name == "attest" {
				label, value = p.T("app.check.attest"), map[bool]string{true: p.T("action.yes"), false: ""}[value == "yes"]
			}
			g.Answers = append(g.Answers, view.Answer{Name: name, Label: label, Value: p.FieldValue(name, value), Href: g.Href + "#f-" + name})
		}
		p.Groups = append(p.Groups, g)
	}
	for name := range pr.Errors {
		p.ErrorHref[name] = sectionURL(a.ID, application.SectionOf(name)) + "?check=1#f-" + name
	}
	p.FieldOrder = f.FieldNames()
	r, err := s.apps.Round(c.Request.Context(), a.RoundID)
	if err != nil {
		return nil, err
	}
	p.CanSubmit = a.SendOpen(r, s.today())
	if p.Missing, err = document.Missing(c.Request.Context(), s.db, a.ID); err != nil {
		return nil, err
	}
	p.ErrorHref["documents"] = appURL(a.ID) + "/documents"
	return p, nil
}

func (s *Server) applicationCheck(c *gin.Context) error {
	a, f, ok, err := s.editableDraft(c)
	if err != nil || !ok {
		return err
	}
	p, err := s.applicationCheckPage(c, a, f)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "application_check", p)
	return nil
}

// applicationSubmit sends the saved draft, as "check your answers" showed
// it (draft_rev): a refusal comes back to that page, each mistake linking
// to its section's page, at the field. The service compares draft_rev with
// the draft under the lock it sends it under: a draft saved again since
// (elsewhere) comes back to be checked again (application.ErrChangedSinceChecked).
func (s *Server) applicationSubmit(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx, u := c.Request.Context(), currentUser(c)
	can, err := s.apps.Can(ctx, u, id)
	if err != nil {
		return err
	}
	seen, err := strconv.Atoi(c.PostForm("draft_rev"))
	if err != nil {
		seen = application.NoBase // a page that said nothing: never the draft's revision
	}
	if !can.Do(policy.Submit) { // refused, with the rules' reason
		return cmp.Or[error](s.apps.Submit(ctx, s.actor(c), u, id, seen), policy.ErrInvalidTransition)
	}
	err = s.apps.Submit(ctx, s.actor(c), u, id, seen)
	if err == nil {
		s.flash(c, "flash.application_submitted")
		c.Redirect(http.StatusSeeOther, appURL(id))
		return nil
	}
	if _, _, ok := s.formErrors(c, err); !ok || errors.Is(err, policy.ErrInvalidTransition) || errors.Is(err, policy.ErrForbidden) {
		return err
	}
	return s.checkAgain(c, id, err)
}

// checkAgain is "check your answers" showing the refusal err of a
// submission: with the draft as it is now (after any save that made the
// page stale) and its revision, to check and send.
func (s *Server) checkAgain(c *gin.Context, id int64, err error) error {
	a, f, derr := s.apps.Draft(c.Request.Context(), currentUser(c), id)
	if derr != nil {
		return derr
	}
	p, perr := s.applicationCheckPage(c, a, f)
	if perr != nil {
		return perr
	}
	return s.refuse(c, err, &p.Page, "application_check", p)
}

// applicationDeleteConfirm asks before a draft is thrown away (a page,
// so that it asks without JavaScript too).
func (s *Server) applicationDeleteConfirm(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx, u := c.Request.Context(), currentUser(c)
	a, err := s.apps.Get(ctx, u, id)
	if err != nil {
		return err
	}
	can, err := s.apps.Can(ctx, u, id)
	if err != nil {
		return err
	}
	if !can.Do(policy.DeleteDraft) {
		c.Redirect(http.StatusSeeOther, appURL(id))
		return nil
	}
	s.render(c, http.StatusOK, "application_delete", &view.ApplicationDelete{Page: s.page(c), App: a})
	return nil
}

func (s *Server) applicationDelete(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.apps.Delete(c.Request.Context(), s.actor(c), currentUser(c), id); err != nil {
		return err
	}
	s.flash(c, "flash.application_deleted")
	c.Redirect(http.StatusSeeOther, "/dashboard")
	return nil
}
