package web

import (
	"context"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"missiongrants/internal/testenv"
)

func TestZZShots(t *testing.T) {
	s := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Olga")
	app := ch.submitted("Heart mission to Tegucigalpa")
	ch.submitted("Second mission")
	admin := s.loginAs(t, people[demoAdmin])
	sendToBoard(t, admin, app)
	ada := s.loginAs(t, people[demoAdminBoard])
	ada.post("/board/applications/"+appID(app)+"/conflict", url.Values{"conflict": {"no"}})
	ada.post("/board/applications/"+appID(app)+"/review", goodReview("3"))
	openVote(t, admin, app)
	ada.post("/board/applications/"+appID(app)+"/ballot", url.Values{"vote": {voteIDOn(t, ada.get(app))}, "choice": {"approve"}})
	admin.post("/admin/applications/"+appID(app)+"/vote/close", url.Values{"vote": {voteIDOn(t, admin.get(app))}})

	for _, w := range []struct{ name string; opts []testenv.BrowserOption }{{"phone", nil}, {"desktop", []testenv.BrowserOption{testenv.Desktop()}}} {
		tab := testenv.Browser(t, w.opts...)
		p := people[demoAdminBoard]
		browserLogin(t, tab, srv.URL, p)
		fill(tab, "f-code", p.phone.code(t))
		clickAndWait(t, tab, `main button[type="submit"]`)
		tab.Do(chromedp.Navigate(srv.URL + "/board/applications?amount_min=zz"))
		t.Log(tab.Screenshot("zz-queue-" + w.name))
		tab.Do(chromedp.Navigate(srv.URL + "/admin/minutes"))
		t.Log(tab.Screenshot("zz-minutes-" + w.name))
		tab.Do(chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
			_, err := cdp.Call(ctx, target, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}))
		t.Log(tab.Screenshot("zz-minutes-print-" + w.name))
		tab.Do(chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
			_, err := cdp.Call(ctx, target, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
			return err
		}))
		tab.Do(chromedp.Navigate(srv.URL + "/admin/screening"))
		t.Log(tab.Screenshot("zz-screening-" + w.name))
		tab.Do(chromedp.Navigate(srv.URL + "/applications/" + itoa(int64(mustInt(appID(app)))+1)))
		t.Log(tab.Screenshot("zz-app-submitted-" + w.name))
	}
}

func mustInt(s string) int { n := 0; for _, c := range s { n = n*10 + int(c-'0') }; return n }
