package web

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/audit"
	"missiongrants/internal/i18n"
	"missiongrants/internal/web/view"
)

// The audit trail for admins: every entry, newest first, filtered by who,
// what, which application and when, a page at a time; and a check that the
// hash chain is intact.

const auditPerPage = 50

func (s *Server) adminAuditPage(c *gin.Context, query url.Values) (*view.AdminAudit, error) {
	in := audit.FilterInput{Who: query.Get("who"), What: query.Get("what"), Application: query.Get("application"),
		From: query.Get("from"), To: query.Get("to"), Before: query.Get("before")}
	p := &view.AdminAudit{Page: s.page(c), Filter: in}
	f, err := in.Filter()
	if err != nil {
		return p, err
	}
	f.Limit = auditPerPage + 1
	entries, err := audit.Search(c.Request.Context(), s.db, f)
	if err != nil {
		return nil, err
	}
	if len(entries) > auditPerPage {
		entries = entries[:auditPerPage]
		query.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		p.Next = "/admin/audit?" + query.Encode()
	}
	if in.Before != "" {
		query.Del("before")
		p.First = "/admin/audit"
		if len(query) > 0 {
			p.First += "?" + query.Encode()
		}
	}
	for _, e := range entries {
		r := view.AuditRow{Entry: e, When: p.Moment(e.At), Who: e.ActorLabel}
		if e.ActorEmail != nil && *e.ActorEmail != e.ActorLabel {
			if r.Who != "" {
				r.Who += " · "
			}
			r.Who += *e.ActorEmail
		}
		if key := "audit.action." + e.Action; s.cat.Has(p.Lang, key) {
			r.What = p.T(key)
		}
		r.Changes = auditChanges(e.Details)
		r.Lang = auditLanguage(e.Details)
		if e.ObjectType == "application" && e.ObjectID != "" {
			r.ObjectLink = "/applications/" + url.PathEscape(e.ObjectID)
		}
		p.Rows = append(p.Rows, r)
	}
	return p, nil
}

func (s *Server) adminAuditShow(c *gin.Context) error {
	p, err := s.adminAuditPage(c, c.Request.URL.Query())
	if err != nil {
		if p == nil {
			return err
		}
		return s.refuse(c, err, &p.Page, "admin_audit", p)
	}
	s.render(c, http.StatusOK, "admin_audit", p)
	return nil
}

// adminAuditVerify recomputes the chain and shows the first page with the
// result: intact, or the first broken entry with a link to it. It changes
// nothing, so it answers with the page itself.
func (s *Server) adminAuditVerify(c *gin.Context) error {
	broken, err := audit.Verify(c.Request.Context(), s.db)
	if err != nil {
		return err
	}
	p, err := s.adminAuditPage(c, url.Values{})
	if err != nil {
		return err
	}
	p.Verified, p.BrokenID = true, broken
	if broken > 0 {
		p.Broken = "/admin/audit?before=" + strconv.FormatInt(broken+1, 10) + "#audit-" + strconv.FormatInt(broken, 10)
	}
	s.render(c, http.StatusOK, "admin_audit", p)
	return nil
}

// auditChanges writes an entry's details as lines a person reads: "name:
// value", and a change recorded as {"from": …, "to": …} as "name: from →
// to"; nothing is left out (the entry's fingerprint covers it all).
func auditChanges(details []byte) []string {
	var fields map[string]any
	if len(details) == 0 || json.Unmarshal(details, &fields) != nil {
		if len(details) > 0 && string(details) != "null" {
			return []string{string(details)}
		}
		return nil
	}
	names := slices.Sorted(maps.Keys(fields))
	out := make([]string, 0, len(names))
	for _, name := range names {
		v := fields[name]
		if m, ok := v.(map[string]any); ok && len(m) == 2 {
			from, hasFrom := m["from"]
			to, hasTo := m["to"]
			if hasFrom && hasTo {
				out = append(out, name+": "+auditValue(from)+" → "+auditValue(to))
				continue
			}
		}
		out = append(out, name+": "+auditValue(v))
	}
	return out
}

// auditLanguage is the language the details say their quoted text is in
// ("language": "es"), or "" when they name none.
func auditLanguage(details []byte) string {
	var d struct {
		Language string `json:"language"`
	}
	if json.Unmarshal(details, &d) != nil || !i18n.Supported(d.Language) {
		return ""
	}
	return d.Language
}

func auditValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "–"
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
