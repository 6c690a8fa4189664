package testenv

import (
	"testing"
	"time"
)

// Eventually waits until cond holds, asking every 20 ms, and fails the test
// with what after timeout: how tests wait for something another process or
// goroutine does, instead of sleeping a guessed time.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, timeout)
		}
		<-tick.C
	}
}
