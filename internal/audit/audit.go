// Package audit writes the append-only trail of who did what. Record runs in
// the caller's transaction, so an action and its audit entry land together or
// not at all.
//
// The trail is a hash chain, computed by the database at insert time
// (migrations/00010_audit_chain.sql): each entry's prev_hash is the hash of
// the entry before it in id order (32 zero bytes for the first), and its hash
// is sha256(prev_hash || audit_entry_text(entry)). Verify recomputes it.
package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
)

// Event is one entry. Details must never hold a password, token, document
// content or bank detail.
type Event struct {
	ActorID    *int64
	ActorLabel string
	IP         string
	RequestID  string
	Action     string // dotted, e.g. "account.login"
	ObjectType string
	ObjectID   string
	Details    map[string]any
}

// Entry is an event as stored.
type Entry struct {
	ID         int64     `db:"id"`
	At         time.Time `db:"at"`
	ActorID    *int64    `db:"actor_id"`
	ActorLabel string    `db:"actor_label"`
	IP         string    `db:"ip"`
	RequestID  string    `db:"request_id"`
	Action     string    `db:"action"`
	ObjectType string    `db:"object_type"`
	ObjectID   string    `db:"object_id"`
	Details    []byte    `db:"details"`
	// ActorEmail is the actor's current address, when the actor is an
	// account (Search only).
	ActorEmail *string `db:"actor_email"`
}

// Record adds e to the trail through q (normally the action's transaction).
func Record(ctx context.Context, q db.Querier, e Event) error {
	details := []byte("{}")
	if len(e.Details) > 0 {
		var err error
		if details, err = json.Marshal(e.Details); err != nil {
			return fmt.Errorf("audit.Record: %w", err)
		}
	}
	_, err := q.ExecContext(ctx, sqlRecord,
		e.ActorID, e.ActorLabel, e.IP, e.RequestID, e.Action, e.ObjectType, e.ObjectID, details)
	if err != nil {
		return fmt.Errorf("audit.Record %s: %w", e.Action, err)
	}
	return nil
}

// Recent lists the newest entries, newest first.
func Recent(ctx context.Context, q db.Querier, limit int) ([]Entry, error) {
	var out []Entry
	err := q.SelectContext(ctx, &out, sqlRecent, limit)
	if err != nil {
		return nil, fmt.Errorf("audit.Recent: %w", err)
	}
	return out, nil
}

// verifyBatch is how many entries Verify reads at a time.
const verifyBatch = 1000

// Verify recomputes the chain in id order, a batch at a time, and returns the
// id of the first broken entry, 0 when the chain is intact. An entry is
// broken when its stored hash is not the hash of its own fields (its content
// was changed), or its prev_hash is not the stored hash of the entry before
// it (an entry before it was removed, or its hash rewritten). So an entry
// edited in place is named itself; an entry removed, or edited with its hash
// recomputed, is found at the entry after it.
func Verify(ctx context.Context, q db.Querier) (firstBroken int64, err error) {
	var prev []byte
	if err := q.GetContext(ctx, &prev, sqlGenesis); err != nil {
		return 0, fmt.Errorf("audit.Verify: %w", err)
	}
	type link struct {
		ID       int64  `db:"id"`
		PrevHash []byte `db:"prev_hash"`
		Hash     []byte `db:"hash"`
		Computed []byte `db:"computed"`
	}
	var after int64
	for {
		var batch []link
		if err := q.SelectContext(ctx, &batch, sqlVerifyBatch, after, verifyBatch); err != nil {
			return 0, fmt.Errorf("audit.Verify: %w", err)
		}
		for _, l := range batch {
			if l.Hash == nil || !bytes.Equal(l.PrevHash, prev) || !bytes.Equal(l.Hash, l.Computed) {
				return l.ID, nil
			}
			prev, after = l.Hash, l.ID
		}
		if len(batch) < verifyBatch {
			return 0, nil
		}
	}
}

// FilterInput is the trail's filter as typed.
type FilterInput struct {
	Who         string // part of the actor's name (accents aside), email or label
	What        string // the start of the action, e.g. "application."
	Application string // an application's id
	From, To    string // dates, YYYY-MM-DD, both included
	Before      string // the page cursor: entries with a smaller id
}

// Filter chooses entries for Search. Zero fields do not filter.
type Filter struct {
	Who           string
	ActionPrefix  string
	ApplicationID int64
	From, To      time.Time // UTC midnights; To's whole day is included
	Before        int64
	Limit         int
}

// Filter checks the input; what cannot be read comes back as field errors.
// maxFilter bounds a typed filter: a name or an action is far shorter, and
// a 500 KB one took 7.5 s to search.
const maxFilter = 200

func (in FilterInput) Filter() (Filter, error) {
	f := Filter{Who: strings.TrimSpace(in.Who), ActionPrefix: strings.TrimSpace(in.What)}
	fe := i18n.FieldErrors{}
	fe.Add("who", field.Line(f.Who, false, maxFilter))
	fe.Add("what", field.Line(f.ActionPrefix, false, maxFilter))
	if a := strings.TrimSpace(in.Application); a != "" {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id < 1 {
			fe["application"] = i18n.Msg("error.audit.application")
		}
		f.ApplicationID = id
	}
	var err error
	f.From, err = field.Date(in.From, false)
	fe.Add("from", err)
	f.To, err = field.Date(in.To, false)
	fe.Add("to", err)
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		fe["to"] = i18n.Msg("error.audit.range")
	}
	if b := strings.TrimSpace(in.Before); b != "" {
		id, err := strconv.ParseInt(b, 10, 64)
		if err != nil || id < 1 {
			fe["before"] = i18n.Msg("error.audit.cursor")
		}
		f.Before = id
	}
	return f, fe.Err()
}

// Search lists the entries f chooses, newest (highest id) first, at most
// f.Limit of them; the next page is Before the last one's id.
// Its SQL stays in Go: the WHERE clause is built from the filters set.
func Search(ctx context.Context, q db.Querier, f Filter) ([]Entry, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Who != "" {
		p := arg("%" + escapeLike(f.Who) + "%")
		where = append(where, "(a.actor_label ILIKE "+p+" OR u.email ILIKE "+p+" OR unaccent(u.name) ILIKE unaccent("+p+"))")
	}
	if f.ActionPrefix != "" {
		where = append(where, "a.action LIKE "+arg(escapeLike(f.ActionPrefix)+"%"))
	}
	if f.ApplicationID > 0 {
		where = append(where, "a.object_type = 'application' AND a.object_id = "+arg(strconv.FormatInt(f.ApplicationID, 10)))
	}
	if !f.From.IsZero() {
		where = append(where, "a.at >= "+arg(f.From.UTC()))
	}
	if !f.To.IsZero() {
		where = append(where, "a.at < "+arg(f.To.UTC().AddDate(0, 0, 1)))
	}
	if f.Before > 0 {
		where = append(where, "a.id < "+arg(f.Before))
	}
	query := `SELECT a.id, a.at, a.actor_id, a.actor_label, a.ip, a.request_id, a.action, a.object_type, a.object_id, a.details,
			u.email AS actor_email
		FROM audit a LEFT JOIN users u ON u.id = a.actor_id`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY a.id DESC LIMIT " + arg(max(f.Limit, 1))
	var out []Entry
	if err := q.SelectContext(ctx, &out, query, args...); err != nil {
		return nil, fmt.Errorf("audit.Search: %w", err)
	}
	return out, nil
}

// escapeLike makes s match itself in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
