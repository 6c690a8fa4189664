// Package templates embeds the HTML pages and email bodies.
package templates

import "embed"

// FS holds layout/, partials/, the html/template pages not yet moved to
// templ (pages/*.html) and mail/.
//
//go:embed layout partials pages/*.html mail
var FS embed.FS
