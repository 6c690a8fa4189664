package application

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lib/pq"

	"missiongrants/internal/account"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
	"missiongrants/internal/organization"
	"missiongrants/internal/policy"
)

// QueueLimit is how many applications one page of the board's queue shows.
const QueueLimit = 25

// QueueInput is the queue's filter as typed in the page's query string.
type QueueInput struct {
	Status, Round, Country     string
	TripFrom, TripTo           string // YYYY-MM-DD
	AmountMin, AmountMax       string // as a person types money
	NeedsMyReview, NeedsMyVote bool
	AssignedToMe               bool
	Search                     string
	Before                     string // the cursor of the page's last row (Cursor.String)
	Lang                       string // the language amounts are typed in (money.Parse)
}

// QueueFilter narrows the board's queue; a zero field does not filter.
type QueueFilter struct {
	Status           policy.Status
	RoundID          int64
	Country          string
	TripFrom, TripTo *time.Time // trips that overlap these days
	AmountMin        money.Cents
	AmountMax        money.Cents
	NeedsMyReview    bool // before the board, not reviewed by me, and I am not recused
	NeedsMyVote      bool // an open vote without my ballot, and I am not recused
	AssignedToMe     bool // I am one of its assigned reviewers
	Search           string
	Before           *Cursor
	Limit            int // 0: QueueLimit
}

// Cursor is where a page of the queue ends: the queue is ordered by
// submission time, newest first, then by id.
type Cursor struct {
	SubmittedAt time.Time
	ID          int64
}

// String is the cursor as it travels in a URL.
func (c Cursor) String() string {
	return c.SubmittedAt.UTC().Format(time.RFC3339Nano) + "_" + strconv.FormatInt(c.ID, 10)
}

// ParseCursor reads Cursor.String.
func ParseCursor(s string) (*Cursor, error) {
	at, id, ok := strings.Cut(s, "_")
	t, err1 := time.Parse(time.RFC3339Nano, at)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || n < 1 {
		return nil, i18n.Msg("error.queue.cursor")
	}
	return &Cursor{SubmittedAt: t, ID: n}, nil
}

// queueStatuses are the statuses the queue can be filtered on: those of an
// application submitted at least once.
var queueStatuses = []policy.Status{policy.ConceptSubmitted, policy.ConceptInfoRequested, policy.Invited, policy.Submitted, policy.MoreInfoRequested, policy.InReview, policy.Voting, policy.Approved, policy.Declined, policy.Withdrawn}

// QueueStatuses lists the statuses the queue's filter offers.
func QueueStatuses() []policy.Status { return append([]policy.Status(nil), queueStatuses...) }

// Filter checks the input; every mistake is reported beside its field.
func (in QueueInput) Filter() (QueueFilter, error) {
	f := QueueFilter{NeedsMyReview: in.NeedsMyReview, NeedsMyVote: in.NeedsMyVote, AssignedToMe: in.AssignedToMe}
	fe := i18n.FieldErrors{}
	if s := strings.TrimSpace(in.Status); s != "" {
		f.Status = policy.Status(s)
		known := false
		for _, q := range queueStatuses {
			known = known || q == f.Status
		}
		if !known {
			fe["status"] = i18n.Msg("error.field.choose")
		}
	}
	if r := strings.TrimSpace(in.Round); r != "" {
		id, err := strconv.ParseInt(r, 10, 64)
		if err != nil || id < 1 {
			fe["round"] = i18n.Msg("error.field.choose")
		}
		f.RoundID = id
	}
	f.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	if f.Country != "" && !organization.ValidCountry(f.Country) {
		fe["country"] = i18n.Msg("error.field.choose")
	}
	for _, d := range []struct {
		name, value string
		to          **time.Time
	}{{"trip_from", in.TripFrom, &f.TripFrom}, {"trip_to", in.TripTo, &f.TripTo}} {
		if strings.TrimSpace(d.value) == "" {
			continue
		}
		t, err := field.Date(d.value, false)
		fe.Add(d.name, err)
		*d.to = &t
	}
	if f.TripFrom != nil && f.TripTo != nil && f.TripTo.Before(*f.TripFrom) {
		fe["trip_to"] = i18n.Msg("error.queue.range")
	}
	for _, m := range []struct {
		name, value string
		to          *money.Cents
	}{{"amount_min", in.AmountMin, &f.AmountMin}, {"amount_max", in.AmountMax, &f.AmountMax}} {
		if strings.TrimSpace(m.value) == "" {
			continue
		}
		c, err := money.Parse(m.value, in.Lang)
		fe.Add(m.name, err)
		*m.to = c
	}
	if f.AmountMin > 0 && f.AmountMax > 0 && f.AmountMax < f.AmountMin {
		fe["amount_max"] = i18n.Msg("error.queue.range")
	}
	f.Search = strings.TrimSpace(in.Search)
	fe.Add("q", field.Text(f.Search, false, 200))
	if f.Search != "" && utf8.RuneCountInString(f.Search) < minSearch {
		// Shorter terms match nearly everything, and no index can find them.
		fe["q"] = i18n.Msg("error.queue.search_short", "Min", minSearch)
	}
	if in.Before != "" {
		c, err := ParseCursor(in.Before)
		fe.Add("before", err)
		f.Before = c
	}
	if err := fe.Err(); err != nil {
		return QueueFilter{}, err
	}
	return f, nil
}

