// Package templates embeds the HTML pages. The emails are compiled templ
// components in package templates/mail.
package templates

import "embed"

// FS holds layout/, partials/ and the html/template pages not yet moved
// to templ (pages/*.html).
//
//go:embed layout partials pages/*.html
var FS embed.FS
