package document

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxFilenameBytes caps a cleaned filename: far below the 255 bytes file
// systems allow, and short enough for any header.
const MaxFilenameBytes = 180

// maxExtBytes: a longer "extension" is just part of the name.
const maxExtBytes = 16

// CleanFilename turns the name a browser sent into one that is safe to
// show and to put in Content-Disposition: the last path element only (a
// browser may send "C:\Users\ana\budget.xlsx" or "../../x"), no control or
// invisible formatting characters (a right-to-left override can make
// "exe.pdf" read as "fdp.exe"), none of the characters Windows forbids,
// spaces collapsed, no leading dot, at most MaxFilenameBytes, the
// extension kept when cut. Letters of every script are kept, in NFC form.
// It may return "" (nothing usable was sent).
func CleanFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	space := false
	for _, r := range norm.NFC.String(name) {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Co, r), r == utf8.RuneError:
			continue // control, format (bidi overrides, zero-width), private use
		case strings.ContainsRune(`<>:"|?*`, r):
			r = '_'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	// Again after dropping characters: marks that stood either side of a
	// dropped one now meet, and must be put in their canonical order.
	return capFilename(trimName(norm.NFC.String(b.String())))
}

// trimName drops the leading dots and spaces (hidden files, "..") and the
// trailing ones Windows silently removes.
func trimName(s string) string {
	return strings.TrimRight(strings.TrimLeft(s, ". "), ". ")
}

// capFilename cuts name to MaxFilenameBytes on a character boundary,
// keeping a short extension.
func capFilename(name string) string {
	if len(name) <= MaxFilenameBytes {
		return name
	}
	ext := path.Ext(name)
	if len(ext) > maxExtBytes || len(ext) == len(name) {
		ext = ""
	}
	base := name[:len(name)-len(ext)]
	cut := MaxFilenameBytes - len(ext)
	for cut > 0 && !utf8.RuneStart(base[cut]) {
		cut--
	}
	// Normalizing again: a cut can leave a base character whose combining
	// mark was dropped, which NFC may write differently.
	return trimName(norm.NFC.String(strings.TrimRight(base[:cut], ". ")) + ext)
}

// storedFilename is the name kept for a file of format f: the cleaned name,
// with f's extension added when the name has none that fits the content,
// so the file opens in the right program once downloaded.
func storedFilename(sent string, f format) string {
	name := CleanFilename(sent)
	if name == "" {
		name = "document"
	}
	ext := strings.ToLower(path.Ext(name))
	for _, e := range f.exts {
		if ext == e {
			return name
		}
	}
	return capFilename(name + f.exts[0])
}

// ContentDisposition is the header value that makes a browser download a
// file as filename (which CleanFilename has made safe): an ASCII fallback
// for old clients and the exact UTF-8 name (RFC 6266, RFC 5987).
func ContentDisposition(filename string) string {
	var ascii strings.Builder
	for _, r := range filename {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			r = '_'
		}
		ascii.WriteRune(r)
	}
	var enc strings.Builder
	for i := 0; i < len(filename); i++ {
		if c := filename[i]; isAttrChar(c) {
			enc.WriteByte(c)
		} else {
			fmt.Fprintf(&enc, "%%%02X", c)
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + enc.String()
}

// isAttrChar: the bytes RFC 5987 lets stand for themselves in filename*.
func isAttrChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