// QueueRow is one application in the queue, with where the board stands on
// it. Of the Application, only what a row shows is read (scanQueue): its
// ID, charity's name, status, stage, title, country, trip, amount and
// submission; every column read was decoded for each row at every visit.
type QueueRow struct {
	Application
	ReviewCount  int
	MeanMilli    *int // mean weighted score × 1000; nil without reviews
	ReviewedByMe bool
	Recused      bool
	VoteOpen     bool
	VotedByMe    bool
	AssignedToMe bool
	// ToReview names the assigned reviewers who have not reviewed it yet;
	// shown only as SeeAssignments allows (Viewer).
	ToReview string
	// DeclaredByMe: the reader declared a conflict, or none, on it;
	// MemberOfCharity: the reader is one of the charity's members.
	DeclaredByMe    bool
	MemberOfCharity bool
}

// Viewer is reader u as the rules see them on the row's application, for
// what does not depend on its facts beyond its status (SeeReviews,
// SeeAssignments): as policy.Load would make them.
func (r QueueRow) Viewer(u *account.User) policy.Person {
	return policy.Person{ID: u.ID, Admin: u.IsAdmin, Board: u.IsBoard, Member: r.MemberOfCharity,
		Declared: r.DeclaredByMe, Recused: r.Recused}
}

// Mean is the mean weighted score with two decimals ("3.40"), or "".
func (r QueueRow) Mean() string {
	if r.MeanMilli == nil {
		return ""
	}
	return fmt.Sprintf("%d.%02d", *r.MeanMilli/1000, *r.MeanMilli%1000/10)
}

// QueuePage is one page of the queue.
type QueuePage struct {
	Rows []QueueRow
	Next *Cursor // where the next page starts; nil on the last page
}

// Queue is the board's list of applications submitted at least once,
// newest submission first, filtered, one page at a time (keyset pagination:
// a page costs the same however deep it is). One query, whatever the number
// of rows. The IPA only.
func (s *Service) Queue(ctx context.Context, u *account.User, f QueueFilter) (*QueuePage, error) {
	if !u.IPA() {
		return nil, ErrForbidden
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = QueueLimit
	}
	var matches []int64 // nil: the search is done by the queue's walk
	if f.Search != "" {
		ids, listed, err := s.searchMatches(ctx, f.Search)
		if err != nil {
			return nil, fmt.Errorf("application.Queue: %w", err)
		}
		if listed {
			matches = ids
		}
	}
	query, args := queueQuery(u, f, matches, s.now(), limit+1)
	rows, err := s.scanQueue(ctx, limit+1, query, args)
	if err != nil {
		return nil, fmt.Errorf("application.Queue: %w", err)
	}
	p := &QueuePage{Rows: rows}
	if len(rows) > limit {
		p.Rows = rows[:limit]
		last := p.Rows[limit-1]
		p.Next = &Cursor{SubmittedAt: *last.SubmittedAt, ID: last.ID}
	}
	return p, nil
}

