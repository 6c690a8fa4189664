package db

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"
)

// Each package keeps its fixed statements in .sql files beside its Go,
// embedded, each under a line `-- name: award-insert`; Load reads them and
// Get hands one to a package-level variable, so that every name is resolved
// while the process starts and a name missing from the files stops it
// before it serves anyone. Check then prepares every statement of every
// package against the database (see CheckQueries).
//
// A tiny reader rather than github.com/qustavo/dotsql (which reads the same
// format and would load from an embed.FS through LoadFromString): dotsql
// silently joins two statements given the same name into one, keeps no file
// or line to name in an error, and runs every statement through
// text/template. Here a repeated or empty name is refused when the package
// loads, and a statement PostgreSQL refuses is reported with its file and line.

// Query is one named statement.
type Query struct {
	Name string
	File string // the .sql file, and the line of its `-- name:`
	Line int
	SQL  string
}

// Queries is one package's named statements.
type Queries struct {
	Package string
	list    []Query
	byName  map[string]int
	mu      sync.Mutex
	used    map[string]bool
}

var (
	registryMu sync.Mutex
	registry   []*Queries
)

var nameLine = regexp.MustCompile(`^--\s*name:\s*(\S*)\s*$`)

// Load reads every .sql file at the top of fsys as pkg's statements and
// registers them for CheckQueries. A malformed file is a programming error
// found at start-up: Load panics.
func Load(pkg string, fsys fs.FS) *Queries {
	q, err := Parse(pkg, fsys)
	if err != nil {
		panic(err)
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, r := range registry {
		if r.Package == pkg {
			panic(fmt.Sprintf("db: the statements of %s loaded twice", pkg))
		}
	}
	registry = append(registry, q)
	return q
}

// Parse reads the statements of fsys's .sql files without registering them.
func Parse(pkg string, fsys fs.FS) (*Queries, error) {
	files, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("db: %s: no .sql files", pkg)
	}
	q := &Queries{Package: pkg, byName: map[string]int{}, used: map[string]bool{}}
	for _, file := range files {
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, err
		}
		if err := q.parse(file, string(b)); err != nil {
			return nil, fmt.Errorf("db: %s: %w", pkg, err)
		}
	}
	return q, nil
}

func (q *Queries) parse(file, text string) error {
	var cur *Query
	var body strings.Builder
	end := func() error {
		if cur == nil {
			return nil
		}
		// Comments after a statement introduce the next one: not its SQL.
		lines := strings.Split(strings.TrimSpace(body.String()), "\n")
		for len(lines) > 0 && (strings.TrimSpace(lines[len(lines)-1]) == "" || strings.HasPrefix(strings.TrimSpace(lines[len(lines)-1]), "--")) {
			lines = lines[:len(lines)-1]
		}
		cur.SQL = strings.Join(lines, "\n")
		body.Reset()
		if cur.SQL == "" {
			return fmt.Errorf("%s:%d: statement %q is empty", cur.File, cur.Line, cur.Name)
		}
		q.byName[cur.Name] = len(q.list)
		q.list = append(q.list, *cur)
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if m := nameLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			if err := end(); err != nil {
				return err
			}
			if m[1] == "" {
				return fmt.Errorf("%s:%d: a statement without a name", file, n)
			}
			if i, ok := q.byName[m[1]]; ok {
				return fmt.Errorf("%s:%d: statement %q already named at %s:%d", file, n, m[1], q.list[i].File, q.list[i].Line)
			}
			cur = &Query{Name: m[1], File: file, Line: n}
			continue
		}
		if cur == nil {
			// Before the first name: the file's comments.
			if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
				return fmt.Errorf("%s:%d: SQL before the first `-- name:`", file, n)
			}
			continue
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return end()
}

// Get returns the statement named name. It panics when there is none, which
// happens while the package's variables are initialised, at start-up.
func (q *Queries) Get(name string) string {
	i, ok := q.byName[name]
	if !ok {
		panic(fmt.Sprintf("db: %s: no statement named %q in its .sql files", q.Package, name))
	}
	q.mu.Lock()
	q.used[name] = true
	q.mu.Unlock()
	return q.list[i].SQL
}

// All returns the statements in file order.
func (q *Queries) All() []Query { return slices.Clone(q.list) }

// Unused names the statements no Get asked for: dead SQL, for a test to refuse.
func (q *Queries) Unused() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []string
	for _, s := range q.list {
		if !q.used[s.Name] {
			out = append(out, s.Name)
		}
	}
	return out
}

// Registered returns every package's statements loaded so far, by package
// name: in a process, those of every package it imports.
func Registered() []*Queries {
	registryMu.Lock()
	defer registryMu.Unlock()
	out := slices.Clone(registry)
	slices.SortFunc(out, func(a, b *Queries) int { return strings.Compare(a.Package, b.Package) })
	return out
}

// CheckQueries prepares every statement of sets on one connection of pool,
// and deallocates it, so that a statement PostgreSQL refuses (a column
// renamed by a migration, a typo) stops the process at start instead of
// failing the first request that runs it. The error names each refused
// statement: its package, name, file and line, and PostgreSQL's message.
// Preparing runs nothing: no row is read or written.
func CheckQueries(ctx context.Context, pool *sqlx.DB, sets ...*Queries) error {
	conn, err := pool.Connx(ctx)
	if err != nil {
		return fmt.Errorf("db: checking statements: %w", err)
	}
	defer conn.Close()
	var errs []error
	for _, set := range sets {
		for _, s := range set.list {
			st, err := conn.PrepareContext(ctx, s.SQL)
			if err != nil {
				if ctx.Err() != nil || IsUnavailable(err) {
					return fmt.Errorf("db: checking statements: %w", err)
				}
				errs = append(errs, fmt.Errorf("%s: statement %s (%s:%d): %w", set.Package, s.Name, s.File, s.Line, err))
				continue
			}
			if err := st.Close(); err != nil {
				return fmt.Errorf("db: checking statements: %w", err)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("db: PostgreSQL refuses %d statement(s):\n%w", len(errs), errors.Join(errs...))
	}
	return nil
}
