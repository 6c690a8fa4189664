// Package i18n holds the English and Spanish catalogs (locales/LANG/AREA.json) and picks a person's
// language. Every page and email speaks through it; a test fails when a key
// exists in one language and not the other.
package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales
var files embed.FS

// Languages the portal speaks; the first is the fallback.
var Languages = []string{"en", "es"}

// Default is the language used when nothing else is known.
const Default = "en"

// Catalog translates keys into a language.
type Catalog struct {
	bundle     *goi18n.Bundle
	localizers map[string]*goi18n.Localizer
	matcher    language.Matcher
	keys       map[string]map[string]bool
	// plain holds every message as T gives it without arguments: pages
	// ask for hundreds of labels each, and go-i18n's lookup is slow.
	plain map[string]map[string]string
	// counted holds messages asked for with a small Count only ("3
	// reviews"), formatted once: go-i18n runs a template for each.
	counted sync.Map // countedKey → string
	// days holds dates as Date writes them: go-i18n runs a template for
	// each, and a page shows dozens.
	days sync.Map // dayKey → string
	// fills holds, for each message without plural forms whose only
	// template actions are {{.Name}}, its text cut at them: T fills it
	// itself, where go-i18n ran a template (7% of the application page's
	// CPU).
	fills map[string]map[string][]piece
}

// piece is a fill's literal text, then the argument named after it ("":
// none).
type piece struct{ text, name string }

type dayKey struct {
	lang string
	day  int32 // days since 1 January 1970
}

type countedKey struct {
	lang, key string
	n         int
}

// New returns the embedded catalogs. They never change and a Catalog is
// safe for concurrent use, so they are parsed once per process: parsing was
// a sixth of the web tests' own CPU, which build a portal per test.
func New() (*Catalog, error) { return parsed() }

var parsed = sync.OnceValues(parse)

