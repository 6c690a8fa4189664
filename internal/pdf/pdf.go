// Package pdf makes the portal's printable papers (grant agreements, award
// letters, applications, board packets, minutes) inside the binary: no
// browser or other program at run time. It lays out plain blocks (headings,
// paragraphs, label–value lists, tables) in the Go fonts, which are embedded
// and cover Spanish, so every paper looks the same wherever it is opened.
//
// The same input makes the same bytes (the dates in the file come from
// Options.Created), so a signed paper's SHA-256 can be checked again later.
package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// Options describe a paper.
type Options struct {
	Title  string // the document's title, in its metadata and first heading
	Author string
	Lang   string // "en", "es": the document's language, in its metadata
	// Created dates the file. Give the moment the paper stands for (the
	// award, the signature), not the time of rendering, so that rendering
	// again gives the same bytes.
	Created time.Time
	// Footer writes the footer of a page, e.g. "Page 2 of 5". total is a
	// placeholder that becomes the number of pages when the file is written.
	Footer func(page int, total string) string
}

// Doc is a paper being laid out, page by page, top to bottom.
type Doc struct {
	f     *fpdf.Fpdf
	width float64 // between the margins, in mm
}

const (
	family     = "go"
	totalPages = "{nb}"
	margin     = 20.0
	lineHeight = 5.5
	textSize   = 10.5
)

// New starts a paper on US Letter (the IPA's and most of its charities'
// paper) with the fonts and metadata set.
func New(o Options) *Doc {
	f := fpdf.New("P", "mm", "Letter", "")
	f.AddUTF8FontFromBytes(family, "", goregular.TTF)
	f.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	f.AddUTF8FontFromBytes(family, "I", goitalic.TTF)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin)
	f.SetCompression(true)
	f.SetCatalogSort(true)
	f.SetCreationDate(o.Created)
	f.SetModificationDate(o.Created)
	f.SetTitle(o.Title, true)
	f.SetAuthor(o.Author, true)
	f.SetCreator("IPA Mission Grants", true)
	f.SetProducer("IPA Mission Grants", true)
	f.SetLang(o.Lang)
	f.AliasNbPages(totalPages)
	if o.Footer != nil {
		f.SetFooterFunc(func() {
			f.SetY(-margin + 6)
			f.SetFont(family, "", 8.5)
			f.SetTextColor(90, 90, 90)
			f.CellFormat(0, 4, o.Footer(f.PageNo(), totalPages), "", 0, "C", false, 0, "")
			f.SetTextColor(0, 0, 0)
		})
	}
	w, _ := f.GetPageSize()
	d := &Doc{f: f, width: w - 2*margin}
	f.AddPage()
	f.SetFont(family, "", textSize)
	return d
}

// Page is the current page's number, from 1.
func (d *Doc) Page() int { return d.f.PageNo() }

// NewPage starts a new page.
func (d *Doc) NewPage() {
	d.f.AddPage()
	d.f.SetFont(family, "", textSize)
}

// Title is the paper's main heading.
func (d *Doc) Title(s string) {
	d.f.SetFont(family, "B", 17)
	d.f.MultiCell(0, 8, s, "", "L", false)
	d.f.Ln(3)
	d.f.SetFont(family, "", textSize)
}

// Heading starts a section, keeping it off the very bottom of a page. It is
// bookmarked (level 0), so PDF readers list it in their outline; it returns
// the page it landed on, for a table of contents.
func (d *Doc) Heading(s string) int {
	d.keep(25)
	d.f.Ln(2)
	d.f.Bookmark(s, 0, -1)
	d.f.SetFont(family, "B", 13)
	d.f.MultiCell(0, 6.5, s, "", "L", false)
	d.f.Ln(1.5)
	d.f.SetFont(family, "", textSize)
	return d.f.PageNo()
}

// Subheading is a heading inside a section (bookmarked at level 1).
func (d *Doc) Subheading(s string) {
	d.keep(18)
	d.f.Ln(1)
	d.f.Bookmark(s, 1, -1)
	d.f.SetFont(family, "B", 11)
	d.f.MultiCell(0, 5.5, s, "", "L", false)
	d.f.Ln(1)
	d.f.SetFont(family, "", textSize)
}

