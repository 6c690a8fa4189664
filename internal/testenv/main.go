// Package testenv starts the services tests need (PostgreSQL through dbtest,
// mailpit, tools built from the Go module proxy) and stops them when the test
// binary ends. A test never skips for lack of a service: it starts it; only
// the fast tier (go test -short) skips those needing more than PostgreSQL
// (Full).
package testenv

import (
	"flag"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	exitMu    sync.Mutex
	exitFuncs []func()
	exiting   bool
	starting  int // services being started (see Starting)
)

// Starting marks a service start in progress; call done after registering
// its stop with AtExit. An interrupt waits for starts in progress, so that a
// service coming up just then is stopped too rather than left running.
func Starting() (done func()) {
	exitMu.Lock()
	starting++
	exitMu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			exitMu.Lock()
			starting--
			exitMu.Unlock()
		})
	}
}

// waitStarts waits (bounded) until no service start is in progress.
func waitStarts(timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		exitMu.Lock()
		n := starting
		exitMu.Unlock()
		if n == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// AtExit registers f to run when Main ends the test binary. Packages that
// start a process-wide service lazily (dbtest's cluster) register its stop.
// Once Main is ending, f runs at once: tests still running after an
// interrupt must not start services that outlive the process.
func AtExit(f func()) {
	exitMu.Lock()
	if exiting {
		exitMu.Unlock()
		f()
		return
	}
	exitFuncs = append(exitFuncs, f)
	exitMu.Unlock()
}

// runAtExit runs the registered functions once, newest first.
func runAtExit() {
	exitMu.Lock()
	funcs := exitFuncs
	exitFuncs = nil
	exiting = true
	exitMu.Unlock()
	for i := len(funcs) - 1; i >= 0; i-- {
		funcs[i]()
	}
}

var finishOnce sync.Once

// finish stops every service; a second caller (tests ending just as an
// interrupt arrives) waits for the first instead of exiting mid-cleanup.
func finish() {
	finishOnce.Do(func() {
		runAtExit()
		waitStarts(30 * time.Second)
	})
}

// Main runs the tests, stops every service this process started, and exits
// with the tests' code. Call it from each package's TestMain:
//
//	func TestMain(m *testing.M) { testenv.Main(m) }
//
// An interrupt (Ctrl-C) also stops them. Services of a binary killed outright
// are cleaned up by the next run (see devdb.StartThrowaway); child processes
// started here die with it.
func Main(m *testing.M) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		finish()
		os.Exit(130)
	}()
	parallelWhileWaiting()
	code := m.Run()
	signal.Stop(sig)
	finish()
	os.Exit(code)
}

// parallelWhileWaiting runs twice as many parallel tests as there are CPUs
// in the fast tier (go test -short, unless -parallel is given): its tests
// spend much of their time waiting for PostgreSQL, another process, and
// with one test per CPU the CPUs idled meanwhile. On two cores the fast
// tier's median went from 66 s (6 runs) to 63 s (8 runs). The full tier
// keeps go test's default: its browser tests share one Chromium.
func parallelWhileWaiting() {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if testing.Short() && !given {
		_ = flag.Set("test.parallel", strconv.Itoa(2*runtime.GOMAXPROCS(0)))
	}
}
