package web

import (
	"errors"
	"io"
	"mime/multipart"
	"missiongrants/internal/policy"
	"missiongrants/internal/web/view"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/application"
	"missiongrants/internal/document"
	"missiongrants/internal/field"
	"missiongrants/internal/i18n"
)

func (s *Server) documentsPage(c *gin.Context, id int64) (*view.Documents, error) {
	ctx, u := c.Request.Context(), currentUser(c)
	a, f, err := s.apps.Draft(ctx, u, id)
	if err != nil {
		return nil, err
	}
	docs, err := s.docs.List(ctx, u, id)
	if err != nil {
		return nil, err
	}
	missing, err := document.Missing(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	can, err := s.apps.Can(ctx, u, id)
	if err != nil {
		return nil, err
	}
	p := &view.Documents{Page: s.page(c), App: a, Editable: can.Do(policy.Edit),
		MaxBytes: document.FormatSize(s.docs.MaxBytes()), Limit: s.docs.MaxBytes(), Allowed: document.AllowedTypes()}
	if p.Editable {
		p.Kinds = document.Kinds()
	} else if p.Outcomes, err = s.docs.OutcomesOpen(ctx, u, id); err != nil {
		return nil, err
	} else if p.Outcomes {
		p.Kinds = []document.Kind{document.OutcomeReport}
	}
	for _, k := range document.RequiredKinds() {
		present := true
		for _, m := range missing {
			present = present && m != k
		}
		p.Required = append(p.Required, view.RequiredDoc{Kind: k, Present: present})
	}
	// Licences are flagged against the trip's first day: the submitted one,
	// or the draft's while it is being written.
	trip := a.TripStart
	if trip == nil {
		if d, err := field.Date(f.TripStart, false); err == nil && !d.IsZero() {
			trip = &d
		}
	}
	for _, d := range docs {
		row := view.DocumentRow{Document: d, Size: document.FormatSize(d.Size),
			Changeable: p.Editable || p.Outcomes && d.Kind == document.OutcomeReport && d.ApplicationID != nil}
		row.ExpiresSoon = trip != nil && d.LicenceExpiresOn != nil && d.LicenceExpiresOn.Before(*trip)
		p.Documents = append(p.Documents, row)
	}
	return p, nil
}

func (s *Server) documentsShow(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := s.documentsPage(c, id)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "documents", p)
	return nil
}

// maxUploadParts bounds one request's files (a plain form may send several;
// the page's script sends one at a time).
const maxUploadParts = 10

// documentUpload streams each file of a multipart post straight to the
// document store: the form's fields (kind, expires_on) come first, then the
// files; nothing holds a whole file in memory. The page's script asks for
// JSON; a plain form gets the page back with the outcome.
func (s *Server) documentUpload(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx, u := c.Request.Context(), currentUser(c)
	a, err := s.apps.Get(ctx, u, id)
	if err != nil {
		return err
	}
	// Who may upload is known before the body is read: a refused person's
	// files are never read, let alone stored.
	if err := s.docs.MayAdd(ctx, u, id); err != nil {
		return s.uploadRefused(c, id, err, "", "")
	}
	uploaded := 0
	fields, err := streamForm(c, maxUploadParts*(s.docs.MaxBytes()+1<<20), func(fields url.Values, part *multipart.Part) error {
		if part.FormName() != "file" {
			return nil
		}
		if uploaded == maxUploadParts {
			return i18n.Msg("error.document.too_many", "Max", maxUploadParts)
		}
		uploaded++
		return s.uploadPart(c, a, part, fields.Get("kind"), fields.Get("expires_on"))
	})
	kind, expires := fields.Get("kind"), fields.Get("expires_on")
	if err != nil {
		return s.uploadRefused(c, id, err, kind, expires)
	}
	if uploaded == 0 {
		return s.uploadRefused(c, id, i18n.Msg("error.document.empty"), kind, expires)
	}
	if wantsJSON(c) {
		c.JSON(http.StatusOK, gin.H{"message": s.cat.T(lang(c), "flash.document_uploaded", "Count", uploaded)})
		return nil
	}
	s.flash(c, "flash.documents_uploaded")
	c.Redirect(http.StatusSeeOther, appURL(id)+"/documents")
	return nil
}

