package web

import "github.com/gin-gonic/gin"

// routes is the one table of every URL the portal answers.
func (s *Server) routes(r *gin.Engine) {
	r.Use(s.requestContext, s.securityHeaders, s.recoverPanic, s.language, s.crossOriginCheck, s.csrf)
	r.NoRoute(s.handle(s.notFound))
	r.NoMethod(s.handle(s.methodNotAllowed))

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/assets/:hash/*path", s.asset)

	r.GET("/", s.handle(s.homeShow))
	r.POST("/language", s.handle(s.languageSave))
}
