package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/document"
	"missiongrants/internal/money"
	"missiongrants/internal/organization"
	"missiongrants/internal/papers"
	"missiongrants/internal/policy"
	"missiongrants/internal/vote"
	"missiongrants/internal/web/form"
	"missiongrants/internal/web/view"
)

func appURL(id int64) string { return "/applications/" + strconv.FormatInt(id, 10) }

// applicationNew lets an eligible charity pick the round to apply to.
func (s *Server) applicationNew(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	o, err := s.orgs.Get(c.Request.Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	if !s.isMember(c, id) {
		return statusError(http.StatusForbidden) // the IPA reads applications; only the charity applies
	}
	if o.EligibleAt == nil {
		c.Redirect(http.StatusSeeOther, "/organizations/"+strconv.FormatInt(id, 10)+"/eligibility")
		return nil
	}
	rounds, err := s.apps.OpenRounds(c.Request.Context())
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "application_new", view.ApplicationNew{Page: s.page(c), Org: o, Rounds: rounds})
	return nil
}

func (s *Server) applicationCreate(c *gin.Context) error {
	orgID, err := pathID(c)
	if err != nil {
		return err
	}
	roundID, _ := strconv.ParseInt(c.PostForm("round"), 10, 64)
	id, err := s.apps.Create(c.Request.Context(), s.actor(c), currentUser(c), orgID, roundID)
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, appURL(id)+"/edit")
	return nil
}

// emptyBudgetRows are offered below the filled lines, for people without
// JavaScript (with it, a button adds more).
const emptyBudgetRows = 3

// applicationEditPage is the form's page for section ("": the whole form,
// which a post without a section still saves).
func (s *Server) applicationEditPage(c *gin.Context, a *application.Application, f application.Form, section string) (*view.ApplicationEdit, error) {
	p := &view.ApplicationEdit{Page: s.page(c), App: a, Form: f, Rev: a.DraftRev, MaxLength: application.MaxLength,
		Roles: application.TeamRoles, Categories: application.BudgetCategories,
		BudgetTotal: money.Format(f.BudgetTotal(lang(c)), money.Currency(a.Currency), lang(c)), Section: section}
	p.Currency = a.Currency
	p.FieldOrder = append([]string{"documents"}, f.FieldNames()...) // the documents' notice is above the form
	for i, sec := range application.Sections {
		if sec.Key == section && i+1 < len(application.Sections) {
			p.Next = application.Sections[i+1].Key
		}
	}
	for i := 0; i < emptyBudgetRows && len(p.Form.Budget) < application.MaxBudgetLines; i++ {
		p.Form.Budget = append(p.Form.Budget, application.BudgetLine{})
	}
	if a.DraftSavedAt != nil {
		p.SavedAt = s.savedLabel(c, *a.DraftSavedAt)
		p.SavedAtISO = a.DraftSavedAt.UTC().Format(time.RFC3339)
	}
	r, err := s.apps.Round(c.Request.Context(), a.RoundID)
	if err != nil {
		return nil, err
	}
	p.CanSubmit = a.SendOpen(r, s.today())
	p.Help = r.Help(lang(c))
	// The page is only built for those who may edit a; Missing reads no
	// more than whether each required kind is there.
	if p.Missing, err = document.Missing(c.Request.Context(), s.db, a.ID); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Server) savedLabel(c *gin.Context, t time.Time) string {
	return s.cat.T(lang(c), "app.form.saved_at", "Time", s.cat.DateTime(lang(c), t, zoneOf(c, currentUser(c))))
}

// applicationSave saves the draft (action=save) or saves and submits
// (action=submit). A refused submission comes back with every value kept
// and each error beside its field. A save based on an older revision of
// the draft takes in the edits made elsewhere to other fields, and comes
// back to the form to show the result (nothing is submitted unseen); when
// both changed a field, the person chooses (409).
func (s *Server) applicationSave(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx, u := c.Request.Context(), currentUser(c)
	e := form.DraftEdit(postValues(c))
	e.Merge = true
	saved, err := s.apps.SaveDraft(ctx, u, id, e)
	if err != nil {
		return s.applicationRefused(c, id, e.Form, e.Base, e.Section, err)
	}
	back := appURL(id) + "/edit" // the task list, or the whole form's section
	if e.Section != "" {
		back = sectionURL(id, e.Section)
	}
	switch {
	case len(saved.Taken) > 0:
		s.flash(c, "flash.draft_merged")
		c.Redirect(http.StatusSeeOther, back)
		return nil
	case c.PostForm("remove_line") != "":
		s.flash(c, "flash.budget_line_removed")
		c.Redirect(http.StatusSeeOther, back+"#f-budget")
		return nil
	case c.PostForm("action") != "submit":
		s.flash(c, "flash.draft_saved")
		if e.Section != "" { // the server has the page's every value: its copy on the device can go
			s.sessions.Put(ctx, sessSavedSection, e.Section)
		}
		c.Redirect(http.StatusSeeOther, appURL(id)+"/edit")
		return nil
	}
	// Sent as just saved: a save landing meanwhile (elsewhere) is shown
	// on "check your answers" first, never sent unseen.
	if err := s.apps.Submit(ctx, s.actor(c), u, id, saved.Rev); errors.Is(err, application.ErrChangedSinceChecked) {
		return s.checkAgain(c, id, err)
	} else if err != nil {
		return s.applicationRefused(c, id, e.Form, saved.Rev, e.Section, err)
	}
	s.flash(c, "flash.application_submitted")
	c.Redirect(http.StatusSeeOther, appURL(id))
	return nil
}

