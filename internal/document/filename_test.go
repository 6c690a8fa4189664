package document

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestCleanFilename(t *testing.T) {
	cases := []struct{ in, want string }{
		{"informe.pdf", "informe.pdf"},
		{"../../etc/passwd", "passwd"},
		{`C:\Users\ana\Presupuesto 2027.xlsx`, "Presupuesto 2027.xlsx"},
		{"a/b\\c.pdf", "c.pdf"},
		{"in\x00for\x1bme\x7f.pdf", "informe.pdf"},
		{"  many   spaces\t\there .pdf ", "many spaces here .pdf"},
		{"evil\u202Efdp.exe", "evilfdp.exe"},
		{"zero\u200bwidth.pdf", "zerowidth.pdf"},
		{"Corazo\u0301n.pdf", "Corazón.pdf"},
		{"心臓手術の報告.pdf", "心臓手術の報告.pdf"},
		{`a"b<c>d|e?f*g:h.pdf`, "a_b_c_d_e_f_g_h.pdf"},
		{".htaccess", "htaccess"},
		{"trailing dots...", "trailing dots"},
		{"..", ""},
		{"bad\xffutf8.pdf", "badutf8.pdf"},
		{"", ""},
	}
	for _, tc := range cases {
		if got := CleanFilename(tc.in); got != tc.want {
			t.Errorf("CleanFilename(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCleanFilenameCapsAndKeepsTheExtension(t *testing.T) {
	long := strings.Repeat("é", 300) + ".xlsx"
	got := CleanFilename(long)
	if len(got) > MaxFilenameBytes || !strings.HasSuffix(got, "é.xlsx") || !utf8.ValidString(got) {
		t.Fatalf("%q (%d bytes)", got, len(got))
	}
	noExt := CleanFilename(strings.Repeat("x", 500))
	if len(noExt) != MaxFilenameBytes {
		t.Fatalf("%d bytes", len(noExt))
	}
}

func TestContentDisposition(t *testing.T) {
	got := ContentDisposition(`Informe "año" 100%.pdf`)
	want := `attachment; filename="Informe _a_o_ 100_.pdf"; filename*=UTF-8''Informe%20%22a%C3%B1o%22%20100%25.pdf`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// cleanInvariants are what every cleaned name satisfies.
func cleanInvariants(t *testing.T, in, got string) {
	t.Helper()
	if !utf8.ValidString(got) {
		t.Fatalf("%q: invalid UTF-8 %q", in, got)
	}
	if len(got) > MaxFilenameBytes {
		t.Fatalf("%q: %d bytes", in, len(got))
	}
	if strings.ContainsAny(got, "/\\\"<>:|?*") || got == "." || got == ".." || strings.HasPrefix(got, ".") {
		t.Fatalf("%q: unsafe %q", in, got)
	}
	for _, r := range got {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || (unicode.IsSpace(r) && r != ' ') {
			t.Fatalf("%q: kept %U in %q", in, r, got)
		}
	}
	if strings.Contains(got, "  ") || strings.TrimSpace(got) != got {
		t.Fatalf("%q: loose spaces in %q", in, got)
	}
	if !norm.NFC.IsNormalString(got) {
		t.Fatalf("%q: not NFC: %q", in, got)
	}
	if again := CleanFilename(got); again != got {
		t.Fatalf("%q: cleaning twice gives %q then %q", in, got, again)
	}
}

// go test -fuzz=FuzzCleanFilename ./internal/document/
func FuzzCleanFilename(f *testing.F) {
	for _, s := range []string{"informe.pdf", "../../etc/passwd", `C:\x\y.docx`, "evil\u202Efdp.exe", "Corazo\u0301n.pdf",
		strings.Repeat("é", 200) + ".pdf", "a\x00b", " . . ", "\xff\xfe", "x" + strings.Repeat("\u0301", 300) + ".pdf"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := CleanFilename(in)
		cleanInvariants(t, in, got)
		for _, fm := range formats {
			name := storedFilename(in, fm)
			cleanInvariants(t, in, name)
			if name == "" {
				t.Fatalf("%q: empty stored name", in)
			}
		}
	})
}

// go test -fuzz=FuzzDetect ./internal/document/
func FuzzDetect(f *testing.F) {
	for _, s := range []string{"%PDF-1.4\n", "\x89PNG\r\n\x1a\n", "\xff\xd8\xff\xe0", "PK\x03\x04", "a,b\n1,2\n",
		"\x7fELF\x02\x01", "MZ\x90\x00", "MZ,a\nb,c\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, head []byte) {
		fm, ok := detect(head)
		if !ok {
			return
		}
		for _, magic := range executableMagic {
			if bytes.HasPrefix(head, magic) {
				t.Fatalf("a program (%q...) accepted as %s", head[:min(len(head), 8)], fm.mime)
			}
		}
		known := false
		for _, a := range formats {
			known = known || a.mime == fm.mime
		}
		if !known {
			t.Fatalf("accepted as %q", fm.mime)
		}
	})
}
