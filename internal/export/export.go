// Package export reads the portal's records for spreadsheets: each export
// runs one query and hands its rows, one at a time as PostgreSQL sends them,
// to a callback, so a caller can write a file of any length in flat memory.
package export

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrUnknown is an export that does not exist.
var ErrUnknown = errors.New("export: unknown export")

// Querier runs a query whose rows are read as they come.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Date is a calendar date (a time.Time at UTC midnight).
type Date time.Time

// A row's cells are string, int64, float64, bool, money.Cents, Date,
// time.Time (an instant, UTC) or nil.
type Row []any

// Export is one kind of export: its columns (translation keys under
// export.column.) and the function that yields its rows.
type Export struct {
	Name    string
	Columns []string
	run     func(ctx context.Context, q Querier, p Period, reader int64, emit func(Row) error) error
}

// Run yields the export's rows for the period in order, as reader (the id
// of the person it is for) may read them: the exports of outcomes leave
// out the charities whose outcomes the reader does not see (outcomes.Unseen).
// It stops at the first error emit returns.
func (e Export) Run(ctx context.Context, q Querier, p Period, reader int64, emit func(Row) error) error {
	if err := e.run(ctx, q, p, reader, emit); err != nil {
		return fmt.Errorf("export.%s: %w", e.Name, err)
	}
	return nil
}

// All lists the exports in the order the page shows them.
var All = []Export{Applications, Decisions, Payments, Outcomes, CaseMix, TripOutcomes}

// Lookup finds an export by name.
func Lookup(name string) (Export, error) {
	for _, e := range All {
		if e.Name == name {
			return e, nil
		}
	}
	return Export{}, ErrUnknown
}

// stream runs query and calls scan then emit for each row as it arrives.
func stream(ctx context.Context, q Querier, query string, args []any, scan func(*sql.Rows) (Row, error), emit func(Row) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return err
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// date is a nullable date cell.
func date(t sql.NullTime) any {
	if !t.Valid {
		return nil
	}
	return Date(t.Time)
}
