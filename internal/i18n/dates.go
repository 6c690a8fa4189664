package i18n

import "time"

// monthKeys name the months as a date shows them, January first.
var monthKeys = [12]string{"date.month.jan", "date.month.feb", "date.month.mar", "date.month.apr", "date.month.may", "date.month.jun",
	"date.month.jul", "date.month.aug", "date.month.sep", "date.month.oct", "date.month.nov", "date.month.dec"}

// Date is t's calendar day as a reader of lang writes it, the month by name
// ("5 Dec 2026", "5 dic 2026"): an ISO date reads as a code to most people,
// and 05/12 means May to some and December to others.
func (c *Catalog) Date(lang string, t time.Time) string {
	return c.T(lang, "date.day", "Day", t.Day(), "Month", c.T(lang, monthKeys[t.Month()-1]), "Year", t.Year())
}

// DateTime is the moment t in zone loc: its day (Date), the time on a
// 24-hour clock and the zone, which is always shown ("5 Dec 2026, 18:00 UTC").
func (c *Catalog) DateTime(lang string, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return c.T(lang, "date.time", "Date", c.Date(lang, t), "Time", t.Format("15:04"), "Zone", t.Format("MST"))
}
