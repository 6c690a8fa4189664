package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/policy"
	"missiongrants/internal/web/view"
)

// The concept note of a two-stage round: GET and POST
// /applications/:id/concept for the charity (and the IPA, who reads it),
// POST /board/applications/:id/concept for whoever decides on it.

// conceptWords are the note's questions as round r words them in lang:
// the round's label and help, or the catalog's.
func (s *Server) conceptWords(r *application.Round, lang string) map[string]application.Question {
	words := r.Questions(lang)
	out := map[string]application.Question{}
	for _, q := range application.ConceptQuestions {
		w := words[q]
		if w.Label == "" {
			w.Label = s.cat.T(lang, "stages.question."+q+".label")
		}
		if w.Help == "" {
			w.Help = s.cat.T(lang, "stages.question."+q+".help")
		}
		out[q] = w
	}
	return out
}

func (s *Server) conceptPage(c *gin.Context, id int64) (*view.ConceptNote, error) {
	cn, err := s.apps.Concept(c.Request.Context(), currentUser(c), id)
	if err != nil {
		return nil, err
	}
	words := s.conceptWords(cn.Round, lang(c))
	p := &view.ConceptNote{Page: s.page(c), App: cn.Application, Title: cn.Note.Title,
		Editable:  cn.Status.Concept() && cn.Can.Do(policy.Edit),
		CanDecide: cn.Can.Do(policy.DecideConcept)}
	p.Rev = cn.Rev
	if cn.DraftSavedAt != nil {
		p.SavedAt, p.SavedAtISO = s.savedLabel(c, *cn.DraftSavedAt), cn.DraftSavedAt.UTC().Format(time.RFC3339)
	}
	p.DeclareFirst = errors.Is(cn.Can.Why(policy.DecideConcept), policy.ErrUndeclared) && cn.Status == policy.ConceptSubmitted
	p.Currency = cn.Currency
	p.Labels = map[string]string{"title": s.cat.T(lang(c), "field.stages.title"), "outcome": s.cat.T(lang(c), "field.stages.outcome"),
		"due": s.cat.T(lang(c), "field.stages.due"), "note": s.cat.T(lang(c), "field.stages.note")}
	p.FieldOrder = append(append([]string{"title"}, application.ConceptQuestions...), "outcome", "due", "note")
	for _, q := range application.ConceptQuestions {
		p.Questions = append(p.Questions, view.ConceptQuestion{Name: q, Label: words[q].Label, Help: words[q].Help, Value: cn.Note.Answer(q)})
		p.Labels[q] = words[q].Label
	}
	for _, v := range slices.Backward(cn.Versions) {
		cv := view.ConceptVersion{ConceptVersion: v}
		for _, q := range application.ConceptQuestions {
			cv.Answers = append(cv.Answers, view.ConceptQuestion{Name: q, Label: words[q].Label, Value: v.Note.Answer(q)})
		}
		p.Versions = append(p.Versions, cv)
	}
	return p, nil
}

// conceptShow is the note: the charity's form while theirs to edit, the
// versions sent, and the decision's form for whoever decides.
func (s *Server) conceptShow(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := s.conceptPage(c, id)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "concept_note", p)
	return nil
}

// conceptSave saves the note (action=save) or saves and sends it
// (action=submit); a refused note comes back with what was typed. Like
// the autosave it is based on the note's revision the page was (draft_rev):
// a note saved elsewhere since comes back with what was typed, what
// differs, and the revision now, to save again knowingly (nothing is
// overwritten unseen).
func (s *Server) conceptSave(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	n := conceptNoteOf(c)
	send := c.PostForm("action") == "submit"
	if _, err := s.apps.SaveConcept(c.Request.Context(), s.actor(c), currentUser(c), id, n, draftRev(c), send); err != nil {
		p, perr := s.conceptPage(c, id)
		if perr != nil {
			return perr
		}
		p.Title = n.Title
		for i := range p.Questions {
			p.Questions[i].Value = n.Answer(p.Questions[i].Name)
		}
		if errors.As(err, &p.Stale) {
			p.Rev = p.Stale.Rev // the person's next save is based on the note as it is now
		}
		return s.refuse(c, err, &p.Page, "concept_note", p)
	}
	if send {
		s.flash(c, "flash.stages.concept_sent")
		c.Redirect(http.StatusSeeOther, appURL(id))
		return nil
	}
	s.flash(c, "flash.stages.concept_saved")
	c.Redirect(http.StatusSeeOther, appURL(id)+"/concept")
	return nil
}

