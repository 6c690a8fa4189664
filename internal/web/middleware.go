package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"github.com/gin-contrib/gzip"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"missiongrants/internal/config"
	"missiongrants/internal/i18n"
)

// Keys for values kept on the gin context for one request.
const (
	keyRequestID = "request_id"
	keyLog       = "log"
	keyLang      = "lang"
)

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestContext gives each request an id and a logger that carries it, and
// writes one line when the request ends.
func (s *Server) requestContext(c *gin.Context) {
	start := time.Now() // the wall clock: a duration, not the portal's date (s.now)
	id := c.GetHeader("X-Request-ID")
	if !validRequestID.MatchString(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Header("X-Request-ID", id)
	log := s.log.With("request_id", id)
	c.Set(keyRequestID, id)
	c.Set(keyLog, log)

	c.Next()

	status := c.Writer.Status()
	if s.metrics != nil {
		route := c.FullPath()
		if route == "" {
			route = "unmatched" // never the raw path: ids would make endless series
		}
		s.metrics.Requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Inc()
		s.metrics.Latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	log.Log(c.Request.Context(), level, "request",
		"method", c.Request.Method,
		"path", c.Request.URL.Path,
		"status", status,
		"duration_ms", time.Since(start).Milliseconds(),
		"bytes", c.Writer.Size(),
	)
}

// securityHeaders are set on every response, errors and assets included.
// The policy allows no inline script or style and no other host.
func (s *Server) securityHeaders(c *gin.Context) {
	setSecurityHeaders(c.Writer.Header(), s.cfg)
	c.Next()
}

func setSecurityHeaders(h http.Header, cfg *config.Config) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if cfg.BaseURL.Scheme == "https" {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
}

// compress gzips what the browser accepts, pages and assets alike: a page is
// a fifth of its size on a slow line. Documents are sent as they are (PDFs
// and images are compressed already, and are streamed from the store).
var gzipped = gzip.Gzip(gzip.DefaultCompression, gzip.WithExcludedPathsRegexs([]string{`^/documents/\d+$`}))

func (s *Server) compress(c *gin.Context) { gzipped(c) }

// maxFormMemory bounds what a form post may hold; the largest application
// form is far below it. Uploads (documents) have their own limit.
const maxFormMemory = 2 << 20

// limitBody refuses oversized bodies before anything reads them. Upload
// routes stream files and set their own, larger limit.
func (s *Server) limitBody(c *gin.Context) {
	if c.Request.Body != nil && !uploadRoutes[c.FullPath()] {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormMemory)
	}
	s.setDeadlines(c)
	c.Next()
}

// timeouts are how long a request may take to send its body, and its
// answer to be taken, on the slowest line the portal serves.
type timeouts struct {
	body, upload       time.Duration // a form; a file of up to UPLOAD_MAX_BYTES
	answer, longAnswer time.Duration // a page; a document or an export
}

// defaultTimeouts fit a 25 MiB file on a 256 kbit/s line (about 14
// minutes), and a form or a page on any line still in use; a client that
// sends slower holds a connection for no one's benefit.
var defaultTimeouts = timeouts{body: time.Minute, upload: 20 * time.Minute, answer: 2 * time.Minute, longAnswer: 20 * time.Minute}

// longAnswers send files or exports that may take long to download.
var longAnswers = map[string]bool{"/documents/:id": true, "/admin/exports/:file": true, "/admin/minutes.csv": true}

// setDeadlines gives the request's connection its read and write deadlines
// by route (a server-wide ReadTimeout would cut uploads or let forms drag).
func (s *Server) setDeadlines(c *gin.Context) {
	// The connection's deadlines are on the wall clock, not the portal's
	// (s.now), which tests may set to another date.
	rc, now := http.NewResponseController(c.Writer), time.Now()
	read, write := s.timeouts.body, s.timeouts.answer
	if uploadRoutes[c.FullPath()] {
		read, write = s.timeouts.upload, s.timeouts.upload+s.timeouts.answer
	}
	if longAnswers[c.FullPath()] {
		write = s.timeouts.longAnswer
	}
	_ = rc.SetReadDeadline(now.Add(read)) // not supported by test recorders: nothing to bound there
	_ = rc.SetWriteDeadline(now.Add(write))
}

// uploadRoutes take multipart bodies of files (document_pages.go).
var uploadRoutes = map[string]bool{"/applications/:id/documents": true, "/documents/:id/replace": true,
	"/admin/applications/:id/payments": true}

// recoverPanic turns a panic into the friendly error page; the stack goes to
// the log, never to the person.
func (s *Server) recoverPanic(c *gin.Context) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			logger(c).Error("panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			c.Abort()
			s.renderError(c, http.StatusInternalServerError, i18n.Msg("error.http.500"))
		}
	}()
	c.Next()
}

// crossOriginCheck refuses state-changing requests that a browser marks as
// coming from another site (Sec-Fetch-Site, or an Origin that is not ours).
func (s *Server) crossOriginCheck(c *gin.Context) {
	if err := s.cop.Check(c.Request); err != nil {
		logger(c).Warn("cross-origin request refused", "origin", c.GetHeader("Origin"), "sec_fetch_site", c.GetHeader("Sec-Fetch-Site"))
		c.Abort()
		s.renderError(c, http.StatusForbidden, i18n.Msg("error.csrf"))
		return
	}
	c.Next()
}

// language picks the person's language: their account's, else their explicit
// choice (cookie), else the browser's.
func (s *Server) language(c *gin.Context) {
	chosen, _ := c.Cookie(cookieName(s.cfg, langCookie))
	if u := currentUser(c); u != nil {
		chosen = u.Language
	}
	c.Set(keyLang, s.cat.Negotiate(i18n.Normalize(chosen), c.GetHeader("Accept-Language")))
	c.Header("Content-Language", lang(c))
	c.Header("Vary", "Accept-Language, Cookie")
	c.Next()
}

func logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(keyLog); ok {
		return l.(*slog.Logger)
	}
	return slog.Default()
}

func requestID(c *gin.Context) string { return c.GetString(keyRequestID) }

func lang(c *gin.Context) string {
	if l := c.GetString(keyLang); l != "" {
		return l
	}
	return i18n.Default
}
