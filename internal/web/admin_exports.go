package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"missiongrants/internal/export"
	"missiongrants/internal/organization"
	"missiongrants/internal/vote"
	"missiongrants/internal/web/view"
)

// The exports: applications, decisions, the payment ledger and the trips'
// accepted outcomes for a period, as CSV or XLSX. Rows are written as
// PostgreSQL sends them, so a file of any length is made in flat memory.

// exportPeriod reads the period as typed (the minutes' rules: an empty from
// is the start of the year, an empty to is today).
func (s *Server) exportPeriod(c *gin.Context) (*view.AdminExports, vote.Period, error) {
	p := &view.AdminExports{Page: s.page(c), From: c.Query("from"), To: c.Query("to"), Format: c.DefaultQuery("format", "csv")}
	for _, e := range export.All {
		p.Exports = append(p.Exports, e.Name)
	}
	period, err := vote.ParsePeriod(p.From, p.To, s.now())
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
	c.Header("Content-Disposition", `attachment; filename="`+e.Name+"-"+p.From+"-"+p.To+"."+format+`"`)
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	ep := export.Period{From: period.From, To: period.To}
	if format == "xlsx" {
		err = s.exportXLSX(c, e, ep, header, exportLabels(p.Page, e.Columns))
	} else {
		err = s.exportCSV(c, e, ep, header, exportLabels(p.Page, e.Columns))
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

// csvFlushRows is how many rows the CSV writer buffers before sending them.
const csvFlushRows = 500

// exportLabels returns what writes a row's coded values (a status, a
// decision, a payment method, a country) in the admin's words, as the
// header is. Both lookups are tables: labels without arguments are kept by
// the catalog, country names per language.
func exportLabels(p Page, columns []string) func(export.Row) {
	prefix := map[string]string{"status": "app.status.", "decision": "board.decision.", "method": "page.award.method."}
	return func(row export.Row) {
		for i, v := range row {
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

func (s *Server) exportCSV(c *gin.Context, e export.Export, p export.Period, header []string, label func(export.Row)) error {
	w := export.NewCSV(c.Writer)
	cells := make([]export.Cell, len(header))
	for i, h := range header {
		cells[i] = export.Text(h)
	}
	w.Row(cells...)
	n := 0
	err := e.Run(c.Request.Context(), s.db, p, func(row export.Row) error {
		label(row)
		for i, v := range row {
			cells[i] = csvCell(v)
		}
		w.Row(cells...)
		if n++; n%csvFlushRows == 0 {
			if err := w.Flush(); err != nil {
				return err
			}
			c.Writer.Flush()
		}
		return nil
	})
	return errors.Join(err, w.Flush())
}

// csvCell is a value as a cell: text is quoted and neutralised; numbers (a
// negative amount begins with -) and dates are the program's own and are not.
func csvCell(v any) export.Cell {
	switch v := v.(type) {
	case nil:
		return export.Plain("")
	case string:
		return export.Text(v)
	case int64:
		return export.Plain(strconv.FormatInt(v, 10))
	case bool:
		return export.Plain(strconv.FormatBool(v))
	case export.Cents:
		return export.Plain(v.String())
	case export.Date:
		return export.Plain(time.Time(v).Format(time.DateOnly))
	case time.Time:
		return export.Plain(v.UTC().Format("2006-01-02 15:04:05"))
	default:
		panic("export: cell of unexpected type")
	}
}

// exportXLSX writes the rows through excelize's stream writer, which keeps
// only a small buffer in memory and spills the sheet to a temporary file.
func (s *Server) exportXLSX(c *gin.Context, e export.Export, p export.Period, header []string, label func(export.Row)) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00
	if err != nil {
		return err
	}
	dateFmt, instantFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	instant, err := f.NewStyle(&excelize.Style{CustomNumFmt: &instantFmt})
	if err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	n := 1
	err = e.Run(c.Request.Context(), s.db, p, func(row export.Row) error {
		label(row)
		for i, v := range row {
			switch v := v.(type) {
			case export.Cents:
				cells[i] = excelize.Cell{StyleID: money, Value: float64(v) / 100}
			case export.Date:
				cells[i] = excelize.Cell{StyleID: date, Value: time.Time(v)}
			case time.Time:
				cells[i] = excelize.Cell{StyleID: instant, Value: v.UTC()}
			default: // text is stored as text: a spreadsheet never runs it
				cells[i] = v
			}
		}
		n++
		ref, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(ref, cells)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(c.Writer)
	return err
}