// applicationRefused shows the form f again with err; rev is the draft
// revision f is based on (the one it was posted with, unless saved).
func (s *Server) applicationRefused(c *gin.Context, id int64, f application.Form, rev int, section string, err error) error {
	if _, _, ok := s.formErrors(c, err); !ok {
		return err
	}
	a, err2 := s.apps.Get(c.Request.Context(), currentUser(c), id)
	if err2 != nil {
		return err2
	}
	var stale *application.Stale
	if errors.As(err, &stale) {
		f, rev = stale.Form, stale.Rev // the person's edits over the draft now, to choose from
	}
	if _, ok := application.SectionByKey(section); !ok {
		section = ""
	}
	p, err2 := s.applicationEditPage(c, a, f, section)
	if err2 != nil {
		return err2
	}
	p.Rev, p.Stale = rev, stale
	return s.refuse(c, err, &p.Page, "application_edit", p)
}

// applicationAutosave is the page's script saving the draft as the person
// types: JSON in, JSON out, nothing else changes. It never merges: a save
// based on an older revision answers 409 with stale set, and the page asks
// the person to save with the button, which shows what changed.
func (s *Server) applicationAutosave(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	saved, err := s.apps.SaveDraft(c.Request.Context(), currentUser(c), id, form.DraftEdit(postValues(c)))
	s.autosaved(c, saved, err, "app.form.stale")
	return nil
}

// autosaved is the answer to the page's script (app.js) for a save it made:
// the time saved and the revision the next save is based on; or, whatever
// the reason, "not saved" (the script keeps the copy on the device), a
// draft changed elsewhere saying so (stale, in the words of staleKey).
func (s *Server) autosaved(c *gin.Context, saved application.Saved, err error, staleKey string) {
	if err != nil {
		status, _, ok := refusalOf(err)
		if !ok {
			logger(c).Error("autosave failed", "error", err)
			status = http.StatusInternalServerError
		}
		answer := gin.H{"error": s.cat.T(lang(c), "app.form.not_saved")}
		if errors.Is(err, application.ErrStale) {
			answer = gin.H{"error": s.cat.T(lang(c), staleKey), "stale": true}
		}
		c.JSON(status, answer)
		return
	}
	c.JSON(http.StatusOK, gin.H{"saved_at": saved.At.UTC().Format(time.RFC3339), "message": s.savedLabel(c, saved.At), "rev": saved.Rev})
}

// applicationShowPage is the application page's data (view.ApplicationShow)
// and what its handlers keep beside it.
type applicationShowPage struct {
	view.ApplicationShow

	viewer     policy.Person
	others     []application.Earlier // the board's history of the charity
	moreOthers bool                  // and it has sent more
	vote       *vote.Vote            // see currentVote
	voteRead   bool
}

func (s *Server) applicationShowPage(c *gin.Context, id int64) (*applicationShowPage, error) {
	u := currentUser(c)
	sh, err := s.apps.Show(c.Request.Context(), u, id)
	if err != nil {
		return nil, err
	}
	a := sh.Application
	p := &applicationShowPage{ApplicationShow: view.ApplicationShow{Page: s.page(c), App: a, Member: sh.Viewer.Member, Can: sh.Can,
		Timeline: sh.Timeline, Versions: sh.Versions, Messages: sh.Messages}, viewer: sh.Viewer, others: sh.Others, moreOthers: sh.MoreOthers}
	p.Currency = a.Currency
	if n := len(p.Versions); n >= 2 {
		p.Changes = application.Diff(p.Versions[n-2].Form, p.Versions[n-1].Form)
	}
	if a.Version > 0 {
		p.Amount = money.Format(a.AmountRequested, money.Currency(a.Currency), lang(c))
		p.Country = organization.CountryName(a.Country, lang(c))
	}
	if n := len(p.Versions); n > 0 && !p.Member {
		p.Latest = &p.Versions[n-1] // what the IPA reads first, at the top
	}
	if err := s.loadBoard(c, p); err != nil {
		return nil, err
	}
	// While it waits to be screened, the screening form asks the charity;
	// a second form for the same question would only confuse.
	p.CanAsk = p.Can.Do(policy.RequestInfo) && p.Screening == nil
	if err := s.loadAward(c, p); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Server) applicationShow(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := s.applicationShowPage(c, id)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "application_show", p)
	return nil
}