// queueQuery builds the queue's one query. $1 is the user, $2 now; the
// search and the cursor add their own arguments. The inner query filters
// and pages the applications table alone, reading only the columns the
// page shows (wider rows made the filtered page's sort slower); the outer
// one adds, for the page's rows only, the charity's name, the reviews' mean
// (from the tally migrations/00018_review_tally.sql keeps, or, in a round
// that counts only the assigned reviewers' scores, from theirs), the
// assigned reviewers yet to review, and where the viewer stands. Those
// marks are read from the application's row (the members who reviewed,
// declared, are recused, are assigned: migrations/00039_queue_marks.sql),
// not looked up in four tables for each row, which was more than half of
// the statement. A ballot is looked up only where a vote is open, and the
// reader's charities (a board member has none or one) once for the page.
// The charity's name is a lookup for each row, not a join: joined, PostgreSQL
// hashed every charity for a page of 25 (a third of the statement's time at
// 10,000 applications).
func queueQuery(u *account.User, f QueueFilter, matches []int64, now time.Time, limit int) (string, []any) {
	args := []any{u.ID, now}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var b strings.Builder
	b.WriteString(`SELECT a.id, a.organization_id, a.round_id, a.status, a.title, a.country, a.trip_start, a.trip_end,
		a.amount_requested_cents, a.currency, a.submitted_at, a.review_count, a.review_milli_sum, a.stage,
		a.reviewed_by, a.declared_by, a.recused_by, a.assigned_to
		FROM applications a WHERE `)
	// The queue lists full proposals sent (the partial index on version > 0
	// serves it); filtered on a concept note's status or on the invited, it
	// lists the concept notes sent instead.
	if f.Status.Concept() || f.Status == policy.Invited {
		b.WriteString(`a.concept_version > 0 AND a.submitted_at IS NOT NULL`)
	} else {
		b.WriteString(`a.version > 0 AND a.submitted_at IS NOT NULL`)
	}
	// The filters are written out (strings quoted), not arguments. As
	// arguments, whose selectivity a plan cannot know, they made PostgreSQL
	// plan the query anew at every request (0.9 ms); written out, it settles
	// on a plan for each combination asked for.
	if f.Status != "" {
		b.WriteString(` AND a.status = ` + pq.QuoteLiteral(string(f.Status)))
	}
	if f.RoundID != 0 {
		b.WriteString(` AND a.round_id = ` + strconv.FormatInt(f.RoundID, 10))
	}
	if f.Country != "" {
		b.WriteString(` AND a.country = ` + pq.QuoteLiteral(f.Country))
	}
	if f.TripFrom != nil {
		b.WriteString(` AND a.trip_end >= date ` + pq.QuoteLiteral(f.TripFrom.Format(time.DateOnly)))
	}
	if f.TripTo != nil {
		b.WriteString(` AND a.trip_start <= date ` + pq.QuoteLiteral(f.TripTo.Format(time.DateOnly)))
	}
	if f.AmountMin > 0 {
		b.WriteString(` AND a.amount_requested_cents >= ` + strconv.FormatInt(int64(f.AmountMin), 10))
	}
	if f.AmountMax > 0 {
		b.WriteString(` AND a.amount_requested_cents <= ` + strconv.FormatInt(int64(f.AmountMax), 10))
	}
	if (f.NeedsMyReview || f.NeedsMyVote || f.AssignedToMe) && !u.IsBoard {
		b.WriteString(` AND false`) // only board members review and vote
	}
	// The reader's id is read as (SELECT $1::bigint) in these filters, as
	// the flags of other statements are (docs/architecture.md): its value
	// then cannot move the planner's estimates, and one plan serves every
	// member. As $1, PostgreSQL planned "needs my review" anew at each
	// request at 1,000 applications (4.3 ms).
	if f.NeedsMyReview {
		b.WriteString(` AND a.status IN ('in_review', 'voting') AND (SELECT $1::bigint) <> ALL(a.reviewed_by) AND (SELECT $1::bigint) <> ALL(a.recused_by)`)
	}
	if f.AssignedToMe {
		b.WriteString(` AND (SELECT $1::bigint) = ANY(a.assigned_to)`)
	}
	if f.NeedsMyVote {
		b.WriteString(` AND EXISTS (SELECT 1 FROM votes v WHERE v.application_id = a.id AND v.closed_at IS NULL AND v.closes_at > $2
				AND NOT EXISTS (SELECT 1 FROM ballots bl WHERE bl.vote_id = v.id AND bl.user_id = $1))
			AND (SELECT $1::bigint) <> ALL(a.recused_by)`)
	}
	switch {
	case f.Search != "" && len(matches) == 0 && matches != nil:
		b.WriteString(` AND false`)
	case f.Search != "" && matches != nil && len(matches) <= literalMatches:
		// A few matches are written out too. As an array argument,
		// PostgreSQL planned the query afresh at every search (custom
		// plans beat its generic one), 0.6 ms or more; written out, a
		// search asked again (a person paging, refreshing) runs the plan
		// kept on the connection.
		b.WriteString(` AND a.id IN (`)
		for i, id := range matches {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatInt(id, 10))
		}
		b.WriteString(`)`)
	case f.Search != "" && matches != nil:
		b.WriteString(` AND a.id = ANY(` + arg(pq.Array(matches)) + `)`)
	case f.Search != "":
		q := pq.QuoteLiteral(f.Search) // written out, as in searchMatches
		b.WriteString(` AND (a.search_words @@ search_query(` + q + `) OR EXISTS (SELECT 1 FROM organizations o WHERE o.id = a.organization_id AND o.search_words @@ search_query(` + q + `)))`)
	}
	if f.Before != nil {
		b.WriteString(` AND (a.submitted_at, a.id) < (` + arg(f.Before.SubmittedAt) + `, ` + arg(f.Before.ID) + `)`)
	}
	// The limit is written out, not an argument: the planner then plans
	// for a page, not for the whole table.
	b.WriteString(` ORDER BY a.submitted_at DESC, a.id DESC LIMIT ` + strconv.Itoa(limit))
	return `SELECT q.id, (SELECT o.legal_name FROM organizations o WHERE o.id = q.organization_id) AS organization_name, q.status, q.title, q.country, q.trip_start, q.trip_end,
		q.amount_requested_cents, q.currency, q.submitted_at, q.stage,
		CASE WHEN r.scores_from = 'assigned' THEN (SELECT count(*)::integer FROM reviews rv
			WHERE rv.application_id = q.id AND rv.user_id = ANY(q.assigned_to)) ELSE q.review_count END AS review_count,
		CASE WHEN r.scores_from = 'assigned' THEN (SELECT round(avg(rv.weighted_milli))::integer FROM reviews rv
			WHERE rv.application_id = q.id AND rv.user_id = ANY(q.assigned_to))
			ELSE round(q.review_milli_sum::numeric / nullif(q.review_count, 0))::integer END AS mean_milli,
		$1 = ANY(q.assigned_to) AS assigned_to_me,
		CASE WHEN q.assigned_to <> '{}' THEN coalesce((SELECT string_agg(u.name, ', ' ORDER BY u.name) FROM users u
			WHERE u.id = ANY(q.assigned_to) AND u.id <> ALL(q.reviewed_by)), '') ELSE '' END AS to_review,
		$1 = ANY(q.reviewed_by) AS reviewed_by_me, $1 = ANY(q.recused_by) AS recused, $1 = ANY(q.declared_by) AS declared_by_me,
		q.organization_id = ANY(ARRAY(SELECT om.organization_id FROM organization_members om WHERE om.user_id = $1)) AS member_of_charity,
		(v.id IS NOT NULL AND v.closes_at > $2) AS vote_open,
		CASE WHEN v.id IS NOT NULL THEN coalesce((SELECT TRUE FROM ballots bl WHERE bl.vote_id = v.id AND bl.user_id = $1), FALSE)
			ELSE FALSE END AS voted_by_me
	FROM (` + b.String() + `) q
	JOIN funding_rounds r ON r.id = q.round_id
	LEFT JOIN votes v ON v.application_id = q.id AND v.closed_at IS NULL
	ORDER BY q.submitted_at DESC, q.id DESC`, args
}

