// Package refusal is the one way a domain says no: what kind of no (which
// the web layer turns into a status, in one place, for pages and JSON
// alike) and what the person reads (a catalog key and its arguments).
//
// A package declares its refusals as values (var ErrRecused =
// refusal.Forbidden("error.review.recused")); callers test them with
// errors.Is, and a refusal given arguments with With still matches its
// sentinel.
package refusal

import (
	"time"

	"missiongrants/internal/i18n"
)

// Kind is what sort of no it is; each kind has one HTTP status.
type Kind uint8

const (
	// KindInvalid: the input cannot be accepted as it is (422).
	KindInvalid Kind = iota + 1
	// KindForbidden: this person may not do this, now or on this record (403).
	KindForbidden
	// KindNotFound: there is no such thing, or the person may not know of it (404).
	KindNotFound
	// KindConflict: the record changed meanwhile, or is in a state that
	// refuses the action (409).
	KindConflict
	// KindTooMany: too many attempts; try again after RetryAfter (429).
	KindTooMany
	// KindUnavailable: a service the action needs is down; try again later (503).
	KindUnavailable
	// KindTooLarge: the request is larger than any form of the portal (413).
	KindTooLarge
	// KindBadRequest: the request is not a form the portal can read (400).
	KindBadRequest
)

// Error is a refusal: its kind and the message a person reads.
type Error struct {
	Kind Kind
	i18n.Message
	// RetryAfter, with KindTooMany and KindUnavailable: when trying again may work.
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Key }

// Is matches any refusal of the same kind and key, so that a refusal made
// from a sentinel with other arguments is still that sentinel.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Key == e.Key
}

// With is a copy of e carrying the message's arguments (pairs of name, value).
func (e *Error) With(args ...any) *Error {
	c := *e
	c.Args = args
	return &c
}

// After is a copy of e saying when to try again.
func (e *Error) After(d time.Duration) *Error {
	c := *e
	c.RetryAfter = d
	return &c
}

func newError(k Kind, key string, args []any) *Error {
	return &Error{Kind: k, Message: i18n.Msg(key, args...)}
}

// Invalid, Forbidden, NotFound, Conflict, TooMany, Unavailable, TooLarge
// and BadRequest make a refusal of that kind.
func Invalid(key string, args ...any) *Error     { return newError(KindInvalid, key, args) }
func Forbidden(key string, args ...any) *Error   { return newError(KindForbidden, key, args) }
func NotFound(key string, args ...any) *Error    { return newError(KindNotFound, key, args) }
func Conflict(key string, args ...any) *Error    { return newError(KindConflict, key, args) }
func TooMany(key string, args ...any) *Error     { return newError(KindTooMany, key, args) }
func Unavailable(key string, args ...any) *Error { return newError(KindUnavailable, key, args) }
func TooLarge(key string, args ...any) *Error    { return newError(KindTooLarge, key, args) }
func BadRequest(key string, args ...any) *Error  { return newError(KindBadRequest, key, args) }
