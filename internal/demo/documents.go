package demo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/db"
	"missiongrants/internal/document"
	"missiongrants/internal/pdf"
)

// Documents gives each demo charity the documents every application needs
// (document.RequiredKinds), as its own: uploaded by one of its people
// through the document service, so the files are in the portal's store
// (disk or S3) and the rows name them, then counted with each version the
// charity submitted, as a submission would have. Without them the
// documents pages would be empty and the demo applicants could not submit.
// It runs after Seed, once: a charity that has documents is left alone.
func Documents(ctx context.Context, pool *sqlx.DB, docs *document.Service, accounts *account.Service, now time.Time) error {
	for _, c := range charities {
		var org struct {
			ID   int64 `db:"id"`
			Has  bool  `db:"has"`
			User int64 `db:"user_id"`
		}
		err := pool.GetContext(ctx, &org, `SELECT o.id, EXISTS (SELECT 1 FROM documents d WHERE d.organization_id = o.id) AS has,
				(SELECT m.user_id FROM organization_members m WHERE m.organization_id = o.id ORDER BY m.joined_at LIMIT 1) AS user_id
			FROM organizations o WHERE o.contact_email = $1`, c.email)
		if err != nil {
			return fmt.Errorf("demo: the documents of %s (Seed runs first): %w", c.name, err)
		}
		if org.Has {
			continue
		}
		u, err := accounts.User(ctx, org.User)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		ac := account.Actor{UserID: u.ID, RequestID: "seed-demo"}
		for _, p := range filesOf(c, now) {
			body, err := p.render(c, now)
			if err != nil {
				return fmt.Errorf("demo: %s: %w", p.filename, err)
			}
			if _, err := docs.Upload(ctx, ac, u, document.UploadInput{OrganizationID: org.ID, Kind: p.kind,
				Filename: p.filename, ExpiresOn: p.expires, Body: bytes.NewReader(body)}); err != nil {
				return fmt.Errorf("demo: %s: %w", p.filename, err)
			}
		}
		// The versions submitted were submitted with them.
		err = db.InTx(ctx, pool, func(tx *sqlx.Tx) error {
			var versions []struct {
				App     int64 `db:"application_id"`
				Version int   `db:"version"`
			}
			if err := tx.SelectContext(ctx, &versions, `SELECT v.application_id, v.version FROM application_versions v
				JOIN applications a ON a.id = v.application_id WHERE a.organization_id = $1`, org.ID); err != nil {
				return err
			}
			for _, v := range versions {
				if err := document.Freeze(ctx, tx, v.App, v.Version); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}

// paper is one document a charity keeps on file.
type paper struct {
	kind     document.Kind
	filename string
	title    string
	lines    []pdf.Field
	text     string
	expires  *time.Time
}

func filesOf(c charity, now time.Time) []paper {
	expires := now.AddDate(2, 0, 0).Truncate(24 * time.Hour)
	es := c.lang == "es"
	pick := func(en, sp string) string {
		if es {
			return sp
		}
		return en
	}
	ct := charityTexts[c.key]
	return []paper{
		{kind: document.CharitableStatus, filename: pick("charitable-status.pdf", "constancia-sin-fines-de-lucro.pdf"),
			title: pick("Charitable status", "Constancia de entidad sin fines de lucro"),
			lines: []pdf.Field{{Label: pick("Organization", "Organización"), Value: c.name},
				{Label: pick("Registration", "Registro"), Value: c.registration}, {Label: pick("Address", "Dirección"), Value: c.address}},
			text: pick("The organization above is registered as a charity and may receive grants for its charitable purposes.",
				"La organización indicada está registrada como entidad sin fines de lucro y puede recibir donaciones para sus fines.")},
		{kind: document.BudgetSheet, filename: pick("budget-sheet.pdf", "presupuesto.pdf"),
			title: pick("Mission budget", "Presupuesto de la misión"),
			lines: []pdf.Field{{Label: pick("Organization", "Organización"), Value: c.name}},
			text: pick("Budget lines as entered in each application: travel, lodging, supplies, medication, equipment and local staff.",
				"Partidas tal como figuran en cada solicitud: pasajes, hospedaje, insumos, medicamentos, equipos y personal local.")},
		{kind: document.HostAgreement, filename: pick("host-hospital-agreement.pdf", "acuerdo-hospital-anfitrion.pdf"),
			title: pick("Agreement with the host hospital", "Acuerdo con el hospital anfitrión"),
			lines: []pdf.Field{{Label: pick("Organization", "Organización"), Value: c.name}, {Label: pick("Signed by", "Firmado por"), Value: ct.signer}},
			text: pick("The host hospital provides operating rooms, ICU beds and its staff for the dates of each mission, and follows up every patient.",
				"El hospital anfitrión facilita quirófanos, camas de UCI y su personal durante cada misión, y hace el seguimiento de cada paciente.")},
		{kind: document.TeamLicence, filename: pick("team-licences.pdf", "licencias-del-equipo.pdf"), expires: &expires,
			title: pick("Team licences", "Licencias del equipo"),
			lines: []pdf.Field{{Label: pick("Organization", "Organización"), Value: c.name},
				{Label: pick("Valid until", "Válidas hasta"), Value: expires.Format(time.DateOnly)}},
			text: pick("Current professional licences of the surgeons, perfusionists, anesthesiologists and nurses who travel.",
				"Licencias profesionales vigentes de los cirujanos, perfusionistas, anestesiólogos y enfermeras que viajan.")},
	}
}

func (p paper) render(c charity, now time.Time) ([]byte, error) {
	d := pdf.New(pdf.Options{Title: p.title, Author: c.name, Lang: c.lang, Created: now.Truncate(24 * time.Hour)})
	d.Title(p.title)
	d.Fields(p.lines...)
	d.Text(p.text)
	return d.Bytes()
}