// Text is a paragraph; blank lines in s separate paragraphs.
func (d *Doc) Text(s string) {
	for i, p := range strings.Split(strings.TrimSpace(s), "\n\n") {
		if i > 0 {
			d.f.Ln(2)
		}
		d.f.MultiCell(0, lineHeight, p, "", "L", false)
	}
	d.f.Ln(2)
}

// Note is a paragraph in small grey type (sources, explanations).
func (d *Doc) Note(s string) {
	d.f.SetFont(family, "I", 9)
	d.f.SetTextColor(70, 70, 70)
	d.f.MultiCell(0, 4.5, s, "", "L", false)
	d.f.SetTextColor(0, 0, 0)
	d.f.SetFont(family, "", textSize)
	d.f.Ln(2)
}

// Field is one line of a label–value list.
type Field struct{ Label, Value string }

// Fields is a label–value list, labels in bold on the left third.
func (d *Doc) Fields(fs ...Field) {
	cols := []Column{{Width: 0.34, Bold: true}, {Width: 0.66}}
	rows := make([][]string, len(fs))
	for i, f := range fs {
		rows[i] = []string{f.Label, f.Value}
	}
	d.rows(cols, rows, false)
	d.f.Ln(2)
}

// Column is a table column: its header, its share of the width (the
// shares of a table add up to 1), and whether its cells are figures
// (aligned right) or bold.
type Column struct {
	Header string
	Width  float64
	Right  bool
	Bold   bool
}

// Table draws a table with a header row, repeated on each page it runs on;
// cells wrap within their column and a row never splits across pages.
func (d *Doc) Table(cols []Column, rows [][]string) {
	d.header(cols)
	d.rows(cols, rows, true)
	d.f.Ln(3)
}

func (d *Doc) header(cols []Column) {
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.Header
	}
	d.f.SetFont(family, "B", 9.5)
	d.f.SetFillColor(232, 236, 242)
	d.row(cols, head, true, true)
	d.f.SetFont(family, "", textSize)
}

func (d *Doc) rows(cols []Column, rows [][]string, table bool) {
	for _, r := range rows {
		if h := d.height(cols, r); table && d.f.GetY()+h > d.bottom() {
			d.NewPage()
			d.header(cols)
		}
		d.row(cols, r, false, table)
	}
}

// row draws one row: every cell as tall as the tallest.
func (d *Doc) row(cols []Column, cells []string, fill, border bool) {
	h := d.height(cols, cells)
	d.keep(h)
	x, y := d.f.GetX(), d.f.GetY()
	for i, c := range cols {
		w := c.Width * d.width
		if fill {
			d.f.Rect(x, y, w, h, "F")
		}
		if border {
			d.f.Rect(x, y, w, h, "D")
		}
		d.f.SetXY(x, y+0.8)
		style := ""
		if c.Bold && !fill {
			style = "B"
			d.f.SetFont(family, style, textSize)
		}
		align := "L"
		if c.Right {
			align = "R"
		}
		d.f.MultiCell(w, lineHeight, cell(cells, i), "", align, false)
		if style != "" {
			d.f.SetFont(family, "", textSize)
		}
		x += w
	}
	d.f.SetXY(margin, y+h)
}

func (d *Doc) height(cols []Column, cells []string) float64 {
	lines := 1
	for i, c := range cols {
		if n := len(d.f.SplitText(cell(cells, i), c.Width*d.width-2*d.f.GetCellMargin())); n > lines {
			lines = n
		}
	}
	return float64(lines)*lineHeight + 1.6
}

func cell(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}

// keep starts a new page when fewer than h mm are left on this one.
func (d *Doc) keep(h float64) {
	if d.f.GetY()+h > d.bottom() {
		d.NewPage()
	}
}

func (d *Doc) bottom() float64 {
	_, ph := d.f.GetPageSize()
	return ph - margin
}

// Rule draws a thin line across the page.
func (d *Doc) Rule() {
	y := d.f.GetY() + 1
	d.f.SetDrawColor(160, 160, 160)
	d.f.Line(margin, y, margin+d.width, y)
	d.f.SetDrawColor(0, 0, 0)
	d.f.Ln(3)
}

// Bytes finishes the paper and returns the file.
func (d *Doc) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.f.Output(&b); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return b.Bytes(), nil
}
