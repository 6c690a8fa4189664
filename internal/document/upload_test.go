package document_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"missiongrants/internal/document"
	"missiongrants/internal/i18n"
	"missiongrants/internal/refusal"
	"missiongrants/internal/testenv"
)

// refused checks that err is the sentinel's refusal, with a message for
// the person, and returns the message.
func refused(t *testing.T, err, sentinel error, key string) i18n.Message {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("got %v, want %v", err, sentinel)
	}
	var r *refusal.Error
	if !errors.As(err, &r) || r.Key != key {
		t.Fatalf("refusal %+v, want %s", r, key)
	}
	return r.Message
}

func arg(m i18n.Message, name string) string {
	for i := 0; i+1 < len(m.Args); i += 2 {
		if m.Args[i] == name {
			return fmt.Sprint(m.Args[i+1])
		}
	}
	return ""
}

// nothingStored checks that no row and no object exist.
func (f *fixture) nothingStored(t *testing.T) {
	t.Helper()
	if n := f.rows(t); n != 0 {
		t.Errorf("%d document rows", n)
	}
	if keys := objects(t, f.store); len(keys) != 0 {
		t.Errorf("objects left in the store: %v", keys)
	}
	if s3, ok := f.store.(*document.S3); ok {
		if n, err := s3.RemoveStale(context.Background(), time.Now().Add(time.Hour)); n != 0 || err != nil {
			t.Errorf("unfinished multipart uploads left: %d, %v", n, err)
		}
	}
}

// The type is judged from the content: a misleading name changes nothing
// but gains the right extension.
func TestUploadAcceptsAllowedTypesByContent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, sent string
		body       []byte
		wantType   string
		wantName   string
	}{
		{"pdf", "Estatutos.PDF", pdfFile(2000), "application/pdf", "Estatutos.PDF"},
		{"png", "photo.txt", pngFile(), "image/png", "photo.txt.png"},
		{"jpeg", "licencia.jpeg", jpegFile(), "image/jpeg", "licencia.jpeg"},
		{"docx", "acuerdo.pdf", docxFile(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "acuerdo.pdf.docx"},
		{"xlsx", "presupuesto", xlsxFile(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "presupuesto.xlsx"},
		{"csv", "equipo.csv", csvFile(), "text/csv", "equipo.csv"},
	}
	for _, sk := range storeKinds {
		t.Run(sk.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, sk.new(t))
			for _, tc := range cases {
				d, err := f.upload(t, document.BudgetSheet, tc.sent, tc.body)
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				sum := sha256.Sum256(tc.body)
				if d.ContentType != tc.wantType || d.Filename != tc.wantName || d.Size != int64(len(tc.body)) ||
					d.SHA256 != hex.EncodeToString(sum[:]) || d.UploadedBy != f.owner.ID || *d.ApplicationID != f.app {
					t.Errorf("%s: stored %+v", tc.name, d)
				}
				if strings.Contains(d.StorageKey, tc.sent) || strings.Contains(d.StorageKey, tc.name) {
					t.Errorf("%s: key %q comes from the upload", tc.name, d.StorageKey)
				}
				_, r, err := f.svc.Open(context.Background(), act(f.owner), f.owner, d.ID)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(r)
				r.Close()
				if !bytes.Equal(got, tc.body) {
					t.Errorf("%s: read back %d bytes, want %d", tc.name, len(got), len(tc.body))
				}
			}
			if n := len(objects(t, f.store)); n != len(cases) {
				t.Errorf("%d objects for %d uploads", n, len(cases))
			}
		})
	}
}

