package main

import (
	"strings"
	"testing"
)

// A package that timed out reports no result for the test it stopped in:
// the summary counts that test as failed and shows what it wrote.
func TestATestThatNeverEndedFails(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"panic: test timed out after 20m0s\n"}`,
		`{"Action":"run","Package":"p","Test":"TestB"}`,
		`{"Action":"pass","Package":"p","Test":"TestB"}`,
		`{"Action":"skip","Package":"p","Test":"TestC"}`,
		`{"Action":"fail","Package":"p"}`,
	}, "\n")
	var out strings.Builder
	if summarize(strings.NewReader(in), &out) {
		t.Fatal("a run with a test that never ended passed")
	}
	for _, want := range []string{"--- DID NOT END: p TestA", "panic: test timed out", "1 passed, 1 failed, 1 skipped"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the summary lacks %q:\n%s", want, out.String())
		}
	}
}

func TestAPassingRunPasses(t *testing.T) {
	in := `{"Action":"run","Package":"p","Test":"TestA"}` + "\n" + `{"Action":"pass","Package":"p","Test":"TestA"}` + "\n" + `{"Action":"pass","Package":"p"}`
	var out strings.Builder
	if !summarize(strings.NewReader(in), &out) || !strings.Contains(out.String(), "1 passed, 0 failed, 0 skipped") {
		t.Fatalf("a passing run: %s", out.String())
	}
}
