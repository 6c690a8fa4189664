package main

import (
	"context"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
)

// The ceiling: what a bare gin + lib/pq handler does on this machine and
// this database, in TechEmpower's "fortunes" shape (read 12 rows, add one,
// sort them, render them escaped with html/template). No page of the portal
// can beat it, so each page's throughput is given as a share of it.

var fortuneMessages = []string{
	"A volunteer's hour is worth more than a stranger's dollar.",
	"The pump keeps the blood moving while the surgeon mends the heart.",
	"Measure twice, operate once.",
	"<script>alert(\"every page escapes what it shows\")</script>",
	"A budget that adds up is a kindness to the treasurer.",
	"Quorum first, then the vote.",
	"Every child who goes home is the report that matters.",
	"The best export is the one nobody has to fix by hand.",
	"フレームワークのベンチマーク",
	"Small counts stay hidden so no patient can be recognised.",
	"Integer cents never lose a penny.",
	"Slow lines still carry good news, given time.",
}

type fortune struct {
	ID      int    `db:"id"`
	Message string `db:"message"`
}

var fortunesPage = template.Must(template.New("fortunes").Parse(`<!DOCTYPE html>
<html><head><title>Fortunes</title></head><body><table>
<tr><th>id</th><th>message</th></tr>
{{range .}}<tr><td>{{.ID}}</td><td>{{.Message}}</td></tr>
{{end}}</table></body></html>`))

// createFortunes makes the ceiling's table; it is the load tool's own, in
// the load tool's own database.
func createFortunes(ctx context.Context, pool *sqlx.DB) error {
	if _, err := pool.ExecContext(ctx, `CREATE TABLE fortune (id integer PRIMARY KEY, message text NOT NULL)`); err != nil {
		return err
	}
	for i, m := range fortuneMessages {
		if _, err := pool.ExecContext(ctx, `INSERT INTO fortune (id, message) VALUES ($1, $2)`, i+1, m); err != nil {
			return err
		}
	}
	return nil
}

// ceiling is the fortunes handler on gin.
func ceiling(pool *sqlx.DB) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/fortunes", func(c *gin.Context) {
		var fs []fortune
		if err := pool.SelectContext(c.Request.Context(), &fs, `SELECT id, message FROM fortune`); err != nil {
			c.AbortWithStatus(http.StatusInternalServerError)
			return
		}
		fs = append(fs, fortune{Message: "Additional fortune added at request time."})
		slices.SortFunc(fs, func(a, b fortune) int { return strings.Compare(a.Message, b.Message) })
		c.Header("Content-Type", "text/html; charset=utf-8")
		if err := fortunesPage.Execute(c.Writer, fs); err != nil {
			c.AbortWithStatus(http.StatusInternalServerError)
		}
	})
	return r
}
