package i18n

import "time"

// monthKeys name the months as a date shows them, January first.
var monthKeys = [12]string{"date.month.jan", "date.month.feb", "date.month.mar", "date.month.apr", "date.month.may", "date.month.jun",
	"date.month.jul", "date.month.aug", "date.month.sep", "date.month.oct", "date.month.nov", "date.month.dec"}

// Date is t's calendar day as a reader of lang writes it, the month by name
// ("5 Dec 2026", "5 dic 2026"): an ISO date reads as a code to most people,
// and 05/12 means May to some and December to others.
func (c *Catalog) Date(lang string, t time.Time) string {
	y, m, d := t.Date()
	if y < 1990 || y > 2100 { // kept to the days the portal's records hold
		return c.T(lang, "date.day", "Day", d, "Month", c.T(lang, monthKeys[m-1]), "Year", y)
	}
	k := dayKey{lang, int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)}
	if s, ok := c.days.Load(k); ok {
		return s.(string)
	}
	s := c.T(lang, "date.day", "Day", d, "Month", c.T(lang, monthKeys[m-1]), "Year", y)
	c.days.Store(k, s)
	return s
}

// DateTime is the moment t in zone loc: its day (Date), the time on a
// 24-hour clock and the zone, which is always shown ("5 Dec 2026, 18:00 UTC").
func (c *Catalog) DateTime(lang string, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return c.T(lang, "date.time", "Date", c.Date(lang, t), "Time", t.Format("15:04"), "Zone", t.Format("MST"))
}

// longMonthKeys name the months in full, as a letter is dated.
var longMonthKeys = [12]string{"date.month_long.jan", "date.month_long.feb", "date.month_long.mar", "date.month_long.apr",
	"date.month_long.may", "date.month_long.jun", "date.month_long.jul", "date.month_long.aug", "date.month_long.sep",
	"date.month_long.oct", "date.month_long.nov", "date.month_long.dec"}

// LongDate is t's day written in full, as a letter is dated ("5 December
// 2026", "5 de diciembre de 2026").
func (c *Catalog) LongDate(lang string, t time.Time) string {
	return c.T(lang, "date.long", "Day", t.Day(), "Month", c.T(lang, longMonthKeys[t.Month()-1]), "Year", t.Year())
}
