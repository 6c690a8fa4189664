package report

import "context"

// Cell is the impact of the accepted reports of one country in one year.
type Cell struct {
	Country   string `db:"country"`
	Year      int    `db:"year"`
	Trips     int    `db:"trips"`
	Patients  int    `db:"patients"`
	Surgeries int    `db:"surgeries"` // open-heart and interventional
	Bypass    int    `db:"bypass"`
}

// Impact totals every accepted report by country and year: the number the
// IPA shows its donors ("patients served").
func (s *Service) Impact(ctx context.Context) ([]Cell, error) {
	var out []Cell
	err := s.db.SelectContext(ctx, &out, `SELECT a.country, extract(year FROM a.trip_start)::int AS year, count(*) AS trips,
			sum(r.patients) AS patients, sum(r.open_heart + r.interventional) AS surgeries, sum(r.bypass) AS bypass
		FROM reports r JOIN applications a ON a.id = r.application_id
		WHERE r.status = 'accepted'
		GROUP BY a.country, year ORDER BY year DESC, a.country`)
	return out, err
}

// Sum adds cells up.
func Sum(cells []Cell) Cell {
	var t Cell
	for _, c := range cells {
		t.Trips += c.Trips
		t.Patients += c.Patients
		t.Surgeries += c.Surgeries
		t.Bypass += c.Bypass
	}
	return t
}
