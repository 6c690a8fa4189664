// Command testsummary reads `go test -json` on standard input and writes
// what go test writes without -v: each package's result line, and the
// output of the tests that failed. It ends with one line counting the
// tests, "N passed, N failed, N skipped", and exits 1 when any test or
// package failed, so the test command's status is the tests'. A test that
// never ended (its package timed out or crashed) counts as failed, with
// what it wrote: go test reports no result for it.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// event is one line of go test -json (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

func main() {
	if !summarize(os.Stdin, os.Stdout) {
		os.Exit(1)
	}
}

// summarize writes the summary of the events read from r to w, and
// reports whether every test and package passed.
func summarize(r io.Reader, w io.Writer) bool {
	var passed, failed, skipped int
	pkgFailed := false
	held := map[string]*strings.Builder{} // a running test's output, shown if it fails
	running := map[string]bool{}          // tests started and not ended
	out := bufio.NewWriter(w)
	defer out.Flush()
	in := bufio.NewScanner(r)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	for in.Scan() {
		var e event
		if err := json.Unmarshal(in.Bytes(), &e); err != nil {
			fmt.Fprintln(out, in.Text()) // not JSON: a build error, say; shown as it came
			continue
		}
		key := e.Package + " " + e.Test
		switch {
		case e.Test == "" && e.Action == "output":
			if !strings.HasPrefix(e.Output, "=== ") && e.Output != "PASS\n" {
				out.WriteString(e.Output)
			}
		case e.Test == "":
			pkgFailed = pkgFailed || e.Action == "fail"
			out.Flush()
		case e.Action == "run":
			running[key] = true
		case e.Action == "output":
			if held[key] == nil {
				held[key] = &strings.Builder{}
			}
			held[key].WriteString(e.Output)
		case e.Action == "pass", e.Action == "skip", e.Action == "fail":
			switch e.Action {
			case "pass":
				passed++
			case "skip":
				skipped++
			case "fail":
				failed++
				if b := held[key]; b != nil {
					out.WriteString(b.String())
				}
			}
			delete(held, key)
			delete(running, key)
		}
	}
	for key := range running {
		failed++
		fmt.Fprintf(out, "--- DID NOT END: %s\n", key)
		if b := held[key]; b != nil {
			out.WriteString(b.String())
		}
	}
	fmt.Fprintf(out, "%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	return failed == 0 && !pkgFailed && in.Err() == nil
}
