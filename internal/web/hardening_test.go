package web

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"missiongrants/internal/config"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// A body autosave cannot read whole is refused and writes nothing: a text
// over the form's limit, more values than Go reads, or JSON. Each said
// "Draft saved" once, and saved an empty form over the draft.
func TestAutosaveNeverWritesWhatItCouldNotRead(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "en", "Ana")
	app := ch.startEmptyApplication()
	wantStatus(t, ch.autosave(app, url.Values{"title": {"Heart mission 2027"}, "narrative": {"Forty children wait for surgery."}}), http.StatusOK)
	draft := func() string {
		var d string
		if err := s.db.Get(&d, `SELECT draft::text FROM applications WHERE id = $1`, appID(app)); err != nil {
			t.Fatal(err)
		}
		return d
	}
	before := draft()

	raw := func(contentType, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, app+"/autosave", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set(csrfHeader, ch.cookies[csrfCookie])
		req.Header.Set("Accept", "application/json")
		return ch.do(req)
	}
	many := url.Values{"draft_rev": {ch.draftRev(app)}}
	for i := range 10001 {
		many.Add(fmt.Sprintf("v%d", i), "x")
	}
	for _, tc := range []struct {
		what, contentType, body string
		want                    int
	}{
		{"a 2 MiB narrative", "application/x-www-form-urlencoded", url.Values{"narrative": {strings.Repeat("a", 2<<20)}}.Encode(), http.StatusRequestEntityTooLarge},
		{"10,001 values", "application/x-www-form-urlencoded", many.Encode(), http.StatusBadRequest},
		{"JSON", "application/json", `{"title": ""}`, http.StatusBadRequest},
	} {
		rec := raw(tc.contentType, tc.body)
		wantStatus(t, rec, tc.want)
		mustNotContain(t, rec, "saved_at")
		if got := draft(); got != before {
			t.Errorf("%s: the draft changed:\n%s\n%s", tc.what, before, got)
		}
	}
	// The form tells the browser each text's limit, so it cannot be exceeded by typing.
	mustContain(t, ch.get(app+"/edit/need"), `name="narrative" rows="10" maxlength="20000"`)
	mustContain(t, ch.get(app+"/edit/trip"), `name="title" type="text" value="Heart mission 2027" maxlength="200"`)
}

// A signed-in page is never kept by the browser: after signing out on a
// shared phone, Back cannot show it again.
func TestSignedInPagesAreNotKept(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	c := s.loginAs(t, people[demoApplicant])
	for _, path := range []string{"/dashboard", "/account"} {
		if got := c.get(path).Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", path, got)
		}
	}
	if got := s.client(t).get("/").Header().Get("Cache-Control"); got == "no-store" {
		t.Errorf("the public home page need not be refetched: %q", got)
	}
}

// A filter with a NUL byte, or one no person would type (500 KB), comes
// back beside its field at once; both answered 500 or took seconds.
func TestFiltersRefuseWhatNoOneTypes(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	admin := s.loginAs(t, people[demoAdmin])
	long := strings.Repeat("a", 500<<10)
	for _, path := range []string{
		"/admin/users?q=" + url.QueryEscape("ana\x00"),
		"/admin/audit?who=" + url.QueryEscape("ana\x00"),
		"/admin/audit?what=" + url.QueryEscape("payment\x00"),
	} {
		rec := admin.get(path)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		mustContain(t, rec, `class="field-error"`)
	}
	// A long filter is refused without being searched: well within the
	// request's body limit, the query string carries it.
	req := httptest.NewRequest(http.MethodGet, "/admin/users?q="+long, nil)
	wantStatus(t, admin.do(req), http.StatusUnprocessableEntity)
}

// Names and titles with invisible characters (a right-to-left override
// that makes "Heart" read otherwise, zero-width spaces) are refused.
func TestNamesWithInvisibleCharactersAreRefused(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "en", "Ana")
	rec := ch.post("/organizations", url.Values{"legal_name": {"Heart\u202Efdp.exe"}, "country": {"HN"}, "registration_number": {"R-9"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "invisible characters")
}

// Over HTTPS the cookies take the __Host- prefix: the browser keeps them
// to this host, path /, Secure, so a neighbouring subdomain cannot set them.
func TestCookiesTakeTheHostPrefixOverHTTPS(t *testing.T) {
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"BASE_URL": "https://grants.example.org", "DATABASE_URL": "postgres://db/x"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	sm := newSessions(cfg, nil)
	if sm.Cookie.Name != "__Host-"+sessionCookie || !sm.Cookie.Secure || sm.Cookie.Path != "/" || sm.Cookie.Domain != "" {
		t.Errorf("session cookie %+v", sm.Cookie)
	}
	if got := cookieName(cfg, csrfCookie); got != "__Host-"+csrfCookie {
		t.Errorf("CSRF cookie %q", got)
	}
	cfg.CookieSecure = false // plain HTTP on this machine: the prefix would make browsers drop the cookie
	if got := cookieName(cfg, csrfCookie); got != csrfCookie {
		t.Errorf("over HTTP the CSRF cookie is %q", got)
	}
}

// countingBody counts what the server read of a request's body.
type countingBody struct {
	r    io.Reader
	read int
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read += n
	return n, err
}

// An upload of thousands of small text parts is refused after the first
// few dozen, having read a small part of it: each part was kept in memory,
// and four such posts took the process from 300 MB to 1 GB. Someone who may
// not upload at all is refused before any of the body is read.
func TestUploadsReadNoMoreThanAFormHolds(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "en", "Ana")
	app := ch.startEmptyApplication()
	body := func() *bytes.Buffer {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for i := range 20000 {
			_ = w.WriteField(fmt.Sprintf("f%d", i), strings.Repeat("x", 200))
		}
		_ = w.Close()
		return &b
	}
	post := func(c *client, path string) (*httptest.ResponseRecorder, *countingBody, int) {
		b := body()
		size := b.Len()
		cb := &countingBody{r: b}
		req := httptest.NewRequest(http.MethodPost, path, cb)
		req.Header.Set(csrfHeader, c.cookies[csrfCookie])
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundaryOf(t, b))
		return c.do(req), cb, size
	}
	ch.get(app) // the CSRF cookie
	rec, cb, size := post(ch.client, app+"/documents")
	if rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("thousands of parts answered %d", rec.Code)
	}
	if cb.read > size/20 {
		t.Errorf("read %d of %d bytes before refusing", cb.read, size)
	}
	// Once submitted, its documents are frozen: the body is not read at all.
	if _, err := s.db.Exec(`UPDATE applications SET status = 'submitted', version = 1 WHERE id = $1`, appID(app)); err != nil {
		t.Fatal(err)
	}
	rec, cb, _ = post(ch.client, app+"/documents")
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, "Documents can only be changed while the application is a draft")
	if cb.read > 0 {
		t.Errorf("read %d bytes of an upload refused for its application's state", cb.read)
	}
}