// draftRev is the revision the posting page was based on (its draft_rev),
// application.NoBase when it did not say: never the saved one.
func draftRev(c *gin.Context) int {
	base, err := strconv.Atoi(c.PostForm("draft_rev"))
	if err != nil {
		return application.NoBase
	}
	return base
}

// conceptAutosave is the note's page's script saving it as the person
// types (app.js, as the application form's autosave): JSON in and out. It
// is written only while the note is at the revision the page was based on
// (draft_rev); a note saved elsewhere since answers 409 with stale set, and
// the page stops saving by itself. It never sends the note.
func (s *Server) conceptAutosave(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	saved, err := s.apps.SaveConceptAt(c.Request.Context(), currentUser(c), id, conceptNoteOf(c), draftRev(c))
	s.autosaved(c, saved, err, "page.stages.concept.stale")
	return nil
}

// conceptNoteOf is the note as the page's form posts it.
func conceptNoteOf(c *gin.Context) application.ConceptNote {
	return application.ConceptNote{Title: c.PostForm("title"), Trip: c.PostForm("trip"), Need: c.PostForm("need"),
		Team: c.PostForm("team"), Amount: c.PostForm("amount")}
}

// conceptDecide invites the full proposal, declines the note with a
// reason, or asks the charity; by whom the round says.
func (s *Server) conceptDecide(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	d := application.ConceptDecision{Outcome: c.PostForm("outcome"), Note: c.PostForm("note"), Due: c.PostForm("due")}
	r, err := s.apps.RoundOf(c.Request.Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	labels := func(l string) map[string]string {
		out := map[string]string{}
		for q, w := range s.conceptWords(r, l) {
			out[q] = w.Label
		}
		return out
	}
	if err := s.apps.DecideConcept(c.Request.Context(), s.actor(c), currentUser(c), id, d, labels); err != nil {
		p, perr := s.conceptPage(c, id)
		if perr != nil {
			return perr
		}
		p.Outcome, p.Note, p.Due = d.Outcome, d.Note, d.Due
		return s.refuse(c, err, &p.Page, "concept_note", p)
	}
	s.flash(c, "flash.stages."+d.Outcome)
	c.Redirect(http.StatusSeeOther, appURL(id))
	return nil
}

// adminRoundStages is round r's stages as its admin page shows them.
func (s *Server) adminRoundStages(c *gin.Context, r *application.Round, in *application.StagesInput) *view.RoundStages {
	if in == nil {
		in = &application.StagesInput{TwoStage: r.TwoStage, ByBoard: r.ConceptByBoard, Questions: map[string]map[string]application.Question{}}
		for _, l := range []string{"en", "es"} {
			in.Questions[l] = r.Questions(l)
		}
	}
	out := &view.RoundStages{TwoStage: in.TwoStage, ByBoard: in.ByBoard}
	for _, l := range []string{"en", "es"} {
		for _, q := range application.ConceptQuestions {
			w := in.Questions[l][q]
			out.Questions = append(out.Questions, view.StageQuestion{Lang: l, Name: q, Default: s.cat.T(l, "stages.question."+q+".label"),
				Label: w.Label, Help: w.Help})
		}
	}
	return out
}

// adminRoundStagesSave sets a round's stages and its concept note's questions.
func (s *Server) adminRoundStagesSave(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	in := application.StagesInput{TwoStage: c.PostForm("two_stage") == "yes", ByBoard: c.PostForm("by_board") == "yes",
		Questions: map[string]map[string]application.Question{}}
	for _, l := range []string{"en", "es"} {
		in.Questions[l] = map[string]application.Question{}
		for _, q := range application.ConceptQuestions {
			in.Questions[l][q] = application.Question{Label: c.PostForm("q_" + l + "_" + q + "_label"), Help: c.PostForm("q_" + l + "_" + q + "_help")}
		}
	}
	if err := s.apps.SaveRoundStages(c.Request.Context(), s.actor(c), currentUser(c), id, in); err != nil {
		r, rerr := s.apps.Round(c.Request.Context(), id)
		if rerr != nil {
			return rerr
		}
		p, perr := s.adminRoundsPage(c, id, application.RoundInput{Name: r.Name, NameES: r.NameES})
		if perr != nil {
			return perr
		}
		p.Stages = s.adminRoundStages(c, r, &in)
		p.Labels = map[string]string{"two_stage": s.cat.T(lang(c), "field.stages.two_stage")}
		return s.refuse(c, err, &p.Page, "admin_rounds", p)
	}
	s.flash(c, "flash.saved")
	c.Redirect(http.StatusSeeOther, "/admin/rounds/"+c.Param("id"))
	return nil
}
