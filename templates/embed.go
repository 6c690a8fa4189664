// Package templates embeds the HTML pages. The emails are compiled templ
// components in package templates/mail.
package templates

import "embed"

// FS holds layout/, partials/ and pages/.
//
//go:embed layout partials pages
var FS embed.FS