// boundaryOf is the multipart boundary of a body multipart.Writer wrote.
func boundaryOf(t *testing.T, b *bytes.Buffer) string {
	t.Helper()
	line, _, _ := strings.Cut(b.String(), "\r\n")
	return strings.TrimPrefix(line, "--")
}

// A body that never finishes arriving is cut off: only headers had a
// deadline, so a client could hold a connection open for ever.
func TestSlowBodiesAreCutOff(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.timeouts.body = 200 * time.Millisecond // as a slow line would find a minute
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=a", srv.Listener.Addr())
	// The server must end it long before this client gives up.
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, err = io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the server kept waiting for a body that never came")
	}
}

// Upload and payment forms send their CSRF token as their first part, never
// in the address (where it stayed in the address bar and history); a
// streamed form without it is refused before any file is read.
func TestStreamedFormsCarryTheirTokenInTheBody(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ch := s.newCharity(t, "en", "Ana")
	app := ch.startEmptyApplication()
	mustNotContain(t, ch.get(app+"/documents"), "csrf_token=")
	mustContain(t, ch.get(app+"/documents"), `enctype="multipart/form-data"`, `name="csrf_token"`)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("kind", "other")
	part, _ := w.CreateFormFile("file", "a.pdf")
	_, _ = part.Write(pdfBytes)
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, app+"/documents?"+csrfField+"="+ch.cookies[csrfCookie], &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	wantStatus(t, ch.do(req), http.StatusForbidden) // a token in the address no longer counts
	var n int
	if err := s.db.Get(&n, `SELECT count(*) FROM documents`); err != nil || n != 0 {
		t.Fatalf("%d documents after a refused upload (%v)", n, err)
	}
}

// An amount that could be cents or thousands is not guessed: "0.001" was
// read as US$1.00 and "1.234" as US$1,234.00 in English. It comes back
// beside its field with how to write it; "1.234" in Spanish is 1.234.
func TestAmbiguousAmountsAreAskedNotGuessed(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Ana")
	app := ch.submitted("Heart mission 2027")
	admin := s.loginAs(t, people[demoAdminBoard]) // in English
	sendToBoard(t, admin, app)
	for _, typed := range []string{"1.234", "0.001"} {
		rec := admin.post("/admin"+app+"/vote", url.Values{"proposed": {typed}, "over_budget": {"yes"},
			"closes_at": {time.Now().UTC().Add(72 * time.Hour).Format("2006-01-02T15:04")}})
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		mustContain(t, rec, "Is this in cents or in thousands?", `value="`+typed+`"`)
	}
	if got := s.status(t, app); got != "in_review" {
		t.Fatalf("status %s after refused votes", got)
	}
}

// HEAD is answered as GET without the body: monitors ask HEAD /, which
// answered 405.
func TestHeadIsAnsweredAsGet(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	for _, path := range []string{"/", "/login", "/healthz"} {
		resp, err := http.Head(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(body) != 0 {
			t.Errorf("HEAD %s: %d with %d bytes", path, resp.StatusCode, len(body))
		}
	}
}

// Pages and assets are sent gzipped to a browser that accepts it, and a
// page's length is sent with it, over a real connection: the length of
// what is actually sent, compressed or not, or a browser cuts the page
// short or waits for more.
func TestPagesAreCompressedAndSentWithTheirLength(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(path string, gzipped bool) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if gzipped {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		resp, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	for _, path := range []string{"/", "/login", s.assets.url("css/app.css"), "/no-such-page"} {
		resp, body := fetch(path, true)
		if path != "/no-such-page" && resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: Content-Encoding %q", path, resp.Header.Get("Content-Encoding"))
		}
		if resp.ContentLength >= 0 && resp.ContentLength != int64(len(body)) {
			t.Errorf("%s, gzipped: Content-Length %d for %d bytes", path, resp.ContentLength, len(body))
		}
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if _, err := io.ReadAll(zr); err != nil {
				t.Errorf("%s: %v", path, err)
			}
		}
	}
	for _, path := range []string{"/", "/login", "/no-such-page"} {
		resp, body := fetch(path, false)
		if resp.ContentLength != int64(len(body)) || !bytes.Contains(body, []byte("</html>")) {
			t.Errorf("%s: Content-Length %d for %d bytes, the page whole: %t", path, resp.ContentLength, len(body), bytes.Contains(body, []byte("</html>")))
		}
	}
}
