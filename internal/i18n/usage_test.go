package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every key that a template or Go file names must exist in every language,
// so no person ever sees a raw key.
func TestEveryUsedKeyIsTranslated(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..")
	goKey := regexp.MustCompile(`"((?:error|flash|page|mail|field|nav|action|role|form|app|footer|audit|board|chart|stages|export|date|papers|criteria|design|checks|meta)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*)"`)
	used := map[string]string{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		// The pages' components (.templ) name their keys as Go does.
		if !strings.HasSuffix(path, ".templ") && (!strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 20 {
		t.Fatalf("found only %d keys: the scan is broken", len(used))
	}
	delete(used, "mail.send") // a job kind, not a text
	for key, where := range used {
		for _, lang := range Languages {
			if !c.Has(lang, key) {
				t.Errorf("%s uses %q, missing in %s", where, key, lang)
			}
		}
	}
}
