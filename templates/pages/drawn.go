package pages

import (
	"bytes"
	"context"
	"sync"

	"github.com/a-h/templ"
)

// Tags and statuses are drawn once for each label and written from memory
// after that: a queue of 25 rows drew 50 of them, each building its class
// list and escaping its words again, a fifth of the queue's rendering.
// Only components whose labels come from the catalog are drawn so, which
// keeps what is remembered to a few hundred short strings.

// Tag is a short label beside a title ("Recused", "Vote due"); class adds
// to "tag", e.g. "is-due". label must be a catalog message, not anyone's
// words.
func Tag(label, class string) templ.Component {
	return drawn("tag\x00"+label+"\x00"+class, func() templ.Component { return tag(label, class) })
}

// StatusLabel is an application's status, coloured by its name, with its
// label already translated.
func StatusLabel(status, label string) templ.Component {
	return drawn("status\x00"+status+"\x00"+label, func() templ.Component { return statusLabel(status, label) })
}

var drawnHTML sync.Map // key → the component's HTML

// drawn is the HTML draw makes, made once for key; key must name
// everything the HTML depends on.
func drawn(key string, draw func() templ.Component) templ.Component {
	if html, ok := drawnHTML.Load(key); ok {
		return templ.Raw(html.(string))
	}
	var buf bytes.Buffer
	// Rendering into a buffer a component without children cannot fail.
	_ = draw().Render(context.Background(), &buf)
	drawnHTML.Store(key, buf.String())
	return templ.Raw(buf.String())
}