func (s *Server) uploadPart(c *gin.Context, a *application.Application, part *multipart.Part, kind, expires string) error {
	in := document.UploadInput{OrganizationID: a.OrganizationID, ApplicationID: &a.ID, Kind: document.Kind(kind),
		Filename: part.FileName(), Body: part}
	if expires != "" {
		d, err := field.Date(expires, false)
		if err != nil {
			return i18n.FieldErrors{"expires_on": err.(i18n.Message)}
		}
		in.ExpiresOn = &d
	}
	_, err := s.docs.Upload(c.Request.Context(), s.actor(c), currentUser(c), in)
	if s.metrics != nil {
		outcome := "accepted"
		if err != nil {
			outcome = "refused"
		}
		s.metrics.Uploads.WithLabelValues(outcome).Inc()
	}
	return err
}

// uploadRefused answers a refused upload: the reason in the person's
// language, as JSON for the page's script or on the page itself.
func (s *Server) uploadRefused(c *gin.Context, id int64, err error, kind, expires string) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		err = i18n.Msg("error.document.too_large", "Limit", document.FormatSize(s.docs.MaxBytes()))
	}
	fields, form, ok := s.formErrors(c, err)
	if !ok {
		return err
	}
	if wantsJSON(c) {
		msg := form
		for _, m := range fields {
			msg = strings.TrimSpace(msg + " " + m)
		}
		c.JSON(http.StatusUnprocessableEntity, gin.H{"error": msg})
		return nil
	}
	p, perr := s.documentsPage(c, id)
	if perr != nil {
		return perr
	}
	p.Errors, p.FormError, p.Kind, p.ExpiresOn = fields, form, kind, expires
	s.render(c, http.StatusUnprocessableEntity, "documents", p)
	return nil
}

func wantsJSON(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept"), "application/json")
}

// documentDownload streams a document with its cleaned name, as an
// attachment (never shown inline: the browser must not run what a charity
// uploaded).
func (s *Server) documentDownload(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	d, body, err := s.docs.Open(c.Request.Context(), s.actor(c), currentUser(c), id)
	if err != nil {
		return err
	}
	defer body.Close()
	h := c.Writer.Header()
	h.Set("Content-Disposition", document.ContentDisposition(d.Filename))
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Length", strconv.FormatInt(d.Size, 10))
	h.Set("Cache-Control", "private, no-store")
	c.Status(http.StatusOK)
	_, err = io.Copy(c.Writer, body)
	if err != nil {
		logger(c).Warn("download interrupted", "document_id", id, "error", err)
	}
	return nil
}

func (s *Server) documentDelete(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx, u := c.Request.Context(), currentUser(c)
	d, err := s.docs.Get(ctx, u, id)
	if err != nil {
		return err
	}
	if err := s.docs.Delete(ctx, s.actor(c), u, id); err != nil {
		return s.documentRefused(c, d, err)
	}
	s.flash(c, "flash.document_deleted")
	c.Redirect(http.StatusSeeOther, documentsURL(d))
	return nil
}

// documentReplace streams the new file in place of the old one.
func (s *Server) documentReplace(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx, u := c.Request.Context(), currentUser(c)
	d, err := s.docs.Get(ctx, u, id)
	if err != nil {
		return err
	}
	replaced := false
	_, err = streamForm(c, s.docs.MaxBytes()+1<<20, func(fields url.Values, part *multipart.Part) error {
		if part.FormName() != "file" || replaced {
			return nil
		}
		in := document.ReplaceInput{Filename: part.FileName(), Body: part}
		if t, err := field.Date(fields.Get("expires_on"), false); err == nil && !t.IsZero() {
			in.ExpiresOn = &t
		}
		replaced = true
		_, err := s.docs.Replace(ctx, s.actor(c), u, id, in)
		return err
	})
	if err == nil && !replaced {
		err = i18n.Msg("error.document.empty")
	}
	if err != nil {
		return s.documentRefused(c, d, err)
	}
	s.flash(c, "flash.document_replaced")
	c.Redirect(http.StatusSeeOther, documentsURL(d))
	return nil
}

func (s *Server) documentRefused(c *gin.Context, d *document.Document, err error) error {
	if d.ApplicationID == nil {
		return err
	}
	return s.uploadRefused(c, *d.ApplicationID, err, "", "")
}

func documentsURL(d *document.Document) string {
	if d.ApplicationID == nil {
		return "/organizations/" + strconv.FormatInt(d.OrganizationID, 10)
	}
	return appURL(*d.ApplicationID) + "/documents"
}
