package papers_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/application"
	"missiongrants/internal/i18n"
	"missiongrants/internal/papers"
	"missiongrants/internal/testenv"
)

func newPapers(t *testing.T) (*papers.Papers, *i18n.Catalog) {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return papers.New(cat), cat
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// keyRE finds a catalog key left in a paper's text (three dotted words).
var keyRE = regexp.MustCompile(`\b[a-z_]+\.[a-z_]+\.[a-z_.]+\b`)

// read is a paper's text as a reader copies it, with its lines' spacing
// made single, and no catalog key in it.
func read(t *testing.T, pdf []byte) string {
	t.Helper()
	text := strings.Join(strings.Fields(testenv.PDFText(t, pdf)), " ")
	if k := keyRE.FindString(text); k != "" {
		t.Errorf("the paper shows the catalog key %q", k)
	}
	return text
}

func mustHave(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the paper lacks %q", w)
		}
	}
}

func agreement() papers.Agreement {
	return papers.Agreement{
		Lang: "es", Number: "2026-17", Organization: "Corazones Unidos de Honduras", Title: "Misión pediátrica en Tegucigalpa",
		Amount: 1800000, Currency: "USD", Conditions: "Informe de mortalidad a 30 días.",
		Instalments: []papers.Instalment{{Amount: 1080000, DueOn: day("2027-01-15"), Condition: "before_trip"},
			{Amount: 720000, DueOn: day("2027-06-30"), Condition: "report_accepted"}},
		TripStart: day("2027-03-06"), TripEnd: day("2027-03-15"), ReportDue: day("2027-05-14"), IssuedAt: day("2026-12-05"),
		Template: "{organization} recibe {amount} para «{title}», {trip}.\n\nPagos:\n{schedule}\n\nCondiciones: {conditions}\n\nInforme antes del {report_due}.",
	}
}

