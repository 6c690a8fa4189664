package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// visitor is one person's browser: their cookies, kept by hand so that
// many goroutines may share one person's session, as tabs do.
type visitor struct {
	base    string
	cookies map[string]string
	ip      string // the address the proxy says the request came from
}

// client is shared by every visitor: the load is many browsers, but the
// connections they open are what a proxy in front of the portal would keep.
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

// get fetches path and drops the body; it returns the status.
func (v *visitor) get(ctx context.Context, path string) (int, error) {
	resp, err := v.send(ctx, http.MethodGet, path, nil)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
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

// measurement is one page under load.
type measurement struct {
	requests int
	errors   int
	firstErr string
	elapsed  time.Duration
	p50, p99 time.Duration
	// CPU time spent meanwhile by this process (portal and clients) and by
	// PostgreSQL.
	self, server time.Duration
}

func (m measurement) rps() float64 { return float64(m.requests) / m.elapsed.Seconds() }

// cpuPerRequest is the CPU time one request costs, all processes counted.
func (m measurement) cpuPerRequest() time.Duration {
	return (m.self + m.server) / time.Duration(max(m.requests, 1))
}

// request is one request of a page by worker w, its i-th; it returns the
// answer's status.
type request func(ctx context.Context, w, i int) (int, error)

// hammer runs clients workers, each sending req after req until d is over
// (or max requests in all, when max > 0); it measures every request's
// latency.
func hammer(ctx context.Context, cpu cpuMeter, clients int, d time.Duration, max int64, want int, req request) measurement {
	var (
		mu        sync.Mutex
		latencies = make([]time.Duration, 0, 1<<16)
		errors    int
		firstErr  string
		sent      atomic.Int64
		wg        sync.WaitGroup
	)
	deadline := time.Now().Add(d)
	start := time.Now()
	before := cpu.now()
	for w := range clients {
		wg.Go(func() {
			mine := make([]time.Duration, 0, 1<<12)
			bad, msg := 0, ""
			for i := 0; time.Now().Before(deadline); i++ {
				if max > 0 && sent.Add(1) > max {
					break
				}
				t0 := time.Now()
				status, err := req(ctx, w, i)
				took := time.Since(t0)
				if err != nil || status != want {
					bad++
					if msg == "" {
						msg = fmt.Sprintf("status %d, %v", status, err)
					}
					continue
				}
				mine = append(mine, took)
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			errors += bad
			if firstErr == "" {
				firstErr = msg
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	m := measurement{requests: len(latencies), errors: errors, firstErr: firstErr, elapsed: time.Since(start)}
	m.self, m.server = cpu.now().since(before)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
	}
	m.p50, m.p99 = pct(0.50), pct(0.99)
	return m
}
