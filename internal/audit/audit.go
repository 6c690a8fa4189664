// Package audit writes the append-only trail of who did what. Record runs in
// the caller's transaction, so an action and its audit entry land together or
// not at all.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"missiongrants/internal/db"
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
	_, err := q.ExecContext(ctx, `
		INSERT INTO audit (actor_id, actor_label, ip, request_id, action, object_type, object_id, details)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.ActorID, e.ActorLabel, e.IP, e.RequestID, e.Action, e.ObjectType, e.ObjectID, details)
	if err != nil {
		return fmt.Errorf("audit.Record %s: %w", e.Action, err)
	}
	return nil
}

// Recent lists the newest entries, newest first.
func Recent(ctx context.Context, q db.Querier, limit int) ([]Entry, error) {
	var out []Entry
	err := q.SelectContext(ctx, &out, `
		SELECT id, at, actor_id, actor_label, ip, request_id, action, object_type, object_id, details
		FROM audit ORDER BY at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("audit.Recent: %w", err)
	}
	return out, nil
}
