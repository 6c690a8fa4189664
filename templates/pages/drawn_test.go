package pages

import (
	"bytes"
	"context"
	"testing"

	"github.com/a-h/templ"
)

func render(t *testing.T, c templ.Component) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// A tag written from memory is the tag drawn, each time, and one label's
// tag is never another's.
func TestDrawnTagsAreTheTagsDrawn(t *testing.T) {
	for range 2 {
		if got, want := render(t, Tag("Vote <due>", "is-due")), render(t, tag("Vote <due>", "is-due")); got != want {
			t.Fatalf("Tag = %q, drawn %q", got, want)
		}
		if got, want := render(t, StatusLabel("approved", "Approved")), render(t, statusLabel("approved", "Approved")); got != want {
			t.Fatalf("StatusLabel = %q, drawn %q", got, want)
		}
	}
	if a, b := render(t, Tag("Recused", "")), render(t, Tag("Recused", "is-off")); a == b {
		t.Fatalf("two classes drew one tag: %q", a)
	}
	if got := render(t, Tag("a<b", "")); got != `<span class="tag">a&lt;b</span>` {
		t.Fatalf("Tag = %q, want its label escaped", got)
	}
}
