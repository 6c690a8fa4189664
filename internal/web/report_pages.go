package web

import (
	"missiongrants/internal/policy"
	"missiongrants/internal/web/view"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/document"
	"missiongrants/internal/money"
	"missiongrants/internal/organization"
	"missiongrants/internal/report"
)

func (s *Server) reportPage(c *gin.Context, id int64) (*view.ReportPage, error) {
	ctx, u := c.Request.Context(), currentUser(c)
	a, err := s.apps.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	r, err := s.reports.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	can, err := s.apps.Can(ctx, u, id)
	if err != nil {
		return nil, err
	}
	p := &view.ReportPage{Page: s.page(c), AppID: id, Title: a.DisplayTitle(), Report: r, Form: r.Form,
		Editable: can.Do(policy.WriteReport), Review: can.Do(policy.ReviewReport)}
	p.Currency = a.Currency
	versions, err := s.apps.Versions(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if n := len(versions); n > 0 {
		for i, l := range versions[n-1].Form.Budget {
			bl := view.BudgetLine{Index: i, Category: l.Category, Description: l.Description, Planned: p.FieldValue("budget_amount", l.Amount)}
			if i < len(r.Form.SpentByLine) {
				bl.Spent = r.Form.SpentByLine[i]
			}
			p.Budget = append(p.Budget, bl)
		}
	}
	showAmounts(p)
	s.mixLabels(&p.Page)
	if p.Outcomes, err = s.docs.OutcomesOpen(ctx, u, id); err != nil {
		return nil, err
	}
	docs, err := s.docs.List(ctx, u, id)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if d.Kind == document.OutcomeReport {
			p.Documents = append(p.Documents, view.DocumentRow{Document: d, Size: document.FormatSize(d.Size)})
		}
	}
	return p, nil
}

// showAmounts formats the amounts spent for reading, in the reader's
// language; the form keeps them as typed.
func showAmounts(p *view.ReportPage) {
	show := func(v string) string {
		if strings.TrimSpace(v) == "" {
			return "–"
		}
		c, err := money.Parse(v, p.Lang)
		if err != nil {
			return v // a draft's mistake, shown as typed
		}
		return money.Format(c, money.Currency(p.Currency), p.Lang)
	}
	p.Spent = show(p.Form.Spent)
	for i := range p.Budget {
		p.Budget[i].SpentShown = show(p.Budget[i].Spent)
	}
}

func (s *Server) reportShow(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := s.reportPage(c, id)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "report", p)
	return nil
}

func reportForm(c *gin.Context) report.Form {
	v := func(k string) string { return c.PostForm(k) }
	f := report.Form{Infants: v("infants"), Children: v("children"), Adults: v("adults"), OpenHeart: v("open_heart"), Bypass: v("bypass"),
		Interventional: v("interventional"), DeathsDischarge: v("deaths_discharge"), Deaths30: v("deaths_30"), Complications: v("complications"),
		LostFollowUp: v("lost_follow_up"), FollowUpCare: v("follow_up_care"), TrainedSurgeons: v("trained_surgeons"),
		TrainedPerfusionists: v("trained_perfusionists"), TrainedNurses: v("trained_nurses"), TrainedOther: v("trained_other"),
		Spent: v("spent"), SpentByLine: c.PostFormArray("spent_line"), Narrative: v("narrative"),
		Mix: map[string]string{}, AdultScore: v("adult_score"), PerfBypassCases: v("perf_bypass_cases"),
		PerfBypassMinutes: v("perf_bypass_minutes"), PerfClampMinutes: v("perf_clamp_minutes"),
		PerfTransfused: v("perf_transfused"), PerfLowestHct: v("perf_lowest_hct")}
	for _, name := range report.MixFields() {
		if x := strings.TrimSpace(v(name)); x != "" {
			f.Mix[name] = x
		}
	}
	return f
}

// mixLabels names each box of the case mix for the error summary: its age
// group, its category and its column ("Children · RACHS-1 category 3 ·
// Died in hospital").
func (s *Server) mixLabels(p *view.Page) {
	if p.Labels == nil {
		p.Labels = map[string]string{}
	}
	each := func(group string, rows, measures []string) {
		p.Labels["mix_"+group] = p.T("page.outcomes.group." + group)
		for _, c := range rows {
			for _, m := range measures {
				p.Labels[report.MixField(group, c, m)] = p.T("page.outcomes.group."+group) + " · " +
					p.T(mixLabelKey(group, c)) + " · " + p.T("page.outcomes.col."+m)
			}
		}
	}
	each(report.Child, report.ChildCategories, report.ChildMeasures)
	each(report.Adult, report.AdultGroups, report.AdultMeasures)
	for _, name := range report.PerfusionFields {
		p.Labels[name] = p.T("page.outcomes." + name)
	}
	p.Labels["adult_score"] = p.T("page.outcomes.adult_score")
}

// reportSave saves the report as typed, and submits it when asked; a
// refusal comes back with every figure kept and each error beside its field.
func (s *Server) reportSave(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx, u := c.Request.Context(), currentUser(c)
	f := reportForm(c)
	err = s.reports.Save(ctx, u, id, f)
	if err == nil && c.PostForm("action") == "submit" {
		err = s.reports.Submit(ctx, s.actor(c), u, id)
	}
	if err != nil {
		p, perr := s.reportPage(c, id)
		if perr != nil {
			return perr
		}
		if p.Editable { // the form comes back as typed; a summary shows what was saved
			p.Form = f
			for i := range p.Budget {
				if i < len(f.SpentByLine) {
					p.Budget[i].Spent = f.SpentByLine[i]
				}
			}
		}
		return s.refuse(c, err, &p.Page, "report", p)
	}
	flash := "flash.report_saved"
	if c.PostForm("action") == "submit" {
		flash = "flash.report_submitted"
	}
	s.flash(c, flash)
	c.Redirect(http.StatusSeeOther, appURL(id)+"/report")
	return nil
}

