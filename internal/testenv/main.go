// Package testenv starts the services tests need (PostgreSQL through dbtest,
// mailpit, tools built from the Go module proxy) and stops them when the test
// binary ends. A test never skips for lack of a service: it starts it.
package testenv

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
	"testing"
)

var (
	exitMu    sync.Mutex
	exitFuncs []func()
)

// AtExit registers f to run when Main ends the test binary. Packages that
// start a process-wide service lazily (dbtest's cluster) register its stop.
func AtExit(f func()) {
	exitMu.Lock()
	defer exitMu.Unlock()
	exitFuncs = append(exitFuncs, f)
}

// runAtExit runs the registered functions once, newest first.
func runAtExit() {
	exitMu.Lock()
	funcs := exitFuncs
	exitFuncs = nil
	exitMu.Unlock()
	for i := len(funcs) - 1; i >= 0; i-- {
		funcs[i]()
	}
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
		runAtExit()
		os.Exit(130)
	}()
	code := m.Run()
	signal.Stop(sig)
	runAtExit()
	os.Exit(code)
}
