package pages

import (
	"strconv"
	"time"

	"github.com/a-h/templ"
)

// isoTime is t for a <time datetime>, in UTC.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// appURL is the address of application id's page, or of one of its parts
// ("/edit", "/documents"); the id is a number, so the URL is safe.
func appURL(id int64, part string) templ.SafeURL {
	return templ.SafeURL("/applications/" + itoa(id) + part)
}

// adminAppURL is the address of an admin's action on application id.
func adminAppURL(id int64, part string) templ.SafeURL {
	return templ.SafeURL("/admin/applications/" + itoa(id) + part)
}

// boardAppURL is the address of a board member's action on application id.
func boardAppURL(id int64, part string) templ.SafeURL {
	return templ.SafeURL("/board/applications/" + itoa(id) + part)
}
