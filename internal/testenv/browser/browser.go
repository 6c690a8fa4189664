// Package browser drives the headless Chromium that the browser tests use:
// one shared process, a tab per test, with its screenshots and page kept
// when the test fails. Its own package, so that test binaries without
// browser tests do not link chromedp.
package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"missiongrants/internal/testenv"
)

// Viewport sizes of the two kinds of screen the portal is checked on. Many
// applicants use a phone, so a phone is the default.
const (
	PhoneWidth    = 390
	PhoneHeight   = 844
	DesktopWidth  = 1280
	DesktopHeight = 800
)

const (
	// DefaultActionTimeout bounds one action of Tab.Do or Run, so that a
	// broken page fails the test in seconds.
	DefaultActionTimeout = 10 * time.Second
	// tabLifetime bounds the whole tab, as a last resort for actions run
	// with chromedp directly on the Tab rather than through Do or Run.
	tabLifetime = 5 * time.Minute
	// startTimeout bounds starting Chromium and opening a tab.
	startTimeout = 30 * time.Second
	// artifactTimeout bounds taking the screenshot and HTML of a failed test.
	artifactTimeout = 5 * time.Second
)

// chromiumPaths are where Chromium is looked for, in order: Debian's
// package first, then the names other systems use on PATH.
var chromiumPaths = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}

// chromiumFlags are the switches the closed network needs (without them
// Chromium keeps trying to reach Google's services) and running as root in
// a container needs. They come on top of chromedp's defaults
// (DefaultExecAllocatorOptions: no extensions, no crash reporter, no
// /dev/shm, ...).
var chromiumFlags = []chromedp.ExecAllocatorOption{
	chromedp.Headless,
	chromedp.NoSandbox,
	chromedp.DisableGPU,
	chromedp.NoFirstRun,
	chromedp.Flag("disable-quic", true),
	chromedp.Flag("disable-background-networking", true),
	chromedp.Flag("disable-component-update", true),
	chromedp.Flag("disable-sync", true),
	// A fixed browser language, so a page's language depends on the test's
	// AcceptLanguage option and not on the machine's locale.
	chromedp.Flag("lang", "en-US"),
	chromedp.WindowSize(PhoneWidth, PhoneHeight),
}

// Option changes the tab Open opens.
type Option func(*tabConfig)

type tabConfig struct {
	width, height  int64
	mobile         bool
	acceptLanguage string
	zone           string
	actionTimeout  time.Duration
	lifetime       time.Duration
}

// Desktop gives the tab a desktop window (1280x800) instead of a phone's.
func Desktop() Option {
	return func(c *tabConfig) { c.width, c.height, c.mobile = DesktopWidth, DesktopHeight, false }
}

// WindowSize gives the tab a viewport of width x height CSS pixels; mobile
// makes the browser behave as on a phone (the page's viewport meta tag
// applies, scrollbars overlay the page).
func WindowSize(width, height int, mobile bool) Option {
	return func(c *tabConfig) { c.width, c.height, c.mobile = int64(width), int64(height), mobile }
}

// AcceptLanguage makes the tab a visitor whose browser asks for languages,
// most wanted first, e.g. "es" or "es-MX,es": it sets navigator.language
// and the Accept-Language header, to which Chromium adds the weights
// ("es-MX,es;q=0.9"; weights given here are dropped, Chromium would repeat
// them). Without it the browser asks for "en-US,en;q=0.9".
func AcceptLanguage(languages string) Option {
	var tags []string
	for part := range strings.SplitSeq(languages, ",") {
		tag, _, _ := strings.Cut(part, ";")
		if tag = strings.TrimSpace(tag); tag != "" {
			tags = append(tags, tag)
		}
	}
	return func(c *tabConfig) { c.acceptLanguage = strings.Join(tags, ",") }
}

// Zone makes the tab a browser in the time zone named (e.g.
// "America/Santo_Domingo"), as Intl reports it to the page's script.
func Zone(name string) Option {
	return func(c *tabConfig) { c.zone = name }
}

// Lifetime changes how long the tab may live (five minutes), for a test
// that visits many pages in one tab.
func Lifetime(d time.Duration) Option {
	return func(c *tabConfig) { c.lifetime = d }
}

// ActionTimeout changes DefaultActionTimeout for the tab's Do and Run.
func ActionTimeout(d time.Duration) Option {
	return func(c *tabConfig) { c.actionTimeout = d }
}