func (s *Server) reportReview(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	note := c.PostForm("note")
	if err := s.reports.Review(c.Request.Context(), s.actor(c), currentUser(c), id, c.PostForm("decision") == "accept", note); err != nil {
		p, perr := s.reportPage(c, id)
		if perr != nil {
			return perr
		}
		p.Note = note
		return s.refuse(c, err, &p.Page, "report", p)
	}
	s.flash(c, "flash.report_reviewed")
	c.Redirect(http.StatusSeeOther, appURL(id)+"/report")
	return nil
}

// impactShow totals the accepted reports. The public sees it when admins
// made it public, with small counts withheld and whatever would give one
// back (report.PublicImpact decides every figure); the IPA always sees the
// exact figures.
func (s *Server) impactShow(c *gin.Context) error {
	ctx, u := c.Request.Context(), currentUser(c)
	public, err := s.reports.Public(ctx)
	if err != nil {
		return err
	}
	full := u != nil && u.IPA()
	if !public && !full {
		return statusError(http.StatusNotFound)
	}
	cells, err := s.reports.Impact(ctx)
	if err != nil {
		return err
	}
	mix, err := s.reports.ImpactMix(ctx)
	if err != nil {
		return err
	}
	t := report.ExactImpact(cells, mix)
	if !full {
		t = report.PublicImpact(cells, mix, s.cfg.ImpactMinCell)
	}
	l := lang(c)
	show := func(f report.Figure) string {
		if !f.Shown {
			return s.cat.T(l, "page.impact.withheld")
		}
		return strconv.Itoa(f.N)
	}
	row := func(country string, year int, n report.Counts) view.ImpactRow {
		if country != "" {
			country = organization.CountryName(country, l)
		}
		return view.ImpactRow{Country: country, Year: year, Trips: show(n.Trips), Patients: show(n.Patients),
			Surgeries: show(n.Surgeries), Bypass: show(n.Bypass)}
	}
	p := &view.Impact{Page: s.page(c), Public: public, Full: full, MinCell: s.cfg.ImpactMinCell, Withheld: t.Withheld}
	// The chart draws a bar only for a count shown, and scales to the
	// largest shown: a withheld count draws nothing and says so.
	p.Chart = view.Chart{Title: s.cat.T(l, "page.impact.chart_label"), Axis: s.cat.T(l, "page.impact.patients"), Empty: s.cat.T(l, "chart.impact_withheld")}
	most := 0
	for _, cell := range t.Cells {
		r := row(cell.Country, cell.Year, cell.Counts)
		r.Bar, r.HasBar = cell.Bar, cell.Patients.Shown
		p.Rows = append(p.Rows, r)
		bar := view.ChartRow{Label: r.Country + " " + strconv.Itoa(r.Year), Value: r.Patients}
		if r.HasBar {
			bar.Segs = []view.ChartSeg{{X: "0", W: strconv.Itoa(r.Bar), Class: "bar"}}
			most = max(most, cell.Patients.N)
		}
		p.Chart.Rows = append(p.Chart.Rows, bar)
	}
	p.Chart.Max = strconv.Itoa(most)
	for _, f := range []struct {
		n   report.Figure
		key string
	}{{t.Total.Patients, "page.impact.patients"}, {t.Total.Trips, "page.impact.trips"}, {t.Total.Surgeries, "page.impact.surgeries"}} {
		if f.n.Shown {
			p.Figures = append(p.Figures, view.KeyFigure{Value: strconv.Itoa(f.n.N), Label: s.cat.T(l, f.key)})
		}
	}
	for _, n := range t.Countries {
		p.Countries = append(p.Countries, row(n.Country, 0, n.Counts))
	}
	for _, n := range t.Years {
		p.Years = append(p.Years, row("", n.Year, n.Counts))
	}
	p.Total = row("", 0, t.Total)
	for _, g := range t.Groups {
		mg := view.MixGroup{Label: s.cat.T(l, "page.outcomes.group."+g.AgeGroup), Patients: show(g.Patients)}
		for _, m := range t.Mix {
			if m.AgeGroup == g.AgeGroup {
				mg.Rows = append(mg.Rows, view.MixLine{Label: s.cat.T(l, mixLabelKey(m.AgeGroup, m.Category)), Patients: show(m.Patients)})
			}
		}
		p.Mix = append(p.Mix, mg)
	}
	switch {
	case !t.Total.Patients.Shown:
		p.Lead = s.cat.T(l, "page.impact.lead_withheld")
	case !t.Total.Trips.Shown:
		p.Lead = s.cat.T(l, "page.impact.lead_trips_withheld", "Patients", p.Total.Patients)
	default:
		p.Lead = s.cat.T(l, "page.impact.lead", "Patients", p.Total.Patients, "Trips", p.Total.Trips)
	}
	s.render(c, http.StatusOK, "impact", p)
	return nil
}

func (s *Server) impactVisibility(c *gin.Context) error {
	if err := s.reports.SetPublic(c.Request.Context(), s.actor(c), currentUser(c), c.PostForm("public") == "yes"); err != nil {
		return err
	}
	s.flash(c, "flash.saved")
	c.Redirect(http.StatusSeeOther, "/impact")
	return nil
}

// mixLabelKey names a category of the case mix in the catalog.
func mixLabelKey(group, category string) string {
	return "page.outcomes." + group + "." + category
}
