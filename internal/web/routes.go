package web

import "github.com/gin-gonic/gin"

// routes is the one table of every URL the portal answers and who may use it.
// Object-level access (whose application, whose organization) is checked
// again by the domain's queries.
func (s *Server) routes(r *gin.Engine) {
	r.Use(s.requestContext, s.securityHeaders, s.recoverPanic, s.limitBody, s.loadUser, s.language, s.crossOriginCheck, s.csrf)
	r.NoRoute(s.handle(s.notFound))
	r.NoMethod(s.handle(s.methodNotAllowed))

	// Anyone.
	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/assets/:hash/*path", s.asset)
	r.GET("/", s.handle(s.homeShow))
	r.POST("/language", s.handle(s.languageSave))

	r.GET("/login", s.handle(s.loginShow))
	r.POST("/login", s.handle(s.loginSubmit))
	r.GET("/login/code", s.handle(s.loginCodeShow))
	r.POST("/login/code", s.handle(s.loginCodeSubmit))
	r.POST("/logout", s.handle(s.logout))
	r.GET("/signup", s.handle(s.signupShow))
	r.POST("/signup", s.handle(s.signupSubmit))
	r.GET("/account/confirm", s.handle(s.emailConfirmShow))
	r.POST("/account/confirm", s.handle(s.emailConfirmSubmit))
	r.GET("/account/email/confirm", s.handle(s.emailChangeConfirmShow))
	r.POST("/account/email/confirm", s.handle(s.emailChangeConfirmSubmit))
	r.GET("/password/forgot", s.handle(s.passwordForgotShow))
	r.POST("/password/forgot", s.handle(s.passwordForgotSubmit))
	r.GET("/password/reset", s.handle(s.passwordResetShow))
	r.POST("/password/reset", s.handle(s.passwordResetSubmit))
	r.GET("/invitation/accept", s.handle(s.invitationShow))
	r.POST("/invitation/accept", s.handle(s.invitationSubmit))

	// Logged in, two-factor set up or not (where it is set up).
	signed := r.Group("/", s.require(signedIn))
	signed.GET("/account", s.handle(s.accountShow))
	signed.POST("/account/profile", s.handle(s.accountProfileSave))
	signed.POST("/account/password", s.handle(s.accountPasswordSave))
	signed.POST("/account/email", s.handle(s.accountEmailSave))
	signed.GET("/account/two-factor", s.handle(s.twoFactorShow))
	signed.GET("/account/two-factor/qr.png", s.handle(s.twoFactorQR))
	signed.POST("/account/two-factor", s.handle(s.twoFactorConfirm))
	signed.POST("/account/two-factor/disable", s.handle(s.twoFactorDisable))
	signed.POST("/account/sessions/revoke-others", s.handle(s.sessionsRevokeOthers))
	signed.POST("/account/sessions/:id/revoke", s.handle(s.sessionRevoke))

	// Everyone with a complete account.
	members := r.Group("/", s.require(member))
	members.GET("/dashboard", s.handle(s.dashboardShow))
	members.GET("/organizations/new", s.handle(s.organizationNew))
	members.POST("/organizations", s.handle(s.organizationCreate))
	members.GET("/organizations/join", s.handle(s.organizationJoinShow))
	members.POST("/organizations/join", s.handle(s.organizationJoin))
	members.GET("/organizations/:id", s.handle(s.organizationShow))
	members.GET("/organizations/:id/edit", s.handle(s.organizationEdit))
	members.POST("/organizations/:id", s.handle(s.organizationUpdate))
	members.POST("/organizations/:id/invite", s.handle(s.organizationInvite))
	members.GET("/organizations/:id/eligibility", s.handle(s.eligibilityShow))
	members.POST("/organizations/:id/eligibility", s.handle(s.eligibilitySave))
	members.GET("/organizations/:id/applications/new", s.handle(s.applicationNew))
	members.POST("/organizations/:id/applications", s.handle(s.applicationCreate))
	members.GET("/applications/:id", s.handle(s.applicationShow))
	members.GET("/applications/:id/edit", s.handle(s.applicationEdit))
	members.POST("/applications/:id/edit", s.handle(s.applicationSave))
	members.POST("/applications/:id/autosave", s.handle(s.applicationAutosave))
	members.POST("/applications/:id/withdraw", s.handle(s.applicationWithdraw))
	members.POST("/applications/:id/messages", s.handle(s.applicationMessage))
	members.GET("/applications/:id/versions/:version", s.handle(s.applicationVersion))

	// The board: its queue and internal discussion for board members and
	// admins; declaring conflicts, scoring and voting for board members.
	ipa := r.Group("/board", s.require(ipaOnly))
	ipa.GET("/applications", s.handle(s.boardQueueShow))
	ipa.POST("/applications/:id/discussion", s.handle(s.boardDiscuss))
	board := r.Group("/board", s.require(boardOnly))
	board.POST("/applications/:id/conflict", s.handle(s.boardDeclare))
	board.POST("/applications/:id/review", s.handle(s.boardReview))
	board.POST("/applications/:id/ballot", s.handle(s.boardBallot))

	// IPA staff.
	admin := r.Group("/admin", s.require(adminOnly))
	admin.GET("/users", s.handle(s.adminUsersShow))
	admin.POST("/users/invite", s.handle(s.adminUserInvite))
	admin.GET("/users/:id", s.handle(s.adminUserShow))
	admin.POST("/users/:id/roles", s.handle(s.adminUserRolesSave))
	admin.POST("/users/:id/deactivate", s.handle(s.adminUserDeactivate))
	admin.POST("/users/:id/reactivate", s.handle(s.adminUserReactivate))
	admin.GET("/rounds", s.handle(s.adminRoundsShow))
	admin.POST("/rounds", s.handle(s.adminRoundSave))
	admin.GET("/rounds/:id", s.handle(s.adminRoundEdit))
	admin.POST("/rounds/:id", s.handle(s.adminRoundSave))
	admin.POST("/rounds/:id/help", s.handle(s.adminRoundHelpSave))
	admin.POST("/applications/:id/request-info", s.handle(s.applicationRequestInfo))
	admin.GET("/screening", s.handle(s.screeningQueueShow))
	admin.POST("/applications/:id/screen", s.handle(s.applicationScreen))
	admin.POST("/applications/:id/conflicts", s.handle(s.adminConflictRecord))
	admin.POST("/applications/:id/vote", s.handle(s.adminVoteOpen))
	admin.POST("/applications/:id/vote/close", s.handle(s.adminVoteClose))
	admin.GET("/minutes", s.handle(s.adminMinutesShow))
	admin.GET("/minutes.csv", s.handle(s.adminMinutesCSV))
}
