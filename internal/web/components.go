package web

import (
	"github.com/a-h/templ"

	"missiongrants/templates/pages"
)

// components are the pages, by the view name handlers pass to render, each
// a templ component (templates/pages/*.templ).
var components = map[string]func(data any) (templ.Component, bool){
	"board_queue":         component(pages.BoardQueue),
	"assign_plan":         component(pages.AssignPlan),
	"standing_conflicts":  component(pages.StandingConflicts),
	"home":                component(pages.Home),
	"dashboard":           component(pages.Dashboard),
	"admin_dashboard":     component(pages.AdminDashboard),
	"application_edit":    component(pages.ApplicationEdit),
	"application_tasks":   component(pages.ApplicationTasks),
	"application_check":   component(pages.ApplicationCheck),
	"application_delete":  component(pages.ApplicationDelete),
	"report":              component(pages.Report),
	"documents":           component(pages.Documents),
	"account_show":        component(pages.AccountShow),
	"admin_rounds":        component(pages.AdminRounds),
	"concept_note":        component(pages.ConceptNote),
	"admin_users":         component(pages.AdminUsers),
	"admin_criteria":      component(pages.AdminCriteria),
	"admin_audit":         component(pages.AdminAudit),
	"impact":              component(pages.Impact),
	"outcomes":            component(pages.Outcomes),
	"organization_show":   component(pages.OrganizationShow),
	"organization_form":   component(pages.OrganizationForm),
	"eligibility":         component(pages.Eligibility),
	"login":               component(pages.Login),
	"login_code":          component(pages.LoginCode),
	"signup":              component(pages.Signup),
	"message":             component(pages.Message),
	"token_confirm":       component(pages.TokenConfirm),
	"password_forgot":     component(pages.PasswordForgot),
	"password_reset":      component(pages.PasswordReset),
	"invitation_accept":   component(pages.InvitationAccept),
	"two_factor_setup":    component(pages.TwoFactorSetup),
	"recovery_codes":      component(pages.RecoveryCodes),
	"error":               component(pages.Error),
	"admin_user_show":     component(pages.AdminUserShow),
	"application_version": component(pages.ApplicationVersion),
	"admin_minutes":       component(pages.AdminMinutes),
	"admin_exports":       component(pages.AdminExports),
	"screening_queue":     component(pages.ScreeningQueue),
	"application_new":     component(pages.ApplicationNew),
	"agreement":           component(pages.Agreement),
	"admin_agreement":     component(pages.AdminAgreement),
	"application_show": func(data any) (templ.Component, bool) {
		p, ok := data.(*applicationShowPage)
		if !ok {
			return nil, false
		}
		return pages.ApplicationShow(&p.ApplicationShow), true
	},
}

// component adapts a page's component to render's data, which handlers
// pass as a value or a pointer; false when data is of another type.
func component[T any](f func(*T) templ.Component) func(any) (templ.Component, bool) {
	return func(data any) (templ.Component, bool) {
		switch d := data.(type) {
		case *T:
			return f(d), true
		case T:
			return f(&d), true
		}
		return nil, false
	}
}
