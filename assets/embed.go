// Package assets embeds the stylesheets, scripts and images: nothing is
// loaded from another host.
package assets

import "embed"

// FS holds css/, js/ and img/.
//
//go:embed css js img
var FS embed.FS
