// Package templates embeds the HTML pages and email bodies.
package templates

import "embed"

// FS holds layout/, partials/, pages/ and mail/.
//
//go:embed layout partials pages mail
var FS embed.FS
