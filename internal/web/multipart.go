package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/i18n"
)

// errMalformed: the body is not the multipart form the page sends.
var errMalformed = i18n.Msg("error.document.malformed")

// maxFieldBytes bounds a text field of an upload form (dates, kinds, amounts).
const maxFieldBytes = 4096

// streamForm reads a multipart post of at most limit bytes as it arrives:
// text fields are collected (forms put them before their files), and each
// file part is handed to file, with the fields read so far, to stream
// wherever it goes; nothing holds a whole file. A file input left empty is
// skipped. It returns the fields.
func streamForm(c *gin.Context, limit int64, file func(fields url.Values, part *multipart.Part) error) (url.Values, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, errMalformed
	}
	fields := url.Values{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return fields, nil
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fields, err
		}
		if err != nil {
			return fields, errMalformed
		}
		if part.FileName() == "" {
			v, _ := io.ReadAll(io.LimitReader(part, maxFieldBytes))
			if part.FormName() != csrfField {
				fields.Add(part.FormName(), string(v))
			}
			continue
		}
		if err := file(fields, part); err != nil {
			return fields, err
		}
	}
}
