package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"missiongrants/internal/demo"
)

// A newcomer signing in as each demo role finds the demo's history on
// every main page (internal/demo writes it on the embedded default).
func TestDemoEveryRoleSeesContent(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	if err := demo.Seed(context.Background(), s.db, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := demo.Documents(context.Background(), s.db, s.docs, s.accounts, time.Now()); err != nil {
		t.Fatal(err)
	}
	app := func(title string) string {
		t.Helper()
		var id int64
		if err := s.db.Get(&id, `SELECT id FROM applications WHERE title = $1`, title); err != nil {
			t.Fatalf("the demo application %q: %v", title, err)
		}
		return fmt.Sprintf("/applications/%d", id)
	}
	// page fetches target as c and wants it answered, holding each of want.
	page := func(c *client, target string, want ...string) {
		t.Helper()
		rec := c.get(target)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d; body:\n%.600s", target, rec.Code, rec.Body.String())
			return
		}
		mustContain(t, rec, want...)
	}

	t.Run("applicant", func(t *testing.T) {
		c := s.loginAs(t, people["applicant@demo.missiongrants.test"])
		page(c, "/dashboard", "Heartbridge Missions, Inc.", "Quetzaltenango regional heart mission", "Tegucigalpa spring cardiac mission")
		page(c, app("Quetzaltenango regional heart mission"), "Quetzaltenango regional heart mission")
		page(c, app("Quetzaltenango regional heart mission")+"/versions/1", "Hospital Regional de Occidente")
		page(c, app("Quetzaltenango regional heart mission")+"/agreement", "Alex Applicant")
		var agreement int64
		if err := s.db.Get(&agreement, `SELECT id FROM agreements WHERE application_id = $1`,
			strings.TrimPrefix(app("Quetzaltenango regional heart mission"), "/applications/")); err != nil {
			t.Fatal(err)
		}
		if rec := c.get(fmt.Sprintf("%s/agreements/%d/pdf", app("Quetzaltenango regional heart mission"), agreement)); rec.Code != http.StatusOK ||
			!strings.HasPrefix(rec.Body.String(), "%PDF-") {
			t.Errorf("the demo's agreement: %d %.40q", rec.Code, rec.Body.String())
		}
		page(c, app("Tegucigalpa spring cardiac mission"), "who pays for the service")
		page(c, app("Tegucigalpa cardiac mission, autumn")+"/report")
		page(c, app("Guatemala City congenital heart surgery week")+"/documents", "host-hospital-agreement.pdf")
		var doc int64
		if err := s.db.Get(&doc, `SELECT id FROM documents WHERE filename = 'host-hospital-agreement.pdf'`); err != nil {
			t.Fatal(err)
		}
		if rec := c.get(fmt.Sprintf("/documents/%d", doc)); rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), "%PDF-") {
			t.Errorf("the demo's document: %d %.40q", rec.Code, rec.Body.String())
		}
		page(c, app("Guatemala City pediatric heart surgery week")+"/report", "Eight ICU nurses completed the course")
	})
	t.Run("solicitante", func(t *testing.T) {
		c := s.loginAs(t, people["solicitante@demo.missiongrants.test"])
		page(c, "/dashboard", `lang="es"`, "Fundación Latido Dominicano", "Jornada de cardiopatías congénitas en Santo Domingo")
		page(c, app("Jornada de cardiopatías congénitas en Santo Domingo"), "Gracias por la solicitud")
		page(c, app("Equipamiento de perfusión para el Hospital Cabral y Báez"), "no la compra de equipos")
		page(c, app("Jornada de cardiopatías congénitas en Santo Domingo")+"/documents", "licencias-del-equipo.pdf")
		page(c, app("Jornada de cateterismo cardíaco infantil en Santo Domingo")+"/agreement", "Jornada de cateterismo cardíaco infantil en Santo Domingo")
		// Her home says what to do next, what the IPA waits on first: the
		// question and the agreement, then the rest.
		home := c.get("/dashboard").Body.String()
		todo := home[strings.Index(home, `id="todo-h"`):]
		sign := strings.Index(todo, s.text("es", "page.todo.sign", "Title", "Jornada de cateterismo cardíaco infantil en Santo Domingo"))
		before := func(key string) string { text, _, _ := strings.Cut(s.text("es", key, "Title", ""), "«"); return text }
		answer := strings.Index(todo, before("page.todo.answer"))
		finish := strings.Index(todo, before("page.todo.finish"))
		if sign < 0 || answer < 0 || finish < 0 || finish < sign || finish < answer {
			t.Errorf("the home's to-do list: sign at %d, answer at %d, finish at %d:\n%.2000s", sign, answer, finish, todo)
		}
	})
	t.Run("board", func(t *testing.T) {
		c := s.loginAs(t, people["board@demo.missiongrants.test"])
		page(c, "/board/applications", "Jornada de cirugía cardíaca en Santiago, primavera", "Tegucigalpa spring cardiac mission",
			"Misión cardiovascular en Cusco")
		page(c, app("Jornada de cirugía cardíaca en Santiago, primavera"), "Ramón Castillo, CCP")
		page(c, app("Misión cardíaca pediátrica en Santiago de los Caballeros"))
	})
	t.Run("admin", func(t *testing.T) {
		c := s.loginAs(t, people["admin@demo.missiongrants.test"])
		page(c, "/admin/dashboard", "Rolling Mission Grants")
		page(c, "/admin/screening", "Guatemala City congenital heart surgery week", "Santo Domingo adult valve trip")
		page(c, app("Misión cardíaca pediátrica de invierno en Tegucigalpa"), "Corazones Unidos de Honduras")
		page(c, "/admin/minutes", "Quetzaltenango regional heart mission")
		page(c, "/admin/audit")
		page(c, "/impact", "Honduras", "Guatemala")
	})
	t.Run("staff", func(t *testing.T) {
		c := s.loginAs(t, people["staff@demo.missiongrants.test"])
		page(c, "/admin/dashboard", `lang="es"`, "Becas de misión todo el año") // the round, named in Spanish
		page(c, app("Guatemala City autumn congenital mission")+"/report", "Seventeen children operated on")
	})
	t.Run("public", func(t *testing.T) {
		page(s.client(t, "Accept-Language", "en"), "/impact", "Honduras", "Dominican Republic")
	})
}
