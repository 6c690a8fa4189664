package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/gin-gonic/gin"
)

// streamForm reads untrusted multipart bodies as they arrive: whatever the
// bytes, it does not panic, hands on only file parts, and keeps no more
// fields or text than a form of the portal holds.
func FuzzStreamForm(f *testing.F) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.SetBoundary("fuzzboundary")
	_ = w.WriteField("kind", "budget_sheet")
	part, _ := w.CreateFormFile("file", "a.pdf")
	_, _ = part.Write([]byte("%PDF-1.4"))
	_ = w.Close()
	f.Add(b.Bytes())
	f.Add([]byte("--fuzzboundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--fuzzboundary--\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		c.Request.Header.Set("Content-Type", "multipart/form-data; boundary=fuzzboundary")
		fields, err := streamForm(c, 1<<20, func(_ url.Values, p *multipart.Part) error {
			if p.FileName() == "" {
				t.Fatalf("a text part %q was handed on as a file", p.FormName())
			}
			return nil
		})
		if err != nil {
			return
		}
		n, text := 0, 0
		for _, vs := range fields {
			for _, v := range vs {
				n, text = n+1, text+len(v)
			}
		}
		if n > maxFormParts || text > maxFieldsBytes {
			t.Fatalf("kept %d fields, %d bytes of text", n, text)
		}
	})
}