// Tab is one isolated browser tab: a new browser context (like an incognito
// window: its own cookies, storage and cache) in the test process's shared
// headless Chromium. It is a chromedp context, so any chromedp call works on
// it:
//
//	tab := browser.Open(t, browser.AcceptLanguage("es"))
//	tab.Do(chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("h1")))
//	title := browser.Run(tab, chromedp.Text(chromedp.CSS("h1")))
//	tab.AssertNoConsoleErrors()
//
// Prefer Do and Run to calling chromedp directly: each of their actions gets
// the action timeout, and an error fails the test. The Tab itself only ends
// after five minutes, at the latest, or when the test ends.
//
// When the test fails, a screenshot and the page's HTML are saved (see
// ArtifactDir) and their paths logged. Console errors, uncaught exceptions
// and Content-Security-Policy violations are logged as they happen.
type Tab struct {
	context.Context // the chromedp context of the tab, with the tab's lifetime

	t   testing.TB
	cfg tabConfig
	raw context.Context // the chromedp context without the lifetime bound

	mu       sync.Mutex
	errors   []string // console errors, exceptions and CSP violations
	finished bool     // the test is ending: stop logging to t
}

// Open opens a new isolated tab in the shared headless Chromium, starting
// Chromium on the first call of the test process (testenv.Main stops it). The tab is
// a phone-sized (390x844) mobile viewport unless Desktop or WindowSize says
// otherwise, and it is closed when the test ends. When Chromium is not
// installed the test fails, telling to run ./scripts/test as root.
func Open(t testing.TB, opts ...Option) *Tab {
	t.Helper()
	testenv.Full(t, "Chromium")
	cfg := tabConfig{width: PhoneWidth, height: PhoneHeight, mobile: true, actionTimeout: DefaultActionTimeout, lifetime: tabLifetime}
	for _, o := range opts {
		o(&cfg)
	}
	browserCtx, err := sharedChromium()
	if err != nil {
		t.Fatal(err)
	}

	tab := &Tab{t: t, cfg: cfg}
	raw, cancel := chromedp.NewContext(browserCtx,
		chromedp.WithNewBrowserContext(),
		chromedp.WithListener(tab.listen), // from the tab's first event on
	)
	tab.raw = raw
	life, cancelLife := context.WithTimeout(raw, cfg.lifetime)
	tab.Context = life
	t.Cleanup(func() {
		if t.Failed() {
			tab.saveArtifacts()
		}
		tab.mu.Lock()
		tab.finished = true
		tab.mu.Unlock()
		cancelLife()
		cancel()
	})

	// The first action opens the tab and binds it to the context it is given,
	// so it gets raw itself; a timer bounds it instead.
	timer := time.AfterFunc(startTimeout, cancel)
	err = chromedp.Do(raw, tab.setup())
	if !timer.Stop() {
		err = fmt.Errorf("no tab within %v: %v", startTimeout, err)
	}
	if err != nil {
		t.Fatalf("testenv: opening a browser tab: %v", err)
	}
	return tab
}

// setup applies the tab's viewport and language.
func (tab *Tab) setup() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		var vopts []chromedp.EmulateViewportOption
		if tab.cfg.mobile {
			vopts = append(vopts, chromedp.EmulateMobile)
		}
		if _, err := chromedp.EmulateViewport(tab.cfg.width, tab.cfg.height, vopts...)(ctx, target); err != nil {
			return err
		}
		if tab.cfg.zone != "" {
			if _, err := cdp.Call(ctx, target, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: tab.cfg.zone}); err != nil {
				return err
			}
		}
		if tab.cfg.acceptLanguage == "" {
			return nil
		}
		// The override needs a user agent; keep the browser's own.
		v, err := chromedp.CallBrowser(ctx, cdpbrowser.GetVersion, cdp.Empty{})
		if err != nil {
			return err
		}
		_, err = cdp.Call(ctx, target, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
			UserAgent:      v.UserAgent,
			AcceptLanguage: tab.cfg.acceptLanguage,
		})
		return err
	})
}