// scanQueue runs queueQuery's statement, whose LIMIT is limit, and reads
// its columns in their order. By hand, as the exports read theirs: sqlx
// matched each row's columns to fields by reflection again, and read this
// way the queue costs 7% less CPU a request.
func (s *Service) scanQueue(ctx context.Context, limit int, query string, args []any) ([]QueueRow, error) {
	rs, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	rows := make([]QueueRow, 0, limit)
	for rs.Next() {
		// Into the driver's own types (string, int64): into policy.Status
		// or int, database/sql converts by reflection, an int through its
		// decimal text.
		var r QueueRow
		var status string
		var amount, reviews int64
		var mean sql.NullInt64
		if err := rs.Scan(&r.ID, &r.OrganizationName, &status, &r.Title, &r.Country, &r.TripStart, &r.TripEnd,
			&amount, &r.Currency, &r.SubmittedAt, &r.Stage, &reviews, &mean, &r.AssignedToMe,
			&r.ToReview, &r.ReviewedByMe, &r.Recused, &r.DeclaredByMe, &r.MemberOfCharity, &r.VoteOpen, &r.VotedByMe); err != nil {
			return nil, err
		}
		r.Status, r.AmountRequested, r.ReviewCount = policy.Status(status), money.Cents(amount), int(reviews)
		if mean.Valid {
			m := int(mean.Int64)
			r.MeanMilli = &m
		}
		rows = append(rows, r)
	}
	return rows, rs.Err()
}