// Programs and other types are refused whatever their name, before
// anything is stored, with the list of what is allowed.
func TestUploadRefusesTypesByContent(t *testing.T) {
	t.Parallel()
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 4000)...)
	pe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 4000)...)
	var plainZip bytes.Buffer
	zw := zip.NewWriter(&plainZip)
	w, _ := zw.Create("notes.txt")
	io.WriteString(w, "hello")
	zw.Close()
	cases := []struct {
		name string
		body []byte
	}{
		{"budget.pdf", elf},
		{"agreement.pdf", pe},
		{"setup.exe", pe},
		{"budget.docx", plainZip.Bytes()},
		{"statutes.pdf", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")},
		{"notes.csv", []byte("just some words without any separator\n")},
		{"image.png", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")},
		{"eicar.pdf", []byte(testenv.EICAR)}, // not a PDF: refused before any scan
	}
	f := setup(t, diskStore(t))
	for _, tc := range cases {
		_, err := f.upload(t, document.Other, tc.name, tc.body)
		m := refused(t, err, document.ErrTypeNotAllowed, "error.document.type_not_allowed")
		if arg(m, "Allowed") != "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), CSV" {
			t.Errorf("%s: allowed list %q", tc.name, arg(m, "Allowed"))
		}
	}
	f.nothingStored(t)
}

func TestUploadRefusesAnEmptyFile(t *testing.T) {
	t.Parallel()
	f := setup(t, diskStore(t))
	_, err := f.upload(t, document.Other, "empty.pdf", nil)
	refused(t, err, document.ErrEmpty, "error.document.empty")
	f.nothingStored(t)
}

// A file of exactly the limit passes; one byte more is refused without
// storing anything, and without reading the rest of a huge body.
func TestUploadSizeLimit(t *testing.T) {
	t.Parallel()
	const limit = 6 << 20 // more than one S3 part
	for _, sk := range storeKinds {
		t.Run(sk.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, sk.new(t), withMaxBytes(limit))
			ctx := context.Background()
			over := &countingReader{r: noise(100<<20, 3)}
			_, err := f.svc.Upload(ctx, act(f.owner), f.owner, document.UploadInput{OrganizationID: f.org, ApplicationID: &f.app,
				Kind: document.BudgetSheet, Filename: "big.pdf", Body: over})
			m := refused(t, err, document.ErrTooLarge, "error.document.too_large")
			if arg(m, "Limit") != "6 MB" {
				t.Errorf("limit shown as %q", arg(m, "Limit"))
			}
			if over.n > limit+1 {
				t.Errorf("read %d bytes of a body refused at %d", over.n, limit)
			}
			f.nothingStored(t)

			_, err = f.svc.Upload(ctx, act(f.owner), f.owner, document.UploadInput{OrganizationID: f.org, ApplicationID: &f.app,
				Kind: document.BudgetSheet, Filename: "limit+1.pdf", Body: noise(limit+1, 4)})
			refused(t, err, document.ErrTooLarge, "error.document.too_large")
			f.nothingStored(t)

			d, err := f.svc.Upload(ctx, act(f.owner), f.owner, document.UploadInput{OrganizationID: f.org, ApplicationID: &f.app,
				Kind: document.BudgetSheet, Filename: "limit.pdf", Body: noise(limit, 4)})
			if err != nil || d.Size != limit {
				t.Fatalf("a file of exactly the limit: %+v, %v", d, err)
			}
		})
	}
}

// Files of exactly one, and of several whole, S3 parts end cleanly: the
// store meets the end of the file, after the verdict, in every case.
func TestUploadOfWholeParts(t *testing.T) {
	t.Parallel()
	f := setup(t, s3Store(t), withClamd(t))
	for i, size := range []int{5 << 20, 10 << 20} {
		d, err := f.svc.Upload(context.Background(), act(f.owner), f.owner, document.UploadInput{OrganizationID: f.org,
			ApplicationID: &f.app, Kind: document.Other, Filename: "parts.pdf", Body: noise(size, uint64(10+i))})
		if err != nil || d.Size != int64(size) {
			t.Fatalf("%d bytes: %+v, %v", size, d, err)
		}
	}
}

// Names are cleaned: no path, no control or invisible characters, capped,
// Unicode kept.
func TestUploadCleansFilenames(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Misión cardíaca en Santo Domingo — 心臓 ", 20) + ".pdf"
	cases := []struct{ sent, want string }{
		{"../../etc/passwd.pdf", "passwd.pdf"},
		{`C:\Users\ana\Presupuesto 2027.pdf`, "Presupuesto 2027.pdf"},
		{"in\x00for\x1bme\x07.pdf", "informe.pdf"},
		{"two\r\nlines.pdf", "two lines.pdf"},
		{"evil\u202Efdp.exe", "evilfdp.exe.pdf"},
		{"Corazo\u0301n.pdf", "Corazón.pdf"},
		{"..", "document.pdf"},
		{"", "document.pdf"},
	}
	f := setup(t, diskStore(t))
	for _, tc := range cases {
		d := f.mustUpload(t, document.Other, tc.sent, pdfFile(100))
		if d.Filename != tc.want {
			t.Errorf("%q stored as %q, want %q", tc.sent, d.Filename, tc.want)
		}
	}
	d := f.mustUpload(t, document.Other, long, pdfFile(100))
	if len(d.Filename) > document.MaxFilenameBytes || !utf8.ValidString(d.Filename) ||
		!strings.HasPrefix(d.Filename, "Misión cardíaca en Santo Domingo — 心臓 ") || !strings.HasSuffix(d.Filename, ".pdf") {
		t.Errorf("long name stored as %q (%d bytes)", d.Filename, len(d.Filename))
	}
}

