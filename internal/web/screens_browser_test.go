package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"missiongrants/internal/demo"
	"missiongrants/internal/testenv"
	"missiongrants/internal/testenv/browser"
)

// The checkers, pinned: installed once from npm into the user's cache
// (testenv.NpmPackage; scripts/lib.sh's npm_package shares the folders).
const (
	vnuVersion  = "26.9.27"
	axeVersion  = "4.11.1"
	screenWidth = 360 // the narrowest phone the portal is made for
	pageBudget  = 100 << 10
)

// screenVisitor is one kind of person looking at the portal's pages. A
// page any of them can reach by a link from their pages is checked too, so
// a new page is checked as soon as it is linked; a page nothing links to
// belongs in paths.
//
// A path may be "POST /x": a form posted there without its CSRF token,
// from the home page. status gives the pages that answer other than 200
// (an error page is a page too). A visitor who stops at the second
// factor gives the password only and stays at the code step; one who
// stays follows no link (its pages' links are other visitors' pages).
type screenVisitor struct {
	name         string         // names the screenshots
	email        string         // the demo account; "" for a visitor not signed in
	lang         string         // the visitor's own language, seen first
	paths        []string       // where the visitor starts
	status       map[string]int // by path: the pages that answer other than 200
	secondFactor bool           // gives the password only: at the code step
	stay         bool           // checks its paths only, following no link
}

var screenVisitors = []screenVisitor{
	{name: "public", lang: "en", paths: []string{"/", "/login", "/signup", "/signup/sent", "/password/forgot", "/impact",
		"/does-not-exist", "POST /login", "/password/reset?token=unknown", "/invitation/accept?token=unknown"},
		status: map[string]int{"/does-not-exist": http.StatusNotFound, "POST /login": http.StatusForbidden,
			"/password/reset?token=unknown": http.StatusGone, "/invitation/accept?token=unknown": http.StatusGone}},
	{name: "applicant", email: "applicant@demo.missiongrants.test", lang: "en",
		paths:  []string{"/dashboard", "/account", "/organizations/new", "/admin/dashboard"},
		status: map[string]int{"/admin/dashboard": http.StatusForbidden}},
	{name: "solicitante", email: "solicitante@demo.missiongrants.test", lang: "es", paths: []string{"/dashboard", "/account", "POST /account/profile"},
		status: map[string]int{"POST /account/profile": http.StatusForbidden}},
	{name: "board", email: "board@demo.missiongrants.test", lang: "en", paths: []string{"/board/applications", "/account", "/admin/users"},
		status: map[string]int{"/admin/users": http.StatusForbidden}},
	// The code page after the password, with both second factors: a code
	// from the authenticator and a passkey (the test gives staff one).
	{name: "second-factor", email: "staff@demo.missiongrants.test", lang: "es", paths: []string{"/login/code"}, secondFactor: true, stay: true},
	{name: "admin", email: "admin@demo.missiongrants.test", lang: "en",
		paths: []string{"/admin/dashboard", "/admin/users", "/admin/rounds", "/admin/criteria", "/admin/agreement",
			"/admin/screening", "/admin/minutes", "/admin/exports", "/admin/audit", "/board/applications"}},
}

// notAPage are links the check does not follow: downloads, and what
// signing out would end.
var notAPage = regexp.MustCompile(`^/logout|\.(pdf|csv|png|zip)(\?|$)|/pdf$|^/documents/\d+|^/admin/exports/[^/?]+|/account/two-factor/qr`)

// perShape is how many pages of one shape (the same path but for its
// numbers, the same query keys) a visitor sees: two applications in
// different states, not all of them.
const perShape = 2

// maxPages bounds one visitor's pages, so that a list of links growing
// without end shows as a failure rather than an hour-long test.
const maxPages = 60

var digits = regexp.MustCompile(`/\d+`)

func pageShape(p string) string {
	u, err := url.Parse(p)
	if err != nil {
		return p
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range u.Query() {
			if !yield(k) {
				return
			}
		}
	})
	return digits.ReplaceAllString(u.Path, "/N") + "?" + strings.Join(keys, "&")
}