// Do runs the actions in order, each within the action timeout, and fails
// the test at the first error.
func (tab *Tab) Do(actions ...chromedp.Action[chromedp.Void]) {
	tab.t.Helper()
	for i, a := range actions {
		if _, err := runTimed(tab, a); err != nil {
			tab.t.Fatalf("browser action %d of %d: %v", i+1, len(actions), err)
		}
	}
}

// Run runs one action that returns a value (chromedp.Text, Evaluate, ...)
// within the tab's action timeout, failing the test on error.
func Run[T any](tab *Tab, a chromedp.Action[T]) T {
	tab.t.Helper()
	v, err := runTimed(tab, a)
	if err != nil {
		tab.t.Fatalf("browser action: %v", err)
	}
	return v
}

func runTimed[T any](tab *Tab, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(tab.Context, tab.cfg.actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	switch {
	case err == nil || !errors.Is(err, context.DeadlineExceeded):
	case tab.Context.Err() != nil:
		err = fmt.Errorf("the tab's %v lifetime is over: %w", tab.cfg.lifetime, err)
	default:
		err = fmt.Errorf("timed out after %v: %w", tab.cfg.actionTimeout, err)
	}
	return v, err
}

// ConsoleErrors returns the tab's console errors so far: console.error
// calls, uncaught exceptions, and the browser's own error entries, which
// include Content-Security-Policy violations (blocked inline scripts or
// styles, other hosts) and resources that failed to load.
func (tab *Tab) ConsoleErrors() []string {
	tab.t.Helper()
	// A round trip: the tab handles every event the browser sent before its
	// answer, so errors of what already happened are all recorded.
	_, _ = runTimed(tab, chromedp.Evaluate[chromedp.Void]("0"))
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return append([]string(nil), tab.errors...)
}

// AssertNoConsoleErrors fails the test (without stopping it) if the tab
// had any console error, exception or CSP violation.
func (tab *Tab) AssertNoConsoleErrors() {
	tab.t.Helper()
	if errs := tab.ConsoleErrors(); len(errs) > 0 {
		tab.t.Errorf("browser console had %d error(s):\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
}

// listen records and logs the tab's console errors. It runs in the tab's
// event loop, so it must be quick and send no command.
func (tab *Tab) listen(ev any) {
	var kind, text, where string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		kind, text = "console."+string(ev.Type), consoleArgs(ev.Args)
		if st := ev.StackTrace; st != nil && len(st.CallFrames) > 0 {
			where = fmt.Sprintf("%s:%d", st.CallFrames[0].URL, st.CallFrames[0].LineNumber+1)
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		kind, text = "exception", d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			desc, _, _ := strings.Cut(d.Exception.Description, "\n")
			text += " " + desc
		}
		if d.URL != "" {
			where = fmt.Sprintf("%s:%d", d.URL, d.LineNumber+1)
		}
	case *log.EventEntryAdded:
		e := ev.Entry
		csp := strings.Contains(e.Text, "Content Security Policy")
		if e.Level != log.EntryLevelError && !csp {
			return
		}
		kind, text, where = "browser "+string(e.Source), e.Text, e.URL
		if csp {
			kind = "CSP violation"
		}
	default:
		return
	}
	msg := kind + ": " + text
	if where != "" {
		msg += " (" + where + ")"
	}
	tab.mu.Lock()
	defer tab.mu.Unlock()
	tab.errors = append(tab.errors, msg)
	if !tab.finished {
		tab.t.Log("browser: " + msg)
	}
}

func consoleArgs(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case a.Type == runtime.RemoteObjectTypeString:
			var s string
			if err := json.Unmarshal(a.Value, &s); err == nil {
				parts = append(parts, s)
				continue
			}
			parts = append(parts, string(a.Value))
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// Screenshot saves a PNG of the whole page as ArtifactDir()/<name>.png and
// returns its path.
func (tab *Tab) Screenshot(name string) string {
	tab.t.Helper()
	png := Run(tab, chromedp.FullScreenshot(100))
	path, err := writeArtifact(name+".png", png)
	if err != nil {
		tab.t.Fatal(err)
	}
	return path
}

// ScreenshotJPEG saves a JPEG of the whole page as ArtifactDir()/<name>.jpg
// and returns its path: quicker to take and smaller than Screenshot's PNG,
// for a test that keeps hundreds.
func (tab *Tab) ScreenshotJPEG(name string) string {
	tab.t.Helper()
	jpeg := Run(tab, chromedp.FullScreenshot(75))
	path, err := writeArtifact(name+".jpg", jpeg)
	if err != nil {
		tab.t.Fatal(err)
	}
	return path
}

// ArtifactDir is where screenshots and the HTML of failed browser tests go:
// <temp dir>/missiongrants-browser-<uid>: one folder per user, so one user's
// run never meets another's files (root's left them unwritable to others).
func ArtifactDir() string {
	return filepath.Join(os.TempDir(), "missiongrants-browser-"+strconv.Itoa(os.Getuid()))
}

// saveArtifacts keeps what the page looked like when the test failed. It
// works on the raw context: the tab's lifetime may be what ran out.
func (tab *Tab) saveArtifacts() {
	ctx, cancel := context.WithTimeout(tab.raw, artifactTimeout)
	defer cancel()
	name := artifactName(tab.t.Name())
	url, _ := chromedp.Run(ctx, chromedp.Location())
	var saved []string
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err != nil {
		tab.t.Logf("browser: no screenshot of the failed page: %v", err)
	} else if path, err := writeArtifact(name+".png", png); err != nil {
		tab.t.Log(err)
	} else {
		saved = append(saved, path)
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.outerHTML")); err != nil {
		tab.t.Logf("browser: no HTML of the failed page: %v", err)
	} else if path, err := writeArtifact(name+".html", []byte("<!doctype html>\n<!-- "+url+" -->\n"+html)); err != nil {
		tab.t.Log(err)
	} else {
		saved = append(saved, path)
	}
	if len(saved) > 0 {
		tab.t.Logf("browser: the page at %s when the test failed: %s", url, strings.Join(saved, " "))
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func artifactName(testName string) string {
	return strings.Trim(unsafeName.ReplaceAllString(testName, "_"), "_.")
}

func writeArtifact(name string, data []byte) (string, error) {
	dir := ArtifactDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("testenv: %w", err)
	}
	path := filepath.Join(dir, artifactName(name))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return "", fmt.Errorf("testenv: %w", err)
	}
	return path, nil
}

var (
	chromiumMu  sync.Mutex
	chromiumCtx context.Context // the browser's chromedp context, once started
)

// sharedChromium returns the chromedp context of the test process's
// Chromium, starting it on first use; Main stops it.
func sharedChromium() (context.Context, error) {
	chromiumMu.Lock()
	defer chromiumMu.Unlock()
	if chromiumCtx != nil {
		return chromiumCtx, nil
	}
	path := findChromium()
	if path == "" {
		return nil, errors.New("testenv: Chromium is not installed (no /usr/bin/chromium, chromium, chromium-browser or google-chrome): run ./scripts/test as root once, which installs Debian's chromium")
	}
	done := testenv.Starting()
	defer done()

	out := &chromiumOutput{}
	// chromedp gives the browser a fresh --user-data-dir in the temp dir
	// and removes it when the browser stops.
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromiumFlags...)
	opts = append(opts, chromedp.ExecPath(path), chromedp.CombinedOutput(out))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	// The first action binds the browser to the context it is given, so it
	// gets ctx itself; a timer bounds the start instead.
	timer := time.AfterFunc(startTimeout, cancel)
	err := chromedp.Do(ctx)
	if !timer.Stop() {
		err = fmt.Errorf("no browser within %v: %v", startTimeout, err)
	}
	if err != nil {
		cancel()
		cancelAlloc()
		return nil, fmt.Errorf("testenv: starting %s: %w; output: %s", path, err, out.String())
	}
	chromiumCtx = ctx
	testenv.AtExit(func() {
		chromiumMu.Lock()
		chromiumCtx = nil
		chromiumMu.Unlock()
		closeCtx, cancelClose := context.WithTimeout(ctx, 10*time.Second)
		_ = chromedp.Cancel(closeCtx) // closes the browser gracefully
		cancelClose()
		cancel()
		cancelAlloc() // waits for the process and removes its profile
	})
	return ctx, nil
}

func findChromium() string {
	for _, name := range chromiumPaths {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// chromiumOutput keeps the last few KiB of Chromium's output, to explain a
// failed start.
type chromiumOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *chromiumOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	if o.buf.Len() > 8<<10 {
		o.buf.Next(o.buf.Len() - 4<<10)
	}
	return len(p), nil
}

func (o *chromiumOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.TrimSpace(o.buf.String())
}
