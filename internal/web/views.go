package web

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"text/template/parse"

	"missiongrants/internal/i18n"
)

// views are the parsed pages by language, then by name: one template set per
// file in pages/, each with the layout and partials.
//
// Each language has its own sets so that {{.T "key"}}, which has no other
// argument, is translated once here rather than on every render: a board
// page holds a hundred or more of them, and each call through html/template
// costs reflection and allocations (about a fifth of a page's CPU before).
// The translation becomes a string constant in the parse tree, before
// html/template adds its escapers, so it is escaped as the call's result was.
// Then, once html/template has escaped the page, a constant that its escaper
// would leave as it is becomes plain text, so rendering it costs nothing.
type views struct {
	pages map[string]map[string]*template.Template
}

func loadViews(fsys fs.FS, funcs template.FuncMap, cat *i18n.Catalog) (*views, error) {
	names, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]map[string]*template.Template{}}
	for _, l := range i18n.Languages {
		base, err := template.New("").Funcs(funcs).ParseFS(fsys, "layout/*.html", "partials/*.html")
		if err != nil {
			return nil, err
		}
		v.pages[l] = map[string]*template.Template{}
		for _, name := range names {
			t, err := template.Must(base.Clone()).ParseFS(fsys, name)
			if err != nil {
				return nil, err
			}
			for _, d := range t.Templates() {
				if d.Tree != nil {
					translateConstants(d.Tree.Root, func(key string) string { return cat.T(l, key) })
				}
			}
			// html/template escapes a page on its first execution; there is
			// no other way to ask for it. Without data the execution fails
			// at once, after the escaping; a page that cannot be escaped
			// stops start-up here rather than at a person's request.
			var escapeErr *template.Error
			if err := t.ExecuteTemplate(io.Discard, "base", nil); errors.As(err, &escapeErr) {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			for _, d := range t.Templates() {
				if d.Tree != nil {
					foldConstantActions(d.Tree.Root)
				}
			}
			v.pages[l][strings.TrimSuffix(path.Base(name), ".html")] = t
		}
	}
	return v, nil
}

// translateConstants replaces every command of the form .T "key" (or $.T,
// $p.T: any receiver ending in T) under n by the string constant tr(key).
func translateConstants(n parse.Node, tr func(string) string) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				translateConstants(c, tr)
			}
		}
	case *parse.ActionNode:
		translateConstants(n.Pipe, tr)
	case *parse.IfNode:
		translateConstants(&n.BranchNode, tr)
	case *parse.RangeNode:
		translateConstants(&n.BranchNode, tr)
	case *parse.WithNode:
		translateConstants(&n.BranchNode, tr)
	case *parse.BranchNode:
		translateConstants(n.Pipe, tr)
		translateConstants(n.List, tr)
		translateConstants(n.ElseList, tr)
	case *parse.TemplateNode:
		translateConstants(n.Pipe, tr)
	case *parse.PipeNode:
		if n != nil {
			for _, c := range n.Cmds {
				translateConstants(c, tr)
			}
		}
	case *parse.CommandNode:
		if len(n.Args) == 2 && isTranslator(n.Args[0]) {
			if key, ok := n.Args[1].(*parse.StringNode); ok {
				key.Text = tr(key.Text)
				key.Quoted = strconv.Quote(key.Text)
				n.Args = n.Args[1:]
				return
			}
		}
		for _, a := range n.Args {
			translateConstants(a, tr)
		}
	}
}

// isTranslator reports whether n names Page.T: .T, $.T, $p.T, .Page.T.
func isTranslator(n parse.Node) bool {
	var ident []string
	switch n := n.(type) {
	case *parse.FieldNode:
		ident = n.Ident
	case *parse.VariableNode:
		ident = n.Ident[1:]
	}
	return len(ident) > 0 && ident[len(ident)-1] == "T"
}

// identityEscapers are html/template's escapers for HTML text and quoted
// attribute values, which return a string without &, <, >, quotes, + and NUL
// unchanged. (Should a Go release rename them, nothing is folded: slower,
// never wrong.)
var identityEscapers = map[string]bool{
	"_html_template_htmlescaper":   true,
	"_html_template_attrescaper":   true,
	"_html_template_rcdataescaper": true,
}

// foldConstantActions replaces, under an escaped tree's list n, every action
// that prints a string constant through identityEscapers only, and that they
// would not change, by the text itself.
func foldConstantActions(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for i, c := range n.Nodes {
			if a, ok := c.(*parse.ActionNode); ok {
				if s, ok := escapedConstant(a.Pipe); ok {
					n.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: a.Pos, Text: []byte(s)}
				}
				continue
			}
			foldConstantActions(c)
		}
	case *parse.IfNode:
		foldConstantActions(n.List)
		foldConstantActions(n.ElseList)
	case *parse.RangeNode:
		foldConstantActions(n.List)
		foldConstantActions(n.ElseList)
	case *parse.WithNode:
		foldConstantActions(n.List)
		foldConstantActions(n.ElseList)
	}
}

// escapedConstant returns the text pipe prints when it is a string constant
// followed by identityEscapers that leave it unchanged.
func escapedConstant(pipe *parse.PipeNode) (string, bool) {
	if pipe == nil || len(pipe.Decl) > 0 || len(pipe.Cmds) < 2 || len(pipe.Cmds[0].Args) != 1 {
		return "", false
	}
	s, ok := pipe.Cmds[0].Args[0].(*parse.StringNode)
	if !ok || strings.ContainsAny(s.Text, "&<>\"'+\x00") {
		return "", false
	}
	for _, c := range pipe.Cmds[1:] {
		if len(c.Args) != 1 {
			return "", false
		}
		if id, ok := c.Args[0].(*parse.IdentifierNode); !ok || !identityEscapers[id.Ident] {
			return "", false
		}
	}
	return s.Text, true
}
