package document

import (
	"bytes"
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// format is a type of file the portal accepts.
type format struct {
	mime string   // what is stored and served as Content-Type
	name string   // how the allowed list names it
	exts []string // extensions that fit it; the first is added when none does
}

// formats are the accepted types, judged from the content only: the name
// and the browser's Content-Type are whatever the sender wants them to be.
var formats = []format{
	{"application/pdf", "PDF", []string{".pdf"}},
	{"image/png", "PNG", []string{".png"}},
	{"image/jpeg", "JPEG", []string{".jpg", ".jpeg"}},
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (.docx)", []string{".docx"}},
	{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (.xlsx)", []string{".xlsx"}},
	{"text/csv", "CSV", []string{".csv"}},
}

// sniffLen is how much of a file's start the type is judged on. Word and
// Excel files are zip archives recognised by the names of their first
// entries, which can lie beyond mimetype's default 3 KiB.
const sniffLen = 64 << 10

func init() {
	// mimetype reads at most this much of what it is given (a process-wide
	// setting; raising it only lets detection see more).
	mimetype.SetLimit(sniffLen)
}

// AllowedTypes names the accepted types, for the refusal message and forms.
func AllowedTypes() string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

// executableMagic are the starts of programs: refused whatever a detector
// might make of the rest, so a renamed program never passes as a document.
var executableMagic = [][]byte{
	[]byte("\x7fELF"), // Linux
	[]byte("MZ"),      // Windows
}

// detect judges a file's type from its first bytes (up to sniffLen).
func detect(head []byte) (format, bool) {
	for _, m := range executableMagic {
		if bytes.HasPrefix(head, m) {
			return format{}, false
		}
	}
	got := mimetype.Detect(head)
	for _, f := range formats {
		// The leaf type only: a plain zip is the parent of .docx, and is
		// not accepted.
		if got.Is(f.mime) {
			return f, true
		}
	}
	return format{}, false
}
