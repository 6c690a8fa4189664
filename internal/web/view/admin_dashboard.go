package view

// Chart is a horizontal bar chart drawn server-side as inline SVG: one bar
// per row of the table beside it, scaled to the largest.
type Chart struct {
	Label  string // the SVG's aria-label: every figure, in words
	Height int    // of the viewBox, whose width is 100
	Bars   []ChartBar
}

// ChartBar is one bar of a Chart, its segments stacked.
type ChartBar struct {
	Y    int
	Segs []ChartSeg
}

// ChartSeg is one segment of a bar.
type ChartSeg struct {
	X, W  string // in viewBox units
	Class string
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
