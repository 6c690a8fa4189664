package pages

import (
	"strings"

	"github.com/a-h/templ"

	"missiongrants/internal/web/view"
)

// Field is one form control's label, value and messages, for TextField,
// DateField, TextArea, Select and RadioGroup. Its id is "f-"+Name, which
// the error summary links to.
type Field struct {
	Name string
	// ID is the control's id without "f-" when it is not Name (a budget
	// line's "budget_amount_2").
	ID    string
	Label string
	Value string
	// Error is the field's message in the page's language, "" when none.
	Error string
	// Hint is a line of help under the label, "" when none.
	Hint string
	// Type is the input's type, "text" when empty.
	Type         string
	Autocomplete string
	Inputmode    string
	Max          int // maxlength, 0 for none
	Rows         int // a textarea's rows, 4 when 0
	Required     bool
	// Class adds to a group's fieldset class ("mine", "scale").
	Class string
	// Legend, when set, is a group's legend instead of Label (a
	// criterion's name and its weight).
	Legend templ.Component
	// Stacked shows a group's choices one under another.
	Stacked bool
	// Any is the label of a select's first, empty choice ("Any"), "" for none.
	Any string
}

func (f Field) id() string {
	if f.ID != "" {
		return "f-" + f.ID
	}
	return "f-" + f.Name
}

func (f Field) inputType() string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

func (f Field) rows() int {
	if f.Rows == 0 {
		return 4
	}
	return f.Rows
}

// describedBy names the hint and the error that describe the control.
func (f Field) describedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.id()+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.id()+"-error")
	}
	return strings.Join(ids, " ")
}

// summaryLine is one mistake in the error summary: "Label: message".
func summaryLine(p *view.Page, e view.FieldError) string {
	if l := p.FieldLabel(e.Name); l != "" {
		return l + ": " + e.Message
	}
	return e.Message
}

// or is a, or b when a is empty.
func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
