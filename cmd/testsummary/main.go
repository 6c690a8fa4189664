// Command testsummary reads `go test -json` on standard input and writes
// what go test writes without -v: each package's result line, and the
// output of the tests that failed. It ends with one line counting the
// tests, "N passed, N failed, N skipped", and exits 1 when any test or
// package failed, so the test command's status is the tests'.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
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
	var passed, failed, skipped int
	pkgFailed := false
	held := map[string]*strings.Builder{} // a running test's output, shown if it fails
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	in := bufio.NewScanner(os.Stdin)
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
		}
	}
	fmt.Fprintf(out, "%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	if failed > 0 || pkgFailed || in.Err() != nil {
		out.Flush()
		os.Exit(1)
	}
}
