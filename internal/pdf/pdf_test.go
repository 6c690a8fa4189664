package pdf_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/pdf"
	"missiongrants/internal/testenv"
)

var created = time.Date(2026, 12, 5, 15, 4, 0, 0, time.UTC)

func paper(rows int) ([]byte, error) {
	d := pdf.New(pdf.Options{Title: "Acuerdo de subvención", Author: "IPA", Lang: "es", Created: created,
		Footer: func(page int, total string) string { return fmt.Sprintf("Página %d de %s", page, total) }})
	d.Title("Acuerdo de subvención")
	d.Heading("Misión cardíaca pediátrica en Tegucigalpa")
	d.Text("La Asociación Internacional de Perfusión concede a Corazones Unidos la suma indicada, para la cirugía de niños.\n\nSegundo párrafo: año, señal, corazón.")
	d.Fields(pdf.Field{Label: "Organización", Value: "Corazones Unidos, Inc."}, pdf.Field{Label: "Importe", Value: "US$18.000,00"})
	var rs [][]string
	for i := range rows {
		rs = append(rs, []string{fmt.Sprintf("Línea %d: oxigenadores y cánulas", i+1), "US$1.000,00"})
	}
	d.Table([]pdf.Column{{Header: "Concepto", Width: 0.7}, {Header: "Importe", Width: 0.3, Right: true}}, rs)
	d.Note("Fuente: presupuesto presentado por la organización.")
	return d.Bytes()
}

// What a reader copies out of the paper is the Spanish that went in, with
// its accents, and the metadata names its title and language.
func TestPaperReadsBackInSpanish(t *testing.T) {
	b, err := paper(80)
	if err != nil {
		t.Fatal(err)
	}
	text := testenv.PDFText(t, b)
	for _, want := range []string{"Acuerdo de subvención", "Misión cardíaca pediátrica en Tegucigalpa", "concede a Corazones Unidos",
		"año, señal, corazón", "Corazones Unidos, Inc.", "US$18.000,00", "Línea 80: oxigenadores y cánulas", "Fuente: presupuesto"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	// The footer counts pages, and the table's header repeats on each page it runs on.
	info := testenv.PDFInfo(t, b)
	pages := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)
	if pages == nil || pages[1] == "1" {
		t.Fatalf("80 rows fit on one page?\n%s", info)
	}
	if !strings.Contains(text, "Página 1 de "+pages[1]) || !strings.Contains(text, "Página "+pages[1]+" de "+pages[1]) {
		t.Errorf("footers do not count %s pages:\n%s", pages[1], text)
	}
	if n := strings.Count(text, "Concepto"); n < mustAtoi(t, pages[1]) {
		t.Errorf("the table's header appears %d times on %s pages", n, pages[1])
	}
	if !strings.Contains(info, "Title:           Acuerdo de subvención") {
		t.Errorf("metadata:\n%s", info)
	}
	if !bytes.Contains(b, []byte("/Lang (es)")) {
		t.Error("the PDF does not say it is in Spanish")
	}
	// Fonts are subset, so a paper stays small for a slow line.
	if len(b) > 100<<10 {
		t.Errorf("a 3-page paper is %d KB", len(b)>>10)
	}
}

// The same paper twice is the same file: a signature's SHA-256 can be
// checked against the paper made again.
func TestSamePaperSameBytes(t *testing.T) {
	a, err := paper(10)
	if err != nil {
		t.Fatal(err)
	}
	b, err := paper(10)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same paper differ")
	}
}

func mustAtoi(t *testing.T, s string) int {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}