// applicationAct runs one action from the application page and comes back
// to it; a refusal is shown there.
func (s *Server) applicationAct(c *gin.Context, flash string, act func(id int64) error, keep func(p *applicationShowPage)) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := act(id); err != nil {
		p, perr := s.applicationShowPage(c, id)
		if perr != nil {
			return perr
		}
		if keep != nil {
			keep(p)
		}
		return s.refuse(c, err, &p.Page, "application_show", p)
	}
	s.flash(c, flash)
	c.Redirect(http.StatusSeeOther, appURL(id))
	return nil
}

func (s *Server) applicationWithdraw(c *gin.Context) error {
	return s.applicationAct(c, "flash.application_withdrawn", func(id int64) error {
		return s.apps.Withdraw(c.Request.Context(), s.actor(c), currentUser(c), id)
	}, nil)
}

func (s *Server) applicationRequestInfo(c *gin.Context) error {
	q := c.PostForm("question")
	return s.applicationAct(c, "flash.info_requested", func(id int64) error {
		return s.apps.RequestInfo(c.Request.Context(), s.actor(c), currentUser(c), id, q)
	}, func(p *applicationShowPage) { p.Question = q })
}

func (s *Server) applicationMessage(c *gin.Context) error {
	body := c.PostForm("body")
	return s.applicationAct(c, "flash.message_sent", func(id int64) error {
		return s.apps.PostMessage(c.Request.Context(), s.actor(c), currentUser(c), id, body)
	}, func(p *applicationShowPage) { p.Body = body })
}

func (s *Server) applicationVersion(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Param("version"))
	if err != nil {
		return statusError(http.StatusNotFound)
	}
	ctx, u := c.Request.Context(), currentUser(c)
	a, err := s.apps.Get(ctx, u, id)
	if err != nil {
		return err
	}
	versions, err := s.apps.Versions(ctx, u, id)
	if err != nil {
		return err
	}
	for _, v := range versions {
		if v.Number == n {
			docs, err := s.docs.ForVersion(ctx, u, id, n)
			if err != nil {
				return err
			}
			if strings.HasSuffix(c.FullPath(), "/pdf") {
				return s.applicationVersionPDF(c, a, v, docs)
			}
			page := s.page(c)
			page.Currency = a.Currency
			s.render(c, http.StatusOK, "application_version", view.ApplicationVersion{Page: page, App: a, Version: v,
				Country:   organization.CountryName(v.Form.Country, lang(c)),
				Total:     money.Format(v.Form.BudgetTotal(lang(c)), money.Currency(a.Currency), lang(c)),
				Documents: docs})
			return nil
		}
	}
	return statusError(http.StatusNotFound)
}

// applicationVersionPDF sends a submitted version as a PDF in the reader's
// language, for the IPA's files and the charity's.
func (s *Server) applicationVersionPDF(c *gin.Context, a *application.Application, v application.Version, docs []document.Document) error {
	paper := papers.Application{Lang: lang(c), ID: a.ID, Version: v.Number, Organization: a.OrganizationName, Round: a.Round(lang(c)),
		SubmittedAt: v.SubmittedAt, SubmittedBy: v.SubmittedBy, Currency: a.Currency, Form: v.Form}
	for _, d := range docs {
		paper.Documents = append(paper.Documents, papers.Document{Name: d.Filename, Kind: string(d.Kind), SHA256: d.SHA256, Size: d.Size})
	}
	pdf, err := s.papers.Application(paper)
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="application-%d-v%d.pdf"`, a.ID, v.Number))
	c.Data(http.StatusOK, "application/pdf", pdf)
	return nil
}

// postValues is the parsed body of a form post, URL-encoded or multipart.
// postValues is the posted form, which csrf read whole or refused.
func postValues(c *gin.Context) url.Values { return c.Request.PostForm }

// today is the clock's date, in UTC.
func (s *Server) today() time.Time {
	y, m, d := s.now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