// Every page of every kind of visitor, at a phone's 360 px and a desktop's
// 1280 px, in English and in Spanish, on the living demo's history: each
// page fits the width, nothing on it overlaps anything else, it shows no
// catalog key and no sentence of the other language, it passes axe-core
// with no violation, the Nu HTML checker finds no error in it, it weighs
// under 100 KB with all it loads on a first visit, and it asks no other
// host for anything. A screenshot of each is kept in browser.ArtifactDir().
func TestBrowserEveryPage(t *testing.T) {
	testenv.Full(t, "Chromium, Java and npm")
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var vnuJar, axeSource string
	var toolErr error
	toolsReady := make(chan struct{})
	go func() { // installing the checkers the first time overlaps seeding the demo
		defer close(toolsReady)
		vnu, err := testenv.NpmPackage(ctx, "vnu-jar", vnuVersion)
		if err != nil {
			toolErr = err
			return
		}
		vnuJar = filepath.Join(vnu, "build", "dist", "vnu.jar")
		axe, err := testenv.NpmPackage(ctx, "axe-core", axeVersion)
		if err != nil {
			toolErr = err
			return
		}
		b, err := os.ReadFile(filepath.Join(axe, "axe.min.js"))
		axeSource, toolErr = string(b), err
	}()

	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	people := s.seedDemo(t)
	if err := demo.Seed(context.Background(), s.db, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := demo.Documents(context.Background(), s.db, s.docs, s.accounts, time.Now()); err != nil {
		t.Fatal(err)
	}
	pageJS, err := os.ReadFile("testdata/pagecheck.js")
	if err != nil {
		t.Fatal(err)
	}
	words := loadCatalogWords(t)
	<-toolsReady
	if toolErr != nil {
		t.Fatal(toolErr)
	}
	htmlDir := t.TempDir()
	visitors := withMailedPages(t, s, people)

	t.Run("visitors", func(t *testing.T) {
		for _, v := range visitors {
			t.Run(v.name, func(t *testing.T) {
				t.Parallel()
				sc := &screenCheck{t: t, s: s, base: srv.URL, v: v, pageJS: string(pageJS), axe: axeSource, words: words, htmlDir: htmlDir}
				sc.run(people[v.email])
			})
		}
	})

	t.Run("vnu", func(t *testing.T) {
		checkHTML(t, vnuJar, htmlDir)
	})
}

// withMailedPages are the visitors with the pages a mailed link opens,
// each link made as a person gets it: a sign-up's confirmation, a
// password reset, a board invitation (the public visitor's); and the
// staff member given a passkey beside the authenticator, so the code page
// offers both.
func withMailedPages(t *testing.T, s *testServer, people map[string]person) []screenVisitor {
	t.Helper()
	c := s.client(t, "Accept-Language", "en")
	signup := person{name: "Screen Visitor", email: newEmail("screens"), password: goodPassword}
	c.signUp(signup)
	confirm := s.mailedLink(t, signup.email, "Confirm your email address")
	wantStatus(t, s.client(t).post("/password/forgot", url.Values{"email": {demoApplicant}}), http.StatusOK)
	reset := s.mailedLink(t, demoApplicant, "Choose a new password")
	_, invitation := invite(t, s, s.loginAs(t, people[demoAdmin]), "Bea Board")
	s.execElsewhere(t, "passkeys", `INSERT INTO passkeys (user_id, rp_id, credential_id, name, public_key, flags, created_at)
		SELECT id, 'localhost', decode(repeat('ab', 32), 'hex'), 'Llave de prueba', '\x00'::bytea, 0, now() FROM users WHERE email = $1`, demoAdmin)
	pending := s.client(t, "Accept-Language", "es")
	wantRedirect(t, pending.enterPassword(people[demoAdmin]), "/login/code")
	mustContain(t, pending.get("/login/code"), `name="code"`, s.text("es", "page.passkeys.use"))
	visitors := slices.Clone(screenVisitors)
	for i := range visitors {
		if visitors[i].name == "public" {
			visitors[i].paths = append(slices.Clone(visitors[i].paths), confirm, reset, invitation)
		}
	}
	return visitors
}

// screenCheck is one visitor's look at every page.
type screenCheck struct {
	t        *testing.T
	s        *testServer
	base     string
	v        screenVisitor
	pageJS   string
	axe      string
	words    *catalogWords
	htmlDir  string
	tab      *browser.Tab
	net      *netRecorder
	lang     string
	width    int
	heaviest string // the page that loads the most, and how much
	weight   int64
	axeRuns  int
}

func (sc *screenCheck) run(p person) {
	t := sc.t
	sc.tab = browser.Open(t, browser.WindowSize(screenWidth, 800, true), browser.AcceptLanguage(sc.v.lang), browser.ActionTimeout(30*time.Second), browser.Lifetime(15*time.Minute))
	sc.net = newNetRecorder(t, sc.tab, sc.base)
	// Every visit a first visit: nothing comes from the browser's cache,
	// so each page's weight counts all it loads.
	if _, err := chromedp.Call(sc.tab, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	if sc.v.secondFactor {
		browserLogin(t, sc.tab, sc.base, p) // and no code: the code step waits
	} else if sc.v.email != "" {
		if p.phone != nil {
			browserLoginWithCode(t, sc.tab, sc.base, p)
		} else {
			browserLogin(t, sc.tab, sc.base, p)
		}
	}
	other := map[string]string{"en": "es", "es": "en"}[sc.v.lang]
	sc.setLanguage(sc.v.lang)
	// The visitor's own language on a phone finds the pages, following
	// links; the other sizes and language see the same ones.
	pages := sc.discover()
	sc.t.Logf("%s: %d pages: %s", sc.v.name, len(pages), strings.Join(pages, " "))
	for _, lang := range []string{sc.v.lang, other} {
		sc.setLanguage(lang)
		for _, width := range []int{screenWidth, browser.DesktopWidth} {
			if lang == sc.v.lang && width == screenWidth {
				continue // seen while discovering
			}
			sc.setWidth(width)
			for _, path := range pages {
				sc.visit(path)
			}
		}
	}
	sc.t.Logf("%s: %d pages checked with axe-core; the heaviest, %s, loads %.1f KB", sc.v.name, sc.axeRuns, sc.heaviest, float64(sc.weight)/1024)
}

func (sc *screenCheck) setLanguage(lang string) {
	sc.lang = lang
	if sc.v.email != "" {
		sc.s.execElsewhere(sc.t, "users", `UPDATE users SET language = $1 WHERE email = $2`, lang, sc.v.email)
	}
	u, _ := url.Parse(sc.base)
	if _, err := chromedp.Call(sc.tab, network.SetCookie, network.SetCookieParams{
		Name: cookieName(sc.s.cfg, langCookie), Value: lang, Domain: u.Hostname(), Path: "/"}); err != nil {
		sc.t.Fatal(err)
	}
}

func (sc *screenCheck) setWidth(width int) {
	sc.width = width
	var opts []chromedp.EmulateViewportOption
	if width < 600 {
		opts = append(opts, chromedp.EmulateMobile)
	}
	sc.tab.Do(chromedp.EmulateViewport(int64(width), 800, opts...))
}

// discover visits the start pages and every page they lead to, breadth
// first, and returns them in the order seen.
func (sc *screenCheck) discover() []string {
	sc.width = screenWidth
	queue := slices.Clone(sc.v.paths)
	seen := map[string]bool{}
	shapes := map[string]int{}
	var pages []string
	for len(queue) > 0 && len(pages) < maxPages {
		path := queue[0]
		queue = queue[1:]
		if seen[path] || notAPage.MatchString(path) || shapes[pageShape(path)] >= perShape {
			continue
		}
		seen[path] = true
		shapes[pageShape(path)]++
		links, ok := sc.visit(path)
		if !ok {
			continue
		}
		pages = append(pages, path)
		// A refused form's page links to its own address ("#main"), which
		// is no page to GET; its other link is home.
		if !sc.v.stay && !strings.HasPrefix(path, "POST ") {
			queue = append(queue, links...)
		}
	}
	if len(queue) > 0 && len(pages) >= maxPages {
		sc.t.Errorf("%s reaches more than %d pages: raise maxPages if that is right", sc.v.name, maxPages)
	}
	return pages
}

// pageCheck is what testdata/pagecheck.js finds on a page.
type pageCheck struct {
	ScrollWidth int      `json:"scrollWidth"`
	ClientWidth int      `json:"clientWidth"`
	Overlaps    []string `json:"overlaps"`
	Wide        []string `json:"wide"`
	Text        string   `json:"text"`
	Links       []string `json:"links"`
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

const runAxe = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || '', help: v.help,
	nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 200))})))`

// visit opens path and checks it; it returns the page's links, and false
// when the page could not be checked.
func (sc *screenCheck) visit(path string) ([]string, bool) {
	t := sc.t
	t.Helper()
	where := fmt.Sprintf("%s %s %dpx %s", sc.v.name, sc.lang, sc.width, path)
	first := sc.width == screenWidth // the checks that do not depend on the width run once per language
	ctx, cancel := context.WithTimeout(sc.tab, 30*time.Second)
	target, post := strings.CutPrefix(path, "POST ")
	var resp *network.Response
	var err error
	if post {
		// A form posted without its token, as a page left open across
		// a sign-out would send it.
		err = chromedp.Do(ctx, chromedp.Navigate(sc.base+"/"))
		if err == nil {
			sc.net.reset()
			resp, err = chromedp.RunResponse(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
				const f = document.createElement("form");
				f.method = "post";
				f.action = `+jsString(target)+`;
				document.body.append(f);
				f.submit();
			})()`))
		}
	} else {
		sc.net.reset()
		resp, err = chromedp.Run(ctx, chromedp.NavigateResponse(sc.base+path))
	}
	cancel()
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return nil, false
	}
	want := http.StatusOK
	if st, ok := sc.v.status[path]; ok {
		want = st
	}
	if int(resp.Status) != want {
		t.Errorf("%s: status %d, want %d", where, resp.Status, want)
		return nil, false
	}
	if loc := browser.Run(sc.tab, chromedp.Location()); loc != sc.base+target {
		t.Errorf("%s: went on to %s", where, loc)
	}
	var pc pageCheck
	raw := browser.Run(sc.tab, chromedp.Evaluate[json.RawMessage](sc.pageJS))
	if err := json.Unmarshal(raw, &pc); err != nil {
		t.Fatalf("%s: pagecheck.js: %v", where, err)
	}
	sc.tab.ScreenshotJPEG(fmt.Sprintf("pages-%s-%s-%d-%s", sc.v.name, sc.lang, sc.width, pageName(path)))
	if sc.width == screenWidth && pc.ScrollWidth > pc.ClientWidth {
		t.Errorf("%s: scrolls sideways: %d px of content in %d; past the edge:\n  %s", where, pc.ScrollWidth, pc.ClientWidth, strings.Join(pc.Wide, "\n  "))
	}
	if len(pc.Overlaps) > 0 {
		t.Errorf("%s: %d overlapping things:\n  %s", where, len(pc.Overlaps), strings.Join(pc.Overlaps, "\n  "))
	}
	if !first {
		return pc.Links, true
	}
	for _, bad := range sc.words.wrong(sc.lang, pc.Text) {
		t.Errorf("%s: %s", where, bad)
	}
	sc.tab.Do(chromedp.Evaluate[chromedp.Void](sc.axe))
	sc.axeRuns++
	for _, v := range browser.Run(sc.tab, chromedp.Evaluate[[]axeViolation](runAxe, chromedp.EvalAwaitPromise)) {
		t.Errorf("%s: axe %s (%s): %s\n  %s", where, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
	}
	visit := sc.net.done(sc.tab)
	if visit.bytes > sc.weight {
		sc.weight, sc.heaviest = visit.bytes, sc.lang+" "+path
	}
	if visit.bytes > pageBudget {
		t.Errorf("%s: weighs %d KB with all it loads (budget %d KB): %s", where, visit.bytes>>10, pageBudget>>10, strings.Join(visit.biggest(), ", "))
	}
	for _, u := range visit.elsewhere {
		t.Errorf("%s: asks another host for %s", where, u)
	}
	if visit.document == "" {
		t.Errorf("%s: no document response recorded", where)
	} else {
		body, err := chromedp.Call(sc.tab, network.GetResponseBody, network.GetResponseBodyParams{RequestID: network.RequestID(visit.document)})
		if err != nil {
			t.Errorf("%s: the page's HTML: %v", where, err)
		} else {
			html := body.Body
			name := fmt.Sprintf("%s-%s-%s.html", sc.v.name, sc.lang, pageName(path))
			if err := os.WriteFile(filepath.Join(sc.htmlDir, name), html, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return pc.Links, true
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// pageName names a page's files: "/applications/7/edit" is
// applications_7_edit, "/" is home.
func pageName(path string) string {
	if name := unsafeFileChars.ReplaceAllString(strings.Trim(path, "/"), "_"); name != "" {
		return name
	}
	return "home"
}

// netRecorder follows a tab's network: what each visit loads, how much,
// and from where.
type netRecorder struct {
	host string // the portal's host:port
	mu   sync.Mutex
	cur  netVisit
}

type netVisit struct {
	bytes     int64
	sizes     map[string]int64 // by URL
	urls      map[string]string
	elsewhere []string
	document  string // the request id of the page itself
}

func (v netVisit) biggest() []string {
	var out []string
	for u, n := range v.sizes {
		out = append(out, fmt.Sprintf("%s %d KB", u, n>>10))
	}
	sort.Strings(out)
	return out
}

func newNetRecorder(t *testing.T, tab *browser.Tab, base string) *netRecorder {
	u, _ := url.Parse(base)
	r := &netRecorder{host: u.Host}
	r.reset()
	if err := chromedp.Listen(tab, r.listen); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *netRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cur = netVisit{sizes: map[string]int64{}, urls: map[string]string{}}
}

func (r *netRecorder) listen(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		u, err := url.Parse(ev.Request.URL)
		if err == nil && (u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "ws" || u.Scheme == "wss") && u.Host != r.host {
			r.cur.elsewhere = append(r.cur.elsewhere, ev.Request.URL)
		}
		r.cur.urls[string(ev.RequestID)] = ev.Request.URL
		if ev.Type == network.ResourceTypeDocument {
			r.cur.document = string(ev.RequestID)
		}
	case *network.EventLoadingFinished:
		r.cur.bytes += int64(ev.EncodedDataLength)
		r.cur.sizes[r.cur.urls[string(ev.RequestID)]] += int64(ev.EncodedDataLength)
	}
}

// done returns what the visit loaded, once the browser has told all of it.
func (r *netRecorder) done(tab *browser.Tab) netVisit {
	browser.Run(tab, chromedp.Evaluate[chromedp.Void]("0")) // a round trip: earlier events are in
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur
}

// catalogWords finds text in the wrong language: a catalog key shown as
// it is, or a sentence of one language's catalog on a page in the other.
type catalogWords struct {
	keys      map[string]bool
	sentences map[string][]string            // by language: the catalog's sentences no other language has
	byStart   map[string]map[string][]string // by language, then by a sentence's first three words
}

var (
	placeholder = regexp.MustCompile(`\{\{[^}]*\}\}|%[a-z]`)
	keyLike     = regexp.MustCompile(`[a-z][a-z0-9_]*(\.[a-z0-9_]+)+`)
	space       = regexp.MustCompile(`\s+`)
)

func loadCatalogWords(t *testing.T) *catalogWords {
	t.Helper()
	raw := map[string]map[string]string{} // language → key → message (a plural's forms joined by newlines)
	for _, lang := range []string{"en", "es"} {
		raw[lang] = map[string]string{}
		files, err := filepath.Glob(filepath.Join("..", "i18n", "locales", lang, "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no %s catalog: %v", lang, err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for k, v := range m {
				var s string
				if json.Unmarshal(v, &s) != nil {
					var forms map[string]string
					if err := json.Unmarshal(v, &forms); err != nil {
						t.Fatalf("%s: %s: %v", f, k, err)
					}
					for _, form := range forms {
						s += form + "\n"
					}
				}
				raw[lang][k] = s
			}
		}
	}
	cw := &catalogWords{keys: map[string]bool{}, sentences: map[string][]string{}, byStart: map[string]map[string][]string{}}
	for k := range raw["en"] {
		cw.keys[k] = true
	}
	fragments := func(msg string) []string {
		var out []string
		for _, part := range placeholder.Split(msg, -1) {
			for _, line := range strings.Split(part, "\n") {
				f := strings.TrimSpace(space.ReplaceAllString(line, " "))
				if len(strings.Fields(f)) >= 3 {
					out = append(out, f)
				}
			}
		}
		return out
	}
	for _, lang := range []string{"en", "es"} {
		other := map[string]string{"en": "es", "es": "en"}[lang]
		var all strings.Builder
		for _, msg := range raw[other] {
			all.WriteString(space.ReplaceAllString(msg, " "))
			all.WriteString("\n")
		}
		otherText := all.String()
		cw.byStart[lang] = map[string][]string{}
		seen := map[string]bool{}
		for _, msg := range raw[lang] {
			for _, f := range fragments(msg) {
				// A sentence both languages say the same (a name, an
				// address) is in neither language alone.
				if seen[f] || strings.Contains(otherText, f) {
					continue
				}
				seen[f] = true
				cw.sentences[lang] = append(cw.sentences[lang], f)
				start := strings.Join(strings.Fields(f)[:3], " ")
				cw.byStart[lang][start] = append(cw.byStart[lang][start], f)
			}
		}
	}
	return cw
}

// wrong lists what a page in lang shows that is not in lang.
func (cw *catalogWords) wrong(lang, text string) []string {
	var out []string
	for _, k := range keyLike.FindAllString(text, -1) {
		if cw.keys[k] {
			out = append(out, fmt.Sprintf("shows the catalog key %q", k))
		}
	}
	for _, bad := range []string{"<no value>", "%!", "MISSING"} {
		if strings.Contains(text, bad) {
			out = append(out, fmt.Sprintf("shows %q", bad))
		}
	}
	other := map[string]string{"en": "es", "es": "en"}[lang]
	flat := space.ReplaceAllString(text, " ")
	w := strings.Fields(flat)
	reported := map[string]bool{}
	for i := 0; i+3 <= len(w); i++ {
		for _, f := range cw.byStart[other][strings.Join(w[i:i+3], " ")] {
			if !reported[f] && strings.Contains(flat, f) {
				reported[f] = true
				out = append(out, fmt.Sprintf("shows the %s sentence %q", other, f))
			}
		}
	}
	return out
}

// checkHTML runs the Nu HTML checker once on every page kept in dir (it
// takes seconds to start) and fails on each error it finds.
func checkHTML(t *testing.T, jar, dir string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	if len(files) == 0 {
		t.Fatal("no page was kept for the HTML checker")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "java", "-Xss8m", "-jar", jar, "--errors-only", "--format", "json", "--stdout", "--exit-zero-always", dir)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("the Nu HTML checker (java -jar %s): %v\n%s", jar, err, stderr)
	}
	var res struct {
		Messages []struct {
			Type     string `json:"type"`
			URL      string `json:"url"`
			Line     int    `json:"lastLine"`
			Message  string `json:"message"`
			Extract  string `json:"extract"`
			SubType  string `json:"subType"`
			Position int    `json:"firstColumn"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("the Nu HTML checker's answer: %v\n%.2000s", err, out)
	}
	for _, m := range res.Messages {
		if m.Type != "error" && m.SubType != "fatal" {
			continue
		}
		t.Errorf("%s:%d: %s\n  %s", filepath.Base(m.URL), m.Line, m.Message, strings.TrimSpace(m.Extract))
	}
	t.Logf("the Nu HTML checker read %d pages", len(files))
}
