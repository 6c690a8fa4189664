package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/export"
	"missiongrants/internal/organization"
	"missiongrants/internal/web/view"
)

// The exports: applications, decisions, the payment ledger and the trips'
// accepted outcomes for a period, as CSV or XLSX. Rows are written as
// PostgreSQL sends them, so a file of any length is made in flat memory.

// exportPeriod reads the period as typed (the minutes' rules: an empty from
// is the start of the year, an empty to is today).
func (s *Server) exportPeriod(c *gin.Context) (*view.AdminExports, export.Period, error) {
	p := &view.AdminExports{Page: s.page(c), From: c.Query("from"), To: c.Query("to"), Format: c.DefaultQuery("format", "csv")}
	for _, e := range export.All {
		p.Exports = append(p.Exports, e.Name)
	}
	period, err := export.ParsePeriod(p.From, p.To, s.now())
	if err != nil {
		return p, period, err
	}
	if p.From == "" {
		p.From = period.From.Format(time.DateOnly)
	}
	if p.To == "" {
		p.To = period.To.Format(time.DateOnly)
	}
	return p, period, nil
}

func (s *Server) adminExportsShow(c *gin.Context) error {
	p, _, err := s.exportPeriod(c)
	if err != nil {
		return s.refuse(c, err, &p.Page, "admin_exports", p)
	}
	s.render(c, http.StatusOK, "admin_exports", p)
	return nil
}

// exportFormats are the files an export can be written as.
var exportFormats = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// adminExportDownload writes one export: /admin/exports/payments.csv, or
// /admin/exports/payments?format=xlsx, with from and to.
func (s *Server) adminExportDownload(c *gin.Context) error {
	name, format, dotted := strings.Cut(c.Param("file"), ".")
	if !dotted {
		format = c.DefaultQuery("format", "csv")
	}
	e, err := export.Lookup(name)
	contentType, known := exportFormats[format]
	if err != nil || !known {
		return statusError(http.StatusNotFound)
	}
	p, period, err := s.exportPeriod(c)
	if err != nil {
		return s.refuse(c, err, &p.Page, "admin_exports", p)
	}
	header := make([]string, len(e.Columns))
	for i, k := range e.Columns {
		header[i] = p.T("export.column." + k)
	}
	c.Header("Content-Type", contentType)
	c.Header("Content-Disposition", `attachment; filename="`+e.Name+"-"+period.Label()+"."+format+`"`)
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	ctx, label, reader := c.Request.Context(), exportLabels(p.Page, e.Columns), currentUser(c).ID
	if format == "xlsx" {
		err = e.WriteXLSX(ctx, s.db, period, reader, c.Writer, header, label)
	} else {
		err = e.WriteCSV(ctx, s.db, period, reader, c.Writer, c.Writer.Flush, header, label)
	}
	if err != nil {
		if c.Writer.Written() {
			// Too late for an error page: the file is cut short.
			logger(c).Error("export failed", "export", e.Name, "error", err)
			c.Abort()
			return nil
		}
		c.Writer.Header().Del("Content-Disposition")
		c.Writer.Header().Del("Content-Type")
		return err
	}
	return nil
}

// exportLabels returns what writes a row's coded values (a status, a
// decision, a payment method, a country) in the admin's words, as the
// header is. Both lookups are tables: labels without arguments are kept by
// the catalog, country names per language.
func exportLabels(p Page, columns []string) func(export.Row) {
	prefix := map[string]string{"status": "app.status.", "decision": "board.decision.", "method": "page.award.method.", "state": "export.state.", "stage": "stages.stage.", "age_group": "page.outcomes.group."}
	yes, no := p.T("page.minutes.yes"), p.T("page.minutes.no")
	return func(row export.Row) {
		for i, v := range row {
			if b, ok := v.(bool); ok { // quorum met: yes or no, in the admin's words
				row[i] = no
				if b {
					row[i] = yes
				}
				continue
			}
			code, ok := v.(string)
			if !ok || code == "" || i >= len(columns) {
				continue
			}
			if pre, coded := prefix[columns[i]]; coded {
				row[i] = p.T(pre + code)
			} else if columns[i] == "country" {
				row[i] = organization.CountryName(code, p.Lang)
			}
		}
	}
}
