package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// assetSet serves the embedded assets under a URL that carries the content's
// hash, so browsers may cache them for a year and still see every change.
type assetSet struct {
	files  map[string][]byte
	hashes map[string]string
}

func newAssetSet(fsys fs.FS) (*assetSet, error) {
	a := &assetSet{files: map[string][]byte{}, hashes: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.files[p] = b
		a.hashes[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	return a, err
}

// url is what templates link to; an unknown name panics at render time, which
// the page tests catch.
func (a *assetSet) url(name string) string {
	h, ok := a.hashes[name]
	if !ok {
		panic("unknown asset " + name)
	}
	return "/assets/" + h + "/" + name
}

func (s *Server) asset(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("path"), "/")
	b, ok := s.assets.files[name]
	if !ok {
		c.Status(http.StatusNotFound)
		return
	}
	if c.Param("hash") == s.assets.hashes[name] {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache") // an old page asking for an old hash
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	c.Data(http.StatusOK, ctype, b)
}
