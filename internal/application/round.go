package application

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"missiongrants/internal/account"
	"missiongrants/internal/audit"
	"missiongrants/internal/db"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
	"missiongrants/internal/money"
)

// Round is a funding round: dated, or rolling (always open).
type Round struct {
	ID       int64       `db:"id"`
	Name     string      `db:"name"`
	NameES   string      `db:"name_es"` // "": the English name
	Rolling  bool        `db:"rolling"`
	OpensOn  *time.Time  `db:"opens_on"`
	ClosesOn *time.Time  `db:"closes_on"`
	Budget   money.Cents `db:"budget_cents"`
	Currency string      `db:"currency"`
	HelpJSON []byte      `db:"help"`
	// TwoStage: a concept note first, the full proposal on invitation;
	// ConceptByBoard: the board, not the admins, decides on the notes;
	// ConceptJSON: the note's questions as worded (see Questions).
	TwoStage       bool   `db:"two_stage"`
	ConceptByBoard bool   `db:"concept_by_board"`
	ConceptJSON    []byte `db:"concept_questions"`
}

// HelpFields are the questions an admin may explain with a help text, per
// round and language.
var HelpFields = []string{"title", "team", "patients", "readiness", "local_training", "past_missions", "budget", "narrative"}

// Help is the round's help texts in lang, by field.
func (r Round) Help(lang string) map[string]string {
	var all map[string]map[string]string
	_ = json.Unmarshal(r.HelpJSON, &all) // a broken value shows no help, it does not stop the form
	return all[lang]
}

// Open reports whether the round takes submissions on day (UTC date).
func (r Round) Open(day time.Time) bool {
	if r.Rolling {
		return true
	}
	return r.OpensOn != nil && r.ClosesOn != nil && !day.Before(*r.OpensOn) && !day.After(*r.ClosesOn)
}

// RoundInput is what an admin writes.
type RoundInput struct {
	Name, NameES, OpensOn, ClosesOn, Budget string
	Rolling                                 bool
}

// Named is the round's name in lang: its Spanish name when it has one.
func (r Round) Named(lang string) string { return roundName(r.Name, r.NameES, lang) }

func roundName(en, es, lang string) string {
	if lang == "es" && es != "" {
		return es
	}
	return en
}

func (in RoundInput) check(lang string) (Round, error) {
	fe := i18n.FieldErrors{}
	r := Round{Name: strings.TrimSpace(in.Name), NameES: strings.TrimSpace(in.NameES), Rolling: in.Rolling, Currency: string(money.USD)}
	fe.Add("name", field.Line(r.Name, true, 200))
	fe.Add("name_es", field.Line(r.NameES, false, 200))
	if !in.Rolling {
		opens, err := field.Date(in.OpensOn, true)
		fe.Add("opens_on", err)
		closes, err2 := field.Date(in.ClosesOn, true)
		fe.Add("closes_on", err2)
		if err == nil && err2 == nil {
			if closes.Before(opens) {
				fe["closes_on"] = i18n.Msg("error.round.closes_before_opens")
			}
			r.OpensOn, r.ClosesOn = &opens, &closes
		}
	}
	if strings.TrimSpace(in.Budget) != "" {
		b, err := money.Parse(in.Budget, lang)
		fe.Add("budget", err)
		r.Budget = b
	}
	return r, fe.Err()
}

// Rounds lists every round, newest first.
func (s *Service) Rounds(ctx context.Context) ([]Round, error) {
	var out []Round
	err := s.db.SelectContext(ctx, &out, sqlRounds)
	return out, err
}

// RoundNames lists the rounds in Rounds' order with their ids and names
// only, for the board's queue filter. They are kept from one request to
// the next until a round changes (db.Cached): read at each one, they were
// a third of the queue's statements for a list that changes a few times a
// year. The caller must not change the list.
func (s *Service) RoundNames(ctx context.Context) ([]Round, error) {
	return s.roundNames.Get(ctx)
}

func (s *Service) loadRoundNames(ctx context.Context) ([]Round, error) {
	var out []Round
	err := s.db.SelectContext(ctx, &out, sqlRoundNames)
	return out, err
}

// OpenRounds lists the rounds that take applications today.
func (s *Service) OpenRounds(ctx context.Context) ([]Round, error) {
	all, err := s.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	var out []Round
	for _, r := range all {
		if r.Open(s.today()) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Round returns one round.
func (s *Service) Round(ctx context.Context, id int64) (*Round, error) {
	var r Round
	if err := s.db.GetContext(ctx, &r, sqlRound, id); err != nil {
		return nil, fmt.Errorf("application.Round: %w", db.NotFound(err))
	}
	return &r, nil
}

// SaveRound creates (id 0) or changes a round; admins only.
func (s *Service) SaveRound(ctx context.Context, a account.Actor, u *account.User, id int64, in RoundInput) (int64, error) {
	if !u.IsAdmin {
		return 0, ErrForbidden
	}
	r, err := in.check(u.Language)
	if err != nil {
		return 0, err
	}
	err = db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if id == 0 {
			err := tx.GetContext(ctx, &id, sqlRoundInsert, r.Name, r.Rolling, r.OpensOn, r.ClosesOn, r.Budget, r.Currency, r.NameES)
			if err != nil {
				return fmt.Errorf("application.SaveRound: %w", err)
			}
		} else {
			res, err := tx.ExecContext(ctx, sqlRoundUpdate, id, r.Name, r.Rolling, r.OpensOn, r.ClosesOn, r.Budget, r.NameES)
			if err != nil {
				return fmt.Errorf("application.SaveRound: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrNotFound
			}
		}
		return audit.Record(ctx, tx, a.Event("round.saved", "funding_round", id, map[string]any{"name": r.Name, "rolling": r.Rolling, "budget_cents": r.Budget}))
	})
	if err == nil {
		s.roundNames.Changed()
	}
	return id, err
}

// SaveRoundHelp replaces a round's help texts (language → field → text);
// admins only.
func (s *Service) SaveRoundHelp(ctx context.Context, a account.Actor, u *account.User, id int64, help map[string]map[string]string) error {
	if !u.IsAdmin {
		return ErrForbidden
	}
	fe := i18n.FieldErrors{}
	clean := map[string]map[string]string{}
	for lang, fields := range help {
		if !i18n.Supported(lang) {
			continue
		}
		clean[lang] = map[string]string{}
		for _, f := range HelpFields {
			text := strings.TrimSpace(fields[f])
			fe.Add("help_"+lang+"_"+f, field.Text(text, false, 2000))
			if text != "" {
				clean[lang][f] = text
			}
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	raw, _ := json.Marshal(clean)
	return db.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, sqlSaveRoundHelp, id, raw)
		if err != nil {
			return fmt.Errorf("application.SaveRoundHelp: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit.Record(ctx, tx, a.Event("round.help_saved", "funding_round", id, nil))
	})
}
