package testenv

import (
	"bytes"
	"os/exec"
	"testing"
)

// PDFText is the text of a PDF as Poppler's pdftotext reads it (Debian's
// poppler-utils, which ./scripts/test installs): what a reader's copy and
// paste, or a screen reader, would get from the file.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("testenv: pdftotext is not installed: run ./scripts/test once, which installs Debian's poppler-utils")
	}
	cmd := exec.Command(bin, "-enc", "UTF-8", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, errs.String())
	}
	return out.String()
}

// PDFInfo is Poppler's pdfinfo of a PDF: its title, language, page count.
func PDFInfo(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdfinfo")
	if err != nil {
		t.Fatal("testenv: pdfinfo is not installed: run ./scripts/test once, which installs Debian's poppler-utils")
	}
	cmd := exec.Command(bin, "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v: %s", err, out)
	}
	return string(out)
}