func parse() (*Catalog, error) {
	bundle := goi18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{bundle: bundle, localizers: map[string]*goi18n.Localizer{}, keys: map[string]map[string]bool{},
		fills: map[string]map[string][]piece{}}
	var tags []language.Tag
	for _, lang := range Languages {
		c.keys[lang] = map[string]bool{}
		names, err := fs.Glob(files, path.Join("locales", lang, "*.json"))
		if err != nil || len(names) == 0 {
			return nil, fmt.Errorf("i18n: no catalog for %s", lang)
		}
		for _, name := range names {
			b, err := files.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("i18n: %w", err)
			}
			// go-i18n takes the language from the file name's last part.
			mf, err := bundle.ParseMessageFileBytes(b, strings.TrimSuffix(name, ".json")+"."+lang+".json")
			if err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", name, err)
			}
			for _, m := range mf.Messages {
				if c.keys[lang][m.ID] {
					return nil, fmt.Errorf("i18n: %s: key %q defined twice", name, m.ID)
				}
				c.keys[lang][m.ID] = true
				if f, ok := fillOf(m); ok {
					if c.fills[lang] == nil {
						c.fills[lang] = map[string][]piece{}
					}
					c.fills[lang][m.ID] = f
				}
			}
		}
		c.localizers[lang] = goi18n.NewLocalizer(bundle, lang)
		tags = append(tags, language.MustParse(lang))
	}
	c.matcher = language.NewMatcher(tags)
	c.plain = map[string]map[string]string{}
	for _, lang := range Languages {
		c.plain[lang] = make(map[string]string, len(c.keys[lang]))
		for key := range c.keys[lang] {
			c.plain[lang][key] = c.localize(lang, key)
		}
	}
	return c, nil
}

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Negotiate picks the language: an explicit choice when supported, otherwise
// the browser's Accept-Language, otherwise English.
func (c *Catalog) Negotiate(chosen, acceptLanguage string) string {
	if Supported(chosen) {
		return chosen
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, idx, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Languages[idx]
}

// T translates key into lang. args are pairs: name, value, name, value…, used
// as {{.Name}} in the message. A missing key shows the key itself, which the
// catalog tests catch before a person could.
func (c *Catalog) T(lang, key string, args ...any) string {
	if len(args) == 0 {
		if s, ok := c.plain[lang][key]; ok {
			return s
		}
	}
	if n, ok := smallCount(args); ok {
		k := countedKey{lang, key, n}
		if s, ok := c.counted.Load(k); ok {
			return s.(string)
		}
		s := c.localize(lang, key, args...)
		c.counted.Store(k, s)
		return s
	}
	if s, ok := c.fill(lang, key, args); ok {
		return s
	}
	return c.localize(lang, key, args...)
}

// action is a template action that only prints an argument.
var action = regexp.MustCompile(`\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// fillOf cuts m's text at its actions, when it has no plural forms and
// every action prints an argument.
func fillOf(m *goi18n.Message) ([]piece, bool) {
	if m.Zero != "" || m.One != "" || m.Two != "" || m.Few != "" || m.Many != "" {
		return nil, false
	}
	var out []piece
	rest := m.Other
	for {
		loc := action.FindStringSubmatchIndex(rest)
		if loc == nil {
			break
		}
		out = append(out, piece{text: rest[:loc[0]], name: rest[loc[2]:loc[3]]})
		rest = rest[loc[1]:]
	}
	out = append(out, piece{text: rest})
	for _, p := range out {
		if strings.Contains(p.text, "{{") {
			return nil, false // another action: go-i18n's template runs it
		}
	}
	return out, true
}

// fill is the message key filled with args as go-i18n's template would
// print them, for arguments of the kinds it prints plainly; ok is false
// when it cannot say so, and localize is asked instead.
func (c *Catalog) fill(lang, key string, args []any) (string, bool) {
	pieces, ok := c.fills[lang][key]
	if !ok || len(args)%2 != 0 {
		return "", false
	}
	var b strings.Builder
	for _, p := range pieces {
		b.WriteString(p.text)
		if p.name == "" {
			continue
		}
		found := false
		for i := 0; i+1 < len(args); i += 2 {
			if args[i] != p.name {
				continue
			}
			switch v := args[i+1].(type) {
			case string:
				b.WriteString(v)
			case int:
				b.WriteString(strconv.Itoa(v))
			case int64:
				b.WriteString(strconv.FormatInt(v, 10))
			default:
				return "", false
			}
			found = true
			break
		}
		if !found {
			return "", false
		}
	}
	return oneStop(b.String(), args), true
}

// smallCount reports whether args are "Count", n and nothing else, with n
// small enough that remembering the message for each n stays small.
func smallCount(args []any) (int, bool) {
	if len(args) != 2 || args[0] != "Count" {
		return 0, false
	}
	n, ok := args[1].(int)
	return n, ok && n >= 0 && n < 100
}

func (c *Catalog) localize(lang, key string, args ...any) string {
	l, ok := c.localizers[lang]
	if !ok {
		l = c.localizers[Default]
	}
	cfg := &goi18n.LocalizeConfig{MessageID: key}
	if len(args) > 0 {
		data := make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			name, _ := args[i].(string)
			data[name] = args[i+1]
			if name == "Count" {
				cfg.PluralCount = args[i+1]
			}
		}
		cfg.TemplateData = data
	}
	s, err := l.Localize(cfg)
	if err != nil && cfg.PluralCount != nil {
		// A message that names {{.Count}} without plural forms ("Votes
		// open: {{.Count}}") has only its "other" form, which go-i18n does
		// not pick for a count of one: it reads as a plain message.
		cfg.PluralCount = nil
		s, err = l.Localize(cfg)
	}
	if err != nil {
		return key
	}
	return oneStop(s, args)
}

// oneStop drops the message's own full stop after a value that ends in one
// ("For Heartbridge Missions, Inc..": "Inc.").
func oneStop(s string, args []any) string {
	for i := 1; i < len(args); i += 2 {
		if v, ok := args[i].(string); ok && strings.HasSuffix(v, ".") && !strings.HasSuffix(v, "..") {
			s = strings.ReplaceAll(s, v+".", v)
		}
	}
	return s
}

// Has reports whether lang's catalog defines key.
func (c *Catalog) Has(lang, key string) bool { return c.keys[lang][key] }

// Keys lists lang's keys, sorted.
func (c *Catalog) Keys(lang string) []string {
	out := make([]string, 0, len(c.keys[lang]))
	for k := range c.keys[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Message is a translatable text not yet put into a language: what domain
// rules return so that the web layer can say it in the person's language.
type Message struct {
	Key  string
	Args []any
}

func (m Message) Error() string { return m.Key }

// Msg builds a Message.
func Msg(key string, args ...any) Message { return Message{Key: key, Args: args} }

// Say renders m in lang.
func (c *Catalog) Say(lang string, m Message) string { return c.T(lang, m.Key, m.Args...) }

// LanguageName is how each language names itself, for the switcher.
func LanguageName(lang string) string {
	switch lang {
	case "es":
		return "Español"
	default:
		return "English"
	}
}

// Normalize lowercases and trims a language code from a form or cookie.
func Normalize(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// FieldErrors maps a form field to what is wrong with it, so the web layer
// shows each message next to its field in the person's language. Domain
// validators return it; nil when nothing is wrong (see Err).
type FieldErrors map[string]Message

func (fe FieldErrors) Error() string {
	fields := make([]string, 0, len(fe))
	for f, m := range fe {
		fields = append(fields, f+": "+m.Key)
	}
	sort.Strings(fields)
	return "invalid " + strings.Join(fields, ", ")
}

// Add records err for field when err is a Message (other errors are ignored:
// validators return only messages).
func (fe FieldErrors) Add(field string, err error) {
	var m Message
	if errors.As(err, &m) {
		fe[field] = m
	}
}

// Err is nil when no field is wrong, fe otherwise.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}
