package view

import "missiongrants/internal/outcomes"

// OutcomeRow is one trip's, or one charity's period's, outcomes as read:
// every number already formatted in the reader's language.
type OutcomeRow struct {
	AppID                  int64 // 0 for a charity's period
	Organization, Title    string
	Period                 string // the trip's end date, or the year, or "all years"
	Trips, Cases, Infected string
	Observed, Expected     string
	Ratio, Interval        string // "–" when nothing was expected
	Note                   string // categories left out, and why
	Wide                   bool   // few expected deaths: the interval is wide, say so
	Beyond                 string // "" or the limit the trip lies beyond, in words
}

// Pager is one list's pages: where the reader is and the links to the
// pages on either side ("" at either end).
type Pager struct {
	Label      string // the navigation's name: which list
	At         string // "Page 2 of 7"
	Prev, Next string
}

// ReferenceLine is one RACHS-1 category's reference mortality, for reading
// and, for admins, for editing.
type ReferenceLine struct {
	Category          int
	Percent, Source   string
	UpdatedBy, Update string // who changed it last and when; "" for the portal's own default
}

// Outcomes is the outcomes page (outcomes): the funnel plot, each trip,
// each charity over time, and the reference mortality.
type Outcomes struct {
	Page
	Funnel outcomes.Funnel
	// PointRows is a page of the funnel's points, its text alternative:
	// a long list shows those outside the 95% limits only (the 99.8%
	// first), unless PointsAll. Within is how many it leaves out;
	// PointsAllURL lists them too.
	PointRows    []OutcomeRow
	Within       int
	PointsAll    bool
	PointsAllURL string
	PointsPager  *Pager // nil on a single page
	Since        int    // the first year shown; 0 with All
	All          bool   // every year
	// Charities is a page of each charity's years and all its years,
	// likewise the periods outside the limits only when there are many.
	Charities       []OutcomeRow
	CharitiesWithin int
	CharitiesAll    bool
	CharitiesAllURL string
	CharitiesPager  *Pager
	References      []ReferenceLine
	LeftOut         string // what the expected deaths leave out
	Edit            bool   // an admin may change the reference
}

// OutcomeHistory is a charity's earlier trips, for the board (on the
// application page).
type OutcomeHistory struct {
	Rows    []OutcomeHistoryRow
	Overall *OutcomeRow // all the trips with a case mix together
}

// OutcomeHistoryRow is one earlier trip: its report's state and timeliness,
// and its outcomes once accepted.
type OutcomeHistoryRow struct {
	AppID        int64
	Title, Ended string
	Report       string // the state, in words
	OnTime       string // "on time", "late (date)", "not in"
	Late         bool
	Outcome      *OutcomeRow
}
