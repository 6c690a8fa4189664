package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// visitor is one person's browser: their cookies, kept by hand so that
// many goroutines may share one person's session, as tabs do.
type visitor struct {
	base    string
	cookies map[string]string
	ip      string // the address the proxy says the request came from
}

// client signs people in and reads pages once (the load itself is sent by
// the generator's process, attack.go).
var client = &http.Client{
	Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256, DisableCompression: true},
	Timeout:   2 * time.Minute,
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

func newVisitor(base string) *visitor { return &visitor{base: base, cookies: map[string]string{}} }

// request is a request with the visitor's cookies and address.
func (v *visitor) request(ctx context.Context, method, path string, form url.Values) (*http.Request, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, v.base+path, body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if v.ip != "" {
		req.Header.Set("X-Forwarded-For", v.ip)
	}
	for name, value := range v.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	return req, nil
}

// send sends one request; the caller reads and closes the answer.
func (v *visitor) send(ctx context.Context, method, path string, form url.Values) (*http.Response, error) {
	req, err := v.request(ctx, method, path, form)
	if err != nil {
		return nil, err
	}
	return client.Do(req)
}

// step sends a request of the login and keeps the cookies it sets; only
// the login phase calls it, before visitors are shared.
func (v *visitor) step(ctx context.Context, method, path string, form url.Values) (int, error) {
	resp, err := v.send(ctx, method, path, form)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	for _, c := range resp.Cookies() {
		v.cookies[c.Name] = c.Value
	}
	return resp.StatusCode, nil
}

// target is a request of the visitor's, for the load generator.
func (v *visitor) target(method, path string, form url.Values) vegeta.Target {
	t := vegeta.Target{Method: method, URL: v.base + path, Header: http.Header{}}
	if form != nil {
		t.Body = []byte(form.Encode())
		t.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if v.ip != "" {
		t.Header.Set("X-Forwarded-For", v.ip)
	}
	var cookies []string
	for name, value := range v.cookies {
		cookies = append(cookies, (&http.Cookie{Name: name, Value: value}).String())
	}
	slices.Sort(cookies)
	if len(cookies) > 0 {
		t.Header.Set("Cookie", strings.Join(cookies, "; "))
	}
	return t
}

// measurement is one attack, and the CPU time spent meanwhile by this
// process (the portal, or the ceiling; the generator is another process)
// and by PostgreSQL.
type measurement struct {
	attackResult
	self, server time.Duration
	tail         tail // the open loop's: its slow requests, and the machine meanwhile
}

func (m measurement) rps() float64 { return float64(m.Requests) / max(m.Elapsed.Seconds(), 1e-9) }

// cpuPerRequest is the CPU time one request costs, the portal's and
// PostgreSQL's together.
func (m measurement) cpuPerRequest() time.Duration {
	return (m.self + m.server) / time.Duration(max(m.Sent, 1))
}

// hammer runs one attack and reads the CPU counters around it.
func hammer(a *attacker, cpu cpuMeter, spec attackSpec) (measurement, error) {
	before := cpu.now()
	r, err := a.run(spec)
	m := measurement{attackResult: r}
	m.self, m.server = cpu.now().since(before)
	return m, err
}