// eicarDocx is a Word file carrying the EICAR test virus, optionally
// followed by padding so that it spans several S3 parts.
func eicarDocx(padding int) []byte {
	extra := map[string]string{"word/media/eicar.com": testenv.EICAR}
	if padding > 0 {
		var b strings.Builder
		io.Copy(&b, io.LimitReader(&prng{src: newPCG(9)}, int64(padding)))
		extra["word/media/padding.bin"] = b.String()
	}
	return officeFile("word/document.xml", extra)
}

// An infected file is refused with the signature named, nothing is
// stored, and the attempt is in the audit trail.
func TestUploadRefusesAnInfectedFile(t *testing.T) {
	t.Parallel()
	for _, sk := range storeKinds {
		for _, padding := range []int{0, 12 << 20} {
			t.Run(fmt.Sprintf("%s/%dMiB", sk.name, padding>>20), func(t *testing.T) {
				t.Parallel()
				f := setup(t, sk.new(t), withClamd(t), withMaxBytes(64<<20))
				_, err := f.upload(t, document.HostAgreement, "acuerdo.docx", eicarDocx(padding))
				m := refused(t, err, document.ErrInfected, "error.document.infected")
				if !strings.Contains(arg(m, "Signature"), "Eicar-Test-Signature") {
					t.Errorf("signature %q", arg(m, "Signature"))
				}
				f.nothingStored(t)
				var details string
				if err := f.db.Get(&details, `SELECT details::text FROM audit WHERE action = 'document.infected' AND object_id = $1`,
					fmt.Sprint(f.org)); err != nil {
					t.Fatalf("no audit row: %v", err)
				}
				if !strings.Contains(details, "Eicar-Test-Signature") || !strings.Contains(details, "acuerdo.docx") {
					t.Errorf("audit details %s", details)
				}
				// A clean file passes the same scanner.
				f.mustUpload(t, document.HostAgreement, "acuerdo.docx", docxFile())
			})
		}
	}
}

// With a scanner configured, an upload is never accepted unscanned: clamd
// down, hanging up mid-file, or failing to judge, the file is refused.
func TestUploadRefusedWhenTheScannerFails(t *testing.T) {
	t.Parallel()
	closed := freeAddr(t)
	hangsUp := fakeClamd(t, func(c net.Conn) { io.CopyN(io.Discard, c, 100); c.Close() })
	cannotJudge := fakeClamd(t, func(c net.Conn) {
		io.Copy(io.Discard, io.LimitReader(c, 10)) // the command
		drainChunks(c)
		io.WriteString(c, "INSTREAM size limit exceeded. ERROR\x00")
		c.Close()
	})
	for name, addr := range map[string]string{"down": closed, "hangs up": hangsUp, "cannot judge": cannotJudge} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := document.NewScanner(addr)
			f := setup(t, diskStore(t), withScanner(s))
			_, err := f.upload(t, document.BudgetSheet, "budget.pdf", pdfFile(300<<10))
			refused(t, err, document.ErrScannerUnavailable, "error.document.scanner_unavailable")
			f.nothingStored(t)
		})
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// fakeClamd serves each connection with handle.
func fakeClamd(t *testing.T, handle func(net.Conn)) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go handle(c)
		}
	}()
	return l.Addr().String()
}

// drainChunks reads INSTREAM chunks up to the zero-length one.
func drainChunks(c net.Conn) {
	var hdr [4]byte
	for {
		if _, err := io.ReadFull(c, hdr[:]); err != nil {
			return
		}
		n := int64(hdr[0])<<24 | int64(hdr[1])<<16 | int64(hdr[2])<<8 | int64(hdr[3])
		if n == 0 {
			return
		}
		io.CopyN(io.Discard, c, n)
	}
}

// Refusals read well in both languages, with their figures.
func TestRefusalsAreTranslated(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	f := setup(t, diskStore(t), withMaxBytes(1<<20))
	_, err = f.upload(t, document.Other, "x.pdf", pdfFile(2<<20))
	m := refused(t, err, document.ErrTooLarge, "error.document.too_large")
	if es := cat.Say("es", m); !strings.Contains(es, "supera el límite de 1 MB") {
		t.Errorf("es: %q", es)
	}
	_, err = f.upload(t, document.Other, "x.pdf", []byte("hola"))
	m = refused(t, err, document.ErrTypeNotAllowed, "error.document.type_not_allowed")
	if en := cat.Say("en", m); !strings.Contains(en, "Allowed types: PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), CSV.") {
		t.Errorf("en: %q", en)
	}
}
