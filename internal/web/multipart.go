package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/i18n"
	"missiongrants/internal/refusal"
)

// errMalformed: the body is not the multipart form the page sends.
var errMalformed = i18n.Msg("error.document.malformed")

// An upload form's text fields are a few short values (a kind, a date, an
// amount): maxFieldBytes bounds one, and a form may hold at most
// maxFormParts parts and maxFieldsBytes of text in all, so thousands of
// small parts cannot grow a request's memory.
const (
	maxFieldBytes  = 4096
	maxFormParts   = 40
	maxFieldsBytes = 64 << 10
)

// errCSRF: a streamed form that does not begin with this browser's token.
var errCSRF = refusal.Forbidden("error.csrf")

// errTooManyParts: far more parts or text than any of the portal's forms.
var errTooManyParts = refusal.TooLarge("error.form.too_large")

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
	var parts, text int
	if c.GetBool(keyCSRFPending) { // the token comes first, before any file is read
		part, err := mr.NextPart()
		if err != nil || part.FormName() != csrfField {
			return nil, errCSRF
		}
		v, _ := io.ReadAll(io.LimitReader(part, maxFieldBytes))
		if !sameToken(string(v), c.GetString(keyCSRF)) {
			return nil, errCSRF
		}
	}
	for {
		if parts++; parts > maxFormParts {
			return fields, errTooManyParts
		}
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
			if text += len(v); text > maxFieldsBytes {
				return fields, errTooManyParts
			}
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