// The search, in two steps. A term that names a few applications (a
// title, a charity) is looked up in the full-text indexes of their words
// (migrations/00037_search_words.sql: each word of the term, the last as a
// beginning, accents and case ignored), and the queue keeps those. A term
// that matches thousands ("mission") cannot be listed cheaply, but then the
// queue's own walk finds a page of them at once: searchMatches says which.
// Either way the work is bounded, where one plan for both was not: 0.6 s
// at 100,000 applications for a rare term.

// literalMatches is how many listed matches the queue's query names in its
// text; more are sent as an array, so that a long list is not kept as a
// statement of its own on the connection.
const literalMatches = 50

// searchListed is how many matches searchMatches lists before it gives up.
const searchListed = 2000

// minSearch is the shortest term searched: a word of one or two letters
// begins most words, and reading them all is no search.
const minSearch = 3

// searchMatches lists the applications whose title or charity's name has
// term's words; listed is false when there are more than searchListed.
func (s *Service) searchMatches(ctx context.Context, term string) (ids []int64, listed bool, err error) {
	// UNION ALL, not UNION: the limit then stops the lookup early. The term
	// is written out, not an argument: PostgreSQL then computes its query
	// while planning and knows how rare its words are. As an argument, its
	// generic plan guessed a thousand matches and gathered them with two
	// parallel workers, 40 ms to start at 100,000 applications.
	q := pq.QuoteLiteral(term)
	if err := s.db.SelectContext(ctx, &ids, `SELECT id FROM applications WHERE version > 0 AND search_words @@ search_query(`+q+`)
		UNION ALL SELECT a.id FROM applications a JOIN organizations o ON o.id = a.organization_id
		WHERE a.version > 0 AND o.search_words @@ search_query(`+q+`) LIMIT `+strconv.Itoa(searchListed+1)); err != nil {
		return nil, false, err
	}
	if len(ids) > searchListed {
		return nil, false, nil
	}
	slices.Sort(ids)
	return append([]int64{}, slices.Compact(ids)...), true, nil // never nil when listed, even with no match
}

// Earlier is another application of the same charity, sent, with its
// award if it had one: the track record the board weighs (Shown.Others).
type Earlier struct {
	ID          int64         `json:"id"`
	Status      policy.Status `json:"status"`
	Title       string        `json:"title"`
	SubmittedAt *time.Time    `json:"submitted_at"`
	Awarded     money.Cents   `json:"awarded_cents"`
	Paid        money.Cents   `json:"paid_cents"`
}
