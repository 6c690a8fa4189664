package view

// Chart is a horizontal bar chart that says what it shows: a title, what
// the bars measure (the axis) with its scale, and on each row its label and
// its value in words beside the bar, so it reads without colour and
// without the bars; a chart with nothing to draw says so instead (Empty).
// The bars are drawn server-side as inline SVG (no inline style: the CSP
// forbids it), each scaled to the largest row.
type Chart struct {
	Title string
	Axis  string // what the bars measure ("Applications", "US$")
	Max   string // the scale's end: the largest row's value
	Empty string // said instead of the chart when no row has a length
	Rows  []ChartRow
	Keys  []ChartKey // what each kind of segment is, for stacked bars
}

// ChartRow is one bar of a Chart, its segments stacked.
type ChartRow struct {
	Label, Value string
	Segs         []ChartSeg
}

// ChartSeg is one segment of a bar.
type ChartSeg struct {
	X, W  string // in viewBox units, of 100
	Class string
}

// ChartKey names a kind of segment.
type ChartKey struct{ Label, Class string }

// Drawn reports whether some row has a length to draw.
func (c Chart) Drawn() bool {
	for _, r := range c.Rows {
		for _, s := range r.Segs {
			if s.W != "" && s.W != "0" && s.W != "0.00" {
				return true
			}
		}
	}
	return false
}

// DashStatusRow, DashRoundRow, DashYearRow and DashVoteRow are the
// overview's tables' rows.
type DashStatusRow struct {
	Label, Link string
	N           int
}

type DashRoundRow struct {
	Name, Link string
	N          int
}

type DashYearRow struct {
	Year                       int
	Awarded, Paid, Outstanding string
}

type DashVoteRow struct {
	ApplicationID int64
	Title         string
	ClosesAt      string
	Hours         int64
}

// AdminDashboard is the IPA staff's overview (admin_dashboard).
type AdminDashboard struct {
	Page
	Statuses                           []DashStatusRow
	Rounds                             []DashRoundRow
	Years                              []DashYearRow
	Votes                              []DashVoteRow
	VotesTotal, VotesMore              int // open in all, and beyond those listed
	StatusChart, RoundChart, YearChart Chart
	VoteChart                          Chart
	TotalApplications                  int
	Overdue, AwaitingReview            DashReports
	ReportChart                        Chart
}

// DashReports are the first reports of a kind, and how many there are.
type DashReports struct {
	IDs         []int64
	Total, More int
}
