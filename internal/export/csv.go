package export

import (
	"bufio"
	"io"
	"strings"
)

// CSV writes rows a spreadsheet opens safely: every text cell is quoted, so
// no separator inside it (a comma, or the semicolon Excel splits on in
// Spanish) makes a new cell, and neutralised (Neutralize); numbers and
// dates are written as they are.
type CSV struct {
	w *bufio.Writer
}

// Cell is one value of a row: text, or a number or date of the program's own.
type Cell struct {
	s    string
	text bool
}

// Text is a cell of text, typed by someone.
func Text(s string) Cell { return Cell{s: s, text: true} }

// Plain is a number or a date, written unquoted.
func Plain(s string) Cell { return Cell{s: s} }

// NewCSV writes to w, beginning with the byte order mark spreadsheets need
// to read the file as UTF-8.
func NewCSV(w io.Writer) *CSV {
	c := &CSV{w: bufio.NewWriter(w)}
	c.w.WriteString("\ufeff")
	return c
}

// Row writes one row.
func (c *CSV) Row(cells ...Cell) {
	for i, cell := range cells {
		if i > 0 {
			c.w.WriteByte(',')
		}
		if !cell.text {
			c.w.WriteString(cell.s)
			continue
		}
		c.w.WriteByte('"')
		c.w.WriteString(strings.ReplaceAll(Neutralize(cell.s), `"`, `""`))
		c.w.WriteByte('"')
	}
	c.w.WriteString("\r\n")
}

// Flush writes what is buffered, and reports the first error of the writes.
func (c *CSV) Flush() error { return c.w.Flush() }

// Neutralize keeps a spreadsheet from running any part of a cell as a
// formula: text that begins with = + - @ (or a tab or carriage return,
// which some programs skip before looking), or has one of = + - @ right
// after a separator a program might split on (, or ;), gets an apostrophe
// there.
func Neutralize(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i == 0 && strings.ContainsRune("=+-@\t\r", r) || i > 0 && strings.ContainsRune("=+-@", r) && strings.ContainsRune(",;", rune(s[i-1])) {
			b.WriteByte('\'')
		}
		b.WriteRune(r)
	}
	return b.String()
}