// The agreement reads in the charity's Spanish with the award's figures,
// and once signed adds a page naming who signed, when, from where, and the
// SHA-256 of the very PDF they read, which rendering again reproduces.
func TestAgreementInSpanishAndItsSignaturePage(t *testing.T) {
	p, _ := newPapers(t)
	terms, err := p.AgreementText(agreement())
	if err != nil {
		t.Fatal(err)
	}
	unsigned, err := p.Agreement(agreement(), terms, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := p.Agreement(agreement(), terms, nil)
	if !bytes.Equal(unsigned, again) {
		t.Fatal("the same agreement made twice differs: its SHA-256 could not be checked")
	}
	text := read(t, unsigned)
	mustHave(t, text, "Acuerdo de subvención", "Corazones Unidos de Honduras recibe US$18.000,00 para «Misión pediátrica en Tegucigalpa», del 6 mar 2027 al 15 mar 2027.",
		"1. US$10.800,00, con vencimiento el 15 ene 2027, pagadero antes del viaje", "Informe de mortalidad a 30 días.", "Informe antes del 14 may 2027.",
		"Calendario de pagos", "US$7.200,00")
	if strings.Contains(text, "Firmado por") {
		t.Error("an unsigned agreement has a signature page")
	}

	sum := sha256.Sum256(unsigned)
	sig := &papers.Signature{Name: "Lucía Martínez Peña", Title: "Presidenta", Email: "lucia@corazones.example",
		At: time.Date(2026, 12, 6, 15, 4, 0, 0, time.FixedZone("CST", -6*3600)), IP: "190.4.1.20",
		Statement: p.Statement("es", "Corazones Unidos de Honduras"), SHA256: hex.EncodeToString(sum[:])}
	signed, err := p.Agreement(agreement(), terms, sig)
	if err != nil {
		t.Fatal(err)
	}
	text = read(t, signed)
	h := hex.EncodeToString(sum[:])
	mustHave(t, text, "Firmado por Lucía Martínez Peña", "Presidenta", "6 dic 2026 15:04 CST", "190.4.1.20",
		"He leído este acuerdo y lo acepto en nombre de Corazones Unidos de Honduras", h[:16]+" "+h[16:32])
}

func TestAgreementTemplateWithAnUnknownWordIsRefused(t *testing.T) {
	a := agreement()
	a.Template = "Pagamos {amonut} a {organization}."
	p, _ := newPapers(t)
	_, err := p.AgreementText(a)
	var m i18n.Message
	if !errors.As(err, &m) || m.Key != "error.agreement.placeholder" || !strings.Contains(fmt.Sprint(m.Args), "{amonut}") {
		t.Fatalf("a misspelt placeholder: %v", err)
	}
}

func TestLettersInTheCharitysLanguage(t *testing.T) {
	p, _ := newPapers(t)
	award, err := p.Letter(papers.Letter{Lang: "es", Date: day("2026-12-05"), Organization: "Fundación Latido Dominicano", Contact: "Dra. Ana Peña",
		Title: "Cirugía cardíaca en Santo Domingo", Approved: true, Amount: 2500000, Currency: "USD", Conditions: "Enviar la lista del equipo antes del viaje."})
	if err != nil {
		t.Fatal(err)
	}
	mustHave(t, read(t, award), "5 de diciembre de 2026", "Estimado/a Dra. Ana Peña:", "ha aprobado una subvención de US$25.000,00 para «Cirugía cardíaca en Santo Domingo»",
		"Enviar la lista del equipo antes del viaje.")
	decline, err := p.Letter(papers.Letter{Lang: "en", Date: day("2026-12-05"), Organization: "Open Hearts Guatemala",
		Title: "Adult valve mission", Reason: "The host hospital has no intensive care beds for the patients after surgery."})
	if err != nil {
		t.Fatal(err)
	}
	mustHave(t, read(t, decline), "5 December 2026", "Dear Open Hearts Guatemala,", "decided not to fund", "no intensive care beds")
}

func form() application.Form {
	f := application.Form{Title: "Misión pediátrica en Tegucigalpa", Country: "HN", City: "Tegucigalpa", Hospital: "Hospital Escuela",
		HostContactName: "Dra. María López", TripStart: "2027-03-06", TripEnd: "2027-03-15", PatientsAdult: "4", PatientsPediatric: "18",
		BloodBank: "yes", Intensivist: "no", PerfusionEquipment: "partly", AmountRequested: "18.000,00", OtherFunding: "2.500,00",
		Narrative: "Niños con cardiopatías congénitas esperan años una cirugía.", Attest: "yes", SignerName: "Lucía Martínez", SignedOn: "2026-10-01"}
	for _, r := range application.TeamRoles {
		f.Team = append(f.Team, application.TeamMember{Role: r, Count: "2"})
	}
	f.Budget = []application.BudgetLine{{Category: "travel", Description: "Pasajes del equipo", Amount: "9.500,00"},
		{Category: "supplies", Description: "Oxigenadores y cánulas", Amount: "11.000,00"}}
	return f
}

// The application as submitted: every section in the form's order, the
// budget with its total, and each document's SHA-256.
func TestApplicationPaper(t *testing.T) {
	p, cat := newPapers(t)
	b, err := p.Application(papers.Application{Lang: "es", ID: 42, Version: 2, Organization: "Corazones Unidos de Honduras", Round: "Convocatoria 2027",
		SubmittedAt: day("2026-10-02"), SubmittedBy: "Lucía Martínez", Currency: "USD", Form: form(),
		Documents: []papers.Document{{Name: "estatutos.pdf", Kind: "charitable_status", SHA256: strings.Repeat("ab", 32)}}})
	if err != nil {
		t.Fatal(err)
	}
	text := read(t, b)
	mustHave(t, text, "Solicitud 42, versión 2", "2 oct 2026 por Lucía Martínez", "Honduras", "Hospital Escuela", "Cirujanos cardíacos",
		"Oxigenadores y cánulas", "US$11.000,00", "US$20.500,00", "US$18.000,00", "Niños con cardiopatías congénitas", "estatutos.pdf", "abababababababab abab")
	last := -1
	for _, section := range []string{"trip", "host", "team", "patients", "readiness", "experience", "budget", "need", "attestation"} {
		s := cat.T("es", "app.section."+section)
		i := strings.Index(text, s)
		if i < last {
			t.Errorf("section %q is out of the form's order", s)
		}
		last = i
	}
}

// The minutes keep each decision's tally and quorum; a reader recused from
// an application reads its tally, not who voted what.
func TestMinutesPaper(t *testing.T) {
	p, _ := newPapers(t)
	b, err := p.Minutes(papers.Minutes{Lang: "en", From: day("2026-01-01"), To: day("2026-12-05"), MadeAt: day("2026-12-05"),
		SignOff: &papers.SignOff{By: "Ada Admin", At: day("2026-12-05")},
		Votes: []papers.Minute{
			{Title: "Pediatric mission, Tegucigalpa", Organization: "Corazones Unidos", ClosedAt: day("2026-11-20"), Decision: "approved",
				Proposed: 1800000, Approved: 1800000, Currency: "USD", Eligible: 4, Cast: 3, Approve: 2, Abstain: 1, QuorumMet: true,
				Recused: []string{"Bruno Board"}, Ballots: []papers.Ballot{{Name: "Carmen Ruiz", Choice: "approve", Comment: "Strong team."}}},
			{Title: "Valve mission, Santo Domingo", Organization: "Latido", ClosedAt: day("2026-11-21"), Decision: "declined",
				Proposed: 900000, Currency: "USD", Eligible: 5, Cast: 4, Decline: 3, Approve: 1, QuorumMet: true, Withheld: true,
				Ballots: []papers.Ballot{{Name: "Secret Voter", Choice: "decline"}}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	text := read(t, b)
	mustHave(t, text, "Approved by Ada Admin on 5 Dec 2026", "1 Jan 2026 to 5 Dec 2026", "$18,000.00", "2 approve, 0 decline, 1 abstain",
		"3 of 4 eligible members voted; quorum met: yes", "Bruno Board", "Carmen Ruiz", "Strong team.", "you read keep its tally")
	if strings.Contains(text, "Secret Voter") {
		t.Error("a recused reader's minutes say who voted what")
	}
}

// A packet: a cover, contents whose page numbers are where each application
// begins, and a recused reader's packet without that application's reviews.
func TestBoardPacket(t *testing.T) {
	p, _ := newPapers(t)
	var items []papers.PacketItem
	for i := range 10 {
		f := form()
		f.Title = fmt.Sprintf("Mission number %02d", i+1)
		items = append(items, papers.PacketItem{Status: "in_review", Recused: i == 3, Mean: "4.10",
			Application: papers.Application{Lang: "en", ID: int64(i + 1), Version: 1, Organization: "Charity " + fmt.Sprint(i+1), Currency: "USD", Form: f},
			Reviews:     []papers.Review{{Name: "Carmen Ruiz", Weighted: "4.10", Recommendation: "approve", Comment: fmt.Sprintf("Review of mission %02d.", i+1)}},
			Discussion:  []papers.Comment{{Name: "Tom Becker", At: day("2026-11-30"), Body: fmt.Sprintf("Discussion of mission %02d.", i+1)}}})
	}
	items[3].Reviews, items[3].Discussion = nil, nil
	b, err := p.Packet(papers.Packet{Lang: "en", Date: day("2026-12-10"), Reader: "Bruno Board", Agenda: "1. Applications in review.", Items: items})
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 1<<20 {
		t.Errorf("a 10-application packet is %d KB, over 1 MB", len(b)>>10)
	}
	text := read(t, b)
	mustHave(t, text, "Board packet", "10 December 2026", "Prepared for Bruno Board", "Review of mission 01.", "Discussion of mission 10.",
		"You are recused from this application")
	if strings.Contains(text, "Review of mission 04.") || strings.Contains(text, "Discussion of mission 04.") {
		t.Error("the recused reader's packet holds the reviews of mission 04")
	}
	// Each application begins on the page the contents give.
	raw := testenv.PDFText(t, b)
	pages := strings.Split(raw, "\f")
	for i := range items {
		title := fmt.Sprintf("Mission number %02d", i+1)
		row := regexp.MustCompile(regexp.QuoteMeta(title) + `\s+Charity \d+\s+(\d+)`).FindStringSubmatch(raw)
		if row == nil {
			t.Fatalf("the contents lack %s", title)
		}
		var n int
		fmt.Sscan(row[1], &n)
		if n < 1 || n > len(pages) || !strings.Contains(pages[n-1], fmt.Sprintf("%d. %s", i+1, title)) {
			t.Errorf("the contents send %s to page %d, where it does not begin", title, n)
		}
	}
}

// BenchmarkPacket25 makes a 25-application packet, as docs/performance.md
// reports: go test ./internal/papers -run '^$' -bench Packet25 -benchmem
func BenchmarkPacket25(b *testing.B) {
	cat, err := i18n.New()
	if err != nil {
		b.Fatal(err)
	}
	p := papers.New(cat)
	k := papers.Packet{Lang: "es", Date: day("2026-12-10"), Reader: "Bruno Board"}
	for i := range 25 {
		f := form()
		f.Title = fmt.Sprintf("Misión %02d", i+1)
		k.Items = append(k.Items, papers.PacketItem{Status: "in_review", Mean: "3.90",
			Application: papers.Application{Lang: "es", Organization: "Organización " + fmt.Sprint(i+1), Currency: "USD", Form: f},
			Reviews:     []papers.Review{{Name: "Carmen Ruiz", Weighted: "3.90", Recommendation: "approve", Comment: strings.Repeat("Buen equipo. ", 20)}}})
	}
	var size int
	for b.Loop() {
		out, err := p.Packet(k)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size)/1024, "KB/packet")
}
